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


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem found in a seed file, located as a spreadsheet user sees it.

    ``line`` counts physical lines from 1, the header being line 1; ``line``
    is None when the problem concerns the whole file, ``column`` (a column
    name) when it concerns a whole row. ``severity`` is ``"error"`` (the
    build refuses the seeds) or ``"warning"`` (reported, the build goes on).
    ``rule`` names the rule that found it (``foreign_key``, ``type``, a rule
    file's name such as ``stakes_below_100``), when one did; the command line
    groups problems by it.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = ERROR
    rule: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or "", self.message)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """By file, then line, then column: the order a user fixes them in."""
    return sorted(problems, key=Problem.sort_key)


class SeedError(BatterydbError):
    """The seeds hold errors; ``problems`` lists every problem found (warnings too)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sort_problems(problems)
        self.errors = [p for p in self.problems if p.is_error]
        self.warnings = [p for p in self.problems if not p.is_error]
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(BatterydbError):
    """The build cannot write where it was asked to."""


class SchemaError(BatterydbError):
    """A DDL file in the schema directory does not apply."""


class DatabaseNotFound(BatterydbError):
    """The database file asked for does not exist and cannot be built."""


class QueryError(BatterydbError):
    """A named query is unknown, malformed, or failed when run."""


class GenerateError(BatterydbError):
    """``generate`` was asked for an impossible size or seed, or to write into a folder it cannot use."""
