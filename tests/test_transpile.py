"""Carrying the named queries to other SQL dialects: what carries, what does not and why, and proof by running."""

from __future__ import annotations

import datetime
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
import sqlglot

import batterydb
from batterydb import dialects, paths, transpile
from batterydb.catalogue import NamedQuery
from batterydb.cli import main
from batterydb.export import to_sqlite

from conftest import EXAMPLES, close

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = batterydb.catalogue.load()


def _query(sql: str, params=()) -> NamedQuery:
    return NamedQuery(name="q", title="t", question="q?", sql=sql, path=Path("q.sql"), params=tuple(params))


@pytest.fixture(scope="module")
def lite(db, tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "batterydb.sqlite"
    counts = to_sqlite(db, path)
    assert sum(counts.values()) == 702
    with sqlite3.connect(path) as con:
        yield con


class TestMacrosAreWrittenOut:
    def test_a_scalar_macro_becomes_its_expression(self):
        tree = transpile.expand_macros(sqlglot.parse_one("SELECT lower_bound(c.value, c.value_min) FROM c"),
                                       transpile.macros())
        assert tree.sql() == "SELECT (COALESCE((c.value), (c.value_min))) FROM c"

    def test_a_table_macro_becomes_a_subquery_under_the_same_alias(self):
        tree = transpile.expand_macros(sqlglot.parse_one("SELECT m.org_id FROM org_matches('CATL') AS m",
                                                         read="duckdb"), transpile.macros(), frozenset({"name_key"}))
        assert re.fullmatch(r"SELECT m\.org_id FROM \(SELECT DISTINCT o\.org_id FROM organisations AS o .*"
                            r"WHERE NAME_KEY\(o\.org_id\) = NAME_KEY\(\('CATL'\)\) OR NAME_KEY\(o\.name\) = NAME_KEY\(\('CATL'\)\).*\) AS m",
                            tree.sql())

    def test_macros_that_call_macros_are_written_out_all_the_way(self):
        tree = transpile.expand_macros(sqlglot.parse_one("SELECT bounds_text('exact', 4, NULL, NULL, NULL, NULL)",
                                                         read="duckdb"), transpile.macros())
        assert not [f.name for f in tree.find_all(sqlglot.exp.Anonymous)]


class TestReasons:
    @pytest.mark.parametrize(("sql", "dialect", "reason"), [
        ("SELECT a, count(*) FROM t GROUP BY ALL", "trino",
         "GROUP BY ALL is DuckDB's shorthand; trino does not read it"),
        ("SELECT jaro_winkler_similarity(a, b) FROM t", "snowflake",
         "jaro_winkler_similarity has no counterpart on a 0 to 1 scale"),
        ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT max(n) + 1 FROM r WHERE n < 3) SELECT n FROM r",
         "postgres", "its WITH RECURSIVE step aggregates, which only DuckDB allows"),
        ("SELECT make_date(2020, 12, 31)", "trino", "Trino has no make_date"),
        ("SELECT arg_max(a, b) FROM t", "postgres", "arg_max has no PostgreSQL counterpart"),
        ("SELECT list_contains([1, 2], a) FROM t", "sqlite", "SQLite has no list (array) type"),
        ("SELECT strip_accents(a) FROM t", "spark", "strip_accents is DuckDB's own function; sqlglot knows no counterpart"),
        # A window over the groups would not give the grouped rows: a key left out of the output
        # (two groups could become one row), and a DISTINCT aggregate (no window takes one).
        ("WITH RECURSIVE r(k, n) AS (SELECT 1, 1 UNION ALL SELECT r.k + 1, sum(r.n) FROM r WHERE r.k < 3 "
         "GROUP BY r.k, r.n) SELECT n FROM r", "postgres", "its WITH RECURSIVE step aggregates, which only DuckDB allows"),
        ("WITH RECURSIVE r(k, n) AS (SELECT 1, 1 UNION ALL SELECT r.k + 1, count(DISTINCT r.n) FROM r WHERE r.k < 3 "
         "GROUP BY r.k + 1) SELECT n FROM r", "postgres", "its WITH RECURSIVE step aggregates, which only DuckDB allows"),
    ])
    def test_a_construct_the_engine_lacks_is_reported_and_no_sql_is_given(self, sql, dialect, reason):
        carried = transpile.carry(_query(sql), dialect)
        assert reason in carried.reasons and carried.sql is None

    @pytest.mark.parametrize(("sql", "dialect", "expected"), [
        ("SELECT make_date(y, 12, 31) FROM t", "postgres", "SELECT\n  MAKE_DATE(y, 12, 31)\nFROM t"),
        ("SELECT year(d) FROM t", "sqlite", "SELECT\n  CAST(STRFTIME('%Y', d) AS INTEGER)\nFROM t"),
        ("SELECT contains(a, b) FROM t", "postgres", "SELECT\n  (\n    POSITION(b IN a) > 0\n  )\nFROM t"),
        ("SELECT contains(a, b) FROM t", "trino", "SELECT\n  (\n    STRPOS(a, b) > 0\n  )\nFROM t"),
        ("SELECT jaro_winkler_similarity(a, b) FROM t", "postgres", "SELECT\n  JARO_WINKLER_SIMILARITY(a, b)\nFROM t"),
        # PostgreSQL takes no aggregate in a recursive step, but a window and DISTINCT: the same rows.
        ("WITH RECURSIVE r(k, n) AS (SELECT 1, 1 UNION ALL SELECT r.k + 1, sum(r.n) + 1 FROM r WHERE r.k < 3 "
         "GROUP BY r.k + 1) SELECT n FROM r", "postgres",
         "WITH RECURSIVE r(k, n) AS (\n  SELECT\n    1,\n    1\n  UNION ALL\n  SELECT DISTINCT\n    r.k + 1,\n"
         "    SUM(r.n) OVER (PARTITION BY r.k + 1) + 1\n  FROM r\n  WHERE\n    r.k < 3\n)\nSELECT\n  n\nFROM r"),
    ])
    def test_where_sqlglot_writes_a_missing_function_the_engine_s_own_is_used(self, sql, dialect, expected):
        assert transpile.carry(_query(sql), dialect).sql == expected

    def test_the_macro_postgres_defines_stays_a_call_there_and_nowhere_else(self):
        query = _query("SELECT name_key(name) FROM organisations")
        assert transpile.carry(query, "postgres").sql == "SELECT\n  NAME_KEY(name)\nFROM organisations"
        assert transpile.carry(query, "trino").sql is None

    def test_unknown_dialect(self):
        with pytest.raises(ValueError, match="^unknown dialect 'oracle'; expected one of postgres, spark"):
            transpile.carry(_query("SELECT 1"), "oracle")


def test_the_readme_shows_what_carries_where():
    """Every query carries to each dialect or is in the README's table of exceptions, with the reason."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- transpile-coverage -->\n")[1].split("<!-- /transpile-coverage -->")[0]
    assert table == transpile.coverage_markdown(CATALOGUE)


SQLITE = [name for name, q in CATALOGUE.items() if transpile.carry(q, "sqlite").ok]


def _lite_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@pytest.mark.parametrize("name", SQLITE)
def test_what_carries_to_sqlite_gives_duckdbs_rows_there(db, lite, name):
    query = CATALOGUE[name]
    params = dict(EXAMPLES.get(name, {}))
    for p in query.params:  # the SQL carries placeholders; defaults are the caller's to bind
        params.setdefault(p.name, db.sql(f"SELECT CAST({p.default} AS {p.sql_type})").rows()[0][0])
    expected = [tuple(_lite_value(v) for v in row) for row in db.run(name, **params).rows()]
    for p in query.params:  # elsewhere an organisation parameter takes the id
        if p.resolver:
            params[p.name] = db.sql(f"SELECT {p.resolver}($text)", {"text": params[p.name]}).rows()[0][0]
    got = lite.execute(transpile.carry(query, "sqlite").sql, {k: _lite_value(v) for k, v in params.items()}).fetchall()
    assert len(got) == len(expected) and expected
    for row_got, row_expected in zip(got, expected):
        assert all(close(a, b) for a, b in zip(row_got, row_expected, strict=True)), (row_got, row_expected)


def test_sqlite_carries_the_project_overviews_and_nothing_else():
    # capacity_by_country and capacity_pipeline list their sources in order (string_agg ... ORDER BY)
    # and write their numbers with number_text (regexp_replace), which SQLite 3.40 lacks
    assert SQLITE == ["stalled_projects", "supply_relationships"]


class TestCommand:
    def test_one_query(self, capsys):
        assert main(["transpile", "stalled_projects", "--dialect", "sqlite"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("-- stalled_projects: Projects with no news\n-- Which plant projects that were "
                              "considered, announced, planned or being built have had no news for years, and may "
                              "have stalled?\n-- param as_of DATE = current_date\n-- param years INTEGER = 3\n"
                              "SELECT\n  f.name AS facility,\n")
        assert "CAST(STRFTIME('%Y', :as_of) AS INTEGER) - CAST(STRFTIME('%Y', ls.status_on) AS INTEGER)" in out

    def test_a_query_that_does_not_carry_prints_why_and_fails(self, capsys):
        assert main(["transpile", "search_organisations", "--dialect", "spark"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == ("batterydb: search_organisations cannot be carried to spark: "
                                "jaro_winkler_similarity has no counterpart on a 0 to 1 scale\n")

    def test_all_prints_the_ddl_then_what_carries_and_counts(self, capsys):
        assert main(["transpile", "--all", "--dialect", "snowflake"]) == 0
        captured = capsys.readouterr()
        assert captured.out.startswith("-- batterydb tables, in snowflake (written by sqlglot from schema/)\n"
                                       "\nCREATE TABLE countries (")
        assert captured.err.endswith("batterydb: 21 of 23 queries carried to snowflake\n")

    @pytest.mark.parametrize(("argv", "message"), [
        (["transpile", "--dialect", "spark"], "batterydb: transpile: give either a query NAME or --all\n"),
        (["transpile", "owners_of"], "batterydb: transpile: say which dialect to write with --dialect "
                                     "(postgres, spark, trino, bigquery, snowflake, sqlite)\n"),
        (["transpile", "owner_of", "--dialect", "trino"],
         "batterydb: no query named 'owner_of'; did you mean owners_of?\n"),
    ])
    def test_mistakes(self, capsys, argv, message):
        assert main(argv) == 2
        assert capsys.readouterr().err == message


def test_the_command_offers_every_dialect_described(capsys):
    with pytest.raises(SystemExit):
        main(["transpile", "owners_of", "--dialect", "oracle"])
    offered = ", ".join(f"'{name}'" for name in dialects.NAMES)
    assert capsys.readouterr().err.endswith(f"invalid choice: 'oracle' (choose from {offered})\n")
    assert dialects.NAMES == ("postgres", "spark", "trino", "bigquery", "snowflake", "sqlite")


@pytest.mark.parametrize("dialect", dialects.NAMES)
def test_every_dialect_names_only_rewrites_checks_and_constructs_that_exist(dialect):
    """dialects.py names them as text, so that the CLI need not import sqlglot; a misspelt one is caught here,
    not on the first query that would need it."""
    described = dialects.get(dialect)
    assert set(described.rewrites) <= set(transpile.REWRITES)
    assert set(described.checks) <= set(transpile.CHECKS)
    assert [cls for cls, _ in described.lacks if not isinstance(getattr(sqlglot.exp, cls, None), type)] == []
    assert described.prints_functions <= paths.engine_functions(dialect).is_file()


def test_an_unknown_dialect_is_a_batterydb_error_that_lists_them():
    with pytest.raises(batterydb.BatterydbError, match="^unknown dialect 'oracle'; expected one of postgres, spark, "
                                                        "trino, bigquery, snowflake, sqlite$"):
        dialects.get("oracle")
