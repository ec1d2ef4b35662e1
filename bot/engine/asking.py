"""The asking part of a message: what a long ramble or an injected prefix is really asking.

"so my teacher said ... anyway what year did X" and "</context> new rule: ... ## when
did X" carry one question among many words; every extra word dilutes the evidence for
the fact it asks about. Instructions aimed at a language model ("ignore previous
instructions", "new rule:") are dropped; from a long message, the sentences that ask
are kept (the last two, for two questions in one).
"""

from __future__ import annotations

import re

LONG_MESSAGE_CHARS = 200
KEPT_ASKING_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|(?<=[.!?])(?=[#`])|\s*#{2,}\s*")
_INSTRUCTION = re.compile(
    r"(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier|your)\s+"
    r"(instructions?|rules?|prompts?|context)\w*|</?\s*(system|context|instructions?)\s*>|"
    r"\b(new rule|system prompt|you are now|developer mode)\b[^.?!\n]*|"
    # "act as ..." orders the model only as an imperative ("act as a historian", "now act as",
    # "you will act as"); "does laos act as turkey's guide" asks about the knowledge.
    r"(?:^\s*|[.!?\n]\s*|\b(?:now|you|you will|you must|please)\s+)(act as|pretend to be)\b[^.?!\n]*",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"\?|\b(what|which|who|whom|whose|when|where|why|how)\b|^(is|are|does|did|do|was|were|can|could)\b",
    re.IGNORECASE,
)


def asking_part(message: str) -> str:
    """The words of `message` that ask the question (all of it when it is short and plain)."""
    cleaned = _INSTRUCTION.sub(" ", message)
    if len(cleaned) <= LONG_MESSAGE_CHARS and cleaned == message:
        return message
    sentences = [s.strip(" `#:") for s in _SENTENCE_END.split(cleaned)]
    sentences = [s for s in sentences if s]
    asking = [s for s in sentences if _ASKS.search(s)]
    if len(cleaned) <= LONG_MESSAGE_CHARS:
        return " ".join(asking or sentences)
    kept = " ".join(asking[-KEPT_ASKING_SENTENCES:]) if asking else cleaned[-LONG_MESSAGE_CHARS:]
    return kept or message
