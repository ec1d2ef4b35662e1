"""What a "how much" or "how many" question counts, which the fact must speak of.

"How much did Laos export to Vietnam in 2025?" shares Laos, Vietnam and 2025 with the
fact about bilateral trade, and that fact gives an amount; but it counts exports, a
word it never uses. The first word after "how much/many" that is not a name is what
is counted ("how many ASEAN states": states), and a fact that does not hold it
measures something else.

"Who" asks for a person by what they did or are: "who invited Thongloun to Vietnam" needs a
fact that tells of an invitation, and a photo of his welcome there, which names him and the
people around him, cannot say who invited him. The first word after "who" that is neither a
name nor a word any answer about a person gives ("the lao head of state", "the guy") is the
deed, and the fact must hold it.

"Which" works the same way: "which Turkish university" picks one university, and a
fact that speaks only of "Turkish institutions" cannot name it. The first word after
"which" that is not a name is the kind picked, and the fact must hold it; of two such
words before a verb, the second ("which construction companies are": companies). "Which
of ..." picks among things the question names itself. "What" before a noun and a verb picks
too ("what agreements did he sign").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..knowledge.normalize import is_dictionary_word, stem
from .answer_type import AUXILIARIES, asks_how_much
from .lexical import Term

_HOW_MUCH = re.compile(r"\bhow (?:much|many)\b")
# Verbs that say nothing of what is counted: "how much has Vietnam put into Laos" counts
# what comes after them ("exported", "invested" do say it).
_LIGHT_VERBS = frozenset(
    stem(w)
    for w in "put get got give gave given make made take took taken bring brought send sent extend extended".split()
)
# Money in general: "how much vietnamese money" counts an amount, which the answer type
# checks; what the money is (capital, trade, aid) the question does not say.
_ANY_MONEY = frozenset(stem(w) for w in "money cash dollars usd funds funding".split())


def measured_word(folded: str, terms_of: Callable[[str], Sequence[Term]], names: frozenset[str]) -> str | None:
    """The counted word's token, or None when the question counts nothing named.
    `terms_of`: the question's weighted words of a text; `names`: the tokens of entities."""
    found = _HOW_MUCH.search(folded)
    if found is None or not asks_how_much(folded):
        return None
    counted = (t.token for t in terms_of(folded[found.end() :]) if t.token not in names and t.token not in _LIGHT_VERBS)
    word = next(counted, None)
    return None if word in _ANY_MONEY else word


# "which" asks to pick at the start of a question or after a preposition ("in which year");
# after a noun it is a relative pronoun ("the embassy which opened"), which picks nothing.
_WHICH = re.compile(
    r"(?:^|\b(?:in|at|on|from|to|for|with|by|and|but|so|ok|ngl|tbh|lol|btw|then|also|wait)\s)which\s+(?!of\b|one\b)"
)
# "What" before a noun and its verb picks the same way: "what agreements did he sign" asks for
# agreements, which a fact about his visit does not hold.
_WHAT_KIND = re.compile(
    r"(?:^|\b(?:and|but|so|ok|then|also|wait)\s)what\s+(?=[a-z]+\s+(?:did|does|do|is|are|was|were|will|has|have|had)\s)"
)
# Words that stress the pick ("which specific dam", "what even is"), not what is picked.
_PICKING = frozenset(
    "specific particular exact exactly actual actually precise precisely individual single even really else".split()
)
# Kinds any fact of the right answer type can give, or any fact naming an entity of that
# type (a year, a country, a capital, a person...); and kinds a fact describes in words rather
# than names ("which sectors", "what role": energy, an interlocutor).
_GENERIC_KINDS = frozenset(
    "year years date day days month months time times country countries nation nations capital capitals city "
    "cities place places person people organisation organisations organization organizations one ones way ways "
    "kind kinds type types sort part parts side sides thing things partner partners member members leader leaders "
    "official officials yr yrs role roles sector sectors area areas field fields industry industries "
    "body bodies".split()
)


def chosen_kind(
    folded: str, terms_of: Callable[[str], Sequence[Term]], names: frozenset[str], name_words: frozenset[str]
) -> str | None:
    """The token naming what a "which" (or "what <noun> <verb>") question picks. A kind the knowledge never speaks of
    ("which company", where no fact names a company) is still returned: no fact can name one.
    `name_words`: the words of multi-word names ("park" in "Friendship Park"), which the
    knowledge does use though no fact holds them as words of their own: those are left unchecked."""
    found = _WHICH.search(folded) or _WHAT_KIND.search(folded)
    if found is None:
        return None
    words = folded[found.end() :].split()[:4]
    for at, word in enumerate(words[:3]):
        if word in _PICKING:
            continue
        terms = terms_of(word)
        if word in _GENERIC_KINDS or not terms:
            return None  # a kind any answer gives, or a verb ("which came first"): nothing picked
        if next((t for t in terms if t.token not in names), None) is None:
            continue
        # Read with the words after it: "top" of "top diplomat" is the foreign minister's, and
        # "friendship" of "Friendship Park" a name's (left unchecked, as its words are).
        kind = next((t for t in terms_of(" ".join(words[at:])) if t.token not in names), None)
        if kind is None or (not kind.known and word in name_words):
            return None
        after = words[at + 1 : at + 2]
        if after and after[0] in _GENERIC_KINDS and len(terms_of(f"{word} {after[0]}")) == 2:
            # "which economic sectors": a kind of sector, which any sector answer gives (a
            # name or term of two words, "dialogue partner", is no kind of partner).
            return None
        return _head(words[at:], terms_of, names) or kind.token
    return None


def _head(words: list[str], terms_of: Callable[[str], Sequence[Term]], names: frozenset[str]) -> str | None:
    """Of two words naming the kind before a verb ("which construction companies are", "which
    hydropower dam is"), the second: what is picked is companies, not construction."""
    if len(words) < 3 or words[2] not in AUXILIARIES or words[1] in _GENERIC_KINDS:
        return None
    first, second = terms_of(words[0]), terms_of(words[1])
    if len(first) != 1 or len(second) != 1 or second[0].token in names or first[0].token == second[0].token:
        return None
    together = terms_of(" ".join(words[:2]))
    return second[0].token if len(together) == 2 else None  # one term: a name or a phrase ("top diplomat")


# "who" opening the question, after any chat ("ok so who..."); "whom" and chat's "whos" too;
# "whose" asks the same of what follows it ("at whose invitation did he go").
_WHO = re.compile(
    r"^(?:(?:and|but|so|ok|okay|then|also|wait|btw|lol|yo|hey)\s+)*(?:(?:at|on|by|upon)\s+)?(?:who|whom|whos|whose)\s+"
)
# Words between "who" and the deed that say nothing of it: "who was the first to", "who
# actually invited".
_BEFORE_THE_DEED = AUXILIARIES | frozenset(
    "the a an s exactly actually really even first 1st earlier later last next".split()
)
# Words any fact about a person answers by ("who is the lao head of state", "who's the VN boss").
_ANY_PERSON = _GENERIC_KINDS | frozenset("guy guys man woman someone boss bosses chief chiefs head heads".split())


def done_word(folded: str, terms_of: Callable[[str], Sequence[Term]], names: frozenset[str]) -> str | None:
    """The token of what a "who" question asks the person to have done or be, or None when it
    asks only who someone named is. A typo or foreign word is passed over: no fact holds it
    as written, and it may be no deed at all."""
    found = _WHO.search(folded)
    if found is None:
        return None
    words = folded[found.end() :].split()[:6]
    for at, word in enumerate(words[:5]):
        if word in _BEFORE_THE_DEED:
            continue
        if word in _ANY_PERSON:
            return None
        deed = next(iter(terms_of(" ".join(words[at:]))), None)  # read with what follows: names span words
        if deed is None or deed.token in names or deed.token in _LIGHT_VERBS or not terms_of(word):
            continue
        if deed.known or is_dictionary_word(word):
            return deed.token
    return None
