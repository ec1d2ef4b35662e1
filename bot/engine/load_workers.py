"""Checking and indexing fact files on every core, for loads with much to do.

A load of 100,000 facts with nothing cached parses, checks and indexes a hundred
files, each on its own: over 20 seconds on one core. With more than one core and
enough files, they are shared out to forked worker processes, which inherit the
articles (or the index context) instead of receiving them with every file.

Only a process with a single thread forks: a forked copy of a process with other
threads can deadlock on a lock one of them held. A running bot has threads, so
it loads on one core; commands and `bench` use them all. (`spawn` would avoid
the question but re-runs the main script of whichever program embeds the bot.)
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ..knowledge.fact_file import CheckedFile, CitableSources, check_fact_file
from ..knowledge.schema import Fact
from .index import IndexContext, IndexPart, index_part

MIN_FILES_FOR_WORKERS = 8  # fewer files are done sooner here than workers start (about a second)

Item = TypeVar("Item")
Result = TypeVar("Result")
_shared: list[Any] = []  # what every task needs (articles, or index context), set before forking


def worker_count(files: int) -> int:
    """How many worker processes a load of `files` files is worth (0: do it here)."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, files) if cores > 1 and files >= MIN_FILES_FOR_WORKERS else 0


def checked_files(paths: list[Path], sources: CitableSources) -> list[CheckedFile]:
    return _mapped(_check, paths, sources, lambda path: check_fact_file(path, sources))


def index_parts(context: IndexContext, groups: list[Sequence[Fact]]) -> list[IndexPart]:
    return _mapped(_index, [tuple(g) for g in groups], context, lambda facts: index_part(context, facts))


def _mapped(
    task: Callable[[Item], Result], items: list[Item], shared: Any, here: Callable[[Item], Result]
) -> list[Result]:
    workers = worker_count(len(items))
    if not workers:
        return [here(item) for item in items]
    _shared[:] = [shared]  # inherited by the forked workers
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(task, items, chunksize=max(1, len(items) // (workers * 4))))
    finally:
        _shared.clear()


def _check(path: Path) -> CheckedFile:
    return check_fact_file(path, _shared[0])


def _index(facts: tuple[Fact, ...]) -> IndexPart:
    return index_part(_shared[0], facts)
