"""Building the database file: atomic, clear about bad input, rebuilt when stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import SeedError, inputs, paths

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
        assert result.stdout.startswith("built build/batterydb.duckdb (42 tables, ")
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
            "joint_venture,owner,tie,share_as_stated,share_min_pct,share_max_pct,reported_on,reported_precision,"
            "source_id",
            "AESC,NEC,jv_partner,unknown,,,2008-12-29,day,carboncreditsusa_2008_12_29",
        ]


class TestConnect:
    def test_builds_the_default_location_when_missing(self, tmp_path, monkeypatch, caplog):
        path = tmp_path / "fresh.duckdb"
        monkeypatch.setenv(paths.DATABASE_ENV, str(path))
        with batterydb.connect() as db:
            assert db.sql("SELECT count(*) FROM organisations").rows() == [(25,)]
        assert caplog.messages == [f"building {path} from {paths.seeds_dir()}"]

    def test_a_path_that_does_not_exist_is_an_error_and_nothing_is_built(self, tmp_path):
        typo = tmp_path / "batterdb.duckdb"
        with pytest.raises(batterydb.DatabaseNotFound) as err:
            batterydb.connect(typo)
        assert str(err.value) == f"{typo}: no database file here; build one with: batterydb build --out {typo}"
        assert _listing(tmp_path) == []

    def test_is_read_only_by_default(self, built_db):
        with batterydb.connect(built_db) as db:
            with pytest.raises(batterydb.QueryError, match="read-only"):
                db.sql("DELETE FROM people")

    def test_opening_a_file_that_is_not_a_database_is_a_clear_error(self, tmp_path):
        bogus = tmp_path / "bogus.duckdb"
        bogus.write_text("not a database")
        with pytest.raises(batterydb.DatabaseNotFound, match="cannot open as a DuckDB database"):
            batterydb.connect(bogus)


class TestStaleness:
    """A file is rebuilt from the caller's folders when their content changed, and never from its own record."""

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, tmp_path_factory):
        """One build from a copy of the shipped seeds, shared by the tests that only ask what changed."""
        root = tmp_path_factory.mktemp("stale")
        shutil.copytree(paths.seeds_dir(), root / "seeds")
        batterydb.build(out=root / "db.duckdb", seeds=root / "seeds")
        shutil.copytree(root / "seeds", root / "pristine", copy_function=shutil.copy2)  # times kept
        return root

    @pytest.fixture
    def seeds(self, built):
        """The seeds the file was built from, for a test to change; put back as they were afterwards."""
        yield built / "seeds"
        shutil.rmtree(built / "seeds")
        shutil.copytree(built / "pristine", built / "seeds", copy_function=shutil.copy2)

    def _changes(self, built, seeds):
        return inputs.changes(built / "db.duckdb", {"schema": paths.schema_dir(), "seeds": seeds,
                                                    "queries": paths.queries_dir()})

    def test_a_current_file_has_no_changes(self, built, seeds):
        assert self._changes(built, seeds) == []

    def test_a_touched_but_unchanged_file_is_no_change(self, built, seeds):
        os.utime(seeds / "people.csv", (2_000_000_000, 2_000_000_000))
        assert self._changes(built, seeds) == []

    def test_an_older_copy_restored_with_its_old_time_is_a_change(self, built, seeds):
        # cp -p puts back an older modification time: "newer than the build" would miss it.
        with (seeds / "people.csv").open("a") as f:
            f.write("someone,Someone,bloomberg_2012_08_08\n")
        os.utime(seeds / "people.csv", (1_000_000_000, 1_000_000_000))
        assert self._changes(built, seeds) == ["seeds/people.csv changed"]

    def test_new_and_removed_files_are_changes(self, built, seeds):
        (seeds / "fx_rates.csv").rename(seeds / "extra.csv")
        assert self._changes(built, seeds) == ["seeds/extra.csv is new", "seeds/fx_rates.csv was removed"]

    def test_an_edited_seed_rebuilds_and_says_so(self, tmp_path, seeds_copy, caplog):
        path = tmp_path / "db.duckdb"
        batterydb.build(out=path, seeds=seeds_copy)
        before = path.stat().st_mtime_ns
        batterydb.connect(path, seeds=seeds_copy).close()
        assert path.stat().st_mtime_ns == before and caplog.messages == []
        with (seeds_copy / "people.csv").open("a") as f:
            f.write("someone,Someone,bloomberg_2012_08_08\n")
        with batterydb.connect(path, seeds=seeds_copy) as db:
            assert db.sql("SELECT count(*) FROM people").rows() == [(5,)]
        assert caplog.messages == [f"rebuilding {path}: seeds/people.csv changed"]

    def test_a_seed_edited_while_the_build_runs_is_seen(self, tmp_path, seeds_copy, monkeypatch):
        from batterydb import validate
        path, real = tmp_path / "db.duckdb", validate.stage_and_check

        def edit_midway(con, seeds, order):  # the build has taken its snapshot, not yet finished
            problems = real(con, seeds, order)
            with (seeds / "people.csv").open("a") as f:
                f.write("someone,Someone,bloomberg_2012_08_08\n")
            return problems

        monkeypatch.setattr(validate, "stage_and_check", edit_midway)
        batterydb.build(out=path, seeds=seeds_copy)
        monkeypatch.undo()
        assert inputs.changes(path, {"schema": paths.schema_dir(), "seeds": seeds_copy,
                                     "queries": paths.queries_dir()}) == ["seeds/people.csv changed"]

    def test_a_file_built_from_other_folders_is_opened_as_it_is(self, built, caplog):
        with batterydb.connect(built / "db.duckdb") as db:  # the caller's folders are the shipped ones
            assert db.sql("SELECT count(*) FROM people").rows() == [(4,)]
        assert inputs.changes(built / "db.duckdb", {"schema": paths.schema_dir(), "seeds": paths.seeds_dir(),
                                                    "queries": paths.queries_dir()}) is None
        assert caplog.messages == []

    def test_folders_named_inside_the_file_are_never_read(self, tmp_path, built_db):
        """A file whose meta.build points at a hostile folder must not make a read-only command run its DDL."""
        hostile = tmp_path / "hostile"
        for sub in ("schema", "seeds", "queries"):
            (hostile / sub).mkdir(parents=True)
        victim = tmp_path / "written-by-the-attack.csv"
        (hostile / "schema" / "01.sql").write_text(f"COPY (SELECT 1) TO '{victim}';\n")
        planted = tmp_path / "planted.duckdb"
        planted.write_bytes(built_db.read_bytes())
        with duckdb.connect(str(planted)) as con:
            con.execute("UPDATE meta.build SET schema_dir = $s, seeds_dir = $d, queries_dir = $q",
                        {"s": str(hostile / "schema"), "d": str(hostile / "seeds"), "q": str(hostile / "queries")})
            con.execute("UPDATE meta.inputs SET sha256 = 'forged', mtime_ns = 0")
        result = _cli("sql", "SELECT count(*) FROM organisations", "--db", str(planted), cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "count_star()\n25\n", "")
        assert not victim.exists()


class TestCheckCommand:
    def test_clean_seeds_exit_0_and_list_the_warnings(self, tmp_path, seeds_copy):
        result = _cli("check", "--seeds", "seeds", cwd=seeds_copy.parent)
        assert result.returncode == 0, result.stderr
        lines = result.stderr.splitlines()
        assert lines[0].startswith("batterydb: reading 42 seed files (")  # the stages first (see test_progress)
        lines = [line for line in lines if not line.startswith("batterydb: ")]
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
        assert result.stdout.startswith("built db.duckdb (42 tables, ")


def test_the_build_times_each_of_its_steps_in_order(tmp_path):
    started = time.perf_counter()
    result = batterydb.build(out=tmp_path / "timed.duckdb")
    elapsed = time.perf_counter() - started
    assert list(result.timings) == [
        "reading the schema",
        *(step.name for step in batterydb.validate.STEPS),
        "locating lines",
        "creating tables", "inserting rows", "adding keys", "stored lookups", "named queries", "writing the file",
    ]
    assert all(seconds >= 0 for seconds in result.timings.values())
    assert sum(result.timings.values()) <= elapsed
