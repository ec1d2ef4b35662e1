"""A share worked out from one fact: "roughly how much per project" asked of a fact saying
"$6.21 billion across 276 projects".

The fact gives both numbers but not their quotient, so its answer alone leaves the user to
do the sum. The answer states it ("$6.21 billion ÷ 276 projects ≈ $22.5 million per
project"), beside the quote it comes from, so the user can check it. Only when the
question asks for a share ("per", "each", "on average") of the very thing the fact counts,
and the fact names exactly one amount: any doubt, and nothing is computed.
"""

from __future__ import annotations

import re

from ..knowledge.normalize import AliasTable, fold, tokens

_ASKS_A_SHARE = re.compile(
    r"\b(?:(?<!as )per|each|apiece|a piece|on average|average|avg|divided by|trung binh|en moyenne|promedio|"
    r"durchschnittlich|rata rata|ortalama|basina|в среднем)\b"
)
_AMOUNT = re.compile(r"\$\s?(\d+(?:[.,]\d+)?)\s*(billion|million|thousand)?", re.IGNORECASE)
_COUNTED = re.compile(r"(?<![\d.,$])(\d{1,3}(?:,\d{3})*|\d+)\s+([a-z]+)", re.IGNORECASE)
_SCALE = {"billion": 1e9, "million": 1e6, "thousand": 1e3, "": 1.0}


def per_unit(question: str, answer: str, aliases: AliasTable) -> str:
    """The share the question asks for, worked out from the answer's amount and count
    ("$6.21 billion ÷ 276 projects ≈ $22.5 million per project."), or "" when it asks none
    or the answer does not give exactly one amount and one count of what it asks about."""
    folded = fold(question)
    if not _ASKS_A_SHARE.search(folded):
        return ""
    amounts = _AMOUNT.findall(answer)
    asked = set(tokens(folded, aliases))
    counts = [
        (int(number.replace(",", "")), noun)
        for number, noun in _COUNTED.findall(answer)
        if noun.lower() not in _SCALE and set(tokens(noun, aliases)) & asked
    ]
    if len(amounts) != 1 or len(counts) != 1 or counts[0][0] == 0:
        return ""
    (number, scale), (count, noun) = amounts[0], counts[0]
    total = float(number.replace(",", ".")) * _SCALE[scale.lower()]
    written = f"${number}" + (f" {scale.lower()}" if scale else "")
    return f"{written} ÷ {count:,} {noun} ≈ {_dollars(total / count)} per {_singular(noun)}."


def _dollars(value: float) -> str:
    """A sum of money to three significant digits, in the largest unit it fills."""
    for unit, size in (("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if value >= size:
            return f"${float(f'{value / size:.3g}'):g} {unit}"
    return f"${float(f'{value:.3g}'):g}"


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
