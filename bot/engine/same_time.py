"""Two things at one time: "what two steps did Türkiye take in 2017 toward Laos and ASEAN",
"what two things happened between To Lam and Thongloun in December 2025".

The question asks for two answers and names the year they share, and no question in the
message names either thing for `parts.py` to split at: each fact dated that year holds only
some of its words, so neither is sure alone and `two_facts.join` finds no half left over.
The facts dated that year (by the first year their answer names) that pass every check of
the question are what it asks for: the likeliest, as surely as a joined fact
(`join_threshold`), and the best of the others by words.
"""

from __future__ import annotations

from .decision import Scored
from .features import Candidate
from .index import SearchIndex
from .lexical import LexicalMatcher
from .premises import YEAR, failed_checks
from .reading import Reading
from .settings import EngineSettings
from .two_facts import Joined, asks_for_two, linked


def same_time(
    question: str,
    reading: Reading,
    ranked: list[Scored],
    lexical: LexicalMatcher,
    settings: EngineSettings,
) -> Joined | None:
    """Two facts dated the one year a question asking for two names; None otherwise."""
    years = {int(n) for n in reading.premises.numbers if YEAR.fullmatch(n)}
    if len(years) != 1 or not asks_for_two(question):
        return None
    index = lexical.index
    year = years.pop()
    first = next((s for s in ranked if not s.candidate.failed and _dated(index, s.candidate.position, year)), None)
    if first is None or first.probability < settings.join_threshold:
        return None
    for match in lexical.rank(list(reading.terms)):
        if match.position == first.candidate.position or not _dated(index, match.position, year):
            continue
        if not failed_checks(reading.premises, index.fact_premises[match.position]):
            second = next((s for s in ranked if s.candidate.position == match.position), None)
            return linked(
                question.lower(), first, second or Scored(Candidate(match.position, match, (), ()), 0.0), index
            )
    return None


def _dated(index: SearchIndex, position: int, year: int) -> bool:
    return index.fact_premises[position].year == year
