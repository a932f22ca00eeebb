"""Checking a seed folder: every problem in one pass, located by file, line and column.

The check is the ordered list ``STEPS``, each a function with one job. The
order keeps one mistake from being reported many times: files and headers
first; then rows DuckDB cannot read; then values that do not fit their
column's type or are missing; then keys, references and the CHECK rules (on
rows that passed the earlier steps); then the rules in ``rules/``. Problems
found at any step are all reported together; ``report`` writes them for a
person, summarising a rule that finds many.

Reading and checking are stages of ``progress``: a line each, and a
counter. Each step is timed (``Checked.timings``), so that the build and
the benchmark can say where the time goes.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from . import loading, paths, progress, rules, schema, seedfiles, staging
from .errors import Problem, sort_problems
from .progress import plural
from .schema import Table


def check(seeds: Path | str | None = None, schema_dir: Path | str | None = None) -> list[Problem]:
    """Every problem in the seed folder (default: the shipped seeds), errors and warnings, sorted."""
    seeds = paths.seeds_dir(seeds)
    schema_dir = paths.schema_dir(schema_dir)
    with duckdb.connect() as con:
        schema.apply(con, schema_dir)
        return stage_and_check(con, seeds, schema.load_order(schema.tables(con))).problems


@dataclass
class Checking:
    """What the steps share: the connection (its catalog has the DDL as written), and what was found so far."""

    con: duckdb.DuckDBPyConnection
    seeds: Path
    order: list[Table]
    loadable: list[Table] = field(default_factory=list)   # tables whose files passed the file checks
    file_problems: list[Problem] = field(default_factory=list)
    issues: list[Problem] = field(default_factory=list)   # at staged rows, before lines are counted
    constraints: list[rules.Constraint] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)    # rows DuckDB read from each loadable file

    @property
    def present(self) -> set[str]:
        """The tables whose rows are staged."""
        return {t.name for t in self.loadable}

    def declared(self, *kinds: str) -> list[rules.Constraint]:
        """The constraints of these kinds on staged tables."""
        return [c for c in self.constraints if c.kind in kinds and c.table in self.present]


@dataclass(frozen=True)
class Checked:
    problems: list[Problem]
    timings: dict[str, float]  # seconds each step took, by step name


def files_and_headers(c: Checking) -> None:
    """Every table has a file, every file a table, and each header names the table's columns."""
    c.file_problems, c.loadable = seedfiles.check_files(c.seeds, c.order)
    c.constraints = rules.constraints(c.con)


def unreadable_rows(c: Checking) -> None:
    """Read and type each file into ``staged``; rows and files DuckDB cannot read are problems."""
    if c.loadable:  # else the folder is missing, or every file is, which the problems say
        size = sum(seedfiles.seed_path(c.seeds, t).stat().st_size for t in c.loadable)
        progress.stage(f"reading {plural(len(c.loadable), 'seed file')} ({_bytes(size)})")
    issues, unreadable = loading.stage(c.con, c.seeds, c.loadable)
    c.loadable = [t for t in c.loadable if t not in unreadable]
    c.issues += issues
    if c.loadable:
        c.rows = loading.staged_rows(c.con, c.loadable)
        progress.stage(f"checking {plural(sum(c.rows.values()), 'row')}: "
                       "types, keys, references, CHECK rules and seed rules")


def types(c: Checking) -> None:
    """Values that do not convert to their column's type, and required values that are missing."""
    c.issues += staging.type_issues(c.con, c.loadable)


def keys(c: Checking) -> None:
    """Primary and unique keys are unique; text ids are plain characters and differ in more than case."""
    text_columns = {(t.name, col.name) for t in c.loadable for col in t.columns if col.data_type == "VARCHAR"}
    c.issues += rules.run_all(c.con, [rules.key_issues(k) for k in c.declared("PRIMARY KEY", "UNIQUE")] + [
        rule for k in c.declared("PRIMARY KEY")
        if len(k.columns) == 1 and (k.table, k.columns[0]) in text_columns for rule in rules.id_issues(k)])


def references(c: Checking) -> None:
    """Every foreign key names a row of the table it refers to; rows that do not stay out of the later steps."""
    foreign = [k for k in c.declared("FOREIGN KEY") if k.referenced_table in c.present]
    dangling = rules.run_all(c.con, rules.foreign_key_issues(c.con, foreign))
    for table in {_table(i) for i in dangling}:
        staging.flag_rows(c.con, table, [i.row for i in dangling if _table(i) == table])
    c.issues += dangling


def checks(c: Checking) -> None:
    """The DDL's CHECK rules, on the rows without earlier errors."""
    types = {t.name: {col.name: col.data_type for col in t.columns} for t in c.order}
    c.issues += rules.run_all(c.con, [rules.check_issues(k, types[k.table]) for k in c.declared("CHECK")])


def seed_rules(c: Checking) -> None:
    """The rules in ``rules/``, which add rows up, on the rows without errors; then ids nothing refers to."""
    for table in c.present:
        staging.flag_rows(c.con, table, [i.row for i in c.issues if _table(i) == table and i.row is not None])
    c.issues += rules.run_sql_rules(c.con, c.present)
    if "organisations" in c.present:
        referencing = [(k.table, k.columns[0]) for k in c.declared("FOREIGN KEY")
                       if k.referenced_table == "organisations"]
        c.issues += rules.unreferenced_issues(c.con, "organisations", "org_id", referencing)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Checking], None]


#: The check, in order.
STEPS: tuple[Step, ...] = (
    Step("files and headers", files_and_headers),
    Step("unreadable rows", unreadable_rows),
    Step("types", types),
    Step("keys", keys),
    Step("references", references),
    Step("CHECK rules", checks),
    Step("seed rules", seed_rules),
)


def stage_and_check(con: duckdb.DuckDBPyConnection, seeds: Path, order: list[Table]) -> Checked:
    """Stage the seeds into ``staged`` on ``con`` (see ``loading``) and return every problem found.

    ``con``'s catalog holds the tables as the DDL declares them: the steps
    read their keys, references and CHECK rules from it.
    """
    loading.attach_staging(con)
    checking = Checking(con, seeds, order)
    timings: dict[str, float] = {}
    counter = None
    for step in STEPS:
        started = time.perf_counter()
        step.run(checking)
        timings[step.name] = time.perf_counter() - started
        progress.log.debug("%s: %.3f s", step.name, timings[step.name])
        if step.run is unreadable_rows:  # the steps after reading are what "checking" counts
            counter = progress.Counter("checking", len(STEPS) - STEPS.index(step) - 1)
        elif counter is not None:
            counter.add()
    started = time.perf_counter()
    located = _locate(checking.issues, seeds, checking.rows)
    timings["locating lines"] = time.perf_counter() - started
    return Checked(sort_problems(checking.file_problems + located), timings)


def _bytes(size: int) -> str:
    """A file size for a person: ``812 bytes``, ``95 KB``, ``1.2 MB``, ``3.4 GB``."""
    if size < 1000:
        return plural(size, "byte")
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    raise AssertionError  # pragma: no cover


def _table(issue: Problem) -> str:
    """The table of a problem not yet located, whose file is the seed file's name."""
    return issue.file.removesuffix(".csv")


def _locate(issues: list[Problem], seeds: Path, rows: dict[str, int]) -> list[Problem]:
    """Turn row positions into line numbers, reading only the files that have problems."""
    by_table: dict[str, list[Problem]] = defaultdict(list)
    for issue in issues:
        by_table[_table(issue)].append(issue)
    problems = []
    for table, table_issues in by_table.items():
        path = Path(seeds) / f"{table}.csv"
        lines = seedfiles.LineMap(path, [i.offset for i in table_issues if i.offset is not None], rows.get(table))
        for i in table_issues:
            if i.offset is not None:
                line = lines.byte_line(i.offset)
            else:
                line = lines.row_line(i.row) if i.row is not None else None
            problems.append(replace(i, file=str(path), line=line, row=None, offset=None))
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
