"""Loading and validating the knowledge base: YAML files -> an immutable KnowledgeBase.

Loading either returns a complete, consistent KnowledgeBase or raises
KnowledgeError with every problem found, each pointing at `file:line`; it
never returns something half-checked. Callers that already serve a good
knowledge base keep it when a reload fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import passages
from .across_files import join_fact_files
from .entities import entity_problems
from .fact_file import DRAFT_MARKER, CheckedFile, CitableSources, check_fact_file
from .file_reading import Loaded, draft_problems, read_model
from .normalize import fold
from .problem_list import Cause, KnowledgeDirMissing, KnowledgeError, Problem, arrange
from .schema import AliasesFile, EntitiesFile, Fact, Source, SourcesFile
from .yamlfile import MAX_FILE_BYTES

SOURCES_FILE = "sources.yaml"
ALIASES_FILE = "aliases.yaml"
ENTITIES_FILE = "entities.yaml"
FACTS_DIR = "facts"
__all__ = ["DRAFT_MARKER", "KnowledgeBase", "KnowledgeDirMissing", "KnowledgeError", "Problem", "load_knowledge"]

# How the fact files are checked, all at once: directly, or through a cache of earlier
# results (`engine/cache.py`). Each file comes with its key (`fact_file_key`) and path; its
# bytes are read again only where they must be checked (100 files of 100,000 facts: 44 MB).
FactFile = tuple[str, Path]
FactFilesChecker = Callable[[list[FactFile], CitableSources], list[CheckedFile]]


def check_directly(files: list[FactFile], sources: CitableSources) -> list[CheckedFile]:
    return [check_fact_file(path, sources) for _key, path in files]


def fact_file_key(path: Path, raw: bytes, sources: CitableSources) -> str:
    """Changes whenever checking the file could turn out differently (not the code: see the cache)."""
    digest = hashlib.sha256(f"{path}\0{sources.digest}\0".encode())
    digest.update(raw)
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class FactGroup:
    """The facts one file gave, in order: `key` names its content and what it was checked
    against, so that work derived from those facts alone (the index) can be cached by it."""

    key: str
    count: int


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the engine needs, validated and frozen."""

    directory: Path
    seeds_dir: Path
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    aliases: tuple[tuple[str, tuple[str, ...]], ...]
    source_texts: Mapping[str, str]
    entities: EntitiesFile = field(default_factory=EntitiesFile)
    fact_groups: tuple[FactGroup, ...] = ()  # the facts by the file they come from, in order
    _facts_by_id: Mapping[str, Fact] = field(repr=False, compare=False, default_factory=dict)
    _sources_by_id: Mapping[str, Source] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_texts", MappingProxyType(dict(self.source_texts)))
        object.__setattr__(self, "_facts_by_id", MappingProxyType({f.id: f for f in self.facts}))
        object.__setattr__(self, "_sources_by_id", MappingProxyType({s.id: s for s in self.sources}))

    def __reduce__(self) -> tuple:
        """Read-only mappings cannot be pickled (for the load cache); rebuild them instead."""
        fields = (self.directory, self.seeds_dir, self.sources, self.facts, self.aliases)
        return (KnowledgeBase, (*fields, dict(self.source_texts), self.entities, self.fact_groups))

    def facts_by_file(self) -> list[tuple[Fact, ...]]:
        """The facts grouped by the file they come from, in order (what is indexed per file)."""
        groups, first = [], 0
        for group in self.fact_groups:
            groups.append(self.facts[first : first + group.count])
            first += group.count
        return groups

    def fact(self, fact_id: str) -> Fact | None:
        return self._facts_by_id.get(fact_id)

    def source(self, source_id: str) -> Source | None:
        return self._sources_by_id.get(source_id)

    def uncited(self, source_id: str) -> list[passages.Sentence]:
        """The source's factual sentences that no quote overlaps."""
        quotes = [c.quote for f in self.facts for c in f.citations if c.source == source_id]
        return passages.uncited_sentences(quotes, self.source_texts[source_id])

    def coverage(self) -> dict[str, tuple[int, int]]:
        """Per source: (factual sentences cited by some quote, factual sentences)."""
        quotes: dict[str, list[str]] = {source.id: [] for source in self.sources}
        for fact in self.facts:
            for citation in fact.citations:
                quotes[citation.source].append(citation.quote)
        result = {}
        for source in self.sources:
            text = self.source_texts[source.id]
            total = len(passages.sentences(text))
            result[source.id] = (total - len(passages.uncited_sentences(quotes[source.id], text)), total)
        return result

    def coverage_ratio(self) -> float:
        counts = self.coverage().values()
        total = sum(t for _, t in counts)
        return sum(c for c, _ in counts) / total if total else 1.0


def default_seeds_dir(kb_dir: Path) -> Path:
    return kb_dir / ".." / "seeds"


def load_knowledge(
    kb_dir: Path,
    seeds_dir: Path | None = None,
    drafts_left_out: list[Problem] | None = None,
    check_files: FactFilesChecker = check_directly,
) -> KnowledgeBase:
    """Load and fully validate; raise KnowledgeError listing every problem.

    Facts still marked TODO (`python -m bot draft`) are problems, unless
    `drafts_left_out` is given: then they are left out and listed there, so a
    moderator can try a half-written draft with `ask` (a running bot never does).
    """
    kb_dir = Path(kb_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir(kb_dir)
    if not kb_dir.is_dir():
        raise KnowledgeDirMissing([Problem(str(kb_dir), 0, "", "knowledge directory not found")])
    return _Checker(kb_dir, seeds_dir, drafts_left_out, check_files).run()


class _Checker:
    """Collects problems across all files; builds the KnowledgeBase only if there are none."""

    def __init__(
        self, kb_dir: Path, seeds_dir: Path, drafts_left_out: list[Problem] | None, check_files: FactFilesChecker
    ) -> None:
        self.kb_dir = kb_dir
        self.seeds_dir = seeds_dir
        self.problems: list[Problem] = []
        self.drafts = drafts_left_out
        self.check_files = check_files

    def run(self) -> KnowledgeBase:
        sources, citable = self._check_sources(self._load(self.kb_dir / SOURCES_FILE, SourcesFile, required=True))
        aliases = self._check_aliases(self._load(self.kb_dir / ALIASES_FILE, AliasesFile, required=False))
        entities = self._check_entities(self._load(self.kb_dir / ENTITIES_FILE, EntitiesFile, required=False))
        to_check: list[FactFile] = []
        for path in self._fact_paths():
            try:
                raw = path.read_bytes()
            except OSError as error:
                self.problems.append(Problem(str(path), 0, "", f"could not be read: {error.strerror or error}"))
                continue
            to_check.append((fact_file_key(path, raw, citable), path))
        keys = [key for key, _path in to_check]
        files = self.check_files(to_check, citable)
        joined = join_fact_files(files, leave_out_drafts=self.drafts is not None)
        self.problems += joined.problems
        if self.drafts is not None:
            self.drafts += joined.drafts
        if self.problems:
            raise KnowledgeError(arrange(self.problems))
        return KnowledgeBase(
            directory=self.kb_dir,
            seeds_dir=self.seeds_dir,
            sources=tuple(sources),
            facts=joined.facts,
            aliases=aliases,
            source_texts=citable.texts,
            entities=entities,
            fact_groups=tuple(FactGroup(key, count) for key, count in zip(keys, joined.counts, strict=True)),
        )

    def _problem(self, path: str, line: int, subject: str, message: str, cause: Cause | None = None) -> None:
        self.problems.append(Problem(path, line, subject, message, cause))

    def _fact_paths(self) -> list[Path]:
        directory = self.kb_dir / FACTS_DIR
        paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]) if directory.is_dir() else []
        if not paths:
            self._problem(str(directory), 0, "", "no fact files (*.yaml) found")
        return paths

    def _load(self, path: Path, model: type, required: bool) -> Loaded | None:
        if not path.is_file():
            if required:
                self._problem(str(path), 0, "", "file not found")
            return None
        loaded, problems = read_model(path, model)
        self.problems += problems
        return loaded

    def _check_sources(self, loaded: Loaded | None) -> tuple[list[Source], CitableSources]:
        if loaded is None:
            cause = Cause(str(self.kb_dir / SOURCES_FILE), "", "citation to a source of this file")
            return [], CitableSources({}, file_cause=cause)
        causes = {i: Cause(loaded.path, i, "citation to this source") for i in loaded.broken_ids}
        sources, texts, seen = [], {}, {}
        for index, source in enumerate(loaded.model.sources):
            if source is None:
                continue
            line = loaded.document.line_of(("sources", index))
            if source.id in seen:
                self._problem(loaded.path, line, source.id, f"duplicate source id (first at line {seen[source.id]})")
                continue
            seen[source.id] = line
            shown = {"title": source.title, "publisher": source.publisher, "authors": source.authors}
            shown["notes"] = source.notes or ""
            listed = self.problems if self.drafts is None else self.drafts
            listed += draft_problems(loaded, ("sources", index), source.id, shown, DRAFT_MARKER)
            text = self._read_source(source, loaded.path, loaded.document.line_of(("sources", index, "file")))
            if text is not None:
                sources.append(source)
                texts[source.id] = text
            else:
                causes[source.id] = Cause(loaded.path, source.id, "citation to this source")
        return sources, CitableSources(texts, causes)

    def _read_source(self, source: Source, path: str, line: int) -> str | None:
        problem = _unsafe_source_path(source.file)
        target = self.seeds_dir / source.file
        if problem is None:
            seeds_root = self.seeds_dir.resolve()
            if not target.resolve().is_relative_to(seeds_root):
                problem = f"file {source.file!r} leads outside the seeds directory (a symlink?)"
            elif target.is_dir():
                problem = f"file {source.file!r} is a directory in {self.seeds_dir}, not an article's text file"
            elif not target.is_file():
                problem = f"file {source.file!r} not found in {self.seeds_dir}"
            elif target.stat().st_size > MAX_FILE_BYTES:
                problem = f"file {source.file!r} is over {MAX_FILE_BYTES // 2**20} MB"
        if problem is None:
            try:
                return target.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                problem = f"file {source.file!r} is not UTF-8 text"
        self._problem(path, line, source.id, problem)
        return None

    def _check_entities(self, loaded: Loaded | None) -> EntitiesFile:
        if loaded is None:
            return EntitiesFile()
        for where, message in entity_problems(loaded.model):
            self._problem(loaded.path, loaded.document.line_of(where), "entities", message)
        return loaded.model

    def _check_aliases(self, loaded: Loaded | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if loaded is None:
            return ()
        owner: dict[str, str] = {}
        for canonical, variants in loaded.model.aliases.items():
            for v, variant in enumerate((canonical, *variants)):
                key = fold(variant)
                if not key:
                    line = loaded.document.line_of(("aliases", canonical, v - 1) if v else ("aliases", canonical))
                    self._problem(loaded.path, line, canonical, f"alias {variant!r} has no letters or digits")
                elif owner.setdefault(key, canonical) != canonical:
                    line = loaded.document.line_of(("aliases", canonical, v - 1) if v else ("aliases", canonical))
                    self._problem(loaded.path, line, canonical, f"{variant!r} is also an alias of {owner[key]!r}")
        return tuple((k, tuple(v)) for k, v in loaded.model.aliases.items())


def _unsafe_source_path(file: str) -> str | None:
    candidate = Path(file)
    if candidate.is_absolute() or file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":"):
        return f"file {file!r} must be a path relative to the seeds directory, not absolute"
    if ".." in candidate.parts or ".." in file.replace("\\", "/").split("/"):
        return f"file {file!r} must stay inside the seeds directory ('..' is not allowed)"
    return None
