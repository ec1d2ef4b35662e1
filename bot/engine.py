"""The answer engine: a question in, an Answer out (answered, clarify or no_answer).

Platform-neutral on purpose: Discord, the console and the benchmarks all call
`Engine.ask`. The decision uses both an absolute confidence and the margin over
the runner-up, because two facts scoring nearly the same means the engine does
not know which one the user meant, and guessing would risk a confident wrong
answer with a citation.
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz import fuzz, process

from .answer_type import AnswerType, question_type
from .index import SearchIndex, build_index
from .knowledge import KnowledgeBase
from .normalize import commonness_weight, is_dictionary_word, stem, warm_up, words
from .schema import Fact
from .settings import DEFAULT_SETTINGS, EngineSettings

# Words that change which event is meant, like numbers do ("after Laos" is not "first").
QUALIFIERS = frozenset("first last next after before previous earlier later second third latest".split())

Status = Literal["answered", "clarify", "no_answer"]


@dataclass(frozen=True)
class Suggestion:
    fact_id: str
    question: str
    confidence: float


@dataclass(frozen=True)
class Answer:
    question: str
    status: Status
    confidence: float
    fact: Fact | None  # set when answered
    related: tuple[Fact, ...]
    suggestions: tuple[Suggestion, ...]  # clarify: the candidates; otherwise what is near
    elapsed_ms: float


@dataclass(frozen=True)
class _Scored:
    position: int
    score: float
    best_question: int
    matched: frozenset[str] = frozenset()  # the question's words this fact holds
    fits_type: bool = True  # the answer can be what was asked for (a time, a quantity)


@dataclass(frozen=True)
class _Term:
    token: str
    weight: float
    known: bool


class Engine:
    """Answers questions from one immutable KnowledgeBase; build a new Engine to reload."""

    def __init__(
        self,
        kb: KnowledgeBase,
        settings: EngineSettings = DEFAULT_SETTINGS,
        index: SearchIndex | None = None,
    ) -> None:
        self.kb = kb
        self.settings = settings
        self.index = index if index is not None else build_index(kb)
        warm_up()

    def ask(self, question: str, answer_threshold: float | None = None) -> Answer:
        started = time.perf_counter()
        ranked = self.rank(question)
        answer = self._decide(question, ranked, answer_threshold or self.settings.answer_threshold)
        elapsed = (time.perf_counter() - started) * 1000
        return replace(answer, elapsed_ms=round(elapsed, 3))

    def show(self, fact_id: str) -> Answer | None:
        """One fact as an answer, for a picked suggestion or a related-fact button."""
        fact = self.kb.fact(fact_id)
        if fact is None:
            return None
        return Answer(fact.questions[0], "answered", 1.0, fact, self._related(fact), (), 0.0)

    def suggest_questions(self, text: str, limit: int = 25) -> list[Suggestion]:
        """Known phrasings close to what a user has typed so far (for autocomplete)."""
        ranked = self.rank(text)[:limit]
        return [self._suggestion(item) for item in ranked]

    # ------------------------------------------------------------------ ranking
    def rank(self, question: str) -> list[_Scored]:
        """Facts best first, with a confidence in [0, 1]."""
        terms = self._terms(question)
        if not terms:
            return []
        candidates = self._shortlist(terms)
        if not candidates:
            return []
        wanted_type = question_type(question)
        fuzzy = self._fuzzy_scores(terms, candidates)
        total = sum(term.weight for term in terms)
        scored = [self._score(terms, total, position, fuzzy, wanted_type) for position in candidates]
        scored.sort(key=lambda item: (-item.score, item.position))
        return scored

    def _score(
        self, terms: list[_Term], total: float, position: int, fuzzy: dict[int, float], wanted: AnswerType
    ) -> _Scored:
        s, index = self.settings, self.index
        asked = set(index.fact_tokens[position].split())
        extra = set(index.fact_extra_tokens[position].split())
        matched = sum(
            t.weight * (1.0 if t.token in asked else s.answer_word_factor if t.token in extra else 0.0)
            for t in terms
        )
        held = asked | extra
        best_overlap, best_question = 0.0, 0
        for row in index.fact_rows[position]:
            overlap = self._row_overlap(terms, total, index.row_texts[row])
            if overlap > best_overlap:
                best_overlap = overlap
                if index.row_question[row] >= 0:  # a phrasing (not the answer or tags) to suggest
                    best_question = index.row_question[row]
        score = (
            s.coverage_weight * matched / total
            + s.overlap_weight * best_overlap
            + s.fuzzy_weight * fuzzy.get(position, 0.0)
        )
        score *= min(1.0, matched / (s.evidence_needed * index.max_idf)) ** s.evidence_exponent
        missing_numbers = sum(1 for t in terms if _is_number(t.token) and t.token not in held)
        score *= s.missing_number_factor**missing_numbers
        # Stricter than numbers: a qualifier counts only where people ask with it, since
        # articles use "after" or "first" in passing ("first reception ... after its Congress").
        missing_qualifiers = sum(1 for t in terms if t.token in QUALIFIERS and t.token not in asked)
        score *= s.missing_qualifier_factor**missing_qualifiers
        fits_type = wanted in index.fact_answer_types[position]
        if not fits_type:
            score *= s.wrong_type_factor
        matched_words = frozenset(t.token for t in terms if t.token in held)
        return _Scored(position, min(max(score, 0.0), 1.0), best_question, matched_words, fits_type)

    def _row_overlap(self, terms: list[_Term], total: float, row_text: str) -> float:
        """Weighted Jaccard between the question and one phrasing: both must be mostly shared."""
        row = set(row_text.split())
        shared = sum(t.weight for t in terms if t.token in row)
        asked = {t.token for t in terms}
        extra = sum(self.index.idf.get(token, self.index.max_idf) for token in row - asked)
        return shared / (total + self.settings.row_extra_weight * extra)

    def _terms(self, question: str) -> list[_Term]:
        """The question's words with the weight of evidence each carries."""
        terms: dict[str, _Term] = {}
        for word in words(question, self.index.aliases)[: self.settings.max_question_tokens]:
            for term in self._weigh(word):
                terms.setdefault(term.token, term)
        return list(terms.values())

    def _weigh(self, word: str) -> list[_Term]:
        index, s = self.index, self.settings
        token = stem(word)
        idf = index.idf.get(token)
        if idf is not None:
            return [_Term(token, idf * commonness_weight(word), True)]
        correction = self._correct_typo(word)
        if correction is not None:
            meant, similarity = correction
            return [
                _Term(t, index.idf[t] * similarity * commonness_weight(meant), True)
                for t in index.typo_targets[meant]
                if t in index.idf
            ]
        weight = index.max_idf * s.unknown_word_weight * commonness_weight(word)
        if not is_dictionary_word(word):  # a typo we could not mend, or another language
            weight *= s.non_word_factor
        return [_Term(token, weight, False)]

    def _correct_typo(self, word: str) -> tuple[str, float] | None:
        """The word a misspelling was meant as, if one is close enough.

        Typos rarely change the first letter, so only words sharing it are compared;
        a word everyday English knows well is taken as meant, not as a typo.
        """
        if len(word) < self.settings.typo_min_length or not word.isalpha():
            return None
        if is_dictionary_word(word) and commonness_weight(word) < 1.0:
            return None
        choices = self.index.typo_buckets.get(word[0], ())
        match = process.extractOne(
            word, choices, scorer=fuzz.ratio, score_cutoff=self.settings.typo_min_similarity
        )
        return (match[0], match[1] / 100) if match else None

    def _shortlist(self, terms: list[_Term]) -> list[int]:
        """Facts sharing the question's rarer words, most shared weight first."""
        limit = max(self.settings.rare_token_postings, int(self.index.size * self.settings.rare_token_share))
        known = sorted((t for t in terms if t.known), key=lambda t: len(self.index.postings[t.token]))
        rare = [t for t in known if len(self.index.postings[t.token]) <= limit] or known[:1]
        weights: dict[int, float] = defaultdict(float)
        for term in rare:
            for position in self.index.postings[term.token]:
                weights[position] += term.weight
        best = heapq.nlargest(self.settings.candidate_limit, weights.items(), key=lambda kv: kv[1])
        return [position for position, _ in best]

    def _fuzzy_scores(self, terms: list[_Term], candidates: list[int]) -> dict[int, float]:
        """Best rapidfuzz similarity per fact between the question and the fact's rows."""
        query = " ".join(t.token for t in terms)
        rows = {row: self.index.row_texts[row] for position in candidates for row in self.index.fact_rows[position]}
        best: dict[int, float] = {}
        for _text, score, row in process.extract(query, rows, scorer=fuzz.token_sort_ratio, limit=None):
            position = self.index.row_fact[row]
            best[position] = max(best.get(position, 0.0), score / 100)
        return best

    # ----------------------------------------------------------------- decision
    def _decide(self, question: str, ranked: list[_Scored], answer_threshold: float) -> Answer:
        s = self.settings
        top = ranked[0] if ranked else None
        if top is not None and top.score >= answer_threshold and top.fits_type and self._clear_winner(ranked):
            fact = self.kb.facts[top.position]
            runners_up = [self._suggestion(i) for i in ranked[1:] if i.score >= s.suggest_threshold]
            return Answer(
                question, "answered", round(top.score, 3), fact, self._related(fact),
                tuple(runners_up[: s.max_suggestions - 1]), 0.0,
            )
        close = [
            i for i in ranked if i.score >= s.clarify_threshold and top and top.score - i.score <= s.clarify_window
        ]
        if len(close) >= 2:
            return Answer(
                question, "clarify", round(top.score, 3), None, (),
                tuple(self._suggestion(i) for i in close[: s.max_clarify]), 0.0,
            )
        near = [self._suggestion(i) for i in ranked if i.score >= s.suggest_threshold][: s.max_suggestions]
        return Answer(question, "no_answer", round(top.score, 3) if top else 0.0, None, (), tuple(near), 0.0)

    def _clear_winner(self, ranked: list[_Scored]) -> bool:
        """Far enough ahead, or explaining strictly more of the question than the runner-up."""
        if len(ranked) < 2:
            return True
        top, runner_up = ranked[0], ranked[1]
        return runner_up.matched < top.matched or top.score - runner_up.score >= self.settings.answer_margin

    def _related(self, fact: Fact) -> tuple[Fact, ...]:
        found = (self.kb.fact(fact_id) for fact_id in fact.related)
        return tuple(f for f in found if f is not None)[: self.settings.max_related]

    def _suggestion(self, item: _Scored) -> Suggestion:
        fact = self.kb.facts[item.position]
        return Suggestion(fact.id, fact.questions[item.best_question], round(item.score, 3))


def _is_number(token: str) -> bool:
    return token.replace(".", "", 1).isdigit()
