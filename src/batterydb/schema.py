"""Applying the DDL in ``schema/`` and reading back what it declared.

The DDL files are the single description of the tables: the loader, the
tests and the documentation all ask DuckDB's catalog what the tables,
columns and foreign keys are, rather than keeping a second list in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb

from .errors import SchemaError


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    default: str | None
    nullable: bool


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    references: frozenset[str]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def ddl_files(schema_dir: Path) -> list[Path]:
    """The DDL files, in the order they are applied: by file name."""
    files = sorted(Path(schema_dir).glob("*.sql"))
    if not files:
        raise SchemaError(f"{schema_dir}: no .sql files found; expected the DDL that defines the tables")
    return files


def apply(con: duckdb.DuckDBPyConnection, schema_dir: Path) -> None:
    """Run every DDL file against ``con``."""
    for path in ddl_files(schema_dir):
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as exc:
            raise SchemaError(f"{path}: {exc}") from None


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, Table]:
    """The user tables of schema ``main``, keyed by name."""
    cols: dict[str, list[Column]] = {}
    for table, name, data_type, default, nullable in con.execute(
        """
        SELECT table_name, column_name, data_type, column_default, is_nullable
        FROM duckdb_columns()
        WHERE schema_name = 'main' AND NOT internal
        ORDER BY table_name, column_index
        """
    ).fetchall():
        cols.setdefault(table, []).append(Column(name, data_type, default, nullable))
    refs: dict[str, set[str]] = {name: set() for name in cols}
    for table, referenced in con.execute(
        """
        SELECT table_name, referenced_table
        FROM duckdb_constraints()
        WHERE schema_name = 'main' AND constraint_type = 'FOREIGN KEY'
        """
    ).fetchall():
        if referenced != table:
            refs[table].add(referenced)
    return {
        name: Table(name, tuple(columns), frozenset(refs[name]))
        for name, columns in cols.items()
    }


def load_order(all_tables: dict[str, Table]) -> list[Table]:
    """Tables ordered so that every table comes after the tables it references."""
    graph = {name: t.references for name, t in sorted(all_tables.items())}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise SchemaError(f"foreign keys form a cycle between tables {exc.args[1]}; no load order exists") from None
    return [all_tables[name] for name in order]
