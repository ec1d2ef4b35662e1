"""Premise checks: what a question takes for granted that a fact contradicts.

Word overlap cannot see that "Türkiye's investment in Laos" is not "Vietnam's
investment in Laos", that the 46th summit is not the 47th, or that "the current
foreign minister" is not "then-Foreign Minister". Each check here compares what
the question presupposes with what one fact says, and a fact that fails any of
them never answers (the decision in `decision.py` is not even asked).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..knowledge.entities import COUNTRY, OFFICE, ORGANISATION, PERSON, EntityTable, Mention
from ..knowledge.normalize import fold
from .answer_type import MONTHS, AnswerType, answer_types, capitalized_runs, question_type
from .roles import Roles, benefit_swapped, done_to, done_to_another, merged, only_a_place, reordered, roles, swapped

YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A number, ordinal or not: "the 14th congress" is "đại hội 14", and the 46th summit is not the 47th.
_NUMBER = re.compile(r"\b(\d+(?:\.\d+)?)(?:st|nd|rd|th)?\b")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_NUMBERED_WITHIN = 8  # words from an ordinal to the name of the organisation it numbers
_ORDINAL_WORDS = {
    word: str(at)
    for at, word in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)
}
_RANK_BEFORE = re.compile(r"\b(?:no|number) $")  # "no. 1" folds to "no 1"
_AGE_IN_AN_IDIOM = re.compile(r"\blike (?:i ?m|i am|im) $")  # "explain like im 5"
_ASKS_NOW = re.compile(
    r"\b(current|currently|now|nowadays|today|present|incumbent|these days|rn|at the moment|"
    r"hien nay|hien tai|bugun|simdi|su anki|actuel|actuelle|actuellement|сейчас|нынешн\w*|текущ\w*)\b"
)
# A claim put up to be confirmed ("... in 2015, right?", "just confirm", "prove me wrong"):
# what it names is the claim to check, not a premise to share, so the fact that corrects it
# answers (see `_CLAIM_CHECKS`).
_CONFIRMATION = re.compile(
    r"\b(?:right|yeah|yes|correct|true|innit)\s*$|\b(?:just confirm|confirm (?:that|this|it)|confirm\s*$|"
    r"(?:isn|aren|didn|doesn|wasn)(?: ?t)? (?:it|she|he|that|they)|is (?:that|it|this) (?:true|right|correct)|"
    r"am i right|prove me wrong|admit it|just say yes|just agree|agree with me|(?:dont|don t|do not) correct me|"
    r"backs? (?:that|this|it) up|the article agrees)\b"
)
# The checks a claim put up for confirmation may fail: the fact then tells what is so.
_CLAIM_CHECKS = frozenset({"entity", "number", "now vs then", "roles swapped", "contrast", "superlative"})
_PAST_ROLE = re.compile(r"\bthen-|\bformer\b|\bat the time\b", re.IGNORECASE)
# An end of something: a question asking when one came needs a fact that tells of it.
_ENDED = re.compile(r"\b(end|ends|ended|ending|finish\w*|conclu\w*|expir\w*|until|left office|stepped down)\b")
# Taking an office: "when did To Lam become general secretary" is not answered by the date of
# a visit he makes as general secretary. Only of a question naming an office: Türkiye
# "became" a dialogue partner is a status the fact dates.
_TOOK_OFFICE = re.compile(
    r"\b(became|become|becomes|becoming|elected|appointed|took office|take office|sworn in|came to power|"
    r"assumed office|assume office)\b"
)
# A date relative to now in the past: the question takes for granted that it already happened.
_RELATIVE_PAST = re.compile(
    r"\b(?:last (?:week|weekend|month|year|night)|yesterday|the other day|"
    r"(?:\d+|a|two|three|few|couple of) (?:days?|weeks?|months?|years?) ago)\b"
)
# An answer telling only what is to come ("are expected to sign", "will outline").
_FORETOLD = re.compile(r"\b(?:will|expected to|(?:is|are) (?:set|due|scheduled|to be)|plans? to)\b")
# Places an answer can give that are no country or capital ("beyond traditional spheres",
# "in the Middle East"): a "where" question is answered by them.
_OTHER_PLACE = re.compile(
    r"\b(asia|europe|africa|america|middle east|balkans|caucasus|peninsula|indochina|region|regions|province|"
    r"city|district|border|abroad|beyond|spheres?|overseas|worldwide|capitals?)\b"
)
_SOME_OTHER_PLACE = "(another place)"
# One thing ranked above all others: "Laos' biggest investor", "number one", "the single largest".
_FIRST_OF_ALL = re.compile(r"\b(?:biggest|largest|number one|no 1|numero uno|topmost)\b")
# A place in a group of the first, not the first: "among Laos' top investors", "one of the biggest".
_ONE_OF_THE_FIRST = re.compile(
    r"\b(?:among|amongst|one of|1 of|some of)\b(?:\W+\w+){0,3}?\W+(?:top|biggest|largest|leading)\b"
)
_CLAUSE = re.compile(r"[,;:?!.]+")
# What a person leads: "the CPV chief", "the LPRP's leader", "general secretary of the CPV".
_LEADER = (
    r"(?:chief|leader|head|boss|no ?1|number one|top (?:leader|guy|man|official)|gen ?sec|secretary|chairman|chair)"
)
_LEADER_AFTER = re.compile(r"\s*(?:s\s+)?" + _LEADER + r"\b")
_LEADER_BEFORE = re.compile(r"\b" + _LEADER + r"\s+of\s+(?:the\s+)?$")
_ASKING_CLAUSE = re.compile(r"(?:what|whats|which|who|whos|how|hows|when|where|why)\b")
_TIMES = (AnswerType.TIME, AnswerType.YEAR, AnswerType.DATE, AnswerType.DAY)
# Types that name one thing: asking about another one of them is another question (the
# foreign minister is not the deputy foreign minister).
_EXCLUSIVE_KINDS = (COUNTRY, PERSON, ORGANISATION, OFFICE)
# Types an article is about as a whole when it names them often; an office named twice
# does not make every sentence of the article speak of it.
_TOPIC_KINDS = (COUNTRY, PERSON, ORGANISATION)


@dataclass(frozen=True)
class FactPremises:
    """What one fact says, as far as the checks need: computed once, at index time."""

    entities: frozenset[tuple[str, str]]  # (entity, kind)
    places: frozenset[str]
    numbers: frozenset[str]
    numbered: frozenset[tuple[str, str]]  # (ordinal, the organisation it numbers): the 12th congress of whom
    answer_types: frozenset[AnswerType]
    past_role: bool  # it speaks of someone's role then ("then-Foreign Minister")
    year: int | None  # the first year its answer names: when what it tells happened
    roles: Roles  # which country qualifies which word, what comes after what
    tells_end: bool  # it speaks of something ending ("his term ended", "until 2020")
    tells_start: bool  # it speaks of someone taking an office ("elected in 2024")
    foretells: bool  # its answer tells of something to come ("the two sides are expected to")
    contrasts: frozenset[tuple[int, str]]  # (group, word) of the contrast words it says
    among_the_first: bool  # it ranks something among the first, never as the first ("among the top")
    answer_places: frozenset[str]  # the countries and capitals its answer names
    done_to: frozenset[tuple[str, str]]  # (deed, person) of its phrasings' "who <deed> <person>"


@dataclass(frozen=True)
class QuestionPremises:
    entities: frozenset[tuple[str, str]]  # (entity, kind)
    places: frozenset[str]
    numbers: frozenset[str]
    numbered: frozenset[tuple[str, str]]
    wanted: AnswerType
    asks_now: bool
    roles: Roles
    asks_end: bool  # when something ended ("when did his term end")
    asks_start: bool  # when someone took an office ("when was he elected")
    asks_done: bool  # of something it dates as past relative to now ("last week")
    contrasts: frozenset[tuple[int, str]]
    asks_first_of_all: bool  # it takes for granted that one thing ranks above all ("the biggest investor")
    named_places: frozenset[str]  # the countries and capitals it names
    confirms: bool  # it puts a claim up to be confirmed ("the article says 2015, right?")
    asked_entities: frozenset[tuple[str, str]]  # named in a clause that asks ("how much did X...")
    # Organisations named as what someone leads ("the CPV chief"): they describe a person, and
    # a fact about that person need not name them.
    titles: frozenset[str] = frozenset()
    done_to: frozenset[tuple[str, str]] = frozenset()  # (deed, person): "who invited To Lam"


def source_topics(table: EntityTable, title: str, text: str) -> frozenset[tuple[str, str]]:
    """What an article is about: the entities its title names or its text names twice or
    more. A fact quoting one sentence still speaks within its article ("the visit" is To
    Lam's visit to Laos even where the sentence names neither)."""
    counts = Counter((m.entity, m.kind) for m in table.mentions(fold(text)) if m.kind in _TOPIC_KINDS)
    named = {(m.entity, m.kind) for m in table.mentions(fold(title)) if m.kind in _TOPIC_KINDS}
    return frozenset(named | {entity for entity, count in counts.items() if count >= 2})


def fact_premises(
    table: EntityTable, asked: list[str], said: list[str], topics: frozenset[tuple[str, str]]
) -> FactPremises:
    """`asked`: the fact's phrasings; `said`: its answer and quotes; `topics`: its sources'."""
    said_folded = [fold(text) for text in said]
    asked_folded = [fold(text) for text in asked]
    said_mentions = [table.mentions(text) for text in said_folded]  # the answer's first
    mentions_said = [m for mentions in said_mentions for m in mentions]
    mentions_all = mentions_said + [m for text in asked_folded for m in table.mentions(text)]
    answer_mentions = said_mentions[0] if said_mentions else []
    return FactPremises(
        entities=topics | {(m.entity, m.kind) for m in mentions_all if m.kind in _EXCLUSIVE_KINDS},
        places=frozenset(m.entity for m in mentions_said if m.place and m.kind == COUNTRY),
        numbers=frozenset(n for text in [*said_folded, *asked_folded] for n in _numbers(text)),
        numbered=frozenset(pair for text in [*said_folded, *asked_folded] for pair in _numbered(table, text)),
        answer_types=answer_types(
            said[0] if said else "",
            names_person=any(m.kind in (PERSON, OFFICE, ORGANISATION, COUNTRY) for m in answer_mentions),
            names_place=any(m.kind == COUNTRY for m in answer_mentions),
            names_thing=_names_a_thing(table, said[0] if said else ""),
        ),
        past_role=any(_PAST_ROLE.search(text) for text in said),
        year=_first_year(said[0]) if said else None,
        roles=_with_actors(_fact_roles(table, said_folded, asked_folded), topics),
        tells_end=any(_ENDED.search(text) for text in [*said_folded, *asked_folded]),
        tells_start=any(_TOOK_OFFICE.search(text) for text in [*said_folded, *asked_folded]),
        foretells=bool(said_folded and _FORETOLD.search(said_folded[0])),
        contrasts=frozenset(c for text in [*said_folded, *asked_folded] for c in table.contrasts(text)),
        among_the_first=any(_ONE_OF_THE_FIRST.search(text) for text in said_folded)
        and not any(_FIRST_OF_ALL.search(_ONE_OF_THE_FIRST.sub(" ", text)) for text in said_folded),
        answer_places=_answer_places(table, said_folded[0] if said_folded else ""),
        done_to=frozenset(pair for text in asked_folded for pair in done_to(table, text)),
    )


def _fact_roles(table: EntityTable, said: list[str], asked: list[str]) -> Roles:
    """Who owns what: a word the fact or its phrasings give a country, and of those what the
    fact says. Phrasings are questions, often mere keywords ("vietnamese investment laos total
    capital") whose word order gives "total" to no one."""
    said_roles = [roles(table, text) for text in said]
    found = merged([*said_roles, *(roles(table, text) for text in asked)])
    return replace(found, claimed=merged(said_roles).claimed)


def _names_a_thing(table: EntityTable, answer: str) -> bool:
    """The answer calls something by a proper name that is no country, capital, office or
    month ("Asia Anew", "TIKA", "Kazan Federal University", "Thongloun Sisoulith")."""
    for run in capitalized_runs(answer):
        folded = fold(run)
        for token, start, end in table.spellings.find(folded):
            if table.kind_of[token] in (COUNTRY, OFFICE):
                folded = folded[:start] + " " * (end - start) + folded[end:]
        if any(word not in MONTHS and word != "s" for word in folded.split()):
            return True
    return False


def _answer_places(table: EntityTable, answer: str) -> frozenset[str]:
    """The places an answer can give for "where": the countries and capitals it names, but not
    a pair named together ("the Laos–Vietnam Friendship Park" says nothing of where it is)."""
    spans = list(table.spellings.find(answer))
    paired = table.paired(answer, spans)
    named = {token for token, start, _ in spans if table.kind_of.get(token) == COUNTRY and start not in paired}
    return frozenset(named | ({_SOME_OTHER_PLACE} if _OTHER_PLACE.search(answer) else set()))


def _with_actors(found: Roles, topics: frozenset[tuple[str, str]]) -> Roles:
    """An article's own subjects act in every fact quoting it, wherever a sentence places them."""
    return replace(found, actors=found.actors | {entity for entity, kind in topics if kind == COUNTRY})


def _numbers(folded: str) -> set[str]:
    """The numbers a fact says, ordinals written as words too: "the first Turkish foreign
    minister" is the 1st."""
    return set(_NUMBER.findall(folded)) | {_ORDINAL_WORDS[w] for w in folded.split() if w in _ORDINAL_WORDS}


def _numbered(table: EntityTable, folded: str) -> frozenset[tuple[str, str]]:
    """(ordinal, organisation) for each ordinal the name of an organisation follows closely,
    before the next number: "the 14th National Congress of the Communist Party of Vietnam and
    the 12th Congress of the Lao People's Revolutionary Party" numbers two parties' congresses."""
    owners = sorted(
        (start, token) for token, start, _ in table.spellings.find(folded) if table.kind_of.get(token) == ORGANISATION
    )
    ordinals = list(_ORDINAL.finditer(folded))
    found = set()
    for at, ordinal in enumerate(ordinals):
        following = folded[ordinal.end() :].split()[:_NUMBERED_WITHIN]
        reach = ordinal.end() + len(" ".join(following)) + 1
        if at + 1 < len(ordinals):
            reach = min(reach, ordinals[at + 1].start())
        owner = next((token for start, token in owners if ordinal.end() <= start < reach), None)
        if owner is not None:
            found.add((ordinal.group(1), owner))
    return frozenset(found)


def _numbers_another(asked: frozenset[tuple[str, str]], said: frozenset[tuple[str, str]]) -> bool:
    """The question numbers one organisation's event ("the 12th congress of the CPV") that the
    fact numbers only for another (the 12th congress of the Lao party)."""
    return any((n, o) not in said and any(n == m and o != p for m, p in said) for n, o in asked)


def _first_year(text: str) -> int | None:
    found = YEAR.search(text)
    return int(found.group(0)) if found else None


def question_premises(table: EntityTable, question: str, written: str | None = None) -> QuestionPremises:
    """`question`: folded and mended; `written`: as typed, whose punctuation tells its clauses apart."""
    folded = fold(question)
    mentions = table.mentions(folded)
    spans = list(table.spellings.find(folded))  # where each name starts and ends
    wanted = question_type(question)
    return QuestionPremises(
        entities=frozenset((m.entity, m.kind) for m in mentions if m.kind in _EXCLUSIVE_KINDS),
        places=frozenset(m.entity for m in mentions if m.place and m.kind == COUNTRY),
        numbers=_asked_numbers(folded, {start for _, start, _ in spans}),
        numbered=_numbered(table, folded),
        wanted=wanted,
        asks_now=bool(_ASKS_NOW.search(folded)),
        roles=roles(table, folded),
        asks_end=wanted in _TIMES and bool(_ENDED.search(folded)),
        asks_start=wanted in _TIMES and any(m.kind == OFFICE for m in mentions) and bool(_TOOK_OFFICE.search(folded)),
        asks_done=bool(_RELATIVE_PAST.search(folded)),
        contrasts=table.contrasts(folded),
        asks_first_of_all=bool(_FIRST_OF_ALL.search(folded)) and not _ONE_OF_THE_FIRST.search(folded),
        named_places=frozenset(m.name for m in mentions if m.kind == COUNTRY),
        confirms=bool(_CONFIRMATION.search(folded)),
        asked_entities=_asked_entities(table, written if written is not None else question),
        titles=_titles(table, folded, spans, mentions),
        done_to=done_to(table, folded),
    )


def _titles(
    table: EntityTable, folded: str, spans: list[tuple[str, int, int]], mentions: list[Mention]
) -> frozenset[str]:
    """The offices a question names, and the organisations it names as what someone leads ("the
    VCP chief", "the CPV general secretary", "the head of the LPRP"). Titles describe people:
    "the deputy FM who talked about the general secretary's trip" asks of a fact naming the
    deputy FM, which need not name the general secretary's office, nor his party, too."""
    offices = {start for token, start, _ in spans if table.kind_of.get(token) == OFFICE}
    found = {m.entity for m in mentions if m.kind == OFFICE}  # "deputy" + "FM" is one office
    for token, start, end in spans:
        if table.kind_of.get(token) != ORGANISATION:
            continue
        after = folded[end:]
        office_next = end + len(after) - len(after.lstrip()) in offices
        if office_next or _LEADER_AFTER.match(after) or _LEADER_BEFORE.search(folded[:start]):
            found.add(token)
    return frozenset(found)


def _asked_entities(table: EntityTable, question: str) -> frozenset[tuple[str, str]]:
    """The entities named in a clause that asks ("how much did Turkish investment surge, |
    wasn't it seven-fold"): premises of the question, not part of a claim put up to check."""
    clauses = (fold(clause).strip() for clause in _CLAUSE.split(question))
    return frozenset(
        (m.entity, m.kind)
        for clause in clauses
        if _ASKING_CLAUSE.match(clause)
        for m in table.mentions(clause)
        if m.kind in _EXCLUSIVE_KINDS
    )


def _asked_numbers(folded: str, names_at: set[int]) -> frozenset[str]:
    """The numbers a question names; "1 of laos' biggest investors" is chat for "one of",
    "hanoi's no. 1 guy" or "the ministry's no. 2" ranks people, which no fact numbers, "explain
    like im 5" is an idiom, and a 2 before a name (`names_at`: where names start) is "to":
    "who invited to lam 2 laos"."""
    return frozenset(m.group(1) for m in _NUMBER.finditer(folded) if not _chat_number(folded, m, names_at))


def _chat_number(folded: str, number: re.Match[str], names_at: set[int]) -> bool:
    one_of = number.group(1) == "1" and folded.startswith(" of ", number.end())
    to = number.group(0) == "2" and number.end() + 1 in names_at and folded.startswith(" ", number.end())
    before = folded[: number.start()]
    return one_of or to or bool(_RANK_BEFORE.search(before) or _AGE_IN_AN_IDIOM.search(before))


def answers_the_mirror(question: QuestionPremises, fact: FactPremises) -> bool:
    """The fact tells what is in it for another country than the one asked about ("what's in
    it for Türkiye" of what Laos gains): it fails "roles swapped", and answers the mirror
    question."""
    return benefit_swapped(question.roles, fact.roles, frozenset(e for e, _ in fact.entities))


def failed_checks(question: QuestionPremises, fact: FactPremises) -> tuple[str, ...]:
    """The names of the checks this fact fails for this question (empty: none). A claim put up
    to check may be wrong, but the fact must still be about what the question asks of, and
    about the parties the claim is about: "Türkiye–Laos trade hit $3 billion, right?" is not
    corrected by what Vietnam–Laos trade was, while "To Lam went to Cambodia first, right?"
    is by where he went."""
    failed = _failed(question, fact)
    if question.confirms:
        about = question.asked_entities | {(e, k) for e, k in question.entities if e in question.roles.actors}
        asked_another = any(names_another(e, k, fact, question.titles) for e, k in about)
        return tuple(name for name in failed if name not in _CLAIM_CHECKS or (name == "entity" and asked_another))
    return tuple(failed)


def corrects_claim(question: QuestionPremises, fact: FactPremises) -> bool:
    """Whether the question puts up a claim ("... in 2015, right?") that this fact contradicts:
    its answer then says what is so, and the user must be told the claim was not."""
    return question.confirms and any(name in _CLAIM_CHECKS for name in _failed(question, fact))


def _failed(question: QuestionPremises, fact: FactPremises) -> list[str]:
    failed = []
    leaders = _leaders(question)
    if any(names_another(e, k, fact, question.titles) for e, k in question.entities if e not in leaders):
        failed.append("entity")
    if question.places and fact.places and not question.places & fact.places:
        failed.append("place")
    if question.numbers - fact.numbers or _numbers_another(question.numbered, fact.numbered):
        failed.append("number")
    if question.wanted not in fact.answer_types:
        failed.append("answer type")
    elif question.wanted is AnswerType.PLACE and not fact.answer_places - question.named_places:
        failed.append("place asked")  # "where in Laos is the park" asked of a fact naming only Laos
    if question.asks_now and fact.past_role:
        failed.append("now vs then")
    named = frozenset(e for e, _ in fact.entities)
    if swapped(question.roles, fact.roles, named) or done_to_another(question.done_to, fact.done_to):
        failed.append("roles swapped")
    if reordered(question.roles, fact.roles):
        failed.append("order")
    if only_a_place(question.roles, fact.roles, named):
        failed.append("only a place")
    if question.asks_end and not fact.tells_end:
        failed.append("end")
    if question.asks_start and not fact.tells_start:
        failed.append("start")
    if question.asks_done and fact.foretells:
        failed.append("not yet")  # "what did they agree last week" of talks still expected
    if _contrasted(question.contrasts, fact.contrasts):
        failed.append("contrast")  # a "full" dialogue partner asked of a "sectoral" one
    if question.asks_first_of_all and fact.among_the_first:
        failed.append("superlative")  # "the biggest investor" asked of one "among the top"
    return failed


def names_another(entity: str, kind: str, fact: FactPremises, also_asked: frozenset[str] = frozenset()) -> bool:
    """The fact does not name this entity but names another of its kind (a fact naming no
    person says nothing against a question naming one), one the question does not name in
    `also_asked`. Also how each fact of a pair is checked against the half of the question it
    answers (`two_facts.py`)."""
    named = {e for e, _ in fact.entities}
    return entity not in named and any(k == kind and e not in also_asked for e, k in fact.entities)


def _leaders(question: QuestionPremises) -> frozenset[str]:
    """The organisations named only as what someone leads: no premise of their own. Other
    kinds name what a question is about: a question about To Lam and Cavusoglu is not
    answered by a fact about To Lam alone."""
    return frozenset(e for e, k in question.entities if k == ORGANISATION and e in question.titles)


def _contrasted(asked: frozenset[tuple[int, str]], said: frozenset[tuple[int, str]]) -> bool:
    """The question says a word the fact does not, and the fact says another of its group."""
    groups_said = {group for group, _ in said}
    return any((group, word) not in said and group in groups_said for group, word in asked)
