"""The evidence about one candidate fact, as numbers the decision weighs.

One place names them all, so that fitting (`calibration.py`) and answering
(`decision.py`) can never disagree about what a feature means or its order.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexical import LexicalMatch


@dataclass(frozen=True)
class Candidate:
    """A fact the question may be asking for, with all the evidence about it."""

    position: int
    lexical: LexicalMatch
    failed: tuple[str, ...]  # premise checks it fails
    features: tuple[float, ...]
    # It tells what is in it for the other side than the one asked about: it answers the
    # mirror question, so it is no rival to the facts about the side asked about.
    mirror: bool = False


FEATURE_NAMES = (
    "lexical score",
    "coverage",
    "overlap",
    "fuzzy",
    "lexical lead",  # over the best other candidate's lexical score
    "lexical best",  # 1 when no other candidate scores higher by words
    "semantic",
    "semantic standing",  # standard deviations above the mean over all facts
    "semantic lead",
    "semantic best",
    "unknown words",  # share of the question's weight the knowledge never uses
)
SEMANTIC_FEATURES = frozenset({"semantic", "semantic standing", "semantic lead", "semantic best"})


def feature_vector(
    match: LexicalMatch,
    best_other_lexical: float,
    semantic: float,
    semantic_standing: float,
    best_other_semantic: float,
    unknown_share: float,
) -> tuple[float, ...]:
    lead = match.score - best_other_lexical
    semantic_lead = semantic - best_other_semantic
    return (
        match.score,
        match.coverage,
        match.overlap,
        match.fuzzy,
        lead,
        1.0 if lead >= 0 else 0.0,
        semantic,
        semantic_standing,
        semantic_lead,
        1.0 if semantic_lead >= 0 else 0.0,
        unknown_share,
    )
