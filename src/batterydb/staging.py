"""Reading seed files into DuckDB for checking, and typing their values.

Each file is read once by DuckDB's CSV reader, as text (values trimmed,
empty cells NULL), and typed in the same pass into ``staged.data."<table>"``;
rows DuckDB cannot split into the right number of fields land in its
rejects table instead and become problems. Beside each typed column the
table keeps the text of the values that failed to convert, and nothing
else, so that a type error can quote what was written without a second
copy of the file. The view ``staged."<table>"`` adds ``_row`` (the row's
position in the file) and ``_ok`` (false when the row already has a type or
missing-value error, so that later rules do not report its NULLs again).

``staged`` is an in-memory database that ``loading`` attaches for the
check: the build writes only finished tables into its file, and reading
and typing stays at the speed of DuckDB's own CSV reader.

Only identifiers from DuckDB's catalog and SQL fragments defined here are
written into query text; file paths and values are bound parameters.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from .errors import Problem, in_seed_file
from .schema import Column, Table
from .seedfiles import MAX_LINE, seed_path
from .sqltext import literal, q


_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_INTEGER = r"^[+-]?[0-9]+$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _kind(data_type: str) -> str:
    t = data_type.upper()
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        return "integer"
    if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL"):
        return "number"
    if t == "DATE":
        return "date"
    if t == "BOOLEAN":
        return "boolean"
    return "text"


#: Significant digits a DOUBLE keeps: any decimal with this many or fewer reads back as written (DBL_DIG).
DOUBLE_DIGITS = 15


def _decimal_scale(data_type: str) -> int | None:
    if not data_type.upper().startswith("DECIMAL"):
        return None
    return int(data_type[data_type.index("(") + 1:-1].split(",")[1])


def _decimals(ref: str) -> str:
    """SQL: how many decimal places text ``ref`` writes, trailing zeros aside."""
    return f"length(regexp_extract({ref}, '\\.([0-9]*?)0*([eE].*)?$', 1))"


def _significant(ref: str) -> str:
    """SQL: how many significant digits text ``ref`` writes, leading and trailing zeros aside."""
    return f"length(trim(replace(regexp_extract({ref}, '^[+-]?([0-9]*\\.?[0-9]*)', 1), '.', ''), '0'))"


def _negative_zero(ref: str) -> str:
    return f"regexp_full_match({ref}, '-[0.]*([eE][+-]?[0-9]+)?')"


def _valid(col: Column, ref: str) -> str | None:
    """SQL that is true when text ``ref`` converts to the column's type exactly (None: any text will do).

    A number the column cannot keep digit for digit is not valid: more
    decimal places than a DECIMAL's scale, more significant digits than a
    DOUBLE keeps, a value so small it would be stored as 0, a negative zero;
    and a DECIMAL is written without an exponent.
    """
    kind = _kind(col.data_type)
    cast = f"TRY_CAST({ref} AS {col.data_type}) IS NOT NULL"
    if kind == "integer":
        return f"(regexp_full_match({ref}, '{_INTEGER}') AND {cast})"
    if kind == "number":
        scale = _decimal_scale(col.data_type)
        if scale is not None:  # one expression, as most values pass: plain digits, at most ``scale`` decimals
            fraction = f"[0-9]{{0,{scale}}}0*" if scale else "0*"
            leading = f"[0-9]{{1,{scale}}}0*" if scale else "0+"
            return (f"(regexp_full_match({ref}, '[+-]?([0-9]+(\\.{fraction})?|\\.{leading})') AND {cast} "
                    f"AND (NOT starts_with({ref}, '-') OR regexp_matches({ref}, '[1-9]')))")  # not a negative zero
        exact = (f"NOT {_negative_zero(ref)} AND {_significant(ref)} <= {DOUBLE_DIGITS}"
                 f" AND (TRY_CAST({ref} AS DOUBLE) <> 0 OR NOT regexp_matches({ref}, '^[^eE]*[1-9]'))")
        return (f"(regexp_full_match({ref}, '{_NUMBER}') AND {cast} "
                f"AND isfinite(CAST(TRY_CAST({ref} AS {col.data_type}) AS DOUBLE)) AND {exact})")
    if kind == "date":
        return f"(regexp_full_match({ref}, '{_DATE}') AND NOT starts_with({ref}, '0000') AND {cast})"
    if kind == "boolean":
        return f"(lower({ref}) IN ('true', 'false'))"
    return None


def _type_message(col: Column, ref: str) -> str:
    """SQL for the message explaining why text ``ref`` is not of the column's type."""
    kind = _kind(col.data_type)
    found = f"'\"' || {ref} || '\"'"
    if kind == "integer":
        return (f"{found} || CASE WHEN regexp_full_match({ref}, '{_INTEGER}') "
                f"THEN ' is too large for a whole number' "
                f"ELSE ' is not a whole number; expected digits only, e.g. 12' END")
    if kind == "number":
        digits, scale = "", _decimal_scale(col.data_type)
        if scale is not None:
            precision = int(col.data_type[col.data_type.index("(") + 1:].split(",")[0])
            digits = f" (at most {precision - scale} digits before the decimal point)"
            exactness = (
                f"WHEN regexp_full_match({ref}, '{_NUMBER}') AND regexp_matches({ref}, '[eE]') "
                f"THEN ' is written with an exponent; write it as a plain decimal number, e.g. ' "
                f"|| CAST(TRY_CAST({ref} AS DOUBLE) AS VARCHAR) "
                f"WHEN regexp_full_match({ref}, '{_NUMBER}') AND {_decimals(ref)} > {scale} "
                f"THEN ' has ' || {_decimals(ref)} || ' decimal places; this column keeps {scale}, "
                f"and a value is never rounded on its way in' ")
        else:
            exactness = (
                f"WHEN regexp_full_match({ref}, '{_NUMBER}') AND {_significant(ref)} > {DOUBLE_DIGITS} "
                f"THEN ' has ' || {_significant(ref)} || ' significant digits; this column keeps "
                f"{DOUBLE_DIGITS}, and a value is never rounded on its way in' "
                f"WHEN regexp_full_match({ref}, '{_NUMBER}') AND TRY_CAST({ref} AS DOUBLE) = 0 "
                f"THEN ' is too small for this column: it would be stored as 0' ")
        return (f"{found} || CASE "
                f"WHEN {_negative_zero(ref)} THEN ' is a negative zero; write 0' "
                + exactness +
                f"WHEN regexp_full_match({ref}, '{_NUMBER}') THEN ' is too large for this column{digits}' "
                f"WHEN {ref} LIKE '%\\%%' ESCAPE '\\' THEN ' is not a number; drop the % sign "
                f"(percentages are stored as plain numbers, e.g. 12)' "
                f"WHEN regexp_full_match({ref}, '[+-]?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]+)?') "
                f"THEN ' is not a number; write it without thousands separators, e.g. ' || replace({ref}, ',', '') "
                f"ELSE ' is not a number; expected a plain decimal number such as 1000 or 0.4, "
                f"without units or separators' END")
    if kind == "date":
        return (f"{found} || CASE WHEN starts_with({ref}, '0000') "
                f"THEN ' is not a valid calendar date; years run from 0001' "
                f"WHEN regexp_full_match({ref}, '{_DATE}') "
                f"THEN ' is not a valid calendar date' "
                f"ELSE ' is not a date; expected YYYY-MM-DD, e.g. 2024-03-11' END")
    if kind == "boolean":
        return f"{found} || ' is not true or false'"
    raise ValueError(kind)


class UnreadableFile(Exception):
    """DuckDB's CSV reader gave up on the whole file; ``message`` says why, ``offset`` where if known."""

    def __init__(self, message: str, offset: int | None = None):
        super().__init__(message)
        self.message, self.offset = message, offset


def _unreadable_byte(path: Path, chunk_size: int = 1 << 20) -> tuple[str, int] | None:
    """The first byte DuckDB's CSV reader cannot cope with, read in chunks.

    That is a NUL, a CR not followed by LF, or a line ending unlike the
    first line's (one CRLF line in an LF file puts DuckDB's reader in a
    state it reports without a line).
    """
    offset = 0
    previous_cr = False
    crlf: bool | None = None  # how the first line ends
    with path.open("rb") as f:
        while chunk := f.read(chunk_size):
            if previous_cr and not chunk.startswith(b"\n"):
                return _STRAY_CR, offset - 1
            nul = chunk.find(b"\x00")
            stray = None
            if chunk.count(b"\r") != chunk.count(b"\r\n"):  # most files have no CR, or CRLF throughout
                stray = re.search(rb"\r(?!\n)", chunk[:-1] if chunk.endswith(b"\r") else chunk)
            hits = [(nul, _NUL)] if nul != -1 else []
            hits += [(stray.start(), _STRAY_CR)] if stray else []
            if crlf is None and (first := chunk.find(b"\n")) != -1:
                crlf = (chunk[first - 1:first] == b"\r") if first else previous_cr
            if crlf is False and (other := chunk.find(b"\r\n")) != -1:
                hits.append((other, _CRLF_IN_LF))
            elif crlf is True and (other := re.search(rb"(?<!\r)\n", chunk)) and other.start() > 0:
                hits.append((other.start(), _LF_IN_CRLF))
            if hits:
                position, message = min(hits)
                return message, offset + position
            previous_cr = chunk.endswith(b"\r")
            offset += len(chunk)
    return (_STRAY_CR, offset - 1) if previous_cr else None


_NUL = "line holds a NUL byte; is this a text file? Save it as UTF-8 CSV"
_CRLF_IN_LF = ("line ends with CRLF (\\r\\n) while the first line ends with LF (\\n); save the file with one kind of "
               "line ending")
_LF_IN_CRLF = ("line ends with LF (\\n) while the first line ends with CRLF (\\r\\n); save the file with one kind of "
               "line ending")
_STRAY_CR = ("line holds a carriage return (\\r) that does not end the line; "
             "save the file with LF or CRLF line endings")


def read(con: duckdb.DuckDBPyConnection, seeds_dir: Path, table: Table) -> None:
    """Read and type one seed file into ``staged.data``; ``views`` then shows it as ``staged.<table>``.

    Raises ``UnreadableFile`` when the file cannot be read as CSV at all.
    Rows DuckDB rejects are kept by DuckDB until ``rejects`` collects them.
    """
    path = seed_path(seeds_dir, table)
    bad = _unreadable_byte(path)
    if bad is not None:
        raise UnreadableFile(*bad)
    text = ", ".join(f"nullif(trim({q(c.name)}), '') AS {q(c.name)}" for c in table.columns)
    # Whether each value converts is worked out once, in an inner query, and read three times: for
    # _ok, for the typed value and for the text kept when it does not convert.
    checks, typed, ok, failed = [], [], [], []
    for col in table.columns:
        ref = q(col.name)
        valid = _valid(col, ref)
        value = ref
        if valid is not None:
            flag = q(f"{col.name} (converts)")
            checks.append(f"{valid} AS {flag}")
            value = f"CASE WHEN {flag} THEN CAST({ref} AS {col.data_type}) END"
            ok.append(f"({ref} IS NULL OR {flag})")
            failed.append(f"CASE WHEN NOT {flag} THEN {ref} END AS {q(_failed(col))}")
        if not col.nullable and col.default is None:
            ok.append(f"{ref} IS NOT NULL")
        if col.default is not None:
            value = f"coalesce({value}, {col.default})"
        typed.append(f"{value} AS {ref}")
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {_data(table)} AS "
            f"SELECT {' AND '.join(ok) or 'true'} AS _ok, {', '.join(typed + failed)} "
            f"FROM (SELECT *{''.join(', ' + c for c in checks)} FROM (SELECT {text} FROM read_csv($path, header = true, auto_detect = false, columns = $columns, "
            "delim = ',', quote = '\"', escape = '\"', store_rejects = true, ignore_errors = true, "
            f"max_line_size = {MAX_LINE})))",
            {"path": str(path), "columns": {c.name: "VARCHAR" for c in table.columns}},
        )
    except duckdb.Error as exc:
        reason = str(exc).split("\n")[0].split("Error: ", 1)[-1].rstrip(".")
        raise UnreadableFile(f"DuckDB's CSV reader cannot read this file: {reason}") from None


def views(con: duckdb.DuckDBPyConnection, tables: list[Table]) -> None:
    """``staged.<table>``: each read table with ``_row``, its position in the file, and ``_ok``.

    Insertion order is kept, so a row's rowid is its position among the rows read.
    """
    if tables:
        con.execute("\n".join(
            f"CREATE OR REPLACE VIEW staged.{q(t.name)} AS "
            f"SELECT rowid AS _row, _ok, {', '.join(q(c.name) for c in t.columns)} FROM {_data(t)};"
            for t in tables))


def rejects(con: duckdb.DuckDBPyConnection, seeds_dir: Path, tables: list[Table]) -> list[Problem]:
    """The rows DuckDB's CSV reader rejected while ``read``'s statements ran, as issues; then forgets them."""
    paths = {str(seed_path(seeds_dir, t)): t for t in tables}
    found = con.execute(
        """
        SELECT s.file_path, e.line_byte_position, any_value(e.error_type), any_value(e.error_message)
        FROM reject_errors AS e JOIN reject_scans AS s USING (scan_id, file_id)
        GROUP BY ALL
        ORDER BY ALL
        """
    ).fetchall()
    con.execute("DELETE FROM reject_errors; DELETE FROM reject_scans")
    return [in_seed_file(paths[path].name, _reject_message(error_type, message, len(paths[path].columns)),
                         offset=offset, rule="csv_row")
            for path, offset, error_type, message in found
            if path in paths and not _blank_line(Path(path), offset)]


def _blank_line(path: Path, offset: int) -> bool:
    """Whether the line at ``offset`` holds only spaces: DuckDB rejects it, a person sees an empty line."""
    with path.open("rb") as f:
        f.seek(offset)
        return not f.readline(MAX_LINE).strip()


def _data(table: Table) -> str:
    """The table holding a seed file's typed rows (``staged.<table>`` is a view of it)."""
    return f"staged.data.{q(table.name)}"


def _failed(col: Column) -> str:
    """The column keeping a column's values that did not convert; no schema column can be named so."""
    return f"{col.name} (as written)"


def _reject_message(error_type: str, message: str, width: int) -> str:
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        found = message.rsplit("Found:", 1)[-1].strip()
        return f"row has {found} fields; expected {width} (one per column of the header)"
    if error_type == "UNQUOTED VALUE":
        return ("unbalanced quotes: a quoted value is not closed (or a quote appears inside an unquoted value); "
                "the rest of the file cannot be read")
    if error_type == "INVALID ENCODING":
        return "line holds bytes that are not UTF-8; save the file as UTF-8"
    if error_type == "LINE SIZE OVER MAXIMUM":
        return "line is longer than 10,000,000 bytes"
    return f"row cannot be read: {message}"


def type_issues(con: duckdb.DuckDBPyConnection, tables: list[Table]) -> list[Problem]:
    """Values that do not convert to their column's type, and required values that are missing, in one query."""
    parts = []
    for table in tables:
        for col in table.columns:
            ref, typed = q(_failed(col)), _valid(col, q(col.name)) is not None
            if typed:
                parts.append(f"SELECT {literal(table.name)}, rowid, '{col.name}', 'type', {_type_message(col, ref)} "
                             f"FROM {_data(table)} WHERE {ref} IS NOT NULL")
            if not col.nullable and col.default is None:
                empty = f"{q(col.name)} IS NULL" + (f" AND {ref} IS NULL" if typed else "")
                parts.append(f"SELECT {literal(table.name)}, rowid, '{col.name}', 'required', "
                             f"'a value is required here, found an empty cell' FROM {_data(table)} WHERE {empty}")
    if not parts:
        return []
    return [in_seed_file(table, message, row=row, column=column, rule=rule)
            for table, row, column, rule, message in con.execute(" UNION ALL ".join(parts)).fetchall()]


def flag_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[int]) -> None:
    """Mark rows as already in error, so that the rules after this step leave them alone."""
    if rows:
        con.execute(f"UPDATE staged.data.{q(table)} SET _ok = false WHERE rowid IN (SELECT unnest($rows))",
                    {"rows": rows})
