"""A synthetic seed folder shaped like the real industry, at any size.

The shipped seeds hold a few dozen rows: enough to check every rule by hand,
far too few to see how checking, building and querying behave on a database
of a million organisations. ``generate`` writes a complete seed folder, every
file the shipped one has with the same header, whose shape follows what the
real data shows: a few groups own many companies (owners are chosen by
preferential attachment), ownership runs many levels deep, joint ventures
have two to four partners whose shares add up to 100% or less, a few
cross-holdings close cycles, shares and figures are often unknown or only
bounded, plants move through dated statuses and report capacity over
several years in units that convert to GWh and units that do not. Every fact
cites one of a modest number of sources, all titled "Synthetic source N".

The folder passes ``batterydb check`` without errors; the warnings it
carries (stakes below 100%, ownership cycles, plants without capacity) are
there on purpose. The vocabularies (countries, units, statuses, kinds, ...)
are the shipped files, copied unchanged; ``fx_rates`` is left with its header
only, since a rate must cite an official series.

Rows are streamed to disk table by table. What must be remembered across
tables is kept as compact arrays of integers, one entry per organisation or
facility, so memory grows by a few bytes per organisation, not per row. The
same scale and seed give the same bytes: every random choice comes from one
``random.Random(seed)``, and nothing depends on the clock.

Which tables there are, and their columns in order, is read from the DDL in
``schema/``. Each is filled by one family, a function writing a table and the
tables that hang off it (``FAMILIES``), or copied from the shipped seeds, or
left with its header only; ``check_coverage`` refuses a table that is none.
"""

from __future__ import annotations

import csv
import math
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from random import Random

import duckdb

from .. import paths, progress, schema
from ..errors import GenerateError
from ..progress import plural
from .common import _Run, _Sink, _Sinks, _Sources, _World
from .deals import _agreements, _investments
from .facilities import _facilities
from .organisations import _documents, _organisations, _people
from .targets import _reported_figures, _targets

#: Organisations at scale 1; other tables grow in proportion.
BASE_ORGANISATIONS = 1000
#: Fewest organisations whatever the scale, so that every shape (deep chains, cycles,
#: joint ventures, governments with documents) still fits.
MIN_ORGANISATIONS = 60

# Vocabulary files copied unchanged from the shipped seeds.
VOCABULARIES = (
    "agreement_kinds", "agreement_statuses", "alias_kinds", "countries", "currencies", "document_kinds",
    "facility_kinds", "facility_statuses", "identifier_schemes", "metrics", "organisation_kinds", "party_roles",
    "qualifiers",
    "sectors", "source_kinds", "stake_kinds", "unit_conversions", "units",
)
# Left with the header only: a rate may only be seeded from a citable official series, and an identifier
# from a register's own record, which generated organisations do not have.
HEADER_ONLY = ("fx_rates", "organisation_identifiers")


@dataclass(frozen=True)
class Family:
    """Tables one function fills together (a table and those that hang off it), from a random stream of its own.

    ``label`` names the family in progress and in errors. The families
    ``with_others`` are told as one stage, counted together, after the
    organisations (which count their own rows).
    """

    label: str
    fills: tuple[str, ...]
    make: Callable[[Random, _Run], None]
    with_others: bool = True


def _sources(rng: Random, run: _Run) -> None:
    """The sources, with their publishers and the sources they cite."""
    run.sources.write(rng, run.world, run.sinks)


#: Every generated table, by the family that fills it, in the order they run. The n-th family draws from
#: the n-th random stream (the world is made from stream 0), so a new family goes at the end: placed before
#: others, it would change their data for every seed.
FAMILIES = (
    Family("sources", ("sources", "source_publishers", "source_citations"), _sources, with_others=False),
    Family("organisations", ("organisations", "organisation_aliases", "organisation_sectors", "ownership_stakes"),
           _organisations, with_others=False),
    Family("people", ("people", "person_roles"), _people),
    Family("documents", ("documents", "document_issuers", "document_relations"), _documents),
    Family("facilities", ("facilities", "facility_status_history", "capacities"), _facilities),
    Family("targets", ("targets", "target_setters"), _targets),
    Family("reported figures", ("reported_figures",), _reported_figures),
    Family("investments", ("investments", "investment_investors"), _investments),
    Family("agreements", ("agreements", "agreement_parties"), _agreements),
)


def generate(out_dir: Path | str, scale: float = 1, seed: int = 0) -> dict[str, int]:
    """Write a valid synthetic seed folder at ``scale`` times the base size; rows written per table.

    Scale 1 is about 1,000 organisations and 2,000 ownership stakes; scale
    1000 about a million organisations. ``out_dir`` is created when missing;
    it must be empty or a folder generated before (whose files are
    overwritten): a folder of real seeds is refused. Raises ``GenerateError``
    for an impossible scale, seed or folder.
    """
    number = isinstance(scale, (int, float)) and not isinstance(scale, bool)
    if not number or not math.isfinite(scale) or scale <= 0:
        raise GenerateError("scale must be a positive number, such as 0.1, 1 or 100; found "
                            + (f"{scale:g}" if number else repr(scale)))
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise GenerateError(f"seed must be a whole number; found {seed!r}")
    shipped = paths.seeds_dir()
    out = Path(out_dir)
    columns = _schema_columns()
    _prepare(out, set(columns))

    n_orgs = max(MIN_ORGANISATIONS, round(BASE_ORGANISATIONS * scale))
    progress.stage(f"generating {plural(len(columns), 'seed file')} for {plural(n_orgs, 'organisation')} "
                   f"(scale {scale:g}, seed {seed})")
    master = Random(seed)
    # One stream per part, drawn from the master in a fixed order, so that
    # changing how one table is made does not reshuffle the others.
    streams = [Random(master.getrandbits(64)) for _ in range(1 + len(FAMILIES))]
    world = _World(streams[0], n_orgs)
    sources = _Sources(max(20, n_orgs // 20))

    counts: dict[str, int] = {}
    for name in VOCABULARIES:
        shutil.copyfile(shipped / f"{name}.csv", out / f"{name}.csv")
        counts[name] = _count_rows(out / f"{name}.csv")
    for name in HEADER_ONLY:
        with _Sink(out / f"{name}.csv", columns[name]) as sink:
            counts[name] = sink.rows

    others = [family.label for family in FAMILIES if family.with_others]
    counter = None
    with _Sinks(out, {name: columns[name] for family in FAMILIES for name in family.fills}) as sinks:
        run = _Run(world, sources, sinks)
        for family, rng in zip(FAMILIES, streams[1:]):
            if family.with_others and counter is None:
                progress.stage(f"generating {', '.join(others[:-1])} and {others[-1]}")
                counter = progress.Counter("generating the other tables", len(others))
            family.make(rng, run)
            if family.with_others:
                counter.add()
        counts.update(sinks.counts())
    return dict(sorted(counts.items()))


def _schema_columns() -> dict[str, tuple[str, ...]]:
    """The columns of every table of the shipped schema, in DDL order, once ``check_coverage`` finds each made."""
    con = duckdb.connect()
    try:
        schema.apply(con, paths.schema_dir(), comments=False)
        tables = schema.tables(con)
    finally:
        con.close()
    check_coverage(tables)
    return {name: tuple(table.column_names) for name, table in tables.items()}


def check_coverage(tables: Iterable[str]) -> None:
    """Raise ``GenerateError`` unless each of the schema's ``tables`` is copied (``VOCABULARIES``), left with
    its header only (``HEADER_ONLY``) or filled by exactly one of ``FAMILIES``, and nothing else is named there.

    A table added to the DDL is refused here until generate learns how to make it, rather than left out of
    the folder (which would then fail its check).
    """
    where: dict[str, list[str]] = {}
    for name in VOCABULARIES:
        where.setdefault(name, []).append("VOCABULARIES")
    for name in HEADER_ONLY:
        where.setdefault(name, []).append("HEADER_ONLY")
    for family in FAMILIES:
        for name in family.fills:
            where.setdefault(name, []).append(f"the {family.label} family")
    tables = set(tables)
    problems = []
    for name in sorted(tables - set(where)):
        problems.append(f"table {name!r} of the schema has no generator: write a function filling it in the module "
                        "of batterydb/generate/ for its family and add it to FAMILIES in batterydb/generate/"
                        "__init__.py, or name it in VOCABULARIES (copied from the shipped seeds) or HEADER_ONLY there")
    for name in sorted(tables & set(where)):
        if len(where[name]) > 1:
            problems.append(f"table {name!r} is made by {' and by '.join(where[name])} in batterydb/generate/"
                            "__init__.py; keep it in one")
    for name in sorted(set(where) - tables):
        problems.append(f"{name!r} is named by {' and by '.join(where[name])} in batterydb/generate/__init__.py "
                        "but is not a table of the schema; remove it there, or add the table to the DDL")
    if problems:
        raise GenerateError("\n".join(problems))


def _prepare(out: Path, known: set[str]) -> None:
    """Create the folder, or accept an empty one or one generated before; never a folder of real seeds."""
    if out.exists() and not out.is_dir():
        raise GenerateError(f"{out} is a file; give a folder to write the seed files into")
    if out.is_dir() and any(out.iterdir()):
        others = sorted(p.name for p in out.iterdir() if p.name not in {f"{n}.csv" for n in known})
        if others:
            raise GenerateError(f"{out} holds files other than seed files ({', '.join(others[:3])}"
                                f"{', ...' if len(others) > 3 else ''}); give an empty or new folder")
        if not _generated_before(out):
            raise GenerateError(f"{out} holds seed files that batterydb generate did not write; "
                                "give an empty or new folder (generated data never replaces real seeds)")
    out.mkdir(parents=True, exist_ok=True)


def _generated_before(folder: Path) -> bool:
    """Whether the folder's sources.csv starts with the first synthetic source, as generated folders do."""
    try:
        with (folder / "sources.csv").open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header, first = next(rows), next(rows)
    except (OSError, StopIteration, UnicodeDecodeError, csv.Error):
        return False
    record = dict(zip(header, first))
    return record.get("source_id") == "src_000001" and record.get("title") == "Synthetic source 1"


def _count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for row in csv.reader(f) if row) - 1
