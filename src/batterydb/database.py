"""Opening the built database and asking it questions, by name or in ad hoc SQL."""

from __future__ import annotations

import contextlib
import html
import importlib.util
import io
import threading
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import duckdb

from . import catalogue, freshness, leftovers, params, paths, sandbox
from .catalogue import NamedQuery
from .errors import BatterydbError, DatabaseNotFound, QueryError, first_line
from .sqltext import q


#: How many rows a notebook shows of a result.
_HTML_ROWS = 20

class Result:
    """The rows of one query, with their column names and DuckDB types.

    The query runs once: DuckDB keeps the result in its own columnar form (a
    materialized relation), and ``rows()``, ``df()``, ``arrow()``, ``pl()``
    and the writers all read from there, so a large answer is never computed
    twice. The rows as Python tuples are made on first use only.
    """

    def __init__(self, relation: duckdb.DuckDBPyRelation | None = None,
                 connection: duckdb.DuckDBPyConnection | None = None, *, hold: bool = True,
                 bound: dict[str, Any] | None = None,
                 columns: list[str] | None = None, types: list[str] | None = None, rows: list[tuple] | None = None):
        self._relation = relation.materialize() if relation is not None and hold else relation
        self._bound = {} if hold else dict(bound or {})  # a streamed result's query still needs its parameters
        self._connection = connection
        if self._relation is not None:
            self.columns = list(self._relation.columns)
            self.types = [str(t) for t in self._relation.types]
            self._rows: list[tuple] | None = None
        else:  # an answer from an untrusted session's worker, or a statement that returns nothing
            self.columns, self.types, self._rows = list(columns or []), list(types or []), list(rows or [])

    def _columnar(self) -> duckdb.DuckDBPyRelation | None:
        """The rows as a DuckDB relation, for DuckDB's own converters and writers.

        An untrusted session's answer arrives as Python values; it is loaded
        once into a private in-memory database with the worker's types.
        """
        if self._relation is None and self.columns:
            scratch = duckdb.connect()
            scratch.execute("CREATE TABLE answer (" + ", ".join(
                f"{q(name)} {kind}" for name, kind in zip(self.columns, self.types)) + ")")
            if self._rows:
                scratch.executemany(f"INSERT INTO answer VALUES ({', '.join('?' for _ in self.columns)})",
                                    self._rows)
            self._relation, self._connection = scratch.table("answer").materialize(), scratch
        return self._relation

    def _tuples(self) -> list[tuple]:
        if self._rows is None:
            self._rows = self._relation.fetchall() if self._relation is not None else []
        return self._rows

    def rows(self) -> list[tuple]:
        """Every row as a tuple of Python values (a new list; the tuples are made once)."""
        return list(self._tuples())

    def head(self, n: int) -> list[tuple]:
        """The first ``n`` rows, without making Python tuples of the rest (a page shows a few of a long answer)."""
        if self._rows is not None or self._relation is None:
            return self._tuples()[:n]
        return self._relation.limit(n).fetchall()

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self._tuples()]

    def __len__(self) -> int:
        if self._rows is not None or self._relation is None:
            return len(self._tuples())
        return self._relation.shape[0]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._tuples())

    def __getitem__(self, index: int | slice) -> tuple | list[tuple]:
        return self._tuples()[index]

    def batches(self, size: int = 100_000) -> Iterator[Any]:
        """The rows as ``pyarrow.RecordBatch`` es of at most ``size`` rows, without a Python object per value.

        DuckDB streams them from the result it holds; until the last batch is
        read, the thread's connection is busy with them.
        """
        reader = self._needs("pyarrow", "batches").to_arrow_reader(size)
        yield from reader

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream, so that ``pyarrow.table(result)`` and ``polars.DataFrame(result)`` work."""
        return self.arrow().__arrow_c_stream__(requested_schema)

    def __repr__(self) -> str:
        shape = (f"<batterydb.Result: {len(self)} row{'s' if len(self) != 1 else ''}, "
                 f"{len(self.columns)} column{'s' if len(self.columns) != 1 else ''}>")
        if not self.columns:
            return shape
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            self.show(max_rows=10, max_width=120)
        return shape + "\n" + shown.getvalue().rstrip("\n")

    def _repr_html_(self) -> str:
        """The first rows as an HTML table, for notebooks."""
        shown = self._tuples()[:_HTML_ROWS]
        head = "".join(f"<th>{html.escape(c)}<br><small>{html.escape(t)}</small></th>"
                       for c, t in zip(self.columns, self.types))
        body = "".join("<tr>" + "".join("<td><i>NULL</i></td>" if v is None else f"<td>{html.escape(str(v))}</td>"
                                        for v in row) + "</tr>" for row in shown)
        more = f", the first {len(shown)} shown" if len(self) > len(shown) else ""
        return (f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<p>{len(self)} row{'s' if len(self) != 1 else ''}{more}</p>")

    def _needs(self, module: str, method: str) -> duckdb.DuckDBPyRelation:
        if importlib.util.find_spec(module) is None:
            raise BatterydbError(f"Result.{method}() needs the {module} package: pip install {module}")
        return self._source(f"Result.{method}()")

    def _source(self, what: str) -> duckdb.DuckDBPyRelation:
        relation = self._columnar()
        if relation is None:
            raise QueryError(f"{what}: the statement returned no result")
        return relation

    def arrow(self):
        """A ``pyarrow.Table`` (needs pyarrow)."""
        return self._needs("pyarrow", "arrow").to_arrow_table()

    def df(self):
        """A pandas DataFrame (needs pandas)."""
        return self._needs("pandas", "df").df()

    def pl(self):
        """A polars DataFrame (needs polars)."""
        return self._needs("polars", "pl").pl()

    def write_parquet(self, path: Path | str) -> None:
        """Write the rows to a Parquet file, with DuckDB's own writer and the result's types."""
        self.copy_to(path, "FORMAT parquet")

    def write_csv(self, path: Path | str) -> None:
        """Write the rows to a CSV file with a header, with DuckDB's own writer."""
        self.copy_to(path, "FORMAT csv, HEADER true")

    def copy_to(self, path: Path | str, options: str, select: str = "*") -> None:
        """Write the rows to ``path`` with DuckDB's ``COPY ... TO``; ``options`` and ``select`` are batterydb's SQL.

        The path is a bound parameter. The statement runs over the result
        DuckDB already holds, on the connection that holds it.
        """
        relation = self._source(f"{path}: cannot write")
        try:
            self._connection.execute(
                f"COPY (SELECT {select} FROM ({relation.sql_query()})) TO $batterydb_output ({options})",
                {**self._bound, "batterydb_output": str(path)}).fetchall()
        except duckdb.IOException as exc:
            raise QueryError(f"{first_line(exc)} (writing {path})") from None
        except duckdb.Error as exc:  # the query itself failed as it streamed into the file
            raise QueryError(str(exc)) from None

    def show(self, **options: Any) -> None:
        """Print DuckDB's own table of the rows (``DuckDBPyRelation.show``'s options) on stdout."""
        self._source("Result.show()").show(null_value="NULL", **options)


class Database:
    """A connection to a batterydb database file and its catalogue of named queries.

    ``connection`` is the underlying DuckDB connection, for anything this
    wrapper does not cover; an untrusted session has none in this process
    (its SQL runs in a worker, see ``sandbox``), and ``connection`` is then
    a private in-memory database used to check parameters.
    """

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection,
                 queries: dict[str, NamedQuery], worker: sandbox.Worker | None = None):
        self.path = path
        self.connection = connection
        self.queries = queries
        self.untrusted = worker is not None
        self._worker = worker
        self._checked: set[str] = set()
        self._local = threading.local()
        self._running: set[duckdb.DuckDBPyConnection] = set()
        self._running_lock = threading.Lock()

    def _cursor(self, kind: str) -> duckdb.DuckDBPyConnection:
        """This thread's cursor for named queries (``kind="named"``) or for ad hoc SQL (``"adhoc"``).

        A DuckDB connection must not be used by two threads at once, so each
        thread gets its own, opened once: opening one per query cost more
        than running a small query. Named queries never share a cursor with
        ad hoc SQL, so that a temp view or macro, ``USE`` or ``SET
        search_path`` run through ``sql()`` cannot change what a named
        query answers. Closing the connection closes them all.
        """
        cursor = getattr(self._local, kind, None)
        if cursor is None:
            cursor = self.connection.cursor()
            setattr(self._local, kind, cursor)
        return cursor

    def run(self, name: str, /, **values: Any) -> Result:
        """Run the named query ``name``; parameters are checked and converted first."""
        return self._prepared(name, values, hold=True)

    def _prepared(self, name: str, values: dict[str, Any], hold: bool) -> Result:
        query = catalogue.find(self.queries, name)
        if name not in self._checked:  # once per query: the text does not change while the catalogue is open
            try:
                kinds = [s.type for s in self.connection.extract_statements(query.sql)]
            except duckdb.Error as exc:
                raise QueryError(f"{query.path}: {first_line(exc)} (run batterydb lint)") from None
            if kinds != [duckdb.StatementType.SELECT]:
                raise QueryError(f"{query.path}: a named query must be one SELECT statement; "
                                 "it is not run (see batterydb lint)")
            self._checked.add(name)
        bound = params.bind(self.connection, query, values)
        for p in query.params:
            if p.resolver and bound.get(p.name) is not None:
                bound[p.name] = self._resolve(p, bound[p.name])
        return self._execute("named", query.sql, bound, hold)

    def _resolve(self, param: catalogue.Param, text: str) -> str:
        """The id ``text`` names, by the schema's macros.

        The question most calls ask, which one thing the text names, is the
        cheap one (``param.matches``); only when the text names none or
        several is the resolving macro asked, whose error names the closest
        or lists them, at the cost of planning that search.
        """
        try:
            found = self._execute("named", f"SELECT * FROM main.{param.matches}($text) LIMIT 2", {"text": text}).rows()
        except QueryError:  # a file built before the macro existed: the resolving macro alone answers
            found = []
        if len(found) == 1:
            return found[0][0]
        try:
            return self._execute("named", f"SELECT main.{param.resolver}($text)", {"text": text}).rows()[0][0]
        except QueryError as exc:
            raise QueryError(str(exc).removeprefix("Invalid Input Error: ")) from None

    def sql(self, text: str, params: dict[str, Any] | list[Any] | None = None) -> Result:
        """Run ad hoc SQL with bound parameters; DuckDB's error comes back as ``QueryError``."""
        return self._execute("adhoc", text, params)

    def stream(self, name: str, /, **values: Any) -> Result:
        """``run``, but the query runs when the result is written or read, straight into the writer.

        Nothing is held: an answer larger than memory goes to a file or a
        pipe in the memory the query itself needs. Read such a result once
        (a write, a table, ``rows()``). The CLI writes every answer so; an
        untrusted session's answers arrive whole, so there it is ``run``.
        """
        return self.run(name, **values) if self._worker is not None else self._prepared(name, values, hold=False)

    def stream_sql(self, text: str, params: dict[str, Any] | list[Any] | None = None) -> Result:
        """``sql``, run when the result is written or read (see ``stream``)."""
        return self._execute("adhoc", text, params, hold=False)

    def _execute(self, kind: str, text: str, bound: dict[str, Any] | list[Any] | None,
                 hold: bool = True) -> Result:
        if self._worker is not None:
            columns, types, rows = self._worker.run(text, bound)
            return Result(columns=columns, types=types, rows=rows)
        cursor = self._cursor(kind)
        with self._running_lock:
            self._running.add(cursor)
        try:
            hold = hold or isinstance(bound, (list, tuple))  # positional parameters cannot be bound again by name
            return Result(cursor.sql(text, params=bound or None), cursor, hold=hold,
                          bound=bound if isinstance(bound, dict) else None)
        except duckdb.Error as exc:
            raise QueryError(str(exc)) from None
        finally:
            with self._running_lock:
                self._running.discard(cursor)

    def interrupt(self) -> None:
        """Stop the queries this database is running, from another thread; each raises ``QueryError``."""
        if self._worker is not None:
            self._worker.interrupt()
            return
        with self._running_lock:
            for cursor in self._running:
                cursor.interrupt()

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
        self.connection.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(path: Path | str | None = None, read_only: bool = True, *, untrusted: bool = False,
            queries: Path | str | None = None, seeds: Path | str | None = None,
            schema_dir: Path | str | None = None, limits: sandbox.Limits | None = None) -> Database:
    """Open the database at ``path`` (default: ``paths.default_database()``).

    It is built or rebuilt first as ``freshness`` says: only the default
    location when missing (a mistyped path must not answer from the shipped
    data), and a file built from the caller's folders (``seeds``,
    ``schema_dir``, ``queries``; by default the shipped ones) when one of
    their files has changed since.

    ``untrusted=True`` never builds, and runs every query in a worker
    process held to ``limits`` (see ``sandbox``).
    """
    explicit = path is not None
    path = paths.default_database(path)
    leftovers.remove(path)
    folders = {"schema": paths.schema_dir(schema_dir),
               "seeds": paths.seeds_dir(seeds),
               "queries": paths.queries_dir(queries)}
    freshness.ensure_current(path, folders, explicit=explicit, may_build=not untrusted)
    named = catalogue.load(folders["queries"])
    if untrusted:
        if path.is_dir():
            raise DatabaseNotFound(f"{path}: is a folder, not a database file")
        worker = sandbox.Worker(path.resolve(), limits or sandbox.Limits())
        try:
            worker.run("SELECT 1", None)  # opens the file now, so that a bad file fails here
        except QueryError as exc:
            worker.close()
            raise DatabaseNotFound(f"{path}: cannot open as a DuckDB database: {first_line(exc)}") from None
        scratch = duckdb.connect()  # checks parameters only; the file is the worker's
        scratch.execute("SET enable_progress_bar = false")
        return Database(path, scratch, named, worker)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        # DuckDB draws a progress bar on stdout for long queries, where it would end up inside
        # `batterydb query`'s output; it is a setting of each session.
        con.execute("SET enable_progress_bar = false")
        _spill_beside(con, path)
    except duckdb.Error as exc:
        if "different configuration" in str(exc):
            raise BatterydbError(f"{path}: this process already has the file open with other settings") from None
        raise DatabaseNotFound(f"{path}: cannot open as a DuckDB database: {first_line(exc)}") from None
    return Database(path, con, named)


def _spill_beside(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Spill into a folder named after this process, so that a killed process's spill can be cleared."""
    try:
        con.execute("SET GLOBAL temp_directory = $folder", {"folder": str(leftovers.spill_folder(path))})
    except duckdb.Error:  # the process already had the file open with its configuration locked: keep DuckDB's
        pass
