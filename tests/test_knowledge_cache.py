"""The load cache (issue 11): an edit re-reads only the changed file, and what comes out is
exactly what a load from scratch gives; a bad cache file is never trusted."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import cache as cache_module
from bot.engine import load_workers
from bot.engine import packed as packed_module
from bot.engine.cache import KnowledgeCache
from bot.engine.index import assemble, build_index, index_context, index_part
from bot.engine.index_update import change_between, updated_index
from bot.engine.packed import PackedStrings
from bot.knowledge import passages
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.near_duplicates import near_duplicates

from .conftest import DEV_KB, FACTS, SEEDS


def _facts_yaml(*ids: str, rename: dict[str, str] | None = None) -> str:
    facts = [fact for fact in yaml.safe_load(FACTS)["facts"] if fact["id"] in ids]
    for fact in facts:
        fact["questions"] = [(rename or {}).get(q, q) for q in fact["questions"]]
    return yaml.safe_dump({"facts": facts}, allow_unicode=True)


@pytest.fixture
def three_files(make_kb):
    """The tiny knowledge split over three fact files (a `related` id crosses files)."""
    return make_kb(
        {
            "knowledge/facts/examplia.yaml": None,
            "knowledge/facts/a.yaml": _facts_yaml("embassy-2017"),
            "knowledge/facts/b.yaml": _facts_yaml("trade-2024", "minister-visit-2018"),
            "knowledge/facts/c.yaml": _facts_yaml("diplomat-training"),
        }
    )


def _built_from_scratch(kb):
    context = index_context(kb)
    return assemble(kb, context, [index_part(context, facts) for facts in kb.facts_by_file()])


def _count_checks(monkeypatch) -> list[Path]:
    checked: list[Path] = []
    real = load_workers.check_fact_file

    def counting(path, sources, raw=None):
        checked.append(path)
        return real(path, sources, raw)

    monkeypatch.setattr(load_workers, "check_fact_file", counting)
    return checked


def test_an_index_pickles_and_unpickles_unchanged():
    index = build_index(load_knowledge(DEV_KB, SEEDS))
    assert pickle.loads(pickle.dumps(index)) == index


def test_an_index_updated_for_an_edited_file_equals_one_built_from_scratch(three_files):
    before = load_knowledge(three_files)
    (three_files / "facts" / "b.yaml").write_text(
        _facts_yaml("trade-2024", "minister-visit-2018", "diplomat-training", rename={"ana vega visit": "vega trip"})
    )
    (three_files / "facts" / "c.yaml").unlink()
    after = load_knowledge(three_files)
    change = change_between(before, after)
    updated = updated_index(_built_from_scratch(before), after, index_context(after), change)
    assert change.parts == range(1, 3) and change.new_parts == range(1, 2)
    assert updated == _built_from_scratch(after)


def test_an_index_updated_for_an_added_file_equals_one_built_from_scratch(three_files):
    before = load_knowledge(three_files)
    (three_files / "facts" / "b2.yaml").write_text(_facts_yaml("diplomat-training"))
    (three_files / "facts" / "c.yaml").unlink()
    after = load_knowledge(three_files)
    updated = updated_index(_built_from_scratch(before), after, index_context(after), change_between(before, after))
    assert updated == _built_from_scratch(after)


def test_a_reload_after_editing_one_file_checks_only_that_file(three_files, monkeypatch):
    cache = KnowledgeCache(None)
    cache.open(three_files)
    checked = _count_checks(monkeypatch)
    (three_files / "facts" / "b.yaml").write_text(
        _facts_yaml("trade-2024", "minister-visit-2018", rename={"ana vega visit": "vega trip"})
    )
    engine = cache.open(three_files)
    assert checked == [three_files / "facts" / "b.yaml"]
    assert engine.ask("vega trip").fact.id == "minister-visit-2018"


def test_the_cross_file_checks_still_run_after_a_one_file_edit(three_files):
    cache = KnowledgeCache(None)
    cache.open(three_files)
    (three_files / "facts" / "c.yaml").write_text(_facts_yaml("diplomat-training", "embassy-2017"))
    with pytest.raises(KnowledgeError) as error:
        cache.open(three_files)
    assert any("duplicate fact id (first at" in str(problem) for problem in error.value.problems)


def test_a_new_process_starts_from_the_saved_state_without_checking_any_file(three_files, tmp_path, monkeypatch):
    first = KnowledgeCache(tmp_path / "cache")
    first.open(three_files)
    first.wait_for_writes()
    checked = _count_checks(monkeypatch)
    engine = KnowledgeCache(tmp_path / "cache").open(three_files)
    assert checked == []
    assert engine.ask("examplia laos trade volume").fact.id == "trade-2024"


def test_a_new_process_after_an_edit_checks_only_the_edited_file(three_files, tmp_path, monkeypatch):
    first = KnowledgeCache(tmp_path / "cache")
    first.open(three_files)
    first.wait_for_writes()
    renamed = _facts_yaml("embassy-2017", rename={"examplia embassy year": "year of the embassy"})
    (three_files / "facts" / "a.yaml").write_text(renamed)
    checked = _count_checks(monkeypatch)
    engine = KnowledgeCache(tmp_path / "cache").open(three_files)
    assert checked == [three_files / "facts" / "a.yaml"]
    assert engine.ask("year of the embassy").fact.id == "embassy-2017"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data[: len(data) // 2],  # truncated: a crash mid-write without the rename
        lambda data: b"not a pickle at all",
        lambda data: pickle.dumps({"some": "other program's data"}),
        lambda data: b"",
    ],
    ids=["truncated", "garbage", "foreign", "empty"],
)
def test_a_spoiled_cache_file_is_ignored_and_rebuilt(three_files, tmp_path, spoil):
    first = KnowledgeCache(tmp_path / "cache")
    first.open(three_files)
    first.wait_for_writes()
    [state] = (tmp_path / "cache").glob("state-*.pickle")
    state.write_bytes(spoil(state.read_bytes()))
    engine = KnowledgeCache(tmp_path / "cache").open(three_files)
    assert engine.ask("examplia laos trade volume").fact.id == "trade-2024"


def test_a_cache_written_by_another_version_of_the_code_is_not_used(three_files, tmp_path, monkeypatch):
    first = KnowledgeCache(tmp_path / "cache")
    first.open(three_files)
    first.wait_for_writes()
    monkeypatch.setattr(cache_module, "_code_fingerprint", lambda: "another-version")
    checked = _count_checks(monkeypatch)
    KnowledgeCache(tmp_path / "cache").open(three_files)
    assert len(checked) == 3


def test_a_failed_write_leaves_the_previous_cache_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "state.pickle"
    target.write_bytes(b"previous")

    def failing(_value, stream):
        stream.write(b"half")
        raise OSError(28, "No space left on device")

    cache_module._write(target, failing, None)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["state.pickle"]


def test_after_a_failed_load_the_fix_re_checks_only_the_fixed_file(three_files, monkeypatch):
    cache = KnowledgeCache(None)
    cache.open(three_files)
    good = (three_files / "facts" / "c.yaml").read_text()
    (three_files / "facts" / "c.yaml").write_text("facts: [oops")
    with pytest.raises(KnowledgeError):
        cache.open(three_files)
    checked = _count_checks(monkeypatch)
    (three_files / "facts" / "c.yaml").write_text("# fixed\n" + good)
    cache.open(three_files)
    assert checked == [three_files / "facts" / "c.yaml"]


def test_near_duplicate_phrasings_of_different_facts_are_found_by_their_rare_words(make_kb):
    facts = yaml.safe_load(FACTS)["facts"]
    facts[3]["questions"][2] = "when did examplia open its embasy"  # embassy-2017's first, misspelt
    kb_dir = make_kb({"knowledge/facts/examplia.yaml": yaml.safe_dump({"facts": facts})})
    found = near_duplicates(load_knowledge(kb_dir))
    assert [(d.fact_a, d.fact_b) for d in found] == [("embassy-2017", "diplomat-training")]


@settings(max_examples=300, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=12),
    sentences=st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=12),
)
def test_a_sentence_counts_as_cited_exactly_when_some_quote_overlaps_it(spans, sentences):
    quotes = [(start, start + length) for start, length in spans]
    covered = passages._merged(quotes)
    starts = [start for start, _ in covered]
    for start, length in sentences:
        sentence = passages.Sentence("s", start, start + length, True)
        expected = any(passages.overlaps(span, sentence) for span in quotes)
        assert passages._is_covered(sentence, covered, starts) == expected


@settings(max_examples=300, deadline=None)
@given(
    strings=st.lists(st.text(max_size=6), max_size=12),
    new=st.lists(st.text(max_size=6), max_size=5),
    bounds=st.tuples(st.integers(0, 12), st.integers(0, 12)),
)
def test_packed_strings_read_and_splice_like_a_tuple(strings, new, bounds):
    start, stop = sorted(min(b, len(strings)) for b in bounds)
    chunk, packed_module.CHUNK = packed_module.CHUNK, 3  # several chunks, even for a dozen strings
    try:
        packed = PackedStrings(strings)
        spliced = packed.spliced(range(start, stop), new)
    finally:
        packed_module.CHUNK = chunk
    assert list(packed) == strings and [packed[i] for i in range(len(strings))] == strings
    expected = strings[:start] + new + strings[stop:]
    assert list(spliced) == expected and [spliced[i] for i in range(len(expected))] == expected
    assert pickle.loads(pickle.dumps(spliced)) == spliced


def test_a_load_shared_out_to_worker_processes_equals_one_done_here(three_files, monkeypatch):
    here = KnowledgeCache(None).open(three_files)
    monkeypatch.setattr(load_workers, "MIN_FILES_FOR_WORKERS", 1)
    monkeypatch.setattr(load_workers.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert load_workers.worker_count(3) == 2
    shared_out = KnowledgeCache(None).open(three_files)
    assert shared_out.kb.facts == here.kb.facts and shared_out.index == here.index


def test_a_process_with_other_threads_loads_without_forking(monkeypatch):
    monkeypatch.setattr(load_workers.threading, "active_count", lambda: 2)
    assert load_workers.worker_count(100) == 0
