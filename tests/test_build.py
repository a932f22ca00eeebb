"""Building the database file: atomic, clear about bad input, rebuilt when stale."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import SeedError, paths

from conftest import VENV_BIN


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "batterydb"), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


class TestCommandLine:
    def test_build_writes_the_default_location_under_the_current_directory(self, tmp_path):
        env = {paths.DATABASE_ENV: ""}
        result = _cli("build", cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("built build/batterydb.duckdb (40 tables, ")
        assert (tmp_path / "build" / "batterydb.duckdb").is_file()

    def test_environment_variable_moves_the_default(self, tmp_path):
        target = tmp_path / "elsewhere.duckdb"
        result = _cli("build", cwd=tmp_path, env={paths.DATABASE_ENV: str(target)})
        assert result.returncode == 0, result.stderr
        assert target.is_file() and not (tmp_path / "build").exists()


    def test_unknown_query_suggests_close_names(self, tmp_path, built_db):
        result = _cli("query", "target", "--db", str(built_db), cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == "batterydb: no query named 'target'; did you mean targets?\n"

    def test_query_as_csv(self, tmp_path, built_db):
        result = _cli("query", "joint_venture_owners", "--format", "csv", "--db", str(built_db), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[:2] == [
            "joint_venture,owner,share_pct,disclosed_total_pct,undisclosed_pct,reported_on",
            "AESC,NEC,unknown,,,2008-12-29",
        ]


class TestConnect:
    def test_builds_when_missing(self, tmp_path):
        path = tmp_path / "fresh.duckdb"
        with batterydb.connect(path) as db:
            assert db.sql("SELECT count(*) FROM organisations").rows() == [(25,)]

    def test_is_read_only_by_default(self, built_db):
        with batterydb.connect(built_db) as db:
            with pytest.raises(batterydb.QueryError, match="read-only"):
                db.sql("DELETE FROM people")

    def test_rebuilds_when_a_seed_is_newer_and_not_otherwise(self, tmp_path, seeds_copy):
        path = tmp_path / "db.duckdb"
        batterydb.build(out=path, seeds=seeds_copy)
        built = path.stat().st_mtime_ns
        batterydb.connect(path).close()
        assert path.stat().st_mtime_ns == built
        with (seeds_copy / "people.csv").open("a") as f:
            f.write("someone,Someone,bloomberg_2012_08_08\n")
        future = time.time() + 10
        os.utime(seeds_copy / "people.csv", (future, future))
        with batterydb.connect(path) as db:
            assert db.sql("SELECT count(*) FROM people").rows() == [(5,)]

    def test_opening_a_file_that_is_not_a_database_is_a_clear_error(self, tmp_path):
        bogus = tmp_path / "bogus.duckdb"
        bogus.write_text("not a database")
        with pytest.raises(batterydb.DatabaseNotFound, match="cannot open as a DuckDB database"):
            batterydb.connect(bogus)


class TestCheckCommand:
    def test_clean_seeds_exit_0_and_list_the_warnings(self, tmp_path, seeds_copy):
        result = _cli("check", "--seeds", "seeds", cwd=seeds_copy.parent)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.splitlines()
        assert lines[0].startswith("seeds/facilities.csv:4:facility_id: warning: facility 'beijing_era_cell_plant'")
        assert lines[-1] == "0 errors, 6 warnings"
        assert result.stdout == ""

    def test_strict_makes_warnings_exit_1(self, seeds_copy):
        result = _cli("check", "--seeds", "seeds", "--strict", cwd=seeds_copy.parent)
        assert result.returncode == 1

    def test_errors_exit_2_sorted_by_file_and_line(self, seeds_copy):
        with (seeds_copy / "people.csv").open("a") as f:
            f.write("someone,,nowhere\n")
        (seeds_copy / "units.csv").write_text("unit_code,name\n")
        result = _cli("check", "--seeds", "seeds", cwd=seeds_copy.parent)
        assert result.returncode == 2
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert errors == [
            "seeds/people.csv:6:name: error: a value is required here, found an empty cell",
            "seeds/people.csv:6:source_id: error: unknown source_id 'nowhere': no row of sources.csv has it "
            "as its source_id",
            "seeds/units.csv:1: error: header does not match table units: missing column 'dimension'; "
            "missing column 'description'; expected unit_code,name,dimension,description",
        ]
        assert result.stderr.splitlines()[-1].startswith("3 errors, ")
        assert "Traceback" not in result.stderr

    def test_build_reports_warnings_and_builds(self, tmp_path, seeds_copy):
        result = _cli("build", "--seeds", "seeds", "--out", "db.duckdb", cwd=seeds_copy.parent)
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines()[-1] == "0 errors, 6 warnings"
        assert result.stdout.startswith("built db.duckdb (40 tables, ")
