"""How to ask a named query from each place batterydb's data reaches, with its example's values.

The same question is a command on the command line, a call in Python, a
table macro (or view) in the DuckDB file, a function in a published
PostgreSQL copy and one in a Spark export. The last two exist only for a
query that carries to that engine (``transpile.carry``), so those lines are
given only then. Each value is written as that engine writes a literal of
the parameter's type (sqlglot knows how), so a date is a date and a list a
list in every line.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlglot import exp

from . import analytics, transpile
from .catalogue import NamedQuery
from .params import convert
from .publish import ANALYTICS_SUFFIX

#: Where a published PostgreSQL copy and a Spark export keep the named queries (by default, for PostgreSQL).
FUNCTIONS_SCHEMA = "batterydb" + ANALYTICS_SUFFIX


@dataclass(frozen=True)
class Call:
    place: str  # where it is typed: "Command line", "Python", ...
    text: str


def calls(query: NamedQuery, known: dict[str, transpile.Macro] | None = None) -> list[Call]:
    """The example of ``query`` as it is asked from each place, those it does not carry to left out."""
    values = {name: convert(query, query.param(name), text) for name, text in query.example_values().items()}
    found = [Call("Command line", query.example_command()),
             Call("Python", f"batterydb.connect().run({json.dumps(query.name)}"
                            + "".join(f", {k}={_python(v)}" for k, v in values.items()) + ").show()"),
             Call("DuckDB console", f"SELECT * FROM {analytics.SCHEMA}.{_call(query.name, values, ':=', 'duckdb')};")]
    if not query.required:
        found.append(Call("DuckDB console (view)", f"SELECT * FROM {analytics.SCHEMA}.{query.name};"))
    for place, dialect in (("PostgreSQL", "postgres"), ("Spark", "spark")):
        if transpile.carry(query, dialect, known, params_as=query.name).ok:
            found.append(Call(place, f"SELECT * FROM {FUNCTIONS_SCHEMA}.{_call(query.name, values, '=>', dialect)};"))
    return found


def _call(name: str, values: dict, arrow: str, dialect: str) -> str:
    return f"{name}(" + ", ".join(f"{k} {arrow} {_literal(v, dialect)}" for k, v in values.items()) + ")"


def _literal(value, dialect: str) -> str:
    if isinstance(value, list):
        return exp.Array(expressions=[exp.convert(v) for v in value]).sql(dialect=dialect)
    return exp.convert(value).sql(dialect=dialect)


def _python(value) -> str:
    """A value as Python source: a date as the text run() reads, the rest as Python writes it."""
    if isinstance(value, list):
        return "[" + ", ".join(_python(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    return json.dumps(value) if isinstance(value, str) else repr(value)
