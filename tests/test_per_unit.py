"""A share worked out from one fact: "how much per project" of "$6.21 billion across 276 projects"."""

from __future__ import annotations

import pytest

from bot.engine.per_unit import per_unit
from bot.knowledge.normalize import EMPTY_ALIASES, AliasTable

ANSWER = "Cumulative registered capital has reached $6.21 billion across 276 projects."


def test_a_share_per_counted_thing_is_worked_out_from_the_amount_and_the_count():
    assert per_unit("roughly how much per project?", ANSWER, EMPTY_ALIASES) == (
        "$6.21 billion ÷ 276 projects ≈ $22.5 million per project."
    )


@pytest.mark.parametrize(
    "question",
    ["how much did each project get", "what's the average capital of a project", "capital divided by the projects"],
)
def test_each_average_and_divided_by_ask_for_a_share(question):
    assert "≈ $22.5 million per project" in per_unit(question, ANSWER, EMPTY_ALIASES)


def test_a_question_asking_no_share_gets_nothing_computed():
    assert per_unit("how much capital and how many projects", ANSWER, EMPTY_ALIASES) == ""


def test_as_per_asks_for_no_share():
    assert per_unit("as per the article, how much capital and how many projects", ANSWER, EMPTY_ALIASES) == ""


def test_a_share_of_something_the_fact_does_not_count_is_not_computed():
    assert per_unit("how much per investor", ANSWER, EMPTY_ALIASES) == ""


def test_an_answer_with_two_amounts_gets_nothing_computed():
    answer = "Trade rose from $1.2 billion to $2.4 billion across 300 projects."
    assert per_unit("how much per project", answer, EMPTY_ALIASES) == ""


def test_the_counted_thing_may_be_asked_in_another_language_through_its_alias():
    aliases = AliasTable.build([("projects", ["proyectos"])])
    assert "per project" in per_unit("cuanto capital por proyectos en promedio", ANSWER, aliases)


CAPITAL = "Examplian capital in Laos reached $3 million across 12 projects."
TOP = "Examplia remains among Laos' top foreign investors."


@pytest.fixture
def engine(make_kb):
    from bot.engine.pipeline import Engine
    from bot.knowledge.loader import load_knowledge

    def fact(fact_id: str, questions: list[str], sentence: str) -> str:
        asked = "".join(f"      - {q}\n" for q in questions)
        return (
            f"  - id: {fact_id}\n    questions:\n{asked}    answer: {sentence}\n"
            f"    citations:\n      - source: examplia\n        quote: {sentence}\n"
        )

    capital = ["how much examplian capital is in laos", "how many examplian projects are in laos", "capital total"]
    top = ["is examplia a top investor in laos", "examplia investor ranking", "where does examplia rank"]
    facts = "facts:\n" + fact("capital", capital, CAPITAL) + fact("top-investor", top, TOP)
    return Engine(
        load_knowledge(make_kb({"knowledge/facts/examplia.yaml": facts, "seeds/examplia.txt": f"{CAPITAL} {TOP}"}))
    )


def test_the_engine_states_the_share_beside_the_fact(engine):
    answer = engine.ask("how much examplian capital per project in laos on average")
    assert answer.status == "answered"
    assert answer.text.endswith("$3 million ÷ 12 projects ≈ $250 thousand per project.")


def test_a_two_fact_answer_states_the_share_one_of_them_gives(engine):
    answer = engine.ask("how much examplian capital per project is in laos, and is examplia a top investor there")
    assert {fact.id for fact in answer.facts} == {"capital", "top-investor"}
    assert answer.link == "$3 million ÷ 12 projects ≈ $250 thousand per project."
