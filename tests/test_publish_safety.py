"""Publishing to a shared PostgreSQL server as an attacker would try it: what a publish refuses to
replace or change, and how it fails, against the real server the tests start."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from decimal import Decimal

import psycopg
import pytest

from batterydb import BatterydbError, publish

from conftest import VENV_BIN
from test_postgres import server  # noqa: F401  (a server of this module's own; the database is conftest's db)

# The longest schema name batterydb takes: while publishing it also creates
# <name>_analytics_new_<8 hex digits>, and PostgreSQL cuts names at 63 bytes.
TARGET = "safety_copy_whose_name_is_the_longest_ok"
# A role name that breaks out of any quoting but PostgreSQL's own (and the dollar quotes of a DO block).
READER = 'safety "reader"; $$ --\''
ORGANISATIONS = 25
UNREACHABLE = "host=127.0.0.1 port=1 user=nobody dbname=none connect_timeout=2"
LOST = ("publishing to PostgreSQL failed: the connection to the server was lost (terminating connection due to "
        "administrator command) before the publish was committed, so the previous copy is unchanged")


_TABLE_OID = f"SELECT to_regclass('{TARGET}.organisations')::oid"
_FIRST: dict[str, int] = {}


@pytest.fixture(scope="module")
def copy(server, db):
    """One published copy, which every refused or failed publish below must leave as it was."""
    publish.publish_postgres(db, server.dsn(), target=TARGET, reader=READER, reader_password="secret")
    with psycopg.connect(server.dsn()) as pg:
        _FIRST["oid"] = pg.execute(_TABLE_OID).fetchone()[0]
    return server


def _assert_intact(server) -> None:
    """The very tables first published (not a new copy of them) are still there, with their rows."""
    with psycopg.connect(server.dsn()) as pg:
        assert pg.execute(_TABLE_OID).fetchone() == (_FIRST["oid"],)
        assert pg.execute(f"SELECT count(*) FROM {TARGET}.organisations").fetchone() == (ORGANISATIONS,)
        assert pg.execute(f"SELECT count(*) FROM {TARGET}_analytics.targets").fetchone() == (9,)
        assert pg.execute("SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace "
                          "WHERE starts_with(nspname::text, %s)", [TARGET]).fetchone() == (
            [TARGET, TARGET + "_analytics"],)


def _refused(db, dsn: str, **options) -> str:
    with pytest.raises(BatterydbError) as caught:
        publish.publish_postgres(db, dsn, **options)
    return str(caught.value)


def test_a_schema_batterydb_did_not_create_is_refused_and_left_as_it_was(server, built_db):
    with psycopg.connect(server.dsn()) as pg:
        pg.execute("CREATE SCHEMA sales")
        pg.execute("CREATE TABLE sales.orders (id int PRIMARY KEY, amount numeric)")
        pg.execute("INSERT INTO sales.orders VALUES (1, 10), (2, 20), (3, 30)")
    result = subprocess.run([str(VENV_BIN / "batterydb"), "publish", "postgres", "--dsn", server.dsn(),
                             "--schema", "sales", "--db", str(built_db)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "BATTERYDB_READER_PASSWORD": "secret"})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "batterydb: connecting to PostgreSQL\n"  # the first stage; the refusal comes before any other
        "batterydb: publishing to PostgreSQL refused: schema sales exists and batterydb did not create it (it lacks "
        "the comment batterydb marks its schemas with), so it is left as it is; nothing was changed. Publish to "
        "another schema, or drop sales yourself if it is a copy a batterydb older than this check published\n")
    with psycopg.connect(server.dsn()) as pg:
        assert pg.execute("SELECT * FROM sales.orders ORDER BY id").fetchall() == [
            (1, Decimal(10)), (2, Decimal(20)), (3, Decimal(30))]
        assert pg.execute("SELECT array_agg(nspname::text), obj_description(min(oid), 'pg_namespace') "
                          "FROM pg_namespace WHERE starts_with(nspname::text, 'sales')").fetchone() == (["sales"], None)
        assert pg.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'batterydb_reader'").fetchone() == (0,)


def test_an_analytics_schema_batterydb_did_not_create_is_refused_too(server, db):
    with psycopg.connect(server.dsn()) as pg:
        pg.execute("CREATE SCHEMA shop_analytics")
        pg.execute("CREATE FUNCTION shop_analytics.total() RETURNS int LANGUAGE sql RETURN 42")
    assert _refused(db, server.dsn(), target="shop") == (
        "publishing to PostgreSQL refused: schema shop_analytics exists and batterydb did not create it (it lacks "
        "the comment batterydb marks its schemas with), so it is left as it is; nothing was changed. Publish to "
        "another schema, or drop shop_analytics yourself if it is a copy a batterydb older than this check published")
    with psycopg.connect(server.dsn()) as pg:
        assert pg.execute("SELECT shop_analytics.total()").fetchone() == (42,)
        assert pg.execute("SELECT array_agg(nspname::text) FROM pg_namespace "
                          "WHERE starts_with(nspname::text, 'shop')").fetchone() == (["shop_analytics"],)


OWN = ("publishing to PostgreSQL refused: schema {} belongs to PostgreSQL (as public, information_schema and every "
       "pg_* schema do); batterydb publishes only to schemas of its own")


@pytest.mark.parametrize(("target", "reader", "message"), [
    *[(name, "batterydb_reader", OWN.format(name))
      for name in ("public", "pg_catalog", "information_schema", "pg_toast", "pg_temp_1", "pg_mine")],
    ("Sales", "batterydb_reader", "publishing to PostgreSQL refused: schema name \"Sales\" must be lower-case "
                                  "letters, digits and underscores, not starting with a digit"),
    ('x"; DROP SCHEMA public; --', "batterydb_reader",
     "publishing to PostgreSQL refused: schema name \"x\"\"; DROP SCHEMA public; --\" must be lower-case letters, "
     "digits and underscores, not starting with a digit"),
    (TARGET + "x", "batterydb_reader",
     f"publishing to PostgreSQL refused: schema name {TARGET}x is 41 bytes; PostgreSQL cuts names at 63 bytes, "
     f"and while publishing batterydb also creates {TARGET}x_analytics_new_<8 hex digits>, so a schema name can "
     f"have 40 bytes at most"),
    ("batterydb", "é" * 32, f"publishing to PostgreSQL refused: role name {'é' * 32} is 64 bytes; PostgreSQL cuts "
                            f"names at 63 bytes"),
    ("batterydb", "public", "publishing to PostgreSQL refused: \"public\" cannot be a role's name in PostgreSQL"),
    ("batterydb", "pg_monitor",
     "publishing to PostgreSQL refused: \"pg_monitor\" cannot be a role's name in PostgreSQL"),
    ("batterydb", "", "publishing to PostgreSQL refused: \"\" cannot be a role's name in PostgreSQL"),
])
def test_names_batterydb_must_not_or_cannot_publish_to_are_refused_before_connecting(db, target, reader, message):
    assert _refused(db, UNREACHABLE, target=target, reader=reader) == message


def test_the_longest_schema_name_and_an_awkward_role_name_publish_as_given(copy):
    assert len(TARGET) == publish.SCHEMA_LIMIT == 40
    _assert_intact(copy)
    with psycopg.connect(copy.dsn()) as pg:
        assert pg.execute("SELECT rolpassword LIKE 'SCRAM-SHA-256$%%', shobj_description(oid, 'pg_authid'), "
                          "has_schema_privilege(oid, %s, 'USAGE') FROM pg_authid WHERE rolname = %s",
                          [TARGET, READER]).fetchone() == (True, publish.READER_MARK, True)
    with psycopg.connect(copy.dsn(), user=READER) as pg:
        assert pg.execute(f"SELECT count(*) FROM {TARGET}.organisations").fetchone() == (ORGANISATIONS,)


@pytest.mark.parametrize("when", ["before the publish", "while it builds the new copy"])
def test_objects_outside_that_depend_on_the_copy_stop_the_republish(copy, db, monkeypatch, when):
    def depend():
        with psycopg.connect(copy.dsn(), autocommit=True) as pg:
            pg.execute("CREATE SCHEMA other")
            pg.execute(f"CREATE VIEW other.v AS SELECT count(*) AS n FROM {TARGET}.organisations")
            pg.execute(f"CREATE VIEW other.w AS SELECT owner FROM {TARGET}_analytics.owners_of('AESC')")

    if when == "before the publish":
        depend()
    else:  # after the first check: the one made again at the swap must catch it
        real = publish.query_function_ddl

        def depend_meanwhile(db, query, *rest):
            if query.name == "targets":
                depend()
            return real(db, query, *rest)

        monkeypatch.setattr(publish, "query_function_ddl", depend_meanwhile)
    try:
        assert _refused(db, copy.dsn(), target=TARGET, reader=READER) == (
            f"publishing to PostgreSQL refused: objects outside batterydb's schemas depend on the published copy in "
            f"{TARGET} and {TARGET}_analytics, and replacing it would drop them: view other.v (on table "
            f"{TARGET}.organisations); view other.w (on function {TARGET}_analytics.owners_of(pg_catalog.text)); "
            f"nothing was changed. Drop those objects or make them independent of the copy, then publish again")
        with psycopg.connect(copy.dsn()) as pg:
            assert pg.execute("SELECT n FROM other.v").fetchone() == (ORGANISATIONS,)
            assert pg.execute("SELECT count(*) > 0 FROM other.w").fetchone() == (True,)
        _assert_intact(copy)
    finally:
        with psycopg.connect(copy.dsn(), autocommit=True) as pg:
            pg.execute("DROP SCHEMA IF EXISTS other CASCADE")


def _role(pg, name: str) -> tuple:
    return pg.execute("SELECT rolpassword, rolsuper, shobj_description(oid, 'pg_authid') FROM pg_authid "
                      "WHERE rolname = %s", [name]).fetchone()


def test_a_reader_role_batterydb_did_not_create_is_refused_and_keeps_its_password(copy, db):
    with psycopg.connect(copy.dsn()) as pg:
        pg.execute("CREATE ROLE analyst LOGIN PASSWORD 'theirs'")
        before = _role(pg, "analyst")
    assert _refused(db, copy.dsn(), target=TARGET, reader="analyst", reader_password="ours") == (
        "publishing to PostgreSQL refused: role analyst exists and batterydb did not create it (it lacks the comment "
        "batterydb marks its reader role with), so batterydb will not change its password or privileges; nothing "
        "was changed. Name a reader role that does not exist yet")
    with psycopg.connect(copy.dsn()) as pg:
        assert _role(pg, "analyst") == before and before[0].startswith("SCRAM-SHA-256$") and before[2] is None
        assert pg.execute("SELECT has_schema_privilege('analyst', %s, 'USAGE')", [TARGET]).fetchone() == (False,)
    _assert_intact(copy)


def test_a_superuser_reader_is_refused_even_with_batterydbs_mark(copy, db):
    with psycopg.connect(copy.dsn()) as pg:
        pg.execute("CREATE ROLE boss SUPERUSER LOGIN PASSWORD 'theirs'")
        pg.execute(f"COMMENT ON ROLE boss IS '{publish.READER_MARK}'")
        before = _role(pg, "boss")
    assert _refused(db, copy.dsn(), target=TARGET, reader="boss", reader_password="ours") == (
        "publishing to PostgreSQL refused: the reader role boss has SUPERUSER, which a read-only role must not have, "
        "so batterydb leaves it alone; nothing was changed")
    with psycopg.connect(copy.dsn()) as pg:
        assert _role(pg, "boss") == before
    _assert_intact(copy)


def test_a_reader_holding_the_copy_fails_the_republish_soon_and_queues_no_one_for_long(copy, db):
    count = f"SELECT count(*) FROM {TARGET}.organisations"
    # Should the publish wait for it regardless, the holder goes after 20 s, the publish then succeeds, and this fails.
    holder = psycopg.connect(copy.dsn(), user=READER, options="-c idle_in_transaction_session_timeout=20s")
    assert holder.execute(count).fetchone() == (ORGANISATIONS,)  # its transaction stays open
    arrived = []

    def third_reader():
        with psycopg.connect(copy.dsn(), autocommit=True) as watch:
            deadline = time.monotonic() + 60
            while not watch.execute("SELECT count(*) > 0 FROM pg_stat_activity "
                                    "WHERE application_name = 'publisher' AND wait_event_type = 'Lock'").fetchone()[0]:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.01)
        with psycopg.connect(copy.dsn(), user=READER, options="-c statement_timeout=30s") as reader:
            start = time.monotonic()
            arrived.append((reader.execute(count).fetchone(), time.monotonic() - start))

    thread = threading.Thread(target=third_reader)
    thread.start()
    start = time.monotonic()
    try:
        message = _refused(db, copy.dsn() + " application_name=publisher", target=TARGET, reader=READER,
                           lock_timeout=0.5, swap_attempts=3, swap_pause=0.2)
        elapsed = time.monotonic() - start
        thread.join()
        assert message == (
            f"publishing to PostgreSQL failed: a reader holds the published schema {TARGET} (a transaction that "
            f"read it is still open), and 3 attempts of 0.5 s each could not take it over; the previous copy is "
            f"unchanged. Publish again when that transaction has ended")
        assert elapsed < 15  # the build takes a few seconds; the swap 3 x (0.5 + 0.2)
        [(rows, waited)] = arrived
        assert rows == (ORGANISATIONS,) and waited < 2.5, waited  # queued behind one attempt of 0.5 s at most
        assert holder.execute(count).fetchone() == (ORGANISATIONS,)
    finally:
        thread.join()
        holder.close()
    _assert_intact(copy)


@pytest.mark.parametrize(("step", "message"), [
    ("query_function_ddl", LOST),
    ("_swap", "publishing to PostgreSQL failed: the connection to the server was lost while committing "
              "(terminating connection due to administrator command), so whether the new copy replaced the previous "
              "one is not known; publish again"),
])
def test_a_lost_connection_is_reported_as_lost(copy, db, monkeypatch, step, message):
    """The backend is ended from another connection in the middle of a named query's statements, or just before
    the COMMIT."""
    real = getattr(publish, step)

    def terminate():
        with psycopg.connect(copy.dsn(), autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                                 "WHERE application_name = 'victim'").fetchall() == [(True,)]

    def cut(*args):
        made = real(*args)
        if step == "_swap" or args[1].name == "targets":
            terminate()
        return made

    monkeypatch.setattr(publish, step, cut)
    assert _refused(db, copy.dsn() + " application_name=victim", target=TARGET, reader=READER) == message
    _assert_intact(copy)


@pytest.fixture(scope="module")
def bi(server):
    """A database of its own, with a loader that has the documented rights and one that lacks CREATEROLE."""
    with psycopg.connect(server.dsn(), autocommit=True) as pg:
        pg.execute("CREATE DATABASE bi")
        pg.execute("CREATE ROLE loader LOGIN CREATEROLE")
        pg.execute("CREATE ROLE weak_loader LOGIN")
        pg.execute("GRANT CREATE ON DATABASE bi TO loader, weak_loader")
    return server


class TestLoaderRights:
    """The rights the README says a publishing role needs are enough, and without them the publish says what is missing."""

    def test_connect_create_on_the_database_and_createrole_suffice(self, bi, db):
        result = publish.publish_postgres(db, bi.dsn(user="loader", dbname="bi"), target="bi_copy",
                                          reader="bi_reader", reader_password="secret")
        assert result.temporary_revoked is False  # only the database's owner can revoke TEMPORARY from PUBLIC
        with psycopg.connect(bi.dsn(user="bi_reader", dbname="bi")) as pg:
            assert pg.execute("SELECT count(*) FROM bi_copy.organisations").fetchone() == (ORGANISATIONS,)
            assert pg.execute("SELECT count(*) FROM bi_copy_analytics.owners_of('Beijing_Era')").fetchone() == (4,)

    def test_without_createrole_the_reader_cannot_be_made(self, bi, db):
        message = _refused(db, bi.dsn(user="weak_loader", dbname="bi"), target="weak_copy", reader="weak_reader",
                           reader_password="secret")
        assert message == ("publishing to PostgreSQL failed, the previous copy is unchanged: permission denied to "
                           "create role (the publishing role needs CREATEROLE to create the reader role)")

    def test_without_create_on_the_database_the_schemas_cannot_be_made(self, bi, db):
        with psycopg.connect(bi.dsn(dbname="bi"), autocommit=True) as pg:
            pg.execute("REVOKE CREATE ON DATABASE bi FROM weak_loader")
            pg.execute("ALTER ROLE weak_loader CREATEROLE")
        message = _refused(db, bi.dsn(user="weak_loader", dbname="bi"), target="weak_copy", reader="weak_reader",
                           reader_password="secret")
        assert message == ("publishing to PostgreSQL failed, the previous copy is unchanged: permission denied for "
                           "database bi (the publishing role needs CREATE on the database to create the schemas)")
