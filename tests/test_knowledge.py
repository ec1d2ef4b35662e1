"""The knowledge base: bundled content, the validator's messages, editor schemas, coverage."""

from __future__ import annotations

import hashlib
import json
import os
import textwrap
import time
from pathlib import Path

import pytest

from bot.console.cli import main
from bot.discord.live import LiveKnowledge
from bot.engine.pipeline import Engine
from bot.knowledge import passages
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.schema import json_schemas

from .conftest import FACTS, ROOT


def one_fact(body: str) -> str:
    """A facts file holding one fact written by hand (to break it on purpose)."""
    return "facts:\n" + textwrap.indent(textwrap.dedent(body), "  ")


VALID_FACT = """\
- id: broken
  questions: [first way to ask, second way to ask, third way to ask]
  answer: An answer.
  citations:
    - source: examplia
      quote: Examplia trains young diplomats
"""


def problems_for(make_kb, files: dict[str, str | None]) -> list[str]:
    kb_dir = make_kb(files)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_dir)
    return [str(problem) for problem in caught.value.problems]


# (name, files to write, expected line in the broken file, expected message fragment)
BROKEN = [
    ("yaml syntax", {"facts/x.yaml": "facts:\n  - id: a\n    questions: [unclosed\n"}, 4, "YAML syntax error"),
    ("unknown key", {"facts/x.yaml": one_fact(VALID_FACT + "  anwser: typo\n")}, 8, "unknown key 'anwser' (did you mean 'answer'?)"),
    ("missing key", {"facts/x.yaml": one_fact(VALID_FACT.replace("  answer: An answer.\n", ""))}, 2, "missing required key 'answer'"),
    ("mistyped key", {"facts/x.yaml": one_fact(VALID_FACT.replace("answer: An answer.", "answer: 42"))}, 4, "answer must be text, not int"),
    ("duplicate id across files", {"facts/x.yaml": one_fact(VALID_FACT.replace("id: broken", "id: trade-2024"))}, 2, "duplicate fact id"),
    ("unknown source", {"facts/x.yaml": one_fact(VALID_FACT.replace("source: examplia", "source: nowhere"))}, 6, "citation to unknown source 'nowhere'"),
    ("quote not in source", {"facts/x.yaml": one_fact(VALID_FACT.replace("Examplia trains young diplomats", "Examplia trains old diplomats"))}, 7, "quote not found in source 'examplia'; the closest passage is: «Examplia trains young diplomats"),
    ("related id missing", {"facts/x.yaml": one_fact(VALID_FACT + "  related: [trade-2042]\n")}, 8, "related fact 'trade-2042' does not exist (did you mean 'trade-2024'?)"),
    ("same phrasing twice", {"facts/x.yaml": one_fact(VALID_FACT.replace("second way to ask", "Examplia laos trade volume?"))}, 3, "is also a question of fact 'trade-2024'"),
    ("empty field", {"facts/x.yaml": one_fact(VALID_FACT.replace("answer: An answer.", 'answer: "   "'))}, 4, "answer is empty"),
    ("over-long answer", {"facts/x.yaml": one_fact(VALID_FACT.replace("answer: An answer.", "answer: " + "long " * 120))}, 4, "answer is too long (599 characters; the limit is 500)"),
    ("too few phrasings", {"facts/x.yaml": one_fact(VALID_FACT.replace("[first way to ask, second way to ask, third way to ask]", "[only one]"))}, 3, "questions needs at least 3 item(s), has 1"),
    ("bad slug", {"facts/x.yaml": one_fact(VALID_FACT.replace("id: broken", "id: Not A Slug"))}, 2, "must be a slug"),
    ("object tag", {"facts/x.yaml": "facts: !!python/object/apply:os.system [echo hi]\n"}, 1, "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("duplicate yaml key", {"facts/x.yaml": one_fact(VALID_FACT + "  answer: again\n")}, 8, "key 'answer' appears twice"),
]


@pytest.mark.parametrize(("name", "files", "line", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_snippet_gives_message_at_its_line(make_kb, name, files, line, fragment):
    files = {f"knowledge/{path}": text for path, text in files.items()}
    problems = problems_for(make_kb, files)
    expected_prefix = f"knowledge/facts/x.yaml:{line}: "
    assert any(expected_prefix in p and fragment in p for p in problems), problems


@pytest.mark.parametrize(
    ("file_value", "fragment"),
    [
        ("missing.txt", "file 'missing.txt' not found"),
        ("/etc/passwd", "must be a path relative to the seeds directory, not absolute"),
        ("../knowledge/sources.yaml", "('..' is not allowed)"),
        ("link.txt", "leads outside the seeds directory"),
    ],
)
def test_source_file_must_exist_inside_seeds(make_kb, tmp_path, file_value, fragment):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "link.txt").symlink_to(outside)
    sources = f"sources:\n  - id: examplia\n    title: T\n    publisher: P\n    file: {file_value}\n"
    problems = problems_for(make_kb, {"knowledge/sources.yaml": sources})
    assert any("knowledge/sources.yaml:5: examplia: " in p and fragment in p for p in problems), problems


def test_file_over_5_mb_is_refused_before_parsing(make_kb):
    problems = problems_for(make_kb, {"knowledge/facts/x.yaml": "# padding\n" * 600_000})
    assert any("x.yaml: file is 6.0 MB; the limit is 5 MB" in p for p in problems), problems


def test_alias_bomb_is_refused_quickly(make_kb):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    bomb = "\n".join(levels) + "\nfacts: *a8\n"
    started = time.perf_counter()
    problems = problems_for(make_kb, {"knowledge/facts/x.yaml": bomb})
    assert time.perf_counter() - started < 5  # a sanity bound: expansion would take minutes and GBs
    assert any("alias bomb" in p for p in problems), problems


def test_a_failed_quote_points_at_the_look_alike_characters(make_kb):
    article = "The minister’s visit of 2025–2026 was long.\n"
    fact = one_fact(VALID_FACT.replace("source: examplia", "source: examplia").replace(
        "Examplia trains young diplomats", "The minister's visit of 2025-2026 was long."))
    problems = problems_for(make_kb, {"seeds/examplia.txt": article, "knowledge/facts/examplia.yaml": None, "knowledge/facts/x.yaml": fact})
    [problem] = [p for p in problems if "quote not found" in p]
    assert "it differs at: \"'\" (apostrophe) where the article has '’' (right single quotation mark) in «minister’s»" in problem
    assert "'-' (hyphen-minus) where the article has '–' (en dash) in «2025–2026»" in problem


def test_a_duplicate_phrasing_is_reported_in_the_file_edited_last_naming_both(make_kb):
    kb_dir = make_kb()
    (kb_dir / "facts" / "x.yaml").write_text(one_fact(VALID_FACT.replace("second way to ask", "examplia laos trade volume")), encoding="utf-8")
    os.utime(kb_dir / "facts" / "examplia.yaml", (1, 1))  # the old file, edited long ago
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_dir)
    [problem] = [str(p) for p in caught.value.problems]
    assert problem == (f"{kb_dir}/facts/x.yaml:3: broken: the phrasing 'examplia laos trade volume' is also a question "
                       f"of fact 'trade-2024' ({kb_dir}/facts/examplia.yaml:15)")


def test_every_problem_is_reported_not_only_the_first(make_kb):
    broken = one_fact(VALID_FACT.replace("source: examplia", "source: nowhere") + "  related: [no-such-fact]\n")
    problems = problems_for(make_kb, {"knowledge/facts/x.yaml": broken})
    assert len(problems) == 2, problems


def test_validate_prints_one_problem_per_line_and_exits_1(make_kb, capsys):
    kb_dir = make_kb({"knowledge/facts/x.yaml": one_fact(VALID_FACT + "  anwser: typo\n")})
    assert main(["validate", "--kb", str(kb_dir)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"{kb_dir}/facts/x.yaml:8: broken: unknown key 'anwser' (did you mean 'answer'?)"]


def test_validate_summarizes_a_good_knowledge_base(make_kb, capsys):
    assert main(["validate", "--kb", str(make_kb())]) == 0
    assert capsys.readouterr().out.startswith("OK: 1 sources, 4 facts, 12 phrasings, coverage 100%")


def test_validate_missing_directory_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", "--kb", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.strip() == f"knowledge directory not found: {tmp_path / 'nope'}"


def test_failed_reload_keeps_the_previous_knowledge(make_kb):
    kb_dir = make_kb()
    live = LiveKnowledge(kb_dir)
    before = live.engine
    (kb_dir / "facts" / "examplia.yaml").write_text(FACTS.replace("answer: Examplia opened", "anwser: x"), encoding="utf-8")
    result = live.reload()
    assert not result.ok and result.facts == 4
    assert live.engine is before
    assert live.engine.ask("when did examplia open its embassy").status == "answered"


def test_successful_reload_swaps_in_the_new_knowledge(make_kb):
    kb_dir = make_kb()
    live = LiveKnowledge(kb_dir)
    only_first = FACTS.split("  - id: trade-2024")[0].replace("    related: [minister-visit-2018]\n", "")
    (kb_dir / "facts" / "examplia.yaml").write_text(only_first, encoding="utf-8")
    result = live.reload()
    assert result.ok and result.facts == 1
    assert len(live.engine.kb.facts) == 1


# ------------------------------------------------------------------- bundled knowledge
# Moderators change knowledge/ at will: these check properties any good edit keeps, never counts.
@pytest.fixture(scope="module")
def bundled() -> Engine:
    return Engine(load_knowledge(ROOT / "knowledge"))


def test_bundled_knowledge_validates_and_every_source_is_cited(bundled):
    cited = {c.source for fact in bundled.kb.facts for c in fact.citations}
    assert cited == {source.id for source in bundled.kb.sources}


def test_bundled_knowledge_cites_at_least_95_percent_of_article_sentences(bundled):
    assert bundled.kb.coverage_ratio() >= 0.95, bundled.kb.coverage()


def test_every_bundled_fact_has_three_distinct_phrasings(bundled):
    for fact in bundled.kb.facts:
        assert len({q.casefold() for q in fact.questions}) >= 3, fact.id


# Known engine misses, to be fixed in the engine (not by moderators): an alias turns the whole
# question into the one word "kpl", which too many facts share to decide alone.
KNOWN_ENGINE_MISSES = {
    ("kpl-publisher", "what is khaosan pathet lao"),
    ("kpl-publisher", "what does ຂປລ mean"),
    # The calibrated decision (issue 9) asks "did you mean" here: two facts tell of 2017's turn.
    ("turkiye-embassy-vientiane-2017", "what was the turning point in turkey laos relations"),
}


def test_every_bundled_fact_is_found_by_its_own_phrasings(bundled):
    lost = set()
    for fact in bundled.kb.facts:
        for question in fact.questions:
            answer = bundled.ask(question)
            found = {answer.fact.id} if answer.fact else {s.fact_id for s in answer.suggestions}
            if fact.id not in found:
                lost.add((fact.id, question))
    assert lost <= KNOWN_ENGINE_MISSES, lost - KNOWN_ENGINE_MISSES


def test_seeds_are_the_articles_byte_for_byte():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    originals = {hashlib.sha256(p.read_bytes()).hexdigest() for p in shared.glob("*.txt")}
    ours = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").glob("*.txt")}
    assert ours == originals


def test_committed_json_schemas_are_current():
    for name, content in json_schemas().items():
        committed = (ROOT / "knowledge" / "schema" / name).read_text(encoding="utf-8")
        assert committed == content, f"{name} is stale: run `python -m bot schema`"
        json.loads(committed)


def test_every_yaml_file_points_editors_at_its_schema():
    knowledge = ROOT / "knowledge"
    for path in [knowledge / "sources.yaml", knowledge / "aliases.yaml", *sorted((knowledge / "facts").glob("*.yaml"))]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert first != target, path
        assert (path.parent / target).resolve().is_file(), path


def test_sentence_splitting_keeps_titles_with_their_names():
    text = "By: Mr. Vankham Phetphaivanh, Ms. Anna. Next sentence here.\nA heading\n"
    assert [s.text for s in passages.sentences(text)] == [
        "By: Mr. Vankham Phetphaivanh, Ms. Anna.",
        "Next sentence here.",
    ]


def test_quotes_tolerate_whitespace_differences():
    assert passages.find_quote("opened  an\nembassy", "They opened an embassy\u00a0there.") == 5


def test_a_read_only_knowledge_directory_still_loads(make_kb):
    kb_dir = make_kb()
    os.chmod(kb_dir, 0o555)
    try:
        assert len(load_knowledge(kb_dir).facts) == 4
    finally:
        os.chmod(kb_dir, 0o755)


def test_loading_is_idempotent(make_kb):
    kb_dir = make_kb()
    assert load_knowledge(kb_dir) == load_knowledge(kb_dir)


def test_empty_file_is_reported(make_kb):
    problems = problems_for(make_kb, {"knowledge/facts/x.yaml": ""})
    assert any("x.yaml:1: the file is empty" in p for p in problems), problems


def test_paths_in_messages_are_the_ones_given(make_kb):
    kb_dir = make_kb({"knowledge/facts/x.yaml": "facts: [\n"})
    relative = Path(os.path.relpath(kb_dir))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(relative)
    assert str(caught.value.problems[0]).startswith(f"{relative}/facts/x.yaml:")
