"""The search index built once from a KnowledgeBase.

Normalizing every phrasing is the expensive part of loading, so it happens
here once (and can be cached, see `cache.py`); answering a question then only
normalizes the question. Layout:

- rows: one per phrasing, plus one for the answer of each fact, as normalized
  text (what rapidfuzz compares against); tags count as the fact's words but are
  no row of their own (a bare list of topic words is not a way people ask);
- postings: token -> facts using it (the inverted index that shortlists);
- idf: how rare each token is across facts, so that "laos" or "vietnam",
  present nearly everywhere, never decide a match alone.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..knowledge.entities import EntityTable
from ..knowledge.loader import KnowledgeBase
from ..knowledge.normalize import STOPWORDS, AliasTable, stem, tokens, words
from ..knowledge.schema import Fact
from .premises import FactPremises, fact_premises, source_topics


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
    fact_not_rows: tuple[tuple[str, ...], ...]  # fact position -> its "not this fact" phrasings
    fact_premises: tuple[FactPremises, ...]
    postings: dict[str, array]
    idf: dict[str, float]
    typo_targets: dict[str, tuple[str, ...]]  # a correctly spelled word -> the tokens it stands for
    typo_buckets: dict[str, tuple[str, ...]]  # first letter -> those words
    aliases: AliasTable
    entities: EntityTable
    max_idf: float

    @property
    def size(self) -> int:
        return len(self.fact_ids)


@dataclass(frozen=True)
class IndexContext:
    """What indexing a fact needs besides the fact: the knowledge's aliases, entities and
    articles. `key` changes with any of them (then every part is indexed again)."""

    aliases: AliasTable
    entities: EntityTable
    topics: Mapping[str, frozenset[tuple[str, str]]]  # source id -> what its article is about
    publisher_tokens: Mapping[str, tuple[str, ...]]
    key: str


def index_context(kb: KnowledgeBase) -> IndexContext:
    aliases = AliasTable.build(kb.aliases, stands_for=kb.entities.capitals)
    entities = EntityTable.build(kb.entities, kb.aliases)
    said = {s.id: (f"{s.title} {s.publisher}", kb.source_texts.get(s.id, "")) for s in kb.sources}
    key = hashlib.sha256(pickle.dumps((kb.aliases, kb.entities, sorted(said.items())))).hexdigest()[:32]
    return IndexContext(
        aliases=aliases,
        entities=entities,
        topics={i: source_topics(entities, title, text) for i, (title, text) in said.items()},
        publisher_tokens={s.id: tuple(tokens(s.publisher, aliases)) for s in kb.sources},
        key=key,
    )


@dataclass(frozen=True)
class IndexPart:
    """The index of one file's facts, positions counted from its first fact: built once per
    file and context, and cached, so that an edit re-indexes one file."""

    fact_tokens: tuple[str, ...]
    fact_extra_tokens: tuple[str, ...]
    row_texts: tuple[str, ...]
    row_fact: array
    row_question: array
    row_counts: array  # fact -> how many rows it has (they follow each other)
    fact_not_rows: tuple[tuple[str, ...], ...]
    fact_premises: tuple[FactPremises, ...]
    postings: dict[str, array]
    surface: dict[str, str]  # each word as written in phrasings, tags and answers -> its stem


def index_part(context: IndexContext, facts: Sequence[Fact]) -> IndexPart:
    aliases = context.aliases
    fact_tokens: list[str] = []
    fact_extra_tokens: list[str] = []
    row_texts: list[str] = []
    row_fact, row_question, row_counts = array("i"), array("i"), array("i")
    postings: dict[str, list[int]] = defaultdict(list)
    fact_not_rows: list[tuple[str, ...]] = []
    premises: list[FactPremises] = []
    # One object per distinct value (premises, empty tuples) instead of one per fact.
    shared: dict[Hashable, Any] = {}
    surface: dict[str, str] = {}

    for position, fact in enumerate(facts):
        first_row = len(row_texts)
        asked: set[str] = set()
        extra: set[str] = set()
        rows = [(q, number) for number, q in enumerate(fact.questions)] + [(fact.answer, -2)]
        asked.update(tokens(" ".join(fact.tags), aliases))
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
            extra.update(context.publisher_tokens.get(citation.source, ()))
        fact_tokens.append(" ".join(sorted(asked)))
        fact_extra_tokens.append(" ".join(sorted(extra - asked)))
        row_counts.append(len(row_texts) - first_row)
        not_rows = tuple(" ".join(tokens(q, aliases)) for q in fact.not_questions)
        fact_not_rows.append(shared.setdefault(not_rows, not_rows))
        said = [fact.answer, *(c.quote for c in fact.citations)]
        topics = frozenset().union(*(context.topics.get(c.source, frozenset()) for c in fact.citations))
        checked = fact_premises(context.entities, list(fact.questions), said, topics)
        premises.append(shared.setdefault(checked, checked))
        for token in asked | extra:
            postings[token].append(position)

    return IndexPart(
        fact_tokens=tuple(fact_tokens),
        fact_extra_tokens=tuple(fact_extra_tokens),
        row_texts=tuple(row_texts),
        row_fact=row_fact,
        row_question=row_question,
        row_counts=row_counts,
        fact_not_rows=tuple(fact_not_rows),
        fact_premises=tuple(premises),
        postings={token: array("i", facts) for token, facts in postings.items()},
        surface=surface,
    )


def build_index(kb: KnowledgeBase, parts: Sequence[IndexPart] | None = None) -> SearchIndex:
    """The index of the whole knowledge; `parts` (one per fact file, in order) when the
    caller has them already, from the cache."""
    context = index_context(kb)
    if parts is None:
        parts = [index_part(context, kb.facts)]
    return assemble(kb, context, parts)


def assemble(kb: KnowledgeBase, context: IndexContext, parts: Sequence[IndexPart]) -> SearchIndex:
    """Joins per-file parts: positions shift by the facts (and rows) before each part."""
    row_fact, row_counts = array("i"), array("i")
    postings: dict[str, array] = {}
    surface: dict[str, str] = {}
    first_fact = 0
    for part in parts:
        row_fact.extend(array("i", [position + first_fact for position in part.row_fact]))
        row_counts.extend(part.row_counts)
        for token, positions in part.postings.items():
            shifted = array("i", [position + first_fact for position in positions]) if first_fact else positions
            joined = postings.get(token)
            if joined is None:
                postings[token] = array("i", shifted)  # a copy: the part may be cached and shared
            else:
                joined.extend(shifted)
        surface.update(part.surface)
        first_fact += len(part.fact_tokens)
    fact_rows, row = [], 0
    for count in row_counts:
        fact_rows.append(range(row, row + count))
        row += count
    count = max(len(kb.facts), 1)
    idf = {token: math.log(1 + count / len(facts)) for token, facts in postings.items()}
    typo_targets = _typo_targets(context.aliases, surface)
    return SearchIndex(
        fact_ids=tuple(f.id for f in kb.facts),
        fact_tokens=_joined(part.fact_tokens for part in parts),
        fact_extra_tokens=_joined(part.fact_extra_tokens for part in parts),
        row_texts=_joined(part.row_texts for part in parts),
        row_fact=row_fact,
        row_question=array("i", [n for part in parts for n in part.row_question]),
        fact_rows=tuple(fact_rows),
        fact_not_rows=_joined(part.fact_not_rows for part in parts),
        fact_premises=_joined(part.fact_premises for part in parts),
        postings=postings,
        idf=idf,
        typo_targets=typo_targets,
        typo_buckets=_buckets(typo_targets),
        aliases=context.aliases,
        entities=context.entities,
        max_idf=math.log(1 + count),
    )


def _joined(pieces: Iterable[tuple[Any, ...]]) -> tuple[Any, ...]:
    return tuple(item for piece in pieces for item in piece)


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
