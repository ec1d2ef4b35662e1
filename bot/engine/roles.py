"""Who is what to whom: the roles a text gives the countries it names.

Word overlap cannot tell "Lao institutions train Turkish diplomats" from "Turkish
institutions train Lao diplomats", nor "the country visited after Laos" from "Laos,
the first country visited": the same words, the same names, other roles. Here a text's
countries are read with the word each one qualifies ("Turkish institutions": Türkiye's
institutions), the ones an order word is relative to ("after Laos") and the ones
named only as a place ("students in Moscow", not "Moscow's ties"). `premises.py`
compares the question's roles with a fact's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..knowledge.entities import COUNTRY, OFFICE, PERSON, EntityTable, placed
from ..knowledge.normalize import STOPWORDS, stem

# Words that place an event relative to another ("after Laos", "before Vientiane did").
ORDER_WORDS = frozenset({"after", "before", "following", "preceding"})
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
# Words for what two countries share: "Turkey ties" asked from Laos's side are Laos's ties
# with Turkey, so the country before one of them owns nothing (stems).
_SHARED = frozenset({"tie", "relat", "relationship", "partnership", "cooper", "friendship", "link", "bond", "connect"})
# "For Laos, ties with Türkiye give access...": the country a thing is for (what's in it for
# it, what it means for it) is a role too. Asked "what's in it for Turkey", a fact that says
# what is in it for Laos has the roles swapped. Kept among `qualified` as (country, FOR).
FOR = "(for)"
_FOR_WORDS = frozenset({"for", "pour", "fur", "para", "per", "cho", "dla", "voor", "untuk", "bagi", "для"})
# "What does Türkiye get from it", "what Laos gains": the country that gets, gains or wants
# is the one it is for, as in "what's in it for Türkiye".
_GETS = re.compile(
    r"\s*(?:(?:actually|really|even|stand to|stands to|hope to|hopes to)\s+)?"
    r"(?:get|gets|got|gain|gains|gained|receive|receives|benefit|benefits|earn|earns|obtain|obtains|"
    r"want|wants|wanted|seek|seeks)\b"
)
# Postpositions that make the country before them what something is for: Turkish "Türkiye için".
_FOR_AFTER = re.compile(r"\s+icin\b")
_ARTICLES = frozenset({"the", "la", "le", "l", "el", "o", "a", "il", "lo", "den", "die", "der", "das"})


@dataclass(frozen=True)
class Roles:
    qualified: frozenset[tuple[str, str]]  # (country, the stem of the word or the office it qualifies)
    ordered: frozenset[tuple[str, str]]  # (order word, the entity it is relative to)
    actors: frozenset[str]  # countries named other than as a place: they act, own or are about
    # Of `qualified`, what a fact's answer and quotes say (a question's: all of it). A fact's
    # phrasings may read a word as a country's ("vietnam top foreign investor laos"), but
    # only what it says can give the word to another country.
    claimed: frozenset[tuple[str, str]]


def roles(table: EntityTable, folded: str) -> Roles:
    """The roles of the entities named in one folded text."""
    found = sorted(table.spellings.find(folded), key=lambda m: (m[1], -m[2]))
    spans: list[tuple[str, int, int]] = []
    for token, start, end in found:  # "Lao" inside "Lao People's Revolutionary Party" is the party
        if not any(s <= start and end <= e for _, s, e in spans):
            spans.append((token, start, end))
    starts = {start: token for token, start, _ in spans}
    paired = table.paired(folded, spans)
    qualified, ordered, actors = set(), set(), set()
    for token, start, end in spans:
        entity = table.country_of.get(token) or token
        before = folded[:start].split()[-1:]
        following = _NEXT_WORD.match(folded, end)
        # "before To Lam's trip" orders by the trip, which the name only qualifies.
        qualifies = following is not None and following.start(1) not in starts and following.group(1) not in STOPWORDS
        if before and before[0] in ORDER_WORDS and not qualifies:
            ordered.add((before[0], entity))
        gets = _GETS.match(folded, end) is not None or _FOR_AFTER.match(folded, end) is not None
        if (gets or _is_for(folded[:start].split()[-2:])) and table.kind_of[token] == COUNTRY:
            qualified.add((entity, FOR))
        if table.kind_of[token] != COUNTRY:
            continue
        if not placed(folded, start, end) or start in paired:
            actors.add(entity)
        # A capital before a word places it ("the Vientiane embassy" is Türkiye's, in Vientiane);
        # a pair of countries qualifies it together ("Vietnam–Laos trade" is neither's alone).
        if token in table.country_of or not following or start in paired:
            continue
        named_next = starts.get(following.start(1))
        if named_next is not None:
            if table.kind_of[named_next] == OFFICE:  # "Laos' foreign minister": Laos's office
                qualified.add((entity, named_next))
        elif following.group(1) not in STOPWORDS and stem(following.group(1)) not in _SHARED:
            qualified.add((entity, stem(following.group(1))))
    return Roles(frozenset(qualified), frozenset(ordered), frozenset(actors), frozenset(qualified))


# "who invited To Lam", "at whose invitation is To Lam visiting": a person a deed was done to.
# A fact asked "who invited To Lam" names Thongloun and an invitation, but does not say who
# invited Thongloun.
_WHO_DID = re.compile(r"\b(?:who (\w+)|whose (\w+)(?: (?:is|was|did|does|do|will|has|had))?) $")


def done_to(table: EntityTable, folded: str) -> frozenset[tuple[str, str]]:
    """(the deed's stem, the person it was done to) for each "who <deed> <person>" in the text."""
    pairs = set()
    for token, start, _ in table.spellings.find(folded):
        deed = _WHO_DID.search(folded[:start]) if table.kind_of.get(token) == PERSON else None
        if deed is not None:
            pairs.add((stem(deed.group(1) or deed.group(2)), token))
    return frozenset(pairs)


def done_to_another(question: frozenset[tuple[str, str]], fact: frozenset[tuple[str, str]]) -> bool:
    """The question asks who did a deed to one person, and the fact is asked who did it to another."""
    return any(
        (deed, done) not in fact and any(other == deed and person != done for other, person in fact)
        for deed, done in question
    )


def _is_for(before: list[str]) -> bool:
    """The words before a country make it what something is for: "for Laos", "pour la Turquie"."""
    if before and before[-1] in _ARTICLES:
        before = before[:-1]
    return bool(before) and before[-1] in _FOR_WORDS


def merged(parts: list[Roles]) -> Roles:
    return Roles(
        frozenset().union(*(p.qualified for p in parts)),
        frozenset().union(*(p.ordered for p in parts)),
        frozenset().union(*(p.actors for p in parts)),
        frozenset().union(*(p.claimed for p in parts)),
    )


def swapped(question: Roles, fact: Roles, named: frozenset[str]) -> bool:
    """The question gives a word to one country that the fact names but says the word is only
    another's ("Lao institutions" asked of a fact about Turkish institutions training Lao
    diplomats). `named`: every entity the fact names (another country is another check's)."""
    return any(
        country in named
        and (country, word) not in fact.qualified
        and any(c != country and w == word for c, w in fact.claimed)
        for country, word in question.qualified
    )


def benefit_swapped(question: Roles, fact: Roles, named: frozenset[str]) -> bool:
    """`swapped` for what a thing is for: asked what is in it for Türkiye, the fact says what
    is in it for Laos. It answers the mirror question."""
    asked_for = frozenset(pair for pair in question.qualified if pair[1] == FOR)
    return swapped(replace(question, qualified=asked_for), fact, named)


def reordered(question: Roles, fact: Roles) -> bool:
    """The question asks what came after (or before) an entity, and the fact never
    places anything relative to it that way."""
    return bool(question.ordered - fact.ordered)


def only_a_place(question: Roles, fact: Roles, named: frozenset[str]) -> bool:
    """The question makes a country an actor ("Moscow's ties") that the fact names, but
    only as where something is ("students in Moscow"). `named`: every entity the fact names."""
    return any(country in named and country not in fact.actors for country in question.actors)
