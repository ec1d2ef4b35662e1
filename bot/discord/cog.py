"""The discord.py extension: /ask, mention replies, fact and vote buttons, and the moderators' /kb group.

Any discord.py bot can add it with `await bot.load_extension("bot.discord.cog")`;
settings come from the environment (see CogConfig). The cogs stay thin: they
translate between Discord and tested logic — the engine (`LiveKnowledge`), the
question log, `render` for embeds — and this one serves users, while
`moderator_cog.Moderation` serves moderators.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands, tasks

from ..engine.answer import Answer
from ..engine.settings import AMBIENT_ANSWER_THRESHOLD
from ..knowledge.loader import KnowledgeError
from ..moderation.question_log import QuestionLog
from .autocomplete import as_choices, question_choices
from .config import CogConfig
from .cooldown import UserCooldown
from .counters import Counters
from .live import LiveKnowledge
from .moderator_cog import Moderation
from .reloader import Reloader
from .render import NO_MENTIONS, FactButton, VoteButton, answer_embed, answer_view
from .replies import apologise, tell

log = logging.getLogger(__name__)

AUTOCOMPLETE_DEADLINE = timedelta(seconds=2.5)  # Discord allows 3 s


class Knowledge(commands.Cog, name="Knowledge"):
    def __init__(
        self, bot: commands.Bot, config: CogConfig, live: LiveKnowledge, log: QuestionLog, counters: Counters
    ) -> None:
        self.bot = bot
        self.config = config
        self.live = live
        self.question_log = log
        self.counters = counters
        self.cooldown = UserCooldown()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FactButton, VoteButton)
        self.prune_log.start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FactButton, VoteButton)
        self.prune_log.cancel()
        self.question_log.close()

    @tasks.loop(hours=24)
    async def prune_log(self) -> None:
        removed = await asyncio.to_thread(self.question_log.prune)
        if removed:
            log.info("pruned %d questions older than %d days", removed, self.question_log.retention_days)

    @app_commands.command(name="ask", description="Ask about Laos' foreign relations; the answer cites its source")
    @app_commands.describe(question="Your question, in any words (English works best)")
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 1000]) -> None:
        retry = self.cooldown.retry_after(interaction.user.id)
        if retry:
            await tell(interaction, f"Easy there! Please wait {retry:.0f} s before asking again.")
            return
        answer = self._answer(question)
        question_id = await self._log(answer)
        await interaction.response.send_message(**self._reply(answer, question_id))

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if discord.utils.utcnow() - interaction.created_at > AUTOCOMPLETE_DEADLINE:
            return []  # Discord drops late suggestions anyway: an empty list is the honest reply
        return as_choices(question_choices(self.live.engine, current))

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
        if self.cooldown.retry_after(message.author.id):
            return  # spamming the bot in a channel gets silence, not more messages
        answer = self._answer(question, None if direct else AMBIENT_ANSWER_THRESHOLD)
        if not direct and answer.status != "answered":
            return  # in answer channels the bot only speaks when it is sure
        question_id = await self._log(answer)
        with contextlib.suppress(discord.HTTPException):
            await message.reply(mention_author=False, **self._reply(answer, question_id))

    async def show_fact(self, interaction: discord.Interaction, fact_id: str) -> None:
        """A fact button was clicked: show that fact to the clicker only."""
        answer = self.live.engine.show(fact_id)
        if answer is None:
            await tell(interaction, "That fact is no longer in the knowledge base.")
            return
        await interaction.response.send_message(ephemeral=True, **self._reply(answer))

    async def record_vote(self, interaction: discord.Interaction, question_id: int, up: bool) -> None:
        """A 👍/👎 click: one vote per person per answer, changeable; a quiet private thanks."""
        stored = await asyncio.to_thread(self.question_log.vote, question_id, str(interaction.user.id), up)
        await tell(interaction, "Thanks for the feedback!" if stored else "Sorry, I couldn't save that vote just now.")

    def _answer(self, question: str, threshold: float | None = None) -> Answer:
        answer = self.live.engine.ask(question, threshold)
        self.counters.record(answer)
        return answer

    async def _log(self, answer: Answer) -> int | None:
        """Store the question, never who asked it nor where: the log keeps no user, channel or guild ids.
        A greeting or a thank-you is not stored: it is no question moderators could teach."""
        if answer.nothing_asked:
            return None
        fact_id = answer.fact.id if answer.fact else None
        return await asyncio.to_thread(
            self.question_log.record, "discord", answer.question, answer.status, fact_id, answer.confidence
        )

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

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await apologise(interaction, error)


async def setup(bot: commands.Bot) -> None:
    """Entry point for `bot.load_extension("bot.discord.cog")`: both cogs, sharing one knowledge and one log."""
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
    counters = Counters()
    await bot.add_cog(Knowledge(bot, config, live, question_log, counters))
    await bot.add_cog(Moderation(config, live, question_log, counters, Reloader(live)))


async def teardown(bot: commands.Bot) -> None:
    """discord.py unloads only the cogs defined in this module (or below it), and the moderators' cog
    lives beside it: without this, reloading the extension would fail on a Moderation cog still loaded."""
    await bot.remove_cog(Moderation.__cog_name__)
