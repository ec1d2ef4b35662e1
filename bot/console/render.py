"""Answers as plain text (console) and as JSON-ready dicts (scripts, `ask --json`).

The Discord embed renderer lives with the Discord layer; both read the same
Answer and KnowledgeBase and never change them.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..engine.answer import CLAIM_CORRECTED, Answer
from ..knowledge.loader import KnowledgeBase
from ..knowledge.schema import Fact

WRAP = 88


def answer_to_dict(answer: Answer, kb: KnowledgeBase) -> dict[str, Any]:
    """The `ask --json` object (one line of output per question in batch mode)."""
    return {
        "question": answer.question,
        "status": answer.status,
        "confidence": answer.confidence,
        "answer": _answer_to_dict(answer, kb) if answer.facts else None,
        "suggestions": [
            {"fact_id": s.fact_id, "question": s.question, "confidence": s.confidence} for s in answer.suggestions
        ],
        "elapsed_ms": answer.elapsed_ms,
        "nothing_asked": answer.nothing_asked,
    }


def _answer_to_dict(answer: Answer, kb: KnowledgeBase) -> dict[str, Any]:
    """One shape for one fact or two: every citation in `citations`, every fact in `fact_ids`."""
    citations = []
    for citation in (c for fact in answer.facts for c in fact.citations):
        source = kb.source(citation.source)
        citations.append(
            {
                "source": citation.source,
                "quote": citation.quote,
                "title": source.title if source else "",
                "publisher": source.publisher if source else "",
            }
        )
    fact_ids = [fact.id for fact in answer.facts]
    return {"fact_id": fact_ids[0], "fact_ids": fact_ids, "text": answer.text, "citations": citations}


def source_credit(source_id: str, kb: KnowledgeBase) -> str:
    """'Title — Publisher — By: authors', the line under a source's quotes."""
    source = kb.source(source_id)
    return f"{source.title} — {source_byline(source_id, kb)}" if source else source_id


def source_byline(source_id: str, kb: KnowledgeBase) -> str:
    """'Publisher — By: authors' (where the title is shown elsewhere, as in an embed field name)."""
    source = kb.source(source_id)
    if source is None:
        return source_id
    return source.publisher + (" — By: " + "; ".join(source.authors) if source.authors else "")


def render_text(answer: Answer, kb: KnowledgeBase) -> str:
    """The answer laid out for a person at a terminal."""
    lines: list[str] = []
    if answer.status == "answered" and answer.facts:
        if answer.corrects_claim:
            lines += [CLAIM_CORRECTED, ""]
        for fact in answer.facts:
            lines += _fact_lines(fact, kb) + [""]
        if answer.link:
            lines += textwrap.wrap(answer.link, WRAP) + [""]
        ids = " + ".join(fact.id for fact in answer.facts)
        lines.append(f"  (fact {ids}, confidence {answer.confidence:.2f})")
        if answer.related:
            lines.append("")
            lines.append("Related:")
            lines += [f"  - {fact.questions[0]}  [{fact.id}]" for fact in answer.related]
    elif answer.status == "clarify":
        lines.append("I'm not sure which of these you mean:")
        lines += _numbered(answer)
    elif answer.nothing_asked:
        lines.append(f"Hi! {about_line(kb)} Ask me one.")
    else:
        lines.append("Sorry, I don't know that: the articles I have don't answer it.")
        if answer.suggestions:
            lines.append("Maybe one of these helps:")
            lines += _numbered(answer)
        else:
            lines.append(about_line(kb))
    return "\n".join(lines)


def fact_title(fact: Fact) -> str:
    """The fact's first phrasing, written as a question."""
    title = fact.questions[0].strip()
    title = title[:1].upper() + title[1:]
    return title if title.endswith(("?", ".", "!")) else title + "?"


def citations_by_source(fact: Fact) -> list[tuple[str, list[str]]]:
    """Quotes grouped under their source, in citation order, so each source is credited once."""
    groups: dict[str, list[str]] = {}
    for citation in fact.citations:
        groups.setdefault(citation.source, []).append(citation.quote)
    return list(groups.items())


def _fact_lines(fact: Fact, kb: KnowledgeBase) -> list[str]:
    lines = [fact_title(fact), ""]
    lines += textwrap.wrap(fact.answer, WRAP)
    for source_id, quotes in citations_by_source(fact):
        lines.append("")
        for quote in quotes:
            lines += textwrap.wrap(f"“{quote}”", WRAP, initial_indent="  > ", subsequent_indent="    ")
        lines += textwrap.wrap(source_credit(source_id, kb), WRAP, initial_indent="    — ", subsequent_indent="      ")
    return lines


def _numbered(answer: Answer) -> list[str]:
    return [f"  {n}. {s.question}  [{s.fact_id}]" for n, s in enumerate(answer.suggestions, 1)]


def about_line(kb: KnowledgeBase) -> str:
    """What the bot can talk about, for a decline with nothing near."""
    titles = "; ".join(source.title for source in kb.sources)
    return f"I answer questions about Laos' foreign relations from these articles: {titles}."
