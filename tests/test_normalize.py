"""Normalization and aliases: the same words must meet however they are typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge
from bot.knowledge.normalize import AliasTable, fold, tokens

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
    return " ".join(n._NON_WORD.sub(" ", n._DECIMAL.sub(".", text)).split())


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ 9,.'’_<>:/@#\t\nçĐıİ\u0301\u200b\u00a0ສ-lqhtps")), max_size=40))
def test_fold_word_by_word_equals_folding_the_whole_text(text: str):
    assert fold(text) == _fold_whole_text(text)
