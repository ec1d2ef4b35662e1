"""A problem list a moderator can work down from the top.

One broken `file:` in sources.yaml used to print a line for every citation of
that source before the line that mattered. Here a problem may name its cause;
a cause with consequences is printed first, once, with its consequences
counted on the same line ("…and 36 citations to this source"), and every
independent problem keeps its own line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Cause:
    """The problem another follows from: the first one at `path` about `subject` ("" = about anything)."""

    path: str
    subject: str
    noun: str  # what the consequence is, in the singular: "citation to this source"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge, printed as `path:line: subject: message`."""

    path: str
    line: int
    subject: str
    message: str
    cause: Cause | None = None  # set when this problem only follows from another one

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.subject}: {self.message}" if self.subject else f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base could not be loaded; `problems` says everything that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class KnowledgeDirMissing(KnowledgeError):
    """The directory itself is not there (a usage error rather than a bad edit)."""


def arrange(problems: Iterable[Problem]) -> list[Problem]:
    """Root causes first (with their consequences folded in), then the rest by file and line."""
    ordered = sorted(problems, key=lambda problem: (problem.path, problem.line))
    independent = [problem for problem in ordered if problem.cause is None]
    first: dict[tuple[str, str], int] = {}
    for position, problem in enumerate(independent):
        first.setdefault((problem.path, problem.subject), position)
        first.setdefault((problem.path, ""), position)
    consequences: dict[int, Counter[str]] = {}
    unexplained = []
    for problem in ordered:
        if problem.cause is None:
            continue
        root = first.get((problem.cause.path, problem.cause.subject))
        if root is None:
            unexplained.append(replace(problem, cause=None))
        else:
            consequences.setdefault(root, Counter())[problem.cause.noun] += 1
    roots = [replace(independent[i], message=independent[i].message + _note(consequences[i])) for i in consequences]
    rest = [problem for position, problem in enumerate(independent) if position not in consequences]
    return sorted(roots, key=lambda p: (p.path, p.line)) + sorted(rest + unexplained, key=lambda p: (p.path, p.line))


def _note(counts: Counter[str]) -> str:
    parts = [f"{count} {_plural(noun) if count != 1 else noun}" for noun, count in counts.items()]
    return f" (…and {', '.join(parts)})"


def _plural(noun: str) -> str:
    head, _, tail = noun.partition(" ")
    return f"{head}s {tail}".strip()
