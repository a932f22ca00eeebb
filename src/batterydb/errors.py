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


def first_line(exc: BaseException) -> str:
    """The first line of an engine's error: DuckDB, PostgreSQL and Spark put context (and Spark a stack) below it."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem found in a seed file or a named query, located as its author sees it.

    ``line`` counts physical lines from 1, the header (or first line) being
    line 1; ``line`` is None when the problem concerns the whole file,
    ``column`` (a column name) when it concerns a whole row. ``severity`` is
    ``"error"`` (the build refuses the seeds) or ``"warning"`` (reported, the
    build goes on). ``rule`` names the rule that found it (``foreign_key``,
    ``type``, a rule file's name such as ``stakes_below_100``, ``lint``),
    when one did; the command line groups problems by it.

    A check that reads the staged rows knows a row's position, not its
    line: it gives ``row`` (the position among the rows DuckDB read) or, for
    a line DuckDB could not read, ``offset`` (its byte offset), with
    ``file`` the seed file's name; ``validate`` counts the lines of the
    files that have problems and gives back located problems, with the
    file's path and neither ``row`` nor ``offset``.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = ERROR
    rule: str | None = None
    row: int | None = None
    offset: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        """``file:line:column``, as far as it is known."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or "", self.message)

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


def in_seed_file(table: str, message: str, *, row: int | None = None, offset: int | None = None,
                 column: str | None = None, severity: str = ERROR, rule: str | None = None) -> Problem:
    """A problem in the seed file of ``table``, at a staged row or byte offset, before its line is known."""
    return Problem(f"{table}.csv", None, column, message, severity, rule, row=row, offset=offset)


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


class RuleError(BatterydbError):
    """A seed rule file (``rules/*.sql``) says something its loader cannot do."""


class DialectError(BatterydbError, ValueError):
    """A target engine batterydb does not describe (``dialects``); a ValueError too, as it was."""


class DatabaseNotFound(BatterydbError):
    """The database file asked for does not exist and cannot be built."""


class QueryError(BatterydbError):
    """A named query is unknown, malformed, or failed when run."""


class GenerateError(BatterydbError):
    """``generate`` was asked for an impossible size or seed, or to write into a folder it cannot use."""
