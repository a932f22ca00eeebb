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

import duckdb

from .catalogue import NamedQuery
from .errors import QueryError
from .sqltext import literal, q

SCHEMA = "analytics"


def macro_body(query: NamedQuery) -> str:
    """The query's SQL made to work as a macro in the ``analytics`` schema.

    Each ``$name`` becomes ``name`` (``resolve_org(name)`` for an
    organisation parameter), and each table of the schema is
    qualified with ``main.``, since inside ``analytics`` a bare ``targets``
    would name the view ``analytics.targets`` rather than the table. Both are
    edits at token positions; the rest of the text is kept as written.
    """
    import sqlglot  # here, not at the top: opening a built database should not pay for importing it
    from sqlglot import exp
    from sqlglot.tokens import TokenType

    text = query.sql
    resolvers = {p.name: p.resolver for p in query.params if p.resolver}
    edits: list[tuple[int, int, str]] = []
    tokens = sqlglot.tokenize(text, read="duckdb")
    for i, token in enumerate(tokens[:-1]):
        if token.token_type == TokenType.PARAMETER:
            name = tokens[i + 1]
            resolver = resolvers.get(name.text)
            edits.append((token.start, name.end + 1, f"main.{resolver}({name.text})" if resolver else name.text))
    tree = sqlglot.parse_one(text, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.Identifier) and not table.db and table.name not in ctes:
            start = table.this.meta["start"] - (1 if table.this.quoted else 0)
            edits.append((start, start, "main."))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text.strip().rstrip(";").rstrip()


def macro_comment(query: NamedQuery) -> str:
    """The title and question, then what each column holds: a macro's columns cannot carry comments of their own."""
    columns = "; ".join(f"{name}: {text}" for name, text in query.descriptions.items())
    return f"{query.title}: {query.question}" + (f" Columns: {columns}" if columns else "")


def install(con: duckdb.DuckDBPyConnection, queries: dict[str, NamedQuery]) -> None:
    """Create the ``analytics`` schema with one macro (and, where possible, one view) per query."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    for query in queries.values():
        ordered = query.required + [p for p in query.params if not p.required]
        params = ", ".join(
            f"{p.name} {p.sql_type}" if p.required
            else f"{p.name} {p.sql_type} := CAST({p.default} AS {p.sql_type})"
            for p in ordered
        )
        comment = literal(f"{query.title}: {query.question}")
        script = [f"CREATE MACRO {SCHEMA}.{query.name}({params}) AS TABLE\n{macro_body(query)}\n;",
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
                             + str(exc).splitlines()[0] + " (run batterydb lint)") from None
