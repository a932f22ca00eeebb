"""Carrying the named queries to other SQL engines, through sqlglot.

sqlglot translates what it understands and passes the rest through
unchanged, so a DuckDB-only construct can come out as SQL that the other
engine rejects or, worse, runs with another meaning. A query is therefore
reported as carried to a dialect only when none of the checks below finds a
reason against it; otherwise it is reported with the reasons, and no SQL is
emitted for it.

Before translation, batterydb's own DuckDB macros (``schema/04_macros.sql``)
are written out in place: a table macro becomes a subquery and a scalar
macro its expression, so that the result needs only the engine's built-in
functions. ``name_key`` is the exception: its DuckDB body uses
``strip_accents``, which other engines lack, so PostgreSQL gets a definition
of its own (``schema/postgres/functions.sql``) when a database is
published, Spark one when it is exported (``spark.py``), and the other
engines report it as a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from . import paths, schema
from .catalogue import NamedQuery

DIALECTS = ("postgres", "spark", "trino", "bigquery", "snowflake", "sqlite")

# Macros and DuckDB functions each dialect has a definition of, so calls to them may stay calls.
DEFINED_FUNCTIONS = {dialect: frozenset({"name_key", "resolve_org", "resolve_subject"}) for dialect in ("postgres", "spark")}
DEFINED_FUNCTIONS["postgres"] |= {"jaro_winkler_similarity"}

# Constructs sqlglot passes through although the engine lacks them or reads them otherwise.
_NO_LISTS = "has no list (array) type"
_UNSUPPORTED: dict[str, list[tuple[type[exp.Expression], str]]] = {
    "postgres": [
        (exp.ArgMax, "arg_max has no PostgreSQL counterpart"),
        (exp.ArgMin, "arg_min has no PostgreSQL counterpart"),
        (exp.Lambda, "PostgreSQL has no lambda functions"),
        (exp.Struct, "PostgreSQL has no anonymous structs with named fields"),
        (exp.Map, "PostgreSQL has no map type"),
        (exp.VarMap, "PostgreSQL has no map type"),
    ],
    "sqlite": [
        (exp.Array, "SQLite " + _NO_LISTS),
        (exp.ArrayAgg, "SQLite " + _NO_LISTS),
        (exp.ArrayContains, "SQLite " + _NO_LISTS),
        (exp.ArrayAppend, "SQLite " + _NO_LISTS),
        (exp.ArraySort, "SQLite " + _NO_LISTS),
        (exp.Lambda, "SQLite has no lambda functions"),
        (exp.Struct, "SQLite has no structs"),
        (exp.Map, "SQLite has no map type"),
        (exp.ArgMax, "arg_max has no SQLite counterpart"),
        (exp.ArgMin, "arg_min has no SQLite counterpart"),
        (exp.StrToTime, "SQLite has no strptime"),
    ],
}
_UNSUPPORTED["trino"] = [(exp.DateFromParts, "Trino has no make_date")]
_UNSUPPORTED["sqlite"] += [
    (exp.DateFromParts, "SQLite has no make_date"),
    (exp.RegexpReplace, "SQLite has no regexp_replace"),
    (exp.GroupConcat, "SQLite before 3.44 cannot order string_agg"),
]
_GROUP_BY_ALL_READERS = frozenset({"spark", "bigquery", "snowflake"})


def _make_date(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.DateFromParts):
        return exp.Anonymous(this="make_date", expressions=[node.args["year"], node.args["month"], node.args["day"]])
    return node


def _year_from_text(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Year):  # SQLite keeps dates as ISO text
        return exp.cast(exp.Anonymous(this="strftime", expressions=[exp.Literal.string("%Y"), node.this]), "INTEGER")
    return node


def _similar_to_as_regex(node: exp.Expression) -> exp.Expression:
    # DuckDB's SIMILAR TO is a regular expression that must match the whole text; sqlglot passes it through
    if isinstance(node, exp.SimilarTo) and isinstance(node.expression, exp.Literal) and node.expression.is_string:
        anchored = exp.Literal.string(f"^(?:{node.expression.this})$")
        return exp.RegexpLike(this=node.this, expression=anchored)
    return node


def _no_materialized(node: exp.Expression) -> exp.Expression:
    # AS MATERIALIZED only tells DuckDB how to plan a CTE; sqlglot passes it through to engines that refuse it
    if isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
        node.set("materialized", None)
    return node


def _distinct_string_agg_as_sorted_set(node: exp.Expression) -> exp.Expression:
    # Spark 4 fails inside (a ClassCastException) on LISTAGG(DISTINCT x) WITHIN GROUP (ORDER BY x), which
    # sqlglot writes for string_agg(DISTINCT x, sep ORDER BY x); the sorted set of x joined is the same text
    if not isinstance(node, exp.GroupConcat) or not isinstance(node.this, exp.Order):
        return node
    order, distinct = node.this, node.this.this
    if not isinstance(distinct, exp.Distinct) or len(distinct.expressions) != 1 or len(order.expressions) != 1:
        return node
    value, key = distinct.expressions[0], order.expressions[0]
    if key.this != value or key.args.get("desc"):
        return node
    sorted_set = exp.Anonymous(this="array_sort", expressions=[exp.Anonymous(this="collect_set", expressions=[value])])
    joined = exp.Anonymous(this="array_join", expressions=[sorted_set, node.args.get("separator") or exp.Literal.string(",")])
    # string_agg of no values is NULL, array_join of an empty array ''
    return exp.case().when(exp.GT(this=exp.Count(this=value.copy()), expression=exp.Literal.number(0)), joined)


def _contains_as_position(node: exp.Expression) -> exp.Expression:
    # sqlglot writes DuckDB's contains(text, part) as CONTAINS, which PostgreSQL and SQLite lack, Trino reads
    # as an array's membership and BigQuery (as CONTAINS_SUBSTR) ignoring case; a substring's position is plain
    if isinstance(node, exp.Contains):
        return exp.paren(exp.GT(this=exp.StrPosition(this=node.this, substr=node.expression),
                                expression=exp.Literal.number(0)), copy=False)
    return node


def _jaro_winkler_as_call(node: exp.Expression) -> exp.Expression:
    # sqlglot writes JAROWINKLER_SIMILARITY, which no engine here has; the defined function keeps DuckDB's name
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this="jaro_winkler_similarity", expressions=[node.this, node.expression])
    return node


def _grouped_step(cte: exp.CTE) -> exp.Select | None:
    """The recursive step of ``cte`` when it is a SELECT that groups, else None."""
    if not isinstance(cte.this, exp.Union):
        return None
    step = cte.this.expression
    if isinstance(step, exp.Select) and step.args.get("group") is not None:
        return step
    return None


def _windowable(step: exp.Select) -> bool:
    """Whether a grouped recursive step gives the same rows as DISTINCT over its aggregates as windows.

    Each group then yields identical rows, which DISTINCT keeps once; that is
    its group's row only when every grouping key is among the output
    columns (else two groups could collapse into one row), no aggregate is
    DISTINCT (no window takes it), and nothing filters the groups (HAVING).
    """
    if step.args.get("having") is not None or step.args.get("distinct") is not None:
        return False
    outputs = [e.unalias() for e in step.expressions]
    if not all(key in outputs for key in step.args["group"].expressions):
        return False
    return not any(isinstance(agg.this, exp.Distinct) for agg in step.find_all(exp.AggFunc))


def _recursive_step_windowed(node: exp.Expression) -> exp.Expression:
    # PostgreSQL refuses an aggregate in a recursive step but takes window functions and DISTINCT there;
    # summing over each group as a window partition and keeping each row once gives the grouped rows
    if not isinstance(node, exp.With) or not node.args.get("recursive"):
        return node
    for cte in node.expressions:
        step = _grouped_step(cte)
        if step is None or not _windowable(step):
            continue
        keys = [key.copy() for key in step.args["group"].expressions]
        for agg in [a for a in step.find_all(exp.AggFunc) if a.find_ancestor(exp.Select) is step]:
            agg.replace(exp.Window(this=agg.copy(), partition_by=[key.copy() for key in keys]))
        step.set("group", None)
        step.set("distinct", exp.Distinct())
    return node


# Where sqlglot writes a function the engine does not have, although the engine has one that does the job.
_REWRITES = {"postgres": [_make_date, _contains_as_position, _jaro_winkler_as_call, _recursive_step_windowed],
             "sqlite": [_year_from_text, _contains_as_position],
             "spark": [_similar_to_as_regex, _no_materialized, _distinct_string_agg_as_sorted_set],
             "trino": [_similar_to_as_regex, _no_materialized, _contains_as_position],
             "bigquery": [_no_materialized, _contains_as_position], "snowflake": [_no_materialized]}


@dataclass
class Carried:
    """One query in one dialect: its SQL, or the reasons it cannot be carried there."""

    name: str
    dialect: str
    sql: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression
    is_table: bool


_MACRO = re.compile(r"CREATE\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s+AS\s+(TABLE\s+)?(.*)", re.S | re.I)


def macros(schema_dir: Path | str | None = None) -> dict[str, Macro]:
    """batterydb's DuckDB macros, read from the DDL, by name."""
    found = {}
    folder = Path(schema_dir) if schema_dir is not None else paths.schema_dir()
    with duckdb.connect() as con:
        for path in schema.ddl_files(folder):
            for statement in con.extract_statements(path.read_text(encoding="utf-8")):
                text = re.sub(r"^(\s*--[^\n]*\n)*\s*", "", statement.query.strip())
                if m := _MACRO.match(text):
                    params = tuple(p.strip() for p in m[2].split(",") if p.strip())
                    body = sqlglot.parse_one(m[4].strip().rstrip(";"), read="duckdb")
                    found[m[1].lower()] = Macro(m[1].lower(), params, body, bool(m[3]))
    return found


def _substitute(body: exp.Expression, params: tuple[str, ...], args: list[exp.Expression]) -> exp.Expression:
    body = body.copy()
    values = dict(zip(params, args))
    for column in list(body.find_all(exp.Column)):
        if not column.table and column.name in values:
            column.replace(exp.paren(values[column.name].copy(), copy=False))
    return body


def expand_macros(tree: exp.Expression, known: dict[str, Macro], keep: frozenset[str] = frozenset()) -> exp.Expression:
    """``tree`` with every call to a batterydb macro (but those in ``keep``) written out in place."""
    for _ in range(10):  # macros call macros; ten levels is far more than the DDL nests
        calls = [node for node in tree.find_all(exp.Anonymous)
                 if node.name.lower() in known and node.name.lower() not in keep]
        if not calls:
            return tree
        for call in calls:
            macro = known[call.name.lower()]
            body = _substitute(macro.body, macro.params, list(call.expressions))
            if macro.is_table and isinstance(call.parent, exp.Table):
                table = call.parent
                alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(macro.name))
                table.replace(exp.Subquery(this=body, alias=alias.copy()))
            else:
                call.replace(body if macro.is_table else exp.paren(body, copy=False))
    raise ValueError("macros nest more than ten levels deep")


# Constructs no other listed engine reads as DuckDB does, whatever sqlglot writes for them.
_DUCKDB_ONLY: list[tuple[type[exp.Expression], str, str]] = [
    (exp.JarowinklerSimilarity, "jaro_winkler_similarity", "jaro_winkler_similarity has no counterpart on a 0 to 1 scale"),
]


def _recursive_aggregates(tree: exp.Expression, dialect: str) -> bool:
    """Whether a WITH RECURSIVE step aggregates, which DuckDB allows and the others refuse.

    A grouped step that windows alike (``_recursive_step_windowed``) is no
    reason for a dialect that rewrites it so.
    """
    windowed = _recursive_step_windowed in _REWRITES.get(dialect, [])
    for with_ in tree.find_all(exp.With):
        if not with_.args.get("recursive"):
            continue
        for cte in with_.expressions:
            if isinstance(cte.this, exp.Union):
                step = cte.this.expression
                if windowed and (grouped := _grouped_step(cte)) is not None and _windowable(grouped):
                    continue
                if any(agg.find_ancestor(exp.Select) is step for agg in step.find_all(exp.AggFunc)):
                    return True
    return False


def _recursive_distinct_unions(tree: exp.Expression) -> bool:
    """Whether a CTE that reads itself holds a UNION (not UNION ALL), which Spark refuses."""
    return any(isinstance(union, exp.Union) and union.args.get("distinct")
               for with_ in tree.find_all(exp.With) if with_.args.get("recursive")
               for cte in with_.expressions if any(t.name == cte.alias for t in cte.this.find_all(exp.Table))
               for union in cte.this.find_all(exp.Union))


def _joined_unnests(tree: exp.Expression) -> bool:
    """Whether an UNNEST is joined with ON, which sqlglot writes for Spark as a LATERAL VIEW without the condition."""
    return any(isinstance(join.this, exp.Unnest) or isinstance(join.this.this, exp.Unnest)
               for join in tree.find_all(exp.Join) if join.args.get("on") is not None)


def _reasons(tree: exp.Expression, dialect: str, query: NamedQuery) -> list[str]:
    reasons = [reason for node_type, name, reason in _DUCKDB_ONLY
               if name not in DEFINED_FUNCTIONS.get(dialect, ()) and any(True for _ in tree.find_all(node_type))]
    if _recursive_aggregates(tree, dialect):
        reasons.append("its WITH RECURSIVE step aggregates, which only DuckDB allows")
    if dialect == "spark" and _recursive_distinct_unions(tree):
        reasons.append("Spark's WITH RECURSIVE takes UNION ALL only, and it has a UNION")
    if dialect == "spark" and _joined_unnests(tree):
        reasons.append("it joins an UNNEST ON a condition, which sqlglot writes for Spark as a LATERAL VIEW "
                       "without the condition")
    for node_type, reason in _UNSUPPORTED.get(dialect, []):
        if any(True for _ in tree.find_all(node_type)):
            reasons.append(reason)
    for node in tree.find_all(exp.Anonymous):
        name = node.name.lower()
        if name in DEFINED_FUNCTIONS.get(dialect, ()):
            continue
        reasons.append(f"{name} is DuckDB's own function; sqlglot knows no counterpart")
    for group in tree.find_all(exp.Group):
        if group.args.get("all") and dialect not in _GROUP_BY_ALL_READERS:
            reasons.append(f"GROUP BY ALL is DuckDB's shorthand; {dialect} does not read it")
    if dialect == "sqlite" and any(p.is_list for p in query.params):
        reasons.append("a list parameter has no SQLite counterpart")
    return sorted(set(reasons))


def portable_tree(query: NamedQuery, dialect: str, known: dict[str, Macro] | None = None) -> exp.Expression:
    """The query's parse tree with batterydb's macros written out, as far as ``dialect`` needs."""
    known = macros() if known is None else known
    tree = sqlglot.parse_one(query.sql, read="duckdb")
    return expand_macros(tree, known, DEFINED_FUNCTIONS.get(dialect, frozenset()))


def carry(query: NamedQuery, dialect: str, known: dict[str, Macro] | None = None,
          params_as: str | None = None) -> Carried:
    """``query`` in ``dialect``, or the reasons it cannot be carried there faithfully.

    ``params_as`` names a function whose arguments the parameters become
    (``fn.param``), as in the body of a PostgreSQL SQL function, and an
    organisation parameter then becomes a call of its resolving function
    (``(SELECT resolve_org(fn.org))``, a subquery so that it runs once per
    call, not once per row), which the dialect must define; by default
    they stay named placeholders in the dialect's own syntax, and an
    organisation parameter takes the organisation's id.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {', '.join(DIALECTS)}")
    carried = Carried(query.name, dialect)
    try:
        tree = portable_tree(query, dialect, known)
    except (SqlglotError, ValueError) as exc:
        carried.reasons.append(f"sqlglot cannot read it: {str(exc).splitlines()[0]}")
        return carried
    carried.reasons.extend(_reasons(tree, dialect, query))
    for rewrite in _REWRITES.get(dialect, []):
        tree = tree.transform(rewrite)
    if params_as is not None:
        tree = _arguments(tree, query, dialect, params_as)
    try:
        text = tree.sql(dialect=dialect, pretty=True, unsupported_level=ErrorLevel.RAISE, comments=False)
    except SqlglotError as exc:
        carried.reasons.append(f"sqlglot cannot write it: {str(exc).splitlines()[0]}")
        return carried
    if not carried.reasons:
        carried.sql = text
    return carried


ARGUMENTS = "call_arguments"


def _arguments(tree: exp.Expression, query: NamedQuery, dialect: str, function: str) -> exp.Expression:
    """``tree`` reading its parameters as the arguments of the SQL function ``function``.

    PostgreSQL reads ``function.param`` anywhere in the body, and an
    organisation parameter becomes a scalar subquery of its resolving
    function, which PostgreSQL runs once per call rather than once per row.
    Spark resolves a function's parameters only outside subqueries, so its
    body starts with a CTE of the arguments (resolved where they name a
    thing), and each use of a parameter reads that CTE.
    """
    def argument(name: str) -> exp.Expression:
        value: exp.Expression = exp.column(name, table=function)
        declared = query.param(name)
        if declared and declared.resolver:
            value = exp.func(declared.resolver, value)
        return value

    placeholders = list(tree.find_all(exp.Placeholder, exp.Parameter))
    if dialect != "spark":
        for node in placeholders:
            value = argument(node.name)
            node.replace(exp.select(value).subquery() if isinstance(value, exp.Func) else value)
        return tree
    if not placeholders:
        return tree
    for node in placeholders:
        node.replace(exp.select(exp.column(node.name, table="a")).from_(exp.to_table(ARGUMENTS).as_("a")).subquery())
    names = list(dict.fromkeys(p.name for p in query.params))
    cte = exp.CTE(this=exp.select(*[exp.alias_(argument(n), n) for n in names]), alias=exp.TableAlias(
        this=exp.to_identifier(ARGUMENTS)))
    with_ = tree.args.get("with_")
    if with_ is None:
        tree.set("with_", exp.With(expressions=[cte]))
    else:
        with_.set("expressions", [cte, *with_.expressions])
    return tree


def carry_all(queries: dict[str, NamedQuery], dialect: str) -> list[Carried]:
    known = macros()
    return [carry(q, dialect, known) for q in queries.values()]


def ddl(dialect: str, schema_dir: Path | str | None = None, target: str | None = None) -> list[str]:
    """The tables of ``schema/`` as CREATE TABLE (and, where the engine has them, COMMENT) statements.

    PostgreSQL keeps every constraint. The other engines get the keys but
    not the CHECK constraints, which use DuckDB functions (SIMILAR TO,
    day()) some of them lack; batterydb has checked the data before it
    leaves DuckDB. ``target`` qualifies every table with a schema.
    """
    out = []
    folder = Path(schema_dir) if schema_dir is not None else paths.schema_dir()
    for _, statement in schema.statements(folder):
        text = statement.strip()
        head = re.sub(r"^(\s*--[^\n]*\n)*\s*", "", text).upper()
        if head.startswith(("CREATE MACRO", "COMMENT ON MACRO")):
            continue  # batterydb's macros are written out where queries use them
        if head.startswith("COMMENT") and dialect in _NO_COMMENT_ON:
            continue
        tree = sqlglot.parse_one(text, read="duckdb")
        if dialect != "postgres":
            for check in list(tree.find_all(exp.CheckColumnConstraint, exp.Check)):
                owner = check.parent if isinstance(check.parent, exp.ColumnConstraint) else check
                owner.pop()
        if target is not None:
            for table in tree.find_all(exp.Table):
                table.set("db", exp.to_identifier(target))
            if isinstance(tree, exp.Comment) and isinstance(tree.this, exp.Column):
                tree.this.set("db", exp.to_identifier(target))  # COMMENT ON COLUMN table.column
        out.append(tree.sql(dialect=dialect, comments=False))
    return out


_NO_COMMENT_ON = frozenset({"sqlite", "bigquery"})


VERIFIED = {"postgres": "run against a real PostgreSQL server", "sqlite": "run against Python's SQLite"}


def coverage_markdown(queries: dict[str, NamedQuery]) -> str:
    """A Markdown table of which queries carry to which dialect, with the reasons where one does not."""
    known = macros()
    results = {d: {c.name: c for c in (carry(q, d, known) for q in queries.values())} for d in DIALECTS}
    lines = ["| query | " + " | ".join(DIALECTS) + " |", "|---" * (len(DIALECTS) + 1) + "|"]
    notes: dict[str, int] = {}
    for name in queries:
        cells = []
        for d in DIALECTS:
            carried = results[d][name]
            if carried.ok:
                cells.append("yes")
            else:
                marks = [notes.setdefault(r, len(notes) + 1) for r in carried.reasons]
                cells.append("no " + ",".join(f"({m})" for m in marks))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [sum(c.ok for c in results[d].values()) for d in DIALECTS]
    lines.append("| **carried** | " + " | ".join(f"**{t} of {len(queries)}**" for t in totals) + " |")
    lines.append("")
    lines += [f"({m}) {reason}" + ("" if m == len(notes) else "  ") for reason, m in notes.items()]
    return "\n".join(lines) + "\n"
