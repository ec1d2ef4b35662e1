"""Which sentences of each article no fact cites: as text, and as a self-contained HTML page
where cited sentences are highlighted and linked to their facts, so gaps show at a glance."""

from __future__ import annotations

import html

from ..console.render import fact_title
from ..knowledge import passages
from ..knowledge.loader import KnowledgeBase

STYLE = """
body { font: 16px/1.6 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
.cited { background: rgb(204, 238, 204); border-radius: 3px; }
.uncited { background: rgb(255, 214, 214); border-radius: 3px; }
.other { color: #777; }
.cited a { color: #064; font-size: 0.75em; vertical-align: super; margin-left: 0.2em; }
.summary { font-weight: bold; }
article { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 4px solid #ccc; padding-left: 1rem; }
"""

# Runs in the browser: counts what it shows, so a test can check the page as rendered.
SCRIPT = """
document.addEventListener("DOMContentLoaded", () => {
  const cited = document.querySelectorAll("article .cited").length;
  const uncited = document.querySelectorAll("article .uncited").length;
  const sample = document.querySelector("article .cited");
  const colour = sample ? getComputedStyle(sample).backgroundColor : "none";
  document.body.dataset.rendered = `cited=${cited} uncited=${uncited} colour=${colour}`;
});
"""


def uncited_report(kb: KnowledgeBase) -> str:
    """Plain text: per source, the factual sentences that no quote overlaps."""
    lines = []
    for source_id, (cited, total) in kb.coverage().items():
        lines.append(f"{source_id}: {cited}/{total} factual sentences cited")
        lines += [f"  - {sentence.text}" for sentence in kb.uncited(source_id)]
    return "\n".join(lines)


def _citing_facts(kb: KnowledgeBase, source_id: str) -> list[tuple[tuple[int, int], str]]:
    text = kb.source_texts[source_id]
    spans = []
    for fact in kb.facts:
        for span in passages.quote_spans([c.quote for c in fact.citations if c.source == source_id], text):
            spans.append((span, fact.id))
    return spans


def html_page(kb: KnowledgeBase) -> str:
    sections = [_source_section(kb, source.id) for source in kb.sources]
    facts = "\n".join(
        f'<li id="fact-{html.escape(f.id)}"><b>{html.escape(f.id)}</b>: {html.escape(fact_title(f))}</li>'
        for f in kb.facts
    )
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Knowledge coverage</title>"
        f"<style>{STYLE}</style><script>{SCRIPT}</script></head><body>"
        "<h1>Knowledge coverage</h1>"
        '<p>Green: cited by a fact (the small links go to the facts). Red: no fact cites it yet. '
        "Grey: headings, markers and image names.</p>"
        + "".join(sections)
        + f"<h2>Facts</h2><ol>{facts}</ol></body></html>\n"
    )


def _source_section(kb: KnowledgeBase, source_id: str) -> str:
    source = kb.source(source_id)
    assert source is not None
    text = kb.source_texts[source_id]
    squashed = passages.squash(text)
    citing = _citing_facts(kb, source_id)
    parts, cited_count, factual = [], 0, 0
    for sentence in passages.all_sentences(text):
        paragraph = "\n" if sentence.opens_line and parts else ""  # keep the article's line breaks
        facts = sorted({fact_id for span, fact_id in citing if passages.overlaps(span, sentence)})
        body = html.escape(squashed[sentence.start : sentence.end])
        if facts:
            links = "".join(f'<a href="#fact-{html.escape(f)}">{html.escape(f)}</a>' for f in facts)
            parts.append(f'{paragraph}<span class="cited" title="{html.escape(", ".join(facts))}">{body}{links}</span>')
        elif sentence.factual:
            parts.append(f'{paragraph}<span class="uncited">{body}</span>')
        else:
            parts.append(f'{paragraph}<span class="other">{body}</span>')
        factual += sentence.factual
        cited_count += bool(facts) and sentence.factual
    summary = f"{cited_count} of {factual} factual sentences cited"
    return (
        f"<h2>{html.escape(source.title)}</h2><p class=\"summary\">{summary}</p>"
        f"<article>{' '.join(parts)}</article>"
    )
