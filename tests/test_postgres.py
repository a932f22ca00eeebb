"""Publishing to a real PostgreSQL server, started by the tests themselves."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal

import psycopg
import pytest
import sqlalchemy

import batterydb
from batterydb import BatterydbError, publish

from conftest import VENV_BIN
from pgserver import Server

PASSWORD = "reader-secret"


@pytest.fixture(scope="module")
def server():
    pg = Server().start()
    yield pg
    pg.stop()


@pytest.fixture(scope="module")
def db(built_db):
    with batterydb.connect(built_db) as database:
        yield database


@pytest.fixture(scope="module")
def published(server, built_db):
    """The shipped database published once, through the real command."""
    result = subprocess.run([str(VENV_BIN / "batterydb"), "publish", "postgres", "--dsn", server.dsn(),
                             "--db", str(built_db)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "BATTERYDB_READER_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "published 40 tables (691 rows) to schema batterydb; read-only role batterydb_reader\n"
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
    fks = len(db.sql("SELECT * FROM duckdb_constraints() WHERE schema_name = 'main' "
                     "AND constraint_type = 'FOREIGN KEY'").rows())
    assert kinds["f"] == fks and kinds["p"] == 40 and kinds["c"] > 50
    assert uncommented == []


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
        "CREATE TABLE public.mine (a int)",
        "SELECT * FROM private.secrets",
    ])
    def test_can_do_nothing_else(self, published, statement):
        with psycopg.connect(published.dsn()) as admin:
            admin.execute("CREATE SCHEMA IF NOT EXISTS private")
            admin.execute("CREATE TABLE IF NOT EXISTS private.secrets (a int)")
        with psycopg.connect(published.dsn(user="batterydb_reader", password=PASSWORD)) as pg:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                pg.execute(statement)

    def test_psql_lists_the_tables_with_their_comments(self, published):
        result = subprocess.run(["psql", published.dsn(user="batterydb_reader", password=PASSWORD), "-X", "-A",
                                 "-c", r"\dt+ batterydb.ownership_stakes"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "ownership_stakes" in result.stdout and "Who owns what" in result.stdout

    def test_sqlalchemy_sees_tables_columns_and_comments(self, published):
        url = (f"postgresql+psycopg://batterydb_reader:{PASSWORD}@127.0.0.1:{published.port}/postgres")
        engine = sqlalchemy.create_engine(url)
        with engine.connect() as connection:
            inspector = sqlalchemy.inspect(connection)
            assert "ownership_stakes" in inspector.get_table_names(schema="batterydb")
            columns = {c["name"]: c for c in inspector.get_columns("capacities", schema="batterydb")}
            assert columns["qualifier"]["comment"].startswith("How the source states the figure")
            assert inspector.get_table_comment("ownership_stakes", schema="batterydb")["text"].startswith("Who owns")
        engine.dispose()


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
