"""Checking and converting the parameters of a named query before it runs.

A parameter takes exactly what its declared type means, written as a person
writes it: ``2020`` or ``"2020"`` for an INTEGER, never ``3.7``, ``True``,
``"1e3"`` or ``"0x7e4"``, which a permissive cast would read as numbers by
accident; ``2024-03-11`` or a ``datetime.date`` for a DATE, never
``"epoch"`` or ``"infinity"``. A value outside the range the query file
declares (``-- param limit_to INTEGER = 20 (at least 1): ...``) is refused
too, before the query runs, naming the query, the parameter and the
expected form. Values are never written into SQL.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from decimal import Decimal
from typing import Any

import duckdb

from .catalogue import NamedQuery, Param
from .errors import QueryError

_WHOLE = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BOOLEANS = {"true": True, "false": False}

#: The range of each integer type, as DuckDB stores it.
_INTEGER_RANGE = {"INTEGER": (-2**31, 2**31 - 1), "BIGINT": (-2**63, 2**63 - 1)}


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
    defaults: list[Param] = []  # cast by DuckDB, all in one round trip
    for p in query.params:
        value = values.get(p.name)
        if value is None:
            if p.default is None or p.default.upper() == "NULL":
                bound[p.name] = None
            else:
                defaults.append(p)
        else:
            bound[p.name] = convert(query, p, value)
    if defaults:  # the literals come from the query file, not from a user
        row = con.execute("SELECT " + ", ".join(f"CAST({p.default} AS {p.sql_type})" for p in defaults)).fetchall()[0]
        bound.update({p.name: v for p, v in zip(defaults, row)})
    return bound


def example(query: NamedQuery) -> dict[str, Any]:
    """The query's ``-- example:`` values as the Python values the CLI would bind (none when it has no example)."""
    return {name: convert(query, query.param(name), value) for name, value in query.example_values().items()}


def convert(query: NamedQuery, p: Param, value: Any) -> Any:
    """``value`` as the Python value of ``p``'s type, or a ``QueryError`` saying what was expected."""
    if p.is_list:
        items = [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            items = [items]
        return [_one(query, p, item) for item in items]
    if isinstance(value, (list, tuple)):
        raise QueryError(f"parameter {p.name} of query {query.name} takes one {p.type}, not a list")
    return _one(query, p, value)


def _one(query: NamedQuery, p: Param, value: Any) -> Any:
    kind = p.sql_type.removesuffix("[]")
    converted = _parse(kind, value)
    if converted is None:
        raise QueryError(f"parameter {p.name} of query {query.name} expects {_describe(p.sql_type)}; got {value!r}")
    low, high = p.bounds
    if (low is not None and converted < low) or (high is not None and converted > high):
        raise QueryError(f"parameter {p.name} of query {query.name} must be {p.range_text}; got {value!r}")
    return converted


def _parse(kind: str, value: Any) -> Any:
    """The value as ``kind``, or None when it is not written the way that type is."""
    text = value.strip() if isinstance(value, str) else None
    if kind in _INTEGER_RANGE:
        if isinstance(value, bool):
            return None
        number = value if isinstance(value, int) else int(text) if text and _WHOLE.fullmatch(text) else None
        low, high = _INTEGER_RANGE[kind]
        return number if number is not None and low <= number <= high else None
    if kind == "DOUBLE":
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float, Decimal)):
            number = float(value)
        elif text and _NUMBER.fullmatch(text):
            number = float(text)
        else:
            return None
        return number if math.isfinite(number) else None
    if kind == "DATE":
        if type(value) is datetime.date:
            return value
        if text and _DATE.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                return None
        return None
    if kind == "BOOLEAN":
        if isinstance(value, bool):
            return value
        return _BOOLEANS.get(text.lower()) if text else None
    if kind == "VARCHAR":
        return value if isinstance(value, str) else None
    raise QueryError(f"parameters of type {kind} are not supported; declare VARCHAR, INTEGER, BIGINT, DOUBLE, "
                     "DATE or BOOLEAN (or a list of one of them)")


def default(con: duckdb.DuckDBPyConnection, p: Param) -> Any:
    """The parameter's default, cast to its type (the literal comes from the query file, not a user)."""
    if p.default is None or p.default.upper() == "NULL":
        return None
    return con.execute(f"SELECT CAST({p.default} AS {p.sql_type})").fetchall()[0][0]


def _describe(type_name: str) -> str:
    base = type_name.removesuffix("[]")
    words = {
        "INTEGER": "a whole number", "BIGINT": "a whole number", "DOUBLE": "a finite number",
        "DATE": "a date (YYYY-MM-DD)", "BOOLEAN": "true or false", "VARCHAR": "text",
    }
    word = words.get(base, base)
    return f"a list of {word} values (comma-separated on the command line)" if type_name.endswith("[]") \
        else f"{word} ({type_name})"
