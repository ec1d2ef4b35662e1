"""The discord.py extension: /ask, mention replies, fact buttons, and the moderators' /kb group.

Any discord.py bot can add it with `await bot.load_extension("bot.discord.cog")`;
settings come from the environment (see CogConfig). The cog stays thin: it
translates between Discord and the engine (`LiveKnowledge`) and renders with
`discord_render`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands, tasks
from rapidfuzz import process

from ..engine.answer import Answer
from ..engine.settings import AMBIENT_ANSWER_THRESHOLD
from ..knowledge.loader import KnowledgeError
from ..moderation.question_log import DM_CHANNEL, QuestionLog
from ..moderation.reports import answer_rate_by_day, render_groups, unanswered_groups
from ..moderation.teach import teach_message
from .config import CogConfig
from .live import LiveKnowledge
from .render import (
    CHOICE_LIMIT,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    NO_MENTIONS,
    FactButton,
    VoteButton,
    answer_embed,
    answer_view,
    clip,
    echo,
    fact_embed,
)

log = logging.getLogger(__name__)

COOLDOWN_SECONDS = 3.0
REPORT_DAYS = 30
STATS_DAYS = 7
GROUPS_PER_PAGE = 5
FACTS_PER_PAGE = 15
AUTOCOMPLETE_CHOICES = 25
AUTOCOMPLETE_DEADLINE = timedelta(seconds=2.5)  # Discord allows 3 s
WATCH_RETRY_SECONDS = 5.0


@dataclass
class Counters:
    """What /kb stats reports; kept in memory since the bot started."""

    started: float = field(default_factory=time.time)
    answered: int = 0
    clarified: int = 0
    declined: int = 0

    def record(self, answer: Answer) -> None:
        if answer.status == "answered":
            self.answered += 1
        elif answer.status == "clarify":
            self.clarified += 1
        else:
            self.declined += 1


def is_moderator(user: discord.abc.User, moderator_role_id: int | None) -> bool:
    """Manage Server, or the configured moderator role; checked on every /kb call."""
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:
        return True
    return moderator_role_id is not None and any(role.id == moderator_role_id for role in user.roles)


class Knowledge(commands.Cog, name="Knowledge"):
    kb = app_commands.Group(
        name="kb",
        description="Moderators: manage the knowledge base",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: commands.Bot, config: CogConfig, live: LiveKnowledge, log: QuestionLog) -> None:
        self.bot = bot
        self.config = config
        self.live = live
        self.question_log = log
        self.counters = Counters()
        self.last_reload_problems: tuple[str, ...] = ()
        self.cooldowns = commands.CooldownMapping.from_cooldown(1, COOLDOWN_SECONDS, commands.BucketType.user)
        self._watcher: asyncio.Task | None = None

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FactButton, VoteButton)
        self.prune_log.start()
        if self.config.watch:
            self._watcher = asyncio.create_task(self._watch(), name="kb-watcher")

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FactButton, VoteButton)
        self.prune_log.cancel()
        if self._watcher is not None:
            self._watcher.cancel()
        self.question_log.close()

    @tasks.loop(hours=24)
    async def prune_log(self) -> None:
        removed = await asyncio.to_thread(self.question_log.prune)
        if removed:
            log.info("pruned %d questions older than %d days", removed, self.question_log.retention_days)

    # ------------------------------------------------------------------ asking
    @app_commands.command(name="ask", description="Ask about Laos' foreign relations; the answer cites its source")
    @app_commands.describe(question="Your question, in any words (English works best)")
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 1000]) -> None:
        retry = self._retry_after(interaction.user)
        if retry:
            await tell(interaction, f"Easy there! Please wait {retry:.0f} s before asking again.")
            return
        answer = self._answer(question)
        question_id = await self._log(answer, interaction.channel)
        await interaction.response.send_message(**self._reply(answer, question_id))

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if discord.utils.utcnow() - interaction.created_at > AUTOCOMPLETE_DEADLINE:
            return []  # Discord drops late suggestions anyway: an empty list is the honest reply
        engine = self.live.engine
        if current.strip():
            phrasings = [s.question for s in engine.suggest_questions(current, AUTOCOMPLETE_CHOICES)]
        else:
            phrasings = [fact.questions[0] for fact in engine.kb.facts[:AUTOCOMPLETE_CHOICES]]
        choices = list(dict.fromkeys(clip(q, CHOICE_LIMIT) for q in phrasings))
        return [app_commands.Choice(name=q, value=q) for q in choices[:AUTOCOMPLETE_CHOICES]]

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        direct = isinstance(message.channel, discord.DMChannel) or self.bot.user in message.mentions
        ambient = message.channel.id in self.config.answer_channel_ids
        if not (direct or ambient):
            return
        question = self._strip_own_mention(message.content)
        if not question.strip() and not direct:
            return
        if self._retry_after(message.author):
            return  # spamming the bot in a channel gets silence, not more messages
        answer = self._answer(question, None if direct else AMBIENT_ANSWER_THRESHOLD)
        if not direct and answer.status != "answered":
            return  # in answer channels the bot only speaks when it is sure
        question_id = await self._log(answer, message.channel)
        with contextlib.suppress(discord.HTTPException):
            await message.reply(mention_author=False, **self._reply(answer, question_id))

    async def show_fact(self, interaction: discord.Interaction, fact_id: str) -> None:
        """A fact button was clicked: show that fact to the clicker only."""
        answer = self.live.engine.show(fact_id)
        if answer is None:
            await tell(interaction, "That fact is no longer in the knowledge base.")
            return
        await interaction.response.send_message(ephemeral=True, **self._reply(answer))

    def _answer(self, question: str, threshold: float | None = None) -> Answer:
        answer = self.live.engine.ask(question, threshold)
        self.counters.record(answer)
        return answer

    async def _log(self, answer: Answer, channel: object) -> int | None:
        """Store the question (never who asked; DM channels are not stored either)."""
        where = DM_CHANNEL if isinstance(channel, discord.DMChannel) else str(getattr(channel, "id", "unknown"))
        fact_id = answer.fact.id if answer.fact else None
        return await asyncio.to_thread(
            self.question_log.record, "discord", where, answer.question, answer.status, fact_id, answer.confidence
        )

    async def record_vote(self, interaction: discord.Interaction, question_id: int, up: bool) -> None:
        """A 👍/👎 click: one vote per person per answer, changeable; a quiet private thanks."""
        stored = await asyncio.to_thread(self.question_log.vote, question_id, str(interaction.user.id), up)
        await tell(interaction, "Thanks for the feedback!" if stored else "Sorry, I couldn't save that vote just now.")

    def _reply(self, answer: Answer, question_id: int | None = None) -> dict:
        kwargs: dict = {"embed": answer_embed(answer, self.live.engine.kb), "allowed_mentions": NO_MENTIONS}
        view = answer_view(answer, question_id)
        if view is not None:
            kwargs["view"] = view
        return kwargs

    def _strip_own_mention(self, content: str) -> str:
        assert self.bot.user is not None
        for form in (f"<@{self.bot.user.id}>", f"<@!{self.bot.user.id}>"):
            content = content.replace(form, " ")
        return content.strip()

    def _retry_after(self, user: discord.abc.User) -> float | None:
        bucket = self.cooldowns.get_bucket(_UserKey(user))
        return bucket.update_rate_limit() if bucket is not None else None

    # -------------------------------------------------------------- moderators
    async def _moderators_only(self, interaction: discord.Interaction) -> bool:
        if is_moderator(interaction.user, self.config.moderator_role_id):
            return True
        await tell(interaction, "Only moderators (Manage Server or the moderator role) can use /kb.")
        return False

    @kb.command(name="reload", description="Reload the knowledge from disk (keeps the old one if the new is broken)")
    async def kb_reload(self, interaction: discord.Interaction) -> None:
        if not await self._moderators_only(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self._reload("/kb reload")
        if result.ok:
            text = f"Reloaded: {result.facts} facts in {result.seconds:.2f} s."
        else:
            problems = "\n".join(str(p) for p in result.problems)
            text = (
                f"Reload failed; still serving the previous knowledge ({result.facts} facts). "
                f"Fix these and reload:\n```\n{problems}\n```"
            )
        await tell(interaction, text)

    @kb.command(name="stats", description="Knowledge size, last reload, questions answered and declined")
    async def kb_stats(self, interaction: discord.Interaction) -> None:
        if not await self._moderators_only(interaction):
            return
        engine, c = self.live.engine, self.counters
        lines = [
            f"Sources: {len(engine.kb.sources)} · facts: {len(engine.kb.facts)}",
            f"Last reload: <t:{int(self.live.loaded_at)}:R>",
            f"Since start (<t:{int(c.started)}:R>): {c.answered} answered, "
            f"{c.clarified} clarified, {c.declined} declined",
        ]
        if self.last_reload_problems:
            lines.append(f"Last reload failed with {len(self.last_reload_problems)} problem(s); see /kb reload.")
        since = time.time() - STATS_DAYS * 86400
        days = answer_rate_by_day(await asyncio.to_thread(self.question_log.questions, since))
        if days:
            lines.append(f"Answer rate, last {STATS_DAYS} days:")
            lines += [f"`{day}` {ok}/{total} ({ok / total:.0%})" for day, ok, total in days]
        embed = discord.Embed(title="Knowledge base", description=clip("\n".join(lines), DESCRIPTION_LIMIT))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @kb.command(name="fact", description="Show one fact as users see it")
    @app_commands.describe(id="The fact's id")
    async def kb_fact(self, interaction: discord.Interaction, id: str) -> None:
        if not await self._moderators_only(interaction):
            return
        fact = self.live.engine.kb.fact(id)
        if fact is None:
            await tell(interaction, f"No fact with id `{echo(id, 64)}`.")
            return
        embed = fact_embed(fact, self.live.engine.kb, f"fact {fact.id}")
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @kb_fact.autocomplete("id")
    async def kb_fact_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        ids = list(self.live.engine.index.fact_ids)
        if current.strip():
            ids = [match[0] for match in process.extract(current, ids, limit=AUTOCOMPLETE_CHOICES)]
        return [app_commands.Choice(name=i, value=i) for i in ids[:AUTOCOMPLETE_CHOICES]]

    @kb.command(name="teach", description="Write a user's question into a fact, or as one the fact must not answer")
    @app_commands.describe(question="The question as the user asked it", id="The fact it is about",
                           not_this_fact="True: this fact must never answer it")
    async def kb_teach(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 200], id: str,
                       not_this_fact: bool = False) -> None:
        if not await self._moderators_only(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        live = self.live
        written, text = await asyncio.to_thread(teach_message, live.kb_dir, live.seeds_dir, id, question, not_this_fact)
        if written:
            await self._reload("/kb teach")
        await tell(interaction, discord.utils.escape_markdown(text))

    kb_teach.autocomplete("id")(kb_fact_autocomplete)

    @kb.command(name="unanswered", description="Declined or unsure questions, grouped, with the nearest fact")
    async def kb_unanswered(self, interaction: discord.Interaction) -> None:
        if not await self._moderators_only(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        groups = await asyncio.to_thread(unanswered_groups, self.question_log, self.live.engine, REPORT_DAYS)
        lines = [echo(line, 300) for line in render_groups(groups, teach="/kb teach question:{question} id:{fact}")]
        title = f"Declined or unsure questions, last {REPORT_DAYS} days"
        await send_pages(interaction, title, lines, "None: every question found its answer.", GROUPS_PER_PAGE * 2)

    @kb.command(name="feedback", description="Facts ranked by thumbs down")
    async def kb_feedback(self, interaction: discord.Interaction) -> None:
        if not await self._moderators_only(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        votes = await asyncio.to_thread(self.question_log.votes_by_fact)
        lines = [f"👎 {down} · 👍 {up} — `{fact_id}`" for fact_id, down, up in votes]
        await send_pages(interaction, "Facts by thumbs down", lines, "No votes yet.", FACTS_PER_PAGE)

    # ----------------------------------------------------------------- reloads
    async def _reload(self, trigger: str):
        result = await asyncio.to_thread(self.live.reload)
        self.last_reload_problems = tuple(str(p) for p in result.problems)
        if result.ok:
            log.info("knowledge reloaded (%s): %d facts in %.2f s", trigger, result.facts, result.seconds)
        else:
            log.error(
                "knowledge reload failed (%s); still serving %d facts:\n%s",
                trigger, result.facts, "\n".join(self.last_reload_problems),
            )
        return result

    async def _watch(self) -> None:
        """Reload whenever a knowledge or seed file is saved (the same keep-the-old rule).

        Nothing ends it but unloading: a failed reload is logged and the next save
        is watched as before, and if watching itself fails it starts again.
        """
        from watchfiles import awatch

        while True:
            paths = [p for p in (self.live.kb_dir, self.live.seeds_dir or self.live.kb_dir / ".." / "seeds")
                     if p.exists()]
            try:
                async for _changes in awatch(*paths, recursive=True):
                    await self._reload("file change")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("file watcher failed; watching again in %.0f s", WATCH_RETRY_SECONDS)
            await asyncio.sleep(WATCH_RETRY_SECONDS)

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.exception("command failed", exc_info=error)
        with contextlib.suppress(discord.HTTPException):
            await tell(interaction, "Sorry, something went wrong on my side. Please try again.")


async def send_pages(interaction: discord.Interaction, title: str, lines: list[str], empty: str, per_page: int) -> None:
    """A long list as embeds of `per_page` lines, with ◀ ▶ buttons when there is more than one."""
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[empty]]
    pages = [
        discord.Embed(title=title, description=clip("\n".join(chunk), DESCRIPTION_LIMIT)).set_footer(
            text=f"page {number} of {len(chunks)}"
        )
        for number, chunk in enumerate(chunks, 1)
    ]
    view = Pager(pages, interaction.user.id) if len(pages) > 1 else discord.utils.MISSING
    await interaction.followup.send(embed=pages[0], view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)


class Pager(discord.ui.View):
    """◀ ▶ through report pages; only for the moderator who asked."""

    def __init__(self, pages: list[discord.Embed], owner_id: int) -> None:
        super().__init__(timeout=600)
        self.pages = pages
        self.owner_id = owner_id
        self.current = 0

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.current = (self.current + step) % len(self.pages)
        await interaction.response.edit_message(embed=self.pages[self.current], view=self)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self._turn(interaction, 1)


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A short private (ephemeral) message, as the response or, after a defer, as a follow-up."""
    text = clip(text, CONTENT_LIMIT)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class _UserKey:
    """CooldownMapping buckets by `message.author`; interactions have `.user` instead."""

    def __init__(self, user: discord.abc.User) -> None:
        self.author = user
        self.guild = None
        self.channel = None


async def setup(bot: commands.Bot) -> None:
    """Entry point for `bot.load_extension("bot.discord.cog")`."""
    config = CogConfig.from_env()
    try:
        live = await asyncio.to_thread(
            LiveKnowledge, config.kb_dir, config.seeds_dir, cache_dir=config.data_dir / "cache"
        )
    except KnowledgeError as error:
        problems = "\n".join(str(p) for p in error.problems)
        invalid = RuntimeError(f"the knowledge base is invalid:\n{problems}")
        raise commands.ExtensionFailed("bot.discord.cog", invalid) from None
    question_log = await asyncio.to_thread(QuestionLog, config.data_dir / "questions.sqlite3", config.retention_days)
    await bot.add_cog(Knowledge(bot, config, live, question_log))
