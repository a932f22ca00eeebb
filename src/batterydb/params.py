"""Checking and converting the parameters of a named query before it runs.

Values are converted by DuckDB itself (``TRY_CAST`` with the value bound as
a parameter), so that "2020" from a command line and 2020 from Python mean
the same, and a value that does not fit its declared type is refused with the
parameter's name before the query runs. Values are never written into SQL.
"""

from __future__ import annotations

import datetime
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
    bound: dict[str, Any] = {}
    casts: list[tuple[Param, str]] = []  # converted by DuckDB, all in one round trip
    given: dict[str, Any] = {}
    for p in query.params:
        value = values.get(p.name)
        if value is None:
            if p.default is None or p.default.upper() == "NULL":
                bound[p.name] = None
            else:  # the literal comes from the query file, not from a user
                casts.append((p, f"CAST({p.default} AS {p.type})"))
        elif _already(p, value):
            bound[p.name] = value
        else:
            given[p.name] = _shaped(query, p, value)
            casts.append((p, f"TRY_CAST(${p.name} AS {p.type})"))
    if casts:
        try:
            row = con.execute("SELECT " + ", ".join(sql for _, sql in casts), given).fetchall()[0]
        except duckdb.Error:
            row = None
        for i, (p, _) in enumerate(casts):
            converted = row[i] if row is not None else None
            if p.name in given:
                _check(query, p, given[p.name], converted)
            bound[p.name] = converted
    return bound


# Python values that already are what DuckDB would bind for the declared type: no round trip needed.
_NATIVE = {"VARCHAR": (str,), "INTEGER": (int,), "BIGINT": (int,), "DOUBLE": (float, int), "BOOLEAN": (bool,),
           "DATE": (datetime.date,)}


def _already(p: Param, value: Any) -> bool:
    kinds = _NATIVE.get(p.type)
    if kinds is None or (isinstance(value, bool) and p.type != "BOOLEAN"):
        return False
    if p.type == "DATE":
        return type(value) is datetime.date
    if p.type == "INTEGER" and isinstance(value, int):
        return -2**31 <= value < 2**31
    return isinstance(value, kinds)


def _shaped(query: NamedQuery, p: Param, value: Any) -> Any:
    if p.is_list and isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if p.is_list and not isinstance(value, (list, tuple)):
        return [value]
    if not p.is_list and isinstance(value, (list, tuple)):
        raise QueryError(f"parameter {p.name} of query {query.name} takes one {p.type}, not a list")
    return value


def _check(query: NamedQuery, p: Param, value: Any, converted: Any) -> None:
    if converted is None or (p.is_list and None in converted and None not in value):
        raise QueryError(f"parameter {p.name} of query {query.name} expects {_describe(p.type)}; got {value!r}")


def default(con: duckdb.DuckDBPyConnection, p: Param) -> Any:
    """The parameter's default, cast to its type (the literal comes from the query file, not a user)."""
    if p.default is None or p.default.upper() == "NULL":
        return None
    return con.execute(f"SELECT CAST({p.default} AS {p.type})").fetchall()[0][0]


def _describe(type_name: str) -> str:
    base = type_name.removesuffix("[]")
    words = {
        "INTEGER": "a whole number", "BIGINT": "a whole number", "DOUBLE": "a number",
        "DATE": "a date (YYYY-MM-DD)", "BOOLEAN": "true or false", "VARCHAR": "text",
    }
    word = words.get(base, base)
    return f"a list of {word} values (comma-separated on the command line)" if type_name.endswith("[]") \
        else f"{word} ({type_name})"
