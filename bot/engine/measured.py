"""What a "how much" or "how many" question counts, which the fact must speak of.

"How much did Laos export to Vietnam in 2025?" shares Laos, Vietnam and 2025 with the
fact about bilateral trade, and that fact gives an amount; but it counts exports, a
word it never uses. The first word after "how much/many" that is not a name is what
is counted ("how many ASEAN states": states), and a fact that does not hold it
measures something else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .answer_type import asks_how_much
from .lexical import Term

_HOW_MUCH = re.compile(r"\bhow (?:much|many)\b")


def measured_word(folded: str, terms_of: Callable[[str], Sequence[Term]], names: frozenset[str]) -> str | None:
    """The counted word's token, or None when the question counts nothing named.
    `terms_of`: the question's weighted words of a text; `names`: the tokens of entities."""
    found = _HOW_MUCH.search(folded)
    if found is None or not asks_how_much(folded):
        return None
    return next((t.token for t in terms_of(folded[found.end() :]) if t.token not in names), None)
