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
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, overload

from ..knowledge.entities import EntityTable
from ..knowledge.loader import KnowledgeBase
from ..knowledge.normalize import STOPWORDS, AliasTable, stem, tokens, words
from ..knowledge.schema import Fact
from .packed import PackedStrings, packed
from .premises import FactPremises, fact_premises, source_topics


@dataclass(frozen=True)
class SearchIndex:
    fact_ids: PackedStrings
    # Space-joined tokens (strings cost a fifth of the memory of sets at 100k facts):
    fact_tokens: PackedStrings  # from the phrasings and tags: how people ask
    fact_extra_tokens: PackedStrings  # only in the answer or quotes: weaker evidence
    row_texts: PackedStrings
    row_fact: array  # row -> fact position
    row_question: array  # row -> phrasing number shown as a suggestion (-1: not a phrasing)
    fact_rows: FactRows  # fact position -> its rows (contiguous)
    fact_not_rows: tuple[tuple[str, ...], ...]  # fact position -> its "not this fact" phrasings
    fact_premises: tuple[FactPremises, ...]
    postings: dict[str, array]
    idf: dict[str, float]
    typo_targets: dict[str, tuple[str, ...]]  # a correctly spelled word -> the tokens it stands for
    typo_buckets: dict[str, tuple[str, ...]]  # first letter -> those words
    aliases: AliasTable
    entities: EntityTable
    max_idf: float
    # Per part (one per fact file): its facts' distinct words as written, and in how many
    # parts each word is: what an edit of one file needs to update the typo targets.
    part_words: tuple[str, ...]
    word_parts: Mapping[str, int]

    @property
    def size(self) -> int:
        return len(self.fact_ids)

    def __reduce__(self) -> tuple:
        """Pickled compactly for the cache: the postings as one array, and what is derived
        (rows, idf, typo buckets) left out. One object per posting list and per row made
        pickling 100,000 facts slow and 50 MB bigger."""
        postings = array("i")
        for positions in self.postings.values():
            postings.extend(positions)
        return (
            _unpickled,
            (
                self.fact_ids, self.fact_tokens, self.fact_extra_tokens, self.row_texts,
                self.row_question, array("i", [len(r) for r in self.fact_rows]),
                self.fact_not_rows, self.fact_premises, PackedStrings(self.postings),
                array("i", [len(p) for p in self.postings.values()]), postings, self.typo_targets,
                self.aliases, self.entities, self.part_words, dict(self.word_parts),
            ),
        )


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
    """The index of one file's facts: built once per file and context, so that an edit
    re-indexes one file (see `index_update.py`)."""

    fact_tokens: tuple[str, ...]
    fact_extra_tokens: tuple[str, ...]
    row_texts: tuple[str, ...]
    row_question: array
    row_counts: array  # fact -> how many rows it has (they follow each other)
    fact_not_rows: tuple[tuple[str, ...], ...]
    fact_premises: tuple[FactPremises, ...]
    words: str  # its distinct words as written in phrasings, tags and answers, space-joined


def index_part(context: IndexContext, facts: Sequence[Fact]) -> IndexPart:
    aliases = context.aliases
    fact_tokens: list[str] = []
    fact_extra_tokens: list[str] = []
    row_texts: list[str] = []
    row_question, row_counts = array("i"), array("i")
    fact_not_rows: list[tuple[str, ...]] = []
    premises: list[FactPremises] = []
    # One object per distinct value (premises, empty tuples) instead of one per fact.
    shared: dict[Hashable, Any] = {}
    surface: set[str] = set()

    for fact in facts:
        first_row = len(row_texts)
        asked: set[str] = set()
        extra: set[str] = set()
        rows = [(q, number) for number, q in enumerate(fact.questions)] + [(fact.answer, -2)]
        asked.update(tokens(" ".join(fact.tags), aliases))
        for text, number in rows:
            row_words = words(text, aliases)
            surface.update(row_words)
            if stems := [stem(word) for word in row_words]:
                (extra if number == -2 else asked).update(stems)
                row_texts.append(" ".join(stems))
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

    return IndexPart(
        fact_tokens=tuple(fact_tokens),
        fact_extra_tokens=tuple(fact_extra_tokens),
        row_texts=tuple(row_texts),
        row_question=row_question,
        row_counts=row_counts,
        fact_not_rows=tuple(fact_not_rows),
        fact_premises=tuple(premises),
        words=" ".join(sorted(surface)),
    )


def build_index(kb: KnowledgeBase) -> SearchIndex:
    """The index of the whole knowledge as one part (the cache builds one part per file)."""
    context = index_context(kb)
    return assemble(kb, context, [index_part(context, kb.facts)])


def assemble(kb: KnowledgeBase, context: IndexContext, parts: Sequence[IndexPart]) -> SearchIndex:
    """Joins parts (in the order of `kb.facts`) into the index of the whole knowledge."""
    part_words = tuple(part.words for part in parts)
    return complete(
        kb,
        context,
        IndexColumns(
            fact_tokens=_joined(part.fact_tokens for part in parts),
            fact_extra_tokens=_joined(part.fact_extra_tokens for part in parts),
            row_texts=_joined(part.row_texts for part in parts),
            row_question=array("i", [n for part in parts for n in part.row_question]),
            row_counts=array("i", [n for part in parts for n in part.row_counts]),
            fact_not_rows=_joined(part.fact_not_rows for part in parts),
            fact_premises=_joined(part.fact_premises for part in parts),
        ),
        part_words,
        Counter(word for words in part_words for word in words.split()),
    )


@dataclass(frozen=True)
class IndexColumns:
    """The per-fact and per-row columns of an index, from which the rest is derived."""

    fact_tokens: Sequence[str]
    fact_extra_tokens: Sequence[str]
    row_texts: Sequence[str]
    row_question: array
    row_counts: array
    fact_not_rows: tuple[tuple[str, ...], ...]
    fact_premises: tuple[FactPremises, ...]


def complete(
    kb: KnowledgeBase,
    context: IndexContext,
    columns: IndexColumns,
    part_words: tuple[str, ...],
    word_parts: Mapping[str, int],
    postings: dict[str, array] | None = None,
) -> SearchIndex:
    """The index from its columns: rows per fact, postings (unless given), idf and typo targets."""
    if postings is None:
        postings = _postings(columns.fact_tokens, columns.fact_extra_tokens)
    typo_targets = _typo_targets(context.aliases, {word: stem(word) for word in word_parts})
    fact_ids = PackedStrings(f.id for f in kb.facts)
    return _with_derived(
        fact_ids, columns, postings, typo_targets, context.aliases, context.entities, part_words, word_parts
    )


def _with_derived(
    fact_ids: PackedStrings,
    columns: IndexColumns,
    postings: dict[str, array],
    typo_targets: dict[str, tuple[str, ...]],
    aliases: AliasTable,
    entities: EntityTable,
    part_words: tuple[str, ...],
    word_parts: Mapping[str, int],
) -> SearchIndex:
    """The index, with what follows from the rest (rows, idf, typo buckets) worked out: the
    same whether it was just built or read back from the cache."""
    fact_rows = FactRows(columns.row_counts)
    count = max(len(fact_rows), 1)
    return SearchIndex(
        fact_ids=fact_ids,
        fact_tokens=packed(columns.fact_tokens),
        fact_extra_tokens=packed(columns.fact_extra_tokens),
        row_texts=packed(columns.row_texts),
        row_fact=_row_fact(fact_rows),
        row_question=columns.row_question,
        fact_rows=fact_rows,
        fact_not_rows=columns.fact_not_rows,
        fact_premises=columns.fact_premises,
        postings=postings,
        idf={token: math.log(1 + count / len(facts)) for token, facts in postings.items()},
        typo_targets=typo_targets,
        typo_buckets=_buckets(typo_targets),
        aliases=aliases,
        entities=entities,
        max_idf=math.log(1 + count),
        part_words=part_words,
        word_parts=word_parts,
    )


def columns_of(index: SearchIndex) -> IndexColumns:
    return IndexColumns(
        fact_tokens=index.fact_tokens,
        fact_extra_tokens=index.fact_extra_tokens,
        row_texts=index.row_texts,
        row_question=index.row_question,
        row_counts=array("i", [len(rows) for rows in index.fact_rows]),
        fact_not_rows=index.fact_not_rows,
        fact_premises=index.fact_premises,
    )


def _postings(fact_tokens: Sequence[str], fact_extra_tokens: Sequence[str]) -> dict[str, array]:
    """Token -> the facts holding it, in order (the inverted index that shortlists)."""
    postings: dict[str, array] = {}
    for position, (asked, extra) in enumerate(zip(fact_tokens, fact_extra_tokens, strict=True)):
        for token in f"{asked} {extra}".split():
            facts = postings.get(token)
            if facts is None:
                postings[token] = array("i", [position])
            else:
                facts.append(position)
    return postings


def _unpickled(
    fact_ids: PackedStrings, fact_tokens: PackedStrings, fact_extra_tokens: PackedStrings,
    row_texts: PackedStrings, row_question: array, row_counts: array, fact_not_rows: tuple,
    fact_premises: tuple, tokens_: PackedStrings, lengths: array,
    positions: array, typo_targets: dict, aliases: AliasTable, entities: EntityTable,
    part_words: tuple[str, ...], word_parts: dict[str, int],
) -> SearchIndex:
    postings, start = {}, 0
    for token, length in zip(tokens_, lengths, strict=True):
        postings[token] = positions[start : start + length]
        start += length
    columns = IndexColumns(
        fact_tokens, fact_extra_tokens, row_texts, row_question, row_counts, fact_not_rows, fact_premises
    )
    return _with_derived(fact_ids, columns, postings, typo_targets, aliases, entities, part_words, word_parts)


class FactRows(Sequence[range]):
    """Fact -> the range of its rows (they follow each other), from one array of where each
    fact's rows start: a range object per fact cost 11 MB at 100,000 facts."""

    __slots__ = ("_starts",)

    def __init__(self, row_counts: Iterable[int]) -> None:
        self._starts = array("L", accumulate(row_counts, initial=0))

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, item: int) -> range: ...
    @overload
    def __getitem__(self, item: slice) -> tuple[range, ...]: ...
    def __getitem__(self, item: int | slice) -> range | tuple[range, ...]:
        if isinstance(item, slice):
            return tuple(self[i] for i in range(*item.indices(len(self))))
        if item < 0:
            item += len(self)
        if not 0 <= item < len(self):
            raise IndexError("fact position out of range")
        return range(self._starts[item], self._starts[item + 1])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FactRows) and self._starts == other._starts

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (FactRows, (array("L", [len(rows) for rows in self]),))



def _row_fact(fact_rows: FactRows) -> array:
    return array("i", [fact for fact, rows in enumerate(fact_rows) for _ in rows])


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
