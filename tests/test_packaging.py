"""A plain (non-editable) install carries the schema, seeds and queries and builds from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from batterydb import paths

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # With the venv's own hatchling (a test extra): an isolated build would fetch it from the network each run.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(REPO)], check=True, capture_output=True, timeout=300)
    (whl,) = out.glob("batterydb-*.whl")
    return whl


def test_wheel_carries_every_shipped_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("schema", "seeds", "queries"):
        shipped = {f"batterydb/_data/{folder}/{p.name}" for p in (REPO / folder).iterdir() if p.is_file()}
        assert shipped and shipped <= names, folder


def test_installed_wheel_builds_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), paths.DATABASE_ENV: ""}
    where = subprocess.run([sys.executable, "-c", "import batterydb.paths as p; print(p.seeds_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(site / "batterydb" / "_data" / "seeds")
    built = subprocess.run([sys.executable, "-m", "batterydb", "build"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert (work / "build" / "batterydb.duckdb").is_file()
