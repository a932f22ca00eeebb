"""The DDL: it applies to an empty database, documents itself, and matches the seeds."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import paths, schema

from conftest import rows


def test_schema_applies_to_an_empty_database():
    con = duckdb.connect()
    schema.apply(con, paths.schema_dir())
    assert len(schema.tables(con)) == len(list(paths.seeds_dir().glob("*.csv")))


def test_header_only_seeds_build_an_empty_database(tmp_path: Path):
    """A new user's first step: a seed folder with headers only builds into empty tables."""
    con = duckdb.connect()
    schema.apply(con, paths.schema_dir())
    empty = tmp_path / "seeds"
    empty.mkdir()
    for table in schema.tables(con).values():
        with (empty / f"{table.name}.csv").open("w", newline="") as f:
            csv.writer(f).writerow(table.column_names)
    result = batterydb.build(out=tmp_path / "empty" / "db.duckdb", seeds=empty)
    assert result.path.exists()
    assert set(result.row_counts.values()) == {0}


def test_every_table_has_a_comment(con):
    assert rows(con, """
        SELECT schema_name || '.' || table_name FROM duckdb_tables()
        WHERE NOT internal AND coalesce(comment, '') = ''
    """) == []


def test_every_column_has_a_comment(con):
    assert rows(con, """
        SELECT c.schema_name || '.' || c.table_name || '.' || c.column_name
        FROM duckdb_columns() AS c
        JOIN duckdb_tables() AS t USING (schema_name, table_name)
        WHERE NOT t.internal AND coalesce(c.comment, '') = ''
    """) == []


def test_every_macro_has_a_comment(con):
    assert rows(con, """
        SELECT DISTINCT function_name FROM duckdb_functions()
        WHERE function_type IN ('macro', 'table_macro') AND NOT internal
          AND coalesce(comment, '') = ''
    """) == []


def test_one_seed_file_per_table(con):
    tables = {name for (name,) in rows(con, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")}
    assert tables == {p.stem for p in paths.seeds_dir().glob("*.csv")}


def test_load_order_puts_referenced_tables_first():
    con = duckdb.connect()
    schema.apply(con, paths.schema_dir())
    order = [t.name for t in schema.load_order(schema.tables(con))]
    assert order.index("sources") < order.index("organisations") < order.index("ownership_stakes")
    assert order.index("organisations") < order.index("source_publishers")
    assert order.index("agreements") < order.index("agreement_parties")


def test_load_order_is_the_same_in_every_process():
    """Python seeds string hashes anew in each process; the order (and so every script written in it, such as
    the Spark export's) must not follow them."""
    code = ("import duckdb; from batterydb import paths, schema; c = duckdb.connect(); "
            "schema.apply(c, paths.schema_dir(), comments=False); "
            "print(' '.join(t.name for t in schema.load_order(schema.tables(c))))")
    orders = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(1, 7)}
    assert len(orders) == 1


@pytest.mark.parametrize("table, column, value, expected", [
    ("ownership_stakes", "share_pct", 101, "CHECK"),
    ("capacities", "value", -1, "CHECK"),
    ("organisations", "org_id", "catl", "(?i)primary key"),
])
def test_constraints_refuse_bad_rows(built_db, tmp_path, table, column, value, expected):
    """The constraints, not only the seeds' good behaviour, keep the data sound."""
    copy = tmp_path / "db.duckdb"
    copy.write_bytes(built_db.read_bytes())
    con = duckdb.connect(str(copy))
    first = con.execute(f"SELECT rowid FROM {table} LIMIT 1").fetchone()[0]
    with pytest.raises(duckdb.ConstraintException, match=expected):
        con.execute(f"UPDATE {table} SET {column} = $v WHERE rowid = $r", {"v": value, "r": first})


@pytest.mark.parametrize("qualifier, value, vmin, vmax", [
    ("as_much_as", 400, None, None),      # "as much as" must be a maximum, not a value
    ("over", None, None, 100),            # "over" must be an exclusive minimum
    ("exact", None, 1, 2),                # an exact figure needs its value
    ("unknown", 5, None, None),           # an unknown share has no figure
    ("range", None, 10, 5),               # minimum above maximum
])
def test_qualifier_and_bounds_must_agree(qualifier, value, vmin, vmax):
    con = duckdb.connect()
    schema.apply(con, paths.schema_dir())
    con.execute("INSERT INTO source_kinds VALUES ('blog_post', 'x', 'thirdParty')")
    con.execute("INSERT INTO sources (source_id, kind, publisher_note) VALUES ('s', 'blog_post', 'x')")
    con.execute("INSERT INTO organisation_kinds VALUES ('company', 'x', 'registeredEntity', NULL)")
    con.execute("INSERT INTO organisations (org_id, name, kind, source_id) VALUES ('a', 'A', 'company', 's'), ('b', 'B', 'company', 's')")
    con.execute("INSERT INTO stake_kinds VALUES ('equity_stake', 'x', 'shareholding')")
    con.execute("INSERT INTO qualifiers VALUES ($q, 'x', 'x')", {"q": qualifier})
    with pytest.raises(duckdb.ConstraintException, match="CHECK constraint failed"):
        con.execute(
            """INSERT INTO ownership_stakes (stake_id, owner_org_id, owned_org_id, kind, qualifier,
                   share_pct, share_min_pct, share_min_exclusive, share_max_pct, share_max_exclusive,
                   reported_on, reported_precision, source_id)
               VALUES (1, 'a', 'b', 'equity_stake', $q, $v, $lo, $ex, $hi, false, DATE '2024-03-11', 'day', 's')""",
            {"q": qualifier, "v": value, "lo": vmin, "hi": vmax, "ex": qualifier == "over"},
        )


@pytest.mark.parametrize("precision, day", [("month", "2024-03-11"), ("year", "2024-03-01")])
def test_date_precision_must_match_the_date(precision, day):
    con = duckdb.connect()
    schema.apply(con, paths.schema_dir())
    con.execute("INSERT INTO source_kinds VALUES ('blog_post', 'x', 'thirdParty')")
    with pytest.raises(duckdb.ConstraintException, match="CHECK constraint failed"):
        con.execute(
            "INSERT INTO sources (source_id, kind, publisher_note, published_on, published_precision) "
            "VALUES ('s', 'blog_post', 'x', CAST($d AS DATE), $p)",
            {"d": day, "p": precision},
        )


def test_loading_ddl_cuts_keys_at_their_tokens_and_keeps_the_rest_as_written(tmp_path: Path):
    """Keys come off for the load and are added after it; CHECK text, accents and keyword column names survive."""
    (tmp_path / "01.sql").write_text(
        "-- Größe: a comment with accents\n"
        "CREATE TABLE IF NOT EXISTS \"Straße\" (\n"
        "    role  VARCHAR PRIMARY KEY CHECK (role <> 'UNIQUE (x)'),\n"
        "    alias VARCHAR NOT NULL REFERENCES main.kinds (kind),\n"
        "    note  VARCHAR UNIQUE\n"
        ");\n"
        "CREATE TABLE pairs (\n"
        "    FOREIGN KEY (a) REFERENCES kinds (kind),\n"
        "    a VARCHAR,\n"
        "    kind VARCHAR,\n"
        "    PRIMARY KEY (a, kind),\n"
        "    UNIQUE (kind, a)\n"
        ");\n"
        "COMMENT ON TABLE pairs IS 'Zwei Schlüssel';\n", encoding="utf-8")
    ddl = schema.loading_ddl(tmp_path)
    assert ddl.script.splitlines() == [
        "-- Größe: a comment with accents",
        "CREATE TABLE IF NOT EXISTS \"Straße\" (",
        "    role  VARCHAR CHECK (role <> 'UNIQUE (x)'),",
        "    alias VARCHAR NOT NULL,",
        "    note  VARCHAR",
        ");",
        "CREATE TABLE pairs (",
        "    a VARCHAR,",
        "    kind VARCHAR",
        ");",
        "COMMENT ON TABLE pairs IS 'Zwei Schlüssel';",
    ]
    assert ddl.keys == {
        "Straße": ['ALTER TABLE "Straße" ADD PRIMARY KEY ("role");', 'ALTER TABLE "Straße" ADD UNIQUE ("note");'],
        "pairs": ['ALTER TABLE "pairs" ADD PRIMARY KEY ("a", "kind");', 'ALTER TABLE "pairs" ADD UNIQUE ("kind", "a");'],
    }
    assert schema.loading_ddl(tmp_path, declare_foreign_keys=True).keys == {}


def test_statements_are_cut_at_their_semicolons_after_non_ascii_text(tmp_path: Path):
    (tmp_path / "01.sql").write_text("COMMENT ON TABLE x IS 'Größe; Önnerud';\nCREATE TABLE y (a INTEGER);\n-- the end\n",
                                     encoding="utf-8")
    assert [s for _, s in schema.statements(tmp_path)] == [
        "COMMENT ON TABLE x IS 'Größe; Önnerud'", "\nCREATE TABLE y (a INTEGER)"]


def test_the_last_statement_needs_no_semicolon_and_an_empty_one_is_none(tmp_path: Path):
    (tmp_path / "01.sql").write_text("CREATE TABLE y (a INTEGER);;\nCREATE TABLE z (a INTEGER)\n", encoding="utf-8")
    assert [s.strip() for _, s in schema.statements(tmp_path)] == ["CREATE TABLE y (a INTEGER)",
                                                                   "CREATE TABLE z (a INTEGER)"]
