"""Words that change which event is meant, like numbers do: "the visit after Laos" is
not "the first visit", so a fact no one asks with that word cannot answer it.

Not every such word orders events. "Last week", "next year" and "after all these
decades" say when the question is asked, or how long something has lasted; facts
state dates, never "last week", so reading those words as an order would veto every
fact (a relative date is for the date checks, not this one).
"""

from __future__ import annotations

import re

QUALIFIERS = frozenset("first last next after before previous earlier later second third latest".split())

_UNIT = r"(?:week|weekend|month|year|yr|decade|century|time|night|summer|winter|spring|autumn|fall)s?"
# A date relative to now ("last week", "past few years") or a span ("after all these decades").
_NOT_AN_ORDER = re.compile(
    rf"\b(?:last|next|past|previous)\s+(?:(?:few|couple|several|two|three|\d+)\s+(?:of\s+)?)?{_UNIT}\b"
    r"|\bafter all\b"
)


def ordering_text(folded: str) -> str:
    """The question with relative dates and spans blanked out, so that the qualifiers left
    in it are the ones that order events."""
    return _NOT_AN_ORDER.sub(" ", folded)
