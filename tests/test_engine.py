"""The answer engine: outcomes, evidence rules, hostile questions, and the dev-set targets.

Tests over real articles use the frozen dev knowledge (tests/data/knowledge-dev), never knowledge/.
"""

from __future__ import annotations

import textwrap

import pytest

from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge

from .conftest import ROOT

SECOND_EMBASSY_FACT = textwrap.dedent(
    """\
    facts:
      - id: embassy-academy
        questions:
          - is there an academy at the examplia embassy
          - examplia embassy academy
          - does the embassy of examplia teach
        answer: Examplia trains young diplomats at its academy every summer.
        citations:
          - source: examplia
            quote: Examplia trains young diplomats at its academy every summer.
    """
)


@pytest.fixture
def engine(make_kb) -> Engine:
    return Engine(load_knowledge(make_kb()))


def test_a_matching_question_is_answered_with_its_citation(engine):
    answer = engine.ask("When did Examplia open its embassy?")
    assert answer.status == "answered"
    assert answer.fact.id == "embassy-2017"
    assert answer.fact.citations[0].quote.startswith("The Republic of Examplia opened an embassy")


def test_an_answer_carries_its_related_facts(engine):
    answer = engine.ask("when did examplia open its embassy")
    assert [fact.id for fact in answer.related] == ["minister-visit-2018"]


def test_aliases_reach_the_fact(engine):
    assert engine.ask("exampleland embassy").fact.id == "embassy-2017"


def test_typos_are_forgiven(engine):
    assert engine.ask("wen did examplia opn its embasy").fact.id == "embassy-2017"


def test_two_close_candidates_get_did_you_mean(make_kb):
    engine = Engine(load_knowledge(make_kb({"knowledge/facts/more.yaml": SECOND_EMBASSY_FACT})))
    answer = engine.ask("examplia embassy")
    assert answer.status == "clarify"
    assert {s.fact_id for s in answer.suggestions} >= {"embassy-2017", "embassy-academy"}
    assert answer.fact is None


def test_an_unknown_topic_is_declined(engine):
    answer = engine.ask("what is the population of examplia")
    assert answer.status == "no_answer"
    assert answer.fact is None


def test_a_decline_suggests_what_is_near(engine):
    answer = engine.ask("examplia")
    assert answer.status == "no_answer"
    assert 1 <= len(answer.suggestions) <= 3


def test_a_different_year_is_not_the_same_fact(engine):
    assert engine.ask("what was examplia laos trade in 2024").status == "answered"
    assert engine.ask("what was examplia laos trade in 2023").status != "answered"


def test_asking_when_needs_an_answer_that_says_when(dev_engine):
    answer = dev_engine.ask("when did thongloun sisoulith become president of laos")
    assert answer.status != "answered"


def test_asking_how_much_needs_an_answer_with_an_amount(dev_engine):
    assert dev_engine.ask("how much did turkey invest in lao hydropower").status != "answered"


def test_common_country_names_alone_never_decide(dev_engine):
    assert dev_engine.ask("laos vietnam").status != "answered"


def test_confidence_is_between_zero_and_one(dev_engine):
    for question in ("laos", "when did turkey open an embassy in laos", "276 projects", "x"):
        assert 0.0 <= dev_engine.ask(question).confidence <= 1.0


def test_show_returns_a_fact_as_an_answer(engine):
    answer = engine.show("trade-2024")
    assert answer.status == "answered" and answer.fact.id == "trade-2024"
    assert engine.show("no-such-fact") is None


def test_autocomplete_suggestions_are_known_phrasings(dev_engine):
    suggestions = dev_engine.suggest_questions("embassy vientiane", limit=25)
    assert 1 <= len(suggestions) <= 25
    for suggestion in suggestions:
        assert suggestion.question in dev_engine.kb.fact(suggestion.fact_id).questions


HOSTILE = {
    "empty": "",
    "whitespace": " \t\n  ",
    "10k characters": "embassy " * 1250,
    "10k one word": "x" * 10_000,
    "emoji only": "🤖🔥👋" * 50,
    "punctuation only": "?!.,;:-_()[]{}" * 20,
    "zero-width": "\u200b\u200c\u200d\ufeff" * 100 + "embassy\u200b",
    "control characters": "\x00\x01\x07\x1b[31mred\x7f",
    "mixed scripts": "Türkiye ລາວ Вьетнам Việt Nam 東京 عربى",
    "mentions": "<@123456789012345678> <@&1> @everyone @here <#99> who invited to lam",
    "markdown": "**bold** __under__ ~~strike~~ ||spoiler|| ```code``` [link](http://x)",
    "lone surrogate-like": "\ud7ff\ue000\uffff",
    "sql": "SELECT * FROM users WHERE 1=1; --",
    "rtl override": "\u202eevil\u202c embassy",
}


@pytest.mark.parametrize("question", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_questions_get_a_sane_outcome(dev_engine, question):
    answer = dev_engine.ask(question)
    assert answer.status in {"answered", "clarify", "no_answer"}
    assert answer.question == question
    # Not a benchmark (`bench` measures a 2,000-character question): a bound far above the
    # real time, even on a loaded machine, to catch a hang or a blow-up.
    assert answer.elapsed_ms < 10_000


def test_questions_without_content_are_declined_without_suggestions(dev_engine):
    for question in ("", "   ", "🤖🤖🤖", "?!?!", "hello there 👋"):
        answer = dev_engine.ask(question)
        assert answer.status == "no_answer" and answer.suggestions == ()


def test_a_greeting_or_a_thank_you_is_declined_as_nothing_asked(dev_engine):
    for message in ("hello there 👋", "thx that was actually helpful!!", "🤖🤖🤖"):
        assert dev_engine.ask(message).nothing_asked


@pytest.mark.parametrize("message", ["whats up", "what's up guys", "yo wassup?", "sup"])
def test_whats_up_is_a_greeting_not_a_question(engine, message):
    assert engine.ask(message).nothing_asked


def test_whats_up_with_a_topic_is_a_question(engine):
    assert not engine.ask("whats up with the examplia embassy").nothing_asked


def test_an_unknown_question_is_no_greeting(engine):
    assert not engine.ask("what is the population of examplia").nothing_asked


def test_dev_set_stays_above_the_measured_floor(dev_engine):
    """Not issue 9's targets (not met yet, see its closing note): the level measured when the
    calibrated decision landed, so a change that makes answers worse fails here."""
    from bot.moderation.evaluation import evaluate, load_cases

    report = evaluate(dev_engine, load_cases(ROOT / "tests" / "data" / "dev.yaml"))
    assert report.answerable_accuracy() >= 0.80
    assert report.false_answer_rate() <= 0.10
