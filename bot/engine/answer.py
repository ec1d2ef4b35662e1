"""What the engine returns: an answer with its facts, a "did you mean", or a decline.

Renderers (console, JSON, Discord) read these and never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..knowledge.schema import Fact

Status = Literal["answered", "clarify", "no_answer"]
# Said before the answer to a claim put up for confirmation that the fact contradicts.
CLAIM_CORRECTED = "Not quite: the article says otherwise."


@dataclass(frozen=True)
class Suggestion:
    fact_id: str
    question: str
    confidence: float


@dataclass(frozen=True)
class Answer:
    question: str
    status: Status
    confidence: float  # calibrated: the share of answers at this confidence that are right
    fact: Fact | None  # set when answered (the first of `facts`)
    related: tuple[Fact, ...]
    suggestions: tuple[Suggestion, ...]  # clarify: the candidates; otherwise what is near
    elapsed_ms: float
    facts: tuple[Fact, ...] = ()  # every fact the answer rests on (two for a joined question)
    link: str = ""  # what the question computes from the answers ("2025 − 2017 = 8 years", "≈ $22.5 million each")
    nothing_asked: bool = False  # a greeting, a thank-you or noise: declined, but nothing was asked
    corrects_claim: bool = False  # it answers a claim put up for confirmation ("2015, right?") that is wrong

    @property
    def text(self) -> str:
        """The answer in words: that a claim was wrong, each fact's answer, then the computed link."""
        parts = [CLAIM_CORRECTED] if self.corrects_claim else []
        parts += [fact.answer for fact in self.facts] + ([self.link] if self.link else [])
        return "\n\n".join(parts)
