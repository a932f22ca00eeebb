"""Carrying the database to a real standalone Spark cluster, started by the tests on the loopback address.

One cluster and one driver session serve every test here (starting Spark
costs seconds; the suite runs with ``--dist loadfile``, so one worker runs
this whole module, and conftest puts it first, since it is the longest);
the database is exported through the real command and its
script run through Spark itself. A query that transpile says carries to
Spark must run there and give DuckDB's rows in DuckDB's order.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import batterydb
from batterydb import BatterydbError, spark as to_spark, transpile, usage
from batterydb.params import convert

from conftest import EXAMPLES, VENV_BIN, close
from sparkcluster import Cluster
from test_postgres import VARIANTS

#: Starting the cluster, declaring everything and planning Spark's queries take minutes.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def cluster():
    started = Cluster().start()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def session(cluster):
    driver = cluster.session()
    yield driver
    driver.stop()


@pytest.fixture(scope="module")
def exported(built_db, tmp_path_factory):
    """The shipped database exported for Spark through the real command."""
    folder = tmp_path_factory.mktemp("spark") / "lake"
    result = subprocess.run([str(VENV_BIN / "batterydb"), "export", "--format", "spark", "--dir", str(folder),
                             "--db", str(built_db)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"wrote 42 tables (702 rows) to {folder}, and batterydb.sql declaring them and "
                             f"{len(CARRIED)} named queries for Spark at {folder.resolve().as_uri()}\n")
    return folder


@pytest.fixture(scope="module")
def loaded(session, exported):
    """The script run, then the session moved to another database: a user calls the functions from anywhere."""
    to_spark.load(session, exported)
    session.sql("USE default")
    return session


QUERIES = batterydb.catalogue.load()
CARRIED = sorted(name for name, query in QUERIES.items()
                 if transpile.carry(query, "spark", params_as=name).ok)
CASES = [(name, EXAMPLES.get(name, {})) for name in CARRIED]
CASES += [(n, p) for n, p in VARIANTS if n in CARRIED and (n, p) not in CASES]


def _call(session, name: str, params: dict):
    """The rows of ``name`` called in Spark with ``params``, written as a user of the CLI writes them or typed."""
    from pyspark.sql import functions as F

    query = QUERIES[name]
    params = {key: convert(query, query.param(key), value) for key, value in params.items()}
    arguments = ", ".join(f"{key} => :{key}" for key in params)
    values = {key: F.array(*[F.lit(v) for v in value]) if isinstance(value, list) else value
              for key, value in params.items()}
    return session.sql(f"SELECT * FROM batterydb_analytics.{name}({arguments})", args=values).collect()


@pytest.fixture(scope="module")
def answers(loaded):
    return _ask(loaded, CASES)


def _ask(session, cases: list[tuple[str, dict]]) -> list:
    """Every case asked of Spark at once, four at a time, each answer (or its exception) at its case's place.

    On data this small a Spark query mostly waits for its jobs to be
    scheduled, so running them side by side costs a fraction of running
    them in turn. (Asking the longest queries first saved nothing: the
    driver's planning is what the calls wait for.)
    """
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(_call, session, name, params) for name, params in cases]
        return [future.exception() or future.result() for future in futures]


@pytest.mark.parametrize(("index", "name", "params"), [(i, n, p) for i, (n, p) in enumerate(CASES)],
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_every_carried_query_gives_duckdbs_rows_in_duckdbs_order(answers, db, index, name, params):
    expected = db.run(name, **params).rows()
    assert expected, name  # the shipped cases are chosen to find rows
    _assert_same_rows(answers[index], expected)


def _assert_same_rows(answer, expected: list[tuple]) -> None:
    """Spark's answer (or the exception it raised) holds DuckDB's rows, in order, numbers within 1e-9 relative."""
    if isinstance(answer, Exception):
        raise answer
    got = [tuple(row) for row in answer]
    assert len(got) == len(expected)
    for row_got, row_expected in zip(got, expected):
        assert len(row_got) == len(row_expected)
        assert all(close(a, b) for a, b in zip(row_got, row_expected)), (row_got, row_expected)


def test_the_query_pages_spark_lines_give_duckdbs_rows(loaded, db):
    """A list and a date written as Spark writes them, in the call the catalogue site prints (batterydb.usage)."""
    known = transpile.macros()
    lines = {name: next(c.text for c in usage.calls(QUERIES[name], known) if c.place == "Spark")
             for name in ("reported_figures", "timeline")}
    assert "ARRAY('ev_sales')" in lines["reported_figures"] and "CAST('2024-01-01' AS DATE)" in lines["timeline"]
    for name, line in lines.items():
        _assert_same_rows(loaded.sql(line).collect(), db.run(name, **QUERIES[name].example_values()).rows())


@pytest.fixture(scope="module")
def generated(generated_db):
    with batterydb.connect(generated_db) as database:
        yield database


@pytest.fixture(scope="module")
def generated_answers(loaded, exported, generated, generated_db, tmp_path_factory):
    """The recorded cases of the generated scale-1 data (tests/answers/cases.py) asked of Spark.

    The generated data is exported through the real command too. Its script
    is the shipped data's but for the files' location (the functions are
    the same queries, and name_key folds as DuckDB does, whatever the data),
    so rather than declare everything again (half a minute) the tables are
    pointed at its files, as a user would point them at a newer export, and
    back once the cases are asked.
    """
    folder = tmp_path_factory.mktemp("spark-generated") / "lake"
    result = subprocess.run([str(VENV_BIN / "batterydb"), "export", "--format", "spark", "--dir", str(folder),
                             "--db", str(generated_db)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    script, shipped_script = ((f / to_spark.SCRIPT).read_text(encoding="utf-8") for f in (folder, exported))
    here, there = folder.resolve().as_uri(), exported.resolve().as_uri()
    assert script.count(here) == 43 and script.replace(here, there) == shipped_script
    tables = [t for (t,) in generated.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").rows()]

    def point_at(uri: str) -> None:
        for table in tables:
            loaded.sql(f"ALTER TABLE batterydb.`{table}` SET LOCATION '{uri}/{table}'")

    point_at(here)
    try:
        return _ask(loaded, GENERATED_CASES)
    finally:
        point_at(there)


def _generated_cases() -> list[tuple[str, dict]]:
    recorded = json.loads((Path(__file__).parent / "answers" / "generated.json").read_text(encoding="utf-8"))
    return [(a["query"], a["params"]) for a in recorded if a["query"] in CARRIED]


GENERATED_CASES = _generated_cases()


@pytest.mark.parametrize(("index", "name", "params"), [(i, n, p) for i, (n, p) in enumerate(GENERATED_CASES)],
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(GENERATED_CASES)])
def test_every_carried_query_gives_duckdbs_rows_on_generated_data(generated_answers, generated, index, name, params):
    _assert_same_rows(generated_answers[index], generated.run(name, **params).rows())


def test_the_generated_cases_mostly_find_rows(generated):
    """So that the comparison above is not of empty answers: all but the few asked of nobody find rows."""
    empty = [(n, p) for n, p in GENERATED_CASES if not generated.run(n, **p).rows()]
    assert len(GENERATED_CASES) == 27 and empty == [("agreements_between", {"org": "org_000001"}),
                                                    ("supply_relationships", {"org": "org_000001"})]


def test_every_table_holds_the_same_rows_with_its_comments(loaded, db):
    tables = [t for (t,) in db.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").rows()]
    for table in tables:
        got = sorted((tuple(r) for r in loaded.sql(f"SELECT * FROM batterydb.`{table}`").collect()), key=repr)
        assert got == sorted(db.sql(f'SELECT * FROM "{table}"').rows(), key=repr), table
    described = {r.col_name: r.comment for r in loaded.sql("DESCRIBE TABLE batterydb.ownership_stakes").collect()}
    assert described["share_min_pct"] == db.sql(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'ownership_stakes' "
        "AND column_name = 'share_min_pct'").rows()[0][0]


def test_names_fold_on_spark_as_they_fold_in_duckdb(loaded, db):
    names = db.sql("SELECT org_id FROM organisations UNION SELECT name FROM organisations "
                   "UNION SELECT alias FROM organisation_aliases UNION SELECT name FROM facilities "
                   "UNION SELECT 'Ökö Şirket Łódź Ñandú Ärzte Œuvre'").rows()
    texts = [text for (text,) in names]
    got = loaded.sql("SELECT x, batterydb.name_key(x) AS k FROM VALUES " + ", ".join(
        f"(:t{i})" for i in range(len(texts))) + " AS v (x)", args={f"t{i}": t for i, t in enumerate(texts)}).collect()
    expected = dict(db.sql("SELECT x, name_key(x) FROM unnest($texts) AS v (x)", {"texts": texts}).rows())
    assert {r.x: r.k for r in got} == expected


@pytest.mark.parametrize("call, message", [
    ("owners_of('Beijing Era')",
     "no organisation matches 'Beijing Era'; closest: Beijing Era New Energy Technology (beijing_era)"),
    ("capacity_history('Shanghai plant')", "no plant or organisation matches 'Shanghai plant'"),
])
def test_a_function_refuses_a_name_that_matches_nothing(loaded, call, message):
    with pytest.raises(Exception) as caught:
        loaded.sql(f"SELECT * FROM batterydb_analytics.{call}").collect()
    assert message in str(caught.value)


def test_a_function_resolves_ids_names_and_aliases_in_any_case(loaded):
    counts = [loaded.sql("SELECT count(*) AS n FROM batterydb_analytics.owners_of(:t)", args={"t": text}).first().n
              for text in ("Beijing_Era", "BEIJING ERA NEW ENERGY TECHNOLOGY CO.", "Beijing Éra New Energy Technology")]
    assert counts == [4, 4, 4]


def test_a_statement_spark_refuses_names_the_script_and_the_statement(session, exported, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "batterydb.sql").write_text("CREATE DATABASE IF NOT EXISTS scratch;\n\nSELECT no_such_function(1);\n")
    with pytest.raises(BatterydbError) as caught:
        to_spark.load(session, broken)
    assert str(caught.value).startswith(
        f"{broken / 'batterydb.sql'}: statement 2 (SELECT no_such_function(1)) failed in Spark: "
        "[UNRESOLVED_ROUTINE] Cannot resolve routine `no_such_function`")


@pytest.mark.parametrize("args, message", [
    (["--format", "parquet", "--location", "hdfs://namenode/x"],
     "batterydb: --location is for --format spark, which says where Spark will find the files\n"),
    (["--format", "spark", "--location", "/data/batterydb"],
     "batterydb: --location '/data/batterydb': expected a URI Spark can read, such as file:///data/batterydb, "
     "hdfs://namenode/batterydb or s3a://bucket/batterydb\n"),
])
def test_a_location_spark_cannot_read_is_refused(built_db, tmp_path, args, message):
    result = subprocess.run([str(VENV_BIN / "batterydb"), "export", *args, "--dir", str(tmp_path / "out"),
                             "--db", str(built_db)], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr.splitlines()[-1] + "\n") == (2, message)
    assert not (tmp_path / "out").exists()  # refused before anything is written


def test_loading_a_folder_without_the_script_says_what_to_run(tmp_path):
    with pytest.raises(BatterydbError) as caught:
        to_spark.load(None, tmp_path)  # refused before Spark is asked anything
    assert str(caught.value) == (f"{tmp_path}: holds no batterydb.sql; write it with "
                                 f"batterydb export --format spark --dir {tmp_path}")
