"""Checking a seed folder: every problem in one pass, located by file, line and column.

The order matters only to keep one mistake from being reported many times:
files and headers first; then rows DuckDB cannot read; then values that do
not fit their column's type or are missing; then keys, references and the
CHECK rules (on rows that passed the earlier steps); then the rules in
``rules/``. Problems found at any step are all reported together; ``report``
writes them for a person, summarising a rule that finds many.

Reading and checking are stages of ``progress``: a line each, and a counter.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import duckdb

from . import paths, progress, rules, schema, seedfiles, staging
from .errors import Problem, sort_problems
from .progress import plural
from .schema import Table
from .sqltext import q
from .staging import RowIssue


def check(seeds: Path | str | None = None, schema_dir: Path | str | None = None) -> list[Problem]:
    """Every problem in the seed folder (default: the shipped seeds), errors and warnings, sorted."""
    seeds = Path(seeds) if seeds is not None else paths.seeds_dir()
    schema_dir = Path(schema_dir) if schema_dir is not None else paths.schema_dir()
    with duckdb.connect() as con:
        schema.apply(con, schema_dir)
        return stage_and_check(con, seeds, schema.load_order(schema.tables(con)))


def stage_and_check(con: duckdb.DuckDBPyConnection, seeds: Path, order: list[Table]) -> list[Problem]:
    """Load the seeds into ``staged`` on ``con`` and return every problem found."""
    file_problems, loadable = seedfiles.check_files(seeds, order)
    staging.create_schemas(con)
    issues: list[RowIssue] = []
    if loadable:  # else the folder is missing, or every file is, which the problems say
        size = sum(seedfiles.seed_path(seeds, t).stat().st_size for t in loadable)
        progress.stage(f"reading {plural(len(loadable), 'seed file')} ({_bytes(size)})")
    for table in progress.counted(list(loadable), "reading seed files"):
        try:
            issues += staging.load(con, seeds, table)
        except staging.UnreadableFile as exc:
            loadable.remove(table)
            issues.append(RowIssue(table.name, None, exc.offset, None, exc.message, rule="csv_file"))
    for table in loadable:
        issues += staging.type_issues(con, table)

    present = {t.name for t in loadable}
    if present:
        progress.stage(f"checking {plural(staged_rows(con, sorted(present)), 'row')}: keys, foreign keys and rules")
    sql_rules = rules.sql_rules()
    checking = progress.Counter("checking rules", 6 + len(sql_rules))
    all_constraints = rules.constraints(con)
    issues += rules.run_all(con, [rules.key_issues(c) for c in all_constraints
                                  if c.table in present and c.kind in ("PRIMARY KEY", "UNIQUE")])
    text_columns = {(t.name, col.name) for t in loadable for col in t.columns if col.data_type == "VARCHAR"}
    issues += rules.run_all(con, [rule for c in all_constraints
                                  if c.kind == "PRIMARY KEY" and len(c.columns) == 1
                                  and (c.table, c.columns[0]) in text_columns
                                  for rule in rules.id_issues(c)])
    checking.add()
    foreign = [c for c in all_constraints
               if c.kind == "FOREIGN KEY" and c.table in present and c.referenced_table in present]
    parents = rules.parent_facts(con, sorted({c.referenced_table for c in foreign}))
    dangling = rules.run_all(con, [rules.foreign_key_issues(c, parents) for c in foreign])
    for table in {i.table for i in dangling}:  # rows with a dangling reference stay out of the CHECKs
        staging.flag_rows(con, table, [i.row for i in dangling if i.table == table])
    issues += dangling
    checking.add()
    issues += rules.run_all(con, [rules.check_issues(c) for c in all_constraints
                                  if c.kind == "CHECK" and c.table in present])
    checking.add()
    for table in present:  # rows in error stay out of the rules that add rows up
        staging.flag_rows(con, table, [i.row for i in issues if i.table == table and i.row is not None])
    if "ownership_stakes" in present:
        rules.ownership_cycle_candidates(con)
    checking.add()
    for rule in sql_rules:
        try:
            issues += rules.sql_rule_issues(con, rule)
        except duckdb.CatalogException:
            pass  # a table the rule needs could not be loaded; that is reported already
        checking.add()
    if "organisations" in present:
        referencing = [(c.table, c.columns[0]) for c in all_constraints
                       if c.kind == "FOREIGN KEY" and c.referenced_table == "organisations" and c.table in present]
        issues += rules.unreferenced_issues(con, "organisations", "org_id", referencing)
    checking.add()
    located = _locate(issues, seeds)
    checking.add()
    return sort_problems(file_problems + located)


def staged_rows(con: duckdb.DuckDBPyConnection, tables: list[str]) -> int:
    """How many rows the staged tables hold, together."""
    if not tables:
        return 0
    counts = " + ".join(f"(SELECT count(*) FROM staged.{q(t)})" for t in tables)
    return con.execute(f"SELECT {counts}").fetchall()[0][0]


def _bytes(size: int) -> str:
    """A file size for a person: ``812 bytes``, ``95 KB``, ``1.2 MB``, ``3.4 GB``."""
    if size < 1000:
        return plural(size, "byte")
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    raise AssertionError  # pragma: no cover


def _locate(issues: list[RowIssue], seeds: Path) -> list[Problem]:
    """Turn row positions into line numbers, reading only the files that have problems."""
    by_table: dict[str, list[RowIssue]] = defaultdict(list)
    for issue in issues:
        by_table[issue.table].append(issue)
    problems = []
    for table, table_issues in by_table.items():
        path = Path(seeds) / f"{table}.csv"
        lines = seedfiles.LineMap(path, [i.offset for i in table_issues if i.offset is not None])
        for i in table_issues:
            if i.offset is not None:
                line = lines.byte_line(i.offset)
            else:
                line = lines.row_line(i.row) if i.row is not None else None
            problems.append(Problem(str(path), line, i.column, i.message, i.severity, i.rule))
    return problems


#: A rule that finds more than this many problems in one file is summarised; up to this many are listed.
LISTED = 5
#: The lines a summary names.
SHOWN = 3
#: What a summary says about the full list, unless told otherwise.
ALL_PROBLEMS = "--all-problems lists them all"


def report(problems: list[Problem], every: bool = False, full_list: str = ALL_PROBLEMS) -> list[str]:
    """The problems as a person reads them, like a compiler's: one line each, then the count.

    Problems are in file and line order. When one rule finds more than
    ``LISTED`` problems in one file, its warnings become one line, at the
    place of the first, with their count and the first ``SHOWN`` lines::

        big/facilities.csv: warning: 1,198 facilities have no capacity figure
        (rule facility_without_capacity), e.g. lines 2, 12, 68; --all-problems lists them all

    and its errors are listed for the first ``LISTED``, followed by one such
    line counting the others (``12 more like these``), so that each error
    stays findable. ``every`` lists every problem; ``full_list`` is what the
    summaries say lists them all. Problems no rule names are grouped by
    their message with the quoted values and the numbers taken out.
    """
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[_group(problem)].append(problem)
    summaries = rules.summaries()
    seen: dict[tuple, int] = defaultdict(int)
    lines = []
    for problem in problems:
        key = _group(problem)
        group, index = groups[key], seen[key]
        seen[key] += 1
        if every or len(group) <= LISTED:
            lines.append(str(problem))
        elif problem.is_error:
            if index < LISTED:
                lines.append(str(problem))
            if index == LISTED - 1:
                lines.append(_summary(group[LISTED:], summaries, full_list, more=True))
        elif index == 0:
            lines.append(_summary(group, summaries, full_list))
    errors = sum(p.is_error for p in problems)
    lines.append(f"{plural(errors, 'error')}, {plural(len(problems) - errors, 'warning')}")
    return lines


def _group(problem: Problem) -> tuple:
    """Problems that one summary counts: the same file, severity, rule (or kind of message) and column."""
    kind = problem.rule or re.sub(r"'[^']*'|\"[^\"]*\"|[0-9]+(\.[0-9]+)?", "_", problem.message)
    return problem.file, problem.severity, kind, problem.column


def _summary(group: list[Problem], summaries: dict[str, str], full_list: str, more: bool = False) -> str:
    first = group[0]
    what = summaries.get(first.rule or "")
    if what is None:
        what = "like these" if more else f"{first.severity}s like this one: {first.message}"
        named = [f"rule {first.rule}"] if first.rule else []
        named += [f"column {first.column}"] if first.column else []
    else:
        named = [f"rule {first.rule}"]
    lines = list(dict.fromkeys(p.line for p in group if p.line is not None))[:SHOWN]
    where = f", e.g. {'line' if len(lines) == 1 else 'lines'} {', '.join(map(str, lines))}" if lines else ""
    return (f"{first.file}: {first.severity}: {len(group):,} {'more ' if more else ''}{what}"
            + (f" ({', '.join(named)})" if named else "") + f"{where}; {full_list}")
