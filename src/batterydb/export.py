"""Writing the database out as files that Spark, Trino or any lakehouse engine can read.

Every table becomes one Parquet (or CSV) file written by DuckDB's own
writers, with the DDL and a manifest (tables, columns, types, row counts)
beside them; parameterless named queries can be written too, as their
current result. ``to_sqlite`` copies the tables into a SQLite file, where
the named queries that carry to SQLite can run.
"""

from __future__ import annotations

import datetime
import decimal
import json
import sqlite3
from pathlib import Path

from . import paths, progress, schema, transpile
from .version import __version__
from .database import Database
from .errors import BatterydbError
from .progress import plural
from .sqltext import q

FORMATS = ("parquet", "csv")


def export(db: Database, out_dir: Path | str, fmt: str = "parquet", include_queries: bool = False,
           schema_dir: Path | str | None = None, folder_per_table: bool = False) -> dict:
    """Write every table of ``db`` (and, if asked, every parameterless query) to ``out_dir``.

    With ``folder_per_table`` each table's file goes in a folder of its own
    (``organisations/organisations.parquet``): a Hive metastore takes only a
    folder as a table's location.
    """
    if fmt not in FORMATS:
        raise BatterydbError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "it is a file, not a folder" if out_dir.exists() else exc.strerror
        raise BatterydbError(f"{out_dir}: cannot export into this folder: {reason}") from None
    con = db.connection
    manifest: dict = {"batterydb_version": __version__, "format": fmt, "tables": {}, "queries": {}}
    tables = schema.load_order(schema.tables(con))
    rows = {t.name: con.execute(f"SELECT count(*) FROM {q(t.name)}").fetchall()[0][0] for t in tables}
    progress.stage(f"writing {plural(len(tables), 'table')} ({plural(sum(rows.values()), 'row')}) as {fmt} files")
    for table in progress.counted(tables, "writing tables"):
        target = out_dir / f"{table.name}.{fmt}"
        if folder_per_table:
            target.with_suffix("").mkdir(exist_ok=True)
            target = target.with_suffix("") / target.name
        relation = con.table(table.name)
        _write(relation, target, fmt)
        manifest["tables"][table.name] = {
            "file": target.relative_to(out_dir).as_posix(),
            "rows": rows[table.name],
            "columns": [{"name": c.name, "type": c.data_type} for c in table.columns],
        }
    if include_queries:
        (out_dir / "analytics").mkdir(exist_ok=True)
        queries = [query for query in db.queries.values() if not query.required]
        progress.stage(f"writing the results of {plural(len(queries), 'query', 'queries')} that need no parameter")
        for query in progress.counted(queries, "writing query results"):
            target = out_dir / "analytics" / f"{query.name}.{fmt}"
            result = db.run(query.name)
            result.write_parquet(target) if fmt == "parquet" else result.write_csv(target)
            manifest["queries"][query.name] = {"file": f"analytics/{target.name}", "rows": len(result),
                                               "question": query.question}
    ddl = "\n".join(p.read_text(encoding="utf-8") for p in schema.ddl_files(
        paths.schema_dir(schema_dir)))
    (out_dir / "schema.sql").write_text(ddl, encoding="utf-8")
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _write(relation, target: Path, fmt: str) -> None:
    if fmt == "parquet":
        relation.write_parquet(str(target))
    else:
        relation.write_csv(str(target), header=True)


def to_sqlite(db: Database, path: Path | str, schema_dir: Path | str | None = None) -> dict[str, int]:
    """Copy every table of ``db`` into a new SQLite file at ``path``; returns the row count of each.

    The tables are created from the DDL as sqlglot writes it for SQLite
    (keys kept, CHECK constraints left out: see ``transpile.ddl``). Dates go
    in as ISO text and decimals as reals, SQLite's own conventions. The file
    is written beside ``path`` and renamed into place, so a failed copy
    leaves nothing half-written.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    lite = sqlite3.connect(partial)
    try:
        with lite:
            for statement in transpile.ddl("sqlite", schema_dir):
                lite.execute(statement)
            for table in schema.load_order(schema.tables(db.connection)):
                cursor = db.connection.execute(f"SELECT * FROM {q(table.name)}")
                insert = (f"INSERT INTO {q(table.name)} VALUES "
                          f'({", ".join("?" for _ in table.columns)})')
                counts[table.name] = 0
                while batch := cursor.fetchmany(10_000):
                    lite.executemany(insert, [tuple(_sqlite_value(v) for v in row) for row in batch])
                    counts[table.name] += len(batch)
    except (sqlite3.Error, OSError) as exc:
        lite.close()
        partial.unlink(missing_ok=True)
        raise BatterydbError(f"{path}: cannot write the SQLite copy: {exc}") from None
    lite.close()
    partial.replace(path)
    return counts


def _sqlite_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value
