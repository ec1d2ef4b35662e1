"""Premise checks on the roles a question gives its countries: each a question whose words
and names all match a fact that still cannot answer it."""

from __future__ import annotations

import pytest

from bot.engine.premises import answers_the_mirror, fact_premises, failed_checks, question_premises
from bot.knowledge.entities import EntityTable
from bot.knowledge.normalize import fold
from bot.knowledge.schema import EntitiesFile


@pytest.fixture
def table() -> EntityTable:
    entities = EntitiesFile(
        countries=("Examplia", "Laos", "Otherland"),
        capitals={"Sampletown": "Examplia", "Vientiane": "Laos"},
    )
    return EntityTable.build(entities, [("Examplia", ("Examplian",)), ("Laos", ("Lao",))])


def _fails(table: EntityTable, question: str, asked: list[str], said: list[str]) -> tuple[str, ...]:
    return failed_checks(question_premises(table, question), fact_premises(table, asked, said, frozenset()))


def test_a_word_given_to_the_other_country_is_a_swapped_role(table):
    asked, said = ["does examplia train lao diplomats"], ["Lao diplomats train at Examplian institutions."]
    assert "roles swapped" in _fails(table, "which lao institutions train examplian diplomats", asked, said)
    assert _fails(table, "which examplian institutions train lao diplomats", asked, said) == ()


def test_a_capital_before_a_word_places_it_and_swaps_nothing(table):
    asked, said = ["when did examplia open its embassy"], ["The Examplian embassy in Vientiane opened in 2017."]
    assert "roles swapped" not in _fails(table, "when did examplia open the vientiane embassy", asked, said)


def test_what_a_fact_says_is_for_one_country_does_not_answer_what_is_in_it_for_the_other(table):
    asked, said = ["why does laos want ties with examplia"], ["For Laos, ties with Examplia bring investment."]
    assert "roles swapped" in _fails(table, "whats in it for examplia", asked, said)
    assert "roles swapped" in _fails(table, "qu'est-ce que ça apporte pour la examplia", asked, said)
    assert _fails(table, "whats in it for laos", asked, said) == ()


@pytest.mark.parametrize(
    "question",
    [
        "what does examplia get from it",
        "what does examplia actually gain",
        "what does examplia want out of this",
        "examplia icin laos neden onemli",  # Turkish puts "for" after the country
    ],
)
def test_the_country_that_gets_or_wants_is_the_one_it_is_for(table, question):
    asked, said = ["why does laos want ties with examplia"], ["For Laos, ties with Examplia bring investment."]
    assert "roles swapped" in _fails(table, question, asked, said)


def test_what_the_country_it_is_for_gets_is_no_swapped_role(table):
    asked, said = ["why does laos want ties with examplia"], ["For Laos, ties with Examplia bring investment."]
    assert _fails(table, "what does laos gain from examplia", asked, said) == ()


def test_after_a_country_needs_a_fact_that_orders_something_after_it(table):
    asked, said = (
        ["which country did examplia visit first"],
        ["Laos was the first country visited, after the congress."],
    )
    assert "order" in _fails(table, "which country will examplia visit after laos", asked, said)


def test_before_a_countrys_event_orders_by_the_event_not_the_country(table):
    asked, said = ["which congresses ended before the visit"], ["The visit comes weeks after the congress."]
    assert "order" not in _fails(table, "which congresses ended before examplia's visit", asked, said)


def test_a_country_the_fact_names_only_as_a_place_cannot_act_in_the_question(table):
    asked, said = ["who wrote the article"], ["Two students in Sampletown wrote it."]
    assert "only a place" in _fails(table, "what do the authors say about sampletown's ties", asked, said)
    assert "only a place" not in _fails(table, "who wrote the article in sampletown", asked, said)


def test_asking_when_something_ended_needs_a_fact_that_tells_an_end(table):
    asked = ["when did bo ren visit laos"]
    assert "end" in _fails(table, "when did bo ren's term end", asked, ["Bo Ren, then minister, visited in 2018."])
    assert "end" not in _fails(table, "when did bo ren's term end", asked, ["Bo Ren's term ended in 2020."])


def test_asking_when_someone_took_an_office_needs_a_fact_that_tells_it():
    entities = EntitiesFile(countries=("Examplia", "Laos"), offices=("foreign minister",))
    table = EntityTable.build(entities, [("Examplia", ("Examplian",))])
    asked = ["when will the foreign minister visit laos"]
    said = ["Foreign Minister Bo Ren will make his first visit to Laos in 2026."]
    assert "start" in _fails(table, "when did bo ren first become foreign minister", asked, said)
    assert "start" not in _fails(
        table, "when did bo ren first become foreign minister", asked, ["Bo Ren was appointed in 2024."]
    )
    assert "start" not in _fails(table, "when did examplia become a partner of laos", asked, said)  # no office


def test_a_question_dating_a_thing_as_past_is_not_answered_by_a_fact_that_foretells_it(table):
    asked, said = ["what will examplia and laos sign"], ["Examplia and Laos are expected to sign two accords."]
    assert "not yet" in _fails(table, "what did examplia and laos sign last month", asked, said)
    assert _fails(table, "what will examplia and laos sign", asked, said) == ()


def test_to_after_a_relating_word_names_no_place(table):
    """ "Closer to Laos" relates Laos; "a visit to Laos" places the visit there."""
    assert {m.name: m.place for m in table.mentions("it brought examplia closer to laos")} == {
        "examplia": False,
        "laos": False,
    }
    assert {m.name: m.place for m in table.mentions("the examplian minister went to laos")} == {
        "examplia": False,
        "laos": True,
    }


def test_an_office_given_to_another_country_is_a_swapped_role():
    """ "Laos' foreign minister" is not the Examplian foreign minister who visited Laos."""
    entities = EntitiesFile(countries=("Examplia", "Laos"), offices=("foreign minister",))
    table = EntityTable.build(entities, [("Examplia", ("Examplian",)), ("Laos", ("Lao",))])
    asked, said = ["who visited laos"], ["The Examplian foreign minister visited Laos in 2018."]
    assert "roles swapped" in _fails(table, "who is laos foreign minister", asked, said)
    assert "roles swapped" not in _fails(table, "who is examplia's foreign minister", asked, said)


def test_a_pair_of_countries_qualifies_its_word_together(table):
    """ "Examplia Laos embassy" (keywords) is the pair's embassy, not Laos's: no swapped role."""
    asked, said = ["when did examplia open its embassy"], ["The Examplian embassy in Vientiane opened in 2017."]
    assert "roles swapped" not in _fails(table, "examplia laos embassy 2017", asked, said)
    assert "roles swapped" in _fails(table, "lao embassy 2017", asked, said)


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("什么时候在样城开设", True),  # Chinese: 在 before the name, no space
        ("ตุรกีเปิดในแซมเปิลทาวน์", True),  # Thai: ใน before it
        ("샘플타운에 대사관", True),  # Korean: the particle is written onto the name
        ("샘플타운은 언제", False),
        ("Sampletown에 대사관", True),  # Korean after a Latin name: the next word
        ("サンプルタウンに大使館", True),  # Japanese: right after the name
        ("サンプルタウンについて", False),  # "about", not "in"
        ("सैंपलटाउन में दूतावास", True),  # Hindi: the next word
        ("متى في سامبلتاون", True),  # Arabic: a place word before it
    ],
)
def test_a_place_is_marked_where_each_language_marks_it(question, place):
    entities = EntitiesFile(countries=("Examplia",), capitals={"Sampletown": "Examplia"})
    table = EntityTable.build(
        entities, [("Sampletown", ("样城", "แซมเปิลทาวน์", "샘플타운", "サンプルタウン", "सैंपलटाउन", "سامبلتاون"))]
    )
    assert [m.place for m in table.mentions(fold(question))] == [place]


def test_a_pair_of_countries_after_in_is_no_place(table):
    assert {m.name: m.place for m in table.mentions("the turning point in examplia laos relations")} == {
        "examplia": False,
        "laos": False,
    }


def test_an_ordinal_written_as_a_plain_number_is_the_same_number(table):
    """ "Đại hội 14" is the 14th congress; the 15th is another one."""
    asked, said = ["when did the congress end"], ["The 14th congress ended in January."]
    assert "number" not in _fails(table, "when did the 14 congress end", asked, said)
    assert "number" in _fails(table, "when did the 15th congress end", asked, said)


def test_two_countries_joined_by_and_own_the_next_word_together(table):
    """ "Examplia and Laos sign" gives "sign" to neither alone: "Laos and Examplia sign" is the same."""
    asked, said = ["what will they sign"], ["Examplia and Laos sign two accords."]
    assert "roles swapped" not in _fails(table, "what will laos and examplia sign", asked, said)


def test_a_country_before_a_word_for_what_two_share_owns_nothing(table):
    """ "Examplia ties", asked from Laos's side, are Laos's ties with Examplia."""
    asked, said = ["what does laos gain"], ["For Laos, ties with Examplia give access to investment."]
    assert "roles swapped" not in _fails(table, "what does laos get out of examplia ties", asked, said)


def test_only_what_a_fact_says_gives_a_word_to_another_country(table):
    """A phrasing in keywords ("... laos total capital") cannot take "total" from Examplia:
    its word order says nothing of who owns what."""
    asked, said = (
        ["examplian investment laos total capital"],
        ["Cumulative Examplian capital in Laos reached $6 billion."],
    )
    assert "roles swapped" not in _fails(table, "examplia's total capital in laos", asked, said)
    assert "roles swapped" in _fails(table, "laos's capital in examplia", asked, said)


def test_a_rank_in_chat_is_no_number_the_fact_must_give(table):
    """ "Examplia's no. 2" ranks a person; "the 15th congress" still numbers one."""
    asked, said = ["what did the deputy minister say"], ["The Examplian deputy minister praised the 14th congress."]
    assert "number" not in _fails(table, "what did examplia's no. 2 say", asked, said)
    assert "number" in _fails(table, "what did examplia's no. 2 say about the 15th congress", asked, said)


def test_a_phrasing_reading_a_word_as_the_questions_country_keeps_it_from_a_swap(table):
    """ "Examplia top investor laos" asks what the fact says as "Laos' top investors"."""
    asked, said = ["examplia top foreign investor laos"], ["Examplia remains among Laos' top foreign investors."]
    assert "roles swapped" not in _fails(table, "examplia top foreign investor laos", asked, said)
    assert "roles swapped" in _fails(table, "examplia top foreign investor laos", ["is examplia investing"], said)


@pytest.mark.parametrize(
    "question", ["what did the deputy minister say, explain like im 5", "what did the deputy minister say 2 laos"]
)
def test_chat_idioms_with_digits_are_no_number_the_fact_must_give(table, question):
    """ "Explain like im 5" is an idiom, and a 2 before a name is "to"."""
    asked, said = ["what did the deputy minister say"], ["The Examplian deputy minister praised the 14th congress."]
    assert "number" not in _fails(table, question, asked, said)


def test_a_2_before_a_word_that_is_no_name_is_still_a_number(table):
    asked, said = ["what did the deputy minister say"], ["The Examplian deputy minister praised the 14th congress."]
    assert "number" in _fails(table, "what did the 2 deputy ministers say", asked, said)


def test_a_fact_telling_what_is_in_it_for_the_other_country_answers_the_mirror_question(table):
    asked, said = ["why does laos want ties with examplia"], ["For Laos, ties with Examplia bring investment."]
    fact = fact_premises(table, asked, said, frozenset())
    assert answers_the_mirror(question_premises(table, "whats in it for examplia"), fact)
    assert not answers_the_mirror(question_premises(table, "whats in it for laos"), fact)


def test_an_office_given_to_another_country_is_no_mirror_question():
    """ "Laos' foreign minister" asked of Examplia's swaps a role, but no fact about Laos's own
    foreign minister is its mirror: the facts near it still compete."""
    entities = EntitiesFile(countries=("Examplia", "Laos"), offices=("foreign minister",))
    table = EntityTable.build(entities, [("Examplia", ("Examplian",)), ("Laos", ("Lao",))])
    asked, said = ["who visited laos"], ["The Examplian foreign minister visited Laos in 2018."]
    fact = fact_premises(table, asked, said, frozenset())
    assert not answers_the_mirror(question_premises(table, "who is laos foreign minister"), fact)
