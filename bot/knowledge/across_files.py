"""The checks that look across fact files: unique ids, existing related ids, phrasings
that belong to one fact only.

They run over the per-file summaries (`fact_file.CheckedFile`), which may come from
the cache, so that a one-file edit re-checks one file and then only these
dictionary lookups: under a second at 100,000 facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .fact_file import CheckedFile
from .file_reading import did_you_mean
from .normalize import fold
from .problem_list import Cause, Problem
from .schema import Fact


@dataclass(frozen=True)
class JoinedFacts:
    facts: tuple[Fact, ...]  # in file order
    counts: tuple[int, ...]  # how many of them each file gave (unreadable files give none)
    problems: tuple[Problem, ...]
    drafts: tuple[Problem, ...]  # drafts left out (only when `leave_out_drafts`)


def join_fact_files(files: list[CheckedFile], leave_out_drafts: bool) -> JoinedFacts:
    """Facts that are served, and every problem, including each file's own.

    It runs on every reload of 100,000 facts while the old knowledge keeps serving, so it
    allocates little: a dict of ids pointing at files, and phrasings compared only where
    their hashes repeat (found by numpy)."""
    problems: list[Problem] = [problem for checked in files for problem in checked.problems]
    drafts: list[Problem] = []
    first_seen: dict[str, CheckedFile | str] = {}  # fact id -> the file it is first in (or a broken entry's path)
    left_out: list[set[int]] = []  # per file: facts not served (a duplicate id, a draft left out)
    for checked in files:
        for broken_id in checked.broken_ids:  # reported already: not a missing `related` target too
            first_seen.setdefault(broken_id, checked.path)
        skipped: set[int] = set()
        for position, fact in enumerate(checked.facts):
            if fact.id in first_seen:
                message = f"duplicate fact id (first at {_first_place(first_seen[fact.id], fact.id)})"
                problems.append(Problem(checked.path, checked.lines[position], fact.id, message))
                skipped.add(position)
                continue
            first_seen[fact.id] = checked
            (drafts if leave_out_drafts else problems).extend(checked.drafts.get(position, ()))
            if leave_out_drafts and position in checked.drafts:
                skipped.add(position)
                continue
            problems += checked.fact_problems.get(position, ())
        left_out.append(skipped)
    problems += _repeated_phrasings(files, left_out)
    related = [
        (checked, *entry) for checked, skipped in zip(files, left_out, strict=True)
        for entry in checked.related if entry[0] not in skipped
    ]
    problems += _related_problems(related, first_seen, [f.path for f in files if not f.readable])
    served = [_served(checked, skipped) for checked, skipped in zip(files, left_out, strict=True)]
    facts = tuple(fact for file_facts in served for fact in file_facts)
    return JoinedFacts(facts, tuple(map(len, served)), tuple(problems), tuple(drafts))


def _served(checked: CheckedFile, skipped: set[int]) -> tuple[Fact, ...]:
    if not skipped:
        return checked.facts
    return tuple(fact for position, fact in enumerate(checked.facts) if position not in skipped)


def _first_place(first: CheckedFile | str, fact_id: str) -> str:
    """`path:line` of the fact `first` holds (looked up only when an id repeats)."""
    if isinstance(first, str):
        return first
    position = next(p for p, fact in enumerate(first.facts) if fact.id == fact_id)
    return f"{first.path}:{first.lines[position]}"


def _repeated_phrasings(files: list[CheckedFile], left_out: list[set[int]]) -> list[Problem]:
    """Phrasings whose folded text another fact already has. Hashes that occur once (nearly
    all) are set aside by numpy; the rest are compared in file order, confirmed by text."""
    hashes = [np.frombuffer(checked.phrasing_hashes, dtype=np.int64) for checked in files]
    every = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64)
    values, counts = np.unique(every, return_counts=True)
    repeated = values[counts > 1]
    found = []
    owner: dict[int, tuple[CheckedFile, int]] = {}
    for checked, file_hashes, skipped in zip(files, hashes, left_out, strict=True):
        for phrasing in np.nonzero(np.isin(file_hashes, repeated))[0].tolist():
            position = checked.phrasing_fact[phrasing]
            if position in skipped:
                continue
            other, other_phrasing = owner.setdefault(int(file_hashes[phrasing]), (checked, phrasing))
            other_fact = other.facts[other.phrasing_fact[other_phrasing]]
            if other_fact.id != checked.facts[position].id and _same(checked, phrasing, other, other_phrasing):
                here = (checked.facts[position].id, checked.path, checked.phrasing_lines[phrasing])
                there = (other_fact.id, other.path, other.phrasing_lines[other_phrasing])
                found.append(_duplicate_phrasing(checked.question(phrasing), here, there))
    return found


def _same(one: CheckedFile, phrasing: int, other: CheckedFile, other_phrasing: int) -> bool:
    return fold(one.question(phrasing)) == fold(other.question(other_phrasing))


def _related_problems(
    related: list[tuple[CheckedFile, int, int, str]], known: dict[str, Any], unreadable: list[str]
) -> list[Problem]:
    missing_cause = Cause(unreadable[0], "", "related id that may be in this file") if unreadable else None
    found = []
    for checked, position, line, target in related:
        fact_id = checked.facts[position].id
        if target not in known:
            hint = did_you_mean(target, known)
            message = f"related fact {target!r} does not exist{hint}"
            found.append(Problem(checked.path, line, fact_id, message, missing_cause))
        elif target == fact_id:
            found.append(Problem(checked.path, line, fact_id, "a fact cannot be related to itself"))
    return found


def _duplicate_phrasing(question: str, one: tuple[str, str, int], other: tuple[str, str, int]) -> Problem:
    """Reported in the file edited last (the moderator's new edit), naming the other place too."""
    first, second = sorted((one, other), key=lambda place: -Path(place[1]).stat().st_mtime_ns)
    message = f"the phrasing {question!r} is also a question of fact {second[0]!r} ({second[1]}:{second[2]})"
    return Problem(first[1], first[2], first[0], message)
