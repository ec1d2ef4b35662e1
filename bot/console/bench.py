"""Scale benchmark: synthetic knowledge bases of 1k/10k/100k facts in the real YAML schema.

For each size, each measurement runs in a fresh process (sizes and steps share no
memory; they share the cache directory, as a bot's commands do). First the bundled knowledge
with the semantic stage: a first start with nothing cached, with the vectors shipped with the
code and as if none shipped (every text embedded), then a warm start. Then, per size:

- cold: parse, validate and index everything (no cache), write the cache;
- warm: start from the cache, then per-question latency p50/p99 of the engine and
  of a naive baseline in the same process (`rapidfuzz.process.extractOne` with
  WRatio over every phrasing), and peak RSS;
- edit, new process: one fact file changed, a new process (as `ask` after a
  moderator's save): time until it can answer, and until its cache is written;
- edit, running bot: `LiveKnowledge.reload()` after one fact file changed, and the
  process's peak RSS across three such reloads;
- validate: `python -m bot validate` (warm), with near-duplicate phrasings and coverage.

Numbers are printed, never asserted: machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

WORKER = "bot.console.bench"  # each measurement runs in a fresh process of this module
BUNDLED_KB = Path(__file__).resolve().parents[2] / "knowledge"
DEV_SETS = Path(__file__).resolve().parents[2] / "tests" / "data"
FACTS_PER_FILE = 1000
SENTENCES_PER_SOURCE = 2000
COMMON = (
    "trade investment visit embassy minister agreement energy education border river "
    "economy cooperation security culture tourism railway bank loan project treaty summit"
).split()


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate(directory: Path, facts: int, seed: int = 7) -> None:
    """Write sources.yaml, facts/*.yaml and seeds/*.txt for `facts` synthetic facts."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng, max(2000, facts // 2))
    kb_dir, seeds_dir = directory / "knowledge", directory / "seeds"
    (kb_dir / "facts").mkdir(parents=True)
    seeds_dir.mkdir()
    source_count = max(1, facts // SENTENCES_PER_SOURCE)
    sources = []
    sentences: list[tuple[str, str]] = []
    for s in range(source_count):
        lines = []
        for _ in range(facts // source_count + 1):
            words = [rng.choice(vocabulary) for _ in range(rng.randint(6, 12))]
            words.insert(rng.randint(0, len(words)), rng.choice(COMMON))
            lines.append(" ".join(words).capitalize() + ".")
        source_id = f"source-{s}"
        (seeds_dir / f"{source_id}.txt").write_text("\n".join(lines), encoding="utf-8")
        sources.append({"id": source_id, "title": f"Article {s}", "publisher": "Bench", "file": f"{source_id}.txt"})
        sentences += [(source_id, line) for line in lines]
    (kb_dir / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    batch = []
    for number in range(facts):
        source_id, sentence = sentences[number]
        words = sentence.rstrip(".").lower().split()
        batch.append(
            {
                "id": f"fact-{number}",
                "questions": [
                    "what about " + " ".join(rng.sample(words, min(4, len(words)))),
                    "tell me " + " ".join(rng.sample(words, min(3, len(words)))),
                    " ".join(words[:5]) + "?",
                ],
                "answer": sentence,
                "citations": [{"source": source_id, "quote": sentence}],
            }
        )
        if len(batch) == FACTS_PER_FILE or number == facts - 1:
            path = kb_dir / "facts" / f"part-{number // FACTS_PER_FILE:04d}.yaml"
            path.write_text(yaml.safe_dump({"facts": batch}, allow_unicode=True), encoding="utf-8")
            batch = []


def _questions(directory: Path, count: int, seed: int = 11) -> list[str]:
    """A mix users would type: exact phrasings, typos, keyword subsets, and unknown questions."""
    rng = random.Random(seed)
    kb_dir = directory / "knowledge" / "facts"
    facts = yaml.safe_load((kb_dir / "part-0000.yaml").read_text(encoding="utf-8"))["facts"]
    questions = []
    for n in range(count):
        phrasing = rng.choice(rng.choice(facts)["questions"])
        kind = n % 4
        if kind == 1:
            position = rng.randrange(len(phrasing))
            phrasing = phrasing[:position] + phrasing[position + 1 :]
        elif kind == 2:
            phrasing = " ".join(rng.sample(phrasing.split(), min(2, len(phrasing.split()))))
        elif kind == 3:
            phrasing = "how do i bake bread with " + rng.choice(COMMON)
        questions.append(phrasing)
    return questions


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _edit_one_file(directory: Path, number: int) -> None:
    """A moderator's typical edit: one phrasing of one fact reworded, in one file of many."""
    files = sorted((directory / "knowledge" / "facts").glob("*.yaml"))
    path = files[len(files) // 2]
    reworded = f"- tell me {EDIT_WORDS[number % len(EDIT_WORDS)]} "
    path.write_text(path.read_text(encoding="utf-8").replace("- tell me ", reworded, 1), encoding="utf-8")


EDIT_WORDS = ("briefly", "exactly", "again")


def worker(directory: Path, mode: str, queries: int) -> dict:
    """One measurement in a fresh process (see the module docstring)."""
    from ..discord.live import LiveKnowledge
    from ..engine.cache import KnowledgeCache

    cache = KnowledgeCache(directory / "data" / "cache")
    kb_dir, seeds_dir = directory / "knowledge", directory / "seeds"
    if mode == "reload":
        live = LiveKnowledge(kb_dir, seeds_dir, cache_dir=directory / "data" / "cache")
        times = []
        for number in range(3):
            _edit_one_file(directory, number)
            result = live.reload()
            times.append(result.seconds)
            live.cache.wait_for_writes()
        return {"mode": mode, "reload_s": max(times), "rss_mb": _rss_mb()}
    if mode == "edit":
        _edit_one_file(directory, len(EDIT_WORDS))
    started = time.perf_counter()
    engine = cache.open(kb_dir, seeds_dir)
    result = {"mode": mode, "load_s": time.perf_counter() - started, "facts": len(engine.kb.facts)}
    cache.wait_for_writes()
    result["written_s"] = time.perf_counter() - started
    if mode != "warm":
        result["rss_mb"] = _rss_mb()
        return result
    questions = _questions(directory, queries)
    engine.ask(questions[0])
    latencies = sorted(_timed(engine.ask, question) for question in questions)
    result["rss_mb"] = _rss_mb()  # before the baseline's own phrasing list is built
    phrasings = [q for fact in engine.kb.facts for q in fact.questions]
    baseline = [
        _timed(lambda q: process.extractOne(q, phrasings, scorer=fuzz.WRatio), question)
        for question in questions[: max(10, queries // 10)]
    ]
    result.update(
        p50_ms=statistics.median(latencies),
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        baseline_p50_ms=statistics.median(baseline),
    )
    return result


def _validate(directory: Path) -> float:
    """Wall time of `python -m bot validate` on a warm cache (its output is not needed)."""
    environment = {**os.environ, "DATA_DIR": str(directory / "data")}
    command = [
        sys.executable,
        "-m",
        "bot",
        "validate",
        "--kb",
        str(directory / "knowledge"),
        "--seeds",
        str(directory / "seeds"),
    ]
    started = time.perf_counter()
    subprocess.run(command, env=environment, capture_output=True, check=False)
    return time.perf_counter() - started


def bundled_worker(kb_dir: Path, cache_dir: Path) -> dict:
    """The bundled knowledge with the semantic stage: latency on the development questions,
    a 2,000-character question, and the extra memory the model and its vectors cost."""
    from ..engine.cache import open_engine
    from ..moderation.evaluation import load_cases

    rss_before = _rss_mb()
    started = time.perf_counter()
    engine = open_engine(kb_dir, cache_dir=cache_dir)
    load_s = time.perf_counter() - started
    questions = [c.question for name in ("dev", "dev2") for c in load_cases(DEV_SETS / f"{name}.yaml")]
    engine.ask(questions[0])
    latencies = sorted(_timed(engine.ask, q) for q in questions)
    longest = max(_timed(engine.ask, ("what about the embassy and the trade deal " * 60)[:2000]) for _ in range(3))
    return {
        "load_s": load_s,
        "semantic": engine.meaning is not None,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "long_ms": longest,
        "rss_mb": _rss_mb(),
        "rss_before_mb": rss_before,
    }


def _timed(ask: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    ask(question)
    return (time.perf_counter() - started) * 1000


def _run_worker(directory: Path, mode: str, queries: int) -> dict:
    command = [sys.executable, "-m", WORKER, "--worker", str(directory), "--mode", mode, "--queries", str(queries)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _bundled() -> None:
    """A first start (nothing cached: the shipped vectors, then as if none shipped), then a warm one."""
    attempts = (
        ("first start, vectors shipped", [], True),
        ("first start, no vectors shipped", ["--unshipped"], True),
        ("warm start", [], False),
    )
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        command = [sys.executable, "-m", WORKER, "--worker", str(BUNDLED_KB), "--mode", "bundled", "--cache", tmp]
        for attempt, flags, first in attempts:
            if first:
                shutil.rmtree(tmp)
                os.mkdir(tmp)
            output = subprocess.run(command + flags, check=True, capture_output=True, text=True).stdout
            result = json.loads(output.splitlines()[-1])
            print(
                f"bundled knowledge ({attempt}, semantic stage {'on' if result['semantic'] else 'off'}): "
                f"load {result['load_s']:.2f}s, p50 {result['p50_ms']:.1f}ms, p99 {result['p99_ms']:.1f}ms "
                "over the dev + dev2 questions, a 2,000-character question "
                f"{result['long_ms']:.0f}ms, peak RSS {result['rss_mb']:.0f}MB"
            )


COLUMNS = (
    ("facts", 8),
    ("cold", 8),
    ("warm", 7),
    ("edit:new", 9),
    ("(+write)", 9),
    ("edit:bot", 9),
    ("validate", 9),
    ("RSS:warm", 9),
    ("RSS:reload", 11),
    ("p50", 8),
    ("p99", 8),
    ("baseline", 9),
    ("ratio", 7),
)


def run(sizes: list[int], queries: int) -> int:
    _bundled()
    print(
        "per size: cold / warm load; one fact file edited, in a new process (until it answers, and until"
        " its cache is written) and in the running bot (reload); validate; peak RSS; latency and baseline"
    )
    print(" ".join(f"{name:>{width}}" for name, width in COLUMNS))
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
            directory = Path(tmp)
            generate(directory, size)
            cold = _run_worker(directory, "cold", queries)
            warm = _run_worker(directory, "warm", queries)
            edit = _run_worker(directory, "edit", queries)
            reload = _run_worker(directory, "reload", queries)
            validate_s = _validate(directory)
        ratio = warm["baseline_p50_ms"] / warm["p50_ms"] if warm["p50_ms"] else float("inf")
        cells = (
            f"{size}",
            f"{cold['load_s']:.2f}s",
            f"{warm['load_s']:.2f}s",
            f"{edit['load_s']:.2f}s",
            f"{edit['written_s']:.2f}s",
            f"{reload['reload_s']:.2f}s",
            f"{validate_s:.1f}s",
            f"{warm['rss_mb']:.0f}MB",
            f"{reload['rss_mb']:.0f}MB",
            f"{warm['p50_ms']:.2f}ms",
            f"{warm['p99_ms']:.2f}ms",
            f"{warm['baseline_p50_ms']:.2f}ms",
            f"{ratio:.1f}x",
        )
        print(" ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True)), flush=True)
    print(
        "targets at 100k facts: cold <= 20 s, warm <= 2 s, an edit <= 2 s in a new process and <= 1 s in the "
        "running bot, validate <= 60 s, peak RSS <= 400 MB, p99 <= 5 ms and >= 20x the baseline"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """The measuring subprocess (`python -m bot bench` is the command people run)."""
    parser = argparse.ArgumentParser(prog="python -m bot.console.bench")
    parser.add_argument("--worker", type=Path, required=True)
    parser.add_argument("--mode", choices=["cold", "warm", "edit", "reload", "bundled"], required=True)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--unshipped", action="store_true", help="as if no vectors shipped with the code")
    args = parser.parse_args(argv)
    if args.unshipped:
        from ..engine import semantic

        semantic.SHIPPED_VECTORS = args.cache / "none-shipped.npz"
    if args.mode == "bundled":
        print(json.dumps(bundled_worker(args.worker, args.cache)))
    else:
        print(json.dumps(worker(args.worker, args.mode, args.queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
