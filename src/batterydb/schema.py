"""Applying the DDL in ``schema/`` and reading back what it declared.

The DDL files are the single description of the tables: the loader, the
tests and the documentation all ask DuckDB's catalog what the tables,
columns and foreign keys are, rather than keeping a second list in Python.

A built database file lists its foreign keys in ``meta.foreign_keys``
rather than declaring them to DuckDB (see ``strip_for_loading``);
``foreign_keys`` reads whichever the connection has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb

from .errors import SchemaError
from .sqltext import literal, q


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
        SELECT c.table_name, c.column_name, c.data_type, c.column_default, c.is_nullable
        FROM duckdb_columns() AS c
        JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name)
        WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT c.internal
        ORDER BY c.table_name, c.column_index
        """
    ).fetchall():
        cols.setdefault(table, []).append(Column(name, data_type, default, nullable))
    refs: dict[str, set[str]] = {name: set() for name in cols}
    for table, _, referenced, _ in foreign_keys(con):
        if referenced != table and table in refs:
            refs[table].add(referenced)
    return {
        name: Table(name, tuple(columns), frozenset(refs[name]))
        for name, columns in cols.items()
    }


META_FOREIGN_KEYS = "meta.foreign_keys"


def foreign_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[str, list[str], str, list[str]]]:
    """(table, columns, referenced table, referenced columns) of every foreign key of ``main``.

    Read from DuckDB's catalog, or, in a built database, from ``meta.foreign_keys``.
    """
    listed = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'meta' AND table_name = 'foreign_keys'").fetchall()[0][0]
    source = f"SELECT * FROM {META_FOREIGN_KEYS}" if listed else _DECLARED_FOREIGN_KEYS
    return [tuple(row) for row in con.execute(f"SELECT * FROM ({source}) ORDER BY ALL").fetchall()]


_DECLARED_FOREIGN_KEYS = """
    SELECT table_name, constraint_column_names AS column_names,
           referenced_table, referenced_column_names
    FROM duckdb_constraints()
    WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type = 'FOREIGN KEY'
"""

# How DuckDB prints a foreign key and a primary key (of the table, or of one column) in duckdb_tables().sql.
_FOREIGN_KEY_CLAUSE = re.compile(r', FOREIGN KEY \([^()]*\) REFERENCES ("[^"]*"|\w+)\([^()]*\)')
_PRIMARY_KEY_CLAUSE = re.compile(r', PRIMARY KEY\([^()]*\)|(?<=[\w)]) PRIMARY KEY(?=[,)])')


def list_foreign_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Write the foreign keys the DDL declares into ``meta.foreign_keys``."""
    con.execute(f"""
        CREATE SCHEMA IF NOT EXISTS meta;
        CREATE TABLE {META_FOREIGN_KEYS} (
            table_name              VARCHAR NOT NULL,
            column_names            VARCHAR[] NOT NULL,
            referenced_table        VARCHAR NOT NULL,
            referenced_column_names VARCHAR[] NOT NULL
        );
        INSERT INTO {META_FOREIGN_KEYS} {_DECLARED_FOREIGN_KEYS};
        COMMENT ON TABLE {META_FOREIGN_KEYS} IS 'Every reference between the tables, as the DDL declares it. batterydb checked each one when it built this file.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.table_name IS 'The referencing table.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.column_names IS 'Its columns; a row''s values there, unless NULL, are a row of the referenced table.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.referenced_table IS 'The table referred to.';
        COMMENT ON COLUMN {META_FOREIGN_KEYS}.referenced_column_names IS 'Its key columns, in the same order.';
    """)


def strip_for_loading(con: duckdb.DuckDBPyConnection, order: list[Table]) -> dict[str, str]:
    """Re-create the (empty) tables of ``main`` without foreign or primary keys (``list_foreign_keys`` first).

    Returns, by table, the statement that adds its primary key back, to run
    once the rows are in. DuckDB checks a declared foreign key row by row as
    each row is inserted, through an index it builds on the referencing
    column: on a large seed folder that made loading four times slower. A
    build has already checked every reference, and reported each bad one
    with its file and line, so the built file lists its references instead
    of declaring them. A primary key's index, too, is built in about half
    the time in one go after the load rather than row by row during it.
    NOT NULL, defaults, UNIQUE, CHECK rules and comments stay as the DDL
    wrote them.
    """
    where = "WHERE database_name = current_database() AND schema_name = 'main'"
    created = dict(con.execute(f"SELECT table_name, sql FROM duckdb_tables() {where}").fetchall())
    keys = con.execute(f"SELECT table_name, constraint_column_names FROM duckdb_constraints() {where} "
                       "AND constraint_type = 'PRIMARY KEY' ORDER BY table_name").fetchall()
    comments = con.execute(
        f"SELECT table_name, NULL, comment FROM duckdb_tables() {where} AND comment IS NOT NULL UNION ALL "
        f"SELECT table_name, column_name, comment FROM duckdb_columns() {where} AND comment IS NOT NULL").fetchall()
    script = [f"DROP TABLE {q(table.name)};" for table in reversed(order)]
    script += [_PRIMARY_KEY_CLAUSE.sub("", _FOREIGN_KEY_CLAUSE.sub("", created[table.name])) for table in order]
    script += [f"COMMENT ON {'TABLE ' + q(table) if column is None else 'COLUMN ' + q(table) + '.' + q(column)} "
               f"IS {literal(comment)};" for table, column, comment in comments]
    con.execute("\n".join(script))
    return {table: f"ALTER TABLE {q(table)} ADD PRIMARY KEY ({', '.join(q(c) for c in columns)})"
            for table, columns in keys}


def load_order(all_tables: dict[str, Table]) -> list[Table]:
    """Tables ordered so that every table comes after the tables it references."""
    graph = {name: t.references for name, t in sorted(all_tables.items())}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise SchemaError(f"foreign keys form a cycle between tables {exc.args[1]}; no load order exists") from None
    return [all_tables[name] for name in order]
