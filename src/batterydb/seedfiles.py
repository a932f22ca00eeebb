"""The seed folder as files: which ones must exist, their headers, and line numbers.

Everything about rows happens in DuckDB (see ``staging``). What stays here is
what DuckDB cannot tell: whether the right files are present, whether a
header names the right columns, and, only for files that have problems, on
which physical line each row starts, so that a problem can be reported where
a spreadsheet or an editor shows it.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import re
from pathlib import Path

from .errors import ERROR, Problem
from .schema import Table


def seed_path(seeds_dir: Path, table: Table) -> Path:
    return Path(seeds_dir) / f"{table.name}.csv"


def check_files(seeds_dir: Path, tables: list[Table]) -> tuple[list[Problem], list[Table]]:
    """File-level problems, and the tables whose files can be loaded."""
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        return [Problem(str(seeds_dir), None, None, "seed folder not found")], []
    problems: list[Problem] = []
    loadable: list[Table] = []
    expected = {f"{t.name}.csv" for t in tables}
    for extra in sorted(p.name for p in seeds_dir.iterdir() if p.suffix.lower() == ".csv" and p.name not in expected):
        close = difflib.get_close_matches(extra, expected, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        problems.append(Problem(str(seeds_dir / extra), None, None,
                                f"unexpected seed file: the schema has no table {Path(extra).stem}{hint}"))
    for table in tables:
        path = seed_path(seeds_dir, table)
        if not path.is_file():
            if path.is_dir():
                what = "is a folder, not a file"
            elif path.exists():
                what = "is not a regular file (a FIFO, a socket or a device), so it is not read"
            else:
                what = "seed file missing"
            problems.append(Problem(str(path), None, None,
                                    f"{what}; table {table.name} needs a seed file, with the header "
                                    + ",".join(table.column_names)))
            continue
        header_problems = check_header(path, table)
        problems.extend(header_problems)
        if not header_problems:
            loadable.append(table)
    return problems, loadable


def read_header(path: Path) -> list[str] | None:
    """The header's field names (stripped), or None for an empty file."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        header = next(csv.reader(f), None)
    return None if header is None else [h.strip() for h in header]


#: Byte-order marks of encodings that are not UTF-8, as a spreadsheet may save them.
_OTHER_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
               b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


def check_header(path: Path, table: Table) -> list[Problem]:
    """Problems with the header line: each missing, extra, misspelt or moved column."""
    expected = table.column_names
    with path.open("rb") as f:
        start = f.read(4)
    encoding = next((name for bom, name in _OTHER_BOMS.items() if start.startswith(bom)), None)
    if encoding is None and len(start) >= 2 and b"\x00" in start[:2]:
        encoding = "UTF-16"
    if encoding is not None:
        return [Problem(str(path), None, None, f"file is {encoding}, not UTF-8; save it as UTF-8 (in a "
                                               "spreadsheet: CSV UTF-8)")]
    if start.lstrip(b"\xef\xbb\xbf")[:1] in (b"\n", b"\r"):
        return [Problem(str(path), 1, None, "line 1 is blank; the header must be the first line: "
                                            + ",".join(expected))]
    header = read_header(path)
    if header is None:
        return [Problem(str(path), 1, None, "file is empty; expected the header " + ",".join(expected))]
    if header == expected:
        return []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    parts = []
    for name in extra:
        close = difflib.get_close_matches(name, missing, n=1)
        if close:
            parts.append(f"column {name!r} should be {close[0]!r}")
            missing.remove(close[0])
        else:
            parts.append(f"unexpected column {name!r}")
    parts += [f"missing column {name!r}" for name in missing]
    if not parts:
        parts.append("columns in the wrong order: found " + ",".join(header))
    elif len(header) == 1 and ";" in header[0]:
        parts.append("the file seems to be separated by semicolons; save it with commas")
    return [Problem(str(path), 1, None,
                    "header does not match table " + table.name + ": " + "; ".join(parts)
                    + "; expected " + ",".join(expected))]


class LineMap:
    """Physical line numbers of a file's records, built only for files with problems.

    DuckDB numbers rows, not lines: a quoted value can span lines, and blank
    lines are skipped. This reads the file once with Python's CSV reader
    (which splits records the same way) to find where each record starts;
    records DuckDB rejected (known by their byte offset) are left out, so
    that the n-th entry is the n-th row DuckDB accepted.

    Most large files need no reading of records: when DuckDB accepted
    ``rows`` rows and the file has exactly one line more (its header), no
    record spans two lines and no line was skipped, since either would
    make the file longer; row n is then on line n + 2.
    """

    def __init__(self, path: Path, rejected_offsets: list[int], rows: int | None = None):
        self._data = path.read_bytes()
        self._newlines: list[int] | None = None
        rejected = {self.byte_line(offset) for offset in rejected_offsets}
        self._rows: int | None = None
        lines = self._data.count(b"\n") + (not self._data.endswith(b"\n"))
        one_line_each = rows is not None and lines == rows + 1
        if not rejected and (one_line_each or b'"' not in self._data and not _BLANK_LINE.search(self._data)):
            self._rows = lines - 1
            return
        self._row_starts: list[int] = []
        csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE))  # a long field must not end the count
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
            reader = csv.reader(f)
            line = 1
            try:
                for record in reader:
                    start, line = line, reader.line_num + 1
                    blank = not record or (len(record) == 1 and not record[0].strip())  # DuckDB skips those
                    if not blank and start != 1 and start not in rejected:
                        self._row_starts.append(start)
            except csv.Error:
                pass  # an unterminated quote: DuckDB has reported it, and kept no row after it

    def row_line(self, row: int) -> int | None:
        """Line on which accepted row ``row`` (0-based, in file order) starts."""
        if self._rows is not None:
            return row + 2 if 0 <= row < self._rows else None
        return self._row_starts[row] if 0 <= row < len(self._row_starts) else None

    def byte_line(self, offset: int) -> int:
        """Line holding the byte at ``offset`` (0-based) of the file."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer(b"\n", self._data)]
        return bisect.bisect_left(self._newlines, offset) + 1


#: The longest line DuckDB's reader is told to take (``staging.load``).
MAX_LINE = 10_000_000

#: A line holding nothing but spaces, which DuckDB's reader skips.
_BLANK_LINE = re.compile(rb"(?:^|\n)[ \t]*\r?\n")


__all__ = ["LineMap", "check_files", "check_header", "read_header", "seed_path", "ERROR"]
