"""The named queries inside the database: the same answers from Python, the CLI, SQL and BI tools."""

from __future__ import annotations

import json
import os
import subprocess

import duckdb
import pytest
import sqlalchemy

import batterydb
from batterydb import analytics

from conftest import EXAMPLES, VENV_BIN

QUERIES = batterydb.catalogue.load()


def _macro_call(name: str) -> tuple[str, dict]:
    values = EXAMPLES.get(name, {})
    args = ", ".join(f"{k} := ${k}" for k in values)
    return f"SELECT * FROM analytics.{name}({args})", values


def test_macro_body_edits_at_duckdb_s_positions_past_accented_text(tmp_path):
    """DuckDB reports byte positions: text with accents before an edit must not shift it."""
    path = tmp_path / "accented.sql"
    path.write_text(
        "-- title: Accented\n-- question: Who is Önnerud?\n-- param org ORGANISATION (required): An organisation.\n"
        "-- column name VARCHAR: Its name.\n-- example: org=catl\n"
        "WITH \"Straße\" AS (SELECT 'Önnerud' AS w) -- é, ü\n"
        "SELECT o.name FROM \"Straße\", organisations AS o JOIN main.facilities AS f ON f.operator_org_id = o.org_id\n"
        "WHERE o.name <> 'ü' AND o.org_id = $org;\n", encoding="utf-8")
    body = analytics.macro_body(duckdb.connect(), batterydb.catalogue.parse(path))
    assert body.splitlines()[-2:] == [
        "SELECT o.name FROM \"Straße\", main.organisations AS o JOIN main.facilities AS f ON f.operator_org_id = o.org_id",
        "WHERE o.name <> 'ü' AND o.org_id = main.resolve_org(org)",
    ]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_macro_gives_what_run_gives(db, name):
    sql, values = _macro_call(name)
    expected = db.run(name, **values)
    got = db.sql(sql, values)
    assert (got.columns, got.rows()) == (expected.columns, expected.rows())


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if not q.required))
def test_view_gives_what_run_gives(db, name):
    assert db.sql(f"SELECT * FROM analytics.{name}").rows() == db.run(name).rows()


def test_views_only_for_queries_without_required_parameters(db):
    views = {v for (v,) in db.sql("SELECT view_name FROM duckdb_views() WHERE schema_name = 'analytics'").rows()}
    assert views == {n for n, q in QUERIES.items() if not q.required}


def test_every_macro_and_view_carries_its_question(db):
    macros = dict(db.sql("SELECT function_name, comment FROM duckdb_functions() "
                         "WHERE schema_name = 'analytics'").rows())
    assert macros == {n: analytics.macro_comment(q) for n, q in QUERIES.items()}
    assert all(macros[n].startswith(f"{q.title}: {q.question}") for n, q in QUERIES.items())
    views = dict(db.sql("SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'analytics'").rows())
    assert views == {n: f"{q.title}: {q.question}" for n, q in QUERIES.items() if not q.required}


def test_macro_parameters_keep_types_and_defaults(db):
    assert db.sql("SELECT parameters, parameter_types FROM duckdb_functions() "
                  "WHERE schema_name = 'analytics' AND function_name = 'owners_of'").rows() == [(["org"], ["VARCHAR"])]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_cli_gives_what_run_gives(db, built_db, tmp_path, name):
    values = EXAMPLES.get(name, {})
    params = [a for k, v in QUERIES[name].example_values().items() for a in ("--param", f"{k}={v}")]
    result = subprocess.run([str(VENV_BIN / "batterydb"), "query", name, *params, "-f", "json", "--db",
                             str(built_db)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    expected = json.loads(json.dumps(db.run(name, **values).records(), default=_json_value))
    assert json.loads(result.stdout) == expected


def test_duckdb_cli_gives_what_run_gives(db, built_db, tmp_path):
    sql, values = _macro_call("owners_of")
    literal = sql.replace("$org", "'" + values["org"] + "'")
    result = subprocess.run([str(VENV_BIN / "duckdb"), "-readonly", "-json", str(built_db), "-c", literal],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = json.loads(json.dumps(db.run("owners_of", **values).records(), default=_json_value))
    assert _numbers_as_floats(json.loads(result.stdout)) == _numbers_as_floats(expected)


def _json_value(value):
    """How a JSON writer writes what Python's json does not know: dates as ISO, decimals as numbers."""
    return value.isoformat() if hasattr(value, "isoformat") else float(value)


def _numbers_as_floats(records: list[dict]) -> list[dict]:
    """The DuckDB CLI writes DECIMAL values as JSON strings ("51.000000"); compare them as numbers."""
    def norm(value):
        try:
            return float(value) if value is not None and not isinstance(value, bool) else value
        except ValueError:
            return value
    return [{k: norm(v) for k, v in r.items()} for r in records]


@pytest.fixture(scope="module")
def inspector(built_db, tmp_path_factory):
    # A BI tool is a process of its own; here, a copy keeps it apart from this process's connection.
    copy = tmp_path_factory.mktemp("bi") / "batterydb.duckdb"
    copy.write_bytes(built_db.read_bytes())
    engine = sqlalchemy.create_engine(f"duckdb:///{copy}", connect_args={"read_only": True})
    with engine.connect() as connection:
        yield sqlalchemy.inspect(connection)
    engine.dispose()


class TestSqlAlchemy:
    """What Superset and most Python BI tools see through duckdb-engine."""

    def test_tables_and_analytics_views(self, inspector):
        assert {"organisations", "ownership_stakes", "capacities", "targets"} <= set(inspector.get_table_names())
        assert set(inspector.get_view_names(schema="analytics")) == {n for n, q in QUERIES.items()
                                                                     if not q.required}

    def test_columns_with_types_and_comments(self, inspector):
        columns = {c["name"]: c for c in inspector.get_columns("capacities")}
        assert isinstance(columns["value"]["type"], sqlalchemy.Float)
        assert isinstance(columns["year"]["type"], sqlalchemy.Integer)
        assert columns["qualifier"]["comment"].startswith("How the source states the figure")
        view = [c["name"] for c in inspector.get_columns("joint_venture_owners", schema="analytics")]
        assert view == ["joint_venture", "owner", "tie", "share_as_stated", "share_min_pct", "share_max_pct",
                        "reported_on", "reported_precision", "source_id"]
        assert isinstance(
            {c["name"]: c for c in inspector.get_columns("joint_venture_owners", schema="analytics")}
            ["share_min_pct"]["type"], sqlalchemy.Numeric)

    def test_table_comment(self, inspector):
        assert inspector.get_table_comment("ownership_stakes")["text"].startswith("Who owns what")

    def test_view_column_comments(self, inspector):
        columns = {c["name"]: c["comment"] for c in inspector.get_columns("agreements_between", schema="analytics")}
        assert columns == QUERIES["agreements_between"].descriptions

    @pytest.mark.parametrize("reflect", ["get_pk_constraint", "get_foreign_keys", "get_unique_constraints"])
    def test_keys_cannot_be_reflected(self, built_db, tmp_path, reflect):
        """duckdb-engine asks DuckDB's pg_catalog for them in a way DuckDB 2 cannot answer; the README says so.

        The failure aborts the connection's transaction, so each attempt has a connection of its own."""
        copy = tmp_path / "batterydb.duckdb"
        copy.write_bytes(built_db.read_bytes())
        engine = sqlalchemy.create_engine(f"duckdb:///{copy}", connect_args={"read_only": True})
        try:
            with engine.connect() as connection, \
                    pytest.raises(sqlalchemy.exc.ProgrammingError, match="Type with name REGCLASS does not exist"):
                getattr(sqlalchemy.inspect(connection), reflect)("ownership_stakes")
        finally:
            engine.dispose()

    def test_schemas_are_named_with_the_file_s_catalogue(self, inspector):
        assert {"batterydb.main", "batterydb.analytics"} <= set(inspector.get_schema_names())


@pytest.fixture(scope="module")
def harlequin(built_db, tmp_path_factory):
    """Harlequin's connection, as `harlequin -r FILE` makes it (its own DuckDB adapter), to a copy of the file."""
    from harlequin_duckdb.adapter import DuckDbAdapter

    copy = tmp_path_factory.mktemp("harlequin") / "batterydb.duckdb"
    copy.write_bytes(built_db.read_bytes())
    return DuckDbAdapter(conn_str=(str(copy),), read_only=True, no_init=True).connect()


class TestHarlequin:
    """The terminal SQL IDE opens the file read-only beside DuckDB 2."""

    def test_its_catalogue_shows_the_schemas_tables_and_query_views(self, harlequin):
        (database,) = harlequin.get_catalog().items
        schemas = {s.label: {i.label: i.type_label for i in s.fetch_children()} for s in database.fetch_children()}
        assert sorted(schemas) == ["analytics", "derived", "main", "meta"]
        assert schemas["analytics"] == {n: "v" for n, q in QUERIES.items() if not q.required}
        assert {"organisations": "t", "ownership_stakes": "t", "capacities": "t"}.items() <= schemas["main"].items()
        columns = {c.label: c.type_label for c in next(
            t for t in next(s for s in database.fetch_children() if s.label == "main").fetch_children()
            if t.label == "ownership_stakes").fetch_children()}
        assert (columns["share_pct"], columns["reported_on"], columns["owner_org_id"]) == ("#.#", "d", "s")

    def test_it_runs_a_named_query_and_refuses_to_write(self, harlequin):
        from harlequin.exception import HarlequinQueryError

        cursor = harlequin.execute("SELECT owner FROM analytics.owners_of('AESC') ORDER BY owner")
        assert cursor.fetchall().column("owner").to_pylist() == ["NEC", "NEC Tokin", "Nissan"]
        with pytest.raises(HarlequinQueryError, match='Cannot execute statement of type "CREATE" .* read-only mode'):
            harlequin.execute("CREATE TABLE notes (x INTEGER)")
