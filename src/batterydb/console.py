"""The DuckDB command-line client on a batterydb file: finding it, and the command that opens it.

``batterydb shell`` replaces itself with this command; a Python user can run
it with ``subprocess`` just as well.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

from .errors import BatterydbError


def duckdb_binary() -> str | None:
    """The DuckDB CLI executable: the one the duckdb-cli package bundles, else one on PATH.

    The package's own ``duckdb`` launcher adds a ``SET`` command of its own at
    start-up, which DuckDB's safe mode refuses, so its bundled binary is run
    directly.
    """
    spec = importlib.util.find_spec("duckdb_cli")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "duckdb"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    return shutil.which("duckdb") or shutil.which("duckdb", path=str(Path(sys.executable).parent))


def require_binary() -> str:
    """``duckdb_binary()``, or an error that says how to install it."""
    binary = duckdb_binary()
    if binary is None:
        raise BatterydbError("the DuckDB command-line client is not installed; "
                             "install it with: pip install 'batterydb[cli]' (or pip install duckdb-cli)")
    return binary


def shell_command(binary: str, path: Path, safe: bool = False) -> list[str]:
    """The DuckDB CLI ``binary`` opening ``path`` read-only (``safe``: in DuckDB's safe mode too), as argv."""
    return [binary, "-readonly"] + (["-safe"] if safe else []) + [str(path)]
