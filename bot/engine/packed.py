"""Many short strings kept as one: the index's rows and tokens at 100,000 facts.

A Python string costs about 50 bytes before its first character, and the index
holds over half a million short ones (folded rows, token lists, ids): that
overhead was a third of a warm bot's memory. Here they are one string and an
array of where each ends; reading one slices it out.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import overload


class PackedStrings(Sequence[str]):
    """An immutable sequence of strings, stored as one."""

    __slots__ = ("_ends", "_text")

    def __init__(self, strings: Iterable[str] = ()) -> None:
        strings = list(strings)
        self._text = "".join(strings)
        self._ends = array("L", accumulate(map(len, strings)))

    @classmethod
    def _from_parts(cls, text: str, ends: array) -> PackedStrings:
        packed = cls.__new__(cls)
        packed._text, packed._ends = text, ends
        return packed

    def __reduce__(self) -> tuple:
        return (PackedStrings._from_parts, (self._text, self._ends))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, item: int) -> str: ...
    @overload
    def __getitem__(self, item: slice) -> tuple[str, ...]: ...
    def __getitem__(self, item: int | slice) -> str | tuple[str, ...]:
        if isinstance(item, slice):
            return tuple(self[i] for i in range(*item.indices(len(self))))
        if item < 0:
            item += len(self._ends)
        end = self._ends[item]  # raises IndexError past the end, as a sequence must
        return self._text[self._ends[item - 1] if item else 0 : end]

    def spliced(self, replaced: range, strings: Iterable[str]) -> PackedStrings:
        """A copy with the strings at positions `replaced` replaced by `strings` (an edit of
        one file of a hundred: the rest is copied as a whole, not string by string)."""
        strings = list(strings)
        start = self._ends[replaced.start - 1] if replaced.start else 0
        stop = self._ends[replaced.stop - 1] if replaced.stop else 0
        middle = "".join(strings)
        shift = start + len(middle) - stop
        ends = self._ends[: replaced.start]
        ends.extend(accumulate(map(len, strings), initial=start))
        ends.pop(replaced.start)  # the `initial` value itself
        tail = self._ends[replaced.stop :]
        ends.extend(tail if shift == 0 else array("L", [end + shift for end in tail]))
        return PackedStrings._from_parts(self._text[:start] + middle + self._text[stop:], ends)

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._text[start:end]
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedStrings):
            return self._ends == other._ends and self._text == other._text
        return isinstance(other, Sequence) and not isinstance(other, str) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedStrings({len(self)} strings)"


def packed(strings: Sequence[str]) -> PackedStrings:
    return strings if isinstance(strings, PackedStrings) else PackedStrings(strings)
