"""Writing identifiers and batterydb's own text into SQL.

Values from seed files and from users always travel as bound parameters.
What goes through here is text DuckDB cannot take as a parameter: names
from its catalog, and comments and titles from batterydb's own DDL and
query files (``COMMENT ON ... IS`` accepts only a literal).
"""

from __future__ import annotations


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def spark_name(name: str) -> str:
    """A quoted Spark SQL identifier."""
    return "`" + name.replace("`", "``") + "`"


def spark_literal(text: str) -> str:
    """A Spark SQL string literal: Spark reads a backslash in one as an escape, so it is escaped too."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
