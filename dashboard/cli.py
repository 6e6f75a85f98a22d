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
from .query import EventQuery


def _store_arg(args) -> Path:
    return Path(args.store).expanduser() if args.store else store.default_store_path()


def cmd_info(args) -> int:
    path = store.ensure_store(_store_arg(args))
    summary = store.info(path)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, default=str))
        return 0
    print(f"store: {summary['store']}")
    print(f"events: {summary['events']}")
    for title, key in (
        ("by type", "by_type"),
        ("by country", "by_country"),
        ("by dataset", "by_dataset"),
    ):
        print(f"{title}:")
        for name, count in summary[key]:
            label = geo.country_name(name) if key == "by_country" and name != "-" else name
            print(f"  {count:>8}  {label}")
    return 0


def cmd_export(args) -> int:
    state, notices = urlstate.decode(args.query, is_country=geo.is_country_code)
    for notice in notices:
        print(f"warning: {notice}", file=sys.stderr)
    if notices and args.strict:
        return 2
    path = store.ensure_store(_store_arg(args))
    mem = store.load_memory(path)
    frame = EventQuery(mem).export_rows(state.filters)
    data = export.render(frame, args.format)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        try:
            export.write_atomic(data, Path(args.output))
        except OSError as exc:
            print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("info", help="counts by type, country and dataset")
    p.add_argument("--store")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("export", help="write the events a link's query string selects")
    p.add_argument(
        "--query",
        default="",
        help='the query string of a shared link, e.g. "country=SYR&from=2022-01-01"',
    )
    p.add_argument("--format", choices=export.FORMATS, default="csv")
    p.add_argument("-o", "--output", required=True, help="file to write, or - for stdout")
    p.add_argument("--strict", action="store_true", help="refuse a query with ignored parts")
    p.add_argument("--store")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="run the dashboard (same as: streamlit run app.py)")
    p.add_argument("--store")
    p.add_argument("extra", nargs=argparse.REMAINDER, help="options passed to streamlit run")
    p.set_defaults(func=cmd_serve)
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
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
