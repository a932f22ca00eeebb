"""The sources an answer rests on, labelled for a person: the line ``batterydb query --sources`` prints.

Every named query returns ``source_id``, or ``source_ids`` (joined with
``', '``) where a row adds several facts up; ``sources.sql`` beside this
module says what each of them is.
"""

from __future__ import annotations

from pathlib import Path

from .database import Database, Result

LABELS_SQL = (Path(__file__).resolve().parent / "sources.sql").read_text(encoding="utf-8")


def cited(result: Result) -> list[str]:
    """The distinct source ids in the result's ``source_id`` or ``source_ids`` column, sorted."""
    found: set[str] = set()
    for column in ("source_id", "source_ids"):
        if column in result.columns:
            index = result.columns.index(column)
            found.update(s for row in result.rows() if row[index] for s in str(row[index]).split(", "))
    return sorted(found)


def line(db: Database, result: Result) -> str:
    """``sources: <id> (<label>), ...`` for the sources of ``result``; ``sources: none`` when it cites none."""
    ids = cited(result)
    labels = db.sql(LABELS_SQL, {"source_ids": ids}).rows() if ids else []
    return "sources: " + (", ".join(f"{source} ({label})" for source, label in labels) or "none")
