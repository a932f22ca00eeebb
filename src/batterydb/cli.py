"""The ``batterydb`` command: a thin layer over the library.

Every subcommand calls one library function and prints its result; user
mistakes (``BatterydbError``) become a message on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__, output
from .builder import build
from .database import connect
from .errors import BatterydbError, Problem, SeedError
from .validate import check

EPILOG_BUILD = """example:
  batterydb build
  batterydb build --seeds my-seeds --out /tmp/mine.duckdb"""
EPILOG_CHECK = """example:
  batterydb check
  batterydb check --seeds my-seeds --strict

Every problem is listed as FILE:LINE:COLUMN: error|warning: message, with the
header as line 1. Exit status: 0 when there are no errors (warnings allowed),
1 with --strict when there are warnings, 2 when there are errors."""
EPILOG_QUERY = """example:
  batterydb query joint_venture_owners
  batterydb query joint_venture_owners targets
  batterydb query targets --format csv > targets.csv"""
EPILOG_SQL = """example:
  batterydb sql "SELECT name, country_code FROM organisations ORDER BY name\""""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="batterydb",
        description="Build and query the batterydb database of the EV battery industry.",
        epilog="example:\n  batterydb build && batterydb queries",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"batterydb {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_: str, epilog: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_, description=help_, epilog=epilog,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    for name, help_, epilog in (
        ("check", "Check the seed files without building; list every problem.", EPILOG_CHECK),
        ("build", "Check the seeds, then build the database file from the schema and seed folders.", EPILOG_BUILD),
    ):
        p = add(name, help_, epilog)
        p.add_argument("--seeds", type=Path, help="seed folder (default: the shipped seeds)")
        p.add_argument("--schema", type=Path, help="DDL folder (default: the shipped schema)")
        p.add_argument("--strict", action="store_true", help="exit with status 1 when there are warnings")
        if name == "build":
            p.add_argument("--out", type=Path, help="database file to write (default: build/batterydb.duckdb, "
                                                    "or $BATTERYDB_DATABASE)")

    for name, help_, epilog in (
        ("queries", "List the named queries and the question each answers.", "example:\n  batterydb queries"),
        ("query", "Run named queries and print their results.", EPILOG_QUERY),
        ("sql", "Run ad hoc SQL against the database (read-only).", EPILOG_SQL),
    ):
        p = add(name, help_, epilog)
        if name == "query":
            p.add_argument("names", nargs="+", metavar="NAME", help="name of a query (see: batterydb queries)")
        if name == "sql":
            p.add_argument("text", help="the SQL to run")
        p.add_argument("--db", type=Path, help="database file (default: build/batterydb.duckdb, "
                                               "or $BATTERYDB_DATABASE; built when missing)")
        if name != "queries":
            p.add_argument("--format", choices=output.FORMATS, default="table", help="output format")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SeedError as exc:
        _report(exc.problems)
        return 2
    except BatterydbError as exc:
        print(f"batterydb: {exc}", file=sys.stderr)
        return 2


def _shown(problem: Problem) -> str:
    """The problem with its file relative to the current directory, when it lies below it."""
    path = Path(problem.file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            pass
    return str(replace(problem, file=str(path)))


def _report(problems: list[Problem]) -> None:
    """Every problem on stderr, then a count, like a compiler."""
    for problem in problems:
        print(_shown(problem), file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}",
          file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        problems = check(args.seeds, args.schema)
        _report(problems)
        if any(p.is_error for p in problems):
            return 2
        return 1 if args.strict and problems else 0
    if args.command == "build":
        result = build(out=args.out, seeds=args.seeds, schema_dir=args.schema)
        if result.warnings:
            _report(result.warnings)
        rows = sum(result.row_counts.values())
        print(f"built {result.path} ({len(result.row_counts)} tables, {rows} rows)")
        return 1 if args.strict and result.warnings else 0
    with connect(args.db) as db:
        if args.command == "queries":
            for q in db.queries.values():
                print(f"{q.name}\n    {q.title}: {q.question}")
        elif args.command == "query":
            for i, name in enumerate(args.names):
                result = db.run(name)
                if args.format == "table":
                    q = db.queries[name]
                    print(("\n" if i else "") + f"{q.title}\n{q.question}\n")
                output.write(result, args.format)
        elif args.command == "sql":
            output.write(db.sql(args.text), args.format)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
