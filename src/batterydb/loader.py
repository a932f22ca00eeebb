"""Loading one CSV seed file per table into the typed tables.

Each file goes in through DuckDB's own CSV reader with the column types taken
from the table, in a single INSERT ... SELECT: no row passes through Python.
The file path is a bound parameter; only identifiers read from DuckDB's own
catalog are written into the SQL text.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from .errors import Problem, SeedError
from .schema import Table


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def seed_path(seeds_dir: Path, table: Table) -> Path:
    return Path(seeds_dir) / f"{table.name}.csv"


def check_files(seeds_dir: Path, tables: list[Table]) -> list[Problem]:
    """Missing or unexpected seed files, and headers that do not match their table."""
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        return [Problem(str(seeds_dir), None, None, "seed directory not found")]
    problems = []
    expected = {f"{t.name}.csv" for t in tables}
    for extra in sorted(p.name for p in seeds_dir.glob("*.csv") if p.name not in expected):
        problems.append(Problem(str(seeds_dir / extra), None, None,
                                "unexpected seed file: no table of that name in the schema"))
    for table in tables:
        path = seed_path(seeds_dir, table)
        if not path.is_file():
            problems.append(Problem(str(path), None, None,
                                    f"seed file missing; expected one for table {table.name}"))
            continue
        problems.extend(_check_header(path, table))
    return problems


def _check_header(path: Path, table: Table) -> list[Problem]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
    except UnicodeDecodeError as exc:
        return [Problem(str(path), 1, None, f"header is not valid UTF-8 ({exc.reason})")]
    header = [h.strip() for h in header]
    expected = table.column_names
    if header == expected:
        return []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if extra:
        parts.append("unexpected column(s) " + ", ".join(extra))
    if not parts:
        parts.append("columns out of order")
    return [Problem(str(path), 1, None,
                    "header does not match table " + table.name + ": " + "; ".join(parts)
                    + "; expected " + ",".join(expected))]


def load_table(con: duckdb.DuckDBPyConnection, seeds_dir: Path, table: Table) -> None:
    """Insert the table's seed file; an empty cell takes the column's default, if it has one."""
    path = seed_path(seeds_dir, table)
    select = ", ".join(
        f"coalesce({quote_ident(c.name)}, {c.default})" if c.default else quote_ident(c.name)
        for c in table.columns
    )
    sql = (
        f"INSERT INTO {quote_ident(table.name)} SELECT {select} "
        "FROM read_csv($path, header = true, auto_detect = false, columns = $columns, "
        "delim = ',', quote = '\"', escape = '\"')"
    )
    columns = {c.name: c.data_type for c in table.columns}
    try:
        con.execute(sql, {"path": str(path), "columns": columns})
    except duckdb.Error as exc:
        message = str(exc).split("\n\n")[0].replace("\n", " ")
        raise SeedError([Problem(str(path), None, None, message)]) from None
