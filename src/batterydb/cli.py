"""The ``batterydb`` command: a thin layer over the library.

Each subcommand is one function below, registered with its help, its
examples and its options by ``@command``; it calls the library and prints
what it gives back. User mistakes (``BatterydbError``) become a message on
stderr and exit status 2, never a traceback. The commands are tested
in-process through ``main(argv)``.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import logging
import os
import re
import resource
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TextIO

from . import console, dialects, freshness, output, paths, progress, sandbox, validate
from .builder import build
from .catalogue import find, load
from .database import connect
from .errors import BatterydbError, Problem, SeedError
from .generate import generate
from .validate import check
from .version import __version__


@dataclass(frozen=True)
class Option:
    """One argument of a command, as ``argparse.ArgumentParser.add_argument`` takes it.

    ``completer`` gives the words shell completion offers for it (see ``_complete``).
    """

    flags: tuple[str, ...]
    settings: dict = field(default_factory=dict)
    completer: Callable[..., list[str]] | None = None


def option(*flags: str, completer: Callable[..., list[str]] | None = None, **settings) -> Option:
    return Option(flags, settings, completer)


def _query_names(prefix: str = "", parsed_args: argparse.Namespace | None = None, **_) -> list[str]:
    """The named queries, for completion: those of --queries when it is given before, else the shipped ones."""
    try:
        names = load(getattr(parsed_args, "queries", None))
    except BatterydbError:  # a folder that is not one yet: nothing to offer
        return []
    return [name for name in names if name.startswith(prefix)]


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    epilog: str
    options: tuple[Option, ...]
    run: Callable[[argparse.Namespace], int]
    #: Whether it tells its stages on stderr as it goes (see ``progress``), unless --quiet.
    progress: bool = False


#: Every command, in the order ``batterydb --help`` lists them.
COMMANDS: dict[str, Command] = {}


def command(name: str, summary: str, epilog: str, *options: Option, progress: bool = False):
    """Register the decorated function as the command ``name``."""
    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = Command(name, summary, epilog, options, run, progress)
        return run
    return register


# --- options that several commands share ---------------------------------------------------------------------

DB = option("--db", type=Path, help="database file (default: build/batterydb.duckdb, or $BATTERYDB_DATABASE, "
                                    "which alone is built when missing)")
QUERIES = option("--queries", type=Path, help="named-query folder (default: the shipped queries)")
SEEDS = option("--seeds", type=Path, help="seed folder (default: the shipped seeds)")
SCHEMA = option("--schema", type=Path, help="DDL folder (default: the shipped schema)")
QUIET = option("--quiet", "-q", action="store_true",
               help="do not tell the stages on stderr as they go (errors and warnings still are)")
PROBLEM_OPTIONS = (
    SEEDS,
    SCHEMA,
    option("--strict", action="store_true", help="exit with status 1 when there are warnings"),
    option("--all-problems", action="store_true",
           help="list every problem, instead of one line for a rule's many warnings"),
    option("--problems-file", type=Path, metavar="FILE", help="also write every problem to FILE, one a line"),
)
OUTPUT_OPTIONS = (
    option("--format", "-f", choices=output.FORMATS, help="output format (default: table at a terminal, else csv)"),
    option("--output", "-o", type=Path, help="write to this file instead of stdout"),
    option("--full-width", action="store_true",
           help="table: show every column whole, however wide (default: fit the terminal)"),
    option("--neutralise-formulas", action="store_true",
           help="csv: prefix ' to text cells a spreadsheet would run as a formula "
                "(starting with = + - @, tab or carriage return); changes those values"),
)

# --- options of one command each ------------------------------------------------------------------------------

PUBLISH_TARGET = option("target", choices=("postgres",), help="where to publish (postgres)")
TRANSPILE_NAME = option("name", nargs="?", completer=_query_names, help="name of the query (see: batterydb queries)")
TRANSPILE_ALL = option("--all", action="store_true", help="the DDL and every query")
LISTING_FORMAT = option("--format", choices=("table", "json"), default="table", help="output format")
QUERY_NAME = option("name", completer=_query_names, help="name of the query (see: batterydb queries)")
SQL_TEXT = option("text", help="the SQL to run")
OUT = option("--out", type=Path,
             help="database file to write (default: build/batterydb.duckdb, or $BATTERYDB_DATABASE)")
DECLARE_FOREIGN_KEYS = option("--declare-foreign-keys", action="store_true",
                              help="declare the foreign keys to DuckDB too, for tools that draw diagrams "
                                   "from its catalog (slower; they are always listed in meta.foreign_keys)")
QUERY_NAMES = option("name", nargs="+", completer=_query_names, help="name of the query (see: batterydb queries); "
                                             "several print one after the other (table or markdown)")
SOURCES = option("--sources", action="store_true",
                 help="under the result, the sources its rows rest on, each with its publisher and date")
PARAM = option("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
               help="a parameter of the query; repeat for each")
EXPORT_FORMAT = option("--format", choices=("parquet", "csv", "spark", "bods"), default="parquet",
                       help="file format (default: parquet); spark: Parquet files and batterydb.sql, "
                            "a Spark SQL script declaring them and the named queries; bods: the organisations "
                            "and stakes as BODS 0.4 statements, into the --out file")
LOCATION = option("--location", metavar="URI",
                  help="with --format spark: where Spark will find the folder, e.g. "
                       "hdfs://namenode/batterydb (default: the folder itself, as a file: URI)")
EXPORT_DIR = option("--dir", type=Path, help="folder to write the files into (every format but bods)")
EXPORT_OUT = option("--out", type=Path, metavar="FILE",
                    help="with --format bods: the file to write, .json (an array) or .jsonl (a statement a line)")
EXPORT_QUERIES = option("--queries", action="store_true",
                        help="also write the result of every query that needs no parameter")
DSN = option("--dsn", required=True, help="libpq connection string of the PostgreSQL database")
PG_SCHEMA = option("--schema", default="batterydb", dest="pg_schema",
                   help="PostgreSQL schema to publish into (default: batterydb)")
READER = option("--reader", default="batterydb_reader",
                help="read-only role BI users log in as (default: batterydb_reader)")
READER_PASSWORD_ENV = option("--reader-password-env", default="BATTERYDB_READER_PASSWORD", metavar="VAR",
                             help="environment variable holding the reader's password "
                                  "(default: BATTERYDB_READER_PASSWORD; unset: password unchanged)")
DIALECT = option("--dialect", choices=dialects.NAMES, help="the SQL dialect to write")
COVERAGE = option("--coverage", action="store_true",
                  help="instead, a Markdown table of which queries carry to which dialect")
SCALE = option("--scale", type=float, required=True, metavar="N",
               help="size: N times about 1,000 organisations (e.g. 0.1, 1, 1000)")
GENERATE_OUT = option("--out", type=Path, required=True, metavar="DIR",
                      help="folder to write the seed files into (new, empty, or generated before)")
SEED = option("--seed", type=int, default=0, metavar="S",
              help="random seed (default: 0); the same seed gives the same files")
SAFE = option("--safe", action="store_true",
              help="locked-down mode for untrusted users: DuckDB's safe mode (no access to "
                   "the host's files) with the process's memory capped")


# --- the commands ---------------------------------------------------------------------------------------------

@command("build", "Check the seeds, then build the database file and its analytics macros and views.", """\
examples:
  batterydb build
  batterydb build --seeds my-seeds --out /tmp/mine.duckdb

Its stages (reading, checking, loading, installing) are told on stderr as
they go; --quiet keeps them back. Problems are told as by batterydb check.""",
         *PROBLEM_OPTIONS, QUIET, QUERIES, OUT, DECLARE_FOREIGN_KEYS, progress=True)
def build_command(args: argparse.Namespace) -> int:
    with _problems_file(args.problems_file) as listing:
        try:
            result = build(out=args.out, seeds=args.seeds, schema_dir=args.schema, queries=args.queries,
                           declare_foreign_keys=args.declare_foreign_keys)
        except SeedError as exc:
            _report(exc.problems, args.all_problems, listing)
            return 2
        _report(result.warnings, args.all_problems, listing, shown=bool(result.warnings))
    rows = sum(result.row_counts.values())
    print(f"built {_shown_path(str(result.path))} ({len(result.row_counts)} tables, {rows} rows)")
    return 1 if args.strict and result.warnings else 0


@command("check", "Check the seed files without building; list every problem.", """\
examples:
  batterydb check
  batterydb check --seeds my-seeds --strict
  batterydb check --seeds big-seeds --problems-file problems.txt

Each problem is listed as FILE:LINE:COLUMN: error|warning: message, with the
header as line 1, then the count (0 errors, 6 warnings). When one rule finds
more than 5 problems in a file, its warnings are one line with their count
and the first 3 lines (FILE: warning: 1,198 facilities have no capacity
figure (rule facility_without_capacity), e.g. lines 3, 5, 8; ...), and its
errors are listed for the first 5, then counted likewise. --all-problems
lists every one; --problems-file FILE writes them all to FILE. Exit status:
0 when there are no errors (warnings allowed), 1 with --strict when there
are warnings, 2 when there are errors.""",
         *PROBLEM_OPTIONS, QUIET, progress=True)
def check_command(args: argparse.Namespace) -> int:
    with _problems_file(args.problems_file) as listing:
        problems = check(args.seeds, args.schema)
        _report(problems, args.all_problems, listing)
    if any(p.is_error for p in problems):
        return 2
    return 1 if args.strict and problems else 0


@command("lint", "Check the named queries against the schema without running them.", """\
examples:
  batterydb lint
  batterydb lint --queries my-queries

Each problem is listed as FILE:LINE: message; exit status 2 when there is any.""",
         QUERIES, SCHEMA)
def lint_command(args: argparse.Namespace) -> int:
    from .lint import lint

    problems = lint(args.queries, args.schema)
    for problem in problems:  # as a compiler reports them: file:line: message
        print(f"{replace(problem, file=_shown_path(problem.file)).where}: {problem.message}", file=sys.stderr)
    return 2 if problems else 0


@command("queries", "List the named queries and the question each answers.", """\
examples:
  batterydb queries
  batterydb queries --format json""",
         DB, QUERIES, LISTING_FORMAT)
def queries_command(args: argparse.Namespace) -> int:
    import json

    with connect(args.db, queries=args.queries) as db:
        if args.format == "json":
            print(json.dumps([q.summary() for q in db.queries.values()], indent=2))
        else:
            for q in db.queries.values():
                print(q.usage())
    return 0


@command("show", "Show a named query: its question, parameters and SQL.", """\
example:
  batterydb show owners_of""",
         DB, QUERIES, QUERY_NAME)
def show_command(args: argparse.Namespace) -> int:
    with connect(args.db, queries=args.queries) as db:
        query = find(db.queries, args.name)
        sys.stdout.write(query.describe(_shown_path(str(query.path))))
    return 0


@command("query", "Run a named query and print its result.", """\
examples:
  batterydb query joint_venture_owners
  batterydb query owners_of --param org=beijing_era --format json
  batterydb query targets --format parquet --output targets.parquet
  batterydb query joint_venture_owners targets --sources

Parameters are given as --param NAME=VALUE (lists comma-separated). Output to
a terminal is an aligned table; to a pipe or a file it is CSV unless --format
says otherwise.""",
         DB, QUERIES, QUERY_NAMES, SOURCES, PARAM, *OUTPUT_OPTIONS)
def query_command(args: argparse.Namespace) -> int:
    with connect(args.db, queries=args.queries) as db:
        fmt = args.format or output.default_format(args.output, sys.stdout)
        if len(args.name) > 1 and (fmt not in ("table", "markdown") or args.output is not None):
            raise BatterydbError(f"query: several queries print one after the other as a table or markdown "
                                 f"on stdout; give one name for --format {fmt}"
                                 + (" or --output" if args.output is not None else ""))
        chosen, given = [find(db.queries, name) for name in args.name], _params(args.param)
        if len(chosen) > 1:  # each query takes the parameters it has; one that none has is a mistake
            unknown = sorted(set(given) - {p.name for query in chosen for p in query.params})
            if unknown:
                raise BatterydbError(f"query: none of {', '.join(args.name)} has a parameter {unknown[0]!r}")
        for number, query in enumerate(chosen):
            values = given if len(chosen) == 1 else {k: v for k, v in given.items()
                                                     if k in {p.name for p in query.params}}
            # What DuckDB writes streams from the query itself; a table for a person is held, and read twice.
            run = db.stream if fmt in output.COPY_OPTIONS and not args.sources else db.run
            result = run(query.name, **values)
            if number:
                print()
            if fmt == "table" and args.output is None:  # a person reads it: say what it answers
                print(f"{query.title}\n{query.question}\n")
            output.write(result, fmt, args.output, full_width=args.full_width,
                         neutralise_formulas=args.neutralise_formulas)
            if args.sources:
                from . import sources

                print(sources.line(db, result))
    return 0


@command("sql", "Run ad hoc SQL against the database (read-only) and print the result.", """\
examples:
  batterydb sql "SELECT name, country_code FROM organisations ORDER BY name"
  batterydb sql "SELECT * FROM analytics.owners_of('beijing_era')" --format markdown""",
         DB, SQL_TEXT, *OUTPUT_OPTIONS)
def sql_command(args: argparse.Namespace) -> int:
    with connect(args.db) as db:
        fmt = args.format or output.default_format(args.output, sys.stdout)
        result = (db.stream_sql if fmt in output.COPY_OPTIONS else db.sql)(args.text)
        output.write(result, fmt, args.output, full_width=args.full_width,
                     neutralise_formulas=args.neutralise_formulas)
    return 0


@command("export", "Write every table (and optionally every parameterless query) to Parquet or CSV files.", """\
examples:
  batterydb export --format parquet --dir lake/batterydb
  batterydb export --format csv --dir out --queries
  batterydb export --format spark --dir lake/batterydb --location s3a://bucket/batterydb
  batterydb export --format bods --out ownership.json

Beside the files: schema.sql (the DDL) and manifest.json (tables, columns,
types and row counts). With --format spark, also batterydb.sql: run it in a
Spark session (spark-sql -f batterydb.sql, or batterydb.spark.load(spark,
folder) from PySpark) to get database batterydb with every table and
database batterydb_analytics with the named queries as SQL table functions.
With --format bods, one file of Beneficial Ownership Data Standard 0.4
statements: an entity per organisation and a relationship per stake.""",
         QUIET, EXPORT_FORMAT, LOCATION, EXPORT_DIR, EXPORT_OUT, EXPORT_QUERIES, DB, progress=True)
def export_command(args: argparse.Namespace) -> int:
    if args.format == "bods":
        return _export_bods(args)
    if args.out is not None:
        raise BatterydbError("--out is for --format bods; the other formats write into a folder given by --dir")
    if args.dir is None:
        raise BatterydbError(f"--format {args.format} writes into a folder: give it with --dir")
    if args.format == "spark":
        from .spark import export_spark

        with connect(args.db) as db:
            manifest = export_spark(db, args.dir, location=args.location)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        carried = manifest["spark"]
        print(f"wrote {len(manifest['tables'])} tables ({rows} rows) to {_shown_path(str(args.dir))}, and "
              f"{carried['script']} declaring them and {carried['queries']} named queries for Spark at "
              f"{carried['location']}")
        for name, reasons in carried["not_carried"].items():
            print(f"batterydb: note: query {name} is not carried to Spark: {'; '.join(reasons)}", file=sys.stderr)
        return 0
    if args.location is not None:
        raise BatterydbError("--location is for --format spark, which says where Spark will find the files")
    from .export import export

    with connect(args.db) as db:
        manifest = export(db, args.dir, args.format, include_queries=args.queries)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    print(f"wrote {len(manifest['tables'])} tables ({rows} rows)"
          + (f" and {len(manifest['queries'])} query results" if args.queries else "")
          + f" to {_shown_path(str(args.dir))}")
    return 0


def _export_bods(args: argparse.Namespace) -> int:
    from . import bods

    if args.out is None:
        raise BatterydbError("--format bods writes one file: give it with --out FILE (.json or .jsonl)")
    if args.dir is not None or args.queries or args.location is not None:
        raise BatterydbError("--format bods writes the --out file only; --dir, --queries and --location are "
                             "for the other formats")
    with connect(args.db) as db:
        counts = bods.export(db, args.out)
    print(f"wrote {counts['entity']} entity and {counts['relationship']} relationship statements (BODS "
          f"{bods.BODS_VERSION}) to {_shown_path(str(args.out))}")
    return 0


@command("publish", "Publish the database to a PostgreSQL server for BI tools, replacing the previous copy atomically.", """\
examples:
  batterydb publish postgres --dsn "host=db.example user=loader dbname=analytics"
  BATTERYDB_READER_PASSWORD=... batterydb publish postgres --dsn "$DSN" --schema batterydb

Creates the schema (tables, keys, constraints, comments), loads every table
with COPY, and creates a read-only role (--reader) that can read that schema
and nothing else, or updates the one it created before; its password is
taken from the environment variable named by --reader-password-env, when
set. It replaces only schemas and a role it created itself (it marks them
with a comment), refuses public and PostgreSQL's own schemas, and refuses to
replace a copy that objects outside it depend on; nothing is changed then.
Needs psycopg: pip install 'batterydb[postgres]'.""",
         QUIET, PUBLISH_TARGET, DSN, PG_SCHEMA, READER, READER_PASSWORD_ENV, DB, progress=True)
def publish_command(args: argparse.Namespace) -> int:
    from .publish import publish_postgres

    with connect(args.db) as db:
        done = publish_postgres(db, args.dsn, args.pg_schema, args.reader, os.environ.get(args.reader_password_env))
    counts = done.row_counts
    print(f"published {len(counts)} tables ({sum(counts.values())} rows) to schema {done.schema} "
          f"and {len(done.functions)} named queries ({len(done.views)} also as views) to schema "
          f"{done.analytics_schema}; read-only role {args.reader}")
    for name, reasons in done.not_carried.items():
        print(f"batterydb: note: query {name} is not published: {'; '.join(reasons)}", file=sys.stderr)
    if not done.temporary_revoked:
        print(f"batterydb: note: role {args.reader} can still create temporary tables, which only the "
              "database's owner can revoke: REVOKE TEMPORARY ON DATABASE <database> FROM PUBLIC",
              file=sys.stderr)
    return 0


@command("transpile", "Print the schema and named queries in another SQL dialect, or why a query cannot be carried.", """\
examples:
  batterydb transpile owners_of --dialect postgres
  batterydb transpile --all --dialect trino > batterydb-trino.sql
  batterydb transpile --coverage

sqlglot translates each query from DuckDB's dialect. A query that uses a
construct the other engine lacks or reads differently is not printed; the
reasons are, on stderr (a single NAME that cannot be carried exits with
status 2). --all prints the tables' DDL first.""",
         TRANSPILE_NAME, TRANSPILE_ALL, DIALECT, COVERAGE, QUERIES)
def transpile_command(args: argparse.Namespace) -> int:
    from . import transpile

    catalogue = load(args.queries)
    if args.coverage:
        sys.stdout.write(transpile.coverage_markdown(catalogue))
        return 0
    if bool(args.name) == args.all:
        raise BatterydbError("transpile: give either a query NAME or --all")
    if args.dialect is None:
        raise BatterydbError(f"transpile: say which dialect to write with --dialect ({', '.join(dialects.NAMES)})")
    queries = list(catalogue.values()) if args.all else [find(catalogue, args.name)]
    text, refused = transpile.script(queries, args.dialect, tables=args.all)
    if text:
        print(text)
    for carried in refused:
        print(f"batterydb: {carried.name} cannot be carried to {args.dialect}: {'; '.join(carried.reasons)}",
              file=sys.stderr)
    if args.all:
        print(f"batterydb: {len(queries) - len(refused)} of {len(queries)} queries carried to {args.dialect}",
              file=sys.stderr)
    return 2 if refused and not args.all else 0


SITE_OUT = option("--out", type=Path, required=True, metavar="DIR",
                  help="folder to write the site into (new, empty, or a site written before)")


@command("docs", "Write the catalogue site: a page per table and named query, and the model's diagram.", """\
examples:
  batterydb docs --out site
  batterydb docs --db /tmp/mine.duckdb --out /tmp/batterydb-site

The site is static HTML that needs no network: open DIR/index.html in a
browser, or copy the folder to a share. It is generated from the database
and its named queries alone; the diagram needs Graphviz's dot. Its steps
are told on stderr as they go; --quiet keeps them back.""",
         QUIET, SITE_OUT, DB, progress=True)
def docs_command(args: argparse.Namespace) -> int:
    from . import site

    with connect(args.db) as db:
        written = site.write(db, args.out)
    print(f"wrote {len(written)} pages to {_shown_path(str(args.out))}; open "
          f"{_shown_path(str(args.out / 'index.html'))}")
    return 0


@command("generate", "Write a synthetic seed folder, shaped like the real data, at a chosen size.", """\
examples:
  batterydb generate --scale 1 --out synthetic
  batterydb generate --scale 100 --out /tmp/big --seed 7
  batterydb build --seeds synthetic --out /tmp/synthetic.duckdb

Scale 1 is about 1,000 organisations and 2,000 ownership stakes, scale 1000
about a million and two million. The folder passes batterydb check without
errors; its warnings (stakes below 100%, ownership cycles, plants without
capacity) are there on purpose. The same scale and seed give the same files.""",
         QUIET, SCALE, GENERATE_OUT, SEED, progress=True)
def generate_command(args: argparse.Namespace) -> int:
    counts = generate(args.out, args.scale, args.seed)
    print(f"wrote {len(counts)} seed files ({sum(counts.values())} rows: {counts['organisations']} organisations, "
          f"{counts['ownership_stakes']} ownership stakes) to {_shown_path(str(args.out))}")
    return 0


@command("shell", "Open the DuckDB command-line client on the database, read-only.", """\
examples:
  batterydb shell
  batterydb shell --safe

Needs the DuckDB CLI: pip install 'batterydb[cli]' (the duckdb-cli package).
--safe starts it in DuckDB's safe mode (no access to the host's files, no
shell commands) with the process's address space capped as an untrusted
session's is (batterydb.sandbox.Limits); it never builds. A console user's
statements have no timeout there: Ctrl-C stops one.""",
         DB, SAFE)
def shell_command(args: argparse.Namespace) -> int:
    binary = console.require_binary()
    if args.safe:  # never builds, as an untrusted session does not
        path = paths.default_database(args.db)
        if not path.is_file():
            raise freshness.missing(path)
    else:
        with connect(args.db) as db:  # builds the default file when missing or stale
            path = db.path
    argv = console.shell_command(binary, path, safe=args.safe)
    sys.stdout.flush()
    if args.safe:
        # Safe mode locks DuckDB's configuration before any command runs, so its memory limit cannot be
        # lowered from here: the kernel holds the whole process to the untrusted sessions' cap instead.
        cap = sandbox.Limits().address_space()
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.execv(binary, argv)
    return 0  # pragma: no cover - execv does not return


# --- the parser and the way in --------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="batterydb",
        description="Build and query batterydb, the database of the EV battery industry.",
        epilog="examples:\n  batterydb build\n  batterydb queries\n  batterydb query owners_of --param org=beijing_era",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", "-V", action="version", version=f"batterydb {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=cmd.summary, description=cmd.summary, epilog=cmd.epilog,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        for opt in cmd.options:
            action = p.add_argument(*opt.flags, **opt.settings)
            if opt.completer is not None:
                action.completer = opt.completer
        p.set_defaults(run=cmd.run)
    return parser


def _complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's request for completions (argcomplete's protocol), then exit.

    Only a shell asking for completions sets ``_ARGCOMPLETE``, so only then is
    argcomplete imported: every other start pays nothing for it. Enable it
    with ``eval "$(register-python-argcomplete batterydb)"``.
    """
    try:
        import argcomplete
    except ImportError:  # completion was set up where argcomplete is gone: offer nothing, as for any word
        sys.exit(1)
    argcomplete.autocomplete(parser)


#: Exit status after Ctrl-C, as shells report a command ended by SIGINT.
INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    trap = _common_mistake(argv)
    if trap is not None:
        print(f"batterydb: {trap}", file=sys.stderr)
        return 2
    parser = _parser()
    if "_ARGCOMPLETE" in os.environ:
        _complete(parser)
    args = parser.parse_args(argv)
    try:
        with progress.to_stderr(_log_level(args)):
            return args.run(args)
    except SeedError as exc:  # a build on the way, as connect() makes when the default file is missing
        _report(exc.problems)
        return 2
    except BatterydbError as exc:
        print(f"batterydb: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except KeyboardInterrupt:  # every command removes its own temporaries on the way out
        print("batterydb: interrupted", file=sys.stderr)
        return INTERRUPTED


def _common_mistake(argv: list[str]) -> str | None:
    """What a user most likely meant, for the mistakes argparse would answer with its usage text only."""
    command = next((a for a in argv if not a.startswith("-")), None)
    if command is None or argv.index(command) != 0:
        return None
    if command not in COMMANDS:
        close = difflib.get_close_matches(command, COMMANDS, n=1)
        return (f"unknown command {command!r}" + (f"; did you mean {close[0]}?" if close else "")
                + f" (commands: {', '.join(COMMANDS)})")
    if command == "query":
        bare = [a for i, a in enumerate(argv[2:], 2)
                if re.match(r"[a-z_][a-z0-9_]*=", a) and not argv[i - 1].startswith("-")]  # not an option's value
        if bare:
            return (f"{bare[0]!r}: parameters are given with --param, e.g. batterydb query {argv[1]} "
                    f"--param {bare[0]}")
    return None


def _log_level(args: argparse.Namespace) -> int:
    """What the library logs goes to stderr, never into the answer: its stages for the long commands
    (every counter step at a terminal), and for every command its warnings (a database rebuilt on the way)."""
    if not COMMANDS[args.command].progress or args.quiet:
        return logging.WARNING
    return logging.DEBUG if sys.stderr.isatty() else logging.INFO


def _shown_path(file: str) -> str:
    """A path relative to the current directory when it lies below it (through symbolic links too)."""
    path = Path(file)
    if path.is_absolute():
        cwd = Path.cwd()
        for below, base in ((path, cwd), (path.resolve(), cwd.resolve())):
            try:
                return str(below.relative_to(base))
            except ValueError:
                pass
    return file


@contextlib.contextmanager
def _problems_file(path: Path | None):
    """The file --problems-file names, opened at once, as a shell opens a redirection: a path that cannot
    be written fails before any work is done."""
    if path is None:
        yield None
        return
    output._writable(path)
    try:
        listing = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise BatterydbError(f"{path}: cannot write here: {exc.strerror}") from None
    with listing:
        yield listing


def _report(problems: list[Problem], every: bool = False, listing: TextIO | None = None,
            shown: bool = True) -> None:
    """The problems on stderr, like a compiler, a rule's many warnings in one line (see ``validate.report``);
    every one into ``listing``, when given. ``shown`` False writes ``listing`` only."""
    problems = [replace(p, file=_shown_path(p.file)) for p in problems]
    full_list = validate.ALL_PROBLEMS
    if listing is not None:
        listing.write("".join(line + "\n" for line in validate.report(problems, every=True)))
        listing.flush()
        full_list = f"{_shown_path(str(Path(listing.name).absolute()))} lists them all"
    if shown:
        progress.pause()
        for line in validate.report(problems, every=every, full_list=full_list):
            print(line, file=sys.stderr)


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BatterydbError(f"--param {pair!r}: expected NAME=VALUE, e.g. --param org=CATL")
        if name.strip() in values:
            raise BatterydbError(f"--param {name.strip()} is given twice; give each parameter once "
                                 "(a list parameter takes comma-separated values)")
        values[name.strip()] = value
    return values


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
