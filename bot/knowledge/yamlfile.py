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

from .yaml_problems import YamlProblem, check_scalar, syntax_problem

try:  # libyaml is much faster; PyYAML's wheels ship it, source builds may not.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_NODES = 1_000_000
PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    """Plain data plus the composed nodes, which know the line of every value."""

    data: Any
    root: yaml.Node

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its nearest existing ancestor (a missing key has none)."""
        return self._find(path, key=False)

    def key_line(self, path: Path_) -> int:
        """The line of the mapping key at the end of `path` (for "unknown key" messages)."""
        return self._find(path, key=True)

    def _find(self, path: Path_, key: bool) -> int:
        node = self.root
        line = node.start_mark.line + 1
        for part in path:
            child = _child(node, part, key and part == path[-1])
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line


def _child(node: yaml.Node, part: str | int, want_key: bool) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(part):
                return key_node if want_key else value_node
    return None


def read_yaml(path: Path, raw: bytes | None = None) -> YamlDocument:
    """`raw`: the file's bytes, when the caller has read them already."""
    size = path.stat().st_size if raw is None else len(raw)
    if size > MAX_FILE_BYTES:
        raise YamlProblem(0, f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB")
    raw = path.read_bytes() if raw is None else raw
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (some Windows editors add one) is harmless
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
        _check_nodes(node) if "*" in text else _check_tree(node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        raise syntax_problem(text, error) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "\0")
        raise YamlProblem(line, f"the character U+{code:04X} is not allowed in YAML ({error.reason})") from None
    except yaml.YAMLError as error:
        raise YamlProblem(0, f"YAML error: {error}") from None
    finally:
        loader.dispose()
    return YamlDocument(data=data, root=node)


def _check_nodes(root: yaml.Node) -> None:
    """One pass over the distinct nodes: plain tags only, no duplicate or merge keys, and no
    more than MAX_EXPANDED_NODES values once aliases are expanded (counted, not expanded)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            _check_node(node)
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


def _check_tree(root: yaml.Node) -> None:
    """`_check_nodes` for a text without aliases (no `*` anywhere: nearly every file), where
    no node is shared: the values are counted as they are visited, at half the cost."""
    stack, count = [root], 0
    while stack:
        node = stack.pop()
        count += 1
        _check_node(node)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
    if count > MAX_EXPANDED_NODES:
        raise YamlProblem(root.start_mark.line + 1, f"more than {MAX_EXPANDED_NODES:,} values; refusing to load")


def _check_node(node: yaml.Node) -> None:
    line = node.start_mark.line + 1
    if node.tag not in PLAIN_TAGS:
        raise YamlProblem(line, f"YAML tag {node.tag!r} is not allowed: only plain data")
    if isinstance(node, yaml.ScalarNode):
        check_scalar(node)
    if not isinstance(node, yaml.MappingNode):
        return
    seen: set[str] = set()
    for key_node, _value in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem(key_line, "mapping keys must be plain text")
        if key_node.tag not in PLAIN_TAGS:
            raise YamlProblem(key_line, f"YAML tag {key_node.tag!r} is not allowed: only plain data")
        if key_node.value == "<<":
            raise YamlProblem(key_line, "merge keys ('<<') are not supported")
        if key_node.value in seen:
            raise YamlProblem(key_line, f"key {key_node.value!r} appears twice")
        seen.add(key_node.value)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
