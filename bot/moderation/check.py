"""`check`: what a moderator runs before committing a knowledge edit.

`validate` says whether an edit is well-formed; it cannot say what the edit does.
A correct new fact can still take over a question that used to be declined, or
push an answered one into "did you mean". So `check` answers the evaluation
question sets with the knowledge before the edit (the last commit, or a saved
snapshot) and after it, and lists every question whose answer (status + fact)
changed, marked better or worse by the set's own expectations. It also shows
alias warnings and the coverage of sources the edit added.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..engine.pipeline import Engine
from ..knowledge.loader import KnowledgeBase, KnowledgeError, load_knowledge
from .evaluation import evaluate, load_cases

SNAPSHOT_VERSION = 1


class BaselineUnavailable(Exception):
    """There is nothing to compare with; the message says why."""


@dataclass(frozen=True)
class Verdict:
    """One question's answer, reduced to what a moderator compares: status and fact."""

    status: str
    fact_id: str | None
    right: bool  # by the question set's expectation

    def __str__(self) -> str:
        shown = f"{self.status} {self.fact_id}" if self.fact_id else self.status
        return f"{shown} ({'right' if self.right else 'wrong'})"


Answers = dict[tuple[str, str], Verdict]  # (question set name, question) -> verdict


@dataclass(frozen=True)
class Change:
    question_set: str
    question: str
    before: Verdict | None
    after: Verdict | None

    @property
    def worse(self) -> bool:
        return self.before is not None and self.before.right and not (self.after and self.after.right)

    @property
    def better(self) -> bool:
        return self.after is not None and self.after.right and not (self.before and self.before.right)

    def __str__(self) -> str:
        mark = "WORSE " if self.worse else "better" if self.better else "change"
        before, after = self.before or "not asked", self.after or "not asked"
        return f"  {mark} [{self.question_set}] {self.question!r}: {before} -> {after}"


def answers(engine: Engine, question_sets: list[Path]) -> Answers:
    result: Answers = {}
    for path in question_sets:
        for outcome in evaluate(engine, load_cases(path)).outcomes:
            fact_id = outcome.answer.fact.id if outcome.answer.fact else None
            result[(path.name, outcome.case.question)] = Verdict(outcome.answer.status, fact_id, outcome.correct)
    return result


def changes(before: Answers, after: Answers) -> list[Change]:
    keys = sorted(before.keys() | after.keys())
    return [
        Change(key[0], key[1], before.get(key), after.get(key))
        for key in keys
        if _key(before.get(key)) != _key(after.get(key))
    ]


def _key(verdict: Verdict | None) -> tuple[str, str | None] | None:
    return (verdict.status, verdict.fact_id) if verdict else None


def save_snapshot(path: Path, result: Answers) -> None:
    rows = [{"set": s, "question": q, **asdict(v)} for (s, q), v in sorted(result.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": SNAPSHOT_VERSION, "answers": rows}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")


def load_snapshot(path: Path) -> Answers:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {(r["set"], r["question"]): Verdict(r["status"], r["fact_id"], r["right"]) for r in data["answers"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BaselineUnavailable(f"cannot read the snapshot {path}: {error}") from None


@contextmanager
def committed_knowledge(kb_dir: Path, seeds_dir: Path, revision: str = "HEAD") -> Iterator[KnowledgeBase | None]:
    """The knowledge as committed at `revision`, extracted to a temporary directory.

    Yields None when the knowledge did not exist then (a first commit) or was broken.
    Articles not tracked by git are read from the working tree (they never change).
    """
    top = _git(kb_dir, "rev-parse", "--show-toplevel").decode().strip()
    root = Path(top).resolve()
    kb_relative = kb_dir.resolve().relative_to(root).as_posix()
    seeds_in_repo = seeds_dir.resolve().is_relative_to(root)
    paths = [kb_relative] + ([seeds_dir.resolve().relative_to(root).as_posix()] if seeds_in_repo else [])
    try:
        archive = _git(root, "archive", "--format=tar", revision, "--", *paths)
    except BaselineUnavailable:
        yield None  # not in that commit yet
        return
    with tempfile.TemporaryDirectory(prefix="kb-check-") as temporary:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(temporary, filter="data")
        old_seeds = Path(temporary) / paths[1] if seeds_in_repo else seeds_dir
        try:
            yield load_knowledge(Path(temporary) / kb_relative, old_seeds)
        except KnowledgeError:
            yield None


def _git(directory: Path, *arguments: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(directory), *arguments], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BaselineUnavailable(f"git is not available: {error}") from None
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise BaselineUnavailable(reason[-1] if reason else f"git {arguments[0]} failed")
    return result.stdout


def new_source_coverage(kb: KnowledgeBase, before: KnowledgeBase | None) -> list[str]:
    """Coverage lines for the sources the edit added (all sources when there is no baseline)."""
    known = {s.id for s in before.sources} if before else set()
    coverage = kb.coverage()
    lines = []
    for source in kb.sources:
        if source.id in known:
            continue
        cited, total = coverage[source.id]
        lines.append(f"new source {source.id}: {cited}/{total} factual sentences cited")
        lines += [f"  uncited: {sentence.text}" for sentence in kb.uncited(source.id)]
    return lines


def default_question_sets(kb_dir: Path) -> list[Path]:
    """The project's evaluation sets: tests/data/*.yaml beside the knowledge directory."""
    return sorted((kb_dir / ".." / "tests" / "data").glob("*.yaml"))


@dataclass(frozen=True)
class CheckRequest:
    kb_dir: Path
    seeds_dir: Path
    question_sets: list[Path]
    against: Path | None = None  # a saved snapshot instead of the last commit
    save: Path | None = None  # save the answers after the edit as a snapshot
    strict: bool = False  # fail when a question's answer got worse


def run(
    request: CheckRequest, warnings: list[str], open_engine: Callable[[Path, Path], Engine]
) -> tuple[int, list[str]]:
    """Exit code and the report lines (`warnings` come from the validator's side). `open_engine`
    opens the knowledge as it is now (through the cache the other commands use)."""
    from ..knowledge.alias_checks import alias_warnings

    try:
        engine = open_engine(request.kb_dir, request.seeds_dir)
    except KnowledgeError as error:
        count = len(error.problems)
        return 1, [*map(str, error.problems), f"validate: {count} problem{'s' if count != 1 else ''}; fix them first."]
    kb = engine.kb
    lines = [f"validate: OK ({len(kb.sources)} sources, {len(kb.facts)} facts)"]
    lines += warnings + [str(w) for w in alias_warnings(request.kb_dir / "aliases.yaml")]
    after = answers(engine, request.question_sets)
    if request.save:
        save_snapshot(request.save, after)
        lines.append(f"saved the answers to {request.save}")
    try:
        before, before_kb, baseline = _baseline(request)
    except BaselineUnavailable as error:
        lines.append(f"answers not compared: {error} (save a snapshot first with --save FILE, then use --against FILE)")
        return 0, lines + new_source_coverage(kb, None)
    found = changes(before, after)
    sets = ", ".join(p.name for p in request.question_sets) or "no question sets"
    lines.append(f"answers compared with {baseline} ({sets}; {len(after)} questions): {len(found)} changed")
    lines += [str(change) for change in found]
    lines += new_source_coverage(kb, before_kb) if before_kb is not None or request.against is None else []
    worse = sum(change.worse for change in found)
    if worse:
        lines.append(f"{worse} answer{'s' if worse != 1 else ''} got worse: read them above before committing")
    return (1 if request.strict and worse else 0), lines


def _baseline(request: CheckRequest) -> tuple[Answers, KnowledgeBase | None, str]:
    if request.against is not None:
        return load_snapshot(request.against), None, f"the snapshot {request.against}"
    with committed_knowledge(request.kb_dir, request.seeds_dir) as before_kb:
        before = answers(Engine(before_kb), request.question_sets) if before_kb is not None else {}
        name = "the last commit" if before_kb is not None else "nothing (no valid knowledge committed)"
        return before, before_kb, name
