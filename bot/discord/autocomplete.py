"""What slash-command autocomplete offers: at most 25 choices of at most 100 characters each.

The choices are worked out as plain strings, so they are tested without Discord;
`as_choices` wraps them for the cogs.
"""

from __future__ import annotations

from collections.abc import Iterable

from discord import app_commands
from rapidfuzz import process

from ..engine.pipeline import Engine
from .render import CHOICE_LIMIT, clip

AUTOCOMPLETE_CHOICES = 25


def question_choices(engine: Engine, current: str) -> list[str]:
    """/ask: known phrasings close to what is typed so far; before any typing, the first facts' questions."""
    if current.strip():
        phrasings = [s.question for s in engine.suggest_questions(current, AUTOCOMPLETE_CHOICES)]
    else:
        phrasings = [fact.questions[0] for fact in engine.kb.facts[:AUTOCOMPLETE_CHOICES]]
    choices = list(dict.fromkeys(clip(q, CHOICE_LIMIT) for q in phrasings))  # clipping can make two the same
    return choices[:AUTOCOMPLETE_CHOICES]


def fact_id_choices(fact_ids: Iterable[str], current: str) -> list[str]:
    """/kb fact and /kb teach: the ids most like what is typed (typos forgiven); before any typing, the first ids."""
    ids = list(fact_ids)
    if current.strip():
        ids = [match[0] for match in process.extract(current, ids, limit=AUTOCOMPLETE_CHOICES)]
    return ids[:AUTOCOMPLETE_CHOICES]


def as_choices(values: list[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=value, value=value) for value in values]
