"""The rules seeds must follow, each run as one set-based query over ``staged``.

Most rules are read off the DDL: every primary key, unique constraint,
foreign key and CHECK constraint becomes a query that finds the rows that
break it, with a message written for the person who typed the row. The
rules the DDL cannot express (stakes adding up, ownership cycles, facilities
without any capacity) are SQL files in ``rules/`` beside this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .errors import ERROR, WARNING, Problem, RuleError, in_seed_file
from .sqltext import literal as _lit, q

RULES_DIR = Path(__file__).resolve().parent / "rules"

#: A vocabulary this small is listed in full in an "unknown value" message.
LIST_LIMIT = 15
#: Closest-id suggestions are worked out only while the referenced table is this small.
SUGGEST_LIMIT = 200_000


def _text(ref: str) -> str:
    """SQL showing a value in a message, quoted."""
    return f"'''' || CAST({ref} AS VARCHAR) || ''''"


@dataclass(frozen=True)
class Constraint:
    table: str
    kind: str
    columns: tuple[str, ...]
    expression: str | None
    referenced_table: str | None
    referenced_columns: tuple[str, ...]
    name: str | None = None            # a named CHECK's name, message and the column it points at
    message: str | None = None         # (schema.NamedCheck)
    message_column: str | None = None


def constraints(con: duckdb.DuckDBPyConnection) -> list[Constraint]:
    """The keys, references and CHECKs of the tables in ``main``, each named CHECK with its name and message."""
    return [
        Constraint(t, kind, tuple(cols), expr, ref, tuple(ref_cols or ()), name, message, column)
        for t, kind, cols, expr, ref, ref_cols, name, message, column in con.execute(
            """
            SELECT c.table_name, c.constraint_type, c.constraint_column_names, c.expression,
                   c.referenced_table, c.referenced_column_names, m.name, m.message, m.column_name
            FROM (
                SELECT *, CASE WHEN constraint_type = 'CHECK' THEN row_number() OVER (
                           PARTITION BY table_name, constraint_type ORDER BY constraint_index) END AS position
                FROM duckdb_constraints()
                WHERE database_name = current_database() AND schema_name = 'main'
                  AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK')
            ) AS c
            LEFT JOIN temp.main.check_messages AS m ON m.table_name = c.table_name AND m.position = c.position
            ORDER BY c.table_name, c.constraint_index
            """
        ).fetchall()
    ]


@dataclass(frozen=True)
class RuleQuery:
    """One rule as a query returning (_row, message) rows, for the problems in ``table``."""

    table: str
    column: str | None
    sql: str
    severity: str = ERROR
    rule: str | None = None  # its name, for grouping the problems it finds (see errors.Problem.rule)
    probe: str | None = None  # a cheaper query that returns a row only if ``sql`` would


def _issues(con: duckdb.DuckDBPyConnection, table: str, column: str | None, sql: str,
            severity: str = ERROR, rule: str | None = None) -> list[Problem]:
    """Run a rule query returning (_row, message) rows."""
    return run_all(con, [RuleQuery(table, column, sql, severity, rule)])


def run_all(con: duckdb.DuckDBPyConnection, queries: list[RuleQuery]) -> list[Problem]:
    """Run many rule queries as one UNION ALL, after their probes.

    On small seed folders the cost of a check is in planning and starting
    each of a couple of hundred queries, not in running them; as one
    statement, DuckDB plans once and runs the branches side by side. A
    rule's message-writing query costs more to plan than the question
    whether it finds anything, so the rules that have a ``probe`` are asked
    that first, all together, and run only where it finds something.
    """
    probed = [i for i, rq in enumerate(queries) if rq.probe]
    found: set[int] = set()
    if probed:
        found = {i for (i,) in con.execute("\nUNION ALL\n".join(
            f"SELECT {i} FROM (SELECT 1 FROM ({queries[i].probe.strip()}) LIMIT 1)" for i in probed)).fetchall()}
    chosen = [(i, rq) for i, rq in enumerate(queries) if not rq.probe or i in found]
    if not chosen:
        return []
    union = "\nUNION ALL\n".join(
        f"SELECT {i} AS _rule, _row, _message FROM ({rq.sql.strip().rstrip(';')}) AS r{i}(_row, _message)"
        for i, rq in chosen)
    return [in_seed_file(queries[i].table, message, row=row, column=queries[i].column,
                         severity=queries[i].severity, rule=queries[i].rule)
            for i, row, message in con.execute(union).fetchall()]


def parent_facts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, tuple[int, bool]]:
    """For each staged table: its row count, and whether it is a vocabulary (a table without a source_id)."""
    if not tables:
        return {}
    counts = " UNION ALL ".join(f"SELECT {_lit(t)} AS t, count(*) AS n FROM staged.{q(t)}" for t in tables)
    with_source = {t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND column_name = 'source_id'").fetchall()}
    return {t: (n, t not in with_source) for t, n in con.execute(counts).fetchall()}


def key_issues(c: Constraint) -> RuleQuery:
    """Rows sharing a primary or unique key with another row.

    Grouping finds the keys used twice, and only their rows are looked up:
    on a large file that is far cheaper than counting each row's partition.
    """
    cols = ", ".join(q(x) for x in c.columns)
    shown = " || ', ' || ".join(f"CAST(d.{q(x)} AS VARCHAR)" for x in c.columns)
    label = c.columns[0] if len(c.columns) == 1 else "(" + ", ".join(c.columns) + ")"
    what = "primary key" if c.kind == "PRIMARY KEY" else "unique value"
    value = shown if len(c.columns) == 1 else f"'(' || {shown} || ')'"
    return RuleQuery(c.table, c.columns[0], f"""
        SELECT s._row, {_lit(f'duplicate {what}: {label} ')} || {value}
               || ' is used by ' || d.n || ' rows; each must be unique'
        FROM (SELECT {cols}, count(*) AS n FROM staged.{q(c.table)} GROUP BY ALL HAVING count(*) > 1) AS d
        JOIN staged.{q(c.table)} AS s ON {' AND '.join(f's.{q(x)} = d.{q(x)}' for x in c.columns)}
    """, rule="primary_key" if c.kind == "PRIMARY KEY" else "unique",
        probe=f"SELECT 1 FROM staged.{q(c.table)} WHERE {' AND '.join(f'{q(x)} IS NOT NULL' for x in c.columns)} "
              f"GROUP BY {cols} HAVING count(*) > 1")  # NULLs join nothing above, so they are no duplicate here


#: What an id may hold: an id is typed by people and matched exactly, so nothing that looks alike may differ.
ID_CHARACTERS = "A-Za-z0-9_"


def id_issues(c: Constraint) -> list[RuleQuery]:
    """Ids (a primary key of one text column) made of plain characters, and unique whatever their case.

    ``CATL`` beside ``catl``, or ``catl`` with a zero-width space or a
    no-break space in it, pass an exact key check and then mix in every
    answer that folds case, as the organisation lookups do.
    """
    col, table = q(c.columns[0]), f"staged.{q(c.table)}"
    odd = f"regexp_extract({col}, '[^{ID_CHARACTERS}]')"
    return [
        RuleQuery(c.table, c.columns[0], f"""
            SELECT _row, 'id ' || {_text(col)} || ' holds ' || printf('U+%04X', unicode({odd}))
                   || '; an id is ASCII letters, digits and _ only, so that no two ids merely look alike'
            FROM {table} WHERE {col} IS NOT NULL AND NOT regexp_full_match({col}, '[{ID_CHARACTERS}]+')
        """, rule="id_characters"),  # as cheap as a probe would be
        RuleQuery(c.table, c.columns[0], f"""
            SELECT s._row, 'id ' || {_text('s.' + col)} || ' differs from ' || d.others
                   || ' only in case; ids must differ in more than case'
            FROM (SELECT lower({col}) AS folded, list(DISTINCT {col}) AS spellings
                  FROM {table} GROUP BY 1 HAVING count(DISTINCT {col}) > 1) AS g
            JOIN {table} AS s ON lower(s.{col}) = g.folded,
            LATERAL (SELECT string_agg({_text('x')}, ', ' ORDER BY x) AS others
                     FROM unnest(g.spellings) AS u(x) WHERE x <> s.{col}) AS d
        """, rule="id_case", probe=f"SELECT 1 FROM {table} GROUP BY lower({col}) HAVING count(DISTINCT {col}) > 1"),
    ]


def foreign_key_issues(con: duckdb.DuckDBPyConnection, foreign: list[Constraint]) -> list[RuleQuery]:
    """The queries reporting the foreign keys that have a dangling value, each with the closest existing one.

    One cheap query first finds which references have a dangling value at
    all: for a clean folder that is all the work, and the queries that
    write messages and suggest a near id, costly to plan, are asked for only
    where there is something to say.
    """
    if not foreign:
        return []
    by_parent: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(foreign):
        by_parent.setdefault((c.referenced_table, c.referenced_columns[0]), []).append(i)
    probes = " UNION ALL ".join(  # one anti-join per referenced key, over every column that refers to it
        f"SELECT DISTINCT r.i FROM ("
        + " UNION ALL ".join(f"SELECT {i} AS i, {q(foreign[i].columns[0])} AS v FROM staged.{q(foreign[i].table)}"
                             for i in members)
        + f") AS r WHERE r.v IS NOT NULL AND r.v NOT IN (SELECT {q(column)} FROM staged.{q(table)} "
          f"WHERE {q(column)} IS NOT NULL)"
        for (table, column), members in by_parent.items())
    broken = [foreign[i] for (i,) in sorted(con.execute(probes).fetchall())]
    parents = parent_facts(con, sorted({c.referenced_table for c in broken}))
    return [_foreign_key_query(c, parents) for c in broken]


def _foreign_key_query(c: Constraint, parents: dict[str, tuple[int, bool]]) -> RuleQuery:
    """Values that name a row the referenced table does not have, with the closest existing one.

    ``parents`` is ``parent_facts`` of the referenced tables.
    """
    (col,), (ref_col,) = c.columns, c.referenced_columns
    parent = f"staged.{q(c.referenced_table)}"
    size, is_vocabulary = parents[c.referenced_table]
    listing = ""
    if is_vocabulary and size <= LIST_LIMIT:
        listing = (f" || '; expected one of: ' || coalesce((SELECT string_agg(DISTINCT CAST({q(ref_col)} AS VARCHAR), ', ' "
                   f"ORDER BY CAST({q(ref_col)} AS VARCHAR)) FROM {parent}), 'nothing (the file is empty)')")
    suggest = ""
    if 0 < size <= SUGGEST_LIMIT:
        suggest = f"""
            LEFT JOIN (
                SELECT m.v, arg_min(CAST(p.{q(ref_col)} AS VARCHAR), d) AS best, min(d) AS dist
                FROM (SELECT DISTINCT v FROM missing LIMIT 1000) AS m,
                     LATERAL (SELECT {q(ref_col)},
                                     damerau_levenshtein(lower(CAST(m.v AS VARCHAR)), lower(CAST({q(ref_col)} AS VARCHAR))) AS d
                              FROM {parent}) AS p
                GROUP BY m.v
            ) AS s ON s.v = missing.v AND length(CAST(missing.v AS VARCHAR)) >= 4
                 AND s.dist <= greatest(1, length(CAST(missing.v AS VARCHAR)) // 3)"""
    hint = " || coalesce('; did you mean ''' || s.best || '''?', '')" if suggest else ""
    return RuleQuery(c.table, col, f"""
        WITH missing AS (
            SELECT c._row, c.{q(col)} AS v FROM staged.{q(c.table)} AS c
            WHERE c.{q(col)} IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE p.{q(ref_col)} = c.{q(col)})
        )
        SELECT missing._row,
               {_lit(f'unknown {col} ')} || {_text('missing.v')}
               || {_lit(f': no row of {c.referenced_table}.csv has it as its {ref_col}')}{listing}{hint}
        FROM missing {suggest}
    """, rule="foreign_key")


# A column's own CHECK, recognised by the shape DuckDB prints it in, so that
# it gets a message about the value rather than the expression; a table's
# CHECKs are named and carry their message in the DDL (schema.NamedCheck).
_CHECK_MESSAGES: list[tuple[re.Pattern, object]] = []
_C = r'"?(\w+)"?'  # a column name, which DuckDB quotes when it is a keyword ("value")


def _check_message(pattern: str):
    def register(fn):
        _CHECK_MESSAGES.append((re.compile(pattern), fn))
        return fn
    return register


@_check_message(rf"^\({_C} >= 0\)$")
def _non_negative(m, c):
    return m[1], f"{_lit(m[1] + ' must not be negative; found ')} || number_text({q(m[1])})"


@_check_message(rf"^\({_C} > 0\)$")
def _positive(m, c):
    return m[1], f"{_lit(m[1] + ' must be greater than 0; found ')} || number_text({q(m[1])})"


@_check_message(rf"^\({_C} BETWEEN (\S+) AND (\S+)\)$")
def _between(m, c):
    return m[1], f"{_lit(f'{m[1]} must be between {m[2]} and {m[3]}; found ')} || number_text({q(m[1])})"


@_check_message(rf"^\({_C} IN \((.*)\)\)$")
def _one_of(m, c):
    allowed = ", ".join(v.strip().strip("'") for v in m[2].split(","))
    return m[1], f"{_lit(m[1] + ' ')} || {_text(q(m[1]))} || {_lit(' is not allowed; expected one of: ' + allowed)}"


@_check_message(rf"^regexp_full_match\({_C}, '(.*)'\)$")
def _pattern(m, c):
    return m[1], f"{_lit(m[1] + ' ')} || {_text(q(m[1]))} || {_lit(' does not have the expected form ' + m[2])}"


def _bound_columns(c: Constraint) -> dict[str, str]:
    cols = dict.fromkeys(c.columns)
    found = {}
    for name in cols:
        if name.endswith("_min_exclusive"):
            found["min_ex"] = name
        elif name.endswith("_max_exclusive"):
            found["max_ex"] = name
        elif name.endswith(("_min", "_min_pct")):
            found["min"] = name
        elif name.endswith(("_max", "_max_pct")):
            found["max"] = name
        elif name == "qualifier":
            found["qualifier"] = name
        else:
            found["value"] = name
    return found


#: What each qualifier needs of a value-or-bounds triple, by the part each column plays (``_bound_columns``).
_QUALIFIER_NEEDS = {
    "exact": "{value} and no bounds",
    "about": "{value} (the approximate figure) and no bounds",
    "as_much_as": "{max} only, inclusive ({max_ex} false)",
    "under": "{max} only, with {max_ex} true",
    "at_least": "{min} only, inclusive ({min_ex} false)",
    "over": "{min} only, with {min_ex} true",
    "range": "both {min} and {max}, and no {value}",
    "unknown": "no figures at all",
}


def _derived(name: str, c: Constraint) -> str | None:
    """The SQL of a placeholder that is not a column: what the qualifier needs, and the figures found.

    Every table that states figures follows one pattern (``03_facts.sql``),
    so its qualifier CHECK's message can say in its own column names what
    was expected and what was found.
    """
    b = _bound_columns(c)
    if name == "qualifier_needs":
        cases = " ".join(f"WHEN {_lit(k)} THEN {_lit(text.format(**b))}" for k, text in _QUALIFIER_NEEDS.items())
        return f"CASE qualifier {cases} ELSE 'a known qualifier' END"
    if name == "figures_found":
        v, lo, hi = b["value"], b["min"], b["max"]
        return (f"coalesce(nullif(concat_ws(', ', {_lit(v + '=')} || number_text({q(v)}), "
                f"{_lit(lo + '=')} || number_text({q(lo)}), {_lit(hi + '=')} || number_text({q(hi)})), ''), 'no figures')")
    return None


_NUMBERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")


def _message_sql(c: Constraint, types: dict[str, str]) -> str:
    """The SQL that writes a named CHECK's message for a row: its text, with each placeholder the row's value.

    A number shows as ``number_text`` shows it, a date with a format in
    that format (``{on_day:%Y-%m-01}``), anything else as text; an empty
    cell as "empty".
    """
    parts = []
    for i, piece in enumerate(re.split(r"\{(\w+(?::[^}]*)?)\}", c.message)):
        if i % 2 == 0:
            if piece:
                parts.append(_lit(piece))
            continue
        name, _, fmt = piece.partition(":")
        if name not in types:
            derived = _derived(name, c)
            if derived is None:
                raise RuleError(f"the message of CHECK {c.name} on table {c.table} names {{{name}}}, "
                                f"which is not a column of {c.table}")
            parts.append(derived)
        elif fmt:
            parts.append(f"coalesce(strftime({q(name)}, {_lit(fmt)}), 'empty')")
        elif types[name].startswith(_NUMBERS):
            parts.append(f"coalesce(number_text({q(name)}), 'empty')")
        else:
            parts.append(f"coalesce(CAST({q(name)} AS VARCHAR), 'empty')")
    return " || ".join(parts) or "''"


def check_issues(c: Constraint, types: dict[str, str]) -> RuleQuery:
    """Rows (without earlier errors) that break one CHECK constraint, with its message.

    A named CHECK has its message in the DDL; a column's own CHECK gets one
    from its form (not negative, between, one of, a pattern). ``types`` are
    the table's column types.
    """
    if c.message is not None:
        return RuleQuery(c.table, c.message_column, f"""
        SELECT _row, {_message_sql(c, types)} FROM staged.{q(c.table)}
        WHERE _ok AND NOT coalesce({c.expression}, true)
    """, rule="check")
    column, message = c.columns[0] if c.columns else None, _lit(f"breaks the rule CHECK {c.expression}")
    for pattern, describe in _CHECK_MESSAGES:
        match = pattern.search(c.expression)
        if match:
            column, message = describe(match, c)
            break
    return RuleQuery(c.table, column, f"""
        SELECT _row, {message} FROM staged.{q(c.table)}
        WHERE _ok AND NOT coalesce({c.expression}, true)
    """, rule="check")


@dataclass(frozen=True)
class SqlRule:
    """A rule written as SQL in ``rules/``; its header names the table, column and severity.

    ``summary`` (header ``-- summary:``) says what a count of its problems
    are, as a plural that follows the number: ``facilities have no capacity
    figure``. ``prepare`` (header ``-- prepare:``) names the step of
    ``PREPARATIONS`` that must run before the rule's query.
    """

    name: str
    table: str
    column: str | None
    severity: str
    sql: str
    summary: str | None = None
    prepare: str | None = None


def sql_rules(folder: Path = RULES_DIR) -> list[SqlRule]:
    rules = []
    for path in sorted(folder.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        meta = dict(re.findall(r"^--\s*(\w+):\s*(.*\S)\s*$", text, flags=re.M))
        if meta.get("prepare") is not None and meta["prepare"] not in PREPARATIONS:
            raise RuleError(f"{path}: unknown preparation {meta['prepare']!r}; known: {', '.join(PREPARATIONS)}")
        rules.append(SqlRule(path.stem, meta["table"], meta.get("column"),
                             WARNING if meta.get("severity") == "warning" else ERROR, text, meta.get("summary"),
                             meta.get("prepare")))
    return rules


def run_sql_rules(con: duckdb.DuckDBPyConnection, present: set[str], folder: Path = RULES_DIR) -> list[Problem]:
    """Every rule of ``rules/`` on the staged tables, each after its preparation, as one query.

    A rule whose table could not be staged is left out (the missing file is
    reported already); a rule needing another missing table is found by
    running the rules one by one.
    """
    chosen = [rule for rule in sql_rules(folder) if rule.table in present]
    for name in dict.fromkeys(rule.prepare for rule in chosen if rule.prepare):
        PREPARATIONS[name](con)
    queries = [RuleQuery(r.table, r.column, r.sql, r.severity, r.name) for r in chosen]
    try:
        return run_all(con, queries)
    except duckdb.CatalogException:
        found = []
        for query in queries:
            try:
                found += run_all(con, [query])
            except duckdb.CatalogException:
                pass  # a table the rule needs could not be loaded; that is reported already
        return found


#: The rule finding organisations that nothing references (see ``unreferenced_issues``).
UNREFERENCED = "unreferenced"


def summaries(folder: Path = RULES_DIR) -> dict[str, str]:
    """What each rule's problems are, as a plural that follows their count, for the rules that say."""
    found = {rule.name: rule.summary for rule in sql_rules(folder) if rule.summary}
    found[UNREFERENCED] = "ids are not referenced by any other row"
    return found


def ownership_cycle_candidates(con: duckdb.DuckDBPyConnection) -> None:
    """The (owner, owned) pairs that can lie on an ownership cycle, as ``staged.cycle_candidates``.

    The ownership_cycle rule works out which organisations reach which, and
    on every stake that cost grows with the number of pairs, which is large
    when big groups hold stakes down long chains. A stake can lie on a cycle
    only when its owner is owned and the organisation it owns owns something,
    among the stakes that can themselves lie on a cycle. Removing the others
    until none is left (one round per level of the longest chain, each one
    set-based) leaves the cross-holdings and little else.
    """
    con.execute("""
        CREATE OR REPLACE TABLE staged.cycle_candidates AS
        SELECT DISTINCT owner_org_id AS a, owned_org_id AS b FROM staged.ownership_stakes WHERE _ok
    """)
    while con.execute("""
        DELETE FROM staged.cycle_candidates
        WHERE a NOT IN (SELECT b FROM staged.cycle_candidates) OR b NOT IN (SELECT a FROM staged.cycle_candidates)
    """).fetchall()[0][0]:
        pass


#: Work a rule of ``rules/`` can ask for in its ``-- prepare:`` header, by name.
PREPARATIONS = {"ownership_cycle_candidates": ownership_cycle_candidates}


def unreferenced_issues(con: duckdb.DuckDBPyConnection, table: str, key: str,
                        referencing: list[tuple[str, str]]) -> list[Problem]:
    """Rows of ``table`` that no foreign key in any loaded table points at (a warning)."""
    if not referencing:
        return []
    union = " UNION ".join(f"SELECT {q(col)} AS k FROM staged.{q(t)}" for t, col in referencing)
    return _issues(con, table, key, f"""
        SELECT _row, {_lit(f'{key} ')} || {_text(q(key))} || {_lit(' is not referenced by any other row; '
                                                                        'is an id misspelt somewhere?')}
        FROM staged.{q(table)} WHERE _ok AND {q(key)} NOT IN (SELECT k FROM ({union}) WHERE k IS NOT NULL)
    """, WARNING, UNREFERENCED)
