"""Scoring the engine on a question set (the format of tests/data/dev.yaml).

An answerable case is correct only when the engine answers, one of its
citations overlaps a sentence that an expected fragment lies in, and the answer
text holds every `answer_has` string. An unanswerable case (`expect: none`) is
correct when the engine does not answer. Targets: 95% of answerable cases, at
most 5% false answers, no kind below 80%.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import passages
from .engine import Answer, Engine
from .knowledge import KnowledgeBase
from .yamlfile import YamlProblem, read_yaml

TARGET_ANSWERABLE = 0.95
TARGET_FALSE_ANSWER = 0.05
TARGET_PER_KIND = 0.80


@dataclass(frozen=True)
class Case:
    question: str
    kind: str
    expect: tuple[str, ...]  # empty: the knowledge does not answer this
    answer_has: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


@dataclass(frozen=True)
class Outcome:
    case: Case
    answer: Answer
    correct: bool
    in_top3: bool


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _share(self, items: list[Outcome], attribute: str = "correct") -> float:
        return sum(getattr(o, attribute) for o in items) / len(items) if items else 1.0

    @property
    def answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.answerable]

    @property
    def unanswerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.case.answerable]

    def answerable_accuracy(self) -> float:
        return self._share(self.answerable)

    def false_answer_rate(self) -> float:
        return 1 - self._share(self.unanswerable)

    def top3(self) -> float:
        return self._share(self.answerable, "in_top3")

    def by_kind(self) -> dict[str, list[Outcome]]:
        kinds: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            kinds[outcome.case.kind].append(outcome)
        return dict(kinds)

    def failures(self) -> list[str]:
        """Which targets are missed, in words (empty: all met)."""
        missed = []
        if self.answerable_accuracy() < TARGET_ANSWERABLE:
            missed.append(f"answerable accuracy {self.answerable_accuracy():.1%} < {TARGET_ANSWERABLE:.0%}")
        if self.false_answer_rate() > TARGET_FALSE_ANSWER:
            missed.append(f"false answers {self.false_answer_rate():.1%} > {TARGET_FALSE_ANSWER:.0%}")
        for kind, items in sorted(self.by_kind().items()):
            if self._share(items) < TARGET_PER_KIND:
                missed.append(f"kind {kind} {self._share(items):.1%} < {TARGET_PER_KIND:.0%}")
        return missed

    def table(self) -> str:
        lines = [f"{'kind':<16}{'cases':>6}{'correct':>9}{'share':>8}"]
        for kind, items in sorted(self.by_kind().items()):
            correct = sum(o.correct for o in items)
            lines.append(f"{kind:<16}{len(items):>6}{correct:>9}{correct / len(items):>8.1%}")
        total = sum(o.correct for o in self.outcomes)
        lines.append(f"{'overall':<16}{len(self.outcomes):>6}{total:>9}{self._share(self.outcomes):>8.1%}")
        lines.append(
            f"answerable correct {self.answerable_accuracy():.1%} (target >= {TARGET_ANSWERABLE:.0%}), "
            f"top-3 {self.top3():.1%}, false answers on unanswerable "
            f"{self.false_answer_rate():.1%} (target <= {TARGET_FALSE_ANSWER:.0%})"
        )
        return "\n".join(lines)


class EvalFileError(Exception):
    """The question set itself is malformed."""


def load_cases(path: Path) -> list[Case]:
    try:
        data = read_yaml(path).data
    except (OSError, YamlProblem) as error:
        raise EvalFileError(f"{path}: {getattr(error, 'message', error)}") from None
    raw_cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(raw_cases, list):
        raise EvalFileError(f"{path}: expected a top-level 'cases:' list")
    cases = []
    for number, raw in enumerate(raw_cases):
        if not isinstance(raw, dict) or not isinstance(raw.get("q"), str):
            raise EvalFileError(f"{path}: case {number + 1} needs a 'q' text")
        expect = raw.get("expect", "none")
        expected = () if expect == "none" else tuple(str(e) for e in expect)
        cases.append(
            Case(raw["q"], str(raw.get("kind", "other")), expected, tuple(str(a) for a in raw.get("answer_has", ())))
        )
    return cases


def evaluate(engine: Engine, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        answer = engine.ask(case.question)
        if case.answerable:
            right_facts = _facts_citing(engine.kb, case.expect)
            correct = answer.status == "answered" and _is_right(answer, case, right_facts)
            offered = {answer.fact.id} if answer.fact else set()
            offered |= {s.fact_id for s in answer.suggestions}
            in_top3 = bool(offered & right_facts)
        else:
            correct = answer.status != "answered"
            in_top3 = correct
        report.outcomes.append(Outcome(case, answer, correct, in_top3))
    return report


def _is_right(answer: Answer, case: Case, right_facts: set[str]) -> bool:
    assert answer.fact is not None
    text = answer.fact.answer.casefold()
    return answer.fact.id in right_facts and all(part.casefold() in text for part in case.answer_has)


def _facts_citing(kb: KnowledgeBase, fragments: tuple[str, ...]) -> set[str]:
    """Facts with a citation overlapping a sentence that one of the fragments lies in."""
    found = set()
    for fragment in fragments:
        for source_id, text in kb.source_texts.items():
            targets = passages.sentences_containing(fragment, text)
            if not targets:
                continue
            for fact in kb.facts:
                spans = passages.quote_spans([c.quote for c in fact.citations if c.source == source_id], text)
                if any(passages.overlaps(span, s) for span in spans for s in targets):
                    found.add(fact.id)
    return found
