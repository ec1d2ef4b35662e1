"""Reading one moderator-edited YAML file safely, remembering where everything is.

The file is composed into nodes first (never constructed blindly) so that object
tags, duplicate keys and alias bombs are refused before any Python object is
built, and so that every value keeps the line it came from: validation errors
must point at `file:line`, not at a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is much faster; PyYAML's wheels ship it, source builds may not.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_NODES = 1_000_000
PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

Path_ = tuple[str | int, ...]


class YamlProblem(Exception):
    """A file that cannot be read as plain YAML data; `line` is 1-based (0 = whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class YamlDocument:
    """Plain data plus the line of each value (and of each mapping key, under path + ('<key>',))."""

    data: Any
    lines: dict[Path_, int]

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one (missing keys have none)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1

    def key_line(self, path: Path_) -> int:
        return self.lines.get((*path, "<key>")) or self.line_of(path)


def read_yaml(path: Path) -> YamlDocument:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlProblem(0, f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlProblem(line, "the file is not UTF-8 text") from None
    return parse_yaml(text)


def parse_yaml(text: str) -> YamlDocument:
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(1, "the file is empty")
        lines: dict[Path_, int] = {}
        _check_size(node)
        _walk(node, (), lines)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlProblem(line, f"YAML syntax error: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(0, f"YAML error: {error}") from None
    finally:
        loader.dispose()
    return YamlDocument(data=data, lines=lines)


def _check_size(root: yaml.Node) -> None:
    """Count nodes as they would be after expanding aliases, without expanding them."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[id(node)] > MAX_EXPANDED_NODES:
                raise YamlProblem(
                    node.start_mark.line + 1,
                    f"anchors and aliases here expand to more than {MAX_EXPANDED_NODES:,} "
                    "values; refusing to load (an 'alias bomb')",
                )
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    """Record lines, refuse object-building tags and duplicate keys (PyYAML keeps the last)."""
    line = node.start_mark.line + 1
    if node.tag not in PLAIN_TAGS:
        raise YamlProblem(line, f"YAML tag {node.tag!r} is not allowed: only plain data")
    if path in lines:  # an alias makes the same node reachable twice; one line is enough
        return
    lines[path] = line
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), lines)
    elif isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(key_node.start_mark.line + 1, "mapping keys must be plain text")
            key = key_node.value
            if key_node.tag not in PLAIN_TAGS:
                raise YamlProblem(key_node.start_mark.line + 1, f"YAML tag {key_node.tag!r} is not allowed")
            if key == "<<":
                raise YamlProblem(key_node.start_mark.line + 1, "merge keys ('<<') are not supported")
            if key in seen:
                raise YamlProblem(key_node.start_mark.line + 1, f"key {key!r} appears twice")
            seen.add(key)
            lines[(*path, key, "<key>")] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines)
