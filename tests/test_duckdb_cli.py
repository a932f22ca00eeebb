"""The built file in the real DuckDB command-line client, beside other readers."""

from __future__ import annotations

import subprocess

import duckdb
import pytest

from conftest import VENV_BIN

DUCKDB = VENV_BIN / "duckdb"


@pytest.fixture(scope="module")
def duckdb_cli():
    if not DUCKDB.is_file():
        pytest.fail(f"{DUCKDB} not found: the test extras install the duckdb-cli package")
    return DUCKDB


def _cli(binary, db, sql):
    return subprocess.run([str(binary), "-readonly", "-csv", str(db), "-c", sql],
                          capture_output=True, text=True, timeout=60)


def test_cli_reads_the_file_while_python_holds_it_open(duckdb_cli, built_db):
    with duckdb.connect(str(built_db), read_only=True) as held:
        held.execute("SELECT 1").fetchall()
        result = _cli(duckdb_cli, built_db,
                      "SELECT owner_org_id, share_pct FROM ownership_stakes "
                      "WHERE owned_org_id = 'beijing_era' ORDER BY share_pct DESC")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["owner_org_id,share_pct", "catl,51.000000", "baic,39.000000", "xiaomi,5.000000"]


def test_two_cli_readers_at_once(duckdb_cli, built_db):
    sql = "SELECT count(*) AS n FROM organisations"
    procs = [subprocess.Popen([str(duckdb_cli), "-readonly", "-csv", str(built_db), "-c",
                               f"{sql}; SELECT sleep_ms(300) IS NULL AS slept"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert [out.splitlines()[:2] for out, _ in outputs] == [["n", "25"], ["n", "25"]]


def test_cli_sees_macros_and_comments(duckdb_cli, built_db):
    result = _cli(duckdb_cli, built_db,
                  "SELECT bounds_text(qualifier, value, value_min, value_min_exclusive, value_max, value_max_exclusive) "
                  "AS stated FROM capacities WHERE facility_id = 'boston_power_shanghai_plant'; "
                  "SELECT comment FROM duckdb_tables() WHERE table_name = 'unit_conversions'")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["stated", "up to 400"]
    assert lines[3].startswith('"How a unit converts to its canonical unit (GWh per year')
