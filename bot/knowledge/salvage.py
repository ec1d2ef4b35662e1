"""The usable part of a file that failed its schema, so one slip does not hide the rest.

When a fact has an unknown key, pydantic rejects the whole file and nothing in
it would be checked further: its quotes, phrasings and related ids would only
be looked at after the fix, one round trip per problem. Here each entry is
validated on its own, with the keys that were flagged as unknown left out, so
the checker can still look at everything else in the same pass. Salvaged
entries are only ever checked, never served: the schema problems are reported
too, so the load fails anyway.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

UNKNOWN_KEY_ERRORS = ("extra_forbidden", "unexpected_keyword_argument")


@dataclass(frozen=True)
class Salvaged:
    """Entries by their position in the file: validated, or None when not even salvage worked."""

    key: str  # the file's list: "facts" or "sources"
    items: tuple[Any, ...]
    broken_ids: tuple[str, ...]  # readable ids of entries that could not be salvaged

    def __getattr__(self, name: str) -> tuple[Any, ...]:
        """Read like the file's model (`loaded.model.facts`)."""
        if name == self.key:
            return self.items
        raise AttributeError(name)


def salvage(data: Any, file_model: type) -> Salvaged | None:
    """Validate each entry of a `{key: [entries]}` file alone; None for files of another shape."""
    fields = file_model.__pydantic_fields__
    if len(fields) != 1 or not isinstance(data, dict):
        return None
    (key, field_info), = fields.items()
    entries, item_type = data.get(key), _item_type(field_info.annotation)
    if not isinstance(entries, list) or item_type is None:
        return None
    adapter = TypeAdapter(item_type)
    items, broken = [], []
    for entry in entries:
        item = _validate(adapter, entry)
        items.append(item)
        if item is None and isinstance(entry, dict) and isinstance(entry.get("id"), str):
            broken.append(entry["id"])
    return Salvaged(key, tuple(items), tuple(broken))


def _item_type(annotation: Any) -> type | None:
    args = getattr(annotation, "__args__", ())
    return args[0] if getattr(annotation, "__origin__", None) is tuple and args else None


def _validate(adapter: TypeAdapter, entry: Any) -> Any:
    try:
        return adapter.validate_python(entry)
    except ValidationError as error:
        unknown = [tuple(item["loc"]) for item in error.errors() if item["type"] in UNKNOWN_KEY_ERRORS]
        if not unknown:
            return None
    trimmed = copy.deepcopy(entry)
    for location in unknown:
        _remove(trimmed, location)
    try:
        return adapter.validate_python(trimmed)
    except ValidationError:
        return None


def _remove(data: Any, location: tuple) -> None:
    *parents, last = location
    for part in parents:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(data, dict):
        data.pop(last, None)
