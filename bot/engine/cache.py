"""Opening an engine quickly: checked files, index parts and vectors, cached on disk.

At 100,000 facts, parsing, checking and indexing everything takes tens of
seconds; the result only changes when a file does. So work is kept at three
levels, under the bot's own data directory (never in the moderators' knowledge):

- the whole engine (knowledge base, index, vectors), keyed by a fingerprint of
  every knowledge file, article and this package: a warm start is one read;
- per fact file, its check (`CheckedFile`) keyed by its bytes and the articles,
  and its index part keyed by that and the index context (aliases, entities):
  after an edit, only the changed file is parsed, checked and indexed, and the
  checks across files run over the summaries;
- the model's vector of each text, so that an edit embeds only new texts.

A running bot also keeps the per-file results in memory, so its reload reads
only the changed file. A cache file that is truncated, foreign or unreadable is
ignored and rebuilt; files are written to a temporary name and renamed, so two
processes sharing a data directory never see each other's half-written file.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..knowledge.fact_file import CheckedFile, CitableSources, check_fact_file
from ..knowledge.loader import KnowledgeBase, Problem, default_seeds_dir, load_knowledge
from . import semantic
from .index import IndexContext, IndexPart, SearchIndex, assemble, index_context, index_part
from .pipeline import Engine, semantic_index_for
from .settings import DEFAULT_SETTINGS, EngineSettings

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).parent.parent  # the whole bot package


def default_data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", "data"))


@dataclass(frozen=True)
class _Snapshot:
    kb: KnowledgeBase
    index: SearchIndex
    meaning: semantic.SemanticIndex | None
    drafts: tuple[Problem, ...]  # the drafts left out (only when loading with drafts left out)


class KnowledgeCache:
    """Loads knowledge and engines, reusing whatever an earlier load (in this process, or
    saved in `directory`) did for the same files. `directory` None: memory only."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.code = _code_fingerprint()
        self._memory: dict[str, Any] = {}  # per-file results of the latest load
        self._used: set[str] = set()

    def load(
        self, kb_dir: Path, seeds_dir: Path | None = None, drafts_left_out: list[Problem] | None = None
    ) -> KnowledgeBase:
        """Like `load_knowledge`, but unchanged fact files are not read again."""
        seeds_dir = seeds_dir if seeds_dir is not None else default_seeds_dir(kb_dir)
        with _no_cyclic_gc():
            return load_knowledge(kb_dir, seeds_dir, drafts_left_out, check_file=self._checked)

    def open(
        self,
        kb_dir: Path,
        seeds_dir: Path | None = None,
        settings: EngineSettings = DEFAULT_SETTINGS,
        drafts_left_out: list[Problem] | None = None,
    ) -> Engine:
        """A ready Engine. Raises KnowledgeError like `load_knowledge` when the knowledge is invalid."""
        seeds_dir = seeds_dir if seeds_dir is not None else default_seeds_dir(kb_dir)
        snapshot_file = self._file(f"engine-{self._fingerprint(kb_dir, seeds_dir, settings, drafts_left_out)}")
        snapshot = _read(snapshot_file, _Snapshot) if snapshot_file is not None else None
        if snapshot is None:
            snapshot = self._build(kb_dir, seeds_dir, settings, drafts_left_out)
            if snapshot_file is not None:
                _replace_all(snapshot_file, "engine-", snapshot)
        if drafts_left_out is not None:
            drafts_left_out += snapshot.drafts
        return Engine(snapshot.kb, settings, snapshot.index, snapshot.meaning)

    def _build(
        self, kb_dir: Path, seeds_dir: Path, settings: EngineSettings, drafts_left_out: list[Problem] | None
    ) -> _Snapshot:
        self._used = set()
        drafts: list[Problem] | None = [] if drafts_left_out is not None else None
        kb = self.load(kb_dir, seeds_dir, drafts)
        with _no_cyclic_gc():
            context = index_context(kb)
            parts, first = [], 0
            for group in kb.fact_groups:
                parts.append(self._part(group.key, context, kb, first, group.count))
                first += group.count
            index = assemble(kb, context, parts)
        meaning = self._meaning(kb, settings)
        self._forget_unused()
        return _Snapshot(kb, index, meaning, tuple(drafts or ()))

    def _checked(self, key: str, path: Path, raw: bytes, sources: CitableSources) -> CheckedFile:
        return self._remembered(f"checked-{key}", CheckedFile, lambda: check_fact_file(path, sources, raw))

    def _part(self, key: str, context: IndexContext, kb: KnowledgeBase, first: int, count: int) -> IndexPart:
        facts = kb.facts[first : first + count]
        return self._remembered(f"part-{key}-{context.key}", IndexPart, lambda: index_part(context, facts))

    def _remembered(self, name: str, kind: type, build: Any) -> Any:
        """From memory, else from disk, else built (and saved)."""
        self._used.add(name)
        value = self._memory.get(name)
        file = self._file(f"files/{name}")
        if value is None and file is not None:
            value = _read(file, kind)
        if value is None:
            value = build()
            if file is not None:
                _write(file, value)
        self._memory[name] = value
        return value

    def _meaning(self, kb: KnowledgeBase, settings: EngineSettings) -> semantic.SemanticIndex | None:
        """The vectors of new texts only: the others come from the saved ones."""
        vectors_file = self._file("vectors")
        known = _read(vectors_file, dict) if vectors_file is not None else None
        before = semantic.remember(known or {})
        meaning = semantic_index_for(kb, settings)
        if vectors_file is not None and len(semantic.remembered()) != before:
            _write(vectors_file, semantic.remembered())
        return meaning

    def _forget_unused(self) -> None:
        """Per-file results no file uses any more: dropped from memory and from disk."""
        for name in set(self._memory) - self._used:
            del self._memory[name]
        files = self._file("files")
        if files is not None and files.is_dir():
            for path in files.glob("*.pickle"):  # never a `.tmp` another process is writing
                if path.name.removesuffix(".pickle") not in self._used:
                    path.unlink(missing_ok=True)

    def _file(self, name: str) -> Path | None:
        """Cache files of this version of the code only: another version's are never read."""
        if self.directory is None:
            return None
        return self.directory / f"{self.code}" / f"{name}.pickle"

    def _fingerprint(
        self, kb_dir: Path, seeds_dir: Path, settings: EngineSettings, drafts_left_out: list[Problem] | None
    ) -> str:
        """Changes whenever a knowledge file, an article, a setting or the loading mode does."""
        digest = hashlib.sha256(repr((settings, drafts_left_out is not None, str(kb_dir))).encode())
        for root in (kb_dir, seeds_dir):
            for path in sorted(p for p in Path(root).glob("**/*") if p.is_file()):
                digest.update(str(path.relative_to(root)).encode())
                try:
                    digest.update(path.read_bytes())
                except OSError:
                    digest.update(b"\0unreadable")  # the load will name it
        return digest.hexdigest()[:32]


def open_engine(
    kb_dir: Path,
    seeds_dir: Path | None = None,
    settings: EngineSettings = DEFAULT_SETTINGS,
    cache_dir: Path | None = None,
) -> Engine:
    """A ready Engine, through a cache in `cache_dir` (None: no cache files)."""
    return KnowledgeCache(cache_dir).open(kb_dir, seeds_dir, settings)


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


def _read(path: Path, kind: type) -> Any:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle, _no_cyclic_gc():
            value = pickle.load(handle)  # our own file, in the bot's own data directory
        if isinstance(value, kind):
            return value
        log.warning("ignoring cache %s: it holds %s", path, type(value).__name__)
    except Exception as error:  # a truncated or foreign file: rebuild
        log.warning("ignoring unreadable cache %s: %s", path, error)
    return None


def _write(path: Path, value: Any) -> None:
    """Written under a temporary name, then renamed: a reader sees the old file or the new one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as error:
        log.warning("could not write cache %s: %s", path, error)


def _replace_all(path: Path, prefix: str, value: Any) -> None:
    """Write `path`, then remove the older files of its kind (and other code versions' files)."""
    _write(path, value)
    for old in path.parent.glob(f"{prefix}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    for other in path.parent.parent.glob("?" * len(path.parent.name)):
        if other.is_dir() and other != path.parent:  # another version of the code's cache
            _remove_tree(other)


def _remove_tree(directory: Path) -> None:
    """Best effort: a file another process still writes stays (it is only a cache)."""
    for path in [*sorted(directory.glob("**/*"), reverse=True), directory]:
        with suppress(OSError):
            path.rmdir() if path.is_dir() else path.unlink()
