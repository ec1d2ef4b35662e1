"""Opening an engine quickly: a validated knowledge base and its index, cached on disk.

Parsing, validating and normalizing a large knowledge base takes seconds; the
result only changes when the YAML, the articles or this package change. So it
is stored under the bot's own data directory (never in the moderators'
knowledge directory), keyed by a fingerprint of all three. A cache that cannot
be read or written is simply rebuilt or skipped: it is an optimization only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from .. import __version__
from ..knowledge.loader import KnowledgeBase, default_seeds_dir, load_knowledge
from .index import SearchIndex, build_index
from .pipeline import Engine, semantic_index_for
from .semantic import SemanticIndex
from .settings import DEFAULT_SETTINGS, EngineSettings

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).parent.parent  # the whole bot package


def default_data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", "data"))


def fingerprint(kb_dir: Path, seeds_dir: Path) -> str:
    """Changes whenever a knowledge file, an article or the engine's code changes."""
    digest = hashlib.sha256(__version__.encode())
    for root in (PACKAGE_DIR, kb_dir, seeds_dir):
        pattern = "**/*.py" if root == PACKAGE_DIR else "**/*"
        for path in sorted(p for p in root.glob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def open_engine(
    kb_dir: Path,
    seeds_dir: Path | None = None,
    settings: EngineSettings = DEFAULT_SETTINGS,
    cache_dir: Path | None = None,
) -> Engine:
    """Load (from the cache when it is current) and return a ready Engine.

    Raises KnowledgeError like `load_knowledge` when the knowledge is invalid.
    """
    seeds_dir = seeds_dir if seeds_dir is not None else default_seeds_dir(kb_dir)
    if cache_dir is None:
        kb, index = load_knowledge(kb_dir, seeds_dir), None
        return Engine(kb, settings, index)
    cache_file = cache_dir / f"kb-{fingerprint(kb_dir, seeds_dir)}.pickle"
    cached = _read(cache_file)
    if cached is not None:
        return Engine(cached[0], settings, cached[1], cached[2])
    kb = load_knowledge(kb_dir, seeds_dir)
    index = build_index(kb)
    meaning = semantic_index_for(kb, settings)  # the model's vectors, cached with the index
    _write(cache_file, (kb, index, meaning))
    return Engine(kb, settings, index, meaning)


Cached = tuple[KnowledgeBase, SearchIndex, SemanticIndex | None]


def _read(path: Path) -> Cached | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            kb, index, meaning = pickle.load(handle)  # our own file, in the bot's own data directory
        if isinstance(kb, KnowledgeBase) and isinstance(index, SearchIndex):
            return kb, index, meaning if isinstance(meaning, SemanticIndex) else None
    except Exception as error:  # a truncated or foreign file: rebuild
        log.warning("ignoring unreadable cache %s: %s", path, error)
    return None


def _write(path: Path, value: Cached) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("kb-*.pickle"):
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as error:
        log.warning("could not write cache %s: %s", path, error)
