"""The checks that look across fact files: unique ids, existing related ids, phrasings
that belong to one fact only.

They run over the per-file summaries (`fact_file.CheckedFile`), which may come from
the cache, so that a one-file edit re-checks one file and then only these
dictionary lookups: under a second at 100,000 facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fact_file import CheckedFact, CheckedFile
from .file_reading import did_you_mean
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
    phrasing_owner: dict[str, tuple[str, str, int]] = {}  # folded phrasing -> (fact id, path, line)
    served: list[tuple[str, CheckedFact]] = []
    counts = []
    for checked in files:
        before = len(served)
        for broken_id in checked.broken_ids:  # reported already: not a missing `related` target too
            first_line.setdefault(broken_id, checked.path)
        for entry in checked.facts:
            fact_id = entry.fact.id
            if fact_id in first_line:
                problems.append(
                    Problem(checked.path, entry.line, fact_id, f"duplicate fact id (first at {first_line[fact_id]})")
                )
                continue
            first_line[fact_id] = f"{checked.path}:{entry.line}"
            (drafts if leave_out_drafts else problems).extend(entry.drafts)
            if entry.drafts and leave_out_drafts:
                continue
            served.append((checked.path, entry))
            problems += entry.problems
            problems += _repeated_phrasings(checked.path, entry, phrasing_owner)
        counts.append(len(served) - before)
    problems += _related_problems(served, first_line, [f.path for f in files if not f.readable])
    return JoinedFacts(tuple(entry.fact for _, entry in served), tuple(counts), tuple(problems), tuple(drafts))


def _repeated_phrasings(path: str, entry: CheckedFact, owner: dict[str, tuple[str, str, int]]) -> list[Problem]:
    found = []
    for folded, line, question in entry.phrasings:
        here = (entry.fact.id, path, line)
        previous = owner.setdefault(folded, here)
        if previous[0] != entry.fact.id:
            found.append(_duplicate_phrasing(question, here, previous))
    return found


def _related_problems(
    served: list[tuple[str, CheckedFact]], first_line: dict[str, str], unreadable: list[str]
) -> list[Problem]:
    missing_cause = Cause(unreadable[0], "", "related id that may be in this file") if unreadable else None
    found = []
    for path, entry in served:
        fact_id = entry.fact.id
        for line, target in entry.related:
            if target not in first_line:
                hint = did_you_mean(target, first_line)
                found.append(
                    Problem(path, line, fact_id, f"related fact {target!r} does not exist{hint}", missing_cause)
                )
            elif target == fact_id:
                found.append(Problem(path, line, fact_id, "a fact cannot be related to itself"))
    return found


def _duplicate_phrasing(question: str, one: tuple[str, str, int], other: tuple[str, str, int]) -> Problem:
    """Reported in the file edited last (the moderator's new edit), naming the other place too."""
    first, second = sorted((one, other), key=lambda place: -Path(place[1]).stat().st_mtime_ns)
    message = f"the phrasing {question!r} is also a question of fact {second[0]!r} ({second[1]}:{second[2]})"
    return Problem(first[1], first[2], first[0], message)
