"""Issue 10, proof by property: whatever a careless edit or a hostile user feeds in, the result is a
valid knowledge base or a problem list with file:line, and an answer for every question line: never
an exception. CI runs a few hundred examples; FUZZ_EXAMPLES=100000 runs the long version."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.console.cli import main
from bot.engine.pipeline import Engine
from bot.knowledge.loader import KnowledgeBase, KnowledgeError, load_knowledge

from .conftest import ROOT

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
KNOWLEDGE_FILES = sorted(p.relative_to(ROOT / "knowledge").as_posix() for p in (ROOT / "knowledge").rglob("*.yaml"))
SNIPPETS = [b"!!binary aGk=", b"!!python/object/apply:os.system [ls]", b"!custom x", b"!!set {a}", b"&a [*a, *a]",
            b"*nowhere", b"9" * 5000, b"1e999999", b"2024-02-31", b"0x" + b"f" * 5000, b"[" * 2000, b"{" * 200,
            b"- " * 500, b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\t", b"\r", b"\xe2\x80\xa8", b"\xef\xbf\xbe",
            b"\xf0\x9f\x98\x80", b"\xcc\x81" * 50, b"'", b'"', b"<<: *a", b"? [a]\n: b", b"---\n", b"...\n", b"%YAML 1.1\n",
            b"TODO", b"key: value: other", b"- [", b"|", b">-", b"#"]


@st.composite
def mutations(draw) -> list[tuple]:
    kinds = st.sampled_from(["flip", "cut", "duplicate", "reindent", "insert", "unicode"])
    return draw(st.lists(st.tuples(kinds, st.integers(0, 10**9), st.integers(0, 255), st.sampled_from(SNIPPETS),
                                   st.text(max_size=8)), min_size=1, max_size=4))


def mutate(data: bytes, steps: list[tuple]) -> bytes:
    for kind, where, value, snippet, text in steps:
        lines = data.split(b"\n")
        line = where % max(len(lines), 1)
        if kind == "flip" and data:
            position = where % len(data)
            data = data[:position] + bytes([value]) + data[position + 1 :]
        elif kind == "cut":
            data = b"\n".join(lines[:line] + lines[line + 1 :])
        elif kind == "duplicate":
            data = b"\n".join(lines[: line + 1] + lines[line:])
        elif kind == "reindent":
            lines[line] = b" " * (value % 9) + lines[line].lstrip(b" ")
            data = b"\n".join(lines)
        elif kind == "insert":
            position = where % (len(data) + 1)
            data = data[:position] + snippet + data[position:]
        else:
            position = where % (len(data) + 1)
            data = data[:position] + text.encode("utf-8", "surrogatepass") + data[position:]
    return data


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "knowledge", home / "knowledge")
    shutil.copytree(ROOT / "seeds", home / "seeds")
    return home / "knowledge"


@FUZZ
@given(name=st.sampled_from(KNOWLEDGE_FILES), steps=mutations())
def test_any_mutated_knowledge_file_loads_or_gives_problems_at_file_and_line(workspace, name, steps):
    path = workspace / name
    original = (ROOT / "knowledge" / name).read_bytes()
    path.write_bytes(mutate(original, steps))
    try:
        result = load_knowledge(workspace)
    except KnowledgeError as error:
        assert error.problems
        for problem in error.problems:
            assert Path(problem.path).is_relative_to(workspace) and problem.line >= 1, str(problem)
    else:
        assert isinstance(result, KnowledgeBase)
    finally:
        path.write_bytes(original)


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load_knowledge(ROOT / "knowledge")


@pytest.fixture(scope="module")
def engine(bundled) -> Engine:
    return Engine(bundled)


@FUZZ
@given(question=st.text(max_size=300))
def test_any_question_gets_an_answer_object(engine, question):
    answer = engine.ask(question)
    assert answer.status in {"answered", "clarify", "no_answer"}


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_on_ask_json_stdin_give_one_utf8_json_line_each(engine, data, capsys, monkeypatch):
    monkeypatch.setattr("bot.console.cli.engine_or_exit", lambda _args: engine)  # built once, not per example
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape"))
    assert main(["ask", "--json", "-", "--kb", str(ROOT / "knowledge")]) == 0
    out = capsys.readouterr().out.encode("utf-8", "surrogateescape")
    lines = out.split(b"\n")
    assert lines.pop() == b""
    expected = data.split(b"\n")
    if expected[-1] == b"":
        expected.pop()
    assert len(lines) == len(expected)
    for line in lines:
        assert set(json.loads(line.decode("utf-8", "strict"))) >= {"question", "status", "answer"}
