"""Who did what to whom: a "who" question asks for the doer of a deed, which the answering
fact must tell of, done to the person the question names; and a claim put up to check is
corrected only by a fact about the parties it names. Each on tiny knowledge of its own."""

from __future__ import annotations

import textwrap

import pytest

from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge

from .tiny_facts import answered_by, fact, failed_for

ARTICLE = textwrap.dedent(
    """\
    Ben Ode visits Laos at the invitation of Ana Vega.
    A photo shows Ana Vega welcoming Ben Ode in Examplia last week.
    Trade between Sampleland and Laos reached 2 billion dollars in 2025.
    Examplian institutions offer scholarships to students from Laos.
    Sampleland keeps the region's oldest library.
    """
)
FILES = {
    "sources.yaml": "sources:\n  - id: examplia\n    title: Ben Ode in Laos\n    publisher: Example News\n    file: news.txt\n",
    "entities.yaml": "countries: [Examplia, Laos, Otherland, Sampleland]\npeople: [Ana Vega, Ben Ode]\n",
    "aliases.yaml": "aliases:\n  Examplia: [Examplian]\n  Laos: [lao]\n  Sampleland: []\n",
}


FACTS = "facts:\n" + "".join(
    [
        fact(
            "invitation",
            [
                "who invited ben ode to laos",
                "at whose invitation is ben ode visiting laos",
                "ben ode laos invitation",
            ],
            "Ben Ode visits Laos at the invitation of Ana Vega.",
        ),
        fact(
            "welcome-photo",
            ["who welcomed ben ode in examplia", "what does the photo of ben ode show", "ben ode welcome photo"],
            "A photo shows Ana Vega welcoming Ben Ode in Examplia last week.",
        ),
        fact(
            "trade",
            [
                "how much was sampleland laos trade in 2025",
                "sampleland laos trade 2025",
                "how big is trade between sampleland and laos",
            ],
            "Trade between Sampleland and Laos reached 2 billion dollars in 2025.",
        ),
        fact(
            "scholarships",
            ["do examplian institutions offer scholarships", "scholarships for lao students", "who gets scholarships"],
            "Examplian institutions offer scholarships to students from Laos.",
        ),
        fact(
            "library",
            ["where is the oldest library", "sampleland library", "does sampleland have an old library"],
            "Sampleland keeps the region's oldest library.",
        ),
    ]
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    root = tmp_path_factory.mktemp("deeds")
    (root / "seeds").mkdir()
    (root / "seeds" / "news.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "knowledge" / "facts").mkdir(parents=True)
    for name, text in FILES.items():
        (root / "knowledge" / name).write_text(text, encoding="utf-8")
    (root / "knowledge" / "facts" / "news.yaml").write_text(FACTS, encoding="utf-8")
    return Engine(load_knowledge(root / "knowledge", root / "seeds"))


def test_who_did_a_deed_is_answered_by_the_fact_that_tells_of_it(engine):
    assert answered_by(engine, "who invited ben ode to laos") == "invitation"


def test_who_did_a_deed_the_fact_never_tells_of_gets_no_answer_from_it(engine):
    """The photo names Ben Ode, Examplia and the person beside him, but not who greeted him."""
    assert "who" in failed_for(engine, "who greeted ben ode in examplia", "welcome-photo")
    assert answered_by(engine, "who greeted ben ode in examplia") is None


def test_whose_asks_for_the_doer_of_the_deed_it_names(engine):
    assert "who" in failed_for(engine, "at whose invitation was ben ode welcomed in examplia", "welcome-photo")


def test_a_deed_asked_whose_to_one_person_is_not_asked_of_it_done_to_another(engine):
    assert "roles swapped" in failed_for(engine, "at whose invitation did ana vega visit laos", "invitation")


def test_extending_an_invitation_asks_for_the_invitation(engine):
    assert answered_by(engine, "who extended the invitation to ben ode to visit laos") == "invitation"


def test_who_someone_is_asks_no_deed(engine):
    assert "who" not in failed_for(engine, "who is ana vega", "invitation")


def test_a_title_word_after_who_is_no_deed(engine):
    assert answered_by(engine, "who's the boss that invited ben ode to laos") == "invitation"


def test_who_did_a_deed_to_one_person_is_not_asked_of_who_did_it_to_another(engine):
    """Ana Vega invited Ben Ode; the article never says who invited Ana Vega."""
    assert "roles swapped" in failed_for(engine, "who invited ana vega to laos", "invitation")
    assert answered_by(engine, "who invited ana vega to laos") is None


def test_a_claim_about_its_own_parties_is_corrected(engine):
    answer = engine.ask("sampleland-laos trade hit 5 billion dollars in 2025, right?")
    assert answer.status == "answered" and answer.fact is not None and answer.fact.id == "trade"
    assert answer.corrects_claim


def test_a_claim_about_other_parties_is_not_corrected_by_a_fact_about_these(engine):
    """What Sampleland–Laos trade was says nothing against a claim about Otherland–Laos trade."""
    assert answered_by(engine, "otherland-laos trade hit 2 billion dollars in 2025, right?") is None
