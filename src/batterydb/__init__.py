"""batterydb: an analytical DuckDB database of the electric-vehicle battery industry."""

__version__ = "0.1.0"

from .builder import BuildResult, build  # noqa: E402
from .database import Database, Result, connect  # noqa: E402
from .generate import generate  # noqa: E402
from .validate import check  # noqa: E402
from .errors import (  # noqa: E402
    BatterydbError,
    BuildError,
    DatabaseNotFound,
    GenerateError,
    Problem,
    QueryError,
    SchemaError,
    SeedError,
)

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
    "build",
    "check",
    "connect",
    "generate",
]
