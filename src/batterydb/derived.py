"""Lookups a build works out once, so that queries do not redo them on every call.

Some of the schema's macros do work that depends on the data alone: on a
large database that work, repeated on every call, was most of what a
lookup cost. Each file in ``derived/`` beside this module stores one such
result as a table of schema ``derived``, sorted by the column queries look
it up by (so that DuckDB's per-block minimum and maximum let a lookup skip
most of the table), and redefines the macro to read it there. Its first
comment says what the stored result saves.

The definitions in ``schema/`` stay the reference: ``check`` and the other
engines (through ``transpile``) use them, and the tests hold the stored
results equal to them.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from .sqltext import literal

DERIVED_DIR = Path(__file__).resolve().parent / "derived"

_REDEFINED = re.compile(r"CREATE OR REPLACE MACRO (\w+)\(")


def files() -> list[Path]:
    """The stored lookups, in the order they are built: by file name."""
    return sorted(DERIVED_DIR.glob("*.sql"))


def replaced() -> list[str]:
    """The macros the stored lookups redefine."""
    return [name for path in files() for name in _REDEFINED.findall(path.read_text(encoding="utf-8"))]


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Store the macros' results in ``derived`` and point the macros at them, keeping their comments."""
    names = replaced()
    comments = con.execute(
        "SELECT function_name, function_type, comment FROM duckdb_functions() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND function_name IN $names",
        {"names": names}).fetchall()
    con.execute("CREATE SCHEMA derived")
    for path in files():
        con.execute(path.read_text(encoding="utf-8"))
    for name, kind, comment in comments:
        if comment:
            what = "MACRO TABLE" if kind == "table_macro" else "MACRO"
            con.execute(f"COMMENT ON {what} {name} IS {literal(comment)}")
