"""The engine a running bot serves, swapped atomically on a successful reload only.

A moderator's broken save must never empty the bot: `reload()` builds a whole
new Engine first and replaces the current one only if that worked; on failure
the previous knowledge keeps answering and the problems are returned. The
cache remembers each file's checks and index, so a reload after a one-file
edit parses, checks and indexes that file only.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..engine.cache import KnowledgeCache
from ..engine.pipeline import Engine
from ..engine.settings import DEFAULT_SETTINGS, EngineSettings
from ..knowledge.loader import KnowledgeError, Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    problems: tuple[Problem, ...]
    facts: int  # facts served after the reload (the old count when it failed)
    seconds: float


class LiveKnowledge:
    def __init__(
        self,
        kb_dir: Path,
        seeds_dir: Path | None = None,
        settings: EngineSettings = DEFAULT_SETTINGS,
        cache_dir: Path | None = None,
    ) -> None:
        self.kb_dir = kb_dir
        self.seeds_dir = seeds_dir
        self.settings = settings
        self.cache = KnowledgeCache(cache_dir)
        self._lock = threading.Lock()
        self.engine: Engine = self._open()  # the first load must succeed: raises KnowledgeError
        self.loaded_at = time.time()

    def _open(self) -> Engine:
        return self.cache.open(self.kb_dir, self.seeds_dir, self.settings)

    def reload(self) -> ReloadResult:
        started = time.perf_counter()
        with self._lock:
            try:
                engine = self._open()
            except Exception as error:  # even a bug must not end reloading: report it like a problem
                if isinstance(error, KnowledgeError):
                    problems = tuple(error.problems)
                else:
                    log.exception("reloading %s failed unexpectedly", self.kb_dir)
                    problems = (Problem(str(self.kb_dir), 0, "", f"reload failed: {type(error).__name__}: {error}"),)
                elapsed = time.perf_counter() - started
                return ReloadResult(False, problems, len(self.engine.kb.facts), elapsed)
            self.engine = engine
            self.loaded_at = time.time()
        return ReloadResult(True, (), len(engine.kb.facts), time.perf_counter() - started)
