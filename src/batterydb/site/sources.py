"""The sources as the site shows them: each source with what it cites, and the fact rows that rest on it.

A source's page lists, table by table, the rows whose ``source_id`` is
that source; a table's page lists the sources its rows cite. Which tables
hold facts is read from the model (every table with a ``source_id``
column but ``sources`` itself), so a fact table added to the schema shows
here with no change. At scale a source carries thousands of rows: a page
lists the first ``ROWS_PER_TABLE`` of each table by key and counts the
rest, and the rows stream from DuckDB one source at a time, so memory
holds one page's rows, not the database's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from ..database import Database
from ..sqltext import q
from .model import Model, Table

SOURCES_SQL = (Path(__file__).parent / "sql" / "sources.sql").read_text(encoding="utf-8")

#: Rows of one table listed on a source's page; the rest are counted.
ROWS_PER_TABLE = 10
#: Sources listed on a table's page, those with the most rows first; the rest are counted.
SOURCES_PER_TABLE = 50
#: Rows read from DuckDB at a time while the source pages are written.
FETCH_ROWS = 10_000


@dataclass
class Resting:
    """The rows of one table that rest on one source: how many, and the first of them as text."""

    table: str
    count: int
    rows: list[list[str | None]] = field(default_factory=list)


@dataclass
class Source:
    source_id: str
    kind: str
    title: str | None
    publisher_org_id: str | None
    publisher: str | None
    publisher_note: str | None
    published: str | None
    published_precision: str | None
    file_name: str | None
    note: str | None
    cites: list[dict]
    cited_by: list[dict]


@dataclass
class Cited:
    """The sources a table's rows cite: the first ``SOURCES_PER_TABLE`` as (source_id, rows), and how many in all."""

    sources: list[tuple[str, int]]
    total: int


def page(source_id: str) -> str:
    """The page of a source, from the top folder: a source id is any text, so it is percent-encoded into a name."""
    return f"sources/{quote(source_id, safe='-_.')}.html"


def fact_tables(model: Model) -> list[Table]:
    """The tables whose rows each name the source they rest on."""
    return [t for t in model.tables.values()
            if t.name != "sources" and "source_id" in {c.name for c in t.columns}]


def read(db: Database) -> dict[str, Source]:
    """Every source by id, in id order, with its publisher, date and citations."""
    result = db.sql(SOURCES_SQL)
    return {row[0]: Source(*row) for row in result.rows()}


def cited(db: Database, tables: list[Table]) -> dict[str, Cited]:
    """For each fact table, the sources its rows cite, those with the most rows first."""
    if not tables:
        return {}
    union = " UNION ALL ".join(
        f"SELECT {i} AS i, t.source_id, count(*) AS n FROM main.{q(t.name)} AS t GROUP BY t.source_id"
        for i, t in enumerate(tables))
    ranked = db.sql(
        f"SELECT i, source_id, n, count(*) OVER (PARTITION BY i) AS total FROM ({union}) "
        f"QUALIFY row_number() OVER (PARTITION BY i ORDER BY n DESC, source_id NULLS LAST) <= {SOURCES_PER_TABLE} "
        "ORDER BY i, n DESC, source_id NULLS LAST").rows()
    found = {t.name: Cited([], 0) for t in tables}
    for i, source_id, n, total in ranked:
        entry = found[tables[i].name]
        entry.sources.append((source_id, n))
        entry.total = total
    return found


def resting(db: Database, tables: list[Table]) -> Iterator[tuple[str, list[Resting]]]:
    """Each source that rows rest on, in id order, with the first rows of each table that cite it.

    One query over every fact table, each row's values cast to text in
    DuckDB (so numbers keep every digit DuckDB prints, and no Python value
    is made per cell), ordered by source, table and key, read in batches.
    """
    if not tables:
        return
    parts = []
    for i, t in enumerate(tables):
        key = ", ".join(f"t.{q(c.name)}" for c in t.columns if c.in_key) or "ALL"
        cells = ", ".join(f"CAST(t.{q(c.name)} AS VARCHAR)" for c in t.columns)
        parts.append(
            f"SELECT t.source_id, {i} AS i, count(*) OVER (PARTITION BY t.source_id) AS n, "
            f"row_number() OVER (PARTITION BY t.source_id ORDER BY {key}) AS rn, [{cells}] AS cells "
            f"FROM main.{q(t.name)} AS t WHERE t.source_id IS NOT NULL "
            f"QUALIFY row_number() OVER (PARTITION BY t.source_id ORDER BY {key}) <= {ROWS_PER_TABLE}")
    cursor = db.connection.cursor()
    try:
        cursor.execute(" UNION ALL ".join(parts) + " ORDER BY source_id, i, rn")
        current, groups = None, {}
        while batch := cursor.fetchmany(FETCH_ROWS):
            for source_id, i, n, _, cells in batch:
                if source_id != current:
                    if current is not None:
                        yield current, list(groups.values())
                    current, groups = source_id, {}
                group = groups.setdefault(i, Resting(tables[i].name, n))
                group.rows.append(cells)
        if current is not None:
            yield current, list(groups.values())
    finally:
        cursor.close()
