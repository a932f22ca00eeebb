"""The untrusted profile under attack: nothing a session runs can break the host, outlive its call or change
another call's answer, and every limit holds (see README, "Untrusted users")."""

from __future__ import annotations

import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
import time

import pytest

import batterydb
from batterydb import QueryError, sandbox


@pytest.fixture(scope="module")
def untrusted(built_db):
    with batterydb.connect(built_db, untrusted=True) as db:
        yield db


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _beijing_owners(db) -> list[tuple]:
    return [(r[1], r[3]) for r in db.run("owners_of", org="beijing_era").rows()]


BEIJING_OWNERS = [("CATL", "51"), ("BAIC", "39"), ("Xiaomi", "5"), (None, "5")]  # the last: undisclosed


class TestNothingOutlivesItsCall:
    @pytest.mark.parametrize("attack", [
        "CREATE TEMP VIEW organisations AS SELECT 'attacker' AS name",
        "CREATE TEMP MACRO number_text(x) AS 'attacker'",
        "CREATE TEMP TABLE ownership_stakes AS SELECT * FROM main.ownership_stakes LIMIT 0",
        "USE analytics",
        "SET search_path = 'analytics'",
        "SET VARIABLE org = 'attacker'",
    ], ids=["temp-view", "temp-macro", "temp-table", "use", "search-path", "variable"])
    def test_a_session_change_does_not_reach_the_next_call(self, untrusted, attack):
        untrusted.sql(attack)
        assert untrusted.sql("SELECT count(*) FROM organisations").rows() == [(25,)]
        assert _beijing_owners(untrusted) == BEIJING_OWNERS

    def test_trusted_named_queries_do_not_see_ad_hoc_temp_objects(self, built_db):
        with batterydb.connect(built_db) as db:
            db.sql("CREATE TEMP VIEW organisations AS SELECT 'attacker' AS name")
            db.sql("CREATE TEMP MACRO number_text(x) AS 'attacker'")
            assert _beijing_owners(db) == BEIJING_OWNERS

    @pytest.mark.parametrize("attack, message", [
        ("CALL enable_logging(storage='file', storage_path='{tmp}/logs')",
         'Cannot change configuration option "enable_logging" - the configuration has been locked'),
        ("PRAGMA enable_profiling='json'",
         'Cannot change configuration option "enable_profiling" - the configuration has been locked'),
        ("SET profiling_output = '{tmp}/profile.json'",
         'Cannot change configuration option "profiling_output" - the configuration has been locked'),
        ("SET temp_directory = '{tmp}'",
         'Cannot change configuration option "temp_directory" - the configuration has been locked'),
        ("SET threads = 64", 'Cannot change configuration option "threads" - the configuration has been locked'),
        ("EXPORT DATABASE '{tmp}/dump'", "file system operations are disabled by configuration"),
        ("CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", "file system operations are disabled by configuration"),
        ("SELECT * FROM glob('{tmp}/*')", "file system operations are disabled by configuration"),
    ], ids=["logging-to-file", "profiling", "profiling-output", "temp-directory", "threads", "export", "secret",
            "glob"])
    def test_what_reaches_the_host_or_global_state_is_refused(self, untrusted, tmp_path, attack, message):
        with pytest.raises(QueryError) as err:
            untrusted.sql(attack.format(tmp=tmp_path))
        assert message in str(err.value)
        assert list(tmp_path.iterdir()) == []
        assert untrusted.sql("SELECT 42").rows() == [(42,)]


class TestHardLimits:
    def test_a_value_past_the_memory_cap_fails_in_the_worker_not_in_the_host(self, untrusted):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with pytest.raises(QueryError) as err:
            untrusted.sql("SELECT length(repeat('x', 3000000000))")  # 5.8 GB in DuckDB's own process
        assert str(err.value) == ("Out of Memory Error: Failed to allocate block of 4294967296 bytes (bad allocation) "
                                  "(an untrusted session may use 2GB and cannot spill to disk)")
        grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        assert grown_kib < 200 * 1024
        assert untrusted.sql("SELECT 42").rows() == [(42,)]

    def test_no_spilling_to_disk(self, built_db, tmp_path):
        copy = tmp_path / "copy.duckdb"
        copy.write_bytes(built_db.read_bytes())
        with batterydb.connect(copy, untrusted=True, limits=sandbox.Limits(memory="64MB")) as db:
            with pytest.raises(QueryError, match=r"^Out of Memory Error: .*\(an untrusted session may use 64MB and "
                                                 r"cannot spill to disk\)$"):
                db.sql("SELECT * FROM (SELECT range AS a, md5(range::VARCHAR) AS b FROM range(5000000)) ORDER BY b")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.duckdb"]

    def test_the_statement_timeout_stops_the_query_and_the_next_call_works(self, built_db):
        with batterydb.connect(built_db, untrusted=True, limits=sandbox.Limits(timeout=1)) as db:
            started = time.monotonic()
            with pytest.raises(QueryError) as err:
                db.sql("SELECT count(*) FROM range(100000000000)")
            assert time.monotonic() - started < 5
            assert str(err.value) == "the query was stopped after 1 s, the statement timeout of untrusted sessions"
            assert db.sql("SELECT 42").rows() == [(42,)]

    def test_the_timeout_counts_the_statement_not_the_worker_s_start(self, built_db, tmp_path, monkeypatch):
        """On a busy machine starting Python and DuckDB can take longer than a short timeout; that is not the
        query's time. Here the worker's interpreter takes 2 s to start, against a 1 s timeout."""
        slow = tmp_path / "slow-python"
        slow.write_text(f"#!/bin/sh\nsleep 2\nexec {sys.executable} \"$@\"\n")
        slow.chmod(0o755)
        monkeypatch.setattr(sandbox.sys, "executable", str(slow))
        with batterydb.connect(built_db, untrusted=True, limits=sandbox.Limits(timeout=1)) as db:
            assert db.sql("SELECT 42").rows() == [(42,)]
            with pytest.raises(QueryError, match="^the query was stopped after 1 s"):
                db.sql("SELECT count(*) FROM range(100000000000)")

    def test_an_answer_over_the_result_limit_is_refused(self, built_db):
        with batterydb.connect(built_db, untrusted=True, limits=sandbox.Limits(result_bytes=10_000)) as db:
            with pytest.raises(QueryError) as err:
                db.sql("SELECT range FROM range(100000)")
            assert str(err.value) == ("the answer is larger than the untrusted session's result limit of 0 MB; "
                                      "add a LIMIT or aggregate")

    def test_threads_and_memory_as_documented(self, untrusted):
        assert untrusted.sql("SELECT current_setting('threads'), current_setting('memory_limit'), "
                             "current_setting('temp_directory'), current_setting('enable_progress_bar')").rows() \
            == [(2, "1.8 GiB", "", False)]


class TestInterrupts:
    def test_interrupt_stops_an_untrusted_query(self, built_db):
        with batterydb.connect(built_db, untrusted=True) as db:
            db.sql("SELECT 1")
            threading.Timer(0.5, db.interrupt).start()
            with pytest.raises(QueryError, match="^the query was interrupted$"):
                db.sql("SELECT count(*) FROM range(100000000000)")
            assert db.sql("SELECT 42").rows() == [(42,)]

    def test_interrupt_stops_a_trusted_query(self, built_db):
        with batterydb.connect(built_db) as db:
            threading.Timer(0.5, db.interrupt).start()
            with pytest.raises(QueryError, match="^INTERRUPT Error: Interrupted!"):
                db.sql("SELECT count(*) FROM range(100000000000)")
            assert db.sql("SELECT 42").rows() == [(42,)]

    def test_a_dead_worker_ends_only_its_query(self, built_db):
        with batterydb.connect(built_db, untrusted=True) as db:
            db.sql("SELECT 1")
            worker = db._worker._process
            threading.Timer(0.5, os.kill, [worker.pid, signal.SIGKILL]).start()
            with pytest.raises(QueryError) as err:
                db.sql("SELECT count(*) FROM range(100000000000)")
            assert str(err.value) == ("the query ended the untrusted session's worker process (signal SIGKILL); it "
                                      "may have gone over the session's memory cap of 2GB. The next query starts "
                                      "a new worker")
            assert db.sql("SELECT 42").rows() == [(42,)]


class TestSessions:
    def test_several_untrusted_sessions_at_once(self, built_db, untrusted):
        with batterydb.connect(built_db, untrusted=True) as other:
            assert other.sql("SELECT count(*) FROM people").rows() == untrusted.sql(
                "SELECT count(*) FROM people").rows() == [(4,)]

    def test_answers_convert_as_a_trusted_sessions_do(self, built_db, untrusted):
        with batterydb.connect(built_db) as trusted:
            mine, theirs = untrusted.run("owners_of", org="beijing_era"), trusted.run("owners_of", org="beijing_era")
            assert mine.types == theirs.types and mine.rows() == theirs.rows()
            assert mine.df().equals(theirs.df())
            assert mine.arrow().equals(theirs.arrow())

    def test_the_worker_sends_back_values_only(self):
        hostile = pickle.dumps(("ok", [], [], [os.system]))
        with pytest.raises(pickle.UnpicklingError, match="the worker sent a posix.system, which is not a plain value"):
            sandbox._ValuesOnly(__import__("io").BytesIO(hostile)).load()


def test_a_file_that_is_not_a_database_is_a_clear_error_with_no_traceback(tmp_path, capfd):
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("not a database")
    with pytest.raises(batterydb.DatabaseNotFound) as err:
        batterydb.connect(bogus, untrusted=True)
    assert str(err.value).startswith(f"{bogus}: cannot open as a DuckDB database: ")
    assert "Traceback" not in capfd.readouterr().err


def test_leftovers_of_dead_processes_are_cleared_on_open(built_db, tmp_path):
    path = tmp_path / "db.duckdb"
    path.write_bytes(built_db.read_bytes())
    dead, alive = _dead_pid(), os.getpid()
    spill = tmp_path / f"db.duckdb.{dead}.tmp"
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 1000)
    (tmp_path / f".db.duckdb.{dead}.abcd1234.tmp").write_bytes(b"half a build")
    (tmp_path / f".db.duckdb.{alive}.abcd1234.tmp").write_bytes(b"a build under way")
    batterydb.connect(path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".db.duckdb.{alive}.abcd1234.tmp", "db.duckdb"]
