"""Issue 10, console: bad input gets one clear message naming its cause (file:line), a meaningful
exit status, never a traceback, and nothing is lost."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from bot.console.cli import main

from .conftest import FACTS, ROOT

BROKEN_FACTS = FACTS.replace("answer: Examplia opened an embassy", "anwser: Examplia opened an embassy")


def problem_lines(main_args: list[str], capsys) -> tuple[int, list[str]]:
    status = main(main_args)
    captured = capsys.readouterr()
    return status, [line for line in (captured.out + captured.err).splitlines() if line]


# ------------------------------------------------------------------ 1. every command, the same problem list
@pytest.mark.parametrize("command", [["ask", "x"], ["ask", "--json", "-"], ["chat"], ["coverage"],
                                     ["eval", str(ROOT / "tests" / "data" / "dev.yaml")]],
                         ids=["ask", "ask-json-batch", "chat", "coverage", "eval"])
def test_every_command_prints_the_validate_problem_list_and_exits_1(make_kb, capsys, monkeypatch, command):
    kb_dir = make_kb({"knowledge/facts/examplia.yaml": BROKEN_FACTS})
    monkeypatch.setattr(sys, "stdin", io.StringIO("a question\n"))
    assert main(["validate", "--kb", str(kb_dir)]) == 1
    expected = capsys.readouterr()
    status, lines = problem_lines([*command, "--kb", str(kb_dir)], capsys)
    assert status == 1
    assert lines == (expected.out + expected.err).splitlines()
    assert any("unknown key 'anwser'" in line for line in lines)


def test_a_broken_knowledge_base_never_shows_a_traceback_from_python_dash_m(make_kb):
    kb_dir = make_kb({"knowledge/facts/examplia.yaml": BROKEN_FACTS})
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "x", "--kb", str(kb_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "examplia.yaml:" in result.stderr and "unknown key 'anwser'" in result.stderr


# ------------------------------------------------------------------ 2. the documented draft workflow
def test_a_fresh_draft_can_be_tried_with_ask_before_its_todos_are_written(make_kb, capsys):
    kb_dir = make_kb()
    article = kb_dir.parent / "seeds" / "japan.txt"
    article.write_text("Japan and Laos signed a grant agreement in 2025.\nThe grant is worth $10 million.\n", encoding="utf-8")
    assert main(["draft", str(article), "--source", "japan-laos", "--kb", str(kb_dir)]) == 0
    entry = capsys.readouterr().out.split("article shows:\n", 1)[1]
    with (kb_dir / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(entry)  # step 2: the printed entry as printed (indented), TODOs still in it
    assert main(["ask", "when did examplia open its embassy", "--kb", str(kb_dir)]) == 0
    captured = capsys.readouterr()
    assert "Examplia opened an embassy in Sampletown in 2017." in captured.out
    warning = captured.err.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("warning: 3 unfinished draft entries still marked TODO")
    assert "facts/draft-japan-laos.yaml:" in warning[0] and "left out" in warning[0]


def test_validate_still_refuses_a_draft_that_ask_leaves_out(make_kb, capsys):
    draft = FACTS.replace("answer: Examplia trains young diplomats", "answer: TODO write it")
    assert main(["validate", "--kb", str(make_kb({"knowledge/facts/examplia.yaml": draft}))]) == 1
    assert "answer still has a TODO marker" in capsys.readouterr().out


# ------------------------------------------------------------------ 3, 4, 5. the YAML reader
def validate_lines(make_kb, capsys, files: dict[str, str]) -> list[str]:
    kb_dir = make_kb({f"knowledge/{path}": text for path, text in files.items()})
    status = main(["validate", "--kb", str(kb_dir)])
    captured = capsys.readouterr()
    assert status == 1 and "Traceback" not in captured.err
    return captured.out.replace(f"{kb_dir.parent}/", "").splitlines()


def test_a_5000_digit_number_is_named_at_its_line(make_kb, capsys):
    facts = FACTS.replace("  - id: trade-2024\n", "  - id: trade-2024\n    weight: " + "9" * 5000 + "\n")
    lines = validate_lines(make_kb, capsys, {"facts/examplia.yaml": facts})
    assert lines == ["knowledge/facts/examplia.yaml:13: a number of 5,000 digits is too long (put it in quotes if it is text)"]


def test_an_impossible_date_is_named_at_its_line(make_kb, capsys):
    sources = "sources:\n  - id: examplia\n    title: T\n    publisher: P\n    file: examplia.txt\n    published: 2024-02-31\n"
    lines = validate_lines(make_kb, capsys, {"sources.yaml": sources})
    assert lines[0].startswith("knowledge/sources.yaml:6: '2024-02-31' is not a valid timestamp")


@pytest.mark.parametrize("tag", ["!!binary", "!!set", "!custom", "!!python/str"])
def test_a_tag_on_a_scalar_is_refused_at_its_line_naming_it(make_kb, capsys, tag):
    facts = FACTS.replace("      - examplia embassy year\n", f"      - {tag} ZXhhbXBsaWEgZW1iYXNzeQ==\n")
    lines = validate_lines(make_kb, capsys, {"facts/examplia.yaml": facts})
    assert lines[0].startswith("knowledge/facts/examplia.yaml:5: YAML tag '") and "is not allowed" in lines[0]


def test_a_nul_byte_is_reported_at_its_line(make_kb, capsys):
    facts = FACTS.replace("examplia embassy year", "examplia\x00 embassy year")
    lines = validate_lines(make_kb, capsys, {"facts/examplia.yaml": facts})
    assert lines[0].startswith("knowledge/facts/examplia.yaml:5: the character U+0000 is not allowed")


def test_a_source_file_that_is_a_directory_is_said_to_be_a_directory(make_kb, capsys):
    kb_dir = make_kb()
    (kb_dir.parent / "seeds" / "folder").mkdir()
    (kb_dir / "sources.yaml").write_text((kb_dir / "sources.yaml").read_text().replace("examplia.txt", "folder"))
    assert main(["validate", "--kb", str(kb_dir)]) == 1
    assert "/knowledge/sources.yaml:5: examplia: file 'folder' is a directory" in capsys.readouterr().out


def test_an_unterminated_quote_is_reported_where_it_opens(make_kb, capsys):
    facts = FACTS.replace("      - examplia embassy year\n", '      - "examplia embassy year\n')
    lines = validate_lines(make_kb, capsys, {"facts/examplia.yaml": facts})
    assert lines[0].startswith("knowledge/facts/examplia.yaml:5: YAML syntax error: the quote that opens on this line is never closed")


def test_an_unterminated_quote_at_the_end_is_reported_where_it_opens(make_kb, capsys):
    lines = validate_lines(make_kb, capsys, {"facts/examplia.yaml": FACTS + '  - id: "last\n    tags: [a]\n'})
    assert lines[0].startswith("knowledge/facts/examplia.yaml:39: YAML syntax error: the quote that opens")


def test_a_byte_order_mark_is_harmless(make_kb, capsys):
    kb_dir = make_kb()
    path = kb_dir / "facts" / "examplia.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["validate", "--kb", str(kb_dir)]) == 0


# ------------------------------------------------------------------ 6. root causes first, dependents folded
def test_a_bad_source_file_is_reported_once_with_its_citations_folded(make_kb, capsys):
    kb_dir = make_kb()
    (kb_dir / "sources.yaml").write_text((kb_dir / "sources.yaml").read_text().replace("examplia.txt", "gone.txt"))
    assert main(["validate", "--kb", str(kb_dir)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].endswith(": examplia: file 'gone.txt' not found in "
                                                 f"{kb_dir}/../seeds (…and 4 citations to this source)")


def test_a_broken_sources_file_comes_first_and_folds_every_citation(make_kb, capsys):
    kb_dir = make_kb({"knowledge/sources.yaml": "sources: [\n"})
    assert main(["validate", "--kb", str(kb_dir)]) == 1
    lines = capsys.readouterr().out.replace(f"{kb_dir.parent}/", "").splitlines()
    assert len(lines) == 1 and lines[0].startswith("knowledge/sources.yaml:2: YAML syntax error")
    assert lines[0].endswith("(…and 4 citations to a source of this file)")


def test_an_unknown_key_does_not_hide_the_other_problems(make_kb, capsys):
    facts = (FACTS.replace("    related: [minister-visit-2018]\n", "    related: [minister-visit-2018]\n    source_url: x\n")
             .replace("quote: Trade between Examplia", "quote: Trade between Atlantis")
             .replace("      - ana vega visit", "      - examplia embassy year")
             .replace("related: [minister-visit-2018]", "related: [minister-visit-2019]"))
    kb_dir = make_kb({"knowledge/facts/examplia.yaml": facts, "knowledge/aliases.yaml": "aliases:\n  x: [Examplia]\n  y: [examplia]\n"})
    assert main(["validate", "--kb", str(kb_dir)]) == 1
    out = capsys.readouterr().out
    for fragment in ("unknown key 'source_url'", "related fact 'minister-visit-2019' does not exist",
                     "quote not found in source 'examplia'", "is also a question of fact 'embassy-2017'",
                     "'examplia' is also an alias of 'x'"):
        assert fragment in out, out


def test_a_fact_that_fails_its_schema_is_still_a_known_related_target(make_kb, capsys):
    facts = FACTS.replace("  - id: minister-visit-2018\n", "  - id: minister-visit-2018\n    tags: 7\n")
    assert main(["validate", "--kb", str(make_kb({"knowledge/facts/examplia.yaml": facts}))]) == 1
    out = capsys.readouterr().out
    assert "must be a list" in out and "does not exist" not in out


# ------------------------------------------------------------------ 7. ask --json - output
def run_batch(kb_dir, data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "-", "--kb", str(kb_dir)],
                          cwd=ROOT, input=data, capture_output=True, timeout=120)


def test_ask_json_batch_writes_valid_utf8_json_for_undecodable_input(make_kb):
    result = run_batch(make_kb(), b"examplia \xff\xfe embassy\n\xed\xa0\x80 lone surrogate\nline\xe2\x80\xa8separator\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split(b"\n")[:-1]
    answers = [json.loads(line.decode("utf-8", "strict")) for line in lines]
    assert [a["question"] for a in answers] == ["examplia \ufffd\ufffd embassy", "\ufffd\ufffd\ufffd lone surrogate",
                                               "line\u2028separator"]


def test_ask_with_an_undecodable_argument_prints_valid_utf8(make_kb):
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", b"embassy \xff", "--kb", str(make_kb())],
                            cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == 0
    assert json.loads(result.stdout.decode("utf-8", "strict"))["question"] == "embassy \ufffd"


# ------------------------------------------------------------------ 8. usage errors
def test_coverage_html_into_a_missing_folder_is_a_usage_error(make_kb, tmp_path, capsys):
    assert main(["coverage", "--html", str(tmp_path / "nowhere" / "c.html"), "--kb", str(make_kb())]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the folder" in err[0] and "does not exist" in err[0]


@pytest.mark.parametrize("days", ["-5", "0", "x"])
def test_report_days_must_be_a_positive_number(tmp_path, capsys, days):
    assert main(["report", "--days", days, "--kb", str(ROOT / "knowledge"), "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "argument --days" in err[0]


def test_a_file_that_cannot_be_written_is_one_line_and_exit_1(make_kb, tmp_path, capsys):
    target = tmp_path / "page.html"
    target.mkdir()  # writing a file where a folder is
    assert main(["coverage", "--html", str(target), "--kb", str(make_kb())]) == 1
    assert capsys.readouterr().err.startswith("error: Is a directory")
