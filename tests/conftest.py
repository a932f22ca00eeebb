"""Shared fixtures: one database built from the shipped seeds for the whole run,
and helpers to make small seed folders for the tests that need to break one."""

from __future__ import annotations

from decimal import Decimal

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import paths

REPO = Path(__file__).resolve().parent.parent
SHARED_SOURCES = REPO.parent / "shared" / "sources"
VENV_BIN = Path(sys.executable).parent

#: Each query's example from its header (``-- example:``), as the Python values the CLI would bind.
EXAMPLES = {name: batterydb.params.example(q) for name, q in batterydb.catalogue.load().items() if q.example}


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


def run_cli(*args: str, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The batterydb command run in this process through ``main(argv)``, as a shell would run it.

    Its output is caught at the file descriptors (DuckDB writes straight to
    them) and at ``sys.stdout``/``sys.stderr``; it runs in ``cwd``, with
    ``env`` set (and ``$BATTERYDB_DATABASE`` empty) and ``stdin`` as its input,
    all put back afterwards. What only a process has (the console script
    itself, ``batterydb shell``'s exec, signals) is tested with
    ``subprocess`` against ``VENV_BIN / "batterydb"``.
    """
    from batterydb.cli import main

    settings = {"BATTERYDB_DATABASE": "", **(env or {})}
    saved_env = {k: os.environ.get(k) for k in settings}
    saved_cwd, saved_streams = os.getcwd(), (sys.stdin, sys.stdout, sys.stderr)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        for stream in saved_streams[1:]:
            stream.flush()
        saved_fds = os.dup(1), os.dup(2)
        os.environ.update(settings)
        os.chdir(cwd)
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdin = io.StringIO(stdin or "")
        sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(1), "wb"), encoding="utf-8", write_through=True)
        sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(2), "wb"), encoding="utf-8", write_through=True)
        try:
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's own refusals and --help
                code = exc.code if isinstance(exc.code, int) else 2
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            sys.stdout.close()
            sys.stderr.close()
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            os.dup2(saved_fds[0], 1)
            os.dup2(saved_fds[1], 2)
            for fd in saved_fds:
                os.close(fd)
            os.chdir(saved_cwd)
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(["batterydb", *args], code, out.read().decode("utf-8"),
                                           err.read().decode("utf-8"))


@pytest.fixture(scope="module")
def db(built_db: Path) -> batterydb.Database:
    """The shipped database through the library, one connection per test module."""
    with batterydb.connect(built_db) as database:
        yield database


@pytest.fixture(scope="module")
def graph(graph_db: Path) -> batterydb.Database:
    """The ownership-graph fixture database (``graph_db``) through the library, one connection per module."""
    with batterydb.connect(graph_db) as database:
        yield database


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped seeds, for tests that corrupt one file."""
    target = tmp_path / "seeds"
    shutil.copytree(paths.seeds_dir(), target)
    return target


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[tuple]:
    return con.execute(sql, params or None).fetchall()


# Each build takes a second or more on a busy 2-core machine, so the property
# tests try 12 cases by default, to keep the suite under two minutes; CI
# tries a fixed 12, so that a red run can be reproduced, and
# `pytest --hypothesis-profile=thorough` tries 500.
try:
    from hypothesis import settings as _settings

    _settings.register_profile("default", max_examples=12)
    _settings.register_profile("ci", max_examples=12, derandomize=True, database=None)
    _settings.register_profile("thorough", max_examples=500)
    _settings.load_profile("ci" if os.environ.get("CI") else "default")
except ImportError:  # pragma: no cover - hypothesis is a test extra
    pass


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def extend_seeds(seeds: Path, fixture: str) -> Path:
    """Append the rows of each CSV in tests/fixtures/<fixture>/ to the same file in ``seeds``."""
    for extra in sorted((FIXTURES / fixture).glob("*.csv")):
        rows = extra.read_text(encoding="utf-8").split("\n", 1)[1]
        with (seeds / extra.name).open("a", encoding="utf-8") as f:
            f.write(rows)
    return seeds


@pytest.fixture(scope="session")
def graph_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped seeds plus a small hand-made ownership graph: a chain, a diamond, a cycle,
    an unknown share and a range (tests/fixtures/ownership_graph)."""
    root = tmp_path_factory.mktemp("graph")
    seeds = root / "seeds"
    shutil.copytree(paths.seeds_dir(), seeds)
    extend_seeds(seeds, "ownership_graph")
    path = root / "graph.duckdb"
    batterydb.build(out=path, seeds=seeds)
    return path


def close(a, b) -> bool:
    """Equal, numbers within 1e-9 relative: other engines round numeric and double results differently."""
    numbers = (Decimal, float, int)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


@pytest.fixture(scope="session")
def generated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated folder at scale 1 (seed 0), built once: about 11,000 rows shaped like the real data."""
    root = tmp_path_factory.mktemp("generated")
    batterydb.generate(root / "seeds", 1, seed=0)
    return batterydb.build(out=root / "generated.duckdb", seeds=root / "seeds").path


@pytest.fixture(scope="session")
def site_folder(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogue site of the shipped database (batterydb docs), written once for the whole run."""
    from batterydb import site

    folder = tmp_path_factory.mktemp("site") / "site"
    with batterydb.connect(built_db) as db:
        site.write(db, folder)
    return folder


def pytest_collection_modifyitems(items):
    """The Spark tests first: they are the longest module, and a worker that starts them last ends last."""
    items.sort(key=lambda item: item.nodeid.split("::")[0] != "tests/test_spark.py")
