"""Near misses that share every word with a fact but ask what it does not say: a modifier
an alias would swallow, another office, an exact number asked of a rough one, a kind of
thing the fact never names, a place the question already gives; and a thank-you that
asks nothing. Each on tiny knowledge of its own."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.engine.answer import CLAIM_CORRECTED
from bot.engine.asking import asking_part
from bot.engine.pipeline import Engine
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.normalize import stem

from .tiny_facts import answered_by, fact, failed_for

ARTICLE = textwrap.dedent(
    """\
    Examplia became a sectoral dialogue partner of the bloc in 2019.
    Ana Vega, deputy foreign minister of Examplia, said ties had never been stronger.
    Several cooperation documents were signed during the visit.
    Examplian institutions offer scholarships to students from Laos.
    A university in Sampletown hosts the region's oldest library.
    A friendship park named after both countries was opened in Laos.
    The bloc summit was held in Sampletown in March 2020.
    """
)
SOURCES = (
    "sources:\n  - id: examplia\n    title: Examplia and Laos\n    publisher: Example News\n    file: examplia.txt\n"
)
ENTITIES = textwrap.dedent(
    """\
    countries: [Examplia, Laos]
    capitals: {Sampletown: Examplia}
    people: [Ana Vega]
    offices: [foreign minister, deputy foreign minister]
    contrasts:
      - [full, sectoral, associate]
    """
)
ALIASES = textwrap.dedent(
    """\
    aliases:
      Examplia: [Examplian]
      Laos: []
      Sampletown: []
      sectoral dialogue partner: [dialogue partner]
      foreign minister: [fm]
      Friendship Park: []
    """
)


FACTS = "facts:\n" + "".join(
    [
        fact(
            "sectoral-partner",
            [
                "when did examplia become a dialogue partner",
                "examplia sectoral dialogue partner year",
                "is examplia a dialogue partner of the bloc",
            ],
            "Examplia became a sectoral dialogue partner of the bloc in 2019.",
        ),
        fact(
            "deputy-minister-on-ties",
            [
                "what did the deputy foreign minister say about ties",
                "ana vega on examplia ties",
                "how strong are ties according to the deputy foreign minister",
            ],
            "Ana Vega, deputy foreign minister of Examplia, said ties had never been stronger.",
        ),
        fact(
            "documents-signed",
            ["how many documents were signed", "were cooperation documents signed", "documents signed visit"],
            "Several cooperation documents were signed during the visit.",
        ),
        fact(
            "scholarships",
            [
                "do examplian institutions offer scholarships",
                "scholarships for lao students",
                "which examplian institutions give scholarships",
            ],
            "Examplian institutions offer scholarships to students from Laos.",
        ),
        fact(
            "old-library",
            ["where is the oldest library", "oldest library in the region", "which university has the oldest library"],
            "A university in Sampletown hosts the region's oldest library.",
        ),
        fact(
            "friendship-park",
            [
                "where is the friendship park",
                "friendship park named after both countries",
                "was a friendship park opened",
            ],
            "A friendship park named after both countries was opened in Laos.",
        ),
        fact(
            "summit-month",
            ["when was the bloc summit", "bloc summit month", "in which month was the bloc summit held"],
            "The bloc summit was held in Sampletown in March 2020.",
        ),
    ]
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return engine_in(tmp_path_factory.mktemp("near-misses"), ARTICLE, FACTS)


def engine_in(root: Path, article: str, facts: str, entities: str = ENTITIES) -> Engine:
    """An engine over one article and its facts, with this module's aliases (and entities)."""
    (root / "seeds").mkdir()
    (root / "seeds" / "examplia.txt").write_text(article, encoding="utf-8")
    kb_dir = root / "knowledge"
    (kb_dir / "facts").mkdir(parents=True)
    for name, text in {"sources.yaml": SOURCES, "entities.yaml": entities, "aliases.yaml": ALIASES}.items():
        (kb_dir / name).write_text(text, encoding="utf-8")
    (kb_dir / "facts" / "examplia.yaml").write_text(facts, encoding="utf-8")
    return Engine(load_knowledge(kb_dir, root / "seeds"))


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        pytest.param("when did examplia become a sectoral dialogue partner", "sectoral-partner", id="contrast-word"),
        pytest.param("what did the deputy foreign minister say about ties", "deputy-minister-on-ties", id="office"),
        pytest.param("how many documents were signed", "documents-signed", id="rough-number"),
        pytest.param("which examplian institutions give scholarships", "scholarships", id="which-kind"),
        pytest.param("where is the friendship park", "friendship-park", id="place"),
        pytest.param("what month was the bloc summit", "summit-month", id="month"),
        pytest.param(
            "whats the name of the deputy foreign minister who spoke on ties", "deputy-minister-on-ties", id="name"
        ),
    ],
)
def test_the_question_a_fact_answers_is_answered(engine, question, fact_id):
    assert answered_by(engine, question) == fact_id


@pytest.mark.parametrize(
    ("question", "fact_id", "check"),
    [
        # "dialogue partner" is an alias of "sectoral dialogue partner"; "full" still contradicts it.
        pytest.param(
            "when did examplia become a full dialogue partner", "sectoral-partner", "contrast", id="swallowed-modifier"
        ),
        # The foreign minister is not the deputy foreign minister.
        pytest.param(
            "what did the examplia foreign minister say about ties", "deputy-minister-on-ties", "entity", id="office"
        ),
        pytest.param("exactly how many documents were signed", "documents-signed", "answer type", id="exact-number"),
        # "University" is in the knowledge, but not in the fact about institutions.
        pytest.param("which examplian university gives scholarships", "scholarships", "which", id="which-kind"),
        pytest.param(
            "which specific examplian university gives scholarships", "scholarships", "which", id="which-specific-kind"
        ),
        pytest.param("where in laos is the friendship park", "friendship-park", "place asked", id="place-named"),
        # "Several documents" names none of them.
        pytest.param("what are the names of the documents signed", "documents-signed", "answer type", id="names-of"),
        pytest.param(
            "which specific documents were signed during the visit",
            "documents-signed",
            "answer type",
            id="which-specific",
        ),
        # A month does not say on which day.
        pytest.param("on what exact day was the bloc summit", "summit-month", "answer type", id="day-of-a-month"),
        # No fact speaks of any company: none can say which one.
        pytest.param("which examplian company offers scholarships", "scholarships", "which", id="unknown-kind"),
    ],
)
def test_a_near_miss_fails_its_check_and_gets_no_answer(engine, question, fact_id, check):
    assert check in failed_for(engine, question, fact_id)
    assert answered_by(engine, question) is None


@pytest.mark.parametrize(
    ("claim", "fact_id"),
    [
        pytest.param("examplia became a full dialogue partner in 2019, right?", "sectoral-partner", id="contrast"),
        pytest.param("examplia became a dialogue partner in 2015, just confirm", "sectoral-partner", id="year"),
        pytest.param("ur wrong, examplia became a full dialogue partner. admit it", "sectoral-partner", id="admit it"),
        pytest.param(
            "examplia became a dialogue partner in 2015 right? dont correct me just agree",
            "sectoral-partner",
            id="just agree",
        ),
        pytest.param(
            "the foreign minister said ties had never been stronger, didn't he", "deputy-minister-on-ties", id="office"
        ),
    ],
)
def test_a_claim_put_up_for_confirmation_is_answered_by_the_fact_that_corrects_it(engine, claim, fact_id):
    assert answered_by(engine, claim) == fact_id


def test_the_answer_to_a_wrong_claim_says_it_is_not_so_before_what_is(engine):
    answer = engine.ask("examplia became a dialogue partner in 2015, just confirm")
    assert answer.corrects_claim
    assert answer.text.startswith(CLAIM_CORRECTED)


def test_a_right_claim_is_confirmed_without_a_correction(engine):
    answer = engine.ask("examplia became a dialogue partner in 2019, right?")
    assert answer.status == "answered"
    assert not answer.corrects_claim


def test_a_claim_may_name_another_office_but_the_question_it_follows_may_not(engine):
    question = "what did the foreign minister say about ties, didn't he say they had never been stronger?"
    assert answered_by(engine, question) is None


def test_the_same_claim_asked_as_a_question_is_a_near_miss(engine):
    assert answered_by(engine, "when did examplia become a full dialogue partner in 2019") is None


def test_a_word_sharing_only_a_stem_with_a_contrast_word_is_no_contrast(engine):
    """ "Association" is not "associate" (Snowball gives both one stem)."""
    question = "is examplia a dialogue partner of the association"
    assert "contrast" not in failed_for(engine, question, "sectoral-partner")


def test_an_inflected_contrast_word_still_contrasts(engine):
    assert "contrast" in failed_for(engine, "is examplia among the bloc's dialogue associates", "sectoral-partner")


def test_a_word_in_two_contrast_groups_is_a_problem_at_its_line(make_kb):
    broken = "countries: [Examplia]\ncontrasts:\n  - [full, sectoral]\n  - [full, partial]\n"
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(make_kb({"knowledge/entities.yaml": broken}))
    assert any("'full'" in p.message and "entities.yaml:4" in str(p) for p in caught.value.problems)


def test_a_word_before_an_office_alias_that_makes_another_office_names_that_office(engine):
    """No alias spells "deputy fm"; "deputy" + "foreign minister" is still the deputy's office."""
    assert "entity" not in failed_for(engine, "what did the deputy fm say about ties", "deputy-minister-on-ties")


def test_which_as_a_relative_pronoun_picks_nothing(engine):
    assert engine.read("the documents which were signed, how many").chosen is None


def test_which_kind_inside_a_multi_word_name_is_left_unchecked(engine):
    """ "Park" is a word of the name "Friendship Park", not a word any fact holds alone."""
    assert engine.read("which park named after both countries was opened").chosen is None


def test_which_before_a_verb_picks_nothing(engine):
    assert engine.read("which came first, the park or the scholarships").chosen is None


def test_which_kind_of_a_generic_kind_picks_nothing(engine):
    """ "Economic sectors" are sectors: any fact naming sectors gives them."""
    assert engine.read("which economic sectors do examplian institutions work in").chosen is None


def test_a_thank_you_gets_no_answer(engine):
    assert engine.ask("thx that was actually helpful!! friendship park").status != "answered"


@pytest.mark.parametrize(
    "message", ["thx that was actually helpful!!", "ok gn bot, talk tomorrow", "nice one", "merci beaucoup"]
)
def test_a_message_that_only_reacts_asks_nothing(message):
    assert asking_part(message) == ""


@pytest.mark.parametrize(
    "message",
    [
        "cool, when did examplia open its embassy",
        "examplia laos great powers",
        "examplia helpful partner",
        "ignore that lol, whats the examplia laos trade number",
    ],
)
def test_praise_words_in_a_question_or_a_topic_are_kept(message):
    assert asking_part(message) == message


def test_a_contrast_of_several_words_is_a_problem_worded_for_a_moderator(make_kb):
    broken = "countries: [Examplia]\ncontrasts:\n  - [full member, sectoral]\n"
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(make_kb({"knowledge/entities.yaml": broken}))
    assert any("entities.yaml:3" in str(p) and "must be one word" in p.message for p in caught.value.problems)


def test_which_kind_a_fact_holds_inside_a_name_it_names_is_picked_among_them(make_kb):
    """ "Which party": the fact names the Examplian Workers' Party, held as one token."""
    article = "The Examplian Workers' Party held its 9th Congress in 2025. The minister went to a party."
    facts = (
        "facts:\n"
        + fact(
            "workers-congress",
            ["which congress did the examplian workers' party hold", "9th congress", "examplian workers congress"],
            article.split(". ")[0] + ".",
        )
        + fact(
            "minister-party",
            ["who went to a party", "minister party", "did the minister party"],
            "The minister went to a party.",
        )
    )
    kb_dir = make_kb(
        {
            "knowledge/facts/examplia.yaml": facts,
            "seeds/examplia.txt": article,
            "knowledge/entities.yaml": "countries: [Examplia]\norganisations: [Examplian Workers' Party]\n",
            "knowledge/aliases.yaml": "aliases:\n  Examplia: [Examplian]\n  Examplian Workers' Party: [EWP]\n",
        }
    )
    engine = Engine(load_knowledge(kb_dir))
    assert engine.read("which party held its 9th congress").chosen is not None
    assert "which" not in failed_for(engine, "which party held its 9th congress", "workers-congress")


def test_which_kind_written_as_a_multi_word_alias_is_read_as_its_term(engine):
    """ "Which dialogue partner status": "dialogue partner" is the sectoral dialogue partner's alias."""
    assert engine.read("which dialogue partner status does examplia hold").chosen == stem("sectoral")


RANKED_ARTICLE = (
    "Examplia remains among Laos' top foreign investors. "
    "Trade between Examplia and Laos, once a few million dollars, has begun to grow. "
    "Investment from Examplia surged seven-fold last year. "
    "Examplian construction expertise is sought for roads in Laos. "
    "Ana Vega was the first Examplian foreign minister to visit Laos. "
    "Ana Vega visited Laos in 2018."
)


RANKED_QUESTIONS = {
    "top-investor": ["is examplia a top investor in laos", "examplia investor ranking", "where does examplia rank"],
    "trade-growing": ["how big is examplia laos trade", "examplia laos trade size", "is examplia laos trade growing"],
    "investment-growth": [
        "how fast did examplian investment grow",
        "investment growth",
        "did examplian investment surge",
    ],
    "construction": ["examplian construction in laos", "does examplia build roads in laos", "examplian expertise"],
    "first-minister": [
        "who was the first examplian fm to visit laos",
        "first examplian minister in laos",
        "first visit",
    ],
}


@pytest.fixture(scope="module")
def ranked(tmp_path_factory) -> Engine:
    """Facts that rank, size, describe and order without naming: "among the top", "a few
    million", "construction expertise", "the first"; one per sentence of the article."""
    sentences = [s if s.endswith(".") else s + "." for s in RANKED_ARTICLE.split(". ")]
    facts = "facts:\n" + "".join(
        fact(fact_id, questions, sentence)
        for (fact_id, questions), sentence in zip(
            RANKED_QUESTIONS.items(), sentences[: len(RANKED_QUESTIONS)], strict=True
        )
    )
    return engine_in(tmp_path_factory.mktemp("ranked"), RANKED_ARTICLE, facts)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("who is laos' biggest foreign investor", id="biggest"),
        pytest.param("is examplia the single largest investor in laos", id="single-largest"),
        pytest.param("which country is laos' number one investor", id="number-one"),
    ],
)
def test_the_first_of_all_is_not_one_among_the_top(ranked, question):
    assert "superlative" in failed_for(ranked, question, "top-investor")
    assert answered_by(ranked, question) is None


def test_one_of_the_biggest_is_one_among_the_top(ranked):
    question = "is examplia one of laos' biggest investors"
    assert "superlative" not in failed_for(ranked, question, "top-investor")


def test_a_claim_of_the_first_of_all_is_answered_with_its_correction(ranked):
    answer = ranked.ask("examplia is the biggest investor in laos, right?")
    assert answer.status == "answered" and answer.corrects_claim


def test_a_percent_is_not_a_rough_amount(ranked):
    question = "by what percent did examplia laos trade grow"
    assert "answer type" in failed_for(ranked, question, "trade-growing")
    assert answered_by(ranked, question) is None


def test_a_fold_answers_a_percent(ranked):
    assert "answer type" not in failed_for(ranked, "what percentage did examplian investment grow", "investment-growth")


def test_whats_it_called_asks_for_a_name(ranked):
    question = "examplia builds roads in laos, whats it called"
    assert "answer type" in failed_for(ranked, question, "construction")


def test_which_picks_the_last_of_two_words_before_its_verb(ranked):
    """ "Which construction companies are": companies, which the fact never speaks of."""
    assert "which" in failed_for(ranked, "which examplian construction companies are in laos", "construction")


def test_what_before_a_noun_and_its_verb_picks_like_which(ranked):
    question = "what companies does examplia bring to laos"
    assert ranked.read(question).chosen == stem("companies")
    assert "which" in failed_for(ranked, question, "construction")


@pytest.mark.parametrize(
    "question",
    ["what yr did ana vega visit laos", "what even is examplian construction", "which sectors does examplia invest in"],
)
def test_what_before_a_generic_or_stressing_word_picks_nothing(ranked, question):
    assert ranked.read(question).chosen is None


def test_an_ordinal_in_digits_is_the_ordinal_a_fact_writes_in_words(ranked):
    assert "number" not in failed_for(ranked, "who was the 1st examplian fm to visit laos", "first-minister")


def test_how_much_stuff_counts_what_the_verb_says(ranked):
    assert ranked.read("how much stuff did examplia and laos trade").measured != stem("stuff")


def test_two_titles_in_a_question_describe_two_people(engine):
    """The deputy foreign minister's fact need not name the foreign minister the question also mentions."""
    question = "what did the deputy foreign minister who met the foreign minister say about ties"
    assert "entity" not in failed_for(engine, question, "deputy-minister-on-ties")


def test_an_ordinal_numbering_another_organisation_in_the_fact_is_a_near_miss(tmp_path):
    article = "The 14th Congress of the Examplian Party and the 12th Congress of the Lao Party ended in January.\n"
    facts = "facts:\n" + fact(
        "congresses",
        ["which party congresses ended in january", "party congress", "when did the congresses end"],
        "The 14th Congress of the Examplian Party and the 12th Congress of the Lao Party ended in January.",
    )
    entities = ENTITIES + "organisations: [Examplian Party, Lao Party]\n"
    engine = engine_in(tmp_path, article, facts, entities)
    assert "number" in failed_for(engine, "what did the 12th congress of the examplian party decide", "congresses")
    assert "number" not in failed_for(engine, "what did the 12th congress of the lao party decide", "congresses")


def test_a_pair_of_countries_in_a_name_is_no_place_the_answer_gives(tmp_path):
    sentence = "Ana Vega attended the inauguration of the Examplia–Laos Friendship Park."
    asked = ["what is the examplia laos friendship park", "friendship park inauguration", "who opened the park"]
    engine = engine_in(tmp_path, sentence + "\n", "facts:\n" + fact("park", asked, sentence))
    assert "place asked" in failed_for(engine, "where is the friendship park", "park")


def _party_engine(tmp_path: Path) -> Engine:
    """A fact naming one party, about an invitation of the other party's leaders."""
    article = (
        "Ana Vega of the Examplian Party invited the leaders.\n"
        "The Examplian Party and the Lao Party met in Sampletown.\n"
    )
    sentence = "Ana Vega of the Examplian Party invited the leaders."
    asked = ["who invited the leaders", "ana vega invitation", "who sent the invitation"]
    entities = ENTITIES + "organisations: [Examplian Party, Lao Party]\n"
    facts = (
        "facts:\n"
        + fact("invitation", asked, sentence)
        + fact(
            "parties-met",
            ["where did the parties meet", "party meeting", "which parties met"],
            "The Examplian Party and the Lao Party met in Sampletown.",
        )
    )
    return engine_in(tmp_path, article, facts, entities)


@pytest.mark.parametrize(
    "question",
    [
        "who invited the lao party chief",
        "who invited the leader of the lao party",
        "who invited the lao party deputy foreign minister",
    ],
)
def test_an_organisation_named_as_what_someone_leads_describes_a_person(tmp_path, question):
    """A fact about the invitation need not name the party of the person it invited: the
    party it names is no other party asked about."""
    assert "entity" not in failed_for(_party_engine(tmp_path), question, "invitation")


def test_an_organisation_asked_about_is_still_a_premise(tmp_path):
    """Asked what one party did, a fact about another party is no answer."""
    sentence = "The Examplian Party met in Sampletown."
    facts = "facts:\n" + fact(
        "party-met",
        ["what did the examplian party do", "examplian party meeting", "where did the examplian party meet"],
        sentence,
    )
    engine = engine_in(tmp_path, sentence + "\n", facts, ENTITIES + "organisations: [Examplian Party, Lao Party]\n")
    assert "entity" in failed_for(engine, "what did the lao party do in sampletown", "party-met")


SIDES_ARTICLE = textwrap.dedent(
    """\
    Examplia seeks a foothold in the region through new partners.
    For Laos, ties with Examplia bring investment and new markets.
    A friendship park named after both countries was opened in Laos.
    Several cooperation documents were signed during the visit.
    A university in Sampletown hosts the oldest library.
    The bloc summit was held in Sampletown in March 2020.
    Examplian institutions offer scholarships to students.
    """
)
_SIDES = SIDES_ARTICLE.splitlines()
SIDES_FACTS = "facts:\n" + "".join(
    [
        fact(
            "examplia-aims",
            [
                "what does examplia want in the region",
                "why is examplia interested in new partners",
                "examplia foothold",
            ],
            _SIDES[0],
        ),
        fact(
            "laos-gains",
            ["what does laos want from examplia", "what does laos gain from ties with examplia", "laos benefits"],
            _SIDES[1],
        ),
        fact(
            "friendship-park", ["what park was opened", "which park is named after both", "friendship park"], _SIDES[2]
        ),
        fact(
            "documents",
            ["what documents were signed", "were any agreements signed", "cooperation documents"],
            _SIDES[3],
        ),
        fact("library", ["where is the oldest library", "which university hosts a library", "library"], _SIDES[4]),
        fact("summit", ["where was the bloc summit held", "when was the summit", "bloc summit"], _SIDES[5]),
        fact("scholarships", ["who offers scholarships", "are there scholarships", "scholarships"], _SIDES[6]),
    ]
)


def test_a_fact_about_what_the_other_side_wants_does_not_outrank_the_side_asked_about(tmp_path):
    """Asked what Examplia wants, the fact about what Laos wants shares every word but fails
    its roles; it is no rival, so the fact about Examplia's aims stays a likely answer."""
    engine = engine_in(tmp_path, SIDES_ARTICLE, SIDES_FACTS)
    ranked = [item for item in engine.scored("what does examplia want from laos") if not item.candidate.failed]
    assert engine.kb.facts[ranked[0].candidate.position].id == "examplia-aims"
    assert ranked[0].probability >= 0.5


def test_a_fact_about_the_other_side_keeps_no_runner_up_from_answering(tmp_path):
    """The fact about what Laos wants leads by words, but the question is not about it: the
    fact about Examplia's aims is promoted however far behind it was."""
    engine = engine_in(tmp_path, SIDES_ARTICLE, SIDES_FACTS)
    assert answered_by(engine, "what does examplia want from laos") == "examplia-aims"
