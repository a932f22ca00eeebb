"""Opening the built database, building it first when it is missing or stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from . import builder
from . import catalogue, paths
from .errors import BatterydbError, DatabaseNotFound, QueryError


class Database:
    """A connection to a batterydb database file.

    ``connection`` is the underlying DuckDB connection, for anything this
    wrapper does not cover.
    """

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection,
                 queries_dir: Path | None = None):
        self.path = path
        self.connection = connection
        self.queries = catalogue.load(queries_dir)

    def run(self, name: str) -> "Result":
        """Run the named query ``name`` from the catalogue."""
        return self.sql(catalogue.find(self.queries, name).sql)

    def sql(self, text: str, params: dict[str, Any] | list[Any] | None = None) -> "Result":
        """Run ad hoc SQL with bound parameters; DuckDB's error comes back as ``QueryError``."""
        try:
            cursor = self.connection.execute(text, params or None)
            columns = [d[0] for d in cursor.description or []]
            return Result(columns, cursor.fetchall())
        except duckdb.Error as exc:
            raise QueryError(str(exc)) from None

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Result:
    """Rows of a query with their column names."""

    def __init__(self, columns: list[str], rows: list[tuple]):
        self.columns = columns
        self._rows = rows

    def rows(self) -> list[tuple]:
        return list(self._rows)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self._rows]


def connect(path: Path | str | None = None, read_only: bool = True,
            queries_dir: Path | str | None = None) -> Database:
    """Open the database at ``path`` (default: ``paths.default_database()``).

    The file is (re)built first when it does not exist, or when a file in the
    schema or seed folder it was built from is newer than the build, so that a
    user who edits a seed sees the edit on the next connect.
    """
    path = Path(path) if path is not None else paths.default_database()
    if not path.exists():
        builder.build(out=path)
    else:
        stale = _stale_inputs(path)
        if stale is not None:
            builder.build(out=path, seeds=stale[0], schema_dir=stale[1])
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise DatabaseNotFound(f"{path}: cannot open as a DuckDB database: {exc}") from None
    return Database(path, con, Path(queries_dir) if queries_dir is not None else None)


def _stale_inputs(path: Path) -> tuple[Path, Path] | None:
    """The (seeds, schema) folders to rebuild from when ``path`` is out of date, else None."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            seeds, schema_dir, built_mtime = con.execute(
                "SELECT seeds_dir, schema_dir, inputs_mtime FROM meta.build"
            ).fetchone()
    except duckdb.Error:
        # Not a batterydb build (or a file another tool owns): open it as it is.
        return None
    seeds, schema_dir = Path(seeds), Path(schema_dir)
    if not (seeds.is_dir() and schema_dir.is_dir()):
        return None
    if builder.inputs_mtime(schema_dir, seeds) > built_mtime:
        return seeds, schema_dir
    return None


__all__ = ["Database", "Result", "connect", "BatterydbError"]
