"""Text from outside (arguments, standard input, a terminal) made safe to process and print.

Standard input may hold bytes that are not UTF-8, and arguments decoded by
Python may carry lone surrogates for such bytes; printed back, they give output
a strict UTF-8 (or JSON) reader refuses. Undecodable bytes become U+FFFD here,
and every JSON line is written as UTF-8 bytes, one object per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

# JSON allows these inside strings, but str.splitlines() and some readers break lines at them.
_LINE_BREAKS = ("\u0085", "\u2028", "\u2029")


def readable(text: str) -> str:
    """`text` with lone surrogates (undecodable bytes) replaced by U+FFFD, one per byte."""
    try:
        raw = text.encode("utf-8", "surrogateescape")  # how Python decodes arguments
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def stdin_lines(stream: TextIO) -> Iterator[str]:
    """One question per line (split at \\n only), undecodable bytes replaced."""
    raw: BinaryIO | None = getattr(stream, "buffer", None)
    if raw is None:  # an in-memory text stream (tests)
        lines: Iterator[str] = (readable(line) for line in stream)
    else:
        lines = (line.decode("utf-8", "replace") for line in raw)
    for line in lines:
        yield line.rstrip("\r\n")


def json_line(data: Any, stream: TextIO) -> None:
    """Write `data` as one line of UTF-8 JSON, whatever the terminal's encoding."""
    line = json.dumps(data, ensure_ascii=False)
    for character in _LINE_BREAKS:
        line = line.replace(character, f"\\u{ord(character):04x}")
    stream.flush()
    raw: BinaryIO | None = getattr(stream, "buffer", None)
    if raw is None:
        stream.write(line + "\n")
    else:
        raw.write(line.encode("utf-8", "replace") + b"\n")
        raw.flush()
