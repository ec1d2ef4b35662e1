"""Moderators grow the knowledge: question log, feedback, reports, drafts, coverage, warnings."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from bot.console.cli import main
from bot.knowledge.loader import load_knowledge
from bot.moderation.question_log import OLD_VOTER_KEY_FILE, SCHEMA_VERSION, QuestionLog
from bot.moderation.reports import answer_rate_by_day, group_questions, recent_answer_rate, text_report

from .conftest import DEV_KB, ROOT, SEEDS, question_log_at_version


@pytest.fixture
def log(tmp_path) -> QuestionLog:
    question_log = QuestionLog(tmp_path / "data" / "questions.sqlite3")
    yield question_log
    question_log.close()


# ------------------------------------------------------------------ question log
def test_the_log_uses_wal_and_records_its_schema_version(log):
    db = sqlite3.connect(log.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_old_database_is_migrated_in_place(tmp_path):
    path = tmp_path / "questions.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE questions (id INTEGER PRIMARY KEY, asked_at REAL NOT NULL, platform TEXT NOT NULL,"
        " channel TEXT NOT NULL, question TEXT NOT NULL, status TEXT NOT NULL, fact_id TEXT, confidence REAL NOT NULL);"
        " INSERT INTO questions VALUES (1, 1e10, 'discord', '1', 'kept?', 'answered', 'a', 0.9); PRAGMA user_version = 1;"
    )
    old.close()
    log = QuestionLog(path)
    assert [q.question for q in log.questions()] == ["kept?"]
    assert log.vote(1, "someone", up=False)


def test_a_question_is_stored_without_who_asked(log):
    question_id = log.record("discord", "who invited to lam?", "answered", "invitation-from-thongloun", 0.9)
    stored = log.questions()
    assert stored[0].id == question_id and stored[0].question == "who invited to lam?"
    columns = {row[1] for row in sqlite3.connect(log.path).execute("PRAGMA table_info(questions)")}
    assert columns == {"id", "asked_at", "platform", "question", "status", "fact_id", "confidence"}


OLD_CHANNEL_ID = "920000000000000780"
OLD_VOTER_KEY = "0123456789abcdef0123456789abcdef"


def version_3_log(path: Path) -> None:
    """A log as the bot left it before version 4: each question with its guild channel's id, and
    votes keyed with the key file beside the database."""
    database = question_log_at_version(path, 3)
    database.executemany(
        "INSERT INTO questions (id, asked_at, platform, channel, question, status, fact_id, confidence)"
        " VALUES (?, ?, 'discord', ?, ?, ?, ?, 0.9)",
        [(1, time.time(), OLD_CHANNEL_ID, "who invited to lam?", "answered", "invitation-from-thongloun"),
         (2, time.time(), "dm", "what is tika", "no_answer", None)],
    )
    database.execute("INSERT INTO feedback VALUES (1, ?, -1, 'invitation-from-thongloun', ?)", (OLD_VOTER_KEY, time.time()))
    database.commit()
    database.close()
    path.with_name(OLD_VOTER_KEY_FILE).write_bytes(b"k" * 32)


def test_an_old_log_with_channel_ids_keeps_its_questions_and_votes(tmp_path):
    path = tmp_path / "questions.sqlite3"
    version_3_log(path)
    log = QuestionLog(path)
    assert sorted(q.question for q in log.questions()) == ["what is tika", "who invited to lam?"]
    assert log.votes_by_fact() == [("invitation-from-thongloun", 1, 0)]


def test_an_old_log_keeps_no_channel_id_once_opened(tmp_path):
    path = tmp_path / "questions.sqlite3"
    version_3_log(path)
    log = QuestionLog(path)
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(questions)")}
    assert "channel" not in columns
    for file in tmp_path.glob("questions.sqlite3*"):  # not even in free pages or the write-ahead log
        assert OLD_CHANNEL_ID.encode() not in file.read_bytes(), file.name
    log.close()


def test_an_old_logs_voter_keys_and_their_key_file_are_discarded(tmp_path):
    path = tmp_path / "questions.sqlite3"
    version_3_log(path)
    log = QuestionLog(path)
    assert OLD_VOTER_KEY.encode() not in path.read_bytes()
    assert not path.with_name(OLD_VOTER_KEY_FILE).exists()
    log.close()


def test_a_failed_migration_leaves_the_log_whole_at_its_old_version(tmp_path):
    path = tmp_path / "questions.sqlite3"
    version_3_log(path)
    with sqlite3.connect(path) as database:
        database.execute("DROP TABLE feedback")  # the migration to version 4 fails after dropping the column
    assert not QuestionLog(path).available
    database = sqlite3.connect(path)
    assert database.execute("PRAGMA user_version").fetchone()[0] == 3
    assert "channel" in {row[1] for row in database.execute("PRAGMA table_info(questions)")}


def test_one_vote_per_person_per_answer_and_it_can_change(log):
    question_id = log.record("discord", "q", "answered", "fact-a", 0.8)
    assert log.vote(question_id, "alice", up=True)
    assert log.vote(question_id, "alice", up=False)
    assert log.vote(question_id, "bob", up=False)
    assert log.votes_by_fact() == [("fact-a", 2, 0)]


def test_votes_store_no_user_id(log):
    question_id = log.record("discord", "q", "answered", "fact-a", 0.8)
    log.vote(question_id, "123456789012345678", up=True)
    dump = "\n".join(sqlite3.connect(log.path).iterdump())
    assert "123456789012345678" not in dump


def test_one_persons_votes_on_two_answers_cannot_be_linked(log):
    first = log.record("discord", "q1", "answered", "fact-a", 0.8)
    second = log.record("discord", "q2", "answered", "fact-b", 0.8)
    log.vote(first, "alice", up=True)
    log.vote(second, "alice", up=True)
    voters = [row[0] for row in sqlite3.connect(log.path).execute("SELECT voter FROM feedback")]
    assert len(set(voters)) == 2


def test_the_voter_key_is_kept_in_memory_only(log):
    log.vote(log.record("discord", "q", "answered", "fact-a", 0.8), "alice", up=True)
    assert {file.name for file in log.path.parent.iterdir()} <= {"questions.sqlite3", "questions.sqlite3-wal",
                                                                 "questions.sqlite3-shm"}


def test_a_reopened_log_cannot_tell_an_earlier_voter_again(tmp_path):
    """The price of a key that dies with the process: after a restart a click counts as a new vote."""
    path = tmp_path / "questions.sqlite3"
    log = QuestionLog(path)
    question_id = log.record("discord", "q", "answered", "fact-a", 0.8)
    log.vote(question_id, "alice", up=False)
    log.close()
    reopened = QuestionLog(path)
    reopened.vote(question_id, "alice", up=False)
    assert reopened.votes_by_fact() == [("fact-a", 2, 0)]


def test_a_vote_on_an_unknown_question_is_refused(log):
    assert not log.vote(999, "alice", up=True)


def test_retention_prunes_old_questions_and_their_votes(log):
    question_id = log.record("discord", "old", "answered", "fact-a", 0.8)
    log.vote(question_id, "alice", up=True)
    db = sqlite3.connect(log.path)
    db.execute("UPDATE questions SET asked_at = ?", (time.time() - 91 * 86400,))
    db.commit()
    assert log.prune() == 1
    assert log.questions() == [] and log.votes_by_fact() == []


def test_a_locked_database_does_not_stop_answering(log, caplog):
    blocker = sqlite3.connect(log.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        assert log.record("discord", "q", "no_answer", None, 0.1) is None
        assert time.perf_counter() - started < 2  # gives up quickly (busy timeout 50 ms), no hang
        assert log.record("discord", "q2", "no_answer", None, 0.1) is None
    finally:
        blocker.rollback()
        blocker.close()
    assert sum("unavailable" in r.message for r in caplog.records) == 1  # logged once
    assert log.record("discord", "q3", "no_answer", None, 0.1) is not None


def test_a_read_only_database_does_not_stop_answering(tmp_path):
    if os.geteuid() == 0:
        # root ignores file permissions; a read-only connection is the same situation for SQLite
        path = tmp_path / "questions.sqlite3"
        QuestionLog(path).close()
        log = QuestionLog(path)
        log._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        path = tmp_path / "questions.sqlite3"
        QuestionLog(path).close()
        path.chmod(0o444)
        log = QuestionLog(path)
    assert log.record("discord", "q", "no_answer", None, 0.1) is None
    assert log.questions() == []


def test_an_unwritable_data_directory_does_not_stop_answering(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    log = QuestionLog(blocked / "questions.sqlite3")
    assert not log.available
    assert log.record("discord", "q", "no_answer", None, 0.1) is None


def test_a_corrupt_database_is_moved_aside_and_rebuilt(tmp_path):
    path = tmp_path / "questions.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    log = QuestionLog(path)
    assert log.available and log.record("discord", "q", "answered", "f", 0.9) is not None
    assert list(tmp_path.glob("questions.sqlite3.corrupt-*"))


# ------------------------------------------------------------------ reports
def test_similar_declined_questions_are_grouped_largest_first(dev_engine):
    groups = group_questions(["what is laos gdp", "gdp of laos", "laos gdp 2024", "who won the world cup"], dev_engine)
    assert [g.size for g in groups] == [3, 1]


def test_a_group_names_the_nearest_fact(dev_engine):
    groups = group_questions(["what does tika think"], dev_engine)
    assert groups[0].nearest_fact == "tika-projects-in-laos"


def test_answer_rate_is_reported_per_day(log):
    log.record("discord", "a", "answered", "f", 0.9)
    log.record("discord", "b", "no_answer", None, 0.1)
    [(day, answered, asked)] = answer_rate_by_day(log.questions())
    assert (answered, asked) == (1, 2) and len(day) == 10


def test_the_recent_answer_rate_leaves_out_older_questions(log):
    old = log.record("discord", "old", "no_answer", None, 0.1)
    log.record("discord", "new", "answered", "f", 0.9)
    db = sqlite3.connect(log.path)
    db.execute("UPDATE questions SET asked_at = ? WHERE id = ?", (time.time() - 8 * 86400, old))
    db.commit()
    [(_day, answered, asked)] = recent_answer_rate(log, days=7)
    assert (answered, asked) == (1, 1)


def test_the_text_report_shows_groups_votes_and_rates(log, dev_engine):
    for question in ("what is laos gdp", "gdp of laos"):
        log.record("discord", question, "no_answer", None, 0.2)
    question_id = log.record("discord", "tika?", "answered", "tika-projects-in-laos", 0.9)
    log.vote(question_id, "carol", up=False)
    report = text_report(log, dev_engine, days=30)
    assert "2× " in report and "tika-projects-in-laos: 1 / 0" in report and "1/3 answered" in report


def test_report_command_without_a_log_says_so(tmp_path, capsys):
    assert main(["report", "--data", str(tmp_path), "--kb", str(DEV_KB), "--seeds", str(SEEDS)]) == 0
    assert "No question log yet" in capsys.readouterr().out


def test_report_says_when_the_nearest_fact_cannot_answer(log, dev_engine):
    log.record("discord", "how many tika projects are there in laos", "no_answer", None, 0.2)
    report = text_report(log, dev_engine, days=30)
    assert "cannot answer it (answer type does not match)" in report
    assert "teach 'how many tika projects" not in report


def test_report_offers_the_teach_command_for_the_nearest_fact(log, dev_engine):
    log.record("discord", "what does tika think", "no_answer", None, 0.2)
    report = text_report(log, dev_engine, days=30)
    assert "python -m bot teach 'what does tika think' --fact tika-projects-in-laos" in report


def test_an_empty_log_says_that_only_discord_questions_are_logged(log, dev_engine):
    report = text_report(log, dev_engine, days=30)
    assert "No questions were logged in the last 30 days. Only questions asked in Discord" in report


def test_report_command_reads_the_log(tmp_path, capsys):
    log = QuestionLog(tmp_path / "questions.sqlite3")
    log.record("discord", "what is laos gdp", "no_answer", None, 0.2)
    log.close()
    assert main(["report", "--data", str(tmp_path), "--kb", str(DEV_KB), "--seeds", str(SEEDS)]) == 0
    assert "1× 'what is laos gdp'" in capsys.readouterr().out


# ------------------------------------------------------------------ drafting
@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_draft_writes_one_candidate_per_sentence_that_validate_refuses(project, capsys):
    article = project / "seeds" / "japan.txt"
    article.write_text("Japan and Laos signed a grant agreement in 2025.\nThe grant is worth $10 million.\n", encoding="utf-8")
    assert main(["draft", str(article), "--source", "japan-laos", "--kb", str(project / "knowledge")]) == 0
    out = capsys.readouterr().out
    assert "(2 candidate facts)" in out and "file: japan.txt" in out
    draft = (project / "knowledge" / "facts" / "draft-japan-laos.yaml").read_text(encoding="utf-8")
    assert "quote: Japan and Laos signed a grant agreement in 2025." in draft
    assert main(["validate", "--kb", str(project / "knowledge")]) == 1
    assert "answer still has a TODO marker" in capsys.readouterr().out


def test_draft_drafts_a_repeated_lead_once_and_its_source_entry_pastes_as_printed(project, capsys):
    article = project / "seeds" / "japan.txt"
    lead = "Japan and Laos signed a grant agreement in 2025."
    article.write_text(f"{lead}\n{lead}\nThe grant is worth $10 million.\n", encoding="utf-8")
    assert main(["draft", str(article), "--source", "japan-laos", "--kb", str(project / "knowledge")]) == 0
    out = capsys.readouterr().out
    assert "(2 candidate facts; 1 repeated sentences drafted once)" in out
    entry = out.split("with what the article shows:\n")[1]
    for field in ("id", "title", "publisher", "file", "authors", "published", "language", "url", "notes"):
        assert f"\n    {field}:" in "\n" + entry.replace("  - id:", "    id:"), field
    sources = project / "knowledge" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + entry, encoding="utf-8")
    (project / "knowledge" / "facts" / "draft-japan-laos.yaml").unlink()
    assert main(["validate", "--kb", str(project / "knowledge")]) == 1
    problems = capsys.readouterr().out.strip().splitlines()
    assert len(problems) == 4 and all("japan-laos:" in p and "TODO marker" in p for p in problems), problems


def test_a_repeated_sentence_is_cited_when_one_occurrence_is(make_kb):
    kb_dir = make_kb()
    seeds = kb_dir.parent / "seeds" / "examplia.txt"
    seeds.write_text(seeds.read_text() + "Examplia trains young diplomats at its academy every summer.\n")
    assert load_knowledge(kb_dir).coverage()["examplia"] == (5, 5)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "looks like a binary file"),
        (b"\xff\xfe not utf-8 \xff", "not UTF-8 text"),
        (b"a" * (5 * 1024 * 1024 + 1), "articles are limited to 5 MB"),
    ],
    ids=["empty", "binary", "not utf-8", "enormous"],
)
def test_draft_refuses_unusable_files_clearly(project, capsys, content, message):
    article = project / "seeds" / "bad.txt"
    article.write_bytes(content)
    assert main(["draft", str(article), "--source", "bad", "--kb", str(project / "knowledge")]) == 1
    assert message in capsys.readouterr().err
    assert not (project / "knowledge" / "facts" / "draft-bad.yaml").exists()


def test_draft_needs_the_article_inside_seeds(project, tmp_path, capsys):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("A sentence here.", encoding="utf-8")
    assert main(["draft", str(outside), "--source", "x-y", "--kb", str(project / "knowledge")]) == 2
    assert "is not in the seeds directory" in capsys.readouterr().err


# ------------------------------------------------------------------ coverage and warnings
def test_coverage_lists_uncited_sentences(make_kb, capsys):
    kb_dir = make_kb()
    (kb_dir.parent / "seeds" / "examplia.txt").write_text(
        (kb_dir.parent / "seeds" / "examplia.txt").read_text() + "A brand new sentence nobody cites yet.\n"
    )
    assert main(["coverage", "--kb", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "examplia: 4/5 factual sentences cited" in out and "  - A brand new sentence nobody cites yet." in out


def test_coverage_page_goes_to_the_data_directory_by_default(make_kb, tmp_path, capsys):
    assert main(["coverage", "--kb", str(make_kb()), "--html", "--data", str(tmp_path / "data")]) == 0
    assert (tmp_path / "data" / "coverage.html").is_file()
    assert f"wrote {tmp_path / 'data' / 'coverage.html'}" in capsys.readouterr().out


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(chromium() is None, reason="Debian's chromium is installed by .ci/run")
def test_coverage_page_renders_in_a_real_browser(make_kb, tmp_path):
    kb_dir = make_kb()
    seeds = kb_dir.parent / "seeds" / "examplia.txt"
    seeds.write_text(seeds.read_text() + "A brand new sentence nobody cites yet.\n")
    page = tmp_path / "coverage.html"
    assert main(["coverage", "--kb", str(kb_dir), "--html", str(page)]) == 0
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    # The page's own script counted what the browser rendered and read the computed colour.
    assert 'data-rendered="cited=4 uncited=1 colour=rgb(204, 238, 204)"' in result.stdout
    assert 'href="#fact-embassy-2017"' in result.stdout


def test_validate_warns_on_near_duplicate_phrasings(make_kb, capsys):
    extra = (
        "facts:\n  - id: academy\n    questions: [when did examplia open its embassies, a, b]\n"
        "    answer: x\n    citations:\n      - source: examplia\n        quote: Examplia trains\n"
    )
    kb_dir = make_kb({"knowledge/facts/extra.yaml": extra.replace("[when did examplia open its embassies, a, b]",
                                                                   "[when did examplia open its embassies, how about b, and c]")})
    assert main(["validate", "--kb", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "warning: embassy-2017: phrasing 'when did examplia open its embassy' is almost the same as academy" in out

