"""`check`: validate, then every question whose answer an edit changed, alias warnings, coverage of new articles."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import yaml

from bot.console.cli import build_parser, main
from bot.knowledge.alias_checks import alias_warnings

from .conftest import ROOT

CASES = textwrap.dedent(
    """\
    cases:
      - q: "when did examplia open its embassy"
        kind: paraphrase
        expect: ["opened an embassy in Sampletown in 2017"]
      - q: "what is the population of examplia"
        kind: near_miss
        expect: none
    """
)

# Cites a sentence that does not say what it claims: the question set expects a decline.
POPULATION_FACT = textwrap.dedent(
    """\
    facts:
      - id: examplia-population
        questions:
          - what is the population of examplia
          - examplia population
          - how many people live in examplia
        answer: Examplia trains young diplomats at its academy every summer.
        citations:
          - source: examplia
            quote: Examplia trains young diplomats at its academy every summer.
    """
)


def git(directory: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.email=m@example.org", "-c", "user.name=Moderator", *arguments],
                   cwd=directory, check=True, capture_output=True)


def committed_project(make_kb) -> Path:
    kb_dir = make_kb({"tests/data/cases.yaml": CASES})
    git(kb_dir.parent, "init", "-q")
    git(kb_dir.parent, "add", "-A")
    git(kb_dir.parent, "commit", "-qm", "knowledge")
    return kb_dir


def test_check_lists_a_question_an_edit_turned_into_a_wrong_answer(make_kb, capsys):
    kb_dir = committed_project(make_kb)
    (kb_dir / "facts" / "population.yaml").write_text(POPULATION_FACT, encoding="utf-8")
    assert main(["check", "--kb", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "answers compared with the last commit (cases.yaml; 2 questions): 1 changed" in out
    assert ("WORSE  [cases.yaml] 'what is the population of examplia': "
            "no_answer (right) -> answered examplia-population (wrong)") in out
    assert "1 answer got worse" in out


def test_check_strict_fails_when_an_answer_got_worse(make_kb, capsys):
    kb_dir = committed_project(make_kb)
    (kb_dir / "facts" / "population.yaml").write_text(POPULATION_FACT, encoding="utf-8")
    assert main(["check", "--kb", str(kb_dir), "--strict"]) == 1


def test_check_with_no_change_lists_nothing(make_kb, capsys):
    kb_dir = committed_project(make_kb)
    assert main(["check", "--kb", str(kb_dir), "--strict"]) == 0
    assert "2 questions): 0 changed" in capsys.readouterr().out


def test_check_lists_the_validation_problems_and_fails(make_kb, capsys):
    kb_dir = committed_project(make_kb)
    (kb_dir / "facts" / "population.yaml").write_text(POPULATION_FACT.replace("answer:", "anwser:"), encoding="utf-8")
    assert main(["check", "--kb", str(kb_dir)]) == 1
    out = capsys.readouterr().out
    assert "population.yaml:" in out and "unknown key 'anwser'" in out and "fix them first" in out


def test_check_shows_the_coverage_of_a_new_article(make_kb, capsys):
    kb_dir = committed_project(make_kb)
    (kb_dir.parent / "seeds" / "japan.txt").write_text("Japan and Laos signed a grant in 2025.\nThe grant is large.\n", encoding="utf-8")
    with (kb_dir / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write("  - id: japan\n    title: Japan grant\n    publisher: P\n    file: japan.txt\n")
    fact = POPULATION_FACT.replace("source: examplia", "source: japan").replace(
        "Examplia trains young diplomats at its academy every summer.", "Japan and Laos signed a grant in 2025.")
    (kb_dir / "facts" / "japan.yaml").write_text(fact, encoding="utf-8")
    assert main(["check", "--kb", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "new source japan: 1/2 factual sentences cited\n  uncited: The grant is large." in out
    assert "new source examplia" not in out


def test_without_git_a_saved_snapshot_is_the_baseline(make_kb, tmp_path, capsys):
    kb_dir = make_kb({"tests/data/cases.yaml": CASES})
    snapshot = tmp_path / "before.json"
    assert main(["check", "--kb", str(kb_dir), "--save", str(snapshot)]) == 0
    assert "answers not compared" in capsys.readouterr().out
    (kb_dir / "facts" / "population.yaml").write_text(POPULATION_FACT, encoding="utf-8")
    assert main(["check", "--kb", str(kb_dir), "--against", str(snapshot)]) == 0
    out = capsys.readouterr().out
    assert f"answers compared with the snapshot {snapshot}" in out and "1 changed" in out


# ------------------------------------------------------------------ aliases
def aliases_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "aliases.yaml"
    path.write_text("aliases:\n" + textwrap.indent(textwrap.dedent(body), "  "), encoding="utf-8")
    return path


def test_a_short_name_part_that_is_a_common_word_is_a_warning(tmp_path):
    path = aliases_file(tmp_path, "Le Hoai Trung: [Lê Hoài Trung, Trung]\n")
    [warning] = alias_warnings(path)
    assert str(warning).startswith(f"warning: {path}:2: Le Hoai Trung: 'Trung' is a short part of a name")
    assert "a common word in Vietnamese" in str(warning)


def test_a_name_part_inside_another_terms_alias_names_both_places(tmp_path):
    path = aliases_file(tmp_path, "Tran Thuong: [Thuong]\ntrade:\n  - thương mại\n")
    [warning] = alias_warnings(path)
    assert str(warning).startswith(f"warning: {path}:2: Tran Thuong: 'Thuong'")
    assert "also a word of 'thương mại' (trade, line 4)" in str(warning)


def test_full_names_and_acronyms_are_not_warned_about(tmp_path):
    assert alias_warnings(aliases_file(tmp_path, "European Union: [EU]\nLe Hoai Trung: [Lê Hoài Trung]\n")) == []


# ------------------------------------------------------------------ pre-commit
def test_the_pre_commit_hook_runs_check_with_arguments_the_cli_accepts():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    program, *arguments = hook["entry"].split()
    assert program == "laos-bot" and 'laos-bot = "bot.console.cli:main"' in (ROOT / "pyproject.toml").read_text()
    assert build_parser().parse_args(arguments).handler.__name__ == "cmd_check"
    assert hook["pass_filenames"] is False and hook["language"] == "python"
