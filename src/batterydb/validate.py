"""Checking a seed folder: every problem in one pass, located by file, line and column.

The order matters only to keep one mistake from being reported many times:
files and headers first; then rows DuckDB cannot read; then values that do
not fit their column's type or are missing; then keys, references and the
CHECK rules (on rows that passed the earlier steps); then the rules in
``rules/``. Problems found at any step are all reported together.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb

from . import paths, rules, schema, seedfiles, staging
from .errors import Problem, sort_problems
from .schema import Table
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
    for table in list(loadable):
        try:
            issues += staging.load(con, seeds, table)
        except staging.UnreadableFile as exc:
            loadable.remove(table)
            issues.append(RowIssue(table.name, None, exc.offset, None, exc.message))
    for table in loadable:
        issues += staging.type_issues(con, table)

    present = {t.name for t in loadable}
    all_constraints = rules.constraints(con)
    issues += rules.run_all(con, [rules.key_issues(c) for c in all_constraints
                                  if c.table in present and c.kind in ("PRIMARY KEY", "UNIQUE")])
    text_columns = {(t.name, col.name) for t in loadable for col in t.columns if col.data_type == "VARCHAR"}
    issues += rules.run_all(con, [rule for c in all_constraints
                                  if c.kind == "PRIMARY KEY" and len(c.columns) == 1
                                  and (c.table, c.columns[0]) in text_columns
                                  for rule in rules.id_issues(c)])
    foreign = [c for c in all_constraints
               if c.kind == "FOREIGN KEY" and c.table in present and c.referenced_table in present]
    parents = rules.parent_facts(con, sorted({c.referenced_table for c in foreign}))
    dangling = rules.run_all(con, [rules.foreign_key_issues(c, parents) for c in foreign])
    for table in {i.table for i in dangling}:  # rows with a dangling reference stay out of the CHECKs
        staging.flag_rows(con, table, [i.row for i in dangling if i.table == table])
    issues += dangling
    issues += rules.run_all(con, [rules.check_issues(c) for c in all_constraints
                                  if c.kind == "CHECK" and c.table in present])
    for table in present:  # rows in error stay out of the rules that add rows up
        staging.flag_rows(con, table, [i.row for i in issues if i.table == table and i.row is not None])
    if "ownership_stakes" in present:
        rules.ownership_cycle_candidates(con)
    for rule in rules.sql_rules():
        try:
            issues += rules.sql_rule_issues(con, rule)
        except duckdb.CatalogException:
            continue  # a table the rule needs could not be loaded; that is reported already
    if "organisations" in present:
        referencing = [(c.table, c.columns[0]) for c in all_constraints
                       if c.kind == "FOREIGN KEY" and c.referenced_table == "organisations" and c.table in present]
        issues += rules.unreferenced_issues(con, "organisations", "org_id", referencing)
    return sort_problems(file_problems + _locate(issues, seeds))


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
            problems.append(Problem(str(path), line, i.column, i.message, i.severity))
    return problems
