"""What the site shows, read from a built database: its tables, columns, keys, rows and named queries.

Everything comes from DuckDB's catalog and the catalogue of named queries,
so that a table, a column comment or a query added to the project appears
on the site with no change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue import NamedQuery
from ..database import Database
from ..schema import foreign_keys
from ..sqltext import q

#: Rows shown on a table's page: a sample, not a listing, however large the table.
SAMPLE_ROWS = 5
#: A vocabulary (a table of codes, without a source_id: rules.parent_facts) lists every row up to this many.
VOCABULARY_LIMIT = 300


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    nullable: bool
    comment: str | None
    in_key: bool


@dataclass(frozen=True)
class Reference:
    """A foreign key, seen from either end: ``table``'s ``columns`` name a row of ``referenced``."""

    table: str
    columns: tuple[str, ...]
    referenced: str
    referenced_columns: tuple[str, ...]


@dataclass
class Table:
    name: str
    comment: str | None
    columns: list[Column]
    rows: int
    references: list[Reference] = field(default_factory=list)   # the keys it holds
    referenced_by: list[Reference] = field(default_factory=list)  # the keys that name its rows
    sample: list[tuple] = field(default_factory=list)
    vocabulary: list[tuple] | None = None  # every row, for a vocabulary small enough to list
    cited: object | None = None  # sources.Cited, for a table whose rows name their source
    read_by: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (query, the columns it reads)

    @property
    def source_columns(self) -> set[str]:
        """The columns whose values name a source, which the pages link to the source's page."""
        named = {r.columns[0] for r in self.references if r.referenced == "sources" and len(r.columns) == 1}
        return named | ({"source_id"} if self.name == "sources" else set())


@dataclass(frozen=True)
class Model:
    tables: dict[str, Table]
    queries: dict[str, NamedQuery]


def read(db: Database) -> Model:
    """The model of ``db``: its tables in name order with their columns, keys, counts and samples, and its queries."""
    tables: dict[str, Table] = {}
    for name, comment in db.sql(
        "SELECT table_name, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name"
    ).rows():
        tables[name] = Table(name, comment, [], 0)
    keys = {(table, column) for table, columns in db.sql(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type = 'PRIMARY KEY'"
    ).rows() for column in columns}
    for table, column, data_type, nullable, comment in db.sql(
        "SELECT table_name, column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index"
    ).rows():
        if table in tables:
            tables[table].columns.append(Column(column, data_type, nullable, comment, (table, column) in keys))
    for table, columns, referenced, referenced_columns in foreign_keys(db.connection):
        reference = Reference(table, tuple(columns), referenced, tuple(referenced_columns))
        tables[table].references.append(reference)
        tables[referenced].referenced_by.append(reference)
    counts = " UNION ALL ".join(f"SELECT {i} AS i, count(*) AS n FROM main.{q(name)}" for i, name in enumerate(tables))
    for i, n in db.sql(counts).rows() if tables else []:
        list(tables.values())[i].rows = n
    for table in tables.values():
        order = ", ".join(q(c.name) for c in table.columns if c.in_key) or "ALL"
        table.sample = db.sql(f"SELECT * FROM main.{q(table.name)} ORDER BY {order} LIMIT {SAMPLE_ROWS}").rows()
        if _is_vocabulary(table):
            table.vocabulary = db.sql(f"SELECT * FROM main.{q(table.name)} ORDER BY {order}").rows()
    return Model(tables, dict(sorted(db.queries.items())))


def _is_vocabulary(table: Table) -> bool:
    """A table of codes and what they mean, as the seed checks tell one: no source_id, and small enough to list."""
    return "source_id" not in {c.name for c in table.columns} and table.rows <= VOCABULARY_LIMIT
