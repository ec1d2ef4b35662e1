"""Two questions in one message, and two events to order: each part is read and answered
alone (`bot/engine/parts.py`), both facts are cited, and what the question computes from
their years is stated. On the tiny knowledge of `tests/conftest.py`."""

from __future__ import annotations

import pytest

from bot.engine.decision import Scored
from bot.engine.parts import compared_parts, event_parts, in_parts, listed_parts, question_parts
from bot.engine.pipeline import Engine
from bot.engine.question_split import two_questions
from bot.engine.two_facts import asks_for_two, half_left_unanswered
from bot.knowledge.loader import load_knowledge

ENTITIES = "countries: [Examplia, Laos]\ncapitals: {Sampletown: Examplia}\npeople: [Ana Vega]\n"


@pytest.fixture
def engine(make_kb) -> Engine:
    return Engine(load_knowledge(make_kb({"knowledge/entities.yaml": ENTITIES})))


def cited(engine: Engine, question: str) -> set[str]:
    answer = engine.ask(question)
    return {fact.id for fact in answer.facts} if answer.status == "answered" else set()


def test_a_second_question_starts_at_a_question_word_after_a_joining_word(engine):
    parts = question_parts("when did ana vega visit laos and who trains examplia's diplomats", engine.index.entities)
    assert parts == ("when did ana vega visit laos", "who trains examplia's diplomats")


@pytest.mark.parametrize(
    ("question", "second"),
    [
        ("wann besuchte ana vega laos und wer trainiert die diplomaten", "wer trainiert die diplomaten"),
        ("quand ana vega a visité le laos et qui forme les diplomates", "qui forme les diplomates"),
        ("cuándo visitó ana vega laos y quién forma a los diplomáticos", "quién forma a los diplomáticos"),
        ("ana vega laos'u ne zaman ziyaret etti ve kim diplomatları eğitiyor", "kim diplomatları eğitiyor"),
    ],
)
def test_a_second_question_starts_at_a_question_word_in_other_languages_too(engine, question, second):
    parts = question_parts(question, engine.index.entities)
    assert parts is not None and parts[1].endswith(second)


@pytest.mark.parametrize(
    "question",
    [
        "wann besuchte ana vega laos und wer trainiert die diplomaten",
        "cuando visito ana vega laos y quien forma a los diplomaticos",  # folded: no accents
        "when did ana vega visit laos and since when does examplia train diplomats",
    ],
)
def test_the_check_on_each_half_splits_a_message_where_its_parts_are_answered_apart(engine, question):
    parts = question_parts(question, engine.index.entities)
    halves = two_questions(question)
    assert parts is not None and halves is not None
    assert parts[1].endswith(halves[1].strip())


def test_two_words_that_ask_are_a_second_question(engine):
    parts = question_parts("when did ana vega visit laos, and on whose invitation", engine.index.entities)
    assert parts is not None and parts[1].endswith("whose invitation")


def test_a_question_word_alone_is_no_second_question(engine):
    assert question_parts("when did ana vega visit laos and why", engine.index.entities) is None


def test_a_message_opening_with_and_is_one_follow_up_question():
    assert two_questions("and is she also the first minister to visit") is None


def test_a_second_question_may_follow_a_statement_after_and_now(engine):
    parts = question_parts(
        "ana vega was just in laos, and now when does examplia train diplomats", engine.index.entities
    )
    assert parts == ("ana vega was just in laos", "when does examplia train diplomats")


@pytest.mark.parametrize("lead_in", ["separately", "secondly", "additionally"])
def test_a_second_question_may_open_with_a_word_that_counts_it(engine, lead_in):
    parts = question_parts(
        f"when did ana vega visit laos, and {lead_in} who trains examplia's diplomats", engine.index.entities
    )
    assert parts == ("when did ana vega visit laos", "who trains examplia's diplomats")


def test_the_two_sides_of_how_does_one_thing_compare_to_another_are_each_asked(engine):
    parts = compared_parts(
        "how does examplia's trade with laos compare to its diplomat academy?", engine.index.entities
    )
    assert parts == ("examplia's trade with laos", "examplia, laos, its diplomat academy")


def test_a_question_comparing_nothing_has_no_compared_sides(engine):
    assert compared_parts("how much trade is there between examplia and laos", engine.index.entities) is None


def test_a_comparison_cites_a_fact_for_each_side(engine):
    question = "how does the examplia embassy in sampletown stack up against the training of diplomats, which is older"
    assert [fact.id for fact in engine.ask(question).facts] == ["embassy-2017", "diplomat-training"]


def test_one_subject_joined_by_and_is_no_second_question(engine):
    assert question_parts("how much trade is there between examplia and laos", engine.index.entities) is None


def test_a_part_naming_nothing_is_read_with_the_names_the_other_part_gives(engine):
    parts = question_parts("does examplia train diplomats? and when did they open an embassy", engine.index.entities)
    assert parts == ("does examplia train diplomats", "examplia, when did they open an embassy")


def test_they_in_a_part_are_the_kind_of_thing_the_other_part_asks_for(engine):
    question = "what documents will examplia and laos sign and what are they meant to achieve"
    parts = question_parts(question, engine.index.entities)
    assert parts == ("what documents will examplia and laos sign", "what are the documents meant to achieve")


def test_two_questions_in_one_message_cite_one_fact_each(engine):
    question = "examplia laos trade volume in 2024? also when did ana vega visit laos"
    assert cited(engine, question) == {"trade-2024", "minister-visit-2018"}


class _Ranked:
    """A lookup that ranks each part as given: what `in_parts` makes of the engine's rankings."""

    def __init__(self, engine: Engine, rankings: dict[str, list[tuple[str, float]]]):
        self.index, self.lexical, self.engine, self.rankings = engine.index, engine.lexical, engine, rankings

    def read(self, question):
        return self.engine.read(question)

    def scored(self, question):
        positions = {fact.id: position for position, fact in enumerate(self.engine.kb.facts)}
        candidates = {c.position: c for c in self.engine.candidates("examplia laos trade ana vega diplomats embassy")}
        return [Scored(candidates[positions[fact_id]], p) for fact_id, p in self.rankings[question]]


def test_when_one_fact_is_best_for_both_parts_the_part_it_fits_less_takes_its_next_fact(engine):
    lookup = _Ranked(
        engine,
        {
            "does examplia train diplomats": [("diplomat-training", 0.9), ("trade-2024", 0.05)],
            "examplia, where do they learn": [("diplomat-training", 0.6), ("embassy-2017", 0.3)],
        },
    )
    joined = in_parts("does examplia train diplomats, and where do they learn", lookup, engine.settings)
    assert joined is not None
    assert {engine.kb.facts[item.candidate.position].id for item in joined.parts} == {
        "diplomat-training",
        "embassy-2017",
    }


def _joined_ids(engine: Engine, rankings: dict[str, list[tuple[str, float]]]) -> set[str] | None:
    joined = in_parts(
        "does examplia train diplomats, and where do they learn", _Ranked(engine, rankings), engine.settings
    )
    return None if joined is None else {engine.kb.facts[item.candidate.position].id for item in joined.parts}


def test_when_only_the_part_a_fact_fits_best_has_another_sure_fact_that_part_takes_it(engine):
    rankings = {
        "does examplia train diplomats": [("diplomat-training", 0.9), ("embassy-2017", 0.6)],
        "examplia, where do they learn": [("diplomat-training", 0.6), ("trade-2024", 0.05)],
    }
    assert _joined_ids(engine, rankings) == {"diplomat-training", "embassy-2017"}


def test_the_part_a_fact_fits_best_keeps_it_when_its_next_fact_is_unsure(engine):
    rankings = {
        "does examplia train diplomats": [("diplomat-training", 0.9), ("embassy-2017", 0.45)],
        "examplia, where do they learn": [("diplomat-training", 0.6), ("trade-2024", 0.05)],
    }
    assert _joined_ids(engine, rankings) is None


def test_a_part_no_fact_answers_leaves_the_message_unanswered_by_two_facts(engine):
    answer = engine.ask("when did examplia open its embassy, and what is the name of its ambassador's dog")
    assert len(answer.facts) < 2


def test_the_events_of_which_came_first_are_each_asked_when(engine):
    parts = event_parts("which came first, the examplia embassy or ana vega's visit to laos?", engine.index.entities)
    assert parts == ("when the examplia embassy", "when ana vega's visit to laos")


def test_which_came_first_cites_both_events_and_says_which(engine):
    answer = engine.ask(
        "which came first: examplia opening its embassy or the examplian foreign minister visiting laos"
    )
    assert {fact.id for fact in answer.facts} == {"embassy-2017", "minister-visit-2018"}
    assert "2017 comes before 2018" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "did examplia open its embassy in the same year ana vega visited laos?",
        "examplia's embassy and ana vega's visit to laos, did those happen the same yr?",
    ],
)
def test_same_year_is_answered_with_both_years(engine, question):
    answer = engine.ask(question)
    assert {fact.id for fact in answer.facts} == {"embassy-2017", "minister-visit-2018"}
    assert "2017 and 2018: not the same year" in answer.text


def test_a_question_about_one_event_is_no_pair_of_events(engine):
    assert event_parts("when did examplia open its embassy", engine.index.entities) is None


@pytest.mark.parametrize(
    "question",
    [
        "what two things did examplia do in 2017",
        "when did examplia open its embassy and what does it train, both pls",
        "what does each article say about examplia's embassy",
        "examplia embassy + diplomat academy",
    ],
)
def test_one_fact_never_answers_a_question_asking_for_two_answers(engine, question):
    answer = engine.ask(question)
    assert answer.status != "answered" or len(answer.facts) == 2


@pytest.mark.parametrize(
    ("question", "asks_two"),
    [
        ("what two things happened in december", True),
        ("whats in it for each side? both sides pls", True),
        ("regular contacts + the diplomat training part", True),
        ("ana vega came in 2018 and the academy opened later — when was each?", True),
        ("which officials are named in each of the two articles", True),
        ("what happened in 2018, both the visit and the embassy", True),
        ("which sector shows up both in the projects and in the trade", True),
        ("how much did examplia and laos trade with each other", False),
        ("what agreements are both sides trying to make official", False),
        ("what did the two leaders agree on", False),
        ("does the deputy minister think the trip is a turning point for the two countries", False),
        ("do both sides want closer ties", False),
    ],
)
def test_a_question_asks_for_two_answers_by_its_words_not_by_naming_two_of_something(question, asks_two):
    assert asks_for_two(question) is asks_two


def test_a_follow_up_opening_with_and_is_one_question_not_two_halves(engine):
    """Only "examplia" explained: were "and" a split, the words after it would be a half
    left unanswered, and the user asked which they meant."""
    question = "and does examplia train young diplomats"
    terms = engine.read(question).terms
    assert not half_left_unanswered(question, terms, frozenset({"examplia"}), engine.index, 0.5)


def test_a_second_question_after_a_question_mark_may_put_its_question_word_last(engine):
    parts = question_parts("ana vega visited laos right? and examplia opened its embassy when?", engine.index.entities)
    assert parts == ("ana vega visited laos right", "examplia opened its embassy when")


def test_two_things_listed_after_the_question_are_each_asked(engine):
    parts = listed_parts("what does examplia do for laos, both the embassy and the academy", engine.index.entities)
    assert parts == ("what does examplia do for laos the embassy", "what does examplia do for laos the academy")


def test_a_question_listing_two_things_cites_a_fact_for_each(engine):
    answer = engine.ask("what has examplia set up: the sampletown embassy + the diplomat academy")
    assert {fact.id for fact in answer.facts} == {"embassy-2017", "diplomat-training"}


PARTNER_ARTICLE = (
    "The Republic of Examplia opened an embassy in Sampletown in 2017.\n"
    "Trade between Examplia and Laos reached $5 million in 2024.\n"
    "The foreign minister of Examplia, Ana Vega, visited Laos in 2018.\n"
    "Examplia trains young diplomats at its academy every summer.\n"
    "Examplia became a dialogue partner of the bloc in 2017.\n"
)
PARTNER_FACT = """\
facts:
  - id: partner-2017
    questions:
      - when did examplia become a dialogue partner
      - examplia dialogue partner of the bloc
      - is examplia a dialogue partner
    answer: Examplia became a dialogue partner of the bloc in 2017.
    citations:
      - source: examplia
        quote: Examplia became a dialogue partner of the bloc in 2017.
"""


@pytest.fixture
def dated_engine(make_kb) -> Engine:
    files = {"knowledge/entities.yaml": ENTITIES, "seeds/examplia.txt": PARTNER_ARTICLE}
    return Engine(load_knowledge(make_kb({**files, "knowledge/facts/partner.yaml": PARTNER_FACT})))


def test_two_things_asked_of_one_year_cite_a_fact_dated_that_year_for_each(dated_engine):
    assert cited(dated_engine, "what two things did examplia do in 2017") == {"embassy-2017", "partner-2017"}


def test_two_things_asked_of_a_year_no_fact_is_dated_get_no_two_facts(dated_engine):
    assert len(dated_engine.ask("what two things did examplia do in 2019").facts) < 2


def test_a_half_is_unanswered_when_no_fact_explains_its_own_words_though_it_shares_the_others(engine):
    """The words "foreign minister" and "visit" are in both halves: explaining them answers the first
    half only; the second asks whether the visit was a success, which no fact tells."""
    question = "when did the examplian foreign minister visit laos, and was the foreign minister's visit a success"
    assert engine.ask(question).status == "clarify"


@pytest.mark.parametrize(
    ("question", "second"),
    [
        ("name the minister who visited laos and also the name of the academy", "the name of the academy"),
        ("define the academy and tell me when examplia opened its embassy", "when examplia opened its embassy"),
    ],
)
def test_a_second_thing_asked_for_after_and_also_or_and_tell_me_is_a_second_question(question, second):
    halves = two_questions(question)
    assert halves is not None and halves[1] == second
