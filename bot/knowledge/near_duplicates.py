"""Phrasings of different facts that are almost the same: the engine cannot tell them apart.

Comparing every phrasing with every other took 334 s at 10,000 facts and hours
at 100,000. Two phrasings that are 90% the same share most of their words, so
they are only compared when a word is among the two rarest of both (blocking):
each block is small, and rapidfuzz's `process.cdist` compares it in C. A pair
whose two rarest words were both misspelled differently is not found; an exact
repeat is an error of the loader's instead, never left to this warning.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .loader import KnowledgeBase
from .normalize import fold

NEAR_DUPLICATE_SIMILARITY = 90.0
BLOCKING_WORDS = 2  # each phrasing is compared within the blocks of its rarest words
BLOCK_ROWS = 512  # a large block is compared this many rows at a time (bounded memory)


@dataclass(frozen=True)
class NearDuplicate:
    """Two facts asked almost the same way: the engine cannot tell them apart by phrasing."""

    fact_a: str
    question_a: str
    fact_b: str
    question_b: str
    similarity: float

    def __str__(self) -> str:
        return (
            f"warning: {self.fact_a}: phrasing {self.question_a!r} is almost the same as "
            f"{self.fact_b}: {self.question_b!r} ({self.similarity:.0f}%); make them differ or merge the facts"
        )


def near_duplicates(kb: KnowledgeBase, threshold: float = NEAR_DUPLICATE_SIMILARITY) -> list[NearDuplicate]:
    """Phrasings of different facts that are almost the same, in the order the files list them."""
    rows = [(fact.id, question, fold(question)) for fact in kb.facts for question in fact.questions]
    pairs: dict[tuple[int, int], float] = {}
    for block in _blocks([row[2] for row in rows]):
        texts = [rows[i][2] for i in block]
        for start in range(0, len(block), BLOCK_ROWS):
            scores = process.cdist(
                texts[start : start + BLOCK_ROWS], texts, scorer=fuzz.token_sort_ratio, score_cutoff=threshold
            )
            for a, b in zip(*scores.nonzero(), strict=True):
                i, j = block[start + int(a)], block[int(b)]
                if i < j and rows[i][0] != rows[j][0]:
                    pairs[(i, j)] = float(scores[a, b])
    return [
        NearDuplicate(rows[i][0], rows[i][1], rows[j][0], rows[j][1], score) for (i, j), score in sorted(pairs.items())
    ]


def _blocks(texts: list[str]) -> list[list[int]]:
    """Groups of phrasings (by position) sharing a word that is among the rarest of one of them."""
    frequency = Counter(word for text in texts for word in set(text.split()))
    blocks: dict[str, list[int]] = defaultdict(list)
    for position, text in enumerate(texts):
        rarest = sorted(set(text.split()), key=lambda word: (frequency[word], word))[:BLOCKING_WORDS]
        for word in rarest:
            blocks[word].append(position)
    return [block for block in blocks.values() if len(block) > 1]
