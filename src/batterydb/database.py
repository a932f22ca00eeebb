"""Opening the built database and asking it questions, by name or in ad hoc SQL."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from . import builder, catalogue, params, paths
from .catalogue import NamedQuery
from .errors import BatterydbError, DatabaseNotFound, QueryError

#: Settings of the locked-down profile for untrusted users (BI users, a shared console).
UNTRUSTED_CONFIG = {
    "enable_external_access": False,       # no read_csv, COPY, ATTACH, ... on the host's files
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "memory_limit": "2GB",
    "threads": 2,
    "lock_configuration": True,            # last: nothing above can be SET back
}


class Result:
    """The rows of one query, with their column names and DuckDB types.

    The query runs once: DuckDB keeps the result in its own columnar form (a
    materialized relation), and ``rows()``, ``df()``, ``arrow()``, ``pl()``
    and the writers all read from there, so a large answer is never computed
    twice. The rows as Python tuples are made on first use only.
    """

    def __init__(self, cursor: Callable[[], duckdb.DuckDBPyConnection], sql: str, params: dict | list | None):
        relation = cursor().sql(sql, params=params or None)
        if relation is None:  # a statement that returns nothing (ad hoc SQL in a trusted session)
            self._relation = None
            self.columns: list[str] = []
            self.types: list[str] = []
        else:
            self._relation = relation.materialize()
            self.columns = list(self._relation.columns)
            self.types = [str(t) for t in self._relation.types]
        self._rows: list[tuple] | None = None

    def rows(self) -> list[tuple]:
        if self._rows is None:
            self._rows = self._relation.fetchall() if self._relation is not None else []
        return list(self._rows)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows()]

    def __len__(self) -> int:
        if self._rows is not None or self._relation is None:
            return len(self.rows())
        return self._relation.shape[0]

    def _needs(self, module: str, method: str) -> None:
        if importlib.util.find_spec(module) is None:
            raise BatterydbError(f"Result.{method}() needs the {module} package: pip install {module}")
        if self._relation is None:
            raise QueryError(f"Result.{method}(): the statement returned no result")

    def arrow(self):
        """A ``pyarrow.Table`` (needs pyarrow)."""
        self._needs("pyarrow", "arrow")
        return self._relation.to_arrow_table()

    def df(self):
        """A pandas DataFrame (needs pandas)."""
        self._needs("pandas", "df")
        return self._relation.df()

    def pl(self):
        """A polars DataFrame (needs polars)."""
        self._needs("polars", "pl")
        return self._relation.pl()

    def write_parquet(self, path: Path | str) -> None:
        """Write the rows to a Parquet file, with DuckDB's own writer and the result's types."""
        self._write(path, "parquet")

    def write_csv(self, path: Path | str) -> None:
        """Write the rows to a CSV file with a header, with DuckDB's own writer."""
        self._write(path, "csv")

    def _write(self, path: Path | str, fmt: str) -> None:
        if self._relation is None:
            raise QueryError(f"{path}: cannot write {fmt}: the statement returned no result")
        try:
            if fmt == "parquet":
                self._relation.write_parquet(str(path))
            else:
                self._relation.write_csv(str(path), header=True)
        except duckdb.Error as exc:
            raise QueryError(f"{path}: cannot write {fmt}: {str(exc).splitlines()[0]}") from None


class Database:
    """A connection to a batterydb database file and its catalogue of named queries.

    ``connection`` is the underlying DuckDB connection, for anything this
    wrapper does not cover.
    """

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection,
                 queries: dict[str, NamedQuery]):
        self.path = path
        self.connection = connection
        self.queries = queries
        self._checked: set[str] = set()
        self._local = threading.local()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the database.

        A DuckDB connection must not be used by two threads at once, so each
        thread gets its own, opened once: opening one per query cost more
        than running a small query. Every result is read in full before the
        next query on the same thread, so one cursor per thread is enough.
        Closing the connection closes them all.
        """
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self.connection.cursor()
        return cursor

    def run(self, name: str, /, **values: Any) -> Result:
        """Run the named query ``name``; parameters are checked and converted first."""
        query = catalogue.find(self.queries, name)
        if name not in self._checked:  # once per query: the text does not change while the catalogue is open
            try:
                kinds = [s.type for s in self.connection.extract_statements(query.sql)]
            except duckdb.Error as exc:
                raise QueryError(f"{query.path}: {str(exc).splitlines()[0]} (run batterydb lint)") from None
            if kinds != [duckdb.StatementType.SELECT]:
                raise QueryError(f"{query.path}: a named query must be one SELECT statement; "
                                 "it is not run (see batterydb lint)")
            self._checked.add(name)
        bound = params.bind(self.connection, query, values)
        return self._execute(query.sql, bound)

    def sql(self, text: str, params: dict[str, Any] | list[Any] | None = None) -> Result:
        """Run ad hoc SQL with bound parameters; DuckDB's error comes back as ``QueryError``."""
        return self._execute(text, params)

    def _execute(self, text: str, bound: dict[str, Any] | list[Any] | None) -> Result:
        try:
            return Result(self._cursor, text, bound)
        except duckdb.Error as exc:
            raise QueryError(str(exc)) from None

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(path: Path | str | None = None, read_only: bool = True, *, untrusted: bool = False,
            queries: Path | str | None = None) -> Database:
    """Open the database at ``path`` (default: ``paths.default_database()``).

    The file is (re)built first when it does not exist, or when a file in the
    folders it was built from is newer than the build, so that a user who
    edits a seed sees the edit on the next connect. ``untrusted=True`` opens
    it read-only with the locked-down profile (no access to the host's files,
    no extensions, configuration locked, memory and threads capped) and never
    builds. ``queries`` is the folder of named queries (default: the shipped
    one).
    """
    path = Path(path) if path is not None else paths.default_database()
    if untrusted:
        if not path.exists():
            raise DatabaseNotFound(f"{path}: no database file here; build it first with batterydb build")
        read_only = True
    elif not path.exists():
        builder.build(out=path)
    else:
        stale = _stale_inputs(path)
        if stale is not None:
            builder.build(out=path, seeds=stale[0], schema_dir=stale[1], queries=stale[2])
    config = dict(UNTRUSTED_CONFIG) if untrusted else {}
    lock = config.pop("lock_configuration", False)
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
        # DuckDB draws a progress bar on stdout for long queries, where it would end up inside
        # `batterydb query`'s output; it is a setting of each session, so it is turned off before the lock.
        con.execute("SET enable_progress_bar = false")
        if lock:
            con.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        if "different configuration" in str(exc):
            raise BatterydbError(f"{path}: this process already has the file open with other settings "
                                 "(trusted and untrusted connections cannot share a process)") from None
        raise DatabaseNotFound(f"{path}: cannot open as a DuckDB database: {str(exc).splitlines()[0]}") from None
    return Database(path, con, catalogue.load(queries))


def _stale_inputs(path: Path) -> tuple[Path, Path, Path] | None:
    """The (seeds, schema, queries) folders to rebuild from when ``path`` is out of date, else None."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            try:
                seeds, schema_dir, queries, built_mtime = con.execute(
                    "SELECT seeds_dir, schema_dir, queries_dir, inputs_mtime FROM meta.build"
                ).fetchall()[0]
            except (duckdb.CatalogException, duckdb.BinderException):
                has_meta = con.execute("SELECT count(*) > 0 FROM duckdb_tables() "
                                       "WHERE schema_name = 'meta' AND table_name = 'build'").fetchall()[0][0]
                # An older batterydb's build: rebuild it from the shipped folders.
                return (paths.seeds_dir(), paths.schema_dir(), paths.queries_dir()) if has_meta else None
    except duckdb.Error:
        # Not a batterydb build (or a file another tool owns): open it as it is.
        return None
    folders = Path(seeds), Path(schema_dir), Path(queries)
    if not all(f.is_dir() for f in folders):
        return None
    if builder.inputs_mtime(*folders) > built_mtime:
        return folders
    return None
