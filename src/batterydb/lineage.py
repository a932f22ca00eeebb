"""Which tables and columns a named query reads, worked out by sqlglot from its SQL rather than listed by hand.

A query's text is not the whole story: it calls batterydb's macros
(``schema/04_macros.sql``), and a table macro such as ``org_candidates``
reads tables of its own. So the macros are written out in place first, as
``transpile`` does for other engines, then sqlglot qualifies every column
against the database's tables and follows each result column back through
the CTEs and subqueries to the table columns it is made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import lineage as column_lineage
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import build_scope, traverse_scope
from sqlglot.schema import MappingSchema

from .catalogue import NamedQuery
from .errors import SchemaError, first_line
from .transpile import Macro, expand_macros, macros

#: A table's columns and their types, as sqlglot's schema takes them: {table: {column: type}}.
Schema = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Lineage:
    """What one query reads: every table column it touches, and which of them each result column is made from.

    ``reads`` counts a column wherever the query uses it (a join, a filter,
    a result); ``columns`` maps each result column to the table columns its
    values come from (none for a constant or a count). ``problem`` says why
    sqlglot could not work it out, when it could not.
    """

    query: str
    reads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    columns: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    problem: str | None = None


def schema_of(connection) -> Schema:
    """The tables of the database's ``main`` schema with their columns, for ``of``."""
    found: Schema = {}
    for table, column, data_type in connection.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index"
    ).fetchall():
        found.setdefault(table, {})[column] = data_type
    return found


def of(query: NamedQuery, schema: Schema, known: dict[str, Macro] | None = None) -> Lineage:
    """The lineage of ``query`` over the tables in ``schema`` (``known``: the macros, read once by the caller)."""
    try:
        tree = expand_macros(sqlglot.parse_one(query.sql, read="duckdb"), macros() if known is None else known)
        mapping = MappingSchema(schema, dialect="duckdb")
        tree = qualify(tree, schema=mapping, dialect="duckdb", validate_qualify_columns=False,
                       quote_identifiers=False, identify=False)
        scope = build_scope(tree)
        reads = _reads(tree, schema)
        # trim_selects would copy each step's SELECT down to the one column, for a tidier graph: four
        # times the work for the same leaves.
        columns = {name: _sources(column_lineage(name, tree, schema=mapping, dialect="duckdb", scope=scope,
                                                 copy=False, trim_selects=False), schema)
                   for name, _ in query.columns or ()}
    except (SqlglotError, SchemaError, ValueError, KeyError) as exc:  # sqlglot raises ValueError for some input too
        return Lineage(query.name, problem=f"sqlglot could not follow it: {first_line(exc)}")
    return Lineage(query.name, reads, columns)


def _reads(tree: exp.Expression, schema: Schema) -> dict[str, tuple[str, ...]]:
    """Every table read in any scope, with the columns read of it there (a table counted with none is still read)."""
    found: dict[str, set[str]] = {}
    for scope in traverse_scope(tree):
        tables = {alias: source.name for alias, source in scope.sources.items()
                  if isinstance(source, exp.Table) and source.name in schema}
        for name in tables.values():
            found.setdefault(name, set())
        for column in scope.columns:
            if column.table in tables:
                found[tables[column.table]].add(column.name)
    return {table: tuple(sorted(columns)) for table, columns in sorted(found.items())}


def _sources(node, schema: Schema) -> tuple[tuple[str, str], ...]:
    """The table columns at the leaves of one result column's lineage."""
    leaves = {(n.source.name, n.name.rsplit(".", 1)[-1]) for n in node.walk()
              if not n.downstream and isinstance(n.source, exp.Table) and n.source.name in schema}
    return tuple(sorted(leaves))
