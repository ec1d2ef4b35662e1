"""The moderators' /kb group (reload, stats, fact, teach, unanswered, feedback), and reloading on save.

Only moderators get through, checked on every call by `interaction_check` before any
command runs: the group's default permission can be overridden by server admins, and
roles change while the bot runs. The work is done by plain-Python modules; this cog
parses, calls them and sends what they return.
"""

from __future__ import annotations

import asyncio
import contextlib

import discord
from discord import app_commands
from discord.ext import commands

from ..moderation.question_log import QuestionLog
from ..moderation.reports import recent_answer_rate, unanswered_groups
from ..moderation.teach import teach_message
from .autocomplete import as_choices, fact_id_choices
from .config import CogConfig
from .counters import Counters
from .live import LiveKnowledge
from .moderator_texts import feedback_lines, reload_report, stats_lines, unanswered_lines
from .pager import send_pages
from .reloader import Reloader
from .render import DESCRIPTION_LIMIT, NO_MENTIONS, clip, echo, fact_embed
from .replies import apologise, tell
from .watcher import reload_on_save

REPORT_DAYS = 30
STATS_DAYS = 7
GROUPS_PER_PAGE = 5
FACTS_PER_PAGE = 15
REFUSAL = "Only moderators (Manage Server or the moderator role) can use /kb."


class NotModerator(app_commands.CheckFailure):
    """A /kb call by someone who is not a moderator: refused privately, not logged as a failure."""


def is_moderator(user: discord.abc.User, moderator_role_id: int | None) -> bool:
    """Manage Server, or the configured moderator role; checked on every /kb call."""
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:
        return True
    return moderator_role_id is not None and any(role.id == moderator_role_id for role in user.roles)


class Moderation(commands.Cog, name="Moderation"):
    kb = app_commands.Group(
        name="kb",
        description="Moderators: manage the knowledge base",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(
        self, config: CogConfig, live: LiveKnowledge, log: QuestionLog, counters: Counters, reloader: Reloader
    ) -> None:
        self.config = config
        self.live = live
        self.question_log = log
        self.counters = counters
        self.reloader = reloader
        self._watcher: asyncio.Task | None = None

    async def cog_load(self) -> None:
        if self.config.watch:
            self._watcher = asyncio.create_task(reload_on_save(self.reloader), name="kb-watcher")

    async def cog_unload(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if not is_moderator(interaction.user, self.config.moderator_role_id):
            raise NotModerator(REFUSAL)
        return True

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, NotModerator):
            with contextlib.suppress(discord.HTTPException):
                await tell(interaction, str(error))
            return
        await apologise(interaction, error)

    @kb.command(name="reload", description="Reload the knowledge from disk (keeps the old one if the new is broken)")
    async def kb_reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.reloader.reload("/kb reload")
        await tell(interaction, reload_report(result))

    @kb.command(name="stats", description="Knowledge size, last reload, questions answered and declined")
    async def kb_stats(self, interaction: discord.Interaction) -> None:
        rate_by_day = await asyncio.to_thread(recent_answer_rate, self.question_log, STATS_DAYS)
        lines = stats_lines(
            self.live.engine.kb,
            self.live.loaded_at,
            self.counters,
            failed_reload=self.reloader.last_problems,
            rate_by_day=rate_by_day,
            days=STATS_DAYS,
        )
        embed = discord.Embed(title="Knowledge base", description=clip("\n".join(lines), DESCRIPTION_LIMIT))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @kb.command(name="fact", description="Show one fact as users see it")
    @app_commands.describe(id="The fact's id")
    async def kb_fact(self, interaction: discord.Interaction, id: str) -> None:
        kb = self.live.engine.kb
        fact = kb.fact(id)
        if fact is None:
            await tell(interaction, f"No fact with id `{echo(id, 64)}`.")
            return
        embed = fact_embed(fact, kb, f"fact {fact.id}")
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @kb_fact.autocomplete("id")
    async def kb_fact_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return as_choices(fact_id_choices(self.live.engine.index.fact_ids, current))

    @kb.command(name="teach", description="Write a user's question into a fact, or as one the fact must not answer")
    @app_commands.describe(
        question="The question as the user asked it",
        id="The fact it is about",
        not_this_fact="True: this fact must never answer it",
    )
    async def kb_teach(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 200],
        id: str,
        not_this_fact: bool = False,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        live = self.live
        written, text = await asyncio.to_thread(teach_message, live.kb_dir, live.seeds_dir, id, question, not_this_fact)
        if written:
            await self.reloader.reload("/kb teach")
        await tell(interaction, discord.utils.escape_markdown(text))

    kb_teach.autocomplete("id")(kb_fact_autocomplete)

    @kb.command(name="unanswered", description="Declined or unsure questions, grouped, with the nearest fact")
    async def kb_unanswered(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        groups = await asyncio.to_thread(unanswered_groups, self.question_log, self.live.engine, REPORT_DAYS)
        title = f"Declined or unsure questions, last {REPORT_DAYS} days"
        empty = "None: every question found its answer."
        await send_pages(interaction, title, unanswered_lines(groups), empty, GROUPS_PER_PAGE * 2)

    @kb.command(name="feedback", description="Facts ranked by thumbs down")
    async def kb_feedback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        votes = await asyncio.to_thread(self.question_log.votes_by_fact)
        await send_pages(interaction, "Facts by thumbs down", feedback_lines(votes), "No votes yet.", FACTS_PER_PAGE)
