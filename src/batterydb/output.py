"""Writing results for people (an aligned table, Markdown) and for programs (CSV, JSON, Parquet)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from .database import Result
from .errors import BatterydbError

FORMATS = ("table", "csv", "json", "jsonl", "markdown", "parquet")

#: Longest cell shown in a table; longer text is cut with an ellipsis (other formats keep it whole).
MAX_CELL = 60


def default_format(output: Path | None, stream: IO[str]) -> str:
    """An aligned table for a person at a terminal, CSV for a pipe or a file."""
    return "table" if output is None and stream.isatty() else "csv"


def write(result: Result, fmt: str, output: Path | None = None, stream: IO[str] | None = None) -> None:
    """Write ``result`` as ``fmt`` to the file ``output``, or else to ``stream`` (stdout)."""
    if fmt == "parquet":
        if output is None:
            raise BatterydbError("--format parquet writes a binary file: give it one with --output FILE")
        result.write_parquet(output)
        return
    if output is not None:
        try:
            f = open(output, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise BatterydbError(f"{output}: cannot write here: {exc.strerror}") from None
        with f:
            _write_text(result, fmt, f)
    else:
        _write_text(result, fmt, stream or sys.stdout)


def _write_text(result: Result, fmt: str, out: IO[str]) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_cell(v) for v in row] for row in result.rows())
    elif fmt == "json":
        json.dump(result.records(), out, default=_json_default, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "jsonl":
        for record in result.records():
            out.write(json.dumps(record, default=_json_default, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        out.write(markdown(result))
    else:
        out.write(table(result))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _numeric(result: Result) -> list[bool]:
    return [all(isinstance(row[i], (int, float, Decimal)) or row[i] is None for row in result.rows())
            for i in range(len(result.columns))]


def _clip(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "\u2026"


def table(result: Result) -> str:
    """An aligned plain-text table, numbers right-aligned, long text clipped."""
    rows = [[_clip(_cell(v)) for v in row] for row in result.rows()]
    numeric = _numeric(result)
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)
        ).rstrip()

    parts = [line(result.columns), line(["-" * w for w in widths])]
    parts += [line(r) for r in rows]
    parts.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(parts) + "\n"


def markdown(result: Result) -> str:
    """A GitHub-flavoured Markdown table (pipes in values escaped)."""
    numeric = _numeric(result)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    parts = [line(result.columns), "|" + "|".join(" ---: " if n else " --- " for n in numeric) + "|"]
    parts += [line([_cell(v) for v in row]) for row in result.rows()]
    return "\n".join(parts) + "\n"


def _json_default(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
