"""Opening an engine quickly, and again after an edit: the last load, kept and updated.

At 100,000 facts, parsing, checking and indexing everything takes seconds; an
edit changes one file. So the result of the last load is kept (in memory in a
running bot, and under the bot's own data directory for the next process, never
in the moderators' knowledge directory):

- every fact file's check (`CheckedFile`), by the file's bytes and the articles:
  an edit parses and checks the changed files only, and the checks across files
  run over these compact summaries;
- the last good knowledge base with its index and vectors, and a fingerprint of
  every file it came from: unchanged files give a warm start (one read), changed
  fact files an index updated for them alone (`index_update.py`). A change of
  aliases, entities or articles indexes everything again.

A cache file that is truncated, foreign, from another version of the code, or
unreadable is ignored and rebuilt. Files are written to a temporary name and
renamed, so two processes sharing a data directory never read a half-written one.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from .. import __version__
from ..knowledge.fact_file import CheckedFile, CitableSources
from ..knowledge.loader import FactFile, KnowledgeBase, Problem, default_seeds_dir, load_knowledge
from . import load_workers, semantic
from .index import SearchIndex, assemble, index_context
from .index_update import change_between, updated_index
from .pipeline import Engine, semantic_index_for
from .settings import DEFAULT_SETTINGS, EngineSettings

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).parent.parent  # the whole bot package


def default_data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", "data"))


@dataclass(frozen=True)
class _Served:
    """The last good load: what an engine is built from."""

    inputs: str  # fingerprint of every file it came from
    kb: KnowledgeBase
    context_key: str
    index: SearchIndex
    meaning: semantic.SemanticIndex | None
    drafts: tuple[Problem, ...]  # the drafts left out (only when loading with drafts left out)


@dataclass(frozen=True)
class _State:
    code: str  # the version of this package it was made by
    files: dict[str, CheckedFile]  # by `fact_file_key`: the fact files of the latest load
    served: _Served | None

    def with_files(self, files: dict[str, CheckedFile]) -> _State:
        """The latest load's files, and those the served knowledge still comes from."""
        kept = {}
        if self.served is not None:
            kept = {g.key: self.files[g.key] for g in self.served.kb.fact_groups if g.key not in files}
        return _State(self.code, {**files, **kept}, self.served)


class KnowledgeCache:
    """Loads knowledge and engines, reusing whatever the last load of the same knowledge
    (in this process, or saved in `directory`) did. `directory` None: memory only."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.code = _code_fingerprint()
        self._states: dict[str, _State] = {}  # by slot: one knowledge directory and loading mode
        self._writer: threading.Thread | None = None

    def load(
        self, kb_dir: Path, seeds_dir: Path | None = None, drafts_left_out: list[Problem] | None = None
    ) -> KnowledgeBase:
        """Like `load_knowledge`, but unchanged fact files are not parsed or checked again."""
        seeds_dir = seeds_dir if seeds_dir is not None else default_seeds_dir(kb_dir)
        slot = self._slot(kb_dir, seeds_dir, DEFAULT_SETTINGS, drafts_left_out)
        state = self._state(slot)
        kb, files = self._checked_load(slot, state, kb_dir, seeds_dir, drafts_left_out)
        self._keep(slot, state.with_files(files))
        return kb

    def open(
        self,
        kb_dir: Path,
        seeds_dir: Path | None = None,
        settings: EngineSettings = DEFAULT_SETTINGS,
        drafts_left_out: list[Problem] | None = None,
    ) -> Engine:
        """A ready Engine. Raises KnowledgeError like `load_knowledge` when the knowledge is invalid."""
        seeds_dir = seeds_dir if seeds_dir is not None else default_seeds_dir(kb_dir)
        slot = self._slot(kb_dir, seeds_dir, settings, drafts_left_out)
        state = self._state(slot)
        inputs = _inputs(kb_dir, seeds_dir)
        served = state.served
        self._states = {slot: state}  # one knowledge at a time in memory: 100,000 facts are big
        if served is None or served.inputs != inputs:
            drafts: list[Problem] | None = [] if drafts_left_out is not None else None
            kb, files = self._checked_load(slot, state, kb_dir, seeds_dir, drafts)
            served = self._serve(kb, settings, state.served, inputs, tuple(drafts or ()))
            self._keep(slot, _State(self.code, files, served))
        if drafts_left_out is not None:
            drafts_left_out += served.drafts
        return Engine(served.kb, settings, served.index, served.meaning)

    def _serve(
        self, kb: KnowledgeBase, settings: EngineSettings, previous: _Served | None, inputs: str, drafts: tuple
    ) -> _Served:
        """Index and vectors for `kb`: updated from the previous ones when only fact files changed."""
        with _no_cyclic_gc():
            context = index_context(kb)
            if previous is not None and previous.context_key == context.key:
                index = updated_index(previous.index, kb, context, change_between(previous.kb, kb))
            else:
                index = assemble(kb, context, load_workers.index_parts(context, kb.facts_by_file()))
        return _Served(inputs, kb, context.key, index, self._meaning(kb, settings), drafts)

    def _checked_load(
        self, slot: str, state: _State, kb_dir: Path, seeds_dir: Path, drafts: list[Problem] | None
    ) -> tuple[KnowledgeBase, dict[str, CheckedFile]]:
        """The knowledge base, and the checked fact files it came from. They are kept even
        when it fails to load: the next try, after a fix, checks the fixed file only."""
        files: dict[str, CheckedFile] = {}

        def check(to_check: list[FactFile], sources: CitableSources) -> list[CheckedFile]:
            missing = [path for key, path in to_check if key not in state.files]
            checked = iter(load_workers.checked_files(missing, sources))
            for key, _path in to_check:
                files[key] = state.files[key] if key in state.files else next(checked)
            return [files[key] for key, _path in to_check]

        try:
            with _no_cyclic_gc():
                return load_knowledge(kb_dir, seeds_dir, drafts, check_files=check), files
        except Exception:
            if files:
                self._keep(slot, state.with_files(files))
            raise

    def _meaning(self, kb: KnowledgeBase, settings: EngineSettings) -> semantic.SemanticIndex | None:
        """The vectors of new texts only: the others come from the saved ones."""
        vectors_file = self._file("vectors")
        known = _read(vectors_file, _read_vectors) if vectors_file is not None else None
        before = semantic.remember(known or {})
        meaning = semantic_index_for(kb, settings)
        if vectors_file is not None and len(semantic.remembered()) != before:
            _write(vectors_file, pickle.dump, semantic.remembered())
        return meaning

    def _state(self, slot: str) -> _State:
        state = self._states.get(slot)
        if state is None and (file := self._file(f"state-{slot}")) is not None:
            state = _read(file, functools.partial(_read_state, code=self.code))
        if state is None or state.code != self.code:
            state = _State(self.code, {}, None)
        return state

    def _keep(self, slot: str, state: _State) -> None:
        """Kept in memory now, and saved by a thread: a reload serves the new knowledge while
        its 100,000 facts are written (the process still waits for the thread before it exits)."""
        self._states = {slot: state}
        if (file := self._file(f"state-{slot}")) is None:
            return
        if self._writer is not None:
            self._writer.join()  # in order: an older state must never replace a newer one
        self._writer = threading.Thread(target=_save_state, args=(file, state), name="cache-writer")
        self._writer.start()

    def wait_for_writes(self) -> None:
        if self._writer is not None:
            self._writer.join()

    def _file(self, name: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{name}.pickle"

    def _slot(
        self, kb_dir: Path, seeds_dir: Path, settings: EngineSettings, drafts_left_out: list[Problem] | None
    ) -> str:
        """One knowledge directory, with its articles, settings and loading mode."""
        where = (str(Path(kb_dir).resolve()), str(Path(seeds_dir).resolve()), settings, drafts_left_out is None)
        return hashlib.sha256(repr(where).encode()).hexdigest()[:16]


def open_engine(
    kb_dir: Path,
    seeds_dir: Path | None = None,
    settings: EngineSettings = DEFAULT_SETTINGS,
    cache_dir: Path | None = None,
) -> Engine:
    """A ready Engine, through a cache in `cache_dir` (None: no cache files)."""
    return KnowledgeCache(cache_dir).open(kb_dir, seeds_dir, settings)


def _inputs(kb_dir: Path, seeds_dir: Path) -> str:
    """Changes whenever a knowledge file or an article does."""
    digest = hashlib.sha256()
    for root in (kb_dir, seeds_dir):
        for path in sorted(p for p in Path(root).glob("**/*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            try:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                digest.update(b"unreadable")  # the load will name it
    return digest.hexdigest()


def _code_fingerprint() -> str:
    """Changes whenever this package's code does: cached results are only as good as it."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.glob("**/*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Loading builds millions of objects and no cycles: the collector's passes over them
    cost a third of the load time at 100,000 facts, for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write_state(state: _State, stream: BinaryIO) -> None:
    """A stream of pickles rather than one: each file's facts, the knowledge base without
    them, and the index. Pickle remembers every object it wrote until the end of a dump,
    and one dump of 100,000 facts cost 120 MB of memory while the bot kept serving."""
    served = state.served
    dump = functools.partial(pickle.dump, file=stream, protocol=pickle.HIGHEST_PROTOCOL)
    dump((_STATE_FORMAT, state.code, len(state.files)))
    for key, checked in state.files.items():
        dump((key, checked))
    if served is None:
        dump(None)
        return
    positions = _served_positions(served.kb, state.files)
    dump((served.inputs, replace(served.kb, facts=()), positions, served.context_key, served.meaning, served.drafts))
    dump(served.index)


def _read_state(stream: BinaryIO, code: str) -> _State | None:
    """The saved state, or None when another version of the code saved it."""
    load = functools.partial(pickle.load, stream)
    header = load()
    if not isinstance(header, tuple) or header[:2] != (_STATE_FORMAT, code):
        return None
    _, code, count = header
    files = dict(load() for _ in range(count))
    served = load()
    if served is None:
        return _State(code, files, None)
    inputs, kb, positions, context_key, meaning, drafts = served
    facts = tuple(
        files[group.key].facts[position]
        for group, served_positions in zip(kb.fact_groups, positions, strict=True)
        for position in (served_positions if served_positions is not None else range(group.count))
    )
    kb = replace(kb, facts=facts)
    return _State(code, files, _Served(inputs, kb, context_key, load(), meaning, drafts))


_STATE_FORMAT = "knowledge-state-1"


def _served_positions(kb: KnowledgeBase, files: dict[str, CheckedFile]) -> list[tuple[int, ...] | None]:
    """Per file, which of its facts the knowledge base serves: None for all of them (nearly
    always; a duplicate id, or a draft left out, is not served)."""
    positions: list[tuple[int, ...] | None] = []
    first = 0
    for group in kb.fact_groups:
        facts = files[group.key].facts
        served = kb.facts[first : first + group.count]
        first += group.count
        if len(served) == len(facts):
            positions.append(None)
        else:
            ids = {id(fact) for fact in served}
            positions.append(tuple(p for p, fact in enumerate(facts) if id(fact) in ids))
    return positions


def _save_state(path: Path, state: _State) -> None:
    _write(path, _write_state, state)
    _give_memory_back()


def _give_memory_back() -> None:
    """After a reload, the old knowledge and the writer's buffers are free, but glibc keeps
    freed memory unless told: a bot at 100,000 facts stayed at its reload peak (465 MB)
    instead of going back to 330 MB. Elsewhere (no glibc) this does nothing."""
    with suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(0)


def _read_vectors(stream: BinaryIO) -> dict | None:
    vectors = pickle.load(stream)
    return vectors if isinstance(vectors, dict) else None


def _read(path: Path, read: Callable[[BinaryIO], Any]) -> Any:
    """What `read` makes of the file, or None when it is missing, truncated or foreign."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle, _no_cyclic_gc():
            value = read(handle)  # our own file, in the bot's own data directory
        if value is None:  # expected after an upgrade: no warning
            log.info("not using cache %s: another version of the bot wrote it", path)
        return value
    except Exception as error:  # a truncated or foreign file: rebuild
        log.warning("ignoring unreadable cache %s: %s", path, error)
    return None


def _write(path: Path, write: Callable[[Any, BinaryIO], None], value: Any) -> None:
    """Written under a temporary name, then renamed: a reader sees the old file or the new one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            try:
                write(value, handle)
            except BaseException:
                Path(handle.name).unlink(missing_ok=True)
                raise
        os.replace(handle.name, path)
    except Exception as error:  # a full disk, or anything else: the cache is only an optimization
        log.warning("could not write cache %s: %s", path, error)
