"""Loading: the seed files into ``staged`` for the check, and from there into the file being built.

A build runs on an in-memory connection whose catalog holds the tables as
the DDL declares them (the check reads their keys, references and CHECK
rules there). In order:

1. ``attach_staging``: an in-memory database ``staged`` for the seeds;
2. ``stage``: each seed file read and typed into it, once (see ``staging``);
3. the check (``validate.STEPS``), over ``staged``;
4. ``attach_target``: the database file being built, made the default
   database, with the tables created without their keys
   (``schema.LoadingDdl``);
5. ``insert``: every table's rows, from ``staged``, in load order;
6. ``add_keys``: the primary and unique keys, each index built in one go;
7. ``detach``: ``staged`` and the file, which is then complete on disk.

Only identifiers from DuckDB's catalog are written into query text; file
paths are bound parameters.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from . import progress, staging
from .errors import Problem, SeedError, in_seed_file
from .progress import plural
from .schema import LoadingDdl, Table
from .sqltext import q
from .staging import UnreadableFile

STAGED = "staged"
TARGET = "target"
DECLARED = "memory"  # the in-memory connection's own database, with the DDL as declared


def attach_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {STAGED}; CREATE SCHEMA IF NOT EXISTS {STAGED}.data")


def stage(con: duckdb.DuckDBPyConnection, seeds: Path, tables: list[Table]) -> tuple[list[Problem], list[Table]]:
    """Read every file into ``staged``: the issues found reading, and the tables whose files could not be read."""
    issues: list[Problem] = []
    unreadable: list[Table] = []
    for table in progress.counted(tables, "reading seed files"):
        try:
            staging.read(con, seeds, table)
        except UnreadableFile as exc:
            unreadable.append(table)
            issues.append(in_seed_file(table.name, exc.message, offset=exc.offset, rule="csv_file"))
    read = [t for t in tables if t not in unreadable]
    staging.views(con, read)
    return issues + staging.rejects(con, seeds, read), unreadable


def attach_target(con: duckdb.DuckDBPyConnection, path: Path, storage_version: str, ddl: LoadingDdl) -> None:
    """Open the file being built as database ``target``, make it the default, and create the tables in it."""
    con.execute(f"ATTACH $path AS {TARGET} (STORAGE_VERSION $version)", {"path": str(path), "version": storage_version})
    con.execute(f"USE {TARGET}")
    # One transaction for the whole file: a commit per statement would write (and sync) a log entry for
    # each of the hundreds of statements, and that was most of a small build's time.
    con.execute("BEGIN TRANSACTION")
    con.execute(ddl.script)


def insert(con: duckdb.DuckDBPyConnection, order: list[Table], seeds: Path, problems: list[Problem]) -> dict[str, int]:
    """Copy every staged table into the target's, in load order; the rows of each, by table."""
    rows = staged_rows(con, order)
    progress.stage(f"loading {plural(len(order), 'table')} ({plural(sum(rows.values()), 'row')})")
    for table in progress.counted(order, "loading tables"):
        _refused_as_seed_error(con, f"INSERT INTO {q(table.name)} SELECT {', '.join(q(c) for c in table.column_names)} "
                                    f"FROM {STAGED}.{q(table.name)}", problems, seeds / f"{table.name}.csv")
    return rows


def add_keys(con: duckdb.DuckDBPyConnection, ddl: LoadingDdl, seeds: Path, problems: list[Problem]) -> None:
    """Add the primary and unique keys, now that the rows are in."""
    for table, statements in progress.counted(list(ddl.keys.items()), "adding keys"):
        for statement in statements:
            _refused_as_seed_error(con, statement, problems, seeds / f"{table}.csv")


def detach(con: duckdb.DuckDBPyConnection) -> None:
    """Commit, write the file out and let it go; ``staged`` goes with it."""
    con.execute("COMMIT")
    con.execute(f"USE {DECLARED}")
    con.execute(f"DETACH DATABASE IF EXISTS {STAGED}")
    con.execute(f"CHECKPOINT {TARGET}")
    con.execute(f"DETACH {TARGET}")


def detach_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DETACH DATABASE IF EXISTS {STAGED}")


def staged_rows(con: duckdb.DuckDBPyConnection, tables: list[Table]) -> dict[str, int]:
    """How many rows each staged table holds."""
    if not tables:
        return {}
    counts = " UNION ALL ".join(f"SELECT {i}, count(*) FROM {STAGED}.{q(t.name)}" for i, t in enumerate(tables))
    found = dict(con.execute(counts).fetchall())
    return {t.name: found[i] for i, t in enumerate(tables)}


def _refused_as_seed_error(con: duckdb.DuckDBPyConnection, statement: str, problems: list[Problem],
                           path: Path) -> None:
    """Run a loading statement; a rule the checks do not cover yet is still the user's data, not a traceback."""
    try:
        con.execute(statement)
    except duckdb.Error as exc:
        message = str(exc).split("\n")[0]
        refused = Problem(str(path), None, None, f"the database refused this file: {message}")
        raise SeedError(problems + [refused]) from None
