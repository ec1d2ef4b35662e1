"""Comparisons of two subjects ("X compared with Y's", "in the X one and in the Y one"): one
fact for each, both cited; and the words asking to compare never find a fact themselves.
Each on tiny knowledge of its own: two articles, one about each partner of Laos."""

from __future__ import annotations

import textwrap

import pytest

from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge

ARTICLES = {
    "examplia": (
        "Examplia and Laos",
        [
            (
                "examplia-legal-basis",
                [
                    "what gives the legal basis for examplia laos ties",
                    "ministry talks examplia",
                    "do examplian ministries talk",
                ],
                "Regular talks between the ministries give the legal basis for Examplia–Laos ties.",
            ),
            (
                "examplia-sectoral",
                ["what is examplia's status in the bloc", "is examplia a sectoral partner", "examplia bloc since when"],
                "Examplia has been a sectoral partner of the bloc since 2017.",
            ),
            (
                "laos-full-member",
                ["is laos a full member of the bloc", "laos gateway to the bloc", "why is laos a gateway"],
                "Laos, as a full member of the bloc, is a gateway for Examplia.",
            ),
            (
                "laos-respected-voice",
                ["is laos respected in the bloc", "laos voice within the bloc", "does examplia value laos"],
                "Laos is a respected voice within the bloc, which Examplia values.",
            ),
        ],
    ),
    "otherland": (
        "Otherland and Laos",
        [
            (
                "otherland-treaties",
                ["why sign new treaties", "what do the otherland laos treaties aim for", "purpose of the treaties"],
                "The new treaties aim to give a stronger legal basis to Otherland–Laos ties.",
            ),
            (
                "otherland-growth",
                [
                    "how fast did otherland investment grow",
                    "otherland investment compared to last year",
                    "seven fold growth",
                ],
                "Otherland's investment in Laos grew seven-fold compared with the previous year.",
            ),
        ],
    ),
}
ENTITIES = textwrap.dedent(
    """\
    countries: [Examplia, Laos, Otherland, Farland]
    capitals: {}
    contrasts:
      - [full, sectoral]
    """
)
ALIASES = "aliases:\n  Examplia: [Examplian]\n  Laos: []\n  Otherland: []\n  Farland: []\n"


def _facts(source: str, facts: list[tuple[str, list[str], str]]) -> str:
    text = "facts:\n"
    for fact_id, questions, sentence in facts:
        asked = "".join(f"      - {q}\n" for q in questions)
        text += (
            f"  - id: {fact_id}\n    questions:\n{asked}    answer: {sentence}\n"
            f"    citations:\n      - source: {source}\n        quote: {sentence}\n"
        )
    return text


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    root = tmp_path_factory.mktemp("comparisons")
    kb_dir, seeds = root / "knowledge", root / "seeds"
    (kb_dir / "facts").mkdir(parents=True)
    seeds.mkdir()
    sources = "sources:\n"
    for source, (title, facts) in ARTICLES.items():
        (seeds / f"{source}.txt").write_text("\n".join(s for *_, s in facts) + "\n", encoding="utf-8")
        (kb_dir / "facts" / f"{source}.yaml").write_text(_facts(source, facts), encoding="utf-8")
        sources += f"  - id: {source}\n    title: {title}\n    publisher: Example News\n    file: {source}.txt\n"
    for name, text in {"sources.yaml": sources, "entities.yaml": ENTITIES, "aliases.yaml": ALIASES}.items():
        (kb_dir / name).write_text(text, encoding="utf-8")
    return Engine(load_knowledge(kb_dir, seeds))


def cited(engine: Engine, question: str) -> set[str]:
    answer = engine.ask(question)
    return {fact.id for fact in answer.facts} if answer.status == "answered" else set()


def test_a_comparison_of_two_country_pairs_cites_the_fact_for_each(engine):
    question = "what gives the legal basis in the examplia–laos ties and in the otherland–laos ones"
    assert cited(engine, question) == {"examplia-legal-basis", "otherland-treaties"}


def test_a_comparison_prefers_the_counterpart_saying_another_word_of_the_anchors_contrast(engine):
    # "full member" answers what "sectoral partner" does; "a respected voice" shares the words only.
    assert cited(engine, "what's laos' standing in the bloc compared with examplia's") == {
        "laos-full-member",
        "examplia-sectoral",
    }


def test_a_comparison_with_a_subject_no_fact_speaks_of_is_not_answered(engine):
    assert cited(engine, "what gives the legal basis in the examplia–laos ties and in the farland–laos ones") == set()


def test_a_fact_found_only_by_the_word_compared_is_never_joined(engine):
    # Otherland's article says nothing of the bloc; its "compared with the previous year"
    # must not pass for the comparison's other half.
    assert "otherland-growth" not in cited(engine, "is laos a member of the bloc compared with otherland")


def test_compare_a_with_b_then_a_question_of_the_two_cites_the_fact_for_each(engine):
    question = "compare the legal basis of examplia–laos ties with otherland–laos ones, which is stronger?"
    assert cited(engine, question) == {"examplia-legal-basis", "otherland-treaties"}


def test_a_or_b_at_the_end_compares_the_subject_right_before_the_or(engine):
    # Laos is named too, but it is Examplia's legal basis that is set against Otherland's.
    assert cited(engine, "what gives the legal basis for ties with laos, examplia's or otherland's?") == {
        "examplia-legal-basis",
        "otherland-treaties",
    }


def test_a_second_side_with_words_of_its_own_is_no_comparison(engine):
    from bot.engine.parallel import compared
    from bot.engine.settings import DEFAULT_SETTINGS

    # "a gateway" is Laos's own question, not "is examplia in the bloc" asked of Laos.
    assert compared("is examplia in the bloc or laos a gateway", engine, DEFAULT_SETTINGS) is None
