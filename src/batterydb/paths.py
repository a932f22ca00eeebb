"""Where the shipped schema, seeds and queries live, and where the database goes.

An installed wheel carries the three folders inside the package (under
``_data``); a source checkout (or an editable install) has them at the top of
the repository. Either way the rest of the code asks this module, so it never
needs to know how batterydb was installed.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

#: Environment variable that overrides the default database location.
DATABASE_ENV = "BATTERYDB_DATABASE"

#: Default database location, relative to the current directory.
DEFAULT_DATABASE = Path("build") / "batterydb.duckdb"


def _shipped(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / name


def schema_dir() -> Path:
    """The shipped DDL folder."""
    return _shipped("schema")


def seeds_dir() -> Path:
    """The shipped seed folder."""
    return _shipped("seeds")


def queries_dir() -> Path:
    """The shipped named-query folder."""
    return _shipped("queries")


def default_database() -> Path:
    """``$BATTERYDB_DATABASE`` when set, else ``build/batterydb.duckdb`` under the current directory."""
    return Path(os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE)
