"""A build that fails, or is killed, never damages the database that was there before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import SeedError

from conftest import VENV_BIN


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_failed_build_in_a_subprocess_changes_nothing(tmp_path, seeds_copy):
    out = tmp_path / "out" / "batterydb.duckdb"
    batterydb.build(out=out)
    before = out.read_bytes()
    with (seeds_copy / "ownership_stakes.csv").open("a") as f:
        f.write("99,catl,no_such_org,equity_stake,exact,10,,,,,2024-03-11,day,electrive_2024_03,\n")
    result = subprocess.run([str(VENV_BIN / "batterydb"), "build", "--seeds", str(seeds_copy), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "ownership_stakes.csv:9:owned_org_id: error: unknown owned_org_id 'no_such_org'" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == before
    assert _listing(out.parent) == ["batterydb.duckdb"]


# Runs a build that stops just before its last step and waits to be killed.
_STALLED_BUILD = textwrap.dedent("""
    import sys, time
    import batterydb
    from batterydb import loading

    def stall(con):
        print("loaded", flush=True)
        time.sleep(120)

    loading.detach_staging = stall
    batterydb.build(out=sys.argv[1])
""")


def test_build_killed_half_way_leaves_the_previous_database_usable(tmp_path):
    out = tmp_path / "batterydb.duckdb"
    batterydb.build(out=out)
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", _STALLED_BUILD, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "loaded\n"
        leftovers = [n for n in _listing(tmp_path) if n != "batterydb.duckdb"]
        assert leftovers and all(n.startswith(".batterydb.duckdb.") for n in leftovers)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == before
    with duckdb.connect(str(out), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ownership_stakes").fetchone() == (7,)
    # the next build clears what the killed one left behind
    batterydb.build(out=out)
    assert _listing(tmp_path) == ["batterydb.duckdb"]


def test_failed_first_build_leaves_nothing_behind(tmp_path, seeds_copy):
    (seeds_copy / "people.csv").write_text("person_id,name\n")
    out = tmp_path / "out" / "batterydb.duckdb"
    with pytest.raises(SeedError):
        batterydb.build(out=out, seeds=seeds_copy)
    assert _listing(out.parent) == []


def test_successful_rebuild_replaces_the_file(tmp_path, seeds_copy):
    out = tmp_path / "batterydb.duckdb"
    batterydb.build(out=out)
    with (seeds_copy / "people.csv").open("a") as f:
        f.write("someone,Someone,bloomberg_2012_08_08\n")
    batterydb.build(out=out, seeds=seeds_copy)
    with duckdb.connect(str(out), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM people").fetchone() == (5,)
    assert _listing(tmp_path) == ["batterydb.duckdb", "seeds"]
