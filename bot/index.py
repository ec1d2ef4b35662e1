"""The search index built once from a KnowledgeBase.

Normalizing every phrasing is the expensive part of loading, so it happens
here once (and can be cached, see `cache.py`); answering a question then only
normalizes the question. Layout:

- rows: one per phrasing, plus one for the answer and one for the tags of each
  fact, as normalized text (what rapidfuzz compares against);
- postings: token -> facts using it (the inverted index that shortlists);
- idf: how rare each token is across facts, so that "laos" or "vietnam",
  present nearly everywhere, never decide a match alone.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from dataclasses import dataclass

from .answer_type import AnswerType, answer_types
from .knowledge import KnowledgeBase
from .normalize import STOPWORDS, AliasTable, stem, tokens, words


@dataclass(frozen=True)
class SearchIndex:
    fact_ids: tuple[str, ...]
    # Space-joined tokens (strings cost a fifth of the memory of sets at 100k facts):
    fact_tokens: tuple[str, ...]  # from the phrasings and tags: how people ask
    fact_extra_tokens: tuple[str, ...]  # only in the answer or quotes: weaker evidence
    row_texts: tuple[str, ...]
    row_fact: array  # row -> fact position
    row_question: array  # row -> phrasing number shown as a suggestion (-1: not a phrasing)
    fact_rows: tuple[range, ...]  # fact position -> its rows (contiguous)
    fact_answer_types: tuple[frozenset[AnswerType], ...]
    postings: dict[str, array]
    idf: dict[str, float]
    typo_targets: dict[str, tuple[str, ...]]  # a correctly spelled word -> the tokens it stands for
    typo_buckets: dict[str, tuple[str, ...]]  # first letter -> those words
    aliases: AliasTable
    max_idf: float

    @property
    def size(self) -> int:
        return len(self.fact_ids)


def build_index(kb: KnowledgeBase) -> SearchIndex:
    aliases = AliasTable.build(kb.aliases)
    fact_tokens: list[str] = []
    fact_extra_tokens: list[str] = []
    row_texts: list[str] = []
    row_fact = array("i")
    row_question = array("i")
    postings: dict[str, list[int]] = defaultdict(list)
    fact_rows: list[range] = []
    publisher_tokens = {source.id: tokens(source.publisher, aliases) for source in kb.sources}
    surface: dict[str, str] = {}  # each word as written in phrasings, tags and answers -> its stem

    for position, fact in enumerate(kb.facts):
        first_row = len(row_texts)
        asked: set[str] = set()
        extra: set[str] = set()
        rows = [(q, number) for number, q in enumerate(fact.questions)]
        rows += [(" ".join(fact.tags), -1), (fact.answer, -2)]
        for text, number in rows:
            row_words = words(text, aliases)
            stems = [stem(word) for word in row_words]
            surface.update(zip(row_words, stems, strict=True))
            if stems:
                (extra if number == -2 else asked).update(stems)
                row_texts.append(" ".join(stems))
                row_fact.append(position)
                row_question.append(max(number, -1))
        for citation in fact.citations:
            extra.update(tokens(citation.quote, aliases))
            # "the KPL article ..." names the source, not the topic: every fact citing it holds it.
            extra.update(publisher_tokens.get(citation.source, ()))
        fact_tokens.append(" ".join(sorted(asked)))
        fact_extra_tokens.append(" ".join(sorted(extra - asked)))
        fact_rows.append(range(first_row, len(row_texts)))
        for token in asked | extra:
            postings[token].append(position)

    count = max(len(kb.facts), 1)
    idf = {token: math.log(1 + count / len(facts)) for token, facts in postings.items()}
    typo_targets = _typo_targets(aliases, surface)
    return SearchIndex(
        fact_ids=tuple(f.id for f in kb.facts),
        fact_tokens=tuple(fact_tokens),
        fact_extra_tokens=tuple(fact_extra_tokens),
        row_texts=tuple(row_texts),
        row_fact=row_fact,
        row_question=row_question,
        fact_rows=tuple(fact_rows),
        fact_answer_types=tuple(_shared(answer_types(f.answer)) for f in kb.facts),
        postings={token: array("i", facts) for token, facts in postings.items()},
        idf=idf,
        typo_targets=typo_targets,
        typo_buckets=_buckets(typo_targets),
        aliases=aliases,
        max_idf=math.log(1 + count),
    )


def _typo_targets(aliases: AliasTable, surface: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Words a misspelling may be meant as: alias spellings ("vientaine" -> Vientiane -> laos),
    stopwords ("suposed" -> nothing to match) and the knowledge's own words."""
    targets: dict[str, tuple[str, ...]] = {word: () for word in STOPWORDS if word.isalpha()}
    for variant, canonical in aliases.canonical_of.items():
        if " " not in variant and variant.isalpha():
            targets[variant] = tuple(tokens(canonical))
    for word, word_stem in surface.items():
        if word.isalpha():
            targets.setdefault(word, (word_stem,))
    return targets


def _buckets(targets: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    buckets: dict[str, list[str]] = defaultdict(list)
    for word in targets:
        buckets[word[0]].append(word)
    return {letter: tuple(sorted(group)) for letter, group in buckets.items()}


_SHARED: dict[frozenset, frozenset] = {}


def _shared(value: frozenset) -> frozenset:
    """One object per distinct set of answer types instead of one per fact."""
    return _SHARED.setdefault(value, value)
