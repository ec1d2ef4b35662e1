"""Many short strings kept as a few long ones: the index's rows and tokens at 100,000 facts.

A Python string costs about 50 bytes before its first character, and the index
holds over half a million short ones (folded rows, token lists, ids): that
overhead was a third of a warm bot's memory. Here they are packed in chunks of a
few thousand, each one string and an array of where each ends. An edit of one
fact file repacks only the chunks it touches; the others are shared with the
index before the edit (a reload at 100,000 facts copied 23 MB of text otherwise).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice
from typing import overload

CHUNK = 4096  # strings per chunk


class _Chunk:
    """Up to CHUNK strings as one."""

    __slots__ = ("ends", "text")

    def __init__(self, strings: list[str]) -> None:
        self.text = "".join(strings)
        self.ends = array("L", accumulate(map(len, strings)))

    def __len__(self) -> int:
        return len(self.ends)

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self.ends:
            yield self.text[start:end]
            start = end

    def __reduce__(self) -> tuple:
        return (_chunk, (self.text, self.ends))


def _chunk(text: str, ends: array) -> _Chunk:
    chunk = _Chunk.__new__(_Chunk)
    chunk.text, chunk.ends = text, ends
    return chunk


class PackedStrings(Sequence[str]):
    """An immutable sequence of strings, stored in a few long ones."""

    __slots__ = ("_chunks", "_size", "_starts")

    def __init__(self, strings: Iterable[str] = ()) -> None:
        self._set(_chunked(iter(strings)))

    def _set(self, chunks: list[_Chunk]) -> None:
        self._chunks = tuple(chunks)
        self._starts = array("L", accumulate((len(c) for c in chunks[:-1]), initial=0)) if chunks else array("L")
        self._size = sum(map(len, chunks))

    def __reduce__(self) -> tuple:
        return (_packed_from_chunks, (self._chunks,))

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, item: int) -> str: ...
    @overload
    def __getitem__(self, item: slice) -> tuple[str, ...]: ...
    def __getitem__(self, item: int | slice) -> str | tuple[str, ...]:
        if isinstance(item, slice):
            return tuple(self[i] for i in range(*item.indices(self._size)))
        if item < 0:
            item += self._size
        if not 0 <= item < self._size:
            raise IndexError("PackedStrings index out of range")
        number = bisect.bisect_right(self._starts, item) - 1  # read on every question: kept inline
        local, chunk = item - self._starts[number], self._chunks[number]
        return chunk.text[chunk.ends[local - 1] if local else 0 : chunk.ends[local]]

    def __iter__(self) -> Iterator[str]:
        for chunk in self._chunks:
            yield from chunk

    def spliced(self, replaced: range, strings: Iterable[str]) -> PackedStrings:
        """A copy with the strings at positions `replaced` replaced by `strings`: only the
        chunks that hold them are packed again, the others are shared."""
        first = bisect.bisect_right(self._starts, replaced.start) - 1 if self._chunks else 0
        last = bisect.bisect_right(self._starts, max(replaced.stop - 1, replaced.start)) if self._chunks else 0
        first, last = max(first, 0), max(last, first)
        offset = self._starts[first] if self._chunks else 0
        touched = [s for chunk in self._chunks[first:last] for s in chunk]
        middle = touched[: replaced.start - offset] + list(strings) + touched[replaced.stop - offset :]
        return _packed_from_chunks((*self._chunks[:first], *_chunked(iter(middle)), *self._chunks[last:]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedStrings({len(self)} strings)"


def _chunked(strings: Iterator[str]) -> list[_Chunk]:
    chunks = []
    while piece := list(islice(strings, CHUNK)):
        chunks.append(_Chunk(piece))
    return chunks


def _packed_from_chunks(chunks: tuple[_Chunk, ...]) -> PackedStrings:
    packed = PackedStrings.__new__(PackedStrings)
    packed._set(list(chunks))
    return packed


def packed(strings: Sequence[str]) -> PackedStrings:
    return strings if isinstance(strings, PackedStrings) else PackedStrings(strings)
