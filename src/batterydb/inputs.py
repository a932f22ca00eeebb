"""What a build read, recorded in the file, so that a stale database can be told from a current one.

Each input file is recorded with its size, modification time and SHA-256,
taken before the build reads it: a seed edited while a build runs, or an
older copy put back with ``cp -p`` (an older modification time, not a newer
one), still differs from the record. The hash is computed again only for a
file whose size or time differs, so that opening a current database costs a
``stat`` per input.

The folders recorded in the file are compared with the caller's, never used
to decide what to read: a file that names other folders is simply not the
caller's build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

#: The files each input folder contributes to a build.
PATTERNS = {"schema": "*.sql", "seeds": "*.csv", "queries": "*.sql"}



@dataclass(frozen=True)
class Input:
    folder: str
    name: str
    size: int
    mtime_ns: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _files(folders: dict[str, Path]) -> dict[tuple[str, str], Path]:
    return {(role, p.name): p for role, folder in folders.items() if folder.is_dir()
            for p in sorted(folder.glob(PATTERNS[role])) if p.is_file()}


def snapshot(folders: dict[str, Path]) -> list[Input]:
    """Every input file as it is now (call it before reading them)."""
    found = []
    for (role, name), p in _files(folders).items():
        st = p.stat()
        found.append(Input(role, name, st.st_size, st.st_mtime_ns, _sha256(p)))
    return found


def record(con: duckdb.DuckDBPyConnection, found: list[Input]) -> None:
    con.executemany("INSERT INTO meta.inputs VALUES (?, ?, ?, ?, ?)",
                    [(i.folder, i.name, i.size, i.mtime_ns, i.sha256) for i in found])


def changes(path: Path, folders: dict[str, Path]) -> list[str] | None:
    """What changed in ``folders`` since the build of ``path``, or None when ``path`` was not built from them.

    An empty list means the file is current. ``folders`` maps schema, seeds
    and queries to the caller's folders; meta.build says which folders the
    file was built from.
    """
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            built_from = con.execute("SELECT schema_dir, seeds_dir, queries_dir FROM meta.build").fetchall()[0]
            recorded = [Input(*row) for row in con.execute("SELECT * FROM meta.inputs").fetchall()]
    except (duckdb.Error, IndexError):  # not a batterydb build, or one from before meta.inputs: not the caller's
        return None
    if list(built_from) != [str(folders[role].resolve()) for role in ("schema", "seeds", "queries")]:
        return None
    before = {(i.folder, i.name): i for i in recorded}
    now = _files(folders)
    changed = [f"{role}/{name} is new" for role, name in sorted(now.keys() - before.keys())]
    changed += [f"{role}/{name} was removed" for role, name in sorted(before.keys() - now.keys())]
    for key in sorted(now.keys() & before.keys()):
        old, st = before[key], now[key].stat()
        if (st.st_size, st.st_mtime_ns) != (old.size, old.mtime_ns) and _sha256(now[key]) != old.sha256:
            changed.append(f"{key[0]}/{key[1]} changed")
    return changed
