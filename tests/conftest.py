"""Shared fixtures: one database built from the shipped seeds for the whole run,
and helpers to make small seed folders for the tests that need to break one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import paths

REPO = Path(__file__).resolve().parent.parent
SHARED_SOURCES = REPO.parent / "shared" / "sources"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped seeds, built once into a temporary file."""
    path = tmp_path_factory.mktemp("db") / "batterydb.duckdb"
    batterydb.build(out=path)
    return path


@pytest.fixture(scope="session")
def con(built_db: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped seeds, for tests that corrupt one file."""
    target = tmp_path / "seeds"
    shutil.copytree(paths.seeds_dir(), target)
    return target


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[tuple]:
    return con.execute(sql, params or None).fetchall()
