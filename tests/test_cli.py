"""The console commands, as a user and a moderator meet them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from bot.console.cli import main
from bot.console.render import render_text
from bot.engine.answer import CLAIM_CORRECTED
from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge

from .conftest import DEV_KB, ROOT, SEEDS

JSON_KEYS = {"question", "status", "confidence", "answer", "suggestions", "elapsed_ms", "nothing_asked"}


def test_ask_prints_answer_quote_and_source(make_kb, capsys):
    assert main(["ask", "when did examplia open its embassy", "--kb", str(make_kb())]) == 0
    out = capsys.readouterr().out
    assert "Examplia opened an embassy in Sampletown in 2017." in out
    assert "“The Republic of Examplia opened an embassy in Sampletown in 2017.”" in out
    assert "Examplia and Laos — Example News" in out


def test_ask_json_is_one_object_with_the_documented_fields(make_kb, capsys):
    assert main(["ask", "--json", "when did examplia open its embassy", "--kb", str(make_kb())]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == JSON_KEYS
    assert result["status"] == "answered"
    assert set(result["answer"]) == {"fact_id", "fact_ids", "text", "citations"}
    assert result["answer"]["citations"][0] == {
        "source": "examplia",
        "quote": "The Republic of Examplia opened an embassy in Sampletown in 2017.",
        "title": "Examplia and Laos",
        "publisher": "Example News",
    }


def test_ask_json_batch_answers_each_line_in_order(make_kb, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("examplia embassy year\n\nwhat is the weather\n"))
    assert main(["ask", "--json", "-", "--kb", str(make_kb())]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["question"] for line in lines] == ["examplia embassy year", "", "what is the weather"]
    assert [line["status"] for line in lines] == ["answered", "no_answer", "no_answer"]
    assert all(line["answer"] is None for line in lines[1:])


def test_ask_declines_politely_and_says_what_it_knows(make_kb, capsys):
    main(["ask", "how do i bake bread", "--kb", str(make_kb())])
    out = capsys.readouterr().out
    assert out.startswith("Sorry, I don't know that")
    assert "Examplia and Laos" in out


def test_ask_greets_a_thank_you_instead_of_apologising(make_kb, capsys):
    main(["ask", "thanks, that was helpful!", "--kb", str(make_kb())])
    out = capsys.readouterr().out
    assert out.startswith("Hi!") and "Sorry" not in out
    assert "Examplia and Laos" in out


def test_unknown_flag_is_one_line_and_exit_2(capsys):
    assert main(["ask", "--bogus", "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments: --bogus" in err[0]


def test_missing_knowledge_directory_is_exit_2(tmp_path, capsys):
    assert main(["ask", "x", "--kb", str(tmp_path / "missing")]) == 2
    assert "knowledge directory not found" in capsys.readouterr().err


def test_chat_answers_and_a_number_picks_a_suggestion(make_kb, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("examplia\n1\nquit\n"))
    assert main(["chat", "--kb", str(make_kb())]) == 0
    out = capsys.readouterr().out
    assert "Maybe one of these helps:" in out
    assert "(fact " in out.split("Maybe one of these helps:")[1]


def test_chat_ends_cleanly_on_end_of_input(make_kb, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["chat", "--kb", str(make_kb())]) == 0


def test_eval_exits_1_below_target(make_kb, tmp_path, capsys):
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        'cases:\n  - q: "what is the capital of examplia"\n    kind: paraphrase\n'
        '    expect: ["opened an embassy in Sampletown"]\n',
        encoding="utf-8",
    )
    assert main(["eval", str(cases), "--kb", str(make_kb())]) == 1
    assert "below target: answerable accuracy 0.0% < 80%" in capsys.readouterr().out


def test_eval_with_a_malformed_file_is_exit_2(make_kb, tmp_path, capsys):
    cases = tmp_path / "cases.yaml"
    cases.write_text("questions: []\n", encoding="utf-8")
    assert main(["eval", str(cases), "--kb", str(make_kb())]) == 2
    assert "expected a top-level 'cases:' list" in capsys.readouterr().err


def test_python_dash_m_bot_runs_from_the_project_root():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "who wrote the article about to lam's visit"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) == JSON_KEYS


@pytest.mark.parametrize("command", [["validate"], ["eval", str(ROOT / "tests" / "data" / "dev.yaml")]])
def test_commands_accept_kb_and_seeds(command, capsys):
    """0, or 1 for an eval below its targets: either way the knowledge was found and used."""
    assert main([*command, "--kb", str(DEV_KB), "--seeds", str(SEEDS)]) in (0, 1)
    assert "not found" not in capsys.readouterr().err


def test_bench_prints_a_row_per_size_beside_the_baseline(capsys):
    assert main(["bench", "--sizes", "200", "--queries", "20"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("bundled knowledge (first start, vectors shipped") and "p99" in lines[0]
    assert lines[1].startswith("bundled knowledge (first start, no vectors shipped")
    assert lines[2].startswith("bundled knowledge (warm start")
    header = lines[4].split()
    assert header[:3] == ["facts", "cold", "warm"] and {"edit:bot", "validate", "baseline"} <= set(header)
    row = lines[5].split()
    assert row[0] == "200" and len(row) == len(header) and row[-1].endswith("x")


def test_the_console_says_a_claim_was_wrong_before_the_answer():
    engine = Engine(load_knowledge(ROOT / "knowledge"))
    fact = engine.kb.facts[0]
    text = render_text(replace(engine.show(fact.id), corrects_claim=True), engine.kb)
    assert text.index(CLAIM_CORRECTED) < text.index(fact.answer[:20])
