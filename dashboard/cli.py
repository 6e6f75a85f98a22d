"""`python -m dashboard ...`: the same store and filter model as the pages.

Exit status: 0 done; 1 done with rejected rows; 2 nothing done (bad arguments,
unreadable file, busy store).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from . import export, geo, store, urlstate
from .engines.sql import SqlEngine
from .query import EventQuery
from .text import json_terminal_safe, terminal_safe


def say(text: str = "", *, file=None, end: str = "\n") -> None:
    """One line of output holding data (names from files, values from rows): control and
    direction characters are printed as escapes, so data cannot steer the terminal."""
    print(terminal_safe(text), file=file or sys.stdout, end=end)


def say_json(value) -> None:
    print(json_terminal_safe(json.dumps(value, ensure_ascii=False, default=str)))


def _store_arg(args) -> Path:
    return Path(args.store).expanduser() if args.store else store.default_store_path()


def _readable_store(args) -> Path:
    """The store, ready to read: a store of a newer layout is read as it is, with a warning."""
    notices: list[str] = []
    path = store.ensure_store(_store_arg(args), notices=notices)
    for notice in notices:
        print(f"warning: {notice}", file=sys.stderr)
    return path


def cmd_info(args) -> int:
    if _spark_wanted(args):
        return _spark_info(args)
    path = _readable_store(args)
    summary = store.info(path)
    from .importer import list_batches  # imported batches: see the import block below

    summary["batches"] = list_batches(path)
    if args.json:
        say_json(summary)
        return 0
    say(f"store: {summary['store']}")
    say(f"events: {summary['events']}")
    for title, key in (
        ("by type", "by_type"),
        ("by country", "by_country"),
        ("by dataset", "by_dataset"),
    ):
        print(f"{title}:")
        for name, count in summary[key]:
            label = geo.country_name(name) if key == "by_country" and name != "-" else name
            say(f"  {count:>8}  {label}")
    _print_batches(summary["batches"])
    return 0


def cmd_export(args) -> int:
    from .saved_views import ViewError, from_link

    if "view" in {key for key, _ in urlstate.parse_query_string(args.query.lstrip("?"))}:
        try:  # a short link: the saved view is in the store, its rows anywhere
            state, notices = from_link(
                _readable_store(args), args.query, is_country=geo.is_country_code
            )
        except ViewError as exc:
            say(f"error: {exc}", file=sys.stderr)
            return 2
    else:
        state, notices = urlstate.decode(args.query, is_country=geo.is_country_code)
    for notice in notices:
        say(f"warning: {notice}", file=sys.stderr)
    if notices and args.strict:
        return 2
    if _spark_wanted(args):
        engine = _spark_engine(args)  # a pinned link: as it was, where the lake kept it
        frame = EventQuery(engine, at=engine.engine_at).export_rows(state.filters)
    else:
        path = _readable_store(args)
        if state.filters.as_of is not None:  # a pinned link: its rows as they were then
            from .hotcopy import load

            copy = load(path, engine="sql", prepare=False)
            frame = EventQuery(copy.engine(), at=copy.engine_at).export_rows(state.filters)
        else:
            with store.connect(path, read_only=True) as con:
                frame = EventQuery(SqlEngine(con)).export_rows(state.filters)
    data = export.render(frame, args.format)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        try:
            export.write_atomic(data, Path(args.output))
        except OSError as exc:
            say(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    print(f"{len(frame)} events written ({args.format})", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    env = dict(os.environ)
    if args.store:
        env["DASHBOARD_STORE"] = str(_store_arg(args))
    app = store.REPO / "app.py"
    return subprocess.call(
        [sys.executable, "-m", "streamlit", "run", str(app), *args.extra], env=env, cwd=store.REPO
    )


def cmd_extract_eval(args) -> int:
    """Recall, precision, wrong years and countries of the drafts, per article and in total."""
    from .extract import evaluate as extract_eval

    folder = Path(args.folder)
    if not folder.is_dir() or not any(folder.glob("*.txt")):
        print(f"error: {folder} is not a folder of .txt articles", file=sys.stderr)
        return 2
    modes = {"both": (True, False), "with": (True,), "without": (False,)}[args.published]
    try:
        results = [extract_eval.evaluate(folder, with_published=m) for m in modes]
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: cannot read the corpus: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        print("\n\n".join(extract_eval.table(r) for r in results))
    return 0


def cmd_extract(args) -> int:
    """Draft events from one article; nothing is written to the store."""
    from datetime import date as _date

    from . import extract as extractor

    try:
        published = _date.fromisoformat(args.published) if args.published else None
    except ValueError:
        print(f"error: --published must be YYYY-MM-DD, got {args.published!r}", file=sys.stderr)
        return 2
    try:
        if args.article == "-":
            text = sys.stdin.read()
        else:
            text = Path(args.article).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        say(f"error: cannot read {args.article}: {exc}", file=sys.stderr)
        return 2
    if published is None:
        print(
            "note: no --published date: a year the article does not write is worked out from "
            "a date printed at its head, else left empty (never guessed)",
            file=sys.stderr,
        )
    if len(text) > extractor.MAX_ARTICLE_CHARS:
        print(
            f"note: the article has {len(text):,} characters; only the first "
            f"{extractor.MAX_ARTICLE_CHARS:,} are read",
            file=sys.stderr,
        )
    drafts = extractor.extract(text, published, publisher=args.publisher, url=args.url)
    if args.json:
        print(json_terminal_safe(extractor.drafts_json(drafts)))
        return 0
    for draft in drafts:
        width = {"month": 7, "year": 4}.get(draft.date_precision, 10)
        when = draft.event_date.isoformat()[:width] if draft.event_date else "no date"
        if draft.planned:
            when += " (planned)"
        where = f"{draft.location} ({draft.country})" if draft.country else draft.location or "-"
        say(f"{when:<10}  {draft.event_type:<10}  {where}  [{draft.confidence:.2f}]  {draft.title}")
        say(f"    sentence: {draft.sentence}")
        if draft.event_date is None and draft.date_text:
            say(f"    date as written: {draft.date_text}")
        for reason in draft.reasons:
            say(f"    - {reason}")
    print(f"{len(drafts)} draft events", file=sys.stderr)
    return 0


# --- bench (owner: scale/benchmark) ---------------------------------------------------------


def cmd_bench(args) -> int:
    """Synthetic events in a scratch store (never the user's), fast path vs the naive way."""
    from . import bench

    sizes = args.events or list(bench.DEFAULT_SIZES)
    if any(n < 1000 for n in sizes) or args.runs < 1:
        print("error: --events must be at least 1000 and --runs at least 1", file=sys.stderr)
        return 2
    return bench.run(sizes, runs=args.runs, as_json=args.json, workdir=args.tmp, engine=args.engine)


def _add_bench(sub) -> None:
    p = sub.add_parser(
        "bench", help="benchmark the interactive path on synthetic events against the naive way"
    )
    p.add_argument(
        "--events",
        type=int,
        action="append",
        help="events to generate (repeatable; default 100000 and 1000000)",
    )
    p.add_argument("--runs", type=int, default=5, help="runs per measurement (median, min, max)")
    p.add_argument("--json", action="store_true", help="one JSON object per measurement")
    p.add_argument("--tmp", type=Path, help="where the scratch store goes (default: system temp)")
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="spark: the same round on a local Spark session over a Parquet lake",
    )
    p.set_defaults(func=cmd_bench)


# --- end bench ------------------------------------------------------------------------------


# --- import (owner: imports) ----------------------------------------------------------------


def _import_progress():
    """A progress line on stderr: rewritten in place on a terminal, one line per chunk else."""
    tty = sys.stderr.isatty()

    def show(rows: int, done: int, total: int) -> None:
        share = f"{100 * done / total:.0f}% of {total / 1e6:,.1f} MB" if total else ""
        line = f"importing: {rows:,} rows read, {share}"
        print(("\r" + line) if tty else line, end="" if tty else "\n", file=sys.stderr, flush=True)

    def stage(name: str) -> None:
        end = "\n" if tty else ""
        print(f"{end}checking duplicates and writing to the store ...", file=sys.stderr, flush=True)

    return show, stage


def _report_writer(target: Path):
    """Writes the rejected rows where ``--report`` says, called before the import commits."""

    def write(problems) -> None:
        from . import importer

        export.write_atomic(importer.problems_csv(problems), target)

    return write


def cmd_import(args) -> int:
    from . import importer

    show, stage = _import_progress()
    report = None
    if args.report:
        report = Path(args.report).expanduser()
        try:
            export.real_target(report)  # a bad path is refused before the file is read
        except OSError as exc:
            say(f"error: cannot write the report {report}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    try:
        result = importer.import_file(
            Path(args.file).expanduser(),
            _store_arg(args),
            fmt=args.format,
            dry_run=args.dry_run,
            progress=None if args.quiet else show,
            on_problem=args.on_problem,
            on_duplicate=args.duplicates,
            encoding=args.encoding,
            on_stage=None if args.quiet else stage,
            on_problems=_report_writer(report) if report else None,
        )
    except importer.ImportFailed as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 2
    except (store.StoreError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - no traceback: the import rolled back whole
        say(
            f"error: the import failed ({type(exc).__name__}: {str(exc)[:200]}); nothing was "
            "imported, the store is as it was",
            file=sys.stderr,
        )
        return 2
    for problem in result.problems:
        say(f"rejected: {problem}", file=sys.stderr)
    if result.problems_total > len(result.problems):
        more = result.problems_total - len(result.problems)
        say(f"rejected: ... and {more:,} more (not listed)", file=sys.stderr)
    if args.json:
        fields = {k: v for k, v in vars(result).items() if k not in ("problems", "preview")}
        fields["problems"] = [str(p) for p in result.problems]
        say_json(fields)
    else:
        say(result.summary())
    return 1 if result.problems_total else 0


def cmd_batches(args) -> int:
    from . import importer, migrations

    path = _store_arg(args)
    migrations.examine(path)  # someone else's database: say so, do not list its tables' rows
    batches = importer.list_batches(path)
    if args.json:
        say_json(batches)
        return 0
    _print_batches(batches)
    return 0


def _print_batches(batches: list[dict]) -> None:
    print(f"imported batches: {len(batches)}")
    for b in batches:
        say(
            f"  {b['batch_id']}  {b['imported_at']:%Y-%m-%d %H:%M}  {b['events']:>8} events  "
            f"{b['rows_rejected']:>6} rejected  {b['format']}  {b['file_name']}"
        )


def cmd_remove_batch(args) -> int:
    from . import importer

    try:
        removed = importer.remove_batch(_store_arg(args), args.batch_id)
    except KeyError:
        say(f"error: no imported batch {args.batch_id!r} (see: batches)", file=sys.stderr)
        return 2
    say(f"removed batch {args.batch_id}: {removed} events")
    return 0


def _add_import(sub) -> None:
    p = sub.add_parser("import", help="import an analyst's file, ACLED, UCDP GED or GDELT events")
    p.add_argument("file", help="CSV, JSON, JSON lines, GeoJSON, Parquet, or a GDELT .zip")
    p.add_argument("--format", choices=("auto", "native", "acled", "ucdp", "gdelt"), default="auto")
    p.add_argument("--dry-run", action="store_true", help="read and check only; write nothing")
    p.add_argument(
        "--on-problem",
        choices=("skip", "cancel"),
        default="skip",
        help="skip rows with problems (default) or cancel the whole import if any row fails",
    )
    p.add_argument(
        "--duplicates",
        choices=("skip", "replace"),
        default="skip",
        help="ids already stored: skip (default) or replace rows of earlier imports",
    )
    p.add_argument("--encoding", help="text encoding, if the guess is wrong (e.g. cp1256)")
    p.add_argument("--report", help="write the rejected rows (row, column, problem) to this CSV")
    p.add_argument("--json", action="store_true", help="the result as one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--store")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("batches", help="list imported batches")
    p.add_argument("--json", action="store_true")
    p.add_argument("--store")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("remove-batch", help="remove one imported batch and all its events")
    p.add_argument("batch_id")
    p.add_argument("--store")
    p.set_defaults(func=cmd_remove_batch)


# --- end import -----------------------------------------------------------------------------


def cmd_watch(args) -> int:
    """What the overview lists for each watched view: events added or changed since it
    was last opened (reading does not mark them seen: the analyst has not opened it)."""
    from . import watch

    report = watch.report(_readable_store(args))
    if args.json:
        say_json(report)
        return 0
    print(f"watched views: {len(report)}")
    for entry in report:
        say(f"{entry['name'] or entry['view']}  {entry['link']}  ({len(entry['new'])} new)")
        for item in entry["new"]:
            say(f"  {item['how']:<7} /event?event={item['event_id']}")
    return 0


def _add_watch(sub) -> None:
    p = sub.add_parser("watch", help="events added or changed in each watched view")
    p.add_argument("--json", action="store_true", help="one JSON list of the watched views")
    p.add_argument("--store")
    p.set_defaults(func=cmd_watch)


# --- lake and the Spark engine (owner: distributed) -----------------------------------------


def _add_engine_flags(p) -> None:
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        help="duckdb: the store (default); spark: the lake at --lake (DASHBOARD_ENGINE)",
    )
    p.add_argument("--lake", help="the lake directory the Spark engine reads (DASHBOARD_LAKE)")


def _spark_wanted(args) -> bool:
    from .engines import configured

    return configured(getattr(args, "engine", None)) == "spark"


def _spark_engine(args):
    from .engines.spark import open_lake_engine

    return open_lake_engine(args.lake)


def _spark_info(args) -> int:
    summary = _spark_engine(args).info()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
        return 0
    print(f"lake: {summary['lake']} (snapshot {summary['version']})")
    print(f"events: {summary['events']}")
    for title, key in (("by type", "by_type"), ("by country", "by_country")):
        print(f"{title}:")
        for name, count in summary[key]:
            label = geo.country_name(name) if key == "by_country" and name != "-" else name
            print(f"  {count:>8}  {label}")
    print("by dataset:")
    for name, count in summary["by_dataset"]:
        print(f"  {count:>8}  {name}")
    return 0


def _print_lake_result(result, as_json: bool) -> int:
    for report in result.files:
        for problem in report.problems:
            print(f"rejected: {report.name}: {problem}", file=sys.stderr)
        if report.problems_total > len(report.problems):
            more = report.problems_total - len(report.problems)
            print(f"rejected: {report.name}: ... and {more:,} more (not listed)", file=sys.stderr)
    if as_json:
        fields = {
            "batch_id": result.batch_id,
            "rows": result.rows,
            "snapshot": result.snapshot,
            "committed": result.committed,
            "cancelled": result.cancelled,
            "files": [
                {
                    "name": f.name,
                    "sha256": f.sha256,
                    "already": f.already,
                    "rows_read": f.rows_read,
                    "accepted": f.accepted,
                    "problems": [str(p) for p in f.problems],
                    "problems_total": f.problems_total,
                }
                for f in result.files
            ],
        }
        print(json.dumps(fields, ensure_ascii=False))
    else:
        print(result.summary())
    return 1 if result.problems_total else 0


def cmd_lake_export(args) -> int:
    from . import lake

    try:
        result = lake.export_store(_store_arg(args), Path(args.lake).expanduser())
    except lake.LakeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _print_lake_result(result, args.json)


def cmd_lake_ingest(args) -> int:
    from . import lake

    show, _ = _import_progress()
    try:
        result = lake.ingest(
            [Path(f).expanduser() for f in args.files],
            Path(args.lake).expanduser(),
            fmt=args.format,
            on_problem=args.on_problem,
            progress=None if args.quiet else show,
        )
    except lake.LakeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _print_lake_result(result, args.json)


def _add_lake(sub) -> None:
    p = sub.add_parser("lake", help="the Parquet dataset (lake) the Spark engine reads")
    lake_sub = p.add_subparsers(dest="lake_command", required=True)
    e = lake_sub.add_parser("export", help="make the lake hold the store's events")
    e.add_argument("--store")
    e.add_argument("--lake", required=True, help="the lake directory (made if missing)")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_lake_export)
    i = lake_sub.add_parser("ingest", help="add many source files to the lake as one batch")
    i.add_argument("files", nargs="+", help="ACLED, UCDP, GDELT or native files")
    i.add_argument("--lake", required=True, help="the lake directory (made if missing)")
    i.add_argument("--format", choices=("auto", "native", "acled", "ucdp", "gdelt"), default="auto")
    i.add_argument(
        "--on-problem",
        choices=("skip", "cancel"),
        default="skip",
        help="skip rows with problems (default) or write nothing if any row fails",
    )
    i.add_argument("--json", action="store_true", help="the result as one JSON object")
    i.add_argument("--quiet", action="store_true", help="no progress line")
    i.set_defaults(func=cmd_lake_ingest)


# --- end lake -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("info", help="counts by type, country and dataset")
    p.add_argument("--store")
    p.add_argument("--json", action="store_true")
    _add_engine_flags(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("export", help="write the events a link's query string selects")
    p.add_argument(
        "--query",
        default="",
        help='the query string of a shared link, e.g. "country=SYR&from=2022-01-01", '
        'or a short link\'s "view=ID"',
    )
    p.add_argument("--format", choices=export.FORMATS, default="csv")
    p.add_argument("-o", "--output", required=True, help="file to write, or - for stdout")
    p.add_argument("--strict", action="store_true", help="refuse a query with ignored parts")
    p.add_argument("--store")
    _add_engine_flags(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="run the dashboard (same as: streamlit run app.py)")
    p.add_argument("--store")
    p.add_argument("extra", nargs=argparse.REMAINDER, help="options passed to streamlit run")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("extract", help="draft events from an article (Arabic or English, HTML)")
    p.add_argument("article", help="the article file (UTF-8 text or HTML), or - for stdin")
    p.add_argument("--published", help="publication date YYYY-MM-DD, to resolve 'last January'")
    p.add_argument("--publisher", default="", help="cited as the drafts' source")
    p.add_argument("--url", default="", help="the article's address, cited as the drafts' source")
    p.add_argument("--json", action="store_true", help="one JSON object per draft")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser(
        "extract-eval", help="score the extractor against annotated articles (tests/corpus)"
    )
    p.add_argument("folder", help="a folder of NAME.txt articles with NAME.json annotations")
    p.add_argument(
        "--published",
        choices=("both", "with", "without"),
        default="both",
        help="give the extractor the articles' publication dates, or not, or run both ways",
    )
    p.add_argument("--json", action="store_true", help="the scores as JSON")
    p.set_defaults(func=cmd_extract_eval)
    _add_bench(sub)
    _add_import(sub)
    _add_watch(sub)
    _add_lake(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; output piped into `head` closing early is not an error."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        return args.func(args)
    except store.StoreError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
