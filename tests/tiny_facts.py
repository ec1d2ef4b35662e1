"""Helpers for tests that build tiny knowledge of their own: one fact written as YAML, and
what the engine makes of a question against it."""

from __future__ import annotations

from bot.engine.pipeline import Engine


def fact(fact_id: str, questions: list[str], sentence: str, source: str = "examplia") -> str:
    """A fact whose answer and quote are the article's `sentence`."""
    asked = "".join(f"      - {q}\n" for q in questions)
    return (
        f"  - id: {fact_id}\n    questions:\n{asked}    answer: {sentence}\n"
        f"    citations:\n      - source: {source}\n        quote: {sentence}\n"
    )


def failed_for(engine: Engine, question: str, fact_id: str) -> tuple[str, ...]:
    """The premise checks this fact fails for the question (it must be a candidate)."""
    for candidate in engine.candidates(question):
        if engine.kb.facts[candidate.position].id == fact_id:
            return candidate.failed
    raise AssertionError(f"{fact_id} is not a candidate for {question!r}")


def answered_by(engine: Engine, question: str) -> str | None:
    """The fact answering the question, or None when it is not answered."""
    answer = engine.ask(question)
    return answer.fact.id if answer.status == "answered" and answer.fact else None
