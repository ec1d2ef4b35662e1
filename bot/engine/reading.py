"""Reading a question: the first stage, worked out once for every stage after it.

The asking part of the message (`asking.py`), its folded text with misspelt names
mended before aliases apply (`spelling.py`), its weighted words (`lexical.py`), what it
presupposes (`premises.py`), what a "how many" counts and a "which" picks
(`measured.py`), and its words that order events (`qualifiers.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

from ..knowledge.entities import OFFICE, PERSON, EntityTable
from ..knowledge.normalize import accented_words, fold, stem, unspaced_script
from .asking import asking_part
from .lexical import LexicalMatcher, Term
from .measured import chosen_kind, done_word, measured_word
from .premises import QuestionPremises, question_premises
from .qualifiers import ordering_words
from .question_split import two_questions
from .spelling import NameMender


@dataclass(frozen=True)
class Reading:
    """A question as the stages see it: its asking part (as written, for meaning), weighted
    words and premises (from its folded text with misspelt names mended)."""

    asked: str
    terms: tuple[Term, ...]
    premises: QuestionPremises
    measured: str | None  # what a "how much/many" question counts (`measured.py`)
    chosen: str | None  # the kind a "which" question picks among (`measured.py`)
    deed: str | None  # what a "who" question asks the person to have done (`measured.py`)
    ordering: frozenset[str]  # its words that order events ("after", "next": `qualifiers.py`)


@dataclass(frozen=True)
class Reader:
    lexical: LexicalMatcher
    mender: NameMender
    entities: EntityTable
    names: frozenset[str]  # the stems of every entity's token
    name_words: frozenset[str]  # the words of the knowledge's multi-word names and terms, as written

    @classmethod
    def build(cls, lexical: LexicalMatcher, typo_min_similarity: float) -> Reader:
        index = lexical.index
        names = index.entities.spellings.canonical_of
        mender = NameMender.build(index.aliases.canonical_of, index.typo_targets, typo_min_similarity, names)
        entity_stems = frozenset(stem(name) for name in index.entities.kind_of)
        name_words = frozenset(word for spelling in index.aliases.canonical_of for word in spelling.split())
        return cls(lexical, mender, index.entities, entity_stems, name_words)

    def read(self, question: str) -> Reading:
        asked = asking_part(question)
        accented = accented_words(asked)
        mended = self.mender.mend(fold(asked), accented)  # before aliases, which know exact spellings only
        terms = _titles_beside_names_weigh_less(
            self.lexical.terms(mended, accented), mended, self.entities, self.lexical.settings.title_beside_name_weight
        )

        def terms_of(text: str) -> list[Term]:
            return self.lexical.terms(text, accented)

        counted = measured_word(mended, terms_of, self.names)
        chosen = chosen_kind(mended, terms_of, self.names, self.name_words)
        # Of two questions in one, each part is read alone (`parts.py`): the deed one asks
        # of need not be told by the fact answering the other.
        deed = done_word(mended, terms_of, self.names) if two_questions(asked) is None else None
        premises = question_premises(self.entities, mended, asked)
        return Reading(asked, tuple(terms), premises, counted, chosen, deed, ordering_words(terms))


def _titles_beside_names_weigh_less(terms: list[Term], mended: str, entities: EntityTable, factor: float) -> list[Term]:
    """ "General Secretary To Lam", "トー・ラム書記長": a title beside a person's name says who he
    is, not what is asked. At full weight it pulls to facts naming the title (the invitation by
    General Secretary Thongloun) over the fact about To Lam the question asks for."""
    spans = sorted(entities.spellings.find(mended), key=lambda found: found[1])
    beside = {
        stem(word)
        for (first, _, first_end), (second, second_start, _) in pairwise(spans)
        if second_start >= first_end
        and not mended[first_end:second_start].strip()
        and {entities.kind_of.get(first), entities.kind_of.get(second)} == {OFFICE, PERSON}
        for word in (first if entities.kind_of[first] == OFFICE else second).split()
    }
    if not beside:
        return terms
    return [replace(t, weight=t.weight * factor) if t.token in beside else t for t in terms]


def asks_nothing(reading: Reading) -> bool:
    """A message with nothing to look up: all noise, emoji or mentions, a thank-you, or only
    greetings and function words ("hello there"). Declining it is no failure to know."""
    if not any(char.isalpha() for char in reading.asked):
        return True
    return not reading.terms and not unspaced_script(reading.asked)
