"""Discord-layer pieces that need no connection: settings, limits, and the bot's shape."""

from __future__ import annotations

import discord
import pytest
from discord.ext import commands

from bot.discord.config import CogConfig, ConfigError, RunnerConfig
from bot.discord.render import EMBED_TOTAL_LIMIT, answer_embed, answer_view, clip, echo, fit
from bot.discord.runner import intents_for, make_bot
from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge

from .conftest import ROOT


def test_runner_needs_a_token():
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        RunnerConfig.from_env({})


def test_the_token_never_appears_in_the_settings_repr():
    config = RunnerConfig.from_env({"DISCORD_TOKEN": "secret-token"})
    assert "secret-token" not in repr(config)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISCORD_GUILD_ID": "abc"}, "DISCORD_GUILD_ID must be a Discord id"),
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,2"}, "SHARD_IDS must be below SHARD_COUNT"),
        ({"SHARD_COUNT": "zero"}, "SHARD_COUNT must be a positive whole number"),
    ],
)
def test_bad_runner_settings_say_which_variable(env, message):
    with pytest.raises(ConfigError, match=message):
        RunnerConfig.from_env({"DISCORD_TOKEN": "t", **env})


def test_cog_settings_parse_ids_and_defaults():
    config = CogConfig.from_env({"ANSWER_CHANNEL_IDS": "1, 2;3", "MODERATOR_ROLE_ID": "42"})
    assert config.answer_channel_ids == {1, 2, 3} and config.moderator_role_id == 42
    assert str(config.kb_dir) == "knowledge"
    with pytest.raises(ConfigError, match="ANSWER_CHANNEL_IDS must be a comma-separated list"):
        CogConfig.from_env({"ANSWER_CHANNEL_IDS": "general"})


def test_message_content_intent_is_asked_only_for_answer_channels():
    assert not intents_for(CogConfig()).message_content
    assert intents_for(CogConfig(answer_channel_ids=frozenset({1}))).message_content


def test_shard_settings_make_an_auto_sharded_bot():
    sharded = make_bot(RunnerConfig("t", shard_count=4, shard_ids=(0, 1)), CogConfig())
    assert isinstance(sharded, commands.AutoShardedBot) and sharded.shard_ids == [0, 1]
    plain = make_bot(RunnerConfig("t"), CogConfig())
    assert not isinstance(plain, commands.AutoShardedBot)
    assert plain.allowed_mentions.everyone is False and plain.allowed_mentions.roles is False


def test_clip_keeps_the_start_and_marks_the_cut():
    assert clip("abcdef", 4) == "abc…" and clip("abc", 4) == "abc"


def test_echo_defuses_markdown_and_mentions():
    shown = echo("**hi** @everyone <@&123>")
    assert "**" not in shown and "@everyone" not in shown


def test_fit_brings_an_oversized_embed_under_the_total_limit():
    embed = discord.Embed(title="t", description="d" * 4096)
    for n in range(5):
        embed.add_field(name=f"f{n}", value="v" * 1024)
    assert len(fit(embed)) <= EMBED_TOTAL_LIMIT


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge(ROOT / "knowledge"))  # a property of whatever moderators bundle


def test_every_bundled_fact_renders_within_limits(engine):
    for fact in engine.kb.facts:
        answer = engine.show(fact.id)
        embed = answer_embed(answer, engine.kb)
        assert len(embed) <= EMBED_TOTAL_LIMIT and len(embed.title) <= 256
        view = answer_view(answer)
        assert view is None or all(len(item.item.label) <= 80 for item in view.children)


def test_a_declined_question_is_echoed_escaped_and_short(engine):
    answer = engine.ask("**why** " + "@everyone " * 500)
    embed = answer_embed(answer, engine.kb)
    assert "@everyone" not in embed.description and "**why**" not in embed.description
    assert len(embed.description) < 500
