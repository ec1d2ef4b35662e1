"""Fixtures that build tiny knowledge bases in temporary directories."""

from __future__ import annotations

import os
import sqlite3
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge
from bot.moderation.mentions import scrub_mentions
from bot.moderation.question_log import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The knowledge tests/data/dev.yaml was tuned on, frozen: tests of the engine's behaviour run
# on it, so that moderators' edits of knowledge/ never break them. Refresh it when retuning:
# `cp -r knowledge/sources.yaml knowledge/aliases.yaml knowledge/facts tests/data/knowledge-dev/`.
DEV_KB = ROOT / "tests" / "data" / "knowledge-dev"


@pytest.fixture(scope="session", autouse=True)
def subprocesses_import_this_checkout() -> Iterator[None]:
    """The package is installed editable from one checkout: without this, a bot started in a
    subprocess from a worktree or another clone would run that checkout's code, not this one's.
    Session scope, so that it is in place before the module-scoped running bots start."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        yield


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own DATA_DIR: commands cache there, and no test sees another's cache."""
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("DATA_DIR", str(data))
    return data


ARTICLE = textwrap.dedent(
    """\
    The Republic of Examplia opened an embassy in Sampletown in 2017.
    Trade between Examplia and Laos reached $5 million in 2024.
    The foreign minister of Examplia, Ana Vega, visited Laos in 2018.
    Examplia trains young diplomats at its academy every summer.
    """
)

SOURCES = textwrap.dedent(
    """\
    sources:
      - id: examplia
        title: Examplia and Laos
        publisher: Example News
        file: examplia.txt
    """
)

FACTS = textwrap.dedent(
    """\
    facts:
      - id: embassy-2017
        questions:
          - when did examplia open its embassy
          - examplia embassy year
          - does examplia have an embassy in sampletown
        answer: Examplia opened an embassy in Sampletown in 2017.
        citations:
          - source: examplia
            quote: The Republic of Examplia opened an embassy in Sampletown in 2017.
        related: [minister-visit-2018]
      - id: trade-2024
        questions:
          - how much trade is there between examplia and laos
          - examplia laos trade volume
          - what was examplia laos trade in 2024
        answer: Trade between Examplia and Laos reached $5 million in 2024.
        citations:
          - source: examplia
            quote: Trade between Examplia and Laos reached $5 million in 2024.
      - id: minister-visit-2018
        questions:
          - when did the examplian foreign minister visit laos
          - who is ana vega
          - ana vega visit
        answer: Examplia's foreign minister Ana Vega visited Laos in 2018.
        citations:
          - source: examplia
            quote: The foreign minister of Examplia, Ana Vega, visited Laos in 2018.
      - id: diplomat-training
        questions:
          - does examplia train diplomats
          - diplomat academy examplia
          - where do young diplomats learn in examplia
        answer: Examplia trains young diplomats at its academy every summer.
        citations:
          - source: examplia
            quote: Examplia trains young diplomats at its academy every summer.
    """
)

ALIASES = textwrap.dedent(
    """\
    aliases:
      Examplia: [Examplian, Exampleland]
      Laos: [Lao PDR]
    """
)

KbFactory = Callable[..., Path]


def question_log_at_version(path: Path, version: int) -> sqlite3.Connection:
    """A question log as a bot of schema `version` left it (released migrations never change),
    open for the test to add the rows such a bot stored."""
    database = sqlite3.connect(path)
    database.create_function("scrub_mentions", 1, scrub_mentions)
    for script in MIGRATIONS[:version]:
        database.executescript(script)
    database.execute(f"PRAGMA user_version = {version}")
    return database


@pytest.fixture(scope="session")
def dev_engine() -> Engine:
    """The engine over the frozen dev knowledge (loaded once for the whole run)."""
    return Engine(load_knowledge(DEV_KB, SEEDS))


@pytest.fixture
def make_kb(tmp_path: Path) -> KbFactory:
    """Write a tiny valid knowledge base; keyword arguments replace or add files.

    `files={"facts/extra.yaml": "..."}` adds a file; a value of None removes one.
    Returns the knowledge directory (seeds sit beside it, as in the project).
    """

    def build(files: dict[str, str | None] | None = None) -> Path:
        kb_dir = tmp_path / "knowledge"
        seeds_dir = tmp_path / "seeds"
        contents: dict[str, str | None] = {
            "knowledge/sources.yaml": SOURCES,
            "knowledge/facts/examplia.yaml": FACTS,
            "knowledge/aliases.yaml": ALIASES,
            "seeds/examplia.txt": ARTICLE,
        }
        contents.update(files or {})
        for relative, text in contents.items():
            path = tmp_path / relative
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        seeds_dir.mkdir(exist_ok=True)
        return kb_dir

    return build
