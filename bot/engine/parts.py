"""Two questions in one message ("when is To Lam heading to Laos | and who invited him?").

Read as one question, its words are spread over two facts and neither explains them
well enough to answer. Read apart, each part is an ordinary question: the message is
answered with two facts when each part, asked alone, is answered by a fact of its own
(each part's premise checks are its own: the whole message names both parts' subjects).
Two events to order ("which came first, A or B"), two things listed after a question
("…, both A and B") and the two sides of "how does A compare to B" are parts too.

A part that names nothing ("| and who invited him") is read with the names the other
part gives: its pronouns point there. When the other part asks "what/which KIND", its
"they" are that kind ("what docs will they sign | what are they meant to do": the docs).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..knowledge.entities import EntityTable
from ..knowledge.normalize import STOPWORDS, fold
from .decision import Decision, Scored, decide
from .parallel import Lookup
from .question_split import SECOND_STARTS
from .settings import EngineSettings
from .two_facts import Joined, asks_for_two, linked

_MIN_WORDS = 3  # "who invited him": shorter pieces are chat ("or nah", "why?")
_QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())
# A question about two events' times: which came first, how far apart, whether the same year.
_ORDER_OR_SPAN = re.compile(
    r"\b(?:which (?:one )?(?:came|happened|was) first|which first|came first|happened first|"
    r"how many (?:years|yrs|yr)(?: apart| later| after| before| between)?|(?:years|yrs) (?:between|apart)|"
    r"how long (?:between|after|before)|before or after|(?:in )?(?:the )?same (?:year|yr|time|month))\b",
    re.IGNORECASE,
)
# What stands between the two events, strongest first: "A or B", "A vs B", "A and B" ("To Lam
# and Thongloun agreeing" is one event when an "or" splits the two), "after A did B".
_BETWEEN_EVENTS = (
    re.compile(r"\s+or\s+", re.IGNORECASE),
    re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE),
    re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE),
    re.compile(r"\s+(?=(?:did|does|was|were|had)\s)", re.IGNORECASE),  # "how many years after A did B"
)
_CLAUSE_END = re.compile(r"[,;:?!]")
# "what docs will they sign | and what are they meant to achieve": the second part's "they"
# are the kind of thing the first asks for, not the people it names.
_KIND_ASKED = re.compile(r"^(?:what|which|wat|wich)\s+(?P<kind>[^\W\d_]+)\b")
_THEY = re.compile(r"\b(?:they|them|those|these)\b")
# Two things listed at the end of a question, after a comma, colon or dash: "..., both the
# park thing and the agreement", "...: the sectors AND the aid projects (explain both)".
_LISTED = re.compile(
    r"(?:[,:;]|\s[-—–])\s*(?:both |like |namely |i\.e\.? |e\.g\.? )?(?P<first>[^,;:?!]+?)\s+(?:and|&|\+)\s+"
    r"(?P<second>[^,;:?!]+?)\s*(?:[,;:.]?\s*(?:explain|give me|tell me|say)? ?both\b)?[\s?!.]*$",
    re.IGNORECASE,
)


def in_parts(asked: str, lookup: Lookup, settings: EngineSettings) -> Joined | None:
    """Two facts for two questions in one message (`asked`: its asking part), each part
    decided alone: the likelier as surely as any answer, the other as surely as a joined
    fact (`join_threshold`). None when the message asks one thing or a part finds no fact."""
    entities = lookup.index.entities
    parts = (
        event_parts(asked, entities)
        or compared_parts(asked, entities)
        or question_parts(asked, entities)
        or (listed_parts(asked, entities) if asks_for_two(asked) else None)
    )
    if parts is None:
        return None
    lenient = replace(settings, answer_threshold=settings.join_threshold)
    ranked = [lookup.scored(part) for part in parts]
    chosen = [_chosen(decide(r, lenient)) for r in ranked]
    if chosen[0] is not None and chosen[1] is not None and chosen[0].candidate.position == chosen[1].candidate.position:
        # Two questions are not asked of one fact: the part it fits less asks for another,
        # unless no other fact answers that part and one answers the other as surely as any
        # answer ("what kind of visit is it, and is it his first of the term").
        taken = chosen[0].candidate.position
        others = [_chosen(decide([s for s in r if s.candidate.position != taken], lenient)) for r in ranked]
        weaker = 0 if chosen[0].probability < chosen[1].probability else 1
        stronger_other = others[1 - weaker]
        if others[weaker] is None and stronger_other and stronger_other.probability >= settings.answer_threshold:
            weaker = 1 - weaker
        chosen[weaker] = others[weaker]
    if chosen[0] is None or chosen[1] is None:
        return None
    if max(item.probability for item in chosen) < settings.answer_threshold:
        return None
    return linked(fold(asked), chosen[0], chosen[1], lookup.index)


# "how does A compare to B", "how do A stack up against B": each side is asked about alone.
_COMPARED = re.compile(
    r"\bhow(?:'s|s)? (?:does|do|did|is|are|was|were)?\s*(?P<first>[^,;:?!]+?)\s+"
    r"(?:compare|stack up|measure up)s?\s+(?:to|with|against)\s+(?P<second>[^,;:?!]+)",
    re.IGNORECASE,
)


def compared_parts(asked: str, entities: EntityTable) -> tuple[str, ...] | None:
    """The two sides of a comparison ("how does Laos' trade with Vietnam compare to its trade
    with Türkiye"), each asked alone; None when the message compares nothing this way."""
    compared = _COMPARED.search(asked)
    if compared is None or min(len(compared[side].split()) for side in ("first", "second")) < 2:
        return None
    return _with_names((compared["first"], compared["second"]), entities)


def _chosen(decision: Decision) -> Scored | None:
    return decision.chosen if decision.status == "answered" else None


def question_parts(asked: str, entities: EntityTable) -> tuple[str, ...] | None:
    """The message's questions, each with the names it leans on; None when it asks one thing."""
    pieces = [piece.strip(" ,;?!.") for piece in SECOND_STARTS.split(asked)]
    pieces = [piece for piece in pieces if len(piece.split()) >= _MIN_WORDS or _short_question(piece)]
    if len(pieces) != 2:
        return None
    return _with_names((pieces[0], pieces[1]), entities)


def listed_parts(asked: str, entities: EntityTable) -> tuple[str, ...] | None:
    """For a question listing the two things it asks about after it ("what did they get done
    in december, both the park thing and the agreement"; "what is Türkiye doing in Laos: the
    business sectors AND the aid projects"): the question asked of each."""
    listed = _LISTED.search(asked)
    if listed is None:
        return None
    head = asked[: listed.start()].strip()
    if len(head.split()) < _MIN_WORDS:
        return None
    return _with_names((f"{head} {listed['first']}", f"{head} {listed['second']}"), entities)


def event_parts(asked: str, entities: EntityTable) -> tuple[str, ...] | None:
    """For a question about when two events came ("which came first, Türkiye's embassy in
    Vientiane or the strategic linkage deal"): a "when" question for each event, or None.
    The events are what the order or span words leave, split where the two meet."""
    if not _ORDER_OR_SPAN.search(asked):
        return None
    events = _ORDER_OR_SPAN.sub(" , ", asked)
    for between in _BETWEEN_EVENTS:
        halves = between.split(events, maxsplit=1)
        if len(halves) == 2:
            break
    else:
        halves = [piece for piece in _CLAUSE_END.split(events) if len(piece.split()) >= _MIN_WORDS]
        if len(halves) != 2:
            return None
    first, second = _CLAUSE_END.split(halves[0])[-1].strip(), _CLAUSE_END.split(halves[1])[0].strip()
    if min(len(first.split()), len(second.split())) < 2:
        return None
    return tuple(f"when {piece}" for piece in _with_names((first, second), entities))


def _short_question(piece: str) -> bool:
    """Two words that ask: a question word and a word of substance ("whose invitation", "which
    year"), not chat ("or nah", "why though")."""
    words = fold(piece).split()
    return len(words) == 2 and words[0] in _QUESTION_WORDS and words[1] not in STOPWORDS


def _with_names(pieces: tuple[str, str], entities: EntityTable) -> tuple[str, str]:
    """Each piece, a piece naming nothing led by the names the other gives ("to lam, laos, |
    what big party event did it come right after"): in front, where they read as its topic,
    not as part of its own phrase ("right after To Lam")."""

    def named(piece: str, other: str) -> str:
        if entities.mentions(fold(piece)):
            return piece
        kind = _KIND_ASKED.match(fold(other))
        if kind and kind["kind"] not in STOPWORDS and _THEY.search(fold(piece)):
            return _THEY.sub(f"the {kind['kind']}", fold(piece), count=1)
        folded = fold(other)
        return ", ".join([*(folded[start:end] for _, start, end in entities.spellings.find(folded)), piece])

    first, second = pieces
    return named(first, second), named(second, first)
