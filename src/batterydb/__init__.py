"""batterydb: an analytical DuckDB database of the electric-vehicle battery industry."""

from .builder import BuildResult, build
from .database import Database, Result, connect
from .errors import (
    BatterydbError,
    BuildError,
    DatabaseNotFound,
    GenerateError,
    Problem,
    QueryError,
    SchemaError,
    SeedError,
)
from .generate import generate
from .validate import check
from .version import __version__

__all__ = [
    "BatterydbError",
    "BuildError",
    "BuildResult",
    "Database",
    "DatabaseNotFound",
    "GenerateError",
    "Problem",
    "QueryError",
    "Result",
    "SchemaError",
    "SeedError",
    "__version__",
    "build",
    "check",
    "connect",
    "generate",
]
