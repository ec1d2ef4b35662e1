"""Issue 10, the running bot: faults never stop it serving or watching, and the question log loses
nothing and keeps no ids. `python -m bot run`, unmodified, with the real discord.py client against
the fake Discord; the bot's log goes to a file the tests read."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT
from .fake_discord import GOOD_TOKEN, FakeDiscord
from .test_discord_e2e import LAUNCHER, Running, buttons_of, click, embed_of, followup_after, serving, start_bot

TIKA_ID_LINE = "  - id: tika-projects-in-laos\n"


@dataclass
class Bot(Running):
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.log()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"the bot's log never matched; it reads:\n{self.log()[-3000:]}")

    def questions(self) -> list[str]:
        with sqlite3.connect(self.kb_dir.parent / "data" / "questions.sqlite3") as database:
            return [row[0] for row in database.execute("SELECT question FROM questions ORDER BY id")]


@pytest.fixture(scope="module")
def bot(tmp_path_factory) -> Iterator[Bot]:
    fake = FakeDiscord()
    fake.start()
    home = tmp_path_factory.mktemp("faults")
    log_path = home / "bot.log"
    with log_path.open("w", encoding="utf-8") as log_file:
        process, kb_dir = start_bot(fake, home, output=log_file)
    with serving(fake, process, kb_dir) as running:
        yield Bot(running.fake, running.process, running.kb_dir, log_path)


def reload_reply(bot: Bot) -> str:
    return followup_after(bot, bot.kb("reload", bot.fake.moderator_id)).body["content"]


# ------------------------------------------------------------------ 10. the file watcher survives
def test_a_save_python_cannot_read_does_not_stop_the_file_watcher(bot):
    facts_file = bot.kb_dir / "facts" / "turkiye-laos.yaml"
    good = facts_file.read_text(encoding="utf-8")
    try:
        failures = bot.log().count("knowledge reload failed (file change)")
        facts_file.write_text(good.replace(TIKA_ID_LINE, TIKA_ID_LINE + "    weight: " + "9" * 5000 + "\n"), encoding="utf-8")
        bot.wait_for_log(lambda log: log.count("knowledge reload failed (file change)") > failures)
        edited = good.replace("with on-the-ground projects", "with on-the-ground projects (edited)")
        reloads = bot.log().count("knowledge reloaded (file change)")
        facts_file.write_text(edited, encoding="utf-8")
        bot.wait_for_log(lambda log: log.count("knowledge reloaded (file change)") > reloads)
        assert "(edited)" in embed_of(bot.ask("what does tika do in laos"))["description"]
    finally:
        facts_file.write_text(good, encoding="utf-8")


def test_kb_reload_names_the_file_and_line_of_a_huge_number(bot):
    facts_file = bot.kb_dir / "facts" / "turkiye-laos.yaml"
    good = facts_file.read_text(encoding="utf-8")
    line = good.splitlines().index(TIKA_ID_LINE.rstrip("\n")) + 2
    try:
        facts_file.write_text(good.replace(TIKA_ID_LINE, TIKA_ID_LINE + "    weight: " + "9" * 5000 + "\n"), encoding="utf-8")
        reply = reload_reply(bot)
        assert reply.startswith("Reload failed; still serving the previous knowledge (59 facts)")
        assert f"turkiye-laos.yaml:{line}: a number of 5,000 digits is too long" in reply
        assert "TIKA" in embed_of(bot.ask("what does tika do in laos"))["description"]
    finally:
        facts_file.write_text(good, encoding="utf-8")
    assert reload_reply(bot).startswith("Reloaded:")


# ------------------------------------------------------------------ 11. no ids in the question log
def test_mentions_in_a_question_are_stored_without_ids(bot):
    bot.ask("<@930000000000000777> <@!930000000000000778> <@&940000000000000779> in <#920000000000000780> what is tika")
    stored = bot.questions()[-1]
    assert stored == "@user @user @role in #channel what is tika"


def every_stored_value(database_path: Path) -> list[str]:
    """Every column of every row of every table in the log, as text."""
    with sqlite3.connect(database_path) as database:
        tables = [row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [str(value) for table in tables for row in database.execute(f"SELECT * FROM {table}") for value in row]


def test_asking_and_voting_in_a_guild_channel_leave_no_discord_id_in_the_log(bot):
    asker, voter, mentioner = bot.new_member(), bot.new_member(), bot.new_member()
    answer = bot.ask("what does tika do in laos", asker)["data"]
    up = next(b["custom_id"] for b in buttons_of(answer) if b["custom_id"].startswith("qa:vote:up"))
    assert click(bot, answer, up, voter)["data"]["content"] == "Thanks for the feedback!"
    message_id = bot.fake.message(f"<@{bot.fake.bot_id}> who invited To Lam to Laos?", mentioner, mention_bot=True)
    bot.fake.wait_for(lambda r: r.method == "POST" and r.path == f"/channels/{bot.fake.channel_id}/messages"
                      and str((r.body.get("message_reference") or {}).get("message_id")) == message_id)
    fake = bot.fake
    ids = {fake.guild_id, fake.channel_id, fake.bot_id, fake.moderator_role_id, asker, voter, mentioner}
    stored = every_stored_value(bot.kb_dir.parent / "data" / "questions.sqlite3")
    assert "who invited To Lam to Laos?" in stored  # the mention was logged, from the guild channel
    assert [value for value in stored if any(str(i) in value for i in ids)] == []


# ------------------------------------------------------------------ 12. a deleted log is recreated
def test_a_question_log_deleted_while_running_is_recreated_and_said_once(bot):
    database = bot.kb_dir.parent / "data" / "questions.sqlite3"
    bot.ask("who invited To Lam to Laos?")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    bot.ask("what is tika")
    answer = bot.ask("When did Türkiye open its embassy in Vientiane?")["data"]
    assert bot.questions() == ["what is tika", "When did Türkiye open its embassy in Vientiane?"]
    vote = next(b["custom_id"] for row in answer["components"] for b in row["components"] if b["custom_id"].startswith("qa:vote:up"))
    message = bot.fake._message(answer)
    interaction_id, _ = bot.fake.interaction(3, {"custom_id": vote, "component_type": 2}, bot.new_member(), message=message)
    assert bot.callback(interaction_id)["data"]["content"] == "Thanks for the feedback!"
    assert bot.log().count("was deleted or replaced while the bot ran; started a new one") == 1


# ------------------------------------------------------------------ 13. chatter logs no errors
def test_a_mention_of_the_bot_and_another_user_logs_no_error(bot):
    before = len(bot.log())
    message_id = bot.fake.message(f"<@{bot.fake.bot_id}> <@{bot.fake.member_id}> what is tika", bot.new_member(), mention_bot=True)
    bot.fake.wait_for(lambda r: r.path.endswith("/messages") and str((r.body.get("message_reference") or {}).get("message_id")) == message_id)
    time.sleep(0.5)
    log = bot.log()[before:]
    assert "CommandNotFound" not in log and "Traceback" not in log and "ERROR" not in log


# ------------------------------------------------------------------ 9. no network
def test_run_without_a_reachable_discord_is_one_line_and_exit_1(tmp_path):
    fake = FakeDiscord()
    fake.start()
    unreachable = f"http://127.0.0.1:{fake.port}"
    fake.stop()  # nothing listens there any more
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    environment = {**os.environ, "DISCORD_TOKEN": GOOD_TOKEN, "KB_DIR": str(tmp_path / "knowledge"),
                   "DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, str(LAUNCHER), unreachable], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and errors[0].startswith("error: cannot reach Discord (Cannot connect to host 127.0.0.1")
