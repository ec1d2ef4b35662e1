"""Words that change which event is meant, like numbers do: "the visit after Laos" is
not "the first visit", so a fact no one asks with that word cannot answer it.

Not every such word orders events. "Last week", "next year" and "after all these
decades" say when the question is asked, or how long something has lasted; facts
state dates, never "last week", so reading those words as an order would veto every
fact (whether a thing dated "last week" has happened yet is the premise check "not yet").
Ordinals stay orders even before a unit: "his first year" is one year among others.
An order word closing a question is an adverb ("what pops into their heads first", "what
will they map out after that"): it orders nothing the question names.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..knowledge.normalize import stem
from .lexical import Term

QUALIFIERS = frozenset("first last next after before previous earlier later second third latest".split())
_ORDINALS = frozenset({"first", "second", "third", "latest"})
_UNITS = frozenset(stem(w) for w in "day week weekend month year yr decade century night summer winter".split())
_CLOSING_ADVERBS = frozenset({"first", "last", "after", "before", "later", "earlier"})
# "In the first place", "at first glance", "at first sight": idioms that order nothing.
_IDIOMS_AFTER_FIRST = frozenset(stem(w) for w in "place glance sight".split())
_COUNTS = frozenset(stem(w) for w in "few couple several two three four five many".split())


def ordering_words(terms: Sequence[Term]) -> frozenset[str]:
    """The question's qualifiers that order events, given its weighted words in order."""
    tokens = [t.token for t in terms]
    found = set()
    for at, token in enumerate(tokens):
        if token not in QUALIFIERS or (at == len(tokens) - 1 and token in _CLOSING_ADVERBS):
            continue
        if token == "first" and tokens[at + 1 : at + 2] and tokens[at + 1] in _IDIOMS_AFTER_FIRST:
            continue
        following = [t for t in tokens[at + 1 : at + 3] if t not in _COUNTS and not t.isdigit()][:1]
        if token in _ORDINALS or not following or following[0] not in _UNITS:
            found.add(token)
    return frozenset(found)
