"""Writing results for people (a table that fits the terminal, Markdown) and for programs (CSV, JSON, Parquet).

CSV, JSON, JSON Lines and Parquet are DuckDB's own writers, run over the
result DuckDB already holds (see ``database.Result``), so every value comes
out as DuckDB writes it: a DECIMAL with all its digits, a DOUBLE as the
shortest text that reads back to the same number, dates as ISO, JSON numbers
as numbers and NULL as null. In CSV a NULL is an empty field and an empty
string is ``""``. The terminal table is DuckDB's own renderer. Only Markdown,
which DuckDB does not write, is written here.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import IO

from .database import Result
from .errors import BatterydbError

FORMATS = ("table", "csv", "json", "jsonl", "markdown", "parquet")

#: DuckDB's COPY options for each format it writes.
COPY_OPTIONS = {
    "csv": "FORMAT csv, HEADER true",
    "json": "FORMAT json, ARRAY true",
    "jsonl": "FORMAT json",
    "parquet": "FORMAT parquet",
}

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = "=+-@\t\r"

#: The widest a table grows with ``full_width`` (DuckDB's renderer needs a number).
_UNLIMITED = 1_000_000


def default_format(output: Path | None, stream: IO[str]) -> str:
    """An aligned table for a person at a terminal, CSV for a pipe or a file."""
    return "table" if output is None and stream.isatty() else "csv"


def write(result: Result, fmt: str, output: Path | None = None, stream: IO[str] | None = None, *,
          full_width: bool = False, neutralise_formulas: bool = False) -> None:
    """Write ``result`` as ``fmt`` to the file ``output``, or else to ``stream`` (stdout).

    ``neutralise_formulas`` prefixes text cells that a spreadsheet would run
    as a formula with ``'`` (CSV only), which changes those values.
    """
    if neutralise_formulas and fmt != "csv":
        raise BatterydbError("--neutralise-formulas applies to CSV output only")
    if output is not None:
        _writable(Path(output))
    select = _neutralised(result) if neutralise_formulas else "*"
    stream = stream or sys.stdout
    if fmt in COPY_OPTIONS:
        if output is not None:
            result.copy_to(output, COPY_OPTIONS[fmt], select)
        elif fmt == "parquet" and stream.isatty():
            raise BatterydbError("--format parquet writes binary data: give it a file with --output FILE, "
                                 "or pipe it into another program")
        else:
            _copy_to_stream(result, fmt, select, stream)
        return
    text = markdown(result) if fmt == "markdown" else table(result, full_width)
    if output is None:
        stream.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as exc:
        raise BatterydbError(f"{output}: cannot write here: {exc.strerror}") from None


def _writable(output: Path) -> None:
    """Refuse, before any work, an output path that names a folder or lies in one that does not exist."""
    if output.is_dir():
        raise BatterydbError(f"{output}: cannot write here: it is a folder")
    if not output.parent.is_dir():
        raise BatterydbError(f"{output}: cannot write here: there is no folder {output.parent}")


def _copy_to_stream(result: Result, fmt: str, select: str, stream: IO[str]) -> None:
    """DuckDB writes straight into stdout, so that the first rows arrive while it writes the rest.

    It opens the path it is given (``/dev/fd/N``) and truncates it, which is
    right for a pipe, a terminal and a file ``>`` has just opened, but would
    wipe a file ``>>`` appends to, or one already written to. Into those, and
    into a stream with no file descriptor, it writes a temporary file, copied
    over in blocks.
    """
    stream.flush()
    fd = _descriptor(stream)
    if fd is not None and _fresh_output(fd):
        result.copy_to(f"/dev/fd/{fd}", COPY_OPTIONS[fmt] + ", USE_TMP_FILE false", select)
        return
    with tempfile.TemporaryDirectory(prefix="batterydb-") as tmp:
        path = Path(tmp) / f"answer.{fmt}"
        result.copy_to(path, COPY_OPTIONS[fmt], select)
        with path.open("rb") as f:
            target = getattr(stream, "buffer", None)
            if target is not None:
                shutil.copyfileobj(f, target)
                target.flush()
            else:  # a text-only stream (a test's capture, an IDE's console)
                stream.write(f.read().decode("utf-8"))
    stream.flush()


def _fresh_output(fd: int) -> bool:
    """A pipe or a terminal, or an empty file opened without O_APPEND: DuckDB may open it anew and write."""
    mode = os.fstat(fd)
    if stat.S_ISFIFO(mode.st_mode) or stat.S_ISCHR(mode.st_mode):
        return True
    return (stat.S_ISREG(mode.st_mode) and mode.st_size == 0 and os.lseek(fd, 0, os.SEEK_CUR) == 0
            and not fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND)


def _descriptor(stream: IO[str]) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _neutralised(result: Result) -> str:
    """A select list that prefixes ``'`` to text cells starting like a formula."""
    from .sqltext import literal, q

    starts = literal("^[" + FORMULA_STARTS.replace("-", "\\-") + "]")
    return ", ".join(
        f"CASE WHEN regexp_matches({q(name)}, {starts}) THEN '''' || {q(name)} ELSE {q(name)} END AS {q(name)}"
        if kind == "VARCHAR" else q(name)
        for name, kind in zip(result.columns, result.types))


def table(result: Result, full_width: bool = False) -> str:
    """DuckDB's own table: as wide as the terminal (columns that do not fit are elided), NULL shown as NULL."""
    if not result.columns:
        return "(no result)\n"
    width = _UNLIMITED if full_width else shutil.get_terminal_size().columns
    with contextlib.redirect_stdout(_Capture()) as shown:
        result.show(max_width=width, max_rows=max(len(result), 1), max_col_width=_UNLIMITED if full_width else None)
    return shown.getvalue().rstrip("\n") + "\n"


class _Capture:
    """What DuckDB's renderer prints, kept as text."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def getvalue(self) -> str:
        return "".join(self._parts)


def markdown(result: Result) -> str:
    """A GitHub-flavoured Markdown table (pipes in values escaped), NULL shown as NULL.

    DuckDB writes no Markdown, so this is batterydb's own; values are written
    as DuckDB's CSV writer writes them, so no digit is lost.
    """
    numeric = [kind.startswith(("DECIMAL", "DOUBLE", "FLOAT", "REAL")) or kind in _INTEGERS for kind in result.types]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    parts = [line(result.columns), "|" + "|".join(" ---: " if n else " --- " for n in numeric) + "|"]
    parts += [line([_cell(v) for v in row]) for row in result.rows()]
    return "\n".join(parts) + "\n"


_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
             "UHUGEINT"}


def _cell(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back to the same double
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)  # a Decimal with every digit of its scale
