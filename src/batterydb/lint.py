"""Static checks of the named queries, so that a broken query is never found first by a user.

Each query is parsed with sqlglot in DuckDB's dialect and qualified against
the schema built from ``schema/`` (every table and column it names must
exist), its ``$parameters`` are compared with the declared ones, and it is
bound (not run) by DuckDB against an empty copy of the schema, which catches
what only DuckDB knows (functions, macros, types) and gives the result
columns to compare with those the header declares.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, ParseError
from sqlglot.optimizer.qualify import qualify
from sqlglot.tokens import TokenType

from . import catalogue, paths, schema
from .catalogue import NamedQuery
from .params import default
from .errors import Problem, first_line


def _problem(file: str, line: int, message: str) -> Problem:
    return Problem(file, line, None, message, rule="lint")


def schema_mapping(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Tables and their column types, as sqlglot's optimizer wants them."""
    mapping: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index"
    ).fetchall():
        mapping.setdefault(table, {})[column] = data_type
    return mapping


def lint(queries_dir: Path | str | None = None, schema_dir: Path | str | None = None) -> list[Problem]:
    """Every problem in every query of the folder, in file and line order."""
    queries = catalogue.load(queries_dir)
    with duckdb.connect() as con:
        schema.apply(con, paths.schema_dir(schema_dir))
        mapping = schema_mapping(con)
        problems = []
        for query in queries.values():
            problems += lint_query(con, query, mapping)
    return sorted(problems, key=lambda p: (p.file, p.line))


def lint_query(con: duckdb.DuckDBPyConnection, query: NamedQuery,
               mapping: dict[str, dict[str, str]]) -> list[Problem]:
    file = str(query.path)
    problems = [_problem(file, line, message) for line, message in query.problems]
    try:
        statements = [s for s in sqlglot.parse(query.sql, read="duckdb") if s is not None]
    except ParseError as exc:
        error = exc.errors[0] if exc.errors else {}
        return problems + [_problem(file, error.get("line") or 1,
                                       f"does not parse as DuckDB SQL: {error.get('description', exc)}")]
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        return problems + [_problem(file, 1, "a named query must be exactly one SELECT statement "
                                                "(WITH ... SELECT and UNION allowed)")]
    tree = statements[0]
    problems += _check_parameters(file, query, tree)
    problems += _check_names(file, tree, mapping)
    if len(problems) == len(query.problems):  # the SQL itself is sound: bind it, whatever the header lacks
        problems += _check_binding(con, file, query)
    return problems


def _line(node: exp.Expression) -> int:
    for candidate in (node, node.this if isinstance(node.this, exp.Expression) else None):
        if candidate is not None and candidate.meta.get("line"):
            return candidate.meta["line"]
    return 1


def _check_parameters(file: str, query: NamedQuery, tree: exp.Expression) -> list[Problem]:
    problems = []
    used: dict[str, int] = {}
    tokens = sqlglot.tokenize(query.sql, read="duckdb")
    for i, token in enumerate(tokens):
        line = query.sql.count("\n", 0, token.start) + 1  # sqlglot's own line count drifts after a $
        if token.token_type == TokenType.PLACEHOLDER:
            problems.append(_problem(file, line, "use named parameters ($name), not ?"))
        elif token.token_type == TokenType.PARAMETER and i + 1 < len(tokens):
            name = tokens[i + 1].text
            if name.isdigit():
                problems.append(_problem(file, line, f"use named parameters ($name), not ${name}"))
            else:
                used.setdefault(name, line)
    declared = {p.name: p for p in query.params}
    for name, line in sorted(used.items(), key=lambda kv: kv[1]):
        if name not in declared:
            problems.append(_problem(file, line, f"parameter ${name} is used but not declared in the header"))
    for name, p in declared.items():
        if name not in used:
            problems.append(_problem(file, p.line, f"parameter ${name} is declared but never used"))
    for column in tree.find_all(exp.Column):
        if not column.table and column.name in declared:
            problems.append(_problem(
                file, _line(column),
                f"column {column.name} shares its name with parameter ${column.name}; qualify it "
                f"(e.g. t.{column.name}) so that the analytics.{query.name} macro reads it as the column"))
    return problems


def _check_names(file: str, tree: exp.Expression, mapping: dict[str, dict[str, str]]) -> list[Problem]:
    """Tables and columns that the schema does not have, found by qualifying the query."""
    problems = []
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        plain = isinstance(table.this, exp.Identifier) and table.db in ("", "main")
        if plain and table.name not in mapping and table.name not in ctes:
            problems.append(_problem(file, _line(table), f"unknown table {table.name}"))
    if problems:
        return problems
    try:
        qualify(tree.copy(), schema=mapping, dialect="duckdb", validate_qualify_columns=True,
                quote_identifiers=False)
    except OptimizeError as exc:
        message = str(exc).split(". Line:")[0]
        line = 1
        for column in tree.find_all(exp.Column):
            if f"'{column.name}'" in message or f" {column.name}" in message:
                line = _line(column)
                break
        problems.append(_problem(file, line, f"refers to a column the schema does not have: {message}"))
    return problems


def _check_binding(con: duckdb.DuckDBPyConnection, file: str, query: NamedQuery) -> list[Problem]:
    """Bind the query in DuckDB against the empty schema; compare declared result columns."""
    params = {p.name: (default(con, p) if not p.required else None) for p in query.params}
    body = query.sql.strip().rstrip(";")
    try:
        rel = con.sql(f"SELECT * FROM ({body}\n) LIMIT 0", params=params or None)
        actual = list(zip(rel.columns, (str(t) for t in rel.types)))
    except duckdb.Error as exc:
        message = first_line(exc)
        match = re.search(r'name "?(\w+)"? does not exist|"(\w+)"', message)
        word = next((g for g in match.groups() if g), None) if match else None
        return [_problem(file, _line_of(query.sql, word), "DuckDB cannot bind the query: " + message)]
    if query.columns is not None and list(query.columns) != actual:
        declared = ", ".join(f"{n} {t}" for n, t in query.columns)
        shown = ", ".join(f"{n} {t}" for n, t in actual)
        return [_problem(file, 1, f"declared result columns ({declared}) differ from what the query "
                                        f"returns ({shown})")]
    return []


def _line_of(text: str, word: str | None) -> int:
    """Line of the first use of ``word`` outside the comment header, else 1."""
    if word:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.startswith("--") and re.search(rf"\b{re.escape(word)}\b", line):
                return number
    return 1
