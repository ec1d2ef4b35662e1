"""Issue 10, below Discord: a reload that fails in an unforeseen way, and the question log's privacy
and durability (the end-to-end versions are in test_discord_faults.py)."""

from __future__ import annotations

from bot.discord.live import LiveKnowledge
from bot.moderation.mentions import scrub_mentions
from bot.moderation.question_log import QuestionLog

from .conftest import question_log_at_version


def test_an_unexpected_reload_error_is_reported_and_the_old_knowledge_kept(make_kb, monkeypatch):
    kb_dir = make_kb()
    live = LiveKnowledge(kb_dir)
    before = live.engine

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(live.cache, "open", broken)
    result = live.reload()
    assert not result.ok and live.engine is before
    assert [str(p) for p in result.problems] == [f"{kb_dir}: reload failed: RuntimeError: disk on fire"]


def test_mentions_become_what_they_are_without_ids():
    text = "<@123> <@!456> <@&789> <#1011> <:smile:1213> plain <@x>"
    assert scrub_mentions(text) == "@user @user @role #channel <:smile:1213> plain <@x>"


def test_a_logged_question_keeps_no_mentioned_ids(tmp_path):
    log = QuestionLog(tmp_path / "questions.sqlite3")
    log.record("discord", "ask <@930000000000000777> or <@&940000000000000001>", "no_answer", None, 0.1)
    assert [q.question for q in log.questions()] == ["ask @user or @role"]


def test_stored_mentions_are_scrubbed_by_a_migration(tmp_path):
    path = tmp_path / "questions.sqlite3"
    database = question_log_at_version(path, 2)  # as a bot before the scrubbing migration left it
    database.execute("INSERT INTO questions (asked_at, platform, channel, question, status, fact_id, confidence)"
                     " VALUES (1e10, 'discord', '1', 'hi <@123456> in <#654321>', 'no_answer', NULL, 0.1)")
    database.commit()
    database.close()
    assert [q.question for q in QuestionLog(path).questions()] == ["hi @user in #channel"]


def test_a_deleted_log_file_is_recreated_before_the_next_write(tmp_path, caplog):
    path = tmp_path / "data" / "questions.sqlite3"
    log = QuestionLog(path)
    log.record("discord", "before", "no_answer", None, 0.1)
    for leftover in tmp_path.joinpath("data").glob("questions.sqlite3*"):
        leftover.unlink()
    log.record("discord", "after", "no_answer", None, 0.1)
    log.record("discord", "again", "no_answer", None, 0.1)
    assert path.is_file()
    assert sorted(q.question for q in log.questions()) == ["after", "again"]
    assert sum("started a new one" in record.getMessage() for record in caplog.records) == 1
