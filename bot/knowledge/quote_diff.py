"""Why a quote is not in its article, character by character.

A failed quote usually looks identical to the article: ' against ’, - against –,
a no-break hyphen. Showing the closest passage is not enough; the message has to
point at the characters that differ and say which ones the article uses.
"""

from __future__ import annotations

import difflib
import unicodedata

from .passages import squash

MAX_SHOWN = 4


def differences(quote: str, passage: str) -> str:
    """'' when there is nothing useful to say, else "; it differs at: ..." for the message."""
    typed, found = squash(quote), passage.rstrip("…")
    matcher = difflib.SequenceMatcher(None, typed, found, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    inner = [op for op in changes if 0 < op[1] < len(typed)] or changes
    if not inner or matcher.ratio() < 0.8:
        return ""  # not the same text with a few characters changed: the passage says enough
    shown = [_describe(typed, found, op) for op in inner[:MAX_SHOWN]]
    more = f" and {len(inner) - MAX_SHOWN} more" if len(inner) > MAX_SHOWN else ""
    return "; it differs at: " + ", ".join(shown) + more + " (copy the article's characters)"


def _describe(typed: str, found: str, opcode: tuple[str, int, int, int, int]) -> str:
    _tag, i1, i2, j1, j2 = opcode
    yours, theirs = typed[i1:i2], found[j1:j2]
    word_start = found.rfind(" ", 0, j1) + 1
    word_end = found.find(" ", j2)
    word = found[word_start : word_end if word_end != -1 else len(found)]
    return f"{_chars(yours)} where the article has {_chars(theirs)} in «{word}»"


def _chars(text: str) -> str:
    if not text:
        return "nothing"
    return " ".join(f"{c!r} ({unicodedata.name(c, f'U+{ord(c):04X}').lower()})" for c in text[:3])
