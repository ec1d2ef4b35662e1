"""`teach`: a logged question becomes a phrasing of a fact (or a "not this fact" example), layout kept."""

from __future__ import annotations

import difflib

from bot.console.cli import main
from bot.engine.pipeline import Engine
from bot.knowledge.loader import load_knowledge

QUESTION = "did examplia ever put up a mission in sampletown"


def added_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_a_taught_question_is_answered_by_its_fact(make_kb, capsys):
    kb_dir = make_kb()
    assert main(["teach", QUESTION, "--fact", "embassy-2017", "--kb", str(kb_dir)]) == 0
    assert f"added {QUESTION!r} as a phrasing of embassy-2017" in capsys.readouterr().out
    answer = Engine(load_knowledge(kb_dir)).ask(QUESTION)
    assert answer.status == "answered" and answer.fact.id == "embassy-2017"


def test_teaching_adds_one_line_and_keeps_comments_and_layout(make_kb):
    kb_dir = make_kb()
    path = kb_dir / "facts" / "examplia.yaml"
    before = "# Facts about Examplia.\n" + path.read_text(encoding="utf-8").replace(
        "    answer: Examplia opened", "    # the answer, in our words\n    answer: >-\n      Examplia opened", 1)
    path.write_text(before, encoding="utf-8")
    assert main(["teach", QUESTION, "--fact", "embassy-2017", "--kb", str(kb_dir)]) == 0
    assert added_lines(before, path.read_text(encoding="utf-8")) == [f"+      - {QUESTION}"]


def test_not_this_fact_goes_right_after_the_questions(make_kb):
    kb_dir = make_kb()
    path = kb_dir / "facts" / "examplia.yaml"
    before = path.read_text(encoding="utf-8")
    assert main(["teach", "what is the embassy's phone number", "--fact", "embassy-2017", "--not", "--kb", str(kb_dir)]) == 0
    after = path.read_text(encoding="utf-8")
    assert added_lines(before, after) == ["+    not_questions:", "+      - what is the embassy's phone number"]
    assert load_knowledge(kb_dir).fact("embassy-2017").not_questions == ("what is the embassy's phone number",)


def test_a_teach_that_would_break_validation_writes_nothing(make_kb, capsys):
    kb_dir = make_kb()
    path = kb_dir / "facts" / "examplia.yaml"
    before = path.read_text(encoding="utf-8")
    assert main(["teach", "examplia laos trade volume", "--fact", "embassy-2017", "--kb", str(kb_dir)]) == 1
    err = capsys.readouterr().err
    assert "is also a question of fact" in err and "nothing was written" in err
    assert path.read_text(encoding="utf-8") == before


def test_teaching_an_unknown_fact_or_a_known_phrasing_is_refused(make_kb, capsys):
    kb_dir = make_kb()
    assert main(["teach", QUESTION, "--fact", "no-such-fact", "--kb", str(kb_dir)]) == 1
    assert "no fact 'no-such-fact'" in capsys.readouterr().err
    assert main(["teach", "Examplia embassy year?", "--fact", "embassy-2017", "--kb", str(kb_dir)]) == 1
    assert "embassy-2017 already has 'Examplia embassy year?' in questions" in capsys.readouterr().err
