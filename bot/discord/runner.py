"""`python -m bot run`: the standalone bot around the extension.

Commands are synced once, in setup_hook (never on every on_ready, which fires
again after each reconnect). Failures a user can fix (missing or rejected
token, privileged intent not enabled, invalid knowledge, no network) end with
one line saying what to do, never a traceback, and never the token.
"""

from __future__ import annotations

import asyncio
import logging
import sys

import aiohttp
import discord
from discord.ext import commands
from dotenv import load_dotenv

from .config import CogConfig, ConfigError, RunnerConfig

log = logging.getLogger(__name__)
EXTENSION = "bot.discord.cog"


def intents_for(cog_config: CogConfig) -> discord.Intents:
    """Message content is privileged: ask for it only when answer channels need it
    (messages that mention the bot, and DMs, carry their content without it)."""
    intents = discord.Intents.default()
    intents.message_content = bool(cog_config.answer_channel_ids)
    return intents


class _QABotMixin:
    """Shared by the plain and the sharded bot: load the extension, sync commands once."""

    guild_id: int | None = None

    async def setup_hook(self) -> None:
        await self.load_extension(EXTENSION)  # type: ignore[attr-defined]
        tree: discord.app_commands.CommandTree = self.tree  # type: ignore[attr-defined]
        if self.guild_id is not None:
            guild = discord.Object(id=self.guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self.guild_id)
        else:
            synced = await tree.sync()
            log.info("synced %d global commands (they can take up to an hour to appear)", len(synced))

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guild(s)", self.user, len(self.guilds))  # type: ignore[attr-defined]

    async def on_message(self, message: discord.Message) -> None:
        """No text commands: chatter never reaches the command parser (where "@bot @someone hi"
        logged CommandNotFound). The extension's own listener still answers."""


class QABot(_QABotMixin, commands.Bot):
    pass


class ShardedQABot(_QABotMixin, commands.AutoShardedBot):
    pass


def make_bot(runner_config: RunnerConfig, cog_config: CogConfig) -> commands.Bot:
    """A plain Bot, or an AutoShardedBot when SHARD_COUNT/SHARD_IDS ask for shards."""
    kwargs: dict = {
        "command_prefix": commands.when_mentioned,
        "intents": intents_for(cog_config),
        "allowed_mentions": discord.AllowedMentions.none(),
        "help_command": None,
    }
    if runner_config.sharded:
        shard_ids = list(runner_config.shard_ids) if runner_config.shard_ids else None
        shards = {"shard_count": runner_config.shard_count, "shard_ids": shard_ids}
        bot: commands.Bot = ShardedQABot(**shards, **kwargs)
    else:
        bot = QABot(**kwargs)
    bot.guild_id = runner_config.guild_id  # type: ignore[attr-defined]
    return bot


def run() -> int:
    load_dotenv()
    try:
        runner_config = RunnerConfig.from_env()
        cog_config = CogConfig.from_env()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=logging.INFO)
    bot = make_bot(runner_config, cog_config)
    try:
        bot.run(runner_config.token, log_handler=None)
    except discord.LoginFailure:
        print("error: Discord rejected DISCORD_TOKEN; copy a fresh token from the Developer Portal "
              "(Application > Bot > Reset Token) into .env", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print("error: the Message Content intent is needed for ANSWER_CHANNEL_IDS; enable it in the Developer "
              "Portal (Application > Bot > Privileged Gateway Intents) or unset ANSWER_CHANNEL_IDS", file=sys.stderr)
        return 1
    except commands.ExtensionFailed as error:
        print(f"error: could not start: {error.original}", file=sys.stderr)
        return 1
    except UNREACHABLE as error:
        print(f"error: cannot reach Discord ({_reason(error)}); check the network and try again", file=sys.stderr)
        return 1
    return 0


# What connecting raises when Discord cannot be reached (no network, DNS, firewall, an outage).
UNREACHABLE = (aiohttp.ClientError, OSError, asyncio.TimeoutError, discord.GatewayNotFound, discord.DiscordServerError)


def _reason(error: BaseException) -> str:
    return str(error).strip() or type(error).__name__
