"""Turning a new article into a fact-file skeleton: one candidate fact per factual sentence.

The quote is filled in verbatim (so it validates); the phrasings and the answer
are TODO markers that `validate` refuses, so a draft cannot go live unwritten.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..knowledge import passages
from ..knowledge.loader import DRAFT_MARKER
from ..knowledge.schema import SLUG_PATTERN
from ..knowledge.yamlfile import MAX_FILE_BYTES

FACTS_HEADER = "# yaml-language-server: $schema=../schema/facts.schema.json\n"


class DraftError(Exception):
    """The article cannot be drafted; the message says why."""


def read_article(path: Path) -> str:
    if not path.is_file():
        raise DraftError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise DraftError(f"{path}: the file is empty")
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 2**20
        raise DraftError(f"{path}: the file is {size / 1e6:.1f} MB; articles are limited to {limit} MB")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise DraftError(f"{path}: this looks like a binary file, not an article's text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DraftError(f"{path}: the file is not UTF-8 text; save the article as UTF-8") from None
    if not passages.sentences(text):
        raise DraftError(f"{path}: no sentences found (is this the article's text?)")
    return text


def unique_sentences(text: str) -> list[passages.Sentence]:
    """Each factual sentence once: scraped pages often repeat their lead paragraph."""
    seen: set[str] = set()
    return [s for s in passages.sentences(text) if not (s.text in seen or seen.add(s.text))]


def draft(text: str, source_id: str) -> str:
    """The fact file skeleton, as YAML text."""
    facts = [
        {
            "id": f"{source_id}-{number:03d}",
            "questions": [f"{DRAFT_MARKER}: how would a user ask this?", f"{DRAFT_MARKER}: another way",
                          f"{DRAFT_MARKER}: a third way"],
            "answer": f"{DRAFT_MARKER}: one to three sentences in our own words",
            "citations": [{"source": source_id, "quote": sentence.text}],
        }
        for number, sentence in enumerate(unique_sentences(text), 1)
    ]
    body = yaml.safe_dump({"facts": facts}, allow_unicode=True, sort_keys=False, width=100)
    return FACTS_HEADER + f"# Draft from {source_id}: write the TODOs, delete facts not worth asking about.\n" + body


def source_entry(source_id: str, file_name: str) -> str:
    """The sources.yaml entry, every field present and indented to paste under `sources:`.

    Unknown text fields are TODO markers, which `validate` refuses; fields with a fixed
    format are null with a comment, since a guessed date or URL must never go live.
    """
    entry = {"id": source_id, "title": f"{DRAFT_MARKER}: the headline, or a plain descriptive title",
             "publisher": f"{DRAFT_MARKER}: as the article shows it", "file": file_name,
             "authors": [f"{DRAFT_MARKER}: one line per author, as the byline shows it (or authors: [])"]}
    body = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    body += (
        "  published: null  # YYYY-MM-DD, only if the article shows its date\n"
        "  language: null  # e.g. en\n"
        "  url: null  # only if known, never invented; a URL the text does not print goes in notes\n"
        f"  notes: '{DRAFT_MARKER}: no headline? repeated lead? cut off at the end? where the URL came from?'\n"
    )
    return "".join(f"  {line}\n" for line in body.splitlines())


def valid_source_id(source_id: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, source_id) is not None
