"""Comparisons of two subjects: one question asked of each ("what's Laos' standing in ASEAN
compared with Türkiye's", "what provides the legal footing in the Türkiye–Laos relationship
and in the Vietnam–Laos one").

The second subject comes with no words of its own: it borrows the question's. Each fact
alone fails the premise checks (the question names both subjects) and the words of the
question are all held by the first, so `two_facts.join` finds no half left for a second
fact. Here the question is asked twice, once of each subject (the second by putting its
name where the first's stands), and the two answers are paired:

- the anchor is the likelier of the two questions' best facts passing every check of its
  own question (at least `join_threshold`);
- its counterpart, for the other subject, passes every check of that subject's question and
  holds most (`join_residual_cover`) of the words that made the anchor an answer, its
  subjects' names aside: it answers the same thing of the other subject. It is looked for
  among every fact sharing those words, not only the whole question's shortlist, which the
  anchor's subject fills. Where a contrast group ("full" vs "sectoral" partner) is said by
  the anchor, a counterpart saying another word of it is the parallel answer and preferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..knowledge.entities import COUNTRY, ORGANISATION, PERSON
from ..knowledge.normalize import fold, tokens
from .decision import Scored
from .features import Candidate
from .index import SearchIndex
from .lexical import LexicalMatcher
from .premises import failed_checks
from .reading import Reading
from .settings import EngineSettings
from .two_facts import Joined

# Where the second subject is brought in with no question of its own.
_COMPARED = re.compile(
    r"\b(?:compared (?:with|to)|in comparison (?:with|to)|as opposed to|versus|vs|or|"
    r"and (?:what|how) about|and (?:in|for|with|of)(?: the)?)(?= )"
)
# "compare A with B": the two subjects' phrases, each a question of its own.
_COMPARE_WITH = (
    re.compile(r"\bcompare (?P<head>[^,;?!]+?) (?:vs|versus) (?P<tail>[^,;?!]+)"),
    re.compile(r"\bcompare (?P<head>[^,;?!]+?) (?:with|w|to|and|against) (?P<tail>[^,;?!]+)"),
)
# What follows the second subject once it is named: the comparison's own question ("..., which
# one is bigger", "? both pls"), asked of the two answers, not of either subject.
_CLAUSE_END = re.compile(r"[,;?!]")
# A tail asking a question of its own is a second question (`two_facts.join`), not a comparison.
_ASKS = re.compile(r"\b(what|which|who|whom|whose|how|when|where|why)\b")
_SUBJECT_KINDS = (COUNTRY, PERSON, ORGANISATION)


class Lookup(Protocol):
    """What a comparison needs of the engine: reading and ranking a question of its own."""

    index: SearchIndex
    lexical: LexicalMatcher

    def read(self, question: str) -> Reading: ...

    def scored(self, question: str | Reading) -> list[Scored]: ...


@dataclass(frozen=True)
class _Side:
    reading: Reading
    ranked: list[Scored]


def compared(question: str, lookup: Lookup, settings: EngineSettings) -> Joined | None:
    """Two facts, one for each subject of a comparison, or None when it is none."""
    asked = _questions(question, lookup.index)
    if asked is None:
        return None
    sides, names = asked
    found = [_Side(reading, lookup.scored(reading)) for reading in map(lookup.read, sides)]
    best = [next((s for s in side.ranked if not s.candidate.failed), None) for side in found]
    anchors = [(item, number) for number, item in enumerate(best) if item is not None]
    if not anchors:
        return None
    anchor, number = max(anchors, key=lambda pair: pair[0].probability)
    if anchor.probability < settings.join_threshold:
        return None
    counterpart = _counterpart(anchor, found[number], found[1 - number], names, lookup, settings)
    if counterpart is None:
        return None
    return Joined((anchor, counterpart) if number == 0 else (counterpart, anchor), "")


def _questions(question: str, index: SearchIndex) -> tuple[tuple[str, str], frozenset[str]] | None:
    """The question asked of its first subject, and of its second: the head with the
    second's name put where the first's stands; and the words of the two names. None unless
    each side names one subject of one kind the other does not."""
    sides = _sides(question.lower())
    if sides is None:
        return None
    head, tail = map(fold, sides)
    if not head or not tail or _ASKS.search(tail):
        return None
    mentioned = [_mentions(part, index) for part in (head, tail)]
    kinds = index.entities.kind_of
    pairs = []
    for kind in _SUBJECT_KINDS:
        own, other = (
            [(token, span) for token, span in side.items() if token not in across and kinds[token] == kind]
            for side, across in ((mentioned[0], mentioned[1]), (mentioned[1], mentioned[0]))
        )
        own = _next_to_cue(own, head) if len(own) > 1 and len(other) == 1 else own
        if len(own) == 1 and len(other) == 1:
            pairs.append((own[0], other[0]))
    if len(pairs) != 1:
        return None
    (_, (start, end)), (_, (t_start, t_end)) = pairs[0]
    said = set(tokens(tail, index.aliases)) - set(tokens(head, index.aliases))
    if said - set(tokens(tail[t_start:t_end], index.aliases)):
        return None  # the second side says something of its own ("which university or academy trains ...")
    names = frozenset(tokens(f"{head[start:end]} {tail[t_start:t_end]}", index.aliases))
    return (head, f"{head[:start]}{tail[t_start:t_end]}{head[end:]}"), names


def _next_to_cue(own: list[tuple[str, tuple[int, int]]], head: str) -> list[tuple[str, tuple[int, int]]]:
    """Of two subjects of a kind before the cue, the one ending right at it is compared ("whose
    trade with Laos is bigger, Türkiye's | or Vietnam's"); otherwise which one is unclear."""
    last = max(own, key=lambda item: item[1][1])
    return [last] if last[1][1] >= len(head.rstrip()) - len(" s") else own


def _sides(question: str) -> tuple[str, str] | None:
    """The question up to the second subject, and what names the second subject (before
    folding, which drops the commas ending it)."""
    for pattern in _COMPARE_WITH:
        compare = pattern.search(question)
        if compare is not None:
            return compare["head"], compare["tail"]
    cue = _COMPARED.search(question)
    if cue is None:
        return None
    return question[: cue.start()], _CLAUSE_END.split(question[cue.end() :])[0]


def _mentions(folded: str, index: SearchIndex) -> dict[str, tuple[int, int]]:
    table = index.entities
    found = {}
    for token, start, end in table.spellings.find(folded):
        entity = table.country_of.get(token) or token
        if table.kind_of.get(token) in _SUBJECT_KINDS:
            found.setdefault(entity, (start, end))
    return found


def _counterpart(
    anchor: Scored, own: _Side, other: _Side, names: frozenset[str], lookup: Lookup, settings: EngineSettings
) -> Scored | None:
    """The other subject's fact answering what the anchor answered (`names`: the words of the
    two subjects' names, which tell whom it is asked of, not what)."""
    weights = {t.token: t.weight for t in own.reading.terms if t.known}
    asked = (anchor.candidate.lexical.matched & set(weights)) - names
    total = sum(weights[t] for t in asked)
    if not total:
        return None
    index = lookup.index
    contrasts = {group for group, _ in index.fact_premises[anchor.candidate.position].contrasts}
    scored = {item.candidate.position: item for item in other.ranked}
    options = []
    for match in lookup.lexical.rank(list(other.reading.terms)):
        if match.position == anchor.candidate.position:
            continue
        fact = index.fact_premises[match.position]
        cover = sum(weights[t] for t in asked & match.matched) / total
        if cover < settings.join_residual_cover or failed_checks(other.reading.premises, fact):
            continue
        parallel = any(group in contrasts for group, _ in fact.contrasts)
        options.append((parallel, cover, match.score, match))
    if not options:
        return None
    *_, match = max(options, key=lambda option: option[:3])
    known = scored.get(match.position)
    if known is not None:
        return known if not known.candidate.failed else None
    return Scored(Candidate(match.position, match, (), ()), 0.0)
