"""Reports for moderators from the question log: what to add, what users find wrong, how it goes.

Nothing here shows who asked: the log holds no identities to show.
"""

from __future__ import annotations

import shlex
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz

from ..engine.pipeline import Engine
from ..knowledge.normalize import fold
from .question_log import LoggedQuestion, QuestionLog

LOW_CONFIDENCE = 0.6
SAME_GROUP_SIMILARITY = 75.0


@dataclass
class QuestionGroup:
    """Similar declined or unsure questions, with the fact nearest to them."""

    questions: list[str] = field(default_factory=list)
    nearest_fact: str | None = None
    nearest_question: str | None = None
    nearest_fails: tuple[str, ...] = ()  # premise checks the nearest fact fails for these questions

    @property
    def size(self) -> int:
        return len(self.questions)


def needs_attention(question: LoggedQuestion) -> bool:
    return question.status != "answered" or question.confidence < LOW_CONFIDENCE


def group_questions(questions: list[str], engine: Engine) -> list[QuestionGroup]:
    """Greedy grouping by rapidfuzz similarity; largest groups first."""
    groups: list[tuple[str, QuestionGroup]] = []
    for question in questions:
        key = fold(question)
        if not key:
            continue
        for representative, group in groups:
            if fuzz.token_set_ratio(key, representative) >= SAME_GROUP_SIMILARITY:
                group.questions.append(question)
                break
        else:
            groups.append((key, QuestionGroup([question])))
    result = sorted((group for _, group in groups), key=lambda g: -g.size)
    for group in result:
        nearest = engine.nearest(group.questions[0])
        if nearest and nearest[0].confidence >= engine.settings.suggest_threshold:
            group.nearest_fact, group.nearest_question = nearest[0].fact_id, nearest[0].question
            group.nearest_fails = nearest[1]
    return result


def unanswered_groups(log: QuestionLog, engine: Engine, days: int) -> list[QuestionGroup]:
    since = time.time() - days * 86400
    return group_questions([q.question for q in log.questions(since) if needs_attention(q)], engine)


def answer_rate_by_day(questions: list[LoggedQuestion]) -> list[tuple[str, int, int]]:
    """(day, answered, asked), oldest first."""
    asked: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for question in questions:
        day = datetime.fromtimestamp(question.asked_at, UTC).strftime("%Y-%m-%d")
        asked[day] += 1
        answered[day] += question.status == "answered"
    return [(day, answered[day], asked[day]) for day in sorted(asked)]


def recent_answer_rate(log: QuestionLog, days: int) -> list[tuple[str, int, int]]:
    """`answer_rate_by_day` over the last `days` days of the log (what /kb stats shows)."""
    return answer_rate_by_day(log.questions(time.time() - days * 86400))


NOT_LOGGED = (
    "Only questions asked in Discord (/ask, mentions, DMs) are logged; `ask` and `chat` in the console are not."
)


CONSOLE_TEACH = "python -m bot teach {question} --fact {fact}"


def render_groups(groups: list[QuestionGroup], teach: str = CONSOLE_TEACH) -> list[str]:
    """Each group, then the one command that fixes it: teach its question to the nearest fact."""
    lines = []
    for group in groups:
        near = f" — nearest fact: {group.nearest_fact} ({group.nearest_question!r})" if group.nearest_fact else ""
        lines.append(f"{group.size}× {group.questions[0]!r}{near}")
        lines += [f"     also: {q!r}" for q in group.questions[1:4]]
        if group.nearest_fact and group.nearest_fails:
            failed = ", ".join(group.nearest_fails)
            lines.append(f"     that fact cannot answer it ({failed} does not match): add a fact if an article does")
        elif group.nearest_fact:
            command = teach.format(question=shlex.quote(group.questions[0]), fact=group.nearest_fact)
            lines.append(f"     if that fact answers it: {command}")
        else:
            lines.append("     no fact is near: add one if an article answers it")
    return lines


def text_report(log: QuestionLog, engine: Engine, days: int) -> str:
    since = time.time() - days * 86400
    questions = log.questions(since)
    lines = [f"Question log: {log.path} — last {days} days, {len(questions)} questions"]
    if not questions:
        lines.append(f"No questions were logged in the last {days} days. {NOT_LOGGED}")
    if not log.available:
        lines.append("(the question log could not be opened; see the warning above)")
    lines += ["", "Declined or unsure questions, grouped (add a phrasing or a fact):"]
    lines += render_groups(unanswered_groups(log, engine, days)) or ["  none"]
    lines += ["", "Facts by thumbs down (down / up):"]
    lines += [f"  {fact_id}: {down} / {up}" for fact_id, down, up in log.votes_by_fact()] or ["  no votes yet"]
    lines += ["", "Answer rate by day:"]
    lines += [f"  {day}: {ok}/{total} answered ({ok / total:.0%})" for day, ok, total in answer_rate_by_day(questions)]
    return "\n".join(lines)
