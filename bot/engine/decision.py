"""Answer, ask "did you mean", or decline: a calibrated probability, not a hand threshold.

Each candidate's evidence (`features.py`) goes through a logistic model fitted on
questions people asked, the knowledge's own phrasings and generated near misses
(`calibration.py`, `python -m bot fit`). Its output is the probability that this
fact is the right answer; the reliability table in the README shows that, on
questions it never saw, answers given at confidence p are right about p of the time.

Rules around the model, each there because a confident wrong answer is the worst
outcome: a fact failing a premise check never answers; when the best candidate
fails one, a runner-up is promoted only if it was a real contender (close to it), unless
the best tells what is in it for the other side than the one asked about; and an answer
must lead its runner-up, or the user is asked which they meant.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .features import FEATURE_NAMES, Candidate
from .settings import EngineSettings

WEIGHTS_FILE = Path(__file__).with_name("decision_weights.json")


@dataclass(frozen=True)
class LogisticModel:
    bias: float
    weights: tuple[float, ...]

    def probability(self, features: tuple[float, ...]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class DecisionModels:
    """One model for when the semantic stage runs, one for words alone."""

    semantic: LogisticModel
    words: LogisticModel

    @classmethod
    def untrained(cls) -> DecisionModels:
        """Probability 0.5 for everything: what fitting starts from (it only needs features)."""
        neutral = LogisticModel(0.0, (0.0,) * len(FEATURE_NAMES))
        return cls(neutral, neutral)

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> DecisionModels:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError(f"{path} was fitted on other features; run `python -m bot fit`")
        return cls(*(LogisticModel(data[k]["bias"], tuple(data[k]["weights"])) for k in ("semantic", "words")))


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    probability: float


@dataclass(frozen=True)
class Decision:
    status: str  # answered | clarify | no_answer
    chosen: Scored | None  # the answer (answered), or the best candidate
    offered: tuple[Scored, ...]  # clarify: the choices; otherwise what is near


def decide(ranked: list[Scored], settings: EngineSettings) -> Decision:
    """`ranked`: candidates by probability, best first."""
    if not ranked:
        return Decision("no_answer", None, ())
    passing = [item for item in ranked if not item.candidate.failed]
    best = ranked[0]
    near = [item for item in passing if item.probability >= settings.suggest_threshold]
    if best.candidate.failed and not best.candidate.mirror:
        # Never promote an unrelated runner-up over the fact the question was about. A fact
        # telling what is in it for the other side was not it: the question is about this side.
        passing = [i for i in passing if best.probability - i.probability <= settings.promotion_window]
    if not passing:
        return Decision("no_answer", best, tuple(near[: settings.max_suggestions]))
    top = passing[0]
    runner_up = passing[1].probability if len(passing) > 1 else 0.0
    if top.probability >= settings.answer_threshold and top.probability - runner_up >= settings.answer_margin:
        others = tuple(i for i in near if i is not top)
        return Decision("answered", top, others[: settings.max_suggestions - 1])
    close = [i for i in passing if i.probability >= settings.clarify_threshold]
    close = [i for i in close if top.probability - i.probability <= settings.clarify_window]
    if len(close) >= 2:
        return Decision("clarify", top, tuple(close[: settings.max_clarify]))
    return Decision("no_answer", top, tuple(near[: settings.max_suggestions]))
