"""The checks that look across fact files: unique ids, existing related ids, phrasings
that belong to one fact only.

They run over the per-file summaries (`fact_file.CheckedFile`), which may come from
the cache, so that a one-file edit re-checks one file and then only these
dictionary lookups: under a second at 100,000 facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    """Facts that are served, and every problem, including each file's own."""
    problems: list[Problem] = [problem for checked in files for problem in checked.problems]
    drafts: list[Problem] = []
    first_line: dict[str, str] = {}
    phrasing_owner: dict[int, tuple[CheckedFile, int]] = {}  # phrasing hash -> (file, phrasing)
    served: list[tuple[CheckedFile, int]] = []  # (file, fact)
    related: list[tuple[CheckedFile, int, int, str]] = []  # (file, fact, line, related id)
    counts = []
    for checked in files:
        before = len(served)
        for broken_id in checked.broken_ids:  # reported already: not a missing `related` target too
            first_line.setdefault(broken_id, checked.path)
        left_out = set()
        for position, fact in enumerate(checked.facts):
            where = f"{checked.path}:{checked.lines[position]}"
            if fact.id in first_line:
                message = f"duplicate fact id (first at {first_line[fact.id]})"
                problems.append(Problem(checked.path, checked.lines[position], fact.id, message))
                left_out.add(position)
                continue
            first_line[fact.id] = where
            (drafts if leave_out_drafts else problems).extend(checked.drafts.get(position, ()))
            if leave_out_drafts and position in checked.drafts:
                left_out.add(position)
                continue
            served.append((checked, position))
            problems += checked.fact_problems.get(position, ())
        problems += _repeated_phrasings(checked, left_out, phrasing_owner)
        related += [(checked, *entry) for entry in checked.related if entry[0] not in left_out]
        counts.append(len(served) - before)
    problems += _related_problems(related, first_line, [f.path for f in files if not f.readable])
    return JoinedFacts(tuple(f.facts[p] for f, p in served), tuple(counts), tuple(problems), tuple(drafts))


def _repeated_phrasings(
    checked: CheckedFile, left_out: set[int], owner: dict[int, tuple[CheckedFile, int]]
) -> list[Problem]:
    """A phrasing whose folded text another fact already has (compared by hash, confirmed by text)."""
    found = []
    for phrasing, (text_hash, position) in enumerate(zip(checked.phrasing_hashes, checked.phrasing_fact, strict=True)):
        if position in left_out:
            continue
        other, other_phrasing = owner.setdefault(text_hash, (checked, phrasing))
        other_fact = other.facts[other.phrasing_fact[other_phrasing]]
        if other_fact.id != checked.facts[position].id and _same(checked, phrasing, other, other_phrasing):
            here = (checked.facts[position].id, checked.path, checked.phrasing_lines[phrasing])
            there = (other_fact.id, other.path, other.phrasing_lines[other_phrasing])
            found.append(_duplicate_phrasing(checked.question(phrasing), here, there))
    return found


def _same(one: CheckedFile, phrasing: int, other: CheckedFile, other_phrasing: int) -> bool:
    return fold(one.question(phrasing)) == fold(other.question(other_phrasing))


def _related_problems(
    related: list[tuple[CheckedFile, int, int, str]], first_line: dict[str, str], unreadable: list[str]
) -> list[Problem]:
    missing_cause = Cause(unreadable[0], "", "related id that may be in this file") if unreadable else None
    found = []
    for checked, position, line, target in related:
        fact_id = checked.facts[position].id
        if target not in first_line:
            hint = did_you_mean(target, first_line)
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
