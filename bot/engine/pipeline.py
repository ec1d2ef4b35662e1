"""The answer engine: a question in, an Answer out (answered, clarify or no_answer).

Platform-neutral on purpose: Discord, the console and the benchmarks all call
`Engine.ask`. The pipeline, one module per stage:

    reading (`reading.py`: the asking part, mended names, weighted words, premises)
    -> candidates by words (`lexical.py`) and by meaning
    (`semantic.py`) -> evidence (`features.py`) and premise checks (`premises.py`)
    -> calibrated decision (`decision.py`) -> one fact (with a share worked out from it,
    `per_unit.py`), or two: two questions in one or two
    events to order, each part answered alone (`parts.py`); a comparison of two subjects
    (`parallel.py`); a second fact for what the first leaves (`two_facts.py`); two
    things asked of one year (`same_time.py`)
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from functools import cached_property
from typing import Any

from ..knowledge.loader import KnowledgeBase
from ..knowledge.normalize import stem, warm_up
from . import semantic
from .answer import Answer, Suggestion
from .answering import AnswerMaker
from .decision import Decision, DecisionModels, Scored, decide
from .features import Candidate, feature_vector
from .index import SearchIndex, build_index
from .lexical import LexicalMatch, LexicalMatcher
from .parallel import compared
from .parts import in_parts
from .per_unit import per_unit
from .premises import answers_the_mirror, corrects_claim, failed_checks
from .reading import Reader, Reading, asks_nothing
from .same_time import same_time
from .settings import DEFAULT_SETTINGS, EngineSettings
from .two_facts import Joined, asks_for_two, half_left_unanswered, join


class Engine:
    """Answers questions from one immutable KnowledgeBase; build a new Engine to reload."""

    def __init__(
        self,
        kb: KnowledgeBase,
        settings: EngineSettings = DEFAULT_SETTINGS,
        index: SearchIndex | None = None,
        meaning: semantic.SemanticIndex | None = None,
        models: DecisionModels | None = None,
    ) -> None:
        self.kb = kb
        self.settings = settings
        self.index = index if index is not None else build_index(kb)
        self.meaning = meaning if meaning is not None else semantic_index_for(kb, settings)
        self.lexical = LexicalMatcher(self.index, settings)
        self.answers = AnswerMaker(kb, settings.max_related)
        self.reader = Reader.build(self.lexical, settings.typo_min_similarity)
        models = models if models is not None else DecisionModels.load()
        self.model = models.semantic if self.meaning is not None else models.words
        warm_up()

    def ask(self, question: str, answer_threshold: float | None = None) -> Answer:
        started = time.perf_counter()
        settings = self.settings
        if answer_threshold is not None:
            settings = replace(settings, answer_threshold=answer_threshold)
        answer = self._answer(question, settings)
        elapsed = (time.perf_counter() - started) * 1000
        return replace(answer, elapsed_ms=round(elapsed, 3))

    def show(self, fact_id: str) -> Answer | None:
        """One fact as an answer, for a picked suggestion or a related-fact button."""
        return self.answers.shown(fact_id)

    def suggest_questions(self, text: str, limit: int = 25) -> list[Suggestion]:
        """Known phrasings close to what a user has typed so far (for autocomplete)."""
        matches = self.lexical.rank(self.lexical.terms(text))[:limit]
        return [self.answers.suggestion(m.position, m.best_question, m.score) for m in matches]

    def nearest(self, question: str) -> tuple[Suggestion, tuple[str, ...]] | None:
        """The fact most likely meant and the premise checks it fails (for reports: teach the
        question to it only if it fails none; otherwise a new fact is needed)."""
        ranked = self.scored(question)
        return (self.answers.offer(ranked[0]), ranked[0].candidate.failed) if ranked else None

    @cached_property
    def _position_of(self) -> dict[str, int]:
        """Each fact id's position: made when a question first needs a related fact, so that
        a reload of 100k facts does not wait for it."""
        return {fact.id: position for position, fact in enumerate(self.kb.facts)}

    @cached_property
    def _name_words(self) -> dict[str, frozenset[str]]:
        """Each entity's token -> the stems of the words its names are written with: "party"
        is a word of the Lao People's Revolutionary Party, which a fact holds as one token."""
        found: dict[str, set[str]] = {}
        for spelling, token in self.index.entities.spellings.canonical_of.items():
            found.setdefault(stem(token), set()).update(stem(word) for word in spelling.split())
        return {token: frozenset(words) for token, words in found.items()}

    def _named_words(self, position: int) -> frozenset[str]:
        """The words of the names a fact holds."""
        held = {*self.index.fact_tokens[position].split(), *self.index.fact_extra_tokens[position].split()}
        return frozenset().union(*(self._name_words[t] for t in held if t in self._name_words))

    def _related(self, position: int) -> tuple[int, ...]:
        """The positions of the facts this one lists as related."""
        at = self._position_of
        return tuple(at[r] for r in self.kb.facts[position].related if r in at)

    # ---------------------------------------------------------------- pipeline
    def read(self, question: str) -> Reading:
        """What the question asks, worked out once for every stage after it (`reading.py`)."""
        return self.reader.read(question)

    def candidates(self, question: str | Reading) -> list[Candidate]:
        """The facts worth deciding about, each with its evidence and failed checks."""
        reading = question if isinstance(question, Reading) else self.read(question)
        asked, terms, premises = reading.asked, list(reading.terms), reading.premises
        if asks_nothing(reading):
            return []
        meaning = self._meaning(asked)
        matches = self.lexical.rank(terms, self._nearest_in_meaning(meaning))
        if not matches:
            return []
        # The best by words and the best by meaning: each stage finds what the other misses.
        by_meaning = sorted(matches, key=lambda m: -_at(meaning, m.position))
        half = self.settings.candidates_decided // 2
        kept = list({id(m): m for m in [*matches[:half], *by_meaning[:half]]}.values())
        unknown = self.lexical.unknown_share(terms)
        spread = (float(meaning.mean()), float(meaning.std()) or 1.0) if meaning is not None else (0.0, 1.0)
        # A fact answering the mirror question (what is in it for Laos, asked what is in it
        # for Türkiye) is no rival to the facts about the side asked about: none leads it.
        # ("What does Türkiye get" shares every word with "what does Laos get from Türkiye".)
        fact_premises = self.index.fact_premises
        mirrors = {id(m) for m in kept if answers_the_mirror(premises, fact_premises[m.position])}
        found = []
        for match in kept:
            others = [m for m in kept if m is not match and id(m) not in mirrors]
            vector = feature_vector(
                match,
                max((m.score for m in others), default=0.0),
                _at(meaning, match.position),
                (_at(meaning, match.position) - spread[0]) / spread[1] if meaning is not None else 0.0,
                max((_at(meaning, m.position) for m in others), default=0.0),
                unknown,
            )
            failed = failed_checks(premises, fact_premises[match.position])
            related = self._related(match.position) if reading.ordering else ()
            named = self._named_words(match.position) if reading.chosen else frozenset()
            failed += _failed_by_words(reading, match, self.index, self.settings, related, named)
            found.append(Candidate(match.position, match, failed, vector, id(match) in mirrors))
        return found

    def scored(self, question: str | Reading) -> list[Scored]:
        """Candidates with the model's probability, best first."""
        items = [Scored(c, self.model.probability(c.features)) for c in self.candidates(question)]
        items.sort(key=lambda item: (-item.probability, item.candidate.position))
        return items

    def _answer(self, question: str, settings: EngineSettings) -> Answer:
        reading = self.read(question)
        if asks_nothing(reading):
            return self.answers.nothing_asked(question)
        ranked = self.scored(reading)
        terms = reading.terms
        if terms and all(self._says_little(t.token) for t in terms):
            # Only words most facts hold ("laos", "examplia"): which fact is meant is the
            # user's to say, so suggest and never answer.
            settings = replace(settings, answer_threshold=math.inf)
        # Words the knowledge never uses no fact can explain: the second of two facts is
        # looked for by the words the first leaves unexplained that some fact could hold.
        weights = {t.token: t.weight for t in terms if t.known}
        # Two questions in one (or two events to order) first: each part read alone is the
        # surest; then a comparison of two subjects; then a second fact for what one leaves.
        joined = (
            in_parts(reading.asked, self, settings)
            or compared(question, self, settings)
            or join(question, ranked, weights, reading.premises, self.index, settings)
            or same_time(question, reading, ranked, self.lexical, settings)
        )
        if joined is not None:
            return self.answers.joined(question, self._with_share(reading.asked, joined))
        decision = decide(ranked, settings)
        if decision.status == "answered" and decision.chosen is not None:
            explained = decision.chosen.candidate.lexical.matched
            # One fact for a question asking two things answers half of it: the user is asked.
            if asks_for_two(question) or half_left_unanswered(
                question, terms, explained, self.index, settings.half_explained_share
            ):
                decision = Decision("clarify", decision.chosen, (decision.chosen, *decision.offered))
        chosen = decision.chosen if decision.status == "answered" else None
        if chosen is None:
            return self.answers.decided(question, decision)
        position = chosen.candidate.position
        corrected = corrects_claim(reading.premises, self.index.fact_premises[position])
        share = per_unit(reading.asked, self.kb.facts[position].answer, self.index.aliases)
        return self.answers.decided(question, decision, corrected, share)

    def _with_share(self, asked: str, joined: Joined) -> Joined:
        """Two facts, with a share one of them gives worked out ("the average per project, and
        is Vietnam a top investor") when their years give no link of their own."""
        if joined.link:
            return joined
        answers = (self.kb.facts[part.candidate.position].answer for part in joined.parts)
        share = next((s for s in (per_unit(asked, text, self.index.aliases) for text in answers) if s), "")
        return replace(joined, link=share)

    def _says_little(self, token: str) -> bool:
        return len(self.index.postings.get(token, ())) > self.index.size * self.settings.common_word_share

    def _meaning(self, text: str) -> Any:
        return semantic.similarities(self.meaning, text) if self.meaning is not None else None

    def _nearest_in_meaning(self, meaning: Any) -> list[int]:
        if meaning is None:
            return []
        count = min(self.settings.semantic_candidates, len(meaning))
        return [int(i) for i in meaning.argsort()[::-1][:count]]


def _failed_by_words(
    reading: Reading,
    match: LexicalMatch,
    index: SearchIndex,
    settings: EngineSettings,
    related: tuple[int, ...],
    named: frozenset[str],
) -> tuple[str, ...]:
    """The checks that compare the question's words with the fact's own (the premise checks
    in `premises.py` compare what each says). `related`: the positions of the facts this one
    lists as related, whose words tell the order it sits in ("the first trip" a fact about
    why Laos was chosen leaves to its related fact about the first visit); `named`: the words
    of the names it holds ("which party congress" is picked among the parties it names)."""
    failed: tuple[str, ...] = ()
    if match.not_overlap > match.overlap and match.not_overlap >= settings.not_question_overlap:
        failed += ("not this fact",)
    if reading.measured is not None and reading.measured not in match.matched:
        failed += ("measured",)  # "how much did Laos export" asked of a fact about trade
    if reading.chosen is not None and reading.chosen not in match.matched | named:
        failed += ("which",)  # "which Turkish university" asked of a fact about institutions
    if reading.deed is not None and reading.deed not in match.matched:
        failed += ("who",)  # "who invited Thongloun" asked of a photo of his welcome
    asked_with = (index.fact_tokens[at].split() for at in (match.position, *related))
    if reading.ordering and reading.ordering - set().union(*asked_with):
        failed += ("qualifier",)  # "after Laos", "next" asked of a fact no one asks that way
    return failed


def semantic_index_for(kb: KnowledgeBase, settings: EngineSettings) -> semantic.SemanticIndex | None:
    """Vectors for this knowledge, or None when the stage is off (too many facts, no model)."""
    if len(kb.facts) > settings.semantic_max_facts or not semantic.available():
        return None
    return semantic.build_semantic(kb)


def _at(meaning: Any, position: int) -> float:
    return float(meaning[position]) if meaning is not None else 0.0
