"""Static checks of query files: each with a deliberately broken fixture."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from batterydb.lint import lint

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
    (HEAD + "SELECT name,\n  nosuch FROM organisations;\n",
     "4: refers to a column the schema does not have: Column 'nosuch' could not be resolved"),
    (HEAD + "-- param year INTEGER = 2020: Year.\nSELECT name FROM organisations\nWHERE org_id = $org;\n",
     ["3: parameter $year is declared but never used", "5: parameter $org is used but not declared in the header"]),
    (HEAD + "SELECT name FROM organisations WHERE org_id = ?;\n", "3: use named parameters ($name), not ?"),
    (HEAD + "-- param year INTEGER = 2020: Year.\nSELECT c.capacity_id FROM capacities AS c\nWHERE year = $year;\n",
     "5: column year shares its name with parameter $year; qualify it (e.g. t.year) so that the "
     "analytics.broken macro reads it as the column"),
    (HEAD + "-- column name INTEGER\nSELECT name FROM organisations;\n",
     ["1: declared result columns (name INTEGER) differ from what the query returns (name VARCHAR)",
      "3: column name has no description; write it as '-- column name INTEGER: what it holds'"]),
    (HEAD + "SELECT\n  no_such_function(name) FROM organisations;\n",
     "4: DuckDB cannot bind the query: Catalog Error: Scalar Function with name no_such_function does not exist!"),
    ("-- title: T\nSELECT 1;\n", "1: header lacks a question; start the file with '-- title: ...' and "
                                 "'-- question: ...'"),
], ids=["parse", "delete", "two-statements", "table", "column", "parameters", "positional", "shadowed-column",
        "declared-columns", "function", "metadata"])
def test_broken_query(tmp_path, text, expected):
    (tmp_path / "broken.sql").write_text(text)
    expected = expected if isinstance(expected, list) else [expected]
    if "-- column" not in text:
        expected = [NO_COLUMNS] + expected
    assert [f"{p.where}: {p.message}" for p in lint(tmp_path)] == [f"{tmp_path / 'broken.sql'}:{e}" for e in expected]


def test_shipped_queries_are_clean():
    assert lint() == []


def test_lint_command_exit_status(tmp_path):
    (tmp_path / "broken.sql").write_text(HEAD + "SELECT 1\nFROM nowhere;\n")
    bin_ = str(VENV_BIN / "batterydb")
    bad = subprocess.run([bin_, "lint", "--queries", "."], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ}, timeout=60)
    assert (bad.returncode, bad.stderr) == (2, f"broken.sql:{NO_COLUMNS}\nbroken.sql:4: unknown table nowhere\n")
    good = subprocess.run([bin_, "lint"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (good.returncode, good.stderr) == (0, "")
