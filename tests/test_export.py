"""Export to Parquet and CSV: files other engines can read, with the DDL and a manifest beside them."""

from __future__ import annotations

import json
import os
import subprocess

import duckdb

import batterydb
from batterydb.export import export

from conftest import VENV_BIN


def test_parquet_files_hold_every_row_with_its_type(db, tmp_path):
    manifest = export(db, tmp_path, "parquet")
    tables = {n for (n,) in db.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").rows()}
    assert set(manifest["tables"]) == tables
    reader = duckdb.connect()
    for name in ("ownership_stakes", "capacities", "investments", "sources"):
        original = db.sql(f'SELECT * FROM "{name}" ORDER BY ALL')
        copy = reader.execute("SELECT * FROM read_parquet($p) ORDER BY ALL", {"p": str(tmp_path / f"{name}.parquet")})
        assert copy.fetchall() == original.rows()
        assert [str(d[1]) for d in copy.description] == original.types
    stakes = manifest["tables"]["ownership_stakes"]
    assert stakes["rows"] == 7 and stakes["columns"][5] == {"name": "share_pct", "type": "DECIMAL(9,6)"}
    assert (tmp_path / "schema.sql").read_text().startswith("-- Reference tables")
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest


def test_csv_export_builds_the_same_database(db, tmp_path):
    manifest = export(db, tmp_path / "csv", "csv")
    rebuilt = batterydb.build(out=tmp_path / "rebuilt.duckdb", seeds=tmp_path / "csv")
    assert rebuilt.row_counts == {name: t["rows"] for name, t in manifest["tables"].items()}
    with batterydb.connect(tmp_path / "rebuilt.duckdb") as copy:
        for name in ("organisations", "targets", "capacities"):
            query = f'SELECT * FROM "{name}" ORDER BY ALL'
            assert copy.sql(query).rows() == db.sql(query).rows()


def test_query_results_with_their_defaults(db, tmp_path):
    manifest = export(db, tmp_path, "parquet", include_queries=True)
    assert set(manifest["queries"]) == {n for n, q in db.queries.items() if not q.required}
    rows = duckdb.connect().execute("SELECT * FROM read_parquet($p)", {
        "p": str(tmp_path / "analytics" / "capacity_by_country.parquet")}).fetchall()
    assert rows == db.run("capacity_by_country").rows()  # year defaults to 2012


def test_export_command(built_db, tmp_path):
    result = subprocess.run([str(VENV_BIN / "batterydb"), "export", "--format", "csv", "--dir", "out", "--db",
                             str(built_db)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**os.environ})
    assert (result.returncode, result.stdout) == (0, "wrote 42 tables (702 rows) to out\n")
    assert (tmp_path / "out" / "ownership_stakes.csv").read_text().splitlines()[1].startswith(
        "1,catl,beijing_era,jv_partner,exact,51.000000,")
