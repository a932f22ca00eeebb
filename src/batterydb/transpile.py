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

from . import dialects, paths, schema
from .catalogue import NamedQuery
from .errors import SchemaError, first_line


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


#: The rewrites a dialect names (``dialects.Dialect.rewrites``): each takes a node and gives it back or its stand-in.
REWRITES = {
    "make_date": _make_date,
    "year_from_text": _year_from_text,
    "similar_to_as_regex": _similar_to_as_regex,
    "no_materialized": _no_materialized,
    "distinct_string_agg_as_sorted_set": _distinct_string_agg_as_sorted_set,
    "contains_as_position": _contains_as_position,
    "jaro_winkler_as_call": _jaro_winkler_as_call,
    "recursive_step_windowed": _recursive_step_windowed,
}


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
    folder = paths.schema_dir(schema_dir)
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
    for table in body.find_all(exp.Table):  # DuckDB's own schema; elsewhere the tables have a schema of their own
        if table.db == "main" and not table.catalog:
            table.set("db", None)
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
    raise SchemaError("batterydb's macros nest more than ten levels deep")


# Constructs no other listed engine reads as DuckDB does, whatever sqlglot writes for them.
_DUCKDB_ONLY: list[tuple[type[exp.Expression], str, str]] = [
    (exp.JarowinklerSimilarity, "jaro_winkler_similarity", "jaro_winkler_similarity has no counterpart on a 0 to 1 scale"),
]


def _recursive_aggregates(tree: exp.Expression, dialect: str) -> bool:
    """Whether a WITH RECURSIVE step aggregates, which DuckDB allows and the others refuse.

    A grouped step that windows alike (``_recursive_step_windowed``) is no
    reason for a dialect that rewrites it so.
    """
    windowed = "recursive_step_windowed" in dialects.get(dialect).rewrites
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


#: The checks a dialect names (``dialects.Dialect.checks``): (whether a query fails it, the reason).
CHECKS = {
    "recursive_distinct_union": (lambda tree, query: _recursive_distinct_unions(tree),
                                 "Spark's WITH RECURSIVE takes UNION ALL only, and it has a UNION"),
    "joined_unnest": (lambda tree, query: _joined_unnests(tree),
                      "it joins an UNNEST ON a condition, which sqlglot writes for Spark as a LATERAL VIEW "
                      "without the condition"),
    "list_parameter": (lambda tree, query: any(p.is_list for p in query.params),
                       "a list parameter has no SQLite counterpart"),
}


def _reasons(tree: exp.Expression, dialect: str, query: NamedQuery) -> list[str]:
    target = dialects.get(dialect)
    reasons = [reason for node_type, name, reason in _DUCKDB_ONLY
               if name not in target.defines and any(True for _ in tree.find_all(node_type))]
    if _recursive_aggregates(tree, dialect):
        reasons.append("its WITH RECURSIVE step aggregates, which only DuckDB allows")
    reasons += [reason for check in target.checks for fails, reason in [CHECKS[check]] if fails(tree, query)]
    for node_type, reason in target.lacks:
        if any(True for _ in tree.find_all(getattr(exp, node_type))):
            reasons.append(reason)
    for node in tree.find_all(exp.Anonymous):
        name = node.name.lower()
        if name in target.defines:
            continue
        reasons.append(f"{name} is DuckDB's own function; sqlglot knows no counterpart")
    for group in tree.find_all(exp.Group):
        if group.args.get("all") and not target.groups_by_all:
            reasons.append(f"GROUP BY ALL is DuckDB's shorthand; {dialect} does not read it")
    return sorted(set(reasons))


def portable_tree(query: NamedQuery, dialect: str, known: dict[str, Macro] | None = None) -> exp.Expression:
    """The query's parse tree with batterydb's macros written out, as far as ``dialect`` needs."""
    known = macros() if known is None else known
    tree = sqlglot.parse_one(query.sql, read="duckdb")
    return expand_macros(tree, known, dialects.get(dialect).defines)


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
    dialects.get(dialect)  # an unknown dialect is an error before any work
    carried = Carried(query.name, dialect)
    try:
        tree = portable_tree(query, dialect, known)
    except (SqlglotError, SchemaError, ValueError) as exc:  # sqlglot raises ValueError for some input too
        carried.reasons.append(f"sqlglot cannot read it: {first_line(exc)}")
        return carried
    carried.reasons.extend(_reasons(tree, dialect, query))
    for rewrite in dialects.get(dialect).rewrites:
        tree = tree.transform(REWRITES[rewrite], copy=False)  # a tree of its own, parsed above
    if params_as is not None:
        tree = _arguments(tree, query, dialect, params_as)
    try:
        text = tree.sql(dialect=dialect, pretty=True, unsupported_level=ErrorLevel.RAISE, comments=False)
    except SqlglotError as exc:
        carried.reasons.append(f"sqlglot cannot write it: {first_line(exc)}")
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
    if dialects.get(dialect).parameters_in_subqueries:
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


def script(queries: list[NamedQuery], dialect: str, tables: bool = False) -> tuple[str, list[Carried]]:
    """What ``batterydb transpile`` prints, and the queries that do not carry, with their reasons.

    Each query that carries comes with a header naming it, its question and
    its parameters; ``tables`` puts the tables' DDL first and, for an engine
    that needs them (``schema/<dialect>/functions.sql``), the functions the
    queries call.
    """
    known = macros()
    out = []
    if tables:
        out.append(f"-- batterydb tables, in {dialect} (written by sqlglot from schema/)")
        out += [statement + ";" for statement in ddl(dialect)]
        if dialects.get(dialect).prints_functions:
            out.append(paths.engine_functions(dialect).read_text(encoding="utf-8").strip())
    refused = []
    for query in queries:
        carried = carry(query, dialect, known)
        if not carried.ok:
            refused.append(carried)
            continue
        header = [f"-- {query.name}: {query.title}", f"-- {query.question}"]
        header += [f"-- param {p.name} {p.type}" + (" (required)" if p.required else f" = {p.default}")
                   for p in query.params]
        out.append("\n".join(header) + "\n" + carried.sql + ";")
    return "\n\n".join(out), refused


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
    folder = paths.schema_dir(schema_dir)
    for _, statement in schema.statements(folder):
        text = statement.strip()
        head = re.sub(r"^(\s*--[^\n]*\n)*\s*", "", text).upper()
        if head.startswith(("CREATE MACRO", "COMMENT ON MACRO")):
            continue  # batterydb's macros are written out where queries use them
        if head.startswith("COMMENT") and not dialects.get(dialect).comments:
            continue
        tree = sqlglot.parse_one(text, read="duckdb")
        if not dialects.get(dialect).checks_constraints:
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


def coverage_markdown(queries: dict[str, NamedQuery]) -> str:
    """A Markdown table of which queries carry to which dialect, with the reasons where one does not."""
    known = macros()
    results = {d: {c.name: c for c in (carry(q, d, known) for q in queries.values())} for d in dialects.NAMES}
    lines = ["| query | " + " | ".join(dialects.NAMES) + " |", "|---" * (len(dialects.NAMES) + 1) + "|"]
    notes: dict[str, int] = {}
    for name in queries:
        cells = []
        for d in dialects.NAMES:
            carried = results[d][name]
            if carried.ok:
                cells.append("yes")
            else:
                marks = [notes.setdefault(r, len(notes) + 1) for r in carried.reasons]
                cells.append("no " + ",".join(f"({m})" for m in marks))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    totals = [sum(c.ok for c in results[d].values()) for d in dialects.NAMES]
    lines.append("| **carried** | " + " | ".join(f"**{t} of {len(queries)}**" for t in totals) + " |")
    lines.append("")
    lines += [f"({m}) {reason}" + ("" if m == len(notes) else "  ") for reason, m in notes.items()]
    return "\n".join(lines) + "\n"
