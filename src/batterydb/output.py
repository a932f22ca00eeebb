"""Writing query results for people (aligned text) and for programs (CSV, JSON)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from .database import Result

FORMATS = ("table", "csv", "json")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def write(result: Result, fmt: str = "table", out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_cell(v) for v in row] for row in result.rows())
    elif fmt == "json":
        json.dump(result.records(), out, default=_json_default, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(table(result))


#: Longest cell shown in a table; longer text is cut with an ellipsis (CSV and JSON keep it whole).
MAX_CELL = 60


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "\u2026"


def table(result: Result) -> str:
    """An aligned plain-text table, numbers right-aligned, long text clipped."""
    rows = [[_clip(_cell(v)) for v in row] for row in result.rows()]
    numeric = [
        all(isinstance(row[i], (int, float, Decimal)) or row[i] is None for row in result.rows())
        for i in range(len(result.columns))
    ]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)
        ).rstrip()

    parts = [line(result.columns), line(["-" * w for w in widths])]
    parts += [line(r) for r in rows]
    parts.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(parts) + "\n"


def _json_default(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
