"""Checking one fact file on its own: the part of validation that can be cached per file.

At 100,000 facts, parsing and checking every file again after a one-line edit
took over a minute. Everything here depends only on the file's bytes and on the
sources its quotes are checked against, so its result (`CheckedFile`) is cached
by those; the checks that look across files (ids, related ids, repeated
phrasings) run later over these summaries, which is fast.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import passages
from .file_reading import Loaded, draft_problems, read_model
from .normalize import fold
from .problem_list import Cause, Problem
from .quote_diff import differences
from .schema import Fact, FactsFile

DRAFT_MARKER = "TODO"


@dataclass(frozen=True)
class CitableSources:
    """The articles quotes are checked against, and why some of them cannot be."""

    texts: Mapping[str, str]
    causes: Mapping[str, Cause] = field(default_factory=dict)  # source id -> why it cannot be cited
    file_cause: Cause | None = None  # sources.yaml itself could not be read
    squashed: Mapping[str, str] = field(init=False, repr=False, compare=False)
    digest: str = field(init=False, compare=False)  # changes whenever a check here could turn out differently

    def __post_init__(self) -> None:
        object.__setattr__(self, "squashed", {i: passages.squash(text) for i, text in self.texts.items()})
        digest = hashlib.sha256(repr((sorted(self.causes.items()), self.file_cause)).encode())
        for source_id, text in sorted(self.texts.items()):
            digest.update(f"\0{source_id}\0".encode())
            digest.update(text.encode())
        object.__setattr__(self, "digest", digest.hexdigest())


@dataclass(frozen=True)
class CheckedFile:
    """One fact file's facts and what could be checked without the other files.

    Kept for every file while the bot runs (100,000 facts), so it is compact: per fact
    a line; per phrasing a 64-bit hash of its folded text, the fact it belongs to and
    its line; problems only where there are some. `facts` is empty when the file
    could not be read at all.
    """

    path: str
    readable: bool
    problems: tuple[Problem, ...]  # YAML and schema problems
    facts: tuple[Fact, ...]
    lines: array  # fact -> its line
    fact_problems: Mapping[int, tuple[Problem, ...]]  # fact -> its citations' problems
    drafts: Mapping[int, tuple[Problem, ...]]  # fact -> TODO markers left by `draft` (a draft)
    phrasing_hashes: array  # of the folded phrasing; drafted phrasings left out
    phrasing_fact: array
    phrasing_number: array  # which of its fact's questions
    phrasing_lines: array
    related: tuple[tuple[int, int, str], ...]  # (fact, line, related id)
    broken_ids: tuple[str, ...]  # entries that failed their schema (reported in `problems`)

    def question(self, phrasing: int) -> str:
        return self.facts[self.phrasing_fact[phrasing]].questions[self.phrasing_number[phrasing]]


def phrasing_hash(question: str) -> int:
    """Stable across processes (unlike `hash`): the summaries are cached on disk."""
    return int.from_bytes(hashlib.blake2b(fold(question).encode(), digest_size=8).digest(), "little", signed=True)


def check_fact_file(path: Path, sources: CitableSources, raw: bytes | None = None) -> CheckedFile:
    loaded, problems = read_model(path, FactsFile, raw)
    if loaded is None:
        no = array("i")
        return CheckedFile(str(path), False, tuple(problems), (), no, {}, {}, array("q"), no, no, no, (), ())
    entries = [(index, fact) for index, fact in enumerate(loaded.model.facts) if fact is not None]
    line_of = loaded.document.line_of
    fact_problems, drafts, related = {}, {}, []
    phrasings = array("q"), array("i"), array("i"), array("i")  # hash, fact, number, line
    for position, (index, fact) in enumerate(entries):
        if found := _citation_problems(loaded, index, fact, sources):
            fact_problems[position] = tuple(found)
        written = {"answer": fact.answer, "questions": fact.questions}
        if found := draft_problems(loaded, ("facts", index), fact.id, written, DRAFT_MARKER):
            drafts[position] = tuple(found)
        for number, question in enumerate(fact.questions):
            if DRAFT_MARKER not in question:  # reported as a draft instead
                row = (phrasing_hash(question), position, number, line_of(("facts", index, "questions", number)))
                for column, value in zip(phrasings, row, strict=True):
                    column.append(value)
        related += [
            (position, line_of(("facts", index, "related", r)), target) for r, target in enumerate(fact.related)
        ]
    facts = tuple(fact for _, fact in entries)
    fact_lines = array("i", [line_of(("facts", index)) for index, _ in entries])
    return CheckedFile(
        loaded.path, True, tuple(problems), facts, fact_lines, fact_problems, drafts, *phrasings, tuple(related),
        loaded.broken_ids,
    )


def _citation_problems(loaded: Loaded, index: int, fact: Fact, sources: CitableSources) -> list[Problem]:
    problems = []
    for c, citation in enumerate(fact.citations):
        path = ("facts", index, "citations", c)
        text = sources.texts.get(citation.source)
        if text is None:
            known = ", ".join(sorted(sources.texts)) or "none"
            message = f"citation to unknown source {citation.source!r} (known: {known})"
            cause = sources.causes.get(citation.source, sources.file_cause)
            problems.append(Problem(loaded.path, loaded.document.line_of((*path, "source")), fact.id, message, cause))
        elif passages.find_quote(citation.quote, text, sources.squashed[citation.source]) < 0:
            closest = passages.closest_passage(citation.quote, text)
            message = (
                f"quote not found in source {citation.source!r}; the closest passage is: «{closest}»"
                + differences(citation.quote, closest)
            )
            problems.append(Problem(loaded.path, loaded.document.line_of((*path, "quote")), fact.id, message))
    return problems
