"""Building the database file from the DDL and the seeds, atomically.

The build writes a temporary file beside the target and renames it into
place only when every table has loaded, so a reader sees either the previous
database or the new one, never a half-built file, and a failed build leaves
the previous file exactly as it was.

Its stages (reading, checking, loading, installing) are told through
``progress``: the ``batterydb`` logger at INFO level.
"""

from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from . import analytics, catalogue, derived, inputs, leftovers, loading, paths, progress, schema, validate
from .version import __version__
from .errors import BuildError, Problem, SeedError
from .progress import plural

#: The storage format the file is written in. The newest DuckDB CLI on PyPI (duckdb-cli 1.5) reads
#: files of format v1.5.0 but not DuckDB 2.0's default; typed macro parameters need v1.4.0 or later.
STORAGE_VERSION = "v1.5.0"

META_DDL = (Path(__file__).resolve().parent / "meta.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class BuildResult:
    path: Path
    row_counts: dict[str, int]
    warnings: list[Problem]
    timings: dict[str, float]  # seconds each step took: the check's (validate.STEPS), then the writing's


def build(out: Path | str | None = None, seeds: Path | str | None = None,
          schema_dir: Path | str | None = None, queries: Path | str | None = None,
          declare_foreign_keys: bool = False) -> BuildResult:
    """Build the database at ``out`` from ``schema_dir`` and ``seeds``, with ``queries`` as ``analytics``.

    Defaults: the shipped schema, seeds and queries, and ``paths.default_database()``.
    The seeds are checked first (see ``validate``); any error raises
    ``SeedError`` listing every problem, and leaves ``out`` untouched, as does
    a ``SchemaError``. Warnings come back in the result.

    The file lists its foreign keys in ``meta.foreign_keys``; with
    ``declare_foreign_keys`` it also declares them to DuckDB, for tools that
    draw diagrams from DuckDB's catalog, at the cost of a slower load (see
    ``schema.LoadingDdl``).
    """
    out = paths.default_database(out)
    seeds = paths.seeds_dir(seeds)
    schema_dir = paths.schema_dir(schema_dir)
    queries = paths.queries_dir(queries)
    read = inputs.snapshot({"schema": schema_dir, "seeds": seeds, "queries": queries})  # before reading any
    if out.is_dir():
        raise BuildError(f"{out}: is a folder; the build writes a database file (give a file name)")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{out}: cannot create the folder {out.parent}: {exc.strerror}") from None
    leftovers.remove(out)
    tmp = leftovers.build_temporary(out, uuid.uuid4().hex[:8])
    try:
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")  # DuckDB draws it on stdout, which is the caller's
            counts, checked = _fill(con, tmp, seeds, schema_dir, queries, declare_foreign_keys, read)
        _fsync(tmp)
        os.replace(tmp, out)
        _fsync(out.parent)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(out, counts, checked.problems, checked.timings)


def _fill(con: duckdb.DuckDBPyConnection, tmp: Path, seeds: Path, schema_dir: Path, queries: Path,
          declare_foreign_keys: bool, read: dict) -> tuple[dict[str, int], validate.Checked]:
    """Check the seeds on ``con`` (the DDL as declared, in memory), then write the file ``tmp`` from them.

    Each step after the check is timed beside the check's own steps, so that
    a build at any scale shows where its time goes (``BuildResult.timings``).
    """
    timings: dict[str, float] = {}
    with _timed(timings, "reading the schema"):
        named = catalogue.load(queries)
        schema.apply(con, schema_dir, comments=False)  # the file gets them (loading.attach_target)
        order = schema.load_order(schema.tables(con))
    checked = validate.stage_and_check(con, seeds, order)
    problems = checked.problems
    timings.update(checked.timings)
    if any(p.is_error for p in problems):
        raise SeedError(problems)
    with _timed(timings, "creating tables"):
        ddl = schema.loading_ddl(schema_dir, declare_foreign_keys)
        loading.attach_target(con, tmp, STORAGE_VERSION, ddl)
        con.execute(META_DDL)
        schema.list_foreign_keys(con, loading.DECLARED)
    with _timed(timings, "inserting rows"):
        counts = loading.insert(con, order, seeds, problems)
    with _timed(timings, "adding keys"):
        loading.add_keys(con, ddl, seeds, problems)
        loading.detach_staging(con)
    progress.stage(f"installing {plural(len(named), 'named query', 'named queries')}")
    with _timed(timings, "stored lookups"):
        derived.install(con)
    with _timed(timings, "named queries"):
        analytics.install(con, named)
        con.execute(
            "INSERT INTO meta.build VALUES ($at, $version, $duckdb, $schema, $seeds, $queries)",
            {
                "at": datetime.now(timezone.utc).replace(tzinfo=None),
                "version": __version__,
                "duckdb": duckdb.__version__,
                "schema": str(schema_dir.resolve()),
                "seeds": str(seeds.resolve()),
                "queries": str(queries.resolve()),
            },
        )
        inputs.record(con, read)
    with _timed(timings, "writing the file"):
        loading.detach(con)
    return counts, validate.Checked(problems, timings)


@contextmanager
def _timed(timings: dict[str, float], step: str):
    started = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - started
    progress.log.debug("%s: %.3f s", step, timings[step])


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
