"""What kind of answer a question asks for, and which kinds a fact's answer can give.

"When did X become president?" shares every name with a fact about X's
invitation, but asks for a date the fact does not give. "On what date..." needs a
day or month, not just a year; "who..." needs a person; "where..." a place. A fact
that cannot give the kind asked for never answers (see `premises.py`).
"""

from __future__ import annotations

import re
from enum import Enum

from ..knowledge.normalize import AliasTable, fold


class AnswerType(Enum):
    ANY = "any"
    TIME = "time"  # a year, a date or a span
    YEAR = "year"  # a year by its number: "what year did they establish relations" is not "over the years"
    DATE = "date"  # a month or a day, more than a year
    DAY = "day"  # a day of a month: "on what date" is not answered by "in December 2025"
    QUANTITY = "quantity"  # a count or a size
    EXACT_QUANTITY = "exact quantity"  # a number: "exactly how many" is not answered by "several"
    AMOUNT = "amount"  # money
    EXACT_AMOUNT = "exact amount"  # money as a number: "the exact value" is not "a few million dollars"
    HOUR = "hour"  # a time of day: "what time does he land" is not answered by a date
    PERSON = "person"
    PLACE = "place"
    PERCENT = "percent"  # a share or a rate: "by what percent did trade grow" is not "a few million dollars"
    NAME = "name"  # a proper name: "what's the name of the dam" is not answered by "hydroelectric projects"


_FILLERS = frozenset("so and ok okay hey yo ngl tbh lol but like um hmm btw also wait then pls plz quick q".split())
_DAY_QUESTION = re.compile(
    r"\b((?:what|which|exact|precise|specific) (?:\w+ ){0,2}dates?|what day|which day|exact day|date exactly|"
    r"day exactly|month and day|"
    r"ngay nao|hangi gun|hangi tarihte|quel jour|quelle date|какого числа|que dia|en que fecha|que fecha|"
    r"an welchem tag|welches datum|tanggal berapa|que data|em que data)\b"
)
_DATE_QUESTION = re.compile(r"\b(which month|what month|thang nao|hangi ay|quel mois|в каком месяце)\b")
_YEAR_QUESTION = re.compile(
    r"\b(what year|which year|what yr|which yr|nam nao|hangi yil|en quelle annee|в каком году|en que ano|"
    r"in welchem jahr|tahun berapa|em que ano)\b"
)
_TIME_QUESTION = re.compile(
    r"\b(since when|how long ago|khi nao|bao gio|ne zaman|quand|когда|cuando|wann|seit wann|kapan|sejak kapan|quando)\b"
)
_QUANTITY_QUESTION = re.compile(
    r"\b(how many|how much|bao nhieu|kac|ne kadar|combien|сколько|cuanto|cuantos|cuantas|wie viel|"
    r"wie viele|berapa|quanto|quantos|quantas)\b"
)
_AMOUNT_QUESTION = re.compile(
    r"\b(how much|what|total|combien|ne kadar|bao nhieu|сколько)\b.*\b(cost|costs|costing|worth|spend|spent|price|"
    r"paid|pay|value|money|budget|funding|fund|dollars?|usd|kip|invest|invests|invested|investing)\b|"
    r"\b(how much money|what did it cost)\b"
)
_HOW_MUCH = re.compile(r"\bhow (?:much|many)\b")
_PERCENT_QUESTION = re.compile(r"\b(?:what|how many|which) (?:percent|percentage|per cent)\b|\bwhat share\b")
# "Exactly how many", "when exactly", "the exact number": a precise answer, not a rough one.
_EXACT = re.compile(r"\b(exact|exactly|precise|precisely|specific number|actual number|chinh xac|tam olarak|точно)\b")
_PERSON_QUESTION = re.compile(r"\b(who|whom|whose|kim|кто|кого|quien|quienes|wer|siapa|quem)\b|^qui\b")
_PLACE_QUESTION = re.compile(r"\b(where|which city|what city|o dau|nerede|ou|где|donde|wo|di mana|dimana|onde)\b")
# "Where does Vietnam stand among investors", "where does Laos fit in": a standing, not a place.
_STANDING = re.compile(
    r"\bwhere (?:\w+ ){1,5}?(?:stand|stands|rank|ranks|ranked|put|puts|fit|fits|sit|sits)\b|\bwhere\b.*\bamong\b"
)
# Asking for a thing's own name, or for one particular thing ("which specific ministries"); a
# dam, a company or a university is known by its name ("which hydropower dam is Türkiye building").
_NAME_QUESTION = re.compile(
    r"\b(?:names? of|titles? of|the name|name (?:pls|plz|please|them)|"
    r"(?:is|are|s|what|whats) (?:it|they|that|this) called|called what|"
    r"which (?:specific|particular) (?!(?:years?|dates?|days?|months?|times?|sectors?|areas?|fields?)\b)\w+|"
    r"which (?:\w+ )?(?:dams?|plants?|compan(?:y|ies)|firms?|universit(?:y|ies)|banks?|hospitals?|ports?|airports?))\b"
)
AUXILIARIES = frozenset("did does do was were is are will would has have had can could should".split())
_OTHER_QUESTION_WORDS = frozenset("what which who why how where whats".split())

MONTHS = ("january february march april may june july august september october november december").split()
_TIME_ANSWER = re.compile(r"\b(1[89]\d\d|20\d\d|" + "|".join(MONTHS) + r"|years?|weeks?|days?)\b")
# A year by its number, or a year of study ("a third-year student").
_YEAR_ANSWER = re.compile(r"\b(?:(?:1[89]|20)\d\d|(?:first|second|third|fourth|fifth|sixth|\d(?:st|nd|rd|th)) year)\b")
_DATE_ANSWER = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_DAY_ANSWER = re.compile(
    r"\b(?:(?:"
    + "|".join(MONTHS)
    + r") (?:[12]?\d|3[01])(?:st|nd|rd|th)?|(?:[12]?\d|3[01])(?:st|nd|rd|th)? (?:of )?(?:"
    + "|".join(MONTHS)
    + r"))\b"
)
# A count or size: a number that is not an ordinal or a year, or a number word.
_EXACT_QUANTITY_ANSWER = re.compile(
    r"(?<![\d.])(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?(?!\d|st\b|nd\b|rd\b|th\b)|\b(one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|twenty|thirty|forty|fifty)\b"
)
# "A few million", "hundreds of", "several": a size, but no number.
_ROUGH_QUANTITY_ANSWER = re.compile(
    r"\b(dozens?|hundreds?|thousands?|millions?|billions?|fold|few|several|every|(?<!above )all)\b"
)
_HOUR_QUESTION = re.compile(
    r"\b(what time|at what time|what hour|which hour|may gio|a quelle heure|saat kac|во сколько)\b"
)
_HOUR_ANSWER = re.compile(r"\b\d{1,2}[:.h]\d\d\b|\b(a\.?m|p\.?m|o ?clock|morning|afternoon|evening|noon|midnight)\b")


_PERCENT_ANSWER = re.compile(r"%|\b(?:percent|per cent|percentage|fold|\d+ times)\b", re.IGNORECASE)
_AMOUNT_ANSWER = re.compile(r"[$€£₭]|\b(dollars?|usd|euros?|kip|million|billion|thousand)\b", re.IGNORECASE)


# Question words as people type them in chat ("wen did...", "wher is...").
_CHAT_FORMS = {
    "wat": "what",
    "wut": "what",
    "wen": "when",
    "whn": "when",
    "wehn": "when",
    "wher": "where",
    "whre": "where",
    "hw": "how",
    "whos": "who",
    "whats": "what",
}

# Question words of Chinese (simplified, traditional, Cantonese), Japanese, Korean, Thai, Lao,
# Arabic and Hindi, as the English phrase the patterns above know. `\b` cannot find them (no spaces
# between words, or particles written onto them), so they are found the way aliases are.
_QUESTION_WORDS_WITHOUT_BOUNDARIES = AliasTable.build(
    [
        (english, words.split(", "))
        for english, words in (
            # "When" as a question, never a conjunction here: the phrase `_TIME_QUESTION` takes as one.
            (
                "since when",
                "什么时候, 什麼時候, 甚麼時候, 何时, 何時, 几时, 幾時, いつ, 언제, เมื่อไร, เมื่อไหร่, เมื่อใด, متى, कब, "
                "ເມື່ອໃດ, ຕອນໃດ, ເວລາໃດ",
            ),
            (
                "what year",
                "哪一年, 哪年, 몇 년, ปีไหน, ปีอะไร, ปีใด, في أي عام, في أي سنة, किस साल, किस वर्ष, ປີໃດ",
            ),
            ("always", "いつも, いつでも, いつか"),  # not "when": longer than いつ, so found first
            (
                "what date",
                "哪一天, 哪天, 几月几日, 幾月幾日, 何月何日, 며칠, 몇 월, วันไหน, วันที่เท่าไร, วันที่เท่าไหร่, วันใด, "
                "في أي يوم, किस दिन, किस तारीख, ວັນທີເທົ່າໃດ, ວັນໃດ, ວັນທີໃດ",
            ),
            ("who", "谁, 誰, 边个, 邊個, だれ, 누구, 누가, ใคร, من هو, من هي, कौन, किसने, ໃຜ"),
            ("where", "哪里, 哪裡, 哪儿, 哪兒, 在哪, 边度, 邊度, どこ, 어디, ที่ไหน, أين, कहाँ, कहां, ຢູ່ໃສ, ບ່ອນໃດ"),
            (
                "how many",
                "多少, 幾多, 几多, 几个, 幾個, いくつ, 何人, 몇, 얼마나, เท่าไร, เท่าไหร่, كم, कितने, कितना, कितनी, ເທົ່າໃດ",
            ),
            ("how much money", "多少钱, 多少錢, 幾多錢, 几多钱, いくら, 얼마"),
        )
    ]
)


def question_type(question: str) -> AnswerType:
    folded = _QUESTION_WORDS_WITHOUT_BOUNDARIES.apply(fold(question))
    folded = " ".join(_CHAT_FORMS.get(word, word) for word in folded.split())
    if _HOUR_QUESTION.search(folded):
        return AnswerType.HOUR
    if _DAY_QUESTION.search(folded):
        return AnswerType.DAY
    if _DATE_QUESTION.search(folded) or (_EXACT.search(folded) and _asks_when(folded.split())):
        return AnswerType.DATE
    if _YEAR_QUESTION.search(folded):
        return AnswerType.YEAR
    if _TIME_QUESTION.search(folded) or _asks_when(folded.split()):
        return AnswerType.TIME
    if _PERCENT_QUESTION.search(folded):
        return AnswerType.PERCENT
    if _AMOUNT_QUESTION.search(folded):
        return AnswerType.EXACT_AMOUNT if _EXACT.search(folded) else AnswerType.AMOUNT
    if _QUANTITY_QUESTION.search(folded) and asks_how_much(folded):
        return AnswerType.EXACT_QUANTITY if _EXACT.search(folded) else AnswerType.QUANTITY
    if _NAME_QUESTION.search(folded):
        return AnswerType.NAME
    if _PERSON_QUESTION.search(folded):
        return AnswerType.PERSON
    if _PLACE_QUESTION.search(folded) and not _STANDING.search(folded):
        return AnswerType.PLACE
    return AnswerType.ANY


def asks_how_much(folded: str) -> bool:
    """ "How much/many" asks for a count unless another question came first: in "what vibe
    does it give about how much Vietnam cares" it is a degree inside a "what" question."""
    found = _HOW_MUCH.search(folded)
    if found is None:
        return True  # a count asked in another language ("bao nhieu", "combien")
    return not any(w in _OTHER_QUESTION_WORDS - {"how"} for w in folded[: found.start()].split())


def _asks_when(words: list[str]) -> bool:
    """ "when" asks for a time when an auxiliary follows it ("when did"), at the end of a
    question ("he went there when"), or first with no other question after it; not as a
    conjunction ("when people hear X, what do they think of", "what's in it when...")."""
    if "when" not in words:
        return False
    at = words.index("when")
    after = words[at + 1 :]
    if (after[:1] and after[0] in AUXILIARIES) or not after:
        return True
    content = [w for w in words if w not in _FILLERS]
    return content[:1] == ["when"] and not any(w in _OTHER_QUESTION_WORDS for w in after)


def answer_types(
    answer: str, names_person: bool = False, names_place: bool = False, names_thing: bool = False
) -> frozenset[AnswerType]:
    """The types an answer text can satisfy (whether it names someone who acts — a person,
    an office, an organisation or a government — a place, or anything by a proper name
    that is no country is known from its entities)."""
    folded = fold(answer)
    types = {AnswerType.ANY}
    if _TIME_ANSWER.search(folded):
        types.add(AnswerType.TIME)
    if _YEAR_ANSWER.search(folded):
        types.add(AnswerType.YEAR)
    if _DATE_ANSWER.search(folded):
        types.add(AnswerType.DATE)
    if _DAY_ANSWER.search(folded):
        types.add(AnswerType.DAY)
    if _EXACT_QUANTITY_ANSWER.search(folded):
        types |= {AnswerType.QUANTITY, AnswerType.EXACT_QUANTITY}
    if _ROUGH_QUANTITY_ANSWER.search(folded):
        types.add(AnswerType.QUANTITY)
    if _AMOUNT_ANSWER.search(answer):
        types.add(AnswerType.AMOUNT)
        if AnswerType.EXACT_QUANTITY in types:
            types.add(AnswerType.EXACT_AMOUNT)
    if _HOUR_ANSWER.search(folded):
        types.add(AnswerType.HOUR)
    if _PERCENT_ANSWER.search(answer):
        types.add(AnswerType.PERCENT)
    if names_person:
        types.add(AnswerType.PERSON)
    if names_place:
        types.add(AnswerType.PLACE)
    if names_thing:
        types.add(AnswerType.NAME)
    return frozenset(types)


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ENDS_A_SENTENCE = re.compile(r"(?:^|[.!?:;(\"“])\W*$")


def capitalized_runs(text: str) -> list[str]:
    """Runs of words written with a capital ("Kazan Federal University", "Mevlüt Çavuşoğlu"),
    less the word a sentence begins with: candidates for names."""
    runs: list[list[str]] = []
    end = -1
    for found in _WORD.finditer(text):
        word = found.group(0)
        if not word[0].isupper() or _ENDS_A_SENTENCE.search(text[: found.start()]):
            end = -1
            continue
        if runs and text[end : found.start()] in (" ", "-"):
            runs[-1].append(word)
        else:
            runs.append([word])
        end = found.end()
    return [" ".join(run) for run in runs]
