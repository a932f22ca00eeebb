"""The named queries inside the database, for SQL consoles and BI tools.

Every query becomes a table macro ``analytics.<name>(...)`` with the same
parameters, types and defaults, and a query whose parameters all have
defaults also becomes a view ``analytics.<name>``. So that
``SELECT * FROM analytics.owners_of('CATL')`` in any console gives what
``db.run("owners_of", org="CATL")`` gives, the macro body is the query file's
own SQL with each ``$param`` token replaced by the macro parameter's name
(``lint`` makes sure no unqualified column shares a parameter's name). A
parameter of one of the ``catalogue.RESOLVED`` types becomes a call of its
resolving macro, so ``analytics.owners_of('catl')`` finds CATL and
``analytics.owners_of('Beijing Era')`` fails with the message Python gives.
"""

from __future__ import annotations

import json

import duckdb

from .catalogue import NamedQuery
from .errors import QueryError, first_line
from .sqltext import literal, q

SCHEMA = "analytics"


def macro_body(con: duckdb.DuckDBPyConnection, query: NamedQuery) -> str:
    """The query's SQL made to work as a macro in the ``analytics`` schema.

    Each ``$name`` becomes ``name`` (``resolve_org(name)`` for an
    organisation parameter), and each table of the schema is
    qualified with ``main.``, since inside ``analytics`` a bare ``targets``
    would name the view ``analytics.targets`` rather than the table. Both are
    edits at the positions DuckDB's own parser reports
    (``json_serialize_sql``), so the rest of the text is kept as written and
    a build does not pay for importing sqlglot.
    """
    parsed = json.loads(con.execute("SELECT json_serialize_sql($sql)", {"sql": query.sql}).fetchone()[0])
    if parsed.get("error"):
        raise QueryError(f"{query.path}: DuckDB cannot parse this query: {parsed.get('error_message')} "
                         "(run batterydb lint)")
    resolvers = {p.name: p.resolver for p in query.params if p.resolver}
    ctes = {name for node in _nodes(parsed) for name in _cte_names(node)}
    text = query.sql.encode("utf-8")  # DuckDB's positions count bytes
    edits: list[tuple[int, int, bytes]] = []
    for node in _nodes(parsed):
        if node.get("class") == "PARAMETER":
            name = node["identifier"]
            start, end = node["query_location"], node["query_location"] + node["query_location_length"]
            resolver = resolvers.get(name)
            edits.append((start, end, (f"main.{resolver}({name})" if resolver else name).encode()))
        elif (node.get("type") == "BASE_TABLE" and not node["schema_name"] and not node["catalog_name"]
              and node["table_name"] not in ctes):
            edits.append((node["query_location"], node["query_location"], b"main."))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text.decode("utf-8").strip().rstrip(";").rstrip()


def _nodes(tree: object):
    """Every object in DuckDB's serialized syntax tree, depth first."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _cte_names(node: dict) -> list[str]:
    cte_map = node.get("cte_map")
    return [entry["key"] for entry in cte_map["map"]] if isinstance(cte_map, dict) else []


def macro_comment(query: NamedQuery) -> str:
    """The title and question, then what each column holds: a macro's columns cannot carry comments of their own."""
    columns = "; ".join(f"{name}: {text}" for name, text in query.descriptions.items())
    return f"{query.title}: {query.question}" + (f" Columns: {columns}" if columns else "")


def result_columns(con: duckdb.DuckDBPyConnection, query: NamedQuery) -> list[tuple[str, str]]:
    """The name and DuckDB type of each column the installed macro returns, asked with NULL for each required
    parameter: what another engine's function of the query declares it returns."""
    nulls = ", ".join("NULL" for _ in query.required)
    return [(name, kind) for name, kind, *_ in
            con.execute(f"DESCRIBE SELECT * FROM {SCHEMA}.{q(query.name)}({nulls})").fetchall()]


def install(con: duckdb.DuckDBPyConnection, queries: dict[str, NamedQuery]) -> None:
    """Create the ``analytics`` schema with one macro (and, where possible, one view) per query."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for query in queries.values():
        ordered = query.signature_params
        params = ", ".join(
            f"{p.name} {p.sql_type}" if p.required
            else f"{p.name} {p.sql_type} := CAST({p.default} AS {p.sql_type})"
            for p in ordered
        )
        comment = literal(f"{query.title}: {query.question}")
        script = [f"CREATE MACRO {SCHEMA}.{query.name}({params}) AS TABLE\n{macro_body(con, query)}\n;",
                  f"COMMENT ON MACRO TABLE {SCHEMA}.{query.name} IS {literal(macro_comment(query))};"]
        if not query.required:
            script += [f"CREATE VIEW {SCHEMA}.{query.name} AS SELECT * FROM {SCHEMA}.{query.name}();",
                       f"COMMENT ON VIEW {SCHEMA}.{query.name} IS {comment};"]
            script += [f"COMMENT ON COLUMN {SCHEMA}.{query.name}.{q(column)} IS {literal(text)};"
                       for column, text in query.descriptions.items()]
        try:
            con.execute("\n".join(script))  # one call per query: a small build's cost is in its calls
        except duckdb.Error as exc:
            raise QueryError(f"{query.path}: cannot be installed as {SCHEMA}.{query.name}: "
                             + first_line(exc) + " (run batterydb lint)") from None
