"""Exceptions batterydb raises for the user's own mistakes.

Every error a user can cause by editing seeds, passing a wrong path or naming
a query that does not exist is one of these, with a message written for that
user; the command line prints the message and exits non-zero instead of
showing a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class BatterydbError(Exception):
    """Base class of every error batterydb reports to its user."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a seed file, located as a spreadsheet user sees it.

    ``line`` counts from 1 with the header as line 1; ``line`` and ``column``
    are None when the problem concerns the whole file.
    """

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class SeedError(BatterydbError):
    """The seed files cannot be loaded; ``problems`` lists what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or ""))
        super().__init__("\n".join(str(p) for p in self.problems))


class SchemaError(BatterydbError):
    """A DDL file in the schema directory does not apply."""


class DatabaseNotFound(BatterydbError):
    """The database file asked for does not exist and cannot be built."""


class QueryError(BatterydbError):
    """A named query is unknown, malformed, or failed when run."""
