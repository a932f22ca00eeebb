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


class TestAtomicBuild:
    def test_failed_build_leaves_previous_file_byte_identical(self, tmp_path, seeds_copy):
        out = tmp_path / "out" / "batterydb.duckdb"
        batterydb.build(out=out)
        before = out.read_bytes()
        # a stake in an organisation that does not exist: fails late, in the last tables' load
        with (seeds_copy / "ownership_stakes.csv").open("a") as f:
            f.write("99,catl,no_such_org,equity_stake,exact,10,,,,,2024-03-11,day,electrive_2024_03,\n")
        with pytest.raises(SeedError):
            batterydb.build(out=out, seeds=seeds_copy)
        assert out.read_bytes() == before
        assert _listing(out.parent) == ["batterydb.duckdb"]

    def test_failed_first_build_leaves_nothing_behind(self, tmp_path, seeds_copy):
        (seeds_copy / "people.csv").write_text("person_id,name\n")
        out = tmp_path / "out" / "batterydb.duckdb"
        with pytest.raises(SeedError):
            batterydb.build(out=out, seeds=seeds_copy)
        assert _listing(out.parent) == []

    def test_successful_rebuild_replaces_the_file(self, tmp_path, seeds_copy):
        out = tmp_path / "batterydb.duckdb"
        batterydb.build(out=out)
        with (seeds_copy / "people.csv").open("a") as f:
            f.write("someone,Someone,bloomberg_2012_08_08\n")
        batterydb.build(out=out, seeds=seeds_copy)
        with duckdb.connect(str(out), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM people").fetchone() == (5,)
        assert _listing(tmp_path) == ["batterydb.duckdb", "seeds"]


def _cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "batterydb"), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


class TestCommandLine:
    def test_build_writes_the_default_location_under_the_current_directory(self, tmp_path):
        env = {paths.DATABASE_ENV: ""}
        result = _cli("build", cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("built build/batterydb.duckdb (39 tables, ")
        assert (tmp_path / "build" / "batterydb.duckdb").is_file()

    def test_environment_variable_moves_the_default(self, tmp_path):
        target = tmp_path / "elsewhere.duckdb"
        result = _cli("build", cwd=tmp_path, env={paths.DATABASE_ENV: str(target)})
        assert result.returncode == 0, result.stderr
        assert target.is_file() and not (tmp_path / "build").exists()


    def test_unknown_query_suggests_close_names(self, tmp_path, built_db):
        result = _cli("query", "target", "--db", str(built_db), cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr == "batterydb: no query named 'target'; did you mean targets, agreements?\n"

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
