"""What kind of answer a question asks for, and whether a fact's answer can be that.

"When did X become president?" shares every name with a fact about X's
invitation, but asks for a date the fact does not give. Checking the expected
answer type (a time, a quantity) is cheap evidence against such near misses.
"""

from __future__ import annotations

import re
from enum import Enum

from .normalize import fold


class AnswerType(Enum):
    ANY = "any"
    TIME = "time"
    QUANTITY = "quantity"


# Matched on the folded question (lowercase, no diacritics), in the languages people ask in.
_TIME_QUESTION = re.compile(
    r"\b(when|what year|which year|what date|since when|how long ago|khi nao|nam nao|bao gio|"
    r"ne zaman|hangi yil|quand|en quelle annee|когда|в каком году)\b"
)
_QUANTITY_QUESTION = re.compile(
    r"\b(how many|how much|what percentage|bao nhieu|kac|ne kadar|combien|сколько)\b"
)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_TIME_ANSWER = re.compile(r"\b(1[89]\d\d|20\d\d|" + "|".join(_MONTHS) + r"|years?|weeks?|days?)\b")
_QUANTITY_ANSWER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|"
    r"billion|fold|few|several|every|(?<!above )all)\b"
)


def question_type(question: str) -> AnswerType:
    folded = fold(question)
    if _TIME_QUESTION.search(folded):
        return AnswerType.TIME
    if _QUANTITY_QUESTION.search(folded):
        return AnswerType.QUANTITY
    return AnswerType.ANY


def answer_types(answer: str) -> frozenset[AnswerType]:
    """The types an answer text can satisfy."""
    folded = fold(answer)
    types = {AnswerType.ANY}
    if _TIME_ANSWER.search(folded):
        types.add(AnswerType.TIME)
    if _QUANTITY_ANSWER.search(folded):
        types.add(AnswerType.QUANTITY)
    return frozenset(types)
