"""The SQL engines batterydb carries its named queries to: one description each.

``transpile`` reads these to decide what carries and how, and the CLI to
offer ``--dialect``; adding an engine is one entry in ``DIALECTS``. This
module does not import sqlglot, which the CLI loads only for the commands
that use it: constructs are named by sqlglot's expression classes (in
``sqlglot.exp``), and rewrites and checks by their names in ``transpile``
(``transpile.REWRITES``, ``transpile.CHECKS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DialectError

_NO_LISTS = "has no list (array) type"


@dataclass(frozen=True)
class Dialect:
    """What one engine lacks, what stands in for it, and what its copy of batterydb defines."""

    #: sqlglot's name for the dialect, which ``--dialect`` takes.
    name: str
    #: Constructs sqlglot passes through although the engine lacks them: (sqlglot expression class, reason).
    lacks: tuple[tuple[str, str], ...] = ()
    #: transpile's rewrites, in order: where sqlglot writes what the engine lacks and it has another way.
    rewrites: tuple[str, ...] = ()
    #: transpile's checks of what the engine reads otherwise than DuckDB, beyond ``lacks``.
    checks: tuple[str, ...] = ()
    #: Macros and DuckDB functions a published or exported copy defines (``schema/<name>/functions.sql``).
    defines: frozenset[str] = frozenset()
    #: Whether it reads DuckDB's GROUP BY ALL.
    groups_by_all: bool = False
    #: Whether it takes COMMENT ON.
    comments: bool = True
    #: Whether its tables keep the DDL's CHECK constraints (which use DuckDB functions some engines lack).
    checks_constraints: bool = False
    #: Whether a SQL function's body reads its parameters in subqueries (else from a CTE of its arguments).
    parameters_in_subqueries: bool = True
    #: Whether ``transpile --all`` prints ``schema/<name>/functions.sql`` after the tables (Spark's need
    #: the name_key its export writes from DuckDB's folding, so only the export has them).
    prints_functions: bool = False


_RESOLVERS = frozenset({"name_key", "resolve_org", "resolve_subject"})

DIALECTS: dict[str, Dialect] = {d.name: d for d in (
    Dialect(
        "postgres",
        lacks=(("ArgMax", "arg_max has no PostgreSQL counterpart"),
               ("ArgMin", "arg_min has no PostgreSQL counterpart"),
               ("Lambda", "PostgreSQL has no lambda functions"),
               ("Struct", "PostgreSQL has no anonymous structs with named fields"),
               ("Map", "PostgreSQL has no map type"),
               ("VarMap", "PostgreSQL has no map type")),
        rewrites=("make_date", "contains_as_position", "jaro_winkler_as_call", "recursive_step_windowed"),
        defines=_RESOLVERS | {"jaro_winkler_similarity"},
        checks_constraints=True,
        prints_functions=True,
    ),
    Dialect(
        "spark",
        rewrites=("similar_to_as_regex", "no_materialized", "distinct_string_agg_as_sorted_set"),
        checks=("recursive_distinct_union", "joined_unnest"),
        defines=_RESOLVERS,
        groups_by_all=True,
        parameters_in_subqueries=False,
    ),
    Dialect(
        "trino",
        lacks=(("DateFromParts", "Trino has no make_date"),),
        rewrites=("similar_to_as_regex", "no_materialized", "contains_as_position"),
    ),
    Dialect(
        "bigquery",
        rewrites=("no_materialized", "contains_as_position"),
        groups_by_all=True,
        comments=False,
    ),
    Dialect(
        "snowflake",
        rewrites=("no_materialized",),
        groups_by_all=True,
    ),
    Dialect(
        "sqlite",
        lacks=(("Array", "SQLite " + _NO_LISTS),
               ("ArrayAgg", "SQLite " + _NO_LISTS),
               ("ArrayContains", "SQLite " + _NO_LISTS),
               ("ArrayAppend", "SQLite " + _NO_LISTS),
               ("ArraySort", "SQLite " + _NO_LISTS),
               ("Lambda", "SQLite has no lambda functions"),
               ("Struct", "SQLite has no structs"),
               ("Map", "SQLite has no map type"),
               ("ArgMax", "arg_max has no SQLite counterpart"),
               ("ArgMin", "arg_min has no SQLite counterpart"),
               ("StrToTime", "SQLite has no strptime"),
               ("DateFromParts", "SQLite has no make_date"),
               ("RegexpReplace", "SQLite has no regexp_replace"),
               ("GroupConcat", "SQLite before 3.44 cannot order string_agg")),
        rewrites=("year_from_text", "contains_as_position"),
        checks=("list_parameter",),
        comments=False,
    ),
)}

NAMES = tuple(DIALECTS)


def get(name: str) -> Dialect:
    """The dialect called ``name``; a DialectError lists those there are."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise DialectError(f"unknown dialect {name!r}; expected one of {', '.join(NAMES)}") from None
