"""Checking and converting the parameters of a named query before it runs.

Values are converted by DuckDB itself (``TRY_CAST`` with the value bound as
a parameter), so that "2020" from a command line and 2020 from Python mean
the same, and a value that does not fit its declared type is refused with the
parameter's name before the query runs. Values are never written into SQL.
"""

from __future__ import annotations

import difflib
from typing import Any

import duckdb

from .catalogue import NamedQuery, Param
from .errors import QueryError


def bind(con: duckdb.DuckDBPyConnection, query: NamedQuery, values: dict[str, Any]) -> dict[str, Any]:
    """The values to bind for every parameter the query uses: given, else its default."""
    declared = {p.name for p in query.params}
    for name in values:
        if name not in declared:
            close = difflib.get_close_matches(name, declared, n=1)
            known = ", ".join(sorted(declared)) or "none"
            hint = f"; did you mean {close[0]}?" if close else f"; it takes: {known}"
            raise QueryError(f"query {query.name} has no parameter {name!r}{hint}")
    missing = [p for p in query.required if values.get(p.name) is None]
    if missing:
        raise QueryError(f"query {query.name} needs " + ", ".join(f"{p.name} ({p.type}: {p.description})"
                                                                 for p in missing))
    bound = {}
    for p in query.params:
        if p.name in values and values[p.name] is not None:
            bound[p.name] = convert(con, query, p, values[p.name])
        else:
            bound[p.name] = default(con, p)
    return bound


def default(con: duckdb.DuckDBPyConnection, p: Param) -> Any:
    """The parameter's default, cast to its type (the literal comes from the query file, not a user)."""
    if p.default is None or p.default.upper() == "NULL":
        return None
    return con.execute(f"SELECT CAST({p.default} AS {p.type})").fetchone()[0]


def convert(con: duckdb.DuckDBPyConnection, query: NamedQuery, p: Param, value: Any) -> Any:
    """``value`` converted to the parameter's type, or a ``QueryError`` naming the parameter."""
    if p.is_list and isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    elif p.is_list and not isinstance(value, (list, tuple)):
        value = [value]
    elif not p.is_list and isinstance(value, (list, tuple)):
        raise QueryError(f"parameter {p.name} of query {query.name} takes one {p.type}, not a list")
    try:
        (converted,) = con.execute(f"SELECT TRY_CAST($v AS {p.type})", {"v": value}).fetchone()
    except duckdb.Error:
        converted = None
    if converted is None or (p.is_list and None in converted and None not in value):
        raise QueryError(f"parameter {p.name} of query {query.name} expects {_describe(p.type)}; got {value!r}")
    return converted


def _describe(type_name: str) -> str:
    base = type_name.removesuffix("[]")
    words = {
        "INTEGER": "a whole number", "BIGINT": "a whole number", "DOUBLE": "a number",
        "DATE": "a date (YYYY-MM-DD)", "BOOLEAN": "true or false", "VARCHAR": "text",
    }
    word = words.get(base, base)
    return f"a list of {word} values (comma-separated on the command line)" if type_name.endswith("[]") \
        else f"{word} ({type_name})"
