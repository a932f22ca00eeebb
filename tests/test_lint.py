"""Static checks of query files: each with a deliberately broken fixture."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from batterydb import catalogue
from batterydb.lint import QueryText, _select_lists, lint

from conftest import VENV_BIN

HEAD = "-- title: T\n-- question: Q?\n"
NO_COLUMNS = "1: header declares no columns; add '-- column NAME TYPE: description' for each column of the result"


@pytest.mark.parametrize("text, expected", [
    (HEAD + "SELECT name FROM organisations WHERE (;\n",
     "3: does not parse as DuckDB SQL: Required keyword: 'this' missing for "
     "<class 'sqlglot.expressions.core.Paren'>"),
    (HEAD + "DELETE FROM organisations;\n",
     "1: a named query must be exactly one SELECT statement (WITH ... SELECT and UNION allowed)"),
    (HEAD + "SELECT 1; SELECT 2;\n",
     "1: a named query must be exactly one SELECT statement (WITH ... SELECT and UNION allowed)"),
    (HEAD + "SELECT 1\nFROM nowhere;\n", "4: unknown table nowhere"),
    (HEAD + "-- param year INTEGER = 2020: Year.\nSELECT c.capacity_id FROM capacities AS c\nWHERE c.year = $year\n"
     "  AND c.org_id IN (SELECT n.org_id FROM nowhere AS n);\n", "6: unknown table nowhere"),
    (HEAD + "SELECT\n    o.name,\n    o.nosuch\nFROM organisations AS o;\n",
     "5: refers to a column the schema does not have: Unknown column: nosuch"),
    (HEAD + "-- param year INTEGER = 2020: Year.\nSELECT o.name FROM organisations AS o\nWHERE o.org_id = $org;\n",
     ["3: parameter $year is declared but never used", "5: parameter $org is used but not declared in the header"]),
    (HEAD + "SELECT o.name FROM organisations AS o WHERE o.org_id = ?;\n", "3: use named parameters ($name), not ?"),
    (HEAD + "-- param year INTEGER = 2020: Year.\nSELECT c.capacity_id FROM capacities AS c\nWHERE year = $year;\n",
     "5: column year shares its name with parameter $year; qualify it (e.g. t.year) so that the "
     "analytics.broken macro reads it as the column"),
    (HEAD + "-- column name INTEGER\nSELECT o.name FROM organisations AS o;\n",
     ["1: declared result columns (name INTEGER) differ from what the query returns (name VARCHAR)",
      "3: column name has no description; write it as '-- column name INTEGER: what it holds'"]),
    (HEAD + "SELECT\n    no_such_function(o.name)\nFROM organisations AS o;\n",
     "4: DuckDB cannot bind the query: Catalog Error: Scalar Function with name no_such_function does not exist!"),
    ("-- title: T\nSELECT 1;\n", "1: header lacks a question; start the file with '-- title: ...' and "
                                 "'-- question: ...'"),
], ids=["parse", "delete", "two-statements", "table", "table-after-a-parameter", "column", "parameters", "positional",
        "shadowed-column", "declared-columns", "function", "metadata"])
def test_broken_query(tmp_path, text, expected):
    (tmp_path / "broken.sql").write_text(text)
    expected = expected if isinstance(expected, list) else [expected]
    if "-- column" not in text:
        expected = [NO_COLUMNS] + expected
    assert [f"{p.where}: {p.message}" for p in lint(tmp_path)] == [f"{tmp_path / 'broken.sql'}:{e}" for e in expected]


# The layout: each rule with a query that breaks it (the problem reported, at its line) and the same query
# written as the rule wants (no problem). The SQL starts on line 5, below a header declaring (id, label).
LAYOUT_HEAD = HEAD + "-- column id VARCHAR: Its id.\n-- column label VARCHAR: Its label.\n"
TWO_COLUMNS = "SELECT\n    o.org_id AS id,\n    o.name AS label\nFROM organisations AS o"


def _assert_layout(tmp_path, bad, good, line, message):
    (tmp_path / "bad.sql").write_text(LAYOUT_HEAD + bad + ";\n")
    (tmp_path / "good.sql").write_text(LAYOUT_HEAD + good + ";\n")
    assert [f"{p.where}: {p.message}" for p in lint(tmp_path)] == [f"{tmp_path / 'bad.sql'}:{line}: {message}"]


@pytest.mark.parametrize("bad, line, good", [
    ("SELECT\n    o.org_id::VARCHAR AS id,\n    o.name AS label\nFROM organisations AS o", 6,
     "SELECT\n    CAST(o.org_id AS VARCHAR) AS id,\n    o.name AS label\nFROM organisations AS o"),
    (TWO_COLUMNS + "\nWHERE o.org_id <> 42::VARCHAR", 9, TWO_COLUMNS + "\nWHERE o.org_id <> CAST(42 AS VARCHAR)"),
], ids=["select-list", "where"])
def test_casts_are_written_with_cast(tmp_path, bad, line, good):
    _assert_layout(tmp_path, bad, good, line, "write casts as CAST(x AS type), not x::type")


@pytest.mark.parametrize("bad, line, good", [
    ("SELECT o.org_id AS id,\n    o.name AS label\nFROM organisations AS o", 5, TWO_COLUMNS),
    ("SELECT\n    o.org_id AS id, o.name AS label\nFROM organisations AS o", 6, TWO_COLUMNS),
    ("SELECT DISTINCT o.org_id AS id,\n    o.name AS label\nFROM organisations AS o", 5,
     "SELECT DISTINCT\n    o.org_id AS id,\n    o.name AS label\nFROM organisations AS o"),
    ("SELECT\n    coalesce(\n        o.org_id, o.name\n    ) AS id, o.name AS label\nFROM organisations AS o", 8,
     "SELECT\n    coalesce(\n        o.org_id, o.name\n    ) AS id,\n    o.name AS label\nFROM organisations AS o"),
    ("WITH named AS (\n    SELECT\n        o.org_id,\n        o.name\n    FROM organisations AS o\n    UNION\n"
     "    SELECT a.org_id, a.alias FROM organisation_aliases AS a\n)\n\n"
     "SELECT\n    n.org_id AS id,\n    n.name AS label\nFROM named AS n", 11,
     "WITH named AS (\n    SELECT\n        o.org_id,\n        o.name\n    FROM organisations AS o\n    UNION\n"
     "    SELECT\n        a.org_id,\n        a.alias\n    FROM organisation_aliases AS a\n)\n\n"
     "SELECT\n    n.org_id AS id,\n    n.name AS label\nFROM named AS n"),
    ("SELECT\n    a.org_id AS id,\n    a.alias AS label\n"
     "FROM (SELECT x.org_id, x.alias FROM organisation_aliases AS x) AS a", 8,
     "SELECT\n    a.org_id AS id,\n    a.alias AS label\nFROM (\n    SELECT\n        x.org_id,\n        x.alias\n"
     "    FROM organisation_aliases AS x\n) AS a"),
    # a FROM inside an item is not the FROM clause
    ("SELECT\n    CASE WHEN o.city IS DISTINCT FROM o.region THEN o.org_id END AS id, o.name AS label\n"
     "FROM organisations AS o", 6,
     "SELECT\n    CASE WHEN o.city IS DISTINCT FROM o.region THEN o.org_id END AS id,\n    o.name AS label\n"
     "FROM organisations AS o"),
    ("SELECT\n    CAST(extract(year FROM current_date) AS VARCHAR) AS id, o.name AS label\nFROM organisations AS o", 6,
     "SELECT\n    CAST(extract(year FROM current_date) AS VARCHAR) AS id,\n    o.name AS label\n"
     "FROM organisations AS o"),
], ids=["on-the-select-line", "two-on-a-line", "after-distinct", "after-a-long-item", "in-a-union-of-a-cte",
        "in-a-subquery", "after-is-distinct-from", "after-extract-from"])
def test_one_column_a_line(tmp_path, bad, line, good):
    _assert_layout(tmp_path, bad, good, line, "put each column of a SELECT on a line of its own, below SELECT")


@pytest.mark.parametrize("bad, line, column, good", [
    ("SELECT\n    org_id AS id,\n    o.name AS label\nFROM organisations AS o", 6, "org_id", TWO_COLUMNS),
    (TWO_COLUMNS + "\nWHERE country_code = 'CN'", 9, "country_code", TWO_COLUMNS + "\nWHERE o.country_code = 'CN'"),
    # the name of an output column, but not an alias the SELECT gives it: the table's column is meant
    (TWO_COLUMNS + "\nORDER BY o.name, org_id", 9, "org_id", TWO_COLUMNS + "\nORDER BY o.name, o.org_id"),
    # inside a window or an aggregate of the select list, a name is never the select list's
    ("SELECT\n    o.org_id AS id,\n    string_agg(o.name, ', ' ORDER BY name) OVER () AS label\n"
     "FROM organisations AS o", 7, "name",
     "SELECT\n    o.org_id AS id,\n    string_agg(o.name, ', ' ORDER BY o.name) OVER () AS label\n"
     "FROM organisations AS o"),
    (TWO_COLUMNS + "\nWHERE EXISTS (SELECT 1 FROM organisation_aliases AS a WHERE a.org_id = org_id)", 9, "org_id",
     TWO_COLUMNS + "\nWHERE EXISTS (SELECT 1 FROM organisation_aliases AS a WHERE a.org_id = o.org_id)"),
], ids=["select-list", "where", "order-by-a-table-column", "window-order-by", "subquery"])
def test_columns_are_qualified(tmp_path, bad, line, column, good):
    _assert_layout(tmp_path, bad, good, line, f"column {column} is not qualified with its table's alias")


# Names that need no table: an output alias where DuckDB reads one (ORDER BY, GROUP BY, HAVING, QUALIFY), a
# UNION's output columns in its ORDER BY, and what is no column at all. Each query is as the layout wants.
@pytest.mark.parametrize("sql", [
    "SELECT\n    o.org_id AS id,\n    upper(o.name) AS label\nFROM organisations AS o\nORDER BY label",
    "SELECT\n    max(o.org_id) AS id,\n    upper(o.name) AS label\nFROM organisations AS o\nGROUP BY label\n"
    "HAVING label <> ''",
    "SELECT\n    o.org_id AS id,\n    upper(o.name) AS label\nFROM organisations AS o\n"
    "QUALIFY row_number() OVER (PARTITION BY label ORDER BY o.org_id) = 1",
    "SELECT\n    o.org_id AS id,\n    o.name AS label\nFROM organisations AS o\nUNION\n"
    "SELECT\n    a.org_id,\n    a.alias\nFROM organisation_aliases AS a\nORDER BY label, id",
    "SELECT\n    o.org_id AS id,\n    list_transform([o.name], lambda x: upper(x))[1] AS label\n"
    "FROM organisations AS o",
    "SELECT\n    o.org_id AS id,\n    {'name': o.name}.name AS label\nFROM organisations AS o",
    "-- param org VARCHAR = NULL: Only this one.\n" + TWO_COLUMNS + "\nWHERE $org IS NULL OR o.org_id = $org",
    "SELECT\n    o.org_id AS id,\n    a.alias AS label\nFROM organisations AS o\n"
    "JOIN organisation_aliases AS a USING (org_id)",
    "SELECT\n    organisations.org_id AS id,\n    organisations.name AS label\nFROM organisations",
], ids=["order-by-alias", "group-by-and-having-alias", "qualify-alias", "union-order-by", "lambda", "struct-field",
        "parameter", "using", "table-name"])
def test_names_that_no_table_has_need_none(tmp_path, sql):
    (tmp_path / "good.sql").write_text(LAYOUT_HEAD + sql + ";\n")
    assert lint(tmp_path) == []


# What one column a line leaves alone: a SELECT of one column, DISTINCT ON's list, an item's own line breaks.
@pytest.mark.parametrize("sql", [
    "SELECT\n    o.org_id AS id,\n"
    "    (SELECT max(a.alias) FROM organisation_aliases AS a WHERE a.org_id = o.org_id) AS label\n"
    "FROM organisations AS o",
    "SELECT DISTINCT ON (o.country_code, o.kind)\n    o.org_id AS id,\n    concat_ws(', ', o.name, o.city) AS label\n"
    "FROM organisations AS o",
    "SELECT\n    o.org_id AS id,\n    concat_ws(\n        ', ', o.name, o.city\n    ) AS label\n"
    "FROM organisations AS o",
], ids=["one-column-on-the-select-line", "distinct-on", "an-item-of-several-lines"])
def test_one_column_a_line_counts_only_the_select_list(tmp_path, sql):
    (tmp_path / "good.sql").write_text(LAYOUT_HEAD + sql + ";\n")
    assert lint(tmp_path) == []


NAMED = "WITH named AS (\n" + TWO_COLUMNS.replace("\n", "\n    ").replace("SELECT", "    SELECT", 1) + "\n)"
FINAL = "SELECT\n    n.id,\n    n.label\nFROM named AS n"


@pytest.mark.parametrize("bad, line, good", [
    (NAMED + "\n" + FINAL, 11, NAMED + "\n\n" + FINAL),
    (NAMED + "\n-- the organisations\n" + FINAL, 12, NAMED + "\n\n-- the organisations\n" + FINAL),
    (NAMED + "\n-- the organisations,\n-- by id\n" + FINAL, 13,
     NAMED + "\n\n-- the organisations,\n-- by id\n" + FINAL),
    (NAMED + ",\n\nfew AS (SELECT * FROM named AS n LIMIT 2) " + FINAL.replace("named AS n", "few AS n"), 12,
     NAMED + ",\n\nfew AS (SELECT * FROM named AS n LIMIT 2)\n\n" + FINAL.replace("named AS n", "few AS n")),
], ids=["none", "a-comment-without-one", "comments-without-one", "on-the-line-of-the-last-cte"])
def test_a_blank_line_before_the_final_select(tmp_path, bad, line, good):
    _assert_layout(tmp_path, bad, good, line, "leave a blank line before the final SELECT")


def test_the_select_lists_read_from_the_tokens_are_those_sqlglot_parses():
    """The one-column-a-line check reads each select list from the tokens, as the tree keeps no positions:
    in every shipped query it finds as many as sqlglot's parser, each with as many items."""
    for query in catalogue.load().values():
        tree = sqlglot.parse_one(query.sql, read="duckdb")
        assert sorted(len(s.items) for s in _select_lists(QueryText.of(query).tokens)) == \
            sorted(len(s.expressions) for s in tree.find_all(exp.Select)), query.name


def test_shipped_queries_are_clean():
    """Every check, the layout's too, passes on every shipped query."""
    assert lint() == []


def test_lint_command_exit_status(tmp_path):
    (tmp_path / "broken.sql").write_text(HEAD + "SELECT 1\nFROM nowhere;\n")
    bin_ = str(VENV_BIN / "batterydb")
    bad = subprocess.run([bin_, "lint", "--queries", "."], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ}, timeout=60)
    assert (bad.returncode, bad.stderr) == (2, f"broken.sql:{NO_COLUMNS}\nbroken.sql:4: unknown table nowhere\n")
    good = subprocess.run([bin_, "lint"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (good.returncode, good.stderr) == (0, "")
