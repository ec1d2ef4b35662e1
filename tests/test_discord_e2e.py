"""End to end: `python -m bot run`, unmodified, with the real discord.py client, against a fake
Discord on 127.0.0.1 (tests/fake_discord.py). What users see is what these tests read."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge.loader import load_knowledge

from .conftest import DEV_KB, ROOT, SEEDS
from .fake_discord import GOOD_TOKEN, MESSAGE_CONTENT_INTENT, FakeDiscord, Recorded

LAUNCHER = Path(__file__).with_name("run_bot_against_fake.py")
EPHEMERAL = 1 << 6
DEV_FACTS = len(load_knowledge(DEV_KB, SEEDS).facts)  # the bot serves a copy of the frozen dev knowledge
_users = itertools.count(930000000000000100)


@dataclass
class Running:
    fake: FakeDiscord
    process: subprocess.Popen
    kb_dir: Path

    def new_member(self) -> int:
        """A fresh ordinary member (each has its own cooldown)."""
        return next(_users)

    def ask(self, question: str, user_id: int | None = None) -> dict:
        interaction_id, _ = self.fake.slash("ask", [{"name": "question", "type": 3, "value": question}], user_id or self.new_member())
        return self.callback(interaction_id)

    def callback(self, interaction_id: str) -> dict:
        return self.fake.wait_for(lambda r: r.path.startswith(f"/interactions/{interaction_id}/")).body

    def kb(self, subcommand: str, user_id: int, options: list | None = None) -> str:
        data_options = [{"name": subcommand, "type": 1, "options": options or []}]
        interaction_id, token = self.fake.interaction(2, {"id": self.fake.new_id(), "name": "kb", "type": 1, "options": data_options}, user_id)
        return interaction_id + "|" + token


def start_bot(fake: FakeDiscord, tmp_path: Path, token: str = GOOD_TOKEN, output: Any = subprocess.PIPE,
              **env: str) -> tuple[subprocess.Popen, Path]:
    kb_dir = tmp_path / "knowledge"
    if not kb_dir.exists():
        shutil.copytree(DEV_KB, kb_dir)
        shutil.copytree(SEEDS, tmp_path / "seeds")
    environment = {
        **os.environ, "DISCORD_TOKEN": token, "KB_DIR": str(kb_dir), "DATA_DIR": str(tmp_path / "data"),
        "DISCORD_GUILD_ID": str(fake.guild_id), "MODERATOR_ROLE_ID": str(fake.moderator_role_id), **env,
    }
    process = subprocess.Popen(
        [sys.executable, str(LAUNCHER), f"http://127.0.0.1:{fake.port}"], cwd=tmp_path, env=environment,
        stdout=output, stderr=output, text=True,
    )
    return process, kb_dir


def test_a_started_bot_imports_this_checkouts_code(tmp_path):
    """The package may be installed editable from another checkout; the bot must run this one."""
    result = subprocess.run([sys.executable, "-c", "import bot; print(bot.__file__)"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert Path(result.stdout.strip()).is_relative_to(ROOT)


@contextlib.contextmanager
def serving(fake: FakeDiscord, process: subprocess.Popen, kb_dir: Path) -> Iterator[Running]:
    """The started bot once it is connected and has synced its commands; stopped afterwards."""
    try:
        if not fake.identified.wait(60):
            process.kill()
            raise AssertionError("bot never identified:\n" + str(process.communicate()[1]))
        fake.wait_for(lambda r: r.method == "PUT" and r.path.endswith("/commands"), timeout=30)
        yield Running(fake, process, kb_dir)
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        fake.stop()


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Iterator[Running]:
    fake = FakeDiscord()
    fake.start()
    process, kb_dir = start_bot(fake, tmp_path_factory.mktemp("bot"), ANSWER_CHANNEL_IDS=str(fake.answer_channel_id))
    with serving(fake, process, kb_dir) as bot:
        yield bot


def embed_of(callback: dict) -> dict:
    return callback["data"]["embeds"][0]


def embed_length(embed: dict) -> int:
    fields = sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return len(embed.get("title", "")) + len(embed.get("description", "")) + fields + len(embed.get("footer", {}).get("text", ""))


def assert_within_discord_limits(payload: dict) -> None:
    assert len(payload.get("content") or "") <= 2000
    for embed in payload.get("embeds") or []:
        assert len(embed.get("title", "")) <= 256
        assert len(embed.get("description", "")) <= 4096
        assert len(embed.get("fields", [])) <= 25
        for field in embed.get("fields", []):
            assert len(field["name"]) <= 256 and len(field["value"]) <= 1024
        assert len(embed.get("footer", {}).get("text", "")) <= 2048
        assert embed_length(embed) <= 6000
    for row in payload.get("components") or []:
        assert len(row["components"]) <= 5
        for button in row["components"]:
            assert len(button.get("label", "")) <= 80 and len(button["custom_id"]) <= 100


# ------------------------------------------------------------------ startup
def test_commands_are_synced_once_at_startup(running):
    syncs = [r for r in running.fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(syncs) == 1
    assert syncs[0].path == f"/applications/{running.fake.application_id}/guilds/{running.fake.guild_id}/commands"
    commands = {c["name"]: c for c in syncs[0].body}
    assert set(commands) == {"ask", "kb"}
    assert {o["name"] for o in commands["kb"]["options"]} == {"reload", "stats", "fact", "unanswered", "feedback", "teach"}
    assert int(commands["kb"]["default_member_permissions"]) == 1 << 5  # Manage Server


# ------------------------------------------------------------------ /ask
def test_ask_answers_with_quote_source_and_footer(running):
    callback = running.ask("When did Türkiye open its embassy in Vientiane?")
    assert callback["type"] == 4
    embed = embed_of(callback)
    assert "2017" in embed["description"]
    field = embed["fields"][0]
    assert field["name"].startswith("Türkiye and Laos")
    assert "> A key turning point in bilateral relations occurred in 2017" in field["value"]
    assert "KPL" in field["value"] and "By: Vankham Phetphaivanh" in field["value"]
    assert embed["footer"]["text"].startswith("fact turkiye-embassy-vientiane-2017 · confidence")
    assert not callback["data"].get("flags", 0) & EPHEMERAL


def buttons_of(payload: dict) -> list[dict]:
    return [b for row in payload.get("components") or [] for b in row["components"]]


def test_an_answer_offers_related_facts_and_feedback_as_buttons(running):
    callback = running.ask("When did Türkiye open its embassy in Vientiane?")
    custom_ids = [b["custom_id"] for b in buttons_of(callback["data"])]
    related = [c for c in custom_ids if c.startswith("qa:fact:")]
    votes = [c for c in custom_ids if c.startswith("qa:vote:")]
    assert 1 <= len(related) <= 3
    assert [v.split(":")[2] for v in votes] == ["up", "down"]


def click(running: Running, answer: dict, custom_id: str, user_id: int) -> dict:
    message = running.fake._message(answer)
    data = {"custom_id": custom_id, "component_type": 2}
    interaction_id, _ = running.fake.interaction(3, data, user_id, message=message)
    return running.callback(interaction_id)


def test_thumbs_feed_the_moderators_feedback_report(running):
    answer = running.ask("what does tika do in laos")["data"]
    down = next(b["custom_id"] for b in buttons_of(answer) if b["custom_id"].startswith("qa:vote:down"))
    up = down.replace(":down:", ":up:")
    voter = running.new_member()
    thanks = click(running, answer, up, voter)
    assert thanks["data"]["content"] == "Thanks for the feedback!" and thanks["data"]["flags"] & EPHEMERAL
    click(running, answer, down, voter)  # changes the same person's vote
    click(running, answer, down, running.new_member())
    report = followup_after(running, running.kb("feedback", running.fake.moderator_id)).body
    line = next(line for line in report["embeds"][0]["description"].splitlines() if "tika-projects-in-laos" in line)
    assert line.startswith("👎 2 · 👍 0")
    assert str(voter) not in str(report)


def test_ask_clarifies_between_close_candidates(running):
    callback = running.ask("turkey 2017")
    assert embed_of(callback)["title"] == "Did you mean…"
    assert len(callback["data"]["components"][0]["components"]) >= 2


def test_ask_declines_politely_with_what_it_knows(running):
    embed = embed_of(running.ask("how do i bake sourdough bread"))
    assert embed["title"] == "Sorry, I don't know that"
    assert any(f["name"] == "What I know about" for f in embed["fields"])


def test_autocomplete_offers_at_most_25_short_known_questions(running):
    data = {"id": running.fake.new_id(), "name": "ask", "type": 1,
            "options": [{"name": "question", "type": 3, "value": "embassy", "focused": True}]}
    interaction_id, _ = running.fake.interaction(4, data, running.new_member())
    callback = running.callback(interaction_id)
    assert callback["type"] == 8
    choices = callback["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert any("embassy" in c["name"] for c in choices)


def test_a_cooldown_answers_with_a_friendly_ephemeral_message(running):
    user = running.new_member()
    running.ask("who wrote the kpl article", user)
    callback = running.ask("who wrote the kpl article", user)
    assert callback["data"]["flags"] & EPHEMERAL
    assert "wait" in callback["data"]["content"]


# ------------------------------------------------------------------ mentions and buttons
def test_a_mention_gets_a_reply_to_that_message(running):
    message_id = running.fake.message(f"<@{running.fake.bot_id}> who invited To Lam to Laos?", running.new_member(), mention_bot=True)
    reply = running.fake.wait_for(lambda r: r.method == "POST" and r.path == f"/channels/{running.fake.channel_id}/messages"
                                  and str((r.body.get("message_reference") or {}).get("message_id")) == message_id).body
    assert "Thongloun Sisoulith" in reply["embeds"][0]["description"]
    assert reply["allowed_mentions"]["parse"] == []


def test_a_message_without_a_mention_is_ignored(running):
    before = len(running.fake.requests)
    running.fake.message("who invited To Lam to Laos?", running.new_member(), mention_bot=False)
    time.sleep(1.0)
    assert not [r for r in running.fake.requests[before:] if r.path.endswith("/messages")]


def test_an_answer_channel_answers_plain_questions_when_sure(running):
    message_id = running.fake.message("who invited To Lam to Laos?", running.new_member(), mention_bot=False,
                                      channel_id=running.fake.answer_channel_id)
    reply = running.fake.wait_for(lambda r: r.path == f"/channels/{running.fake.answer_channel_id}/messages"
                                  and str((r.body.get("message_reference") or {}).get("message_id")) == message_id).body
    assert "Thongloun Sisoulith" in reply["embeds"][0]["description"]


def test_an_answer_channel_stays_silent_on_chatter(running):
    before = len(running.fake.requests)
    running.fake.message("lol anyone up for lunch?", running.new_member(), mention_bot=False,
                         channel_id=running.fake.answer_channel_id)
    time.sleep(1.0)
    assert not [r for r in running.fake.requests[before:] if r.path.endswith("/messages")]


def test_direct_messages_are_answered(running):
    running.fake.message("who invited To Lam to Laos?", running.new_member(), mention_bot=False, dm=True)
    reply = running.fake.wait_for(lambda r: r.path == f"/channels/{running.fake.dm_channel_id}/messages").body
    assert "Thongloun Sisoulith" in reply["embeds"][0]["description"]


def test_a_related_fact_button_shows_that_fact_to_the_clicker_only(running):
    answer = running.ask("When did Türkiye open its embassy in Vientiane?")["data"]
    message = running.fake._message(answer)  # the message as users see it, buttons included
    button = next(b for row in answer["components"] for b in row["components"] if "cavusoglu" in b["custom_id"])
    data = {"custom_id": button["custom_id"], "component_type": 2}
    interaction_id, _ = running.fake.interaction(3, data, running.new_member(), message=message)
    callback = running.callback(interaction_id)
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    assert "Çavuşoğlu" in embed_of(callback)["description"]


# ------------------------------------------------------------------ hostile input
HOSTILE = [
    "@everyone @here what is TIKA?",
    "x" * 5000,
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` what is TIKA",
    "what\u200b is\u200d TI\u200cKA\ufeff?",
    "<@&123456789012345678> <@123> who is nguyen manh cuong",
]


@pytest.mark.parametrize("question", HOSTILE, ids=["everyone", "5000 chars", "markdown", "zero-width", "role mention"])
def test_hostile_mentions_get_a_sane_reply_that_pings_nobody(running, question):
    message_id = running.fake.message(f"<@{running.fake.bot_id}> {question}", running.new_member(), mention_bot=True)
    reply = running.fake.wait_for(lambda r: r.path.endswith("/messages") and
                                  str((r.body.get("message_reference") or {}).get("message_id")) == message_id).body
    assert reply["allowed_mentions"]["parse"] == [] and reply["allowed_mentions"].get("replied_user") is False
    assert_within_discord_limits(reply)
    text = str(reply["embeds"])
    assert "@everyone" not in text.replace("@\u200beveryone", "") and "**bold**" not in text


def test_every_reply_pings_nobody_and_respects_limits(running):
    sent = [r for r in running.fake.requests if r.method in ("POST", "PATCH") and isinstance(r.body, dict)
            and not r.path.endswith("/commands")]
    assert sent
    for request in sent:
        payload = request.body.get("data", request.body) if request.path.endswith("/callback") else request.body
        if "choices" in payload:
            continue
        if payload.get("embeds") or payload.get("content"):
            assert payload["allowed_mentions"]["parse"] == [], request.path
        assert_within_discord_limits(payload)


# ------------------------------------------------------------------ moderators
def followup_after(running: Running, handle: str) -> Recorded:
    interaction_id, token = handle.split("|")
    running.callback(interaction_id)
    return running.fake.wait_for(lambda r: r.path.startswith("/webhooks/") and token in r.path and r.method == "POST")


def test_kb_reload_works_for_a_moderator(running):
    reply = followup_after(running, running.kb("reload", running.fake.moderator_id)).body
    assert reply["content"].startswith(f"Reloaded: {DEV_FACTS} facts")
    assert reply["flags"] & EPHEMERAL


TIKA_ID = {"name": "id", "type": 3, "value": "tika-projects-in-laos"}
KB_OPTIONS = {"reload": [], "stats": [], "fact": [TIKA_ID], "unanswered": [], "feedback": [],
              "teach": [{"name": "question", "type": 3, "value": "is tika a bakery"}, TIKA_ID]}


@pytest.mark.parametrize("subcommand", KB_OPTIONS)
def test_kb_commands_are_refused_for_a_normal_member(running, subcommand):
    interaction_id, _ = running.kb(subcommand, running.fake.member_id, KB_OPTIONS[subcommand]).split("|")
    callback = running.callback(interaction_id)
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"].startswith("Only moderators")


def test_manage_server_permission_also_makes_a_moderator(running):
    interaction_id, _ = running.kb("stats", running.fake.admin_id).split("|")
    embed = embed_of(running.callback(interaction_id))
    assert embed["title"] == "Knowledge base" and f"facts: {DEV_FACTS}" in embed["description"]


def test_kb_unanswered_groups_declined_questions_without_identities(running):
    asker = running.new_member()
    running.ask("what is the best pho in vientiane", asker)
    running.ask("best pho vientiane?")
    report = followup_after(running, running.kb("unanswered", running.fake.moderator_id)).body
    description = report["embeds"][0]["description"]
    assert "2× " in description and "best pho" in description
    assert str(asker) not in str(report)



def test_a_thank_you_is_not_kept_among_unanswered_questions(running):
    running.ask("thanks, that was really helpful!!")
    report = followup_after(running, running.kb("unanswered", running.fake.moderator_id)).body
    assert "really helpful" not in str(report)


def test_kb_fact_shows_a_fact_with_id_autocomplete(running):
    interaction_id, _ = running.kb("fact", running.fake.moderator_id, [{"name": "id", "type": 3, "value": "tika-projects-in-laos"}]).split("|")
    assert "TIKA" in embed_of(running.callback(interaction_id))["description"]
    options = [{"name": "fact", "type": 1, "options": [{"name": "id", "type": 3, "value": "tika", "focused": True}]}]
    interaction_id, _ = running.fake.interaction(4, {"id": running.fake.new_id(), "name": "kb", "type": 1, "options": options}, running.fake.moderator_id)
    choices = running.callback(interaction_id)["data"]["choices"]
    assert choices[0]["value"] == "tika-projects-in-laos" and len(choices) <= 25


def test_kb_teach_writes_the_question_into_the_fact_file(running):
    options = [{"name": "question", "type": 3, "value": "is tika a football club"},
               {"name": "id", "type": 3, "value": "tika-projects-in-laos"},
               {"name": "not_this_fact", "type": 5, "value": True}]
    reply = followup_after(running, running.kb("teach", running.fake.moderator_id, options)).body
    assert reply["content"].startswith("Written to turkiye-laos.yaml: 'is tika a football club' is now a question")
    assert reply["flags"] & EPHEMERAL
    assert "      - is tika a football club\n" in (running.kb_dir / "facts" / "turkiye-laos.yaml").read_text(encoding="utf-8")


def test_long_reports_page_with_buttons(running):
    words = "moon bread piano glacier tulip volcano kettle walrus saffron comet lantern orchid".split()
    for n in range(12):  # unlike each other, so each is a group of its own
        running.ask(f"why does the {words[n]} {words[(n * 5 + 3) % 12]} {words[(n * 7 + 1) % 12]} fade {n * 7919}")
    followup = followup_after(running, running.kb("unanswered", running.fake.moderator_id))
    first = followup.body["embeds"][0]
    assert first["footer"]["text"].startswith("page 1 of ")
    message = followup.response  # the message the follow-up created, with its ◀ ▶ buttons
    forward = next(b for b in buttons_of(message) if b.get("label") == "▶")
    data = {"custom_id": forward["custom_id"], "component_type": 2}
    interaction_id, _ = running.fake.interaction(3, data, running.fake.moderator_id, message=message)
    callback = running.callback(interaction_id)
    assert callback["type"] == 7  # the same message, edited in place
    assert callback["data"]["embeds"][0]["footer"]["text"].startswith("page 2 of ")


def test_kb_stats_reports_the_answer_rate(running):
    interaction_id, _ = running.kb("stats", running.fake.moderator_id).split("|")
    description = embed_of(running.callback(interaction_id))["description"]
    assert "Answer rate, last 7 days:" in description


def test_a_broken_save_keeps_the_old_knowledge_and_moderators_see_why(running):
    facts_file = running.kb_dir / "facts" / "turkiye-laos.yaml"
    good = facts_file.read_text(encoding="utf-8")
    try:
        facts_file.write_text(good.replace("  - id: tika-projects-in-laos\n", "  - id: tika-projects-in-laos\n    bogus: [\n"), encoding="utf-8")
        time.sleep(3)  # the file watcher reloads (and fails) by itself
        assert "TIKA" in embed_of(running.ask("what does tika do in laos"))["description"]
        reply = followup_after(running, running.kb("reload", running.fake.moderator_id)).body
        assert reply["content"].startswith(f"Reload failed; still serving the previous knowledge ({DEV_FACTS} facts)")
        assert "turkiye-laos.yaml:" in reply["content"] and "YAML syntax error" in reply["content"]
    finally:
        facts_file.write_text(good, encoding="utf-8")


# ------------------------------------------------------------------ startup failures
def run_to_exit(tmp_path: Path, fake: FakeDiscord, token: str, **env: str) -> subprocess.CompletedProcess:
    process, _ = start_bot(fake, tmp_path, token=token, **env)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    server = FakeDiscord(refuse_intents=MESSAGE_CONTENT_INTENT)
    server.start()
    yield server
    server.stop()


def test_a_rejected_token_ends_with_one_clear_line_and_never_shows_it(tmp_path, fake):
    bad = "wrong.token.value-123"
    result = run_to_exit(tmp_path, fake, bad)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: Discord rejected DISCORD_TOKEN")
    assert "Traceback" not in result.stderr
    assert bad not in result.stdout + result.stderr


def test_a_missing_privileged_intent_ends_with_one_clear_line(tmp_path, fake):
    result = run_to_exit(tmp_path, fake, GOOD_TOKEN, ANSWER_CHANNEL_IDS=str(fake.channel_id))
    assert result.returncode == 1
    assert "Message Content intent" in result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr
    assert GOOD_TOKEN not in result.stdout + result.stderr


def test_a_missing_token_ends_with_one_clear_line(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: DISCORD_TOKEN is not set")
