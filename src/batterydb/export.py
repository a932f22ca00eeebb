"""Writing the database out as files that Spark, Trino or any lakehouse engine can read.

Every table becomes one Parquet (or CSV) file written by DuckDB's own
writers, with the DDL and a manifest (tables, columns, types, row counts)
beside them; parameterless named queries can be written too, as their
current result.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__, paths, schema
from .database import Database
from .errors import BatterydbError

FORMATS = ("parquet", "csv")


def export(db: Database, out_dir: Path | str, fmt: str = "parquet", include_queries: bool = False,
           schema_dir: Path | str | None = None) -> dict:
    """Write every table of ``db`` (and, if asked, every parameterless query) to ``out_dir``."""
    if fmt not in FORMATS:
        raise BatterydbError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = db.connection
    manifest: dict = {"batterydb_version": __version__, "format": fmt, "tables": {}, "queries": {}}
    for table in schema.load_order(schema.tables(con)):
        target = out_dir / f"{table.name}.{fmt}"
        relation = con.table(table.name)
        _write(relation, target, fmt)
        manifest["tables"][table.name] = {
            "file": target.name,
            "rows": con.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0],
            "columns": [{"name": c.name, "type": c.data_type} for c in table.columns],
        }
    if include_queries:
        (out_dir / "analytics").mkdir(exist_ok=True)
        for query in db.queries.values():
            if query.required:
                continue
            target = out_dir / "analytics" / f"{query.name}.{fmt}"
            result = db.run(query.name)
            result.write_parquet(target) if fmt == "parquet" else result.write_csv(target)
            manifest["queries"][query.name] = {"file": f"analytics/{target.name}", "rows": len(result),
                                               "question": query.question}
    ddl = "\n".join(p.read_text(encoding="utf-8") for p in schema.ddl_files(
        Path(schema_dir) if schema_dir is not None else paths.schema_dir()))
    (out_dir / "schema.sql").write_text(ddl, encoding="utf-8")
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _write(relation, target: Path, fmt: str) -> None:
    if fmt == "parquet":
        relation.write_parquet(str(target))
    else:
        relation.write_csv(str(target), header=True)
