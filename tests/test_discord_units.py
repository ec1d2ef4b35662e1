"""Discord-layer pieces that need no connection: settings, limits, the bot's shape, and the logic the cogs call."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from types import SimpleNamespace

import discord
import pytest
import watchfiles
from discord.ext import commands

from bot.discord import watcher
from bot.discord.autocomplete import fact_id_choices, question_choices
from bot.discord.config import CogConfig, ConfigError, RunnerConfig
from bot.discord.cooldown import UserCooldown
from bot.discord.counters import Counters
from bot.discord.live import LiveKnowledge, ReloadResult
from bot.discord.moderator_texts import feedback_lines, reload_report, stats_lines, unanswered_lines
from bot.discord.reloader import Reloader
from bot.discord.render import EMBED_TOTAL_LIMIT, NO_MENTIONS, answer_embed, answer_view, clip, echo, fit
from bot.discord.replies import SORRY, apologise
from bot.discord.runner import EXTENSION, intents_for, make_bot
from bot.discord.watcher import watched_paths
from bot.engine.answer import CLAIM_CORRECTED, Answer
from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge
from bot.knowledge.problem_list import Problem
from bot.moderation.reports import QuestionGroup

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


# ------------------------------------------------------------------ what the cogs call
def test_a_second_question_within_the_cooldown_is_told_how_long_to_wait():
    cooldown = UserCooldown(seconds=3.0)
    assert cooldown.retry_after(1, now=1000.0) is None
    assert cooldown.retry_after(1, now=1001.0) == pytest.approx(2.0)



def test_a_thank_you_gets_a_greeting_not_an_apology(engine):
    embed = answer_embed(engine.ask("thanks, that was helpful!"), engine.kb)
    assert embed.title == "Hi!" and "Sorry" not in str(embed.to_dict())


def test_the_cooldown_is_per_person():
    cooldown = UserCooldown(seconds=3.0)
    cooldown.retry_after(1, now=1000.0)
    assert cooldown.retry_after(2, now=1000.5) is None


def test_a_person_may_ask_again_once_the_cooldown_has_passed():
    cooldown = UserCooldown(seconds=3.0)
    cooldown.retry_after(1, now=1000.0)
    assert cooldown.retry_after(1, now=1003.5) is None


def test_counters_tally_each_outcome():
    counters = Counters()
    for status in ("answered", "answered", "clarify", "no_answer"):
        counters.record(Answer("q", status, 0.5, None, (), (), 0.0))
    assert (counters.answered, counters.clarified, counters.declined) == (2, 1, 1)


def test_question_choices_before_typing_are_the_first_facts_questions(dev_engine):
    expected = [fact.questions[0] for fact in dev_engine.kb.facts[:25]]
    assert question_choices(dev_engine, "  ") == list(dict.fromkeys(expected))


def test_question_choices_are_at_most_25_distinct_and_short(dev_engine):
    choices = question_choices(dev_engine, "laos")
    assert 1 <= len(choices) <= 25 and len(set(choices)) == len(choices)
    assert all(len(choice) <= 100 for choice in choices)


def test_fact_id_choices_forgive_a_typo(dev_engine):
    assert fact_id_choices(dev_engine.index.fact_ids, "tika projcts")[0] == "tika-projects-in-laos"


def test_fact_id_choices_before_typing_are_the_first_25_ids(dev_engine):
    assert fact_id_choices(dev_engine.index.fact_ids, "") == [fact.id for fact in dev_engine.kb.facts[:25]]


def test_a_successful_reload_reports_its_size_and_time():
    assert reload_report(ReloadResult(True, (), 59, 0.1234)) == "Reloaded: 59 facts in 0.12 s."


def test_a_failed_reload_lists_every_problem_and_says_the_old_knowledge_still_serves():
    problems = (Problem("facts/a.yaml", 3, "", "bad"), Problem("facts/b.yaml", 7, "", "worse"))
    report = reload_report(ReloadResult(False, problems, 59, 0.5))
    assert report.startswith("Reload failed; still serving the previous knowledge (59 facts)")
    assert "facts/a.yaml:3: bad\nfacts/b.yaml:7: worse" in report


def stats(dev_engine: Engine, failed_reload: tuple[str, ...] = (), rate_by_day: list | None = None) -> list[str]:
    return stats_lines(dev_engine.kb, 1_700_000_000.0, Counters(started=1_690_000_000.0, answered=3),
                       failed_reload=failed_reload, rate_by_day=rate_by_day or [], days=7)


def test_stats_give_size_freshness_and_outcomes(dev_engine):
    assert stats(dev_engine) == [
        f"Sources: {len(dev_engine.kb.sources)} · facts: {len(dev_engine.kb.facts)}",
        "Last reload: <t:1700000000:R>",
        "Since start (<t:1690000000:R>): 3 answered, 0 clarified, 0 declined",
    ]


def test_stats_flag_a_failed_last_reload(dev_engine):
    assert "Last reload failed with 2 problem(s); see /kb reload." in stats(dev_engine, failed_reload=("a", "b"))


def test_stats_show_the_answer_rate_per_day(dev_engine):
    lines = stats(dev_engine, rate_by_day=[("2025-01-02", 3, 4)])
    assert lines[-2:] == ["Answer rate, last 7 days:", "`2025-01-02` 3/4 (75%)"]


def test_unanswered_lines_offer_kb_teach_as_the_fix():
    group = QuestionGroup(["what is tika"], nearest_fact="tika-projects-in-laos", nearest_question="what is TIKA?")
    assert "/kb teach question:'what is tika' id:tika-projects-in-laos" in "\n".join(unanswered_lines([group]))


def test_unanswered_lines_defuse_what_users_typed():
    shown = "\n".join(unanswered_lines([QuestionGroup(["**why** @everyone"])]))
    assert "**why**" not in shown and "@everyone" not in shown


def test_feedback_lines_show_thumbs_down_and_up_per_fact():
    assert feedback_lines([("tika-projects-in-laos", 2, 1)]) == ["👎 2 · 👍 1 — `tika-projects-in-laos`"]


class _Response:
    """The part of an interaction's response `tell` uses, recording what would be sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    def is_done(self) -> bool:
        return False

    async def send_message(self, text: str, **kwargs: object) -> None:
        self.sent.append((text, kwargs))


def test_a_failed_command_tells_the_user_one_line_and_logs_the_traceback(caplog):
    interaction = SimpleNamespace(response=_Response())
    try:
        raise ValueError("internal detail")
    except ValueError as error:
        asyncio.run(apologise(interaction, error))
    assert interaction.response.sent == [(SORRY, {"ephemeral": True, "allowed_mentions": NO_MENTIONS})]
    assert "Traceback" in caplog.text and "internal detail" in caplog.text


# ------------------------------------------------------------------ reloads and the file watcher
def test_a_failed_reload_is_remembered_until_one_succeeds(make_kb):
    kb_dir = make_kb()
    reloader = Reloader(LiveKnowledge(kb_dir))
    facts = kb_dir / "facts" / "examplia.yaml"
    good = facts.read_text(encoding="utf-8")
    facts.write_text(good + "  - id: [\n", encoding="utf-8")
    asyncio.run(reloader.reload("test"))
    assert reloader.last_problems
    facts.write_text(good, encoding="utf-8")
    asyncio.run(reloader.reload("test"))
    assert reloader.last_problems == ()


def test_a_reload_is_logged_with_what_triggered_it(make_kb, caplog):
    reloader = Reloader(LiveKnowledge(make_kb()))
    with caplog.at_level(logging.INFO, logger="bot.discord.reloader"):
        asyncio.run(reloader.reload("/kb teach"))
    assert "knowledge reloaded (/kb teach): 4 facts" in caplog.text


def test_the_watcher_watches_the_seeds_beside_the_knowledge_by_default(make_kb):
    kb_dir = make_kb()
    assert watched_paths(kb_dir, None) == [kb_dir, kb_dir / ".." / "seeds"]


def test_the_watcher_leaves_out_folders_that_do_not_exist(tmp_path):
    assert watched_paths(tmp_path, tmp_path / "missing") == [tmp_path]


def test_the_watcher_starts_again_when_watching_fails(make_kb, monkeypatch):
    attempts: list[int] = []

    async def awatch(*paths, recursive):  # fails the first time, then reports one save
        attempts.append(len(attempts))
        if len(attempts) == 1:
            raise RuntimeError("inotify limit reached")
        yield {("modified", str(paths[0]))}
        await asyncio.Event().wait()

    monkeypatch.setattr(watchfiles, "awatch", awatch)
    monkeypatch.setattr(watcher, "WATCH_RETRY_SECONDS", 0.0)
    reloader = Reloader(LiveKnowledge(make_kb()))
    reloads: list[str] = []

    async def record(trigger: str) -> None:
        reloads.append(trigger)

    monkeypatch.setattr(reloader, "reload", record)

    async def watch_until_a_reload() -> None:
        task = asyncio.create_task(watcher.reload_on_save(reloader))
        while not reloads:
            await asyncio.sleep(0.01)
        task.cancel()

    asyncio.run(asyncio.wait_for(watch_until_a_reload(), 10))
    assert len(attempts) == 2 and reloads == ["file change"]


# ------------------------------------------------------------------ the extension
def test_unloading_the_extension_removes_both_cogs_so_it_loads_again(make_kb, monkeypatch):
    monkeypatch.setenv("KB_DIR", str(make_kb()))
    monkeypatch.setenv("KB_WATCH", "0")

    async def load_unload_load() -> list[list[str]]:
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
        await bot.load_extension(EXTENSION)
        loaded = sorted(bot.cogs)
        await bot.unload_extension(EXTENSION)
        unloaded = sorted(bot.cogs)
        await bot.load_extension(EXTENSION)
        again = sorted(bot.cogs)
        await bot.unload_extension(EXTENSION)
        return [loaded, unloaded, again]

    assert asyncio.run(load_unload_load()) == [["Knowledge", "Moderation"], [], ["Knowledge", "Moderation"]]


def test_an_answer_correcting_a_claim_says_so_above_the_facts_answer(engine):
    fact = engine.kb.facts[0]
    answer = replace(engine.show(fact.id), corrects_claim=True)
    embed = answer_embed(answer, engine.kb)
    assert embed.description.startswith(CLAIM_CORRECTED) and fact.answer[:40] in embed.description
