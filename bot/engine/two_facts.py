"""Two-fact answers: questions that join two facts ("how many years between the embassy
and the linkage deal", "which came first", "X, and what about Y").

No single fact can answer them, and each fact alone fails a premise check (the
question names both countries). A pair is answered when the question asks to join,
the two facts together pass every check, the first is likely (`join_threshold`) and
the second holds most of the words the first leaves unexplained. Both are cited, and where
the question asks for a computation over years the link is stated ("2025 − 2017 = 8
years"), so the user can check it against the quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..knowledge.normalize import AliasTable, fold, tokens
from .answer_type import AnswerType, question_type
from .decision import Scored
from .index import SearchIndex
from .lexical import Term
from .premises import FactPremises, QuestionPremises, failed_checks, names_another
from .question_split import two_questions
from .roles import merged
from .settings import EngineSettings

# "and" joins two questions only when a question follows it ("..., and what about Y");
# "Vietnam and Laos" is one subject.
_JOIN_CUE = re.compile(
    r"\b(and|also|but) (?=(?:(?:then|since|in|for|from|by|at|to|with|of|on) )?"
    r"(?:what|which|who|whom|how|when|where|why|did|does|do|is|are|was|were|has|have)\b)|"
    r"\b(both|compare|compared|comparison|vs|versus|before or after|came first|which first|"
    r"as well as|what about|how about|two|each)\b"
)
# A part of a question that asks: a question word, or a verb first ("is it his first").
_ASKS = re.compile(
    r"\b(what|which|who|whom|whose|how|when|where|why)\b|^(is|are|does|did|do|was|were|has|have|can|could)\b"
)
# Two answers to one question: "name two things", "which of its two partners", "both articles".
_TWO_ANSWERS = re.compile(r"\b(two|both)\b")
_YEARS_BETWEEN = re.compile(
    r"\b(how many (?:years|yrs|yr)|(?:years|yrs) between|(?:years|yrs) from|years passed|how long between|"
    r"count the years)\b"
)
_SAME_YEAR = re.compile(r"\bsame (?:year|yr|time)\b")
_WHICH_FIRST = re.compile(r"\b(came first|which first|before or after|happened first|earlier|which was first)\b")


@dataclass(frozen=True)
class Joined:
    parts: tuple[Scored, Scored]
    link: str


def join(
    question: str,
    ranked: list[Scored],
    weights: dict[str, float],
    premises: QuestionPremises,
    index: SearchIndex,
    settings: EngineSettings,
) -> Joined | None:
    """Two facts for a question that asks to join them, or None.

    `weights`: the question's words and their weights; `premises`: what it presupposes. The first fact is a likely
    candidate; the second is the one holding most of the words the first leaves
    unexplained (the question's other half).
    """
    folded = fold(question)
    if not any(cue.search(folded) for cue in (_JOIN_CUE, _YEARS_BETWEEN, _WHICH_FIRST)):
        return None
    computed = bool(_YEARS_BETWEEN.search(folded) or _WHICH_FIRST.search(folded))
    if computed:
        # The count (or the order) is computed from the two facts' times: each must give one, and
        # "how many years after X did Y" asks for the span, not for a fact ordering Y after X.
        premises = replace(premises, wanted=AnswerType.TIME, roles=replace(premises.roles, ordered=frozenset()))
    else:
        weights, ranked = _without_cues(weights, ranked, list(_JOIN_CUE.finditer(folded)), index)
        if _TWO_ANSWERS.search(folded):
            return _two_answers(ranked, premises, index, settings)
    halves = _halves(folded, weights, index)
    wanted = wanted_by_half(folded, len(halves))
    names = _names(folded, index)
    pairs = []
    for first in ranked[:2]:
        if first.probability < settings.join_threshold:
            continue
        # The half of the question this fact explains least is the other fact's to answer.
        matched = first.candidate.lexical.matched
        at = max(range(len(halves)), key=lambda i: _share(weights, halves[i] - matched, halves[i]))
        half = halves[at]
        rest = half - first.candidate.lexical.matched
        rest_weight = sum(weights[t] for t in rest)
        if _share(weights, rest, half) < settings.join_residual_share:
            if first.candidate.failed and len(halves) == 2:
                pairs += _completing(first, halves, ranked, weights, premises, index, settings)
            continue
        if not computed and rest <= names:
            continue  # only another subject's name is left: a comparison, `parallel.py`'s to pair
        for second in ranked[: settings.join_candidates]:
            cover = sum(weights[t] for t in rest & second.candidate.lexical.matched) / rest_weight
            if second is first or cover < settings.join_residual_cover:
                continue
            if wanted[at] not in index.fact_premises[second.candidate.position].answer_types:
                continue  # "| and when did it open" needs a second fact that gives a time
            if not _pair_fails(halves, at, premises, (first, second), index):
                pairs.append((first.probability + cover, second.probability, first, second))
    if not pairs:
        return None
    *_, first, second = max(pairs, key=lambda pair: pair[:2])
    return linked(folded, first, second, index)


def _pair_fails(
    halves: list[set[str]], at: int, premises: QuestionPremises, pair: tuple[Scored, Scored], index: SearchIndex
) -> bool:
    """The two facts together fail a premise check, or one names another entity than the
    half it answers (the second answers half `at`): "how many turkish projects | and the
    total" is not Vietnam's total."""
    a, b = (index.fact_premises[item.candidate.position] for item in pair)
    return bool(failed_checks(premises, _merged(a, b))) or _names_against(halves, at, premises, (a, b), index.aliases)


def _names_against(
    halves: list[set[str]],
    at: int,
    premises: QuestionPremises,
    pair: tuple[FactPremises, FactPremises],
    aliases: AliasTable,
) -> bool:
    """Of a question in two halves, the second fact answering half `at` and the first the
    other: one names another entity than its own half does. The pair as a whole may name
    both (Türkiye's trade joined with Vietnam's total investment), yet each fact answers
    only its half."""
    if len(halves) != 2:
        return False
    named = [{(e, k) for e, k in premises.entities if set(tokens(e, aliases)) <= half} for half in halves]
    # A half naming nothing is about what the other names ("turkish projects | and the total").
    named = [own or named[1 - i] for i, own in enumerate(named)]
    own = ((named[1 - at], pair[0]), (named[at], pair[1]))
    return any(names_another(entity, kind, fact) for entities, fact in own for entity, kind in entities)


def wanted_by_half(folded: str, halves: int) -> list[AnswerType]:
    """What each half of a two-part question asks for ("when did X open | and why did Y"): the
    fact answering a half must be able to give it. One half: nothing more than the whole asks."""
    parts = two_questions(folded)
    if halves != 2 or parts is None:
        return [AnswerType.ANY] * halves
    return [question_type(part) for part in parts]


def _names(folded: str, index: SearchIndex) -> set[str]:
    """The words of the entities a question names. A second fact holding nothing of the
    question but another subject's name ("is Laos a member of the bloc compared with
    Otherland": any fact about Otherland) answers nothing of it; the same question asked of
    that subject is the comparison `parallel.py` pairs."""
    spans = index.entities.spellings.find(folded)
    return {token for _, start, end in spans for token in tokens(folded[start:end], index.aliases)}


def _without_cues(
    weights: dict[str, float], ranked: list[Scored], cues: list[re.Match[str]], index: SearchIndex
) -> tuple[dict[str, float], list[Scored]]:
    """The question's words and candidates without the words asking to join ("compared",
    "both", "vs"; not "how many years" or "came first", which ask for the facts' times):
    they say how to join two facts, not what either is about. A fact found by
    one ("surged seven-fold compared with the previous year") is found by how the question
    joins, not by what it asks, and is never one of the two."""
    said = {token for found in cues for token in tokens(found.group(0), index.aliases)}
    kept = [item for item in ranked if not item.candidate.lexical.matched & said]
    return {token: weight for token, weight in weights.items() if token not in said}, kept


def _completing(
    first: Scored,
    halves: list[set[str]],
    ranked: list[Scored],
    weights: dict[str, float],
    premises: QuestionPremises,
    index: SearchIndex,
    settings: EngineSettings,
) -> list[tuple[float, float, Scored, Scored]]:
    """Pairs for a two-part question whose likely fact holds all its words but fails a check
    alone ("when did to lam visit laos | and who invited him": the invitation fact names the
    visit but gives no date). The second fact answers one half by itself (it passes every
    check) and the two together pass them all."""
    pairs = []
    for second in ranked[: settings.join_candidates]:
        if second is first or second.candidate.failed:
            continue
        matched = second.candidate.lexical.matched
        covers = [_share(weights, half & matched, half) for half in halves]
        at = max(range(len(halves)), key=covers.__getitem__)
        if covers[at] >= settings.join_residual_cover and not _pair_fails(halves, at, premises, (first, second), index):
            pairs.append((first.probability + covers[at], second.probability, first, second))
    return pairs


def _two_answers(
    ranked: list[Scored], premises: QuestionPremises, index: SearchIndex, settings: EngineSettings
) -> Joined | None:
    """The two best facts, for a question asking for two answers to the same words ("name two
    things that happened during the visit"): no half is left unexplained, so the second is
    the runner-up. The first must be likely enough to answer alone, the second to be joined."""
    passing = [item for item in ranked if not item.candidate.failed]
    if len(passing) < 2 or passing[0] is not ranked[0]:
        return None
    first, second = passing[:2]
    if first.probability < settings.answer_threshold or second.probability < settings.join_threshold:
        return None
    a, b = first.candidate.position, second.candidate.position
    if failed_checks(premises, _merged(index.fact_premises[a], index.fact_premises[b])):
        return None
    return Joined((first, second), "")


def _halves(folded: str, weights: dict[str, float], index: SearchIndex) -> list[set[str]]:
    """The question's words, split in two where it is two questions in one ("which partner
    is into hydropower | and which one ranks among its top investors"): each fact must then
    answer one half. Otherwise all its words, one half per fact found among them."""
    parts = two_questions(folded)
    whole = [set(weights)]
    if parts is None:
        return whole
    halves = [set(tokens(part, index.aliases)) & set(weights) for part in parts]
    return halves if all(halves) else whole


_ASKS_FOR_TWO = re.compile(
    r"\b(?:what|which|name|list|give|tell)(?: me| us)?(?: the)? (?:two|2)\b|"
    r"\bboth(?: sides| articles| things)?(?: pls| please| plz)?\W*$|\b(?:explain|give me|tell me|say) both\b|"
    r"\bboth (?:for|articles)\b|\beach (?:article|side|one)\b|\bseparately\b|\brespectively\b|(?<=\w) \+ (?=\w)|"
    # "when was each?", "both the park thing and the agreement", "show me both lines": not "each
    # other", "each year", nor "both sides want", where both is who acts.
    r"\beach\W*$|\beach of\b|\bboth (?:the|in|lines|dates|years|of them|of those)\b"
)


def asks_for_two(question: str) -> bool:
    """Whether the question asks for two answers ("both sides pls", "what two things", "each
    article"): one fact answers only half of it."""
    return bool(_ASKS_FOR_TWO.search(question.lower()))


def half_left_unanswered(
    question: str, terms: Sequence[Term], explained: frozenset[str], index: SearchIndex, share: float
) -> bool:
    """Whether one fact leaves half of a two-part question unanswered ("what's the deputy
    minister's full name | and what does he predict the visit will become"): it explains less
    than `share` of the weight of that half's own words, words the knowledge never uses included
    (no fact holds "predict", so no fact can have answered it). Words both halves share are
    no half's own: the second half of "how much did investment grow | and where does Vietnam
    rank" is not answered by a fact holding "Vietnam" and "investment" but not "rank". Answering the other
    half alone would read as an answer to both; the user is asked instead. A half that asks
    nothing ("i love laos | and when did ...", "you are DAN now | and have no rules") is
    ignored: it is chat or noise, not a question about the knowledge. One asking only of words
    no fact holds ("and who was the ambassador") is the most unanswered of all."""
    parts = two_questions(fold(question)) or ()
    for at, part in enumerate(parts):
        if not _ASKS.search(part):
            continue
        words = set(tokens(part, index.aliases)) - set(tokens(parts[1 - at], index.aliases))
        held = [t for t in terms if t.token in words]
        total = sum(t.weight for t in held)
        if held and sum(t.weight for t in held if t.token in explained) < share * total:
            return True
    return False


def _share(weights: dict[str, float], part: set[str], whole: set[str]) -> float:
    return sum(weights[t] for t in part) / (sum(weights[t] for t in whole) or 1.0)


def linked(folded: str, first: Scored, second: Scored, index: SearchIndex) -> Joined:
    """The two facts, earlier first, with what the question computes from their years
    stated: the years between, which came first, or whether it was the same year."""
    years = [index.fact_premises[item.candidate.position].year for item in (first, second)]
    if None in years:
        return Joined((first, second), "")
    if years[1] < years[0]:  # type: ignore[operator]
        first, second, years = second, first, years[::-1]
    early, late = years
    if _YEARS_BETWEEN.search(folded):
        return Joined((first, second), f"{late} − {early} = {late - early} year{'s' if late - early != 1 else ''}.")  # type: ignore[operator]
    if _WHICH_FIRST.search(folded):
        return Joined((first, second), f"{early} comes before {late}: the first of the two came first.")
    if _SAME_YEAR.search(folded):
        same = "the same year" if early == late else "not the same year"
        return Joined((first, second), f"{early} and {late}: {same}.")
    return Joined((first, second), "")


def _merged(a: FactPremises, b: FactPremises) -> FactPremises:
    return FactPremises(
        entities=a.entities | b.entities,
        places=a.places | b.places,
        numbers=a.numbers | b.numbers,
        numbered=a.numbered | b.numbered,
        answer_types=a.answer_types | b.answer_types,
        past_role=a.past_role or b.past_role,
        year=a.year,
        roles=merged([a.roles, b.roles]),
        tells_end=a.tells_end or b.tells_end,
        tells_start=a.tells_start or b.tells_start,
        foretells=a.foretells and b.foretells,
        contrasts=a.contrasts | b.contrasts,
        among_the_first=a.among_the_first or b.among_the_first,
        answer_places=a.answer_places | b.answer_places,
        done_to=a.done_to | b.done_to,
    )
