"""What killed processes leave beside a database file, and clearing it away.

A build writes ``.<name>.<pid>.<random>.tmp`` and renames it into place; a
trusted session lets DuckDB spill into ``<name>.<pid>.tmp``. Both carry the
writing process's id, so that the next build or open can tell the files of a
process that has died (and delete them) from those of one still running.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def build_temporary(out: Path, token: str) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}.{token}.tmp")


def spill_folder(path: Path) -> Path:
    """Where DuckDB may spill for this process (it creates the folder when it first spills, and removes it)."""
    return path.with_name(f"{path.name}.{os.getpid()}.tmp")


def remove(path: Path) -> None:
    """Delete the build temporaries and spill folders of dead processes beside ``path``."""
    if not path.parent.is_dir():
        return
    for leftover in path.parent.glob(f".{path.name}.*.tmp*"):
        _remove_if_dead(leftover, leftover.name[len(path.name) + 2:].split(".", 1)[0])
    for leftover in path.parent.glob(f"{path.name}.*.tmp"):
        _remove_if_dead(leftover, leftover.name[len(path.name) + 1:-len(".tmp")])


def _remove_if_dead(leftover: Path, pid: str) -> None:
    if not pid.isdigit() or _alive(int(pid)):
        return
    if leftover.is_dir() and not leftover.is_symlink():
        shutil.rmtree(leftover, ignore_errors=True)
    else:
        leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
