"""How a question is read before matching: misspelt names mended, words in other
languages and everyday synonyms brought to the knowledge's own words."""

from __future__ import annotations

from bot.engine.pipeline import Engine
from bot.engine.spelling import NameMender
from bot.knowledge.loader import load_knowledge
from bot.knowledge.normalize import words

KNOWN = frozenset({"to", "lao", "friendship", "park"})


def _mender() -> NameMender:
    return NameMender.build(["to lam", "friendship park", "laos"], KNOWN, min_similarity=80)


def test_a_misspelt_multi_word_name_is_spelled_as_the_aliases_spell_it():
    assert _mender().mend("when did to lamm visit") == "when did to lam visit"
    assert _mender().mend("the freindship park opened") == "the friendship park opened"


def test_a_word_the_knowledge_uses_is_never_mended_into_a_name():
    assert _mender().mend("he went to lao") == "he went to lao"


def test_a_misspelt_one_word_name_is_mended_when_no_dictionary_knows_the_word():
    mender = NameMender.build([], KNOWN, min_similarity=80, names=["turkey", "turkiye", "vientiane", "italie"])
    assert mender.mend("wen did turky open its embassy in vientaine") == (
        "wen did turkey open its embassy in vientiane"
    )
    assert mender.mend("bold italic text") == "bold italic text"  # "italic" is a word, not Italy


def test_a_misspelt_name_reaches_its_fact(dev_engine):
    answer = dev_engine.ask("when did to lamm visit laos")
    assert answer.status == "answered"
    assert answer.fact.id == "to-lam-visit-date"


def test_a_short_word_with_two_letters_swapped_is_corrected(make_kb):
    engine = Engine(load_knowledge(make_kb()))
    assert [term.token for term in engine.lexical.terms("examplia embassy yaer")][-1] == "year"


def test_a_chat_spelling_of_a_lot_is_no_topic_word(make_kb):
    engine = Engine(load_knowledge(make_kb()))
    assert [term.token for term in engine.lexical.terms("examplia trade grew alot")] == ["examplia", "trade", "grew"]


def test_an_unknown_word_with_an_ending_counts_as_the_known_word_it_begins_with(make_kb):
    engine = Engine(load_knowledge(make_kb()))
    assert "examplia" in [term.token for term in engine.lexical.terms("examplelanddaki embassy")]


def test_a_word_written_with_another_language_s_accents_is_never_an_english_typo(dev_engine):
    tokens = [term.token for term in dev_engine.read("quyết tâm").terms]
    assert "quiet" not in tokens
    assert "quiet" in [term.token for term in dev_engine.read("quyet").terms]  # typed plain, it may be one


def test_function_words_of_vietnamese_and_turkish_questions_carry_no_topic():
    assert words("Cường nói gì về việc chuyển từ hợp tác") == ["cuong", "chuyen", "hop", "tac"]
    assert words("hangi kurum aracılığıyla kullanıyor") == ["kurum"]


def test_an_unknown_word_written_with_accents_weighs_as_a_foreign_word_not_an_english_one(make_kb):
    """ "sâu" (Vietnamese: deep) folds to "sau"; it says no more than any other foreign word."""
    engine = Engine(load_knowledge(make_kb()))
    accented = engine.lexical.terms("examplia sau", frozenset({"sau"}))[-1]
    plain = engine.lexical.terms("examplia sau")[-1]
    assert accented.token == plain.token == "sau" and not accented.known
    assert accented.weight == plain.weight * engine.settings.non_word_factor


def test_a_title_beside_a_name_weighs_less_than_the_same_title_asked_alone(make_kb):
    entities = "countries: [Examplia, Laos]\npeople: [Ana Vega]\noffices: [foreign minister]\n"
    engine = Engine(load_knowledge(make_kb({"knowledge/entities.yaml": entities})))

    def weight(question: str, token: str) -> float:
        return next(t.weight for t in engine.read(question).terms if t.token == token)

    beside = weight("when did foreign minister ana vega visit laos", "foreign")
    assert beside < weight("when did the foreign minister visit laos", "foreign")
    assert weight("when did ana vega visit laos", "visit") == weight(
        "when did foreign minister ana vega visit laos", "visit"
    )
