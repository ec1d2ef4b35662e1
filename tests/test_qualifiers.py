"""Which of a question's qualifiers order events: a relative date or a span is no order."""

from __future__ import annotations

from bot.engine.lexical import Term
from bot.engine.qualifiers import ordering_words


def _ordering(*tokens: str) -> frozenset[str]:
    return ordering_words([Term(token, 1.0, True) for token in tokens])


def test_a_relative_date_or_a_span_orders_nothing_but_an_ordinal_or_a_name_after_it_does():
    assert _ordering("examplia", "visit", "last", "week") == frozenset()
    assert _ordering("after", "few", "decad") == frozenset()
    assert _ordering("visit", "after", "lao") == {"after"}
    assert _ordering("first", "year", "term") == {"first"}


def test_an_order_word_closing_a_question_is_an_adverb_that_orders_nothing():
    assert _ordering("region", "come", "mind", "first") == frozenset()
    assert _ordering("talk", "review", "map", "after") == frozenset()
    assert _ordering("first", "visit", "abroad") == {"first"}


def test_first_in_an_idiom_orders_nothing():
    assert _ordering("turkiy", "engag", "lao", "first", "place") == frozenset()
    assert _ordering("first", "visit", "abroad") == {"first"}
