"""Building the database file from the DDL and the seeds, atomically.

The build writes a temporary file beside the target and renames it into
place only when every table has loaded, so a reader sees either the previous
database or the new one, never a half-built file, and a failed build leaves
the previous file exactly as it was.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from . import __version__, loader, paths, schema
from .errors import SeedError

META_DDL = """
CREATE SCHEMA meta;
CREATE TABLE meta.build (
    built_at          TIMESTAMPTZ NOT NULL,
    batterydb_version VARCHAR NOT NULL,
    duckdb_version    VARCHAR NOT NULL,
    schema_dir        VARCHAR NOT NULL,
    seeds_dir         VARCHAR NOT NULL,
    inputs_mtime      DOUBLE NOT NULL
);
COMMENT ON TABLE meta.build IS 'How and from what this database file was built (one row).';
COMMENT ON COLUMN meta.build.built_at IS 'When the build finished.';
COMMENT ON COLUMN meta.build.batterydb_version IS 'Version of batterydb that built the file.';
COMMENT ON COLUMN meta.build.duckdb_version IS 'Version of DuckDB that wrote the file.';
COMMENT ON COLUMN meta.build.schema_dir IS 'Folder the DDL was read from.';
COMMENT ON COLUMN meta.build.seeds_dir IS 'Folder the seed CSV files were read from.';
COMMENT ON COLUMN meta.build.inputs_mtime IS 'Newest modification time (seconds since the epoch) among the DDL and seed files, to tell when the file is out of date.';
"""


@dataclass(frozen=True)
class BuildResult:
    path: Path
    row_counts: dict[str, int]


def inputs_mtime(*dirs: Path) -> float:
    """Newest modification time of any file in the given folders (0 when none exist)."""
    times = [p.stat().st_mtime for d in dirs if Path(d).is_dir() for p in Path(d).iterdir() if p.is_file()]
    times += [Path(d).stat().st_mtime for d in dirs if Path(d).is_dir()]
    return max(times, default=0.0)


def build(out: Path | str | None = None, seeds: Path | str | None = None,
          schema_dir: Path | str | None = None) -> BuildResult:
    """Build the database at ``out`` from ``schema_dir`` and ``seeds``.

    Defaults: the shipped schema and seeds, and ``paths.default_database()``.
    Raises ``SeedError`` or ``SchemaError`` and leaves ``out`` untouched when
    anything fails.
    """
    out = Path(out) if out is not None else paths.default_database()
    seeds = Path(seeds) if seeds is not None else paths.seeds_dir()
    schema_dir = Path(schema_dir) if schema_dir is not None else paths.schema_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        con = duckdb.connect(str(tmp))
        try:
            counts = _fill(con, seeds, schema_dir)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _fsync(tmp)
        os.replace(tmp, out)
        _fsync(out.parent)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(out, counts)


def _fill(con: duckdb.DuckDBPyConnection, seeds: Path, schema_dir: Path) -> dict[str, int]:
    schema.apply(con, schema_dir)
    order = schema.load_order(schema.tables(con))
    problems = loader.check_files(seeds, order)
    if problems:
        raise SeedError(problems)
    counts = {}
    for table in order:
        loader.load_table(con, seeds, table)
        counts[table.name] = con.execute(f"SELECT count(*) FROM {loader.quote_ident(table.name)}").fetchone()[0]
    con.execute(META_DDL)
    con.execute(
        "INSERT INTO meta.build VALUES ($at, $version, $duckdb, $schema, $seeds, $mtime)",
        {
            "at": datetime.now(timezone.utc),
            "version": __version__,
            "duckdb": duckdb.__version__,
            "schema": str(schema_dir.resolve()),
            "seeds": str(seeds.resolve()),
            "mtime": inputs_mtime(schema_dir, seeds),
        },
    )
    return counts


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
