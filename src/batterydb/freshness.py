"""When a database file is built or rebuilt before it is read: the one policy that connect() and the CLI follow.

Only the default location is built when missing: a path that was given and
does not exist is an error, since a mistyped path must not answer from the
shipped data. A file built from the caller's folders is rebuilt from them
when one of their files has changed since (``inputs.changes``); a file built
from other folders is read as it is, and the folders recorded inside a file
are never read from. Each build or rebuild is logged (logger ``batterydb``,
level WARNING). The write path (``builder``) is imported only when a build
is due, so that reading a current file never loads it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import inputs
from .errors import DatabaseNotFound

log = logging.getLogger("batterydb")


def ensure_current(path: Path, folders: dict[str, Path], *, explicit: bool, may_build: bool = True) -> None:
    """Build ``path`` from ``folders`` when it is missing (only at the default location) or out of date.

    ``explicit`` says the caller named ``path``; ``may_build`` False (an
    untrusted session) never builds, and a missing file is then an error.
    """
    if not path.exists():
        if explicit or not may_build:
            raise missing(path)
        log.warning("building %s from %s", path, folders["seeds"])
        _build(path, folders)
    elif may_build:
        changed = inputs.changes(path, folders)
        if changed:
            log.warning("rebuilding %s: %s", path, ", ".join(changed[:5])
                        + (f" and {len(changed) - 5} more" if len(changed) > 5 else ""))
            _build(path, folders)


def missing(path: Path) -> DatabaseNotFound:
    """The error for a file that is not there and is not built here: it says how to build it."""
    return DatabaseNotFound(f"{path}: no database file here; build one with: batterydb build --out {path}")


def _build(path: Path, folders: dict[str, Path]) -> None:
    from . import builder  # the write path, loaded only when a build is due

    builder.build(out=path, seeds=folders["seeds"], schema_dir=folders["schema"], queries=folders["queries"])
