"""`teach`: turn a logged question into a phrasing of a fact, or into a "not this fact" example.

The question log shows what users really type; the quickest fix for a declined
or mis-answered question is to write that very question into the right fact.
The edit goes into the moderator's YAML with a round-trip parser, so comments,
folded answers and layout stay as they were, and the whole knowledge base is
validated with the change before the file is replaced: a taught question can
never leave the knowledge broken.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError

from ..knowledge.loader import FACTS_DIR, KnowledgeError, default_seeds_dir, load_knowledge
from ..knowledge.normalize import fold

PHRASING = "questions"
NOT_THIS_FACT = "not_questions"


class TeachError(Exception):
    """Nothing was written; the message (or problems) say why."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Taught:
    path: Path
    fact_id: str
    question: str
    key: str

    def __str__(self) -> str:
        kind = "a phrasing of" if self.key == PHRASING else "a question that must not be answered by"
        return f"{self.path}: added {self.question!r} as {kind} {self.fact_id}"


def round_trip_yaml() -> YAML:
    """Settings that reproduce the project's fact files byte for byte when nothing changed."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never rewrap a long line the moderator wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def teach(kb_dir: Path, seeds_dir: Path, fact_id: str, question: str, negative: bool = False) -> Taught:
    """Add `question` to the fact's `questions` (or `not_questions`), validated, or raise TeachError."""
    question = " ".join(question.split())
    if not question:
        raise TeachError("the question is empty")
    key = NOT_THIS_FACT if negative else PHRASING
    path, document, fact = _find_fact(kb_dir, fact_id)
    for existing_key in (PHRASING, NOT_THIS_FACT):
        if any(fold(str(q)) == fold(question) for q in fact.get(existing_key) or ()):
            raise TeachError(f"{fact_id} already has {question!r} in {existing_key}")
    _add(fact, key, question)
    text = _dump(document)
    _validate_with(kb_dir, seeds_dir, path, text)
    _replace(path, text)
    return Taught(path, fact_id, question, key)


def teach_message(
    kb_dir: Path, seeds_dir: Path | None, fact_id: str, question: str, negative: bool
) -> tuple[bool, str]:
    """For chat front ends: (written?, what to tell the moderator)."""
    try:
        taught = teach(kb_dir, seeds_dir or default_seeds_dir(kb_dir), fact_id, question, negative)
    except TeachError as error:
        return False, "\n".join([f"Nothing written: {error}.", *error.problems])
    return True, f"Written to {taught.path.name}: {taught.question!r} is now " + (
        f"a question that {fact_id} must not answer." if negative else f"a phrasing of {fact_id}."
    )


def _find_fact(kb_dir: Path, fact_id: str) -> tuple[Path, Any, Any]:
    yaml = round_trip_yaml()
    for path in sorted((kb_dir / FACTS_DIR).glob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        if fact_id not in text:
            continue  # cheap: most files cannot hold the fact
        try:
            document = yaml.load(text)
        except YAMLError:
            continue  # validation reports it; the fact may well be elsewhere
        facts = document.get("facts") if isinstance(document, dict) else None
        for fact in facts if isinstance(facts, list) else ():
            if isinstance(fact, dict) and fact.get("id") == fact_id:
                return path, document, fact
    raise TeachError(f"no fact {fact_id!r} in {kb_dir / FACTS_DIR}")


def _add(fact: Any, key: str, question: str) -> None:
    if isinstance(fact.get(key), list):
        fact[key].append(question)
        return
    position = list(fact).index(PHRASING) + 1 if PHRASING in fact else len(fact)
    fact.insert(position, key, CommentedSeq([question]))


def _dump(document: Any) -> str:
    out = io.StringIO()
    round_trip_yaml().dump(document, out)
    return out.getvalue()


def _validate_with(kb_dir: Path, seeds_dir: Path, path: Path, text: str) -> None:
    """Load a copy of the knowledge holding the new text; refuse the edit if anything is wrong."""
    with tempfile.TemporaryDirectory(prefix="kb-teach-") as temporary:
        copy = Path(temporary) / "knowledge"
        shutil.copytree(kb_dir, copy, ignore=shutil.ignore_patterns("schema"))
        (copy / path.relative_to(kb_dir)).write_text(text, encoding="utf-8")
        try:
            load_knowledge(copy, seeds_dir)
        except KnowledgeError as error:
            problems = [str(p).replace(str(copy), str(kb_dir)) for p in error.problems]
            message = "the knowledge would not validate with this change; nothing was written"
            raise TeachError(message, problems) from None


def _replace(path: Path, text: str) -> None:
    """Write beside the file and rename, so a running bot's watcher never reads half a file."""
    temporary = path.with_name(f".{path.name}.teach")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
