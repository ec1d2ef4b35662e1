"""What the /kb commands say, worked out as plain text so it is tested without Discord.

The moderator cog gathers the inputs (off the event loop where they read files or the
log) and sends these lines; Discord markup here is limited to what renders in a reply.
"""

from __future__ import annotations

from ..knowledge.loader import KnowledgeBase
from ..moderation.reports import QuestionGroup, render_groups
from .counters import Counters
from .live import ReloadResult
from .render import echo

DISCORD_TEACH = "/kb teach question:{question} id:{fact}"
REPORT_LINE_LIMIT = 300


def reload_report(result: ReloadResult) -> str:
    """The new size, or every problem to fix, and that the previous knowledge still answers meanwhile."""
    if result.ok:
        return f"Reloaded: {result.facts} facts in {result.seconds:.2f} s."
    problems = "\n".join(str(p) for p in result.problems)
    return (
        f"Reload failed; still serving the previous knowledge ({result.facts} facts). "
        f"Fix these and reload:\n```\n{problems}\n```"
    )


def stats_lines(
    kb: KnowledgeBase,
    loaded_at: float,
    counters: Counters,
    *,
    failed_reload: tuple[str, ...],
    rate_by_day: list[tuple[str, int, int]],
    days: int,
) -> list[str]:
    """Size, freshness and outcomes since start; a failed last reload is flagged, since the bot still
    serves the older knowledge and nothing else would show it."""
    lines = [
        f"Sources: {len(kb.sources)} · facts: {len(kb.facts)}",
        f"Last reload: <t:{int(loaded_at)}:R>",
        f"Since start (<t:{int(counters.started)}:R>): {counters.answered} answered, "
        f"{counters.clarified} clarified, {counters.declined} declined",
    ]
    if failed_reload:
        lines.append(f"Last reload failed with {len(failed_reload)} problem(s); see /kb reload.")
    if rate_by_day:
        lines.append(f"Answer rate, last {days} days:")
        lines += [f"`{day}` {ok}/{total} ({ok / total:.0%})" for day, ok, total in rate_by_day]
    return lines


def unanswered_lines(groups: list[QuestionGroup]) -> list[str]:
    """The console's report with /kb teach as the fix; users' words are defused, since they are echoed."""
    return [echo(line, REPORT_LINE_LIMIT) for line in render_groups(groups, teach=DISCORD_TEACH)]


def feedback_lines(votes: list[tuple[str, int, int]]) -> list[str]:
    """One line per fact, as `votes_by_fact` ranks them (most thumbs down first)."""
    return [f"👎 {down} · 👍 {up} — `{fact_id}`" for fact_id, down, up in votes]
