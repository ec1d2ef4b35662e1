"""Normalization and aliases: the same words must meet however they are typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge
from bot.knowledge.normalize import AliasTable, fold, tokens, unspaced_script, words

from .conftest import DEV_KB, SEEDS


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Mevlüt ÇAVUŞOĞLU", "mevlut cavusoglu"),
        ("İstanbul ılık", "istanbul ilik"),
        ("Nguyễn Mạnh Cường, Đà Nẵng", "nguyen manh cuong da nang"),
        ("Türkiye'nin Laos'taki", "turkiye laos"),
        ("Qu'est-ce que l'ambassade", "est ce que ambassade"),
        ("$6.21 billion, 3,000 people in 2017", "6.21 billion 3000 people in 2017"),
        ("zero\u200bwidth\u200d and\x00control\x07", "zerowidth and control"),
        ("<@123456789012345678> <@&876543210987654321> <#42> hi", "hi"),
        ("**bold** _italic_ `code` > quote", "bold italic code quote"),
        ("Какие партийные съезды", "какие партииные съезды"),
    ],
)
def test_fold_removes_case_diacritics_markup_and_punctuation(typed, folded):
    assert fold(typed) == folded


def test_fold_bounds_the_work_on_huge_input():
    assert len(fold("word " * 10_000)) < 2_100


def test_stopwords_and_light_verbs_carry_no_weight():
    assert tokens("what is going on with the") == []


@pytest.mark.parametrize(
    "question_words",
    [
        "när och varför",
        "hvornår og hvorfor",
        "milloin ja miksi",
        "kdy a proč",
        "când și de ce",
        "mikor és miért",
        "lini na kwa nini",
        "коли і чому",
        "πότε και γιατί",
    ],
)
def test_question_and_function_words_of_more_languages_carry_no_weight(question_words):
    assert tokens(question_words) == []


def test_chat_spellings_of_function_words_carry_no_weight():
    assert tokens("wat do u hav frm them, how mny coz i rly dunno") == []
    assert tokens("whn, this vs that") == tokens("this that")


def test_stemming_makes_inflections_meet():
    assert tokens("investors invested") == tokens("investor invest")
    assert tokens("съезды") == tokens("съезда")


@pytest.fixture(scope="module")
def bundled_aliases() -> AliasTable:
    kb = load_knowledge(DEV_KB, SEEDS)
    return AliasTable.build(kb.aliases, stands_for=kb.entities.capitals)  # as the index builds it


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("Turkey", "Türkiye"),
        ("Ankara", "Türkiye"),
        ("Lao PDR", "Laos"),
        ("Hanoi", "Vietnam"),
        ("Việt Nam", "Vietnam"),
        ("Tô Lâm", "To Lam"),
        ("Thongloum", "Thongloun Sisoulith"),
        ("Cavusoglu", "Mevlüt Çavuşoğlu"),
        ("Thổ Nhĩ Kỳ", "Türkiye"),
        ("Турции", "Türkiye"),
        ("посольство", "embassy"),
        ("ລາວ", "Laos"),
        ("ambassade", "embassy"),
        ("büyükelçiliği", "embassy"),
    ],
)
def test_bundled_aliases_map_names_and_translations(bundled_aliases, variant, canonical):
    assert tokens(variant, bundled_aliases) == tokens(canonical, bundled_aliases)


def test_lao_script_is_matched_inside_unspaced_text(bundled_aliases):
    # "Laos is a full member of ASEAN?" written without spaces, as Lao is.
    assert {"asean", "lao"} <= set(tokens("ລາວເປັນສະມາຊິກເຕັມຕົວຂອງອາຊຽນບໍ", bundled_aliases))


def test_multi_word_names_count_as_one_word(bundled_aliases):
    assert tokens("To Lam and Thongloun Sisoulith", bundled_aliases) == ["tolam", "thonglounsisoulith"]


def test_han_and_kana_variants_are_found_inside_text_without_spaces():
    table = AliasTable.build([("Türkiye", ("土耳其", "トルコ")), ("embassy", ("大使馆", "大使館"))])
    assert words("土耳其什么时候在万象开设大使馆", table) == ["turkiye", "embassy"]
    assert words("トルコはいつ大使館を開いたの", table) == ["turkiye", "embassy"]


def test_a_title_written_in_other_terms_words_is_found_through_their_variants():
    table = AliasTable.build(
        [
            ("Examplia", ("Examplian",)),
            ("general secretary", ("party boss",)),
            ("Bo Ren", ("examplia general secretary",)),
        ]
    )
    assert table.apply(fold("when does the examplian party boss visit")) == "when does the boren visit"


def test_a_name_is_found_when_a_question_spells_its_words_another_way():
    table = AliasTable.build([("Examplia", ("Examplian",)), ("EDA", ("examplian development agency",))])
    assert table.apply(fold("what does examplia's development agency do")) == "what does eda do"


def test_unspaced_text_that_no_alias_names_is_dropped():
    table = AliasTable.build([("embassy", ("大使馆",))])
    assert words("什么时候开设的", table) == []


def test_the_longer_of_two_unspaced_variants_wins():
    table = AliasTable.build([("embassy", ("大使馆",)), ("ambassador", ("大使",))])
    assert words("大使馆在哪里", table) == ["embassy"]


def test_unspaced_script_and_hangul_are_words_apart_from_latin_letters_and_digits():
    assert fold("2017年To Lam访问ASEAN에") == fold("2017 年 To Lam 访问 ASEAN 에")


def test_a_latin_name_touching_unspaced_script_is_still_found():
    table = AliasTable.build([("To Lam", ()), ("visit", ("访问",))])
    assert words("To Lam访问了", table) == ["tolam", "visit"]


@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("in che anno il ministro è andato per la prima volta", ["anno", "ministro", "andato", "prima", "volta"]),
        ("wat is het doel van het bezoek", ["doel", "bezoek"]),
        ("jakie dokumenty ma podpisać wietnam", ["dokumenty", "podpisac", "wietnam"]),
        ("ano ang layunin ng pagbisita", ["layunin", "pagbisita"]),
    ],
)
def test_function_words_of_italian_dutch_polish_and_tagalog_carry_no_weight(question, content):
    assert words(question) == content


def test_a_korean_particle_left_apart_from_a_latin_name_is_a_stopword():
    table = AliasTable.build([("ASEAN", ())])
    assert words("ASEAN에", table) == ["asean"]


def test_a_hangul_variant_takes_the_particles_written_onto_it():
    table = AliasTable.build([("Laos", ("라오스",))])
    assert words("라오스는", table) == words("라오스를", table) == ["laos"]


def test_a_hangul_variant_is_found_only_at_the_start_of_a_word():
    table = AliasTable.build([("investment", ("투자",))])
    assert "investment" not in words("재투자", table)


@pytest.mark.parametrize("written", ["تعاون", "التعاون", "والتعاون", "بالتعاون", "للتعاون", "تعاونها"])
def test_an_arabic_variant_is_found_with_its_prefixes_and_suffixes(written):
    table = AliasTable.build([("cooperation", ("تعاون",))])
    assert words(written, table) == ["cooperation"]


def test_an_arabic_variant_that_begins_like_a_prefix_is_found_whole():
    table = AliasTable.build([("Laos", ("لاوس",))])
    assert words("لاوس", table) == ["laos"]


def test_a_variant_is_replaced_with_the_affixes_written_onto_it():
    table = AliasTable.build([("cooperation", ("تعاون",))])
    assert list(table.find(fold("والتعاون مع"))) == [("cooperation", 0, len("والتعاون"))]


def test_devanagari_vowel_signs_stay_inside_their_word():
    assert fold("लाओस") == "लाओस"


def test_a_devanagari_variant_is_found_only_as_a_whole_word():
    table = AliasTable.build([("India", ("भारत",))])
    assert words("भारत में", table) == ["india"]
    assert words("भारती", table) == ["भारती"]


def test_unreplaced_hangul_arabic_and_devanagari_words_count_as_words():
    assert words("방문했나요 زيارة दौरा") == fold("방문했나요 زيارة दौरा").split()


@pytest.mark.parametrize(
    ("text", "unspaced"),
    [
        ("老挝", True),
        ("寮國", True),
        ("ラオス", True),
        ("ลาว", True),
        ("ລາວ", True),
        ("라오스", False),
        ("لاوس", False),
        ("लाओस", False),
        ("Laos", False),
    ],
)
def test_unspaced_script_is_han_kana_thai_or_lao(text, unspaced):
    assert unspaced_script(text) is unspaced


def test_alias_file_is_used_from_the_knowledge_directory(tmp_path: Path):
    table = AliasTable.build([("Examplia", ("Exampleland",))])
    assert tokens("Exampleland", table) == tokens("Examplia", table)


def _fold_whole_text(text: str) -> str:
    """The folding steps applied to the whole text at once: what `fold` must equal."""
    import unicodedata

    from bot.knowledge import normalize as n

    text = n._CHAT_MARKUP.sub(" ", text[: n.MAX_QUESTION_CHARS])
    text = unicodedata.normalize("NFKD", text.translate(n._SPECIAL_LETTERS).casefold())
    text = text.translate(n._FOLDED_CHARS)
    for pattern, replacement in ((n._FRENCH_ELISION, ""), (n._APOSTROPHE_SUFFIX, ""), (n._THOUSANDS, "")):
        text = pattern.sub(replacement, text)
    text = n._NON_WORD.sub(" ", n._DECIMAL.sub(".", text))
    return " ".join(n._OWN_WORD_RUN.sub(r" \g<0> ", text).split())


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ 9,.'’_<>:/@#\t\nçĐıİ\u0301\u200b\u00a0ສ-lqhtps年に라ا")), max_size=40))
def test_fold_word_by_word_equals_folding_the_whole_text(text: str):
    assert fold(text) == _fold_whole_text(text)
