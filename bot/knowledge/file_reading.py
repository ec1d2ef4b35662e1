"""Reading one knowledge file against its schema, with problems worded for a moderator.

Pydantic's errors name paths like `facts.3.citations.0.quote`; a moderator needs
`facts/laos.yaml:41: turkiye-embassy-2017: citations[0].quote is empty`. This
module turns one into the other, and salvages what it can of a file that failed
its schema so that its other entries are still checked in the same pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from rapidfuzz import process

from .problem_list import Problem
from .salvage import UNKNOWN_KEY_ERRORS, salvage
from .yamlfile import YamlDocument, YamlProblem, read_yaml


@dataclass(frozen=True)
class Loaded:
    """One file that parsed and passed its schema (or was salvaged: then `broken_ids` says
    which entries failed, and the model holds None for them)."""

    path: str
    document: YamlDocument
    model: Any
    broken_ids: tuple[str, ...] = ()


def read_model(path: Path, model: type, raw: bytes | None = None) -> tuple[Loaded | None, list[Problem]]:
    """The file validated as `model`, and every problem found in it (never an exception).

    `raw`: the file's bytes when the caller has read them already (to hash them)."""
    try:
        document = read_yaml(path, raw)
    except YamlProblem as problem:
        return None, [Problem(str(path), problem.line, "", problem.message)]
    except Exception as error:  # never a traceback: whatever else goes wrong is named at its file
        return None, [Problem(str(path), 0, "", f"could not be read: {type(error).__name__}: {error}")]
    try:
        return Loaded(str(path), document, TypeAdapter(model).validate_python(document.data)), []
    except ValidationError as error:
        problems = [_schema_problem(str(path), document, item, model) for item in _root_causes(error)]
        problems.sort(key=lambda problem: problem.line)
    salvaged = salvage(document.data, model)
    return (None if salvaged is None else Loaded(str(path), document, salvaged, salvaged.broken_ids)), problems


def did_you_mean(word: str, choices: Any) -> str:
    match = process.extractOne(word, list(choices), score_cutoff=70)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _schema_problem(path: str, document: YamlDocument, item: Any, model: type) -> Problem:
    loc = tuple(item["loc"])
    subject, rest = _subject_of(document.data, loc)
    line = document.key_line(loc) if item["type"] in UNKNOWN_KEY_ERRORS else document.line_of(loc)
    return Problem(path, line, subject, _friendly(item, rest, model))


def _root_causes(error: ValidationError) -> list[Any]:
    """Pydantic also reports a list as too short when one of its items failed; only the
    item's own error helps the moderator."""
    items = error.errors()
    failed = [tuple(i["loc"]) for i in items]

    def failed_inside(loc: tuple) -> bool:
        return any(len(other) > len(loc) and other[: len(loc)] == loc for other in failed)

    return [item for item in items if not (item["type"] == "too_short" and failed_inside(tuple(item["loc"])))]


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
        return f"unknown key {key!r}{did_you_mean(key, _known_keys(model))}"
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
    if kind == "string_pattern_mismatch" and rest and rest[0] == "contrasts":
        return f"{name} {item['input']!r} must be one word (a contrast group lists single words)"
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


def draft_problems(loaded: Loaded, path: tuple, subject: str, fields: dict[str, object], marker: str) -> list[Problem]:
    """`python -m bot draft` leaves `marker` in what a moderator must still write: one problem
    per field that has it (a draft must not go live)."""
    found = []
    for name, value in fields.items():
        values = value if isinstance(value, tuple) else (value,)
        for number, text in enumerate(values):
            if marker in str(text):
                where = (*path, name, number) if isinstance(value, tuple) else (*path, name)
                message = f"{name} still has a {marker} marker: write it first"
                found.append(Problem(loaded.path, loaded.document.line_of(where), subject, message))
                break
    return found
