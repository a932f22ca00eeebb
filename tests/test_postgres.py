"""Publishing to a real PostgreSQL server, started by the tests themselves."""

from __future__ import annotations

import json
import os
import re
import subprocess
from decimal import Decimal

import duckdb
import psycopg
import pytest
import sqlalchemy

import batterydb
from batterydb import BatterydbError, publish, transpile, usage

from conftest import EXAMPLES, VENV_BIN, close, extend_seeds
from pgserver import Server

PASSWORD = "reader-secret"


@pytest.fixture(scope="module")
def server():
    pg = Server().start()
    yield pg
    pg.stop()


@pytest.fixture(scope="module")
def published(server, built_db):
    """The shipped database published once, through the real command."""
    result = subprocess.run([str(VENV_BIN / "batterydb"), "publish", "postgres", "--dsn", server.dsn(),
                             "--db", str(built_db)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "BATTERYDB_READER_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("published 42 tables (702 rows) to schema batterydb and 23 named queries "
                             "(16 also as views) to schema batterydb_analytics; read-only role batterydb_reader\n")
    from batterydb.catalogue import load

    told = result.stderr.splitlines()  # the stages (their counters, on a slow machine, left out), then the notes
    notes = [line for line in told if line.startswith("batterydb: note: ")]
    assert told[len(told) - len(notes):] == notes
    assert [line for line in told[:len(told) - len(notes)]
            if not line.startswith(("batterydb: copying tables ", "batterydb: creating named "))] == [
        "batterydb: connecting to PostgreSQL",
        "batterydb: creating 42 tables in a new copy of schema batterydb",
        "batterydb: copying 42 tables (702 rows)",
        f"batterydb: creating {len(load())} named queries as functions in schema batterydb_analytics",
        "batterydb: putting the new copy in place of schemas batterydb and batterydb_analytics",
    ]
    assert notes == []
    return server


def _normal(value):
    return float(value) if isinstance(value, (Decimal, float)) else value


def _sorted_rows(rows):
    return sorted((tuple(_normal(v) for v in row) for row in rows), key=repr)


def test_every_table_holds_the_same_rows(published, db):
    tables = [t for (t,) in db.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").rows()]
    with psycopg.connect(published.dsn()) as pg:
        for table in tables:
            got = pg.execute(f'SELECT * FROM batterydb."{table}"').fetchall()
            assert _sorted_rows(got) == _sorted_rows(db.sql(f'SELECT * FROM "{table}"').rows()), table


def test_keys_constraints_and_comments_travel(published, db):
    with psycopg.connect(published.dsn()) as pg:
        kinds = dict(pg.execute("""
            SELECT contype, count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = 'batterydb' GROUP BY contype""").fetchall())
        uncommented = pg.execute("""
            SELECT c.relname || coalesce('.' || a.attname, '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = 'batterydb' AND c.relkind = 'r'
              AND coalesce(col_description(c.oid, a.attnum), obj_description(c.oid, 'pg_class')) IS NULL""").fetchall()
        with pytest.raises(psycopg.errors.CheckViolation):
            pg.execute("UPDATE batterydb.ownership_stakes SET share_pct = 120 WHERE stake_id = 1")
    fks = len(db.sql("SELECT * FROM meta.foreign_keys").rows())
    assert kinds["f"] == fks and kinds["p"] == 42 and kinds["c"] > 50
    assert uncommented == []


# Beyond each query's example, parameters that take other paths through the SQL.
VARIANTS = [
    ("attributable_capacity", {}),
    ("attributable_capacity", {"year": 2020, "bases": ["actual"], "max_depth": 1}),
    ("capacity_by_country", {"year": 2012}),
    ("capacity_history", {"subject": "Boston-Power"}),
    ("owners_of", {"org": "AESC"}),
    ("ownership_chain", {"org": "AESC", "max_depth": 1}),
    ("organisation_profile", {"org": "CATL"}),
    ("partner_network", {"org": "Nissan", "depth": 1}),
    ("provenance", {"table_name": "ownership_stakes", "row_id": "1"}),
    ("search_organisations", {"text": "Renualt"}),
    ("search_organisations", {"text": "Bostn Power"}),
    ("search_organisations", {"text": "nec", "limit_to": 2}),
    ("timeline", {"from_date": "2012-01-01", "to_date": "2016-12-31"}),
    ("targets_vs_reported", {}),
]
CASES = [(name, EXAMPLES.get(name, {})) for name in sorted(batterydb.catalogue.load())] + VARIANTS


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_every_published_query_gives_duckdbs_rows_in_duckdbs_order(published, db, name, params):
    expected = db.run(name, **params).rows()
    arguments = ", ".join(f"{key} => %({key})s" for key in params)
    with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg:
        got = pg.execute(f"SELECT * FROM batterydb_analytics.{name}({arguments})", params).fetchall()
    assert len(got) == len(expected) and expected, name
    for row_got, row_expected in zip(got, expected):
        assert len(row_got) == len(row_expected)
        assert all(close(a, b) for a, b in zip(row_got, row_expected)), (row_got, row_expected)


def test_each_query_pages_postgresql_line_gives_duckdbs_rows(published, db):
    """The call the catalogue site prints for PostgreSQL (batterydb.usage), typed as it stands by the reader."""
    known = transpile.macros()
    with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg:
        for name, query in sorted(batterydb.catalogue.load().items()):
            lines = [c.text for c in usage.calls(query, known) if c.place == "PostgreSQL"]
            assert len(lines) == 1, name  # every query carries to PostgreSQL
            expected = db.run(name, **query.example_values()).rows()
            got = pg.execute(lines[0]).fetchall()
            assert len(got) == len(expected), lines[0]
            assert all(close(a, b) for g, e in zip(got, expected) for a, b in zip(g, e)), lines[0]


@pytest.mark.parametrize("name, params, message", [
    ("owners_of", {"org": "Beijing Era"},
     "no organisation matches 'Beijing Era'; closest: Beijing Era New Energy Technology (beijing_era), "
     "Beijing Electric Vehicle (bjev), BAIC (baic)"),
    ("owners_of", {"org": "Renualt"}, "no organisation matches 'Renualt'; closest: Renault (renault)"),
    ("agreements_between", {"other_org": "Nobody's Ltd"},
     "no organisation matches 'Nobody''s Ltd'; none has a similar id, name or alias"),
    ("capacity_history", {"subject": "Shanghai plant"}, "no plant or organisation matches 'Shanghai plant'"),
    ("capacity_history", {"subject": "Bostn Power"},
     "no plant or organisation matches 'Bostn Power'; closest organisations: Boston-Power (boston_power)"),
])
def test_a_published_function_refuses_a_name_that_matches_nothing(published, db, name, params, message):
    """With DuckDB's message, near misses among the closest included."""
    with pytest.raises(BatterydbError) as in_duckdb:
        db.run(name, **params)
    arguments = ", ".join(f"{key} => %({key})s" for key in params)
    with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg, \
            pytest.raises(psycopg.errors.RaiseException) as caught:
        pg.execute(f"SELECT * FROM batterydb_analytics.{name}({arguments})", params)
    assert caught.value.diag.message_primary == message == str(in_duckdb.value)


def test_jaro_winkler_similarity_gives_duckdbs_doubles(published, db):
    """Every pair of 300 texts over a small alphabet (so that many characters match, out of order, at every
    distance), of the shipped names folded, and of texts longer than 64 characters (DuckDB's second code path),
    scores to the same double in both."""
    with duckdb.connect() as con:
        texts = [t for (t,) in con.execute("""
            SELECT string_agg(chr(CAST(97 + hash(i * 131 + k) % 4 AS INTEGER)), '')
            FROM range(300) AS r(i), range(CAST(1 + hash(i) % 12 AS INTEGER)) AS s(k) GROUP BY i ORDER BY i""").fetchall()]
    texts += [k for (k,) in db.sql("SELECT name_key(name) FROM organisations UNION ALL "
                                   "SELECT name_key(alias) FROM organisation_aliases").rows()]
    texts += ["ü", "aü", "ab", "ba", "", "x" * 70 + "ab", "x" * 69 + "ba" + "y", "martha", "marhta", "dixon", "dicksonx"]
    with duckdb.connect() as con:
        expected = con.execute("""
            SELECT a.t, b.t, jaro_winkler_similarity(a.t, b.t)
            FROM unnest($texts) AS a(t), unnest($texts) AS b(t)""", {"texts": texts}).fetchall()
    with psycopg.connect(published.dsn()) as pg:
        got = pg.execute("""
            SELECT a.t, b.t, batterydb.jaro_winkler_similarity(a.t, b.t)
            FROM unnest(%(texts)s::text[]) AS a(t), unnest(%(texts)s::text[]) AS b(t)""", {"texts": texts}).fetchall()
    assert len(got) == len(expected) > 100_000
    assert sorted(set(got) - set(expected))[:5] == []


def test_a_published_function_resolves_ids_names_and_aliases_in_any_case(published):
    with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg:
        counts = [pg.execute(f"SELECT count(*) FROM batterydb_analytics.owners_of(%s)", [text]).fetchone()[0]
                  for text in ("Beijing_Era", "BEIJING ERA NEW ENERGY TECHNOLOGY CO.", "Beijing Éra New Energy Technology")]
    assert counts == [4, 4, 4]


def test_queries_without_required_parameters_are_views_too(published, db):
    with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg:
        views = [v for (v,) in pg.execute("SELECT table_name FROM information_schema.views "
                                          "WHERE table_schema = 'batterydb_analytics' ORDER BY 1").fetchall()]
        rows = pg.execute("SELECT owner, share_min_pct FROM batterydb_analytics.joint_venture_owners "
                          "WHERE joint_venture = 'Beijing Era New Energy Technology'").fetchall()
    assert views == sorted(n for n, q in db.queries.items() if not q.required)
    assert rows == db.sql("SELECT owner, share_min_pct FROM analytics.joint_venture_owners "
                          "WHERE joint_venture = 'Beijing Era New Energy Technology'").rows()


def test_a_query_postgresql_refuses_fails_the_publish_and_changes_nothing(server, db, monkeypatch):
    publish.publish_postgres(db, server.dsn(), target="refused")
    real = publish.query_function_ddl
    monkeypatch.setattr(publish, "query_function_ddl",
                        lambda db, query, *a: ["SELECT no_such_function()"] if query.name == "targets"
                        else real(db, query, *a))
    with pytest.raises(BatterydbError) as caught:
        publish.publish_postgres(db, server.dsn(), target="refused")
    assert str(caught.value) == (
        "publishing to PostgreSQL failed, the previous copy is unchanged: named query targets (carried by sqlglot) "
        "was refused: function no_such_function() does not exist")
    with psycopg.connect(server.dsn()) as pg:
        assert pg.execute("SELECT count(*) FROM refused_analytics.targets").fetchone() == (9,)


class TestReaderRole:
    def test_reads_the_schema(self, published):
        with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg:
            assert pg.execute("SELECT owner_org_id FROM batterydb.ownership_stakes WHERE owned_org_id = 'beijing_era' "
                              "ORDER BY share_pct DESC").fetchall() == [("catl",), ("baic",), ("xiaomi",)]

    @pytest.mark.parametrize("statement", [
        "INSERT INTO batterydb.people VALUES ('x', 'X', 'hktdc_2017')",
        "UPDATE batterydb.people SET name = 'X'",
        "DELETE FROM batterydb.people",
        "CREATE TABLE batterydb.mine (a int)",
        "CREATE TABLE batterydb_analytics.mine (a int)",
        "CREATE VIEW batterydb_analytics.mine AS SELECT 1",
        "CREATE TABLE public.mine (a int)",
        "CREATE TEMP TABLE mine (a int)",
        "CREATE SCHEMA mine",
        "SELECT * FROM private.secrets",
    ])
    def test_can_do_nothing_else(self, published, statement):
        with psycopg.connect(published.dsn()) as admin:
            admin.execute("CREATE SCHEMA IF NOT EXISTS private")
            admin.execute("CREATE TABLE IF NOT EXISTS private.secrets (a int)")
        with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                pg.execute(statement)

    def test_it_alone_holds_privileges_and_only_these(self, published):
        """Every privilege the reader, or any role through PUBLIC, holds on the published schemas, what is in them
        and the database (whose owner published, so TEMPORARY is revoked from PUBLIC)."""
        with psycopg.connect(published.dsn()) as pg:
            held = pg.execute("""
                WITH who (role) AS (VALUES ('batterydb_reader'), ('public')),
                ours AS (SELECT oid FROM pg_namespace WHERE nspname IN ('batterydb', 'batterydb_analytics'))
                SELECT role, kind, privilege, count(*) FROM (
                    SELECT role, 'schema' AS kind, privilege FROM who, ours, unnest(ARRAY['CREATE', 'USAGE']) privilege
                    WHERE has_schema_privilege(role, ours.oid, privilege)
                    UNION ALL
                    SELECT role, 'table', privilege FROM who, pg_class c,
                        unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'])
                        privilege
                    WHERE c.relnamespace IN (SELECT oid FROM ours) AND c.relkind IN ('r', 'v')
                      AND has_table_privilege(role, c.oid, privilege)
                    UNION ALL
                    SELECT role, 'function', 'EXECUTE' FROM who, pg_proc p
                    WHERE p.pronamespace IN (SELECT oid FROM ours) AND has_function_privilege(role, p.oid, 'EXECUTE')
                    UNION ALL
                    SELECT role, 'database', privilege FROM who,
                        unnest(ARRAY['CREATE', 'TEMPORARY', 'CONNECT']) privilege
                    WHERE has_database_privilege(role, current_database(), privilege)
                ) granted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""").fetchall()
        assert held == [("batterydb_reader", "database", "CONNECT", 1), ("batterydb_reader", "function", "EXECUTE", 32),
                        ("batterydb_reader", "schema", "USAGE", 2), ("batterydb_reader", "table", "SELECT", 58),
                        ("public", "database", "CONNECT", 1)]

    def test_psql_lists_the_tables_with_their_comments(self, published):
        result = subprocess.run(["psql", published.dsn(user="batterydb_reader", password=PASSWORD), "-X", "-A",
                                 "-c", r"\dt+ batterydb.ownership_stakes"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "ownership_stakes" in result.stdout and "Who owns what" in result.stdout

    def test_psql_lists_the_query_views_with_their_comments(self, published):
        result = subprocess.run(["psql", published.dsn(user="batterydb_reader", password=PASSWORD), "-X", "-A",
                                 "-c", r"\dv+ batterydb_analytics.*"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        line = next(row for row in result.stdout.splitlines() if "|joint_venture_owners|" in row)
        assert line.endswith("|Owners of each joint venture: Who holds the stakes in each joint venture, "
                             "with what share, and how much of it is left undisclosed?"), line

    def test_sqlalchemy_sees_tables_columns_and_comments(self, published):
        url = (f"postgresql+psycopg://batterydb_reader:{PASSWORD}@127.0.0.1:{published.port}/postgres")
        engine = sqlalchemy.create_engine(url)
        with engine.connect() as connection:
            inspector = sqlalchemy.inspect(connection)
            assert "ownership_stakes" in inspector.get_table_names(schema="batterydb")
            columns = {c["name"]: c for c in inspector.get_columns("capacities", schema="batterydb")}
            assert columns["qualifier"]["comment"].startswith("How the source states the figure")
            assert inspector.get_table_comment("ownership_stakes", schema="batterydb")["text"].startswith("Who owns")
            assert "joint_venture_owners" in inspector.get_view_names(schema="batterydb_analytics")
            assert [c["name"] for c in inspector.get_columns("capacity_pipeline", schema="batterydb_analytics")] == \
                [name for name, _ in batterydb.catalogue.load()["capacity_pipeline"].columns]
        engine.dispose()


# The shipped data has no country with only part of its plants without a figure: the fixture has.
PARTLY_KNOWN = [("capacity_by_country", {"year": 2025}), ("capacity_by_country", {"year": 2020}),
                ("capacity_pipeline", {})]


def test_partly_known_capacity_reads_the_same_on_postgres(server, seeds_copy, tmp_path):
    """Lower bounds, their text ("at least 7 (1 plant without a GWh figure)", "1.5 to 3.5") and source lists."""
    batterydb.build(out=tmp_path / "partial.duckdb", seeds=extend_seeds(seeds_copy, "partial_capacity"))
    with batterydb.connect(tmp_path / "partial.duckdb") as partial:
        publish.publish_postgres(partial, server.dsn(), target="partial")
        with psycopg.connect(server.dsn()) as pg:
            for name, params in PARTLY_KNOWN:
                expected = partial.run(name, **params).rows()
                arguments = ", ".join(f"{key} => %({key})s" for key in params)
                got = pg.execute(f"SELECT * FROM partial_analytics.{name}({arguments})", params).fetchall()
                assert len(got) == len(expected) and any(r[0] == "PL" for r in expected), name
                for row_got, row_expected in zip(got, expected):
                    assert all(close(a, b) for a, b in zip(row_got, row_expected, strict=True)), (row_got, row_expected)


def test_republish_replaces_and_a_failed_publish_changes_nothing(server, seeds_copy, tmp_path, monkeypatch):
    with (seeds_copy / "people.csv").open("a") as f:
        f.write("someone,Someone,bloomberg_2012_08_08\n")
    batterydb.build(out=tmp_path / "more.duckdb", seeds=seeds_copy)
    with batterydb.connect(tmp_path / "more.duckdb") as more:
        publish.publish_postgres(more, server.dsn(), target="atomic")
        with psycopg.connect(server.dsn()) as pg:
            assert pg.execute("SELECT count(*) FROM atomic.people").fetchone() == (5,)
    with batterydb.connect(tmp_path / "more.duckdb") as more:
        real = publish.postgres_ddl
        monkeypatch.setattr(publish, "postgres_ddl", lambda *a: real(*a) + ["SELECT 1 / 0"])
        with pytest.raises(BatterydbError, match="^publishing to PostgreSQL failed, the previous copy is "
                                                  "unchanged: division by zero$"):
            publish.publish_postgres(more, server.dsn(), target="atomic")
    with psycopg.connect(server.dsn()) as pg:
        assert pg.execute("SELECT count(*) FROM atomic.people").fetchone() == (5,)
        assert pg.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'atomic_new_%'").fetchone() == (0,)


def test_unreachable_server_is_a_clear_error(db):
    with pytest.raises(BatterydbError, match="^publishing to PostgreSQL failed, the previous copy is unchanged: "):
        publish.publish_postgres(db, "host=127.0.0.1 port=1 user=nobody dbname=none connect_timeout=2")


def test_an_organisation_parameter_is_found_through_the_folded_name_indexes(published):
    """Resolving a name folds only the text asked about: the folded ids, names and aliases are indexed."""
    with psycopg.connect(published.dsn()) as pg:
        pg.execute("SET enable_seqscan = off")
        plan = json.dumps(pg.execute(
            "EXPLAIN (FORMAT JSON) SELECT * FROM batterydb.organisations_named('Beijing Era')").fetchone()[0])
        assert {"organisations_folded_id", "organisations_folded_name", "organisation_aliases_folded_alias"} <= set(
            re.findall(r'"Index Name": "(\w+)"', plan))
        for text in ("BEIJING_era", " beijing era new energy technology ", "Beijing Era New Energy Technology Co."):
            assert pg.execute("SELECT * FROM batterydb.organisations_named(%s)", [text]).fetchall() == [
                ("beijing_era", "Beijing Era New Energy Technology")]
        assert pg.execute("SELECT count(*) FROM batterydb.organisations_named(NULL)").fetchone() == (0,)
