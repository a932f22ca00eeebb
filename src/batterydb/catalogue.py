"""The named queries in ``queries/``: one question per ``.sql`` file.

A file starts with a block of ``-- key: value`` comment lines (title and
question, for now); the query's name is the file's stem. Reading the header
needs no SQL parser, and the file stays an ordinary SQL file that any editor
or console can open and run.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import QueryError

_HEADER_LINE = re.compile(r"--\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*\S)\s*$")
REQUIRED_KEYS = ("title", "question")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    question: str
    sql: str
    path: Path


def parse(path: Path) -> NamedQuery:
    """Read one query file; a missing title or question is a ``QueryError`` naming the file."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        match = _HEADER_LINE.match(line)
        if match:
            meta[match["key"]] = match["value"]
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise QueryError(f"{path}:1: header lacks {', '.join(missing)}; "
                         "start the file with '-- title: ...' and '-- question: ...' lines")
    return NamedQuery(path.stem, meta["title"], meta["question"], text, path)


def load(queries_dir: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in the folder (default: the shipped one), by name."""
    folder = Path(queries_dir) if queries_dir is not None else paths.queries_dir()
    return {q.name: q for q in (parse(p) for p in sorted(folder.glob("*.sql")))}


def find(catalogue: dict[str, NamedQuery], name: str) -> NamedQuery:
    """The query called ``name``, or a ``QueryError`` suggesting the closest names."""
    try:
        return catalogue[name]
    except KeyError:
        close = difflib.get_close_matches(name, catalogue, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known queries: {', '.join(sorted(catalogue))}"
        raise QueryError(f"no query named {name!r}{hint}") from None
