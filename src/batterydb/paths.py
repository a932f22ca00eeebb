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


# Each takes the folder or file a caller was given, if any: every function that takes one says
# paths.schema_dir(schema_dir), and a caller who passes none gets the shipped one.

def schema_dir(given: Path | str | None = None) -> Path:
    """``given``, else the shipped DDL folder."""
    return Path(given) if given is not None else _shipped("schema")


def seeds_dir(given: Path | str | None = None) -> Path:
    """``given``, else the shipped seed folder."""
    return Path(given) if given is not None else _shipped("seeds")


def queries_dir(given: Path | str | None = None) -> Path:
    """``given``, else the shipped named-query folder."""
    return Path(given) if given is not None else _shipped("queries")


def engine_functions(dialect: str, schema: Path | str | None = None) -> Path:
    """``schema/<dialect>/functions.sql`` (of the DDL folder given, else the shipped one): what a query
    carried to that engine calls beyond the engine's own functions."""
    return schema_dir(schema) / dialect / "functions.sql"


def default_database(given: Path | str | None = None) -> Path:
    """``given``, else ``$BATTERYDB_DATABASE`` when set, else ``build/batterydb.duckdb`` under the current directory."""
    return Path(given) if given is not None else Path(os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE)
