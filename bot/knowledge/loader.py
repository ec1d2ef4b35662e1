"""Loading and validating the knowledge base: YAML files -> an immutable KnowledgeBase.

Loading either returns a complete, consistent KnowledgeBase or raises
KnowledgeError with every problem found, each pointing at `file:line`; it
never returns something half-checked. Callers that already serve a good
knowledge base keep it when a reload fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import TypeAdapter, ValidationError
from rapidfuzz import fuzz, process

from . import passages
from .entities import entity_problems
from .normalize import fold
from .problem_list import Cause, arrange
from .quote_diff import differences
from .salvage import UNKNOWN_KEY_ERRORS, salvage
from .schema import AliasesFile, EntitiesFile, Fact, FactsFile, Source, SourcesFile
from .yamlfile import MAX_FILE_BYTES, YamlDocument, YamlProblem, read_yaml

SOURCES_FILE = "sources.yaml"
DRAFT_MARKER = "TODO"
ALIASES_FILE = "aliases.yaml"
ENTITIES_FILE = "entities.yaml"
FACTS_DIR = "facts"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge, printed as `path:line: subject: message`."""

    path: str
    line: int
    subject: str
    message: str
    cause: Cause | None = None  # set when this problem only follows from another one

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.subject}: {self.message}" if self.subject else f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base could not be loaded; `problems` says everything that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class KnowledgeDirMissing(KnowledgeError):
    """The directory itself is not there (a usage error rather than a bad edit)."""


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
    _facts_by_id: Mapping[str, Fact] = field(repr=False, compare=False, default_factory=dict)
    _sources_by_id: Mapping[str, Source] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_texts", MappingProxyType(dict(self.source_texts)))
        object.__setattr__(self, "_facts_by_id", MappingProxyType({f.id: f for f in self.facts}))
        object.__setattr__(self, "_sources_by_id", MappingProxyType({s.id: s for s in self.sources}))

    def __reduce__(self) -> tuple:
        """Read-only mappings cannot be pickled (for the load cache); rebuild them instead."""
        fields = (self.directory, self.seeds_dir, self.sources, self.facts, self.aliases)
        return (KnowledgeBase, (*fields, dict(self.source_texts), self.entities))

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
        result = {}
        for source in self.sources:
            total = len(passages.sentences(self.source_texts[source.id]))
            result[source.id] = (total - len(self.uncited(source.id)), total)
        return result

    def coverage_ratio(self) -> float:
        counts = self.coverage().values()
        total = sum(t for _, t in counts)
        return sum(c for c, _ in counts) / total if total else 1.0


def default_seeds_dir(kb_dir: Path) -> Path:
    return kb_dir / ".." / "seeds"


def load_knowledge(
    kb_dir: Path, seeds_dir: Path | None = None, drafts_left_out: list[Problem] | None = None
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
    checker = _Checker(kb_dir, seeds_dir, drafts_left_out)
    return checker.run()


@dataclass
class _Loaded:
    """One file that parsed and passed its schema."""

    path: str
    document: YamlDocument
    model: Any
    broken_ids: tuple[str, ...] = ()  # entries that failed their schema (the model holds None for them)


class _Checker:
    """Collects problems across all files; builds the KnowledgeBase only if there are none."""

    def __init__(self, kb_dir: Path, seeds_dir: Path, drafts_left_out: list[Problem] | None) -> None:
        self.kb_dir = kb_dir
        self.seeds_dir = seeds_dir
        self.problems: list[Problem] = []
        self.drafts = drafts_left_out
        self.source_causes: dict[str, Cause] = {}  # source id -> why its citations cannot be checked
        self.sources_cause: Cause | None = None  # sources.yaml itself could not be read
        self.failed_fact_files: list[str] = []

    def run(self) -> KnowledgeBase:
        sources, texts = self._check_sources(self._load(self.kb_dir / SOURCES_FILE, SourcesFile, required=True))
        aliases = self._check_aliases(self._load(self.kb_dir / ALIASES_FILE, AliasesFile, required=False))
        entities = self._check_entities(self._load(self.kb_dir / ENTITIES_FILE, EntitiesFile, required=False))
        facts = self._check_facts(texts)
        if self.problems:
            raise KnowledgeError(arrange(self.problems))
        return KnowledgeBase(
            directory=self.kb_dir,
            seeds_dir=self.seeds_dir,
            sources=tuple(sources),
            facts=tuple(facts),
            aliases=aliases,
            source_texts=texts,
            entities=entities,
        )

    def _problem(self, path: str, line: int, subject: str, message: str, cause: Cause | None = None) -> None:
        self.problems.append(Problem(path, line, subject, message, cause))

    def _fact_paths(self) -> list[Path]:
        directory = self.kb_dir / FACTS_DIR
        paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]) if directory.is_dir() else []
        if not paths:
            self._problem(str(directory), 0, "", "no fact files (*.yaml) found")
        return paths

    def _load(self, path: Path, model: type, required: bool) -> _Loaded | None:
        if not path.is_file():
            if required:
                self._problem(str(path), 0, "", "file not found")
            return None
        try:
            document = read_yaml(path)
        except YamlProblem as problem:
            self._problem(str(path), problem.line, "", problem.message)
            return None
        except Exception as error:  # never a traceback: whatever else goes wrong is named at its file
            self._problem(str(path), 0, "", f"could not be read: {type(error).__name__}: {error}")
            return None
        try:
            return _Loaded(str(path), document, TypeAdapter(model).validate_python(document.data))
        except ValidationError as error:
            problems = [self._schema_problem(str(path), document, item, model) for item in _root_causes(error)]
            self.problems += sorted(problems, key=lambda problem: problem.line)
        salvaged = salvage(document.data, model)
        return None if salvaged is None else _Loaded(str(path), document, salvaged, salvaged.broken_ids)

    def _schema_problem(self, path: str, document: YamlDocument, item: Any, model: type) -> Problem:
        loc = tuple(item["loc"])
        subject, rest = _subject_of(document.data, loc)
        line = document.key_line(loc) if item["type"] in UNKNOWN_KEY_ERRORS else document.line_of(loc)
        return Problem(path, line, subject, _friendly(item, rest, model))

    def _check_sources(self, loaded: _Loaded | None) -> tuple[list[Source], dict[str, str]]:
        if loaded is None:
            self.sources_cause = Cause(str(self.kb_dir / SOURCES_FILE), "", "citation to a source of this file")
            return [], {}
        self.sources_cause = None
        self.source_causes = {i: Cause(loaded.path, i, "citation to this source") for i in loaded.broken_ids}
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
            self._check_drafted(loaded, ("sources", index), source.id, shown)
            text = self._read_source(source, loaded.path, loaded.document.line_of(("sources", index, "file")))
            if text is not None:
                sources.append(source)
                texts[source.id] = text
            else:
                self.source_causes[source.id] = Cause(loaded.path, source.id, "citation to this source")
        return sources, texts

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

    def _check_facts(self, texts: dict[str, str]) -> list[Fact]:
        """One file at a time, so that only one file's YAML tree is in memory (100k facts)."""
        first_line: dict[str, str] = {}
        phrasing_owner: dict[str, tuple[str, str, int]] = {}  # folded phrasing -> (fact id, path, line)
        facts: list[Fact] = []
        related: list[tuple[str, int, str, str]] = []  # (path, line, fact id, related id): checked at the end
        self.squashed = {source_id: passages.squash(text) for source_id, text in texts.items()}
        for path in self._fact_paths():
            loaded = self._load(path, FactsFile, required=True)
            if loaded is None:
                self.failed_fact_files.append(str(path))
                continue
            for broken_id in loaded.broken_ids:  # reported already: not a missing `related` target too
                first_line.setdefault(broken_id, loaded.path)
            for index, fact in enumerate(loaded.model.facts):
                if fact is None:
                    continue
                where = (loaded.path, loaded.document.line_of(("facts", index)))
                if fact.id in first_line:
                    self._problem(*where, fact.id, f"duplicate fact id (first at {first_line[fact.id]})")
                    continue
                first_line[fact.id] = f"{where[0]}:{where[1]}"
                written = {"answer": fact.answer, "questions": fact.questions}
                if self._check_drafted(loaded, ("facts", index), fact.id, written) and self.drafts is not None:
                    continue  # left out, listed in self.drafts
                facts.append(fact)
                self._check_citations(loaded, index, fact, texts)
                self._check_phrasings(loaded, index, fact, phrasing_owner)
                related += [
                    (loaded.path, loaded.document.line_of(("facts", index, "related", r)), fact.id, target)
                    for r, target in enumerate(fact.related)
                ]
        missing_cause = None
        if self.failed_fact_files:
            missing_cause = Cause(self.failed_fact_files[0], "", "related id that may be in this file")
        for path, line, fact_id, target in related:
            if target not in first_line:
                hint = _did_you_mean(target, first_line)
                self._problem(path, line, fact_id, f"related fact {target!r} does not exist{hint}", missing_cause)
            elif target == fact_id:
                self._problem(path, line, fact_id, "a fact cannot be related to itself")
        return facts

    def _check_citations(self, loaded: _Loaded, index: int, fact: Fact, texts: dict[str, str]) -> None:
        for c, citation in enumerate(fact.citations):
            path = ("facts", index, "citations", c)
            if citation.source not in texts:
                line = loaded.document.line_of((*path, "source"))
                known = ", ".join(sorted(texts)) or "none"
                message = f"citation to unknown source {citation.source!r} (known: {known})"
                cause = self.source_causes.get(citation.source, self.sources_cause)
                self._problem(loaded.path, line, fact.id, message, cause)
            elif passages.find_quote(citation.quote, texts[citation.source], self.squashed[citation.source]) < 0:
                line = loaded.document.line_of((*path, "quote"))
                closest = passages.closest_passage(citation.quote, texts[citation.source])
                self._problem(
                    loaded.path,
                    line,
                    fact.id,
                    f"quote not found in source {citation.source!r}; the closest passage is: «{closest}»"
                    + differences(citation.quote, closest),
                )

    def _check_phrasings(self, loaded: _Loaded, index: int, fact: Fact, owner: dict[str, tuple[str, str, int]]) -> None:
        for q, question in enumerate(fact.questions):
            if DRAFT_MARKER in question:
                continue  # reported as a draft instead
            here = (fact.id, loaded.path, loaded.document.line_of(("facts", index, "questions", q)))
            previous = owner.setdefault(fold(question), here)
            if previous[0] != fact.id:
                self.problems.append(_duplicate_phrasing(question, here, previous))

    def _check_drafted(self, loaded: _Loaded, path: tuple, subject: str, fields: dict[str, object]) -> bool:
        """`python -m bot draft` leaves TODO markers; a draft must not go live. True for a draft."""
        listed = self.problems if self.drafts is None else self.drafts
        drafted = False
        for name, value in fields.items():
            values = value if isinstance(value, tuple) else (value,)
            for number, text in enumerate(values):
                if DRAFT_MARKER in str(text):
                    where = (*path, name, number) if isinstance(value, tuple) else (*path, name)
                    line = loaded.document.line_of(where)
                    message = f"{name} still has a {DRAFT_MARKER} marker: write it first"
                    listed.append(Problem(loaded.path, line, subject, message))
                    drafted = True
                    break
        return drafted

    def _check_entities(self, loaded: _Loaded | None) -> EntitiesFile:
        if loaded is None:
            return EntitiesFile()
        for where, message in entity_problems(loaded.model):
            self._problem(loaded.path, loaded.document.line_of(where), "entities", message)
        return loaded.model

    def _check_aliases(self, loaded: _Loaded | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
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


def _duplicate_phrasing(question: str, one: tuple[str, str, int], other: tuple[str, str, int]) -> Problem:
    """Reported in the file edited last (the moderator's new edit), naming the other place too."""
    first, second = sorted((one, other), key=lambda place: -Path(place[1]).stat().st_mtime_ns)
    message = f"the phrasing {question!r} is also a question of fact {second[0]!r} ({second[1]}:{second[2]})"
    return Problem(first[1], first[2], first[0], message)


def _root_causes(error: ValidationError) -> list[Any]:
    """Pydantic also reports a list as too short when one of its items failed; only the
    item's own error helps the moderator."""
    items = error.errors()
    failed = [tuple(i["loc"]) for i in items]

    def failed_inside(loc: tuple) -> bool:
        return any(len(other) > len(loc) and other[: len(loc)] == loc for other in failed)

    return [item for item in items if not (item["type"] == "too_short" and failed_inside(tuple(item["loc"])))]


def _unsafe_source_path(file: str) -> str | None:
    candidate = Path(file)
    if candidate.is_absolute() or file.startswith(("/", "\\")) or (len(file) > 1 and file[1] == ":"):
        return f"file {file!r} must be a path relative to the seeds directory, not absolute"
    if ".." in candidate.parts or ".." in file.replace("\\", "/").split("/"):
        return f"file {file!r} must stay inside the seeds directory ('..' is not allowed)"
    return None


def _subject_of(data: Any, loc: tuple) -> tuple[str, tuple]:
    """Which fact/source/alias an error belongs to, and the rest of the path inside it."""
    if len(loc) >= 2 and loc[0] in ("facts", "sources") and isinstance(loc[1], int):
        try:
            item_id = data[loc[0]][loc[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            item_id = None
        subject = item_id if isinstance(item_id, str) else f"{loc[0]}[{loc[1]}]"
        return subject, loc[2:]
    if len(loc) >= 2 and loc[0] == "aliases":
        return str(loc[1]), loc[2:]
    return "", loc


def _field_name(rest: tuple) -> str:
    name = ""
    for part in rest:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "the file"


def _friendly(item: Any, rest: tuple, model: type) -> str:
    """Pydantic's messages, reworded for a moderator and named after the offending field."""
    kind, ctx, name = item["type"], item.get("ctx", {}), _field_name(rest)
    if kind == "missing":
        return f"missing required key {rest[-1]!r}" if rest else "missing required key"
    if kind in UNKNOWN_KEY_ERRORS:
        key = str(rest[-1]) if rest else "?"
        return f"unknown key {key!r}{_did_you_mean(key, _known_keys(model))}"
    if kind == "string_type":
        value = item["input"]
        hint = f' (write it in quotes: "{value}")' if isinstance(value, int | float | bool) else ""
        return f"{name} must be text, not {type(value).__name__}{hint}"
    if kind == "string_too_short":
        return f"{name} is empty" if ctx.get("min_length", 1) <= 1 else f"{name} {item['input']!r} is too short"
    if kind == "string_too_long":
        return f"{name} is too long ({len(item['input'])} characters; the limit is {ctx['max_length']})"
    if kind == "too_short":
        return f"{name} needs at least {ctx['min_length']} item(s), has {ctx['actual_length']}"
    if kind == "string_pattern_mismatch" and rest and (rest[-1] in ("id", "source") or "related" in rest):
        example = "e.g. 'turkiye-embassy-2017'"
        return f"{name} {item['input']!r} must be a slug: lowercase letters, digits and hyphens ({example})"
    if kind in ("tuple_type", "list_type"):
        return f"{name} must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name} must be a mapping of keys to values"
    return f"{name}: {item['msg']}"


def _known_keys(model: type) -> set[str]:
    keys: set[str] = set()
    for candidate in _models_in(model):
        keys.update(candidate.__pydantic_fields__)
    return keys


def _models_in(model: type) -> Iterator[type]:
    yield model
    for field_info in model.__pydantic_fields__.values():
        for arg in _type_args(field_info.annotation):
            if isinstance(arg, type) and hasattr(arg, "__pydantic_fields__"):
                yield from _models_in(arg)


def _type_args(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _type_args(arg)


def _did_you_mean(word: str, choices: Any) -> str:
    match = process.extractOne(word, list(choices), score_cutoff=70)
    return f" (did you mean {match[0]!r}?)" if match else ""


@dataclass(frozen=True)
class NearDuplicate:
    """Two facts asked almost the same way: the engine cannot tell them apart by phrasing."""

    fact_a: str
    question_a: str
    fact_b: str
    question_b: str
    similarity: float

    def __str__(self) -> str:
        return (
            f"warning: {self.fact_a}: phrasing {self.question_a!r} is almost the same as "
            f"{self.fact_b}: {self.question_b!r} ({self.similarity:.0f}%); make them differ or merge the facts"
        )


NEAR_DUPLICATE_SIMILARITY = 90.0


def near_duplicates(kb: KnowledgeBase, threshold: float = NEAR_DUPLICATE_SIMILARITY) -> list[NearDuplicate]:
    """Phrasings of different facts that are almost the same (exact repeats are errors instead)."""
    rows = [(fact.id, question, fold(question)) for fact in kb.facts for question in fact.questions]
    folded = [row[2] for row in rows]
    found = []
    for i, (fact_id, question, text) in enumerate(rows):
        for _match, score, j in process.extract(
            text, folded[i + 1 :], scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
        ):
            other_id, other_question, _ = rows[i + 1 + j]
            if other_id != fact_id:
                found.append(NearDuplicate(fact_id, question, other_id, other_question, score))
    return found
