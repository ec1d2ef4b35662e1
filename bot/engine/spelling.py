"""Misspelt names mended before aliases see them.

Aliases replace exact spellings, and typos are corrected word by word after them,
so "to lamm" or "freindship park" never became To Lam or Friendship Park: "to" is a
stopword, "lamm" alone is close to nothing, and "freindship" alone mends to
"friendship" but loses the park. Here each run of the question's words is compared,
as a whole, with the multi-word spellings the aliases know, before anything else.

Only words that may be typos change: a word the knowledge uses, or that everyday
English knows well, is taken as meant ("to lao" never becomes "to lam"), and like
single-word corrections, a mended word keeps its first letter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..knowledge.normalize import is_dictionary_word, may_be_misspelt

MIN_NAME_LETTERS = 5  # a shorter name is too close to too many words ("lao", "lam")
SINGLE_NAME_SIMILARITY = 88.0  # one word has no other words to confirm it: "turky", "vientaine"


@dataclass(frozen=True)
class NameMender:
    spellings: dict[int, tuple[str, ...]]  # word count -> folded multi-word spellings
    known: Collection[str]  # the words the knowledge and its aliases use, as written
    min_similarity: float

    @classmethod
    def build(
        cls, spellings: Iterable[str], known: Collection[str], min_similarity: float, names: Iterable[str] = ()
    ) -> NameMender:
        """`names`: the spellings of entities, mended even as single words ("turkye" is
        Türkiye): premise checks find entities by their spellings, before any later
        correction of words could help them."""
        by_length: dict[int, list[str]] = defaultdict(list)
        for spelling in spellings:
            count = len(spelling.split())
            if count >= 2 and spelling.replace(" ", "").isalpha():
                by_length[count].append(spelling)
        by_length[1] += [name for name in names if name.isalpha() and len(name) >= MIN_NAME_LETTERS]
        return cls({n: tuple(sorted(set(group))) for n, group in by_length.items() if group}, known, min_similarity)

    def mend(self, folded: str, accented: frozenset[str] = frozenset()) -> str:
        """`folded` with each misspelt multi-word name spelled as the aliases spell it
        (`accented`: words written in another language on purpose, never typos)."""
        words = folded.split()
        mended: list[str] = []
        at = 0
        while at < len(words):
            name = self._name_at(words, at, accented)
            mended.append(name or words[at])
            at += len(name.split()) if name else 1
        return " ".join(mended)

    def _name_at(self, words: list[str], at: int, accented: frozenset[str]) -> str | None:
        for count in sorted(self.spellings, reverse=True):
            window = words[at : at + count]
            if len(window) < count or not any(self._may_be_typo(w, accented) for w in window):
                continue
            if count == 1 and is_dictionary_word(window[0]):
                continue  # a word alone is a name only when no dictionary knows it ("italic" is no "Italie")
            cutoff = self.min_similarity if count > 1 else SINGLE_NAME_SIMILARITY
            match = process.extractOne(" ".join(window), self.spellings[count], scorer=fuzz.ratio, score_cutoff=cutoff)
            meant = match[0].split() if match else []
            if match and all(self._mends(w, m, accented) for w, m in zip(window, meant, strict=True)):
                return match[0]
        return None

    def _may_be_typo(self, word: str, accented: frozenset[str]) -> bool:
        return word not in self.known and word not in accented and may_be_misspelt(word)

    def _mends(self, word: str, meant: str, accented: frozenset[str]) -> bool:
        return word == meant or (self._may_be_typo(word, accented) and word[0] == meant[0])
