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
"""

from __future__ import annotations

import csv
import math
from calendar import monthrange
import shutil
from array import array
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from random import Random

from . import paths, progress
from .errors import GenerateError
from .progress import plural

#: Organisations at scale 1; other tables grow in proportion.
BASE_ORGANISATIONS = 1000
#: Fewest organisations whatever the scale, so that every shape (deep chains, cycles,
#: joint ventures, governments with documents) still fits.
MIN_ORGANISATIONS = 60
#: The day the synthetic world is seen from: later statuses are expected, not reported.
AS_OF = date(2025, 6, 30)

# Vocabulary files copied unchanged from the shipped seeds.
VOCABULARIES = (
    "agreement_kinds", "agreement_statuses", "alias_kinds", "countries", "currencies", "document_kinds",
    "facility_kinds", "facility_statuses", "metrics", "organisation_kinds", "party_roles", "qualifiers",
    "sectors", "source_kinds", "stake_kinds", "unit_conversions", "units",
)
# Left with the header only: a rate may only be seeded from a citable official series.
HEADER_ONLY = ("fx_rates",)

# Columns of every generated file, in the order of the shipped headers (a test compares them).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("source_id", "kind", "publisher_note", "title", "published_on", "published_precision",
                "file_name", "note"),
    "source_publishers": ("source_id", "org_id"),
    "source_citations": ("citing_source_id", "cited_source_id", "note"),
    "organisations": ("org_id", "name", "kind", "country_code", "region", "city", "source_id", "note"),
    "organisation_aliases": ("org_id", "alias", "kind", "source_id"),
    "organisation_sectors": ("org_id", "sector_code", "role", "source_id", "note"),
    "ownership_stakes": ("stake_id", "owner_org_id", "owned_org_id", "kind", "qualifier", "share_pct",
                         "share_min_pct", "share_min_exclusive", "share_max_pct", "share_max_exclusive",
                         "reported_on", "reported_precision", "source_id", "note"),
    "people": ("person_id", "name", "source_id"),
    "person_roles": ("person_id", "org_id", "title", "city", "source_id"),
    "documents": ("document_id", "title", "kind", "issued_on", "issued_precision", "source_id", "note"),
    "document_issuers": ("document_id", "org_id", "source_id"),
    "document_relations": ("document_id", "related_document_id", "relation", "source_id"),
    "facilities": ("facility_id", "name", "operator_org_id", "kind", "product", "area", "region", "country_code",
                   "location_is_approximate", "source_id", "note"),
    "facility_status_history": ("facility_id", "status", "status_on", "status_precision", "is_expected",
                                "source_id", "note"),
    "capacities": ("capacity_id", "facility_id", "org_id", "basis", "qualifier", "value", "value_min",
                   "value_min_exclusive", "value_max", "value_max_exclusive", "unit_code", "year",
                   "year_qualifier", "source_id", "note"),
    "targets": ("target_id", "document_id", "metric_code", "scope_country_code", "scope_sector_code",
                "scope_org_id", "comparator", "qualifier", "value", "value_min", "value_min_exclusive",
                "value_max", "value_max_exclusive", "unit_code", "start_year", "deadline_year",
                "deadline_qualifier", "description", "source_id", "note"),
    "target_setters": ("target_id", "org_id", "source_id"),
    "reported_figures": ("figure_id", "metric_code", "scope_country_code", "scope_sector_code", "scope_org_id",
                         "period_start", "period_end", "qualifier", "value", "value_min", "value_min_exclusive",
                         "value_max", "value_max_exclusive", "unit_code", "reported_by_org_id", "source_id",
                         "note"),
    "investments": ("investment_id", "target_org_id", "target_facility_id", "purpose", "qualifier", "amount",
                    "amount_min", "amount_min_exclusive", "amount_max", "amount_max_exclusive", "currency_code",
                    "usd_stated", "usd_stated_qualifier", "period_years", "announced_on", "announced_precision",
                    "source_id", "note"),
    "investment_investors": ("investment_id", "org_id", "source_id"),
    "agreements": ("agreement_id", "kind", "status", "subject", "facility_id", "announced_on",
                   "announced_precision", "start_year", "source_id", "note"),
    "agreement_parties": ("agreement_id", "org_id", "role", "source_id"),
}

# Kinds of organisation, as small integers so that one byte per organisation holds them.
# Codes below OWNER can own stakes; codes below OPERATOR can run plants.
COMPANY, JOINT_VENTURE, BUSINESS_UNIT, GOVERNMENT, RESEARCH, MEDIA = range(6)
OPERATOR, OWNER = 3, 4
KIND_CODES = ("company", "joint_venture", "business_unit", "government_body", "research_firm", "media_outlet")

# How an owner is tied to what it owns.
PARENT, UNIT_PARENT, MINORITY, PARTNER, CROSS = range(5)
STAKE_KINDS = ("equity_stake", "business_unit", "equity_stake", "jv_partner", "equity_stake")

# Home countries, weighted roughly by where battery and car makers sit, with the
# currency their money is stated in and a rough size of that currency per US
# dollar. The sizes only make amounts look plausible; they are not exchange rates.
COUNTRIES = (
    ("CN", 30, "CNY", 7), ("US", 12, "USD", 1), ("KR", 8, "KRW", 1300), ("JP", 8, "JPY", 140),
    ("DE", 8, "EUR", 1), ("FR", 4, "EUR", 1), ("HU", 3, "HUF", 350), ("PL", 3, "PLN", 4),
    ("SE", 2, "SEK", 10), ("GB", 3, "GBP", 1), ("IN", 4, "INR", 80), ("ID", 2, "IDR", 15000),
    ("CA", 2, "CAD", 1), ("MX", 2, "MXN", 18), ("ES", 2, "EUR", 1), ("IT", 2, "EUR", 1),
    ("CZ", 1, "CZK", 22), ("NO", 1, "NOK", 10), ("TH", 1, "THB", 35), ("VN", 1, "VND", 24000),
    ("AU", 1, "AUD", 1), ("MA", 1, "MAD", 10), ("TR", 1, "TRY", 30),
)
NO_COUNTRY = 255
CITIES = {
    "CN": ("Ningde", "Changzhou", "Shenzhen", "Hefei", "Yibin", "Shanghai"), "US": ("Detroit", "Reno", "Nashville"),
    "KR": ("Seoul", "Ochang", "Cheonan"), "JP": ("Osaka", "Nagoya", "Tokyo"), "DE": ("Erfurt", "Salzgitter", "Berlin"),
    "FR": ("Douai", "Dunkirk"), "HU": ("Debrecen", "Goed"), "PL": ("Wroclaw",), "SE": ("Skelleftea",),
}
LEGAL_SUFFIX = {"CN": "Co., Ltd.", "KR": "Co., Ltd.", "JP": "Co., Ltd.", "US": "Inc.", "DE": "GmbH", "FR": "SA",
                "HU": "Kft.", "PL": "Sp. z o.o.", "SE": "AB", "GB": "Ltd", "IT": "S.p.A.", "ES": "S.A."}
SYLLABLES = ("vol", "ka", "tor", "ne", "li", "an", "ce", "ro", "mi", "sa", "ter", "on", "da", "ex", "lu",
             "gen", "po", "ri", "zen", "ta", "ver", "ion", "cor", "ma", "sun", "be", "ar", "qu", "el", "do")
WORDS = ("Energy", "Battery", "Power", "Motors", "Cells", "Materials", "Mobility", "Automotive", "New Energy",
         "Technology", "Electric", "Storage")
MINISTRIES = ("Industry", "Energy", "Transport", "Science", "Economy", "Trade")
PRODUCTS = ("battery cells", "battery modules", "battery packs", "lithium-ion batteries", "cathode materials",
            "anode materials", "electric vehicles")
PURPOSES = ("Construction of a battery cell plant.", "Expansion of battery production capacity.",
            "Initial capital of the joint venture.", "Research and development of new battery chemistries.",
            "Battery materials processing.", "A new production line for battery packs.")
TITLES = ("chief executive", "chairman", "chief technology officer", "analyst", "reporter", "plant manager")


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
    _prepare(out, shipped)

    n_orgs = max(MIN_ORGANISATIONS, round(BASE_ORGANISATIONS * scale))
    files = set(VOCABULARIES) | set(HEADER_ONLY) | set(COLUMNS)
    progress.stage(f"generating {plural(len(files), 'seed file')} for {plural(n_orgs, 'organisation')} "
                   f"(scale {scale:g}, seed {seed})")
    master = Random(seed)
    # One stream per part, drawn from the master in a fixed order, so that
    # changing how one table is made does not reshuffle the others.
    streams = [Random(master.getrandbits(64)) for _ in range(10)]
    world = _World(streams[0], n_orgs)
    sources = _Sources(max(20, n_orgs // 20))

    counts: dict[str, int] = {}
    for name in VOCABULARIES:
        shutil.copyfile(shipped / f"{name}.csv", out / f"{name}.csv")
        counts[name] = _count_rows(out / f"{name}.csv")
    for name in HEADER_ONLY:
        with (shipped / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        with _Sink(out / f"{name}.csv", header) as sink:
            counts[name] = sink.rows

    with _Sinks(out) as sinks:
        sources.write(streams[1], world, sinks)
        _organisations(streams[2], world, sources, sinks)
        progress.stage("generating people, documents, facilities, targets, reported figures, investments "
                       "and agreements")
        others = progress.Counter("generating the other tables", 7)
        _people(streams[3], world, sources, sinks, max(5, n_orgs // 50))
        others.add()
        documents = _documents(streams[4], world, sources, sinks, max(3, n_orgs // 200))
        others.add()
        facilities = _facilities(streams[5], world, sources, sinks, max(10, n_orgs * 3 // 10),
                                 max(2, n_orgs // 50))
        others.add()
        _targets(streams[6], world, sources, sinks, documents, max(10, n_orgs // 25))
        others.add()
        _reported_figures(streams[7], world, sources, sinks, max(10, n_orgs // 10))
        others.add()
        _investments(streams[8], world, sources, sinks, facilities, max(10, n_orgs // 5))
        others.add()
        _agreements(streams[9], world, sources, sinks, facilities, max(10, n_orgs // 4))
        others.add()
        counts.update(sinks.counts())
    return dict(sorted(counts.items()))


def _prepare(out: Path, shipped: Path) -> None:
    """Create the folder, or accept an empty one or one generated before; never a folder of real seeds."""
    shipped_names = {p.stem for p in shipped.glob("*.csv")}
    known = set(VOCABULARIES) | set(HEADER_ONLY) | set(COLUMNS)
    if shipped_names != known:  # the schema gained or lost a table: this module must learn it
        raise RuntimeError(f"generate does not know how to fill {sorted(shipped_names ^ known)}")
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


class _Sink:
    """One seed file open for writing: its CSV writer and the number of rows written."""

    def __init__(self, path: Path, columns):
        self._file = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._write = csv.writer(self._file, lineterminator="\n").writerow
        self._write(columns)
        self.rows = 0

    def row(self, *values) -> None:
        self._write(values)
        self.rows += 1

    def __enter__(self) -> "_Sink":
        return self

    def __exit__(self, *exc) -> None:
        self._file.close()


class _Sinks(ExitStack):
    """Every generated file, open at once, so that a table and the rows that hang off it are written together."""

    def __init__(self, out: Path):
        super().__init__()
        self._out = out
        self._sinks: dict[str, _Sink] = {}

    def __enter__(self) -> "_Sinks":
        super().__enter__()
        for name, columns in COLUMNS.items():
            self._sinks[name] = self.enter_context(_Sink(self._out / f"{name}.csv", columns))
        return self

    def __getitem__(self, name: str) -> _Sink:
        return self._sinks[name]

    def counts(self) -> dict[str, int]:
        return {name: sink.rows for name, sink in self._sinks.items()}


def _picker(rng: Random, weighted):
    """A function drawing one item of ``(item, weight)`` pairs; integer weights, one table lookup per draw."""
    table = [item for item, weight in weighted for _ in range(weight)]
    rnd, n = rng.random, len(table)
    return lambda: table[int(rnd() * n)]


def _date(rng: Random, start: date, end: date, weights=(70, 20, 10)) -> tuple[str, str]:
    """A date between ``start`` and ``end`` with a precision, stored as the precision rule requires."""
    d = date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
    return _at_precision(rng, d, weights)


def _at_precision(rng: Random, d: date, weights=(70, 20, 10)) -> tuple[str, str]:
    r = rng.random() * sum(weights)
    if r < weights[0]:
        return d.isoformat(), "day"
    if r < weights[0] + weights[1]:
        return f"{d.year:04d}-{d.month:02d}-01", "month"
    return f"{d.year:04d}-01-01", "year"


def _pct(bp: int | None) -> str | None:
    """Basis points (hundredths of a percent) as the plain number a seed holds: 5100 is 51, 3333 is 33.33."""
    if bp is None:
        return None
    whole, cents = divmod(bp, 100)
    return str(whole) if not cents else f"{whole}.{cents:02d}".rstrip("0")


def _flag(value) -> str | None:
    return None if value is None else ("true" if value else "false")


def _number(value: float, unit: str) -> str:
    """A capacity or target figure rounded as a source would state it in that unit."""
    if unit == "gwh_per_year":
        return f"{value:.1f}"
    if value >= 1000:
        return str(int(round(value, -2)))
    return str(int(round(value)))


class _Sources:
    """The synthetic sources: ids by number, so that any table can cite one without holding a list."""

    KINDS = (("news_article", 45), ("blog_post", 10), ("research_note", 10), ("newspaper_report", 10),
             ("wire_report", 10), ("statement", 8), ("interview", 4), ("email", 3))

    def __init__(self, n: int):
        self.n = n

    def pick(self, rng: Random) -> str:
        return f"src_{1 + int(rng.random() * self.n):06d}"

    def write(self, rng: Random, world: "_World", sinks: _Sinks) -> None:
        kind_of = _picker(rng, self.KINDS)
        row, publisher, citation = sinks["sources"].row, sinks["source_publishers"].row, sinks["source_citations"].row
        for j in range(1, self.n + 1):
            sid, kind = f"src_{j:06d}", kind_of()
            undated = kind in ("statement", "interview", "email") and rng.random() < 0.5
            on, precision = (None, None) if undated else _date(rng, date(2008, 1, 1), AS_OF)
            unpublished = kind in ("interview", "email")
            row(sid, kind, "Synthetic: the person is not named." if unpublished else None,
                f"Synthetic source {j}", on, precision, None,
                "Synthetic row written by batterydb generate; not a real source.")
            if kind == "research_note" and world.research:
                publisher(sid, world.org_id(world.research[int(rng.random() * len(world.research))]))
            elif kind == "statement":
                publisher(sid, world.org_id(world.pick_any(rng, OPERATOR)))
            elif not unpublished and world.media:
                publisher(sid, world.org_id(world.media[int(rng.random() * len(world.media))]))
            if j > 2 and rng.random() < 0.15:
                for cited in sorted(rng.sample(range(1, j), rng.randint(1, 2))):
                    citation(sid, f"src_{cited:06d}", None)


class _World:
    """The organisations as compact arrays, one entry each: kind, country, name parts, primary parent, depth,
    and their owners (flattened, with offsets), built in one pass in id order.

    Owners are always organisations with a smaller number, chosen by
    preferential attachment: most often an owner already chosen before (in
    proportion to how often), else any earlier organisation. That gives a
    few groups with very many holdings and a long tail owning one. A share of
    subsidiaries is hung under another subsidiary, which makes deep chains;
    the first eight companies form a chain seven levels deep whatever the
    scale. A few stakes are then added the other way round (a subsidiary
    holding a little of an ancestor): the cross-holdings that close cycles.
    """

    def __init__(self, rng: Random, n: int):
        self.n = n
        self.width = max(6, len(str(n)))
        rnd, randint = rng.random, rng.randint
        stems = list(dict.fromkeys(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(800)))
        self.stems = stems
        self.kind = bytearray(n + 1)
        self.country = bytearray(n + 1)
        self.stem = array("H", bytes(2 * (n + 1)))
        self.word = bytearray(n + 1)
        self.parent = array("i", bytes(4 * (n + 1)))
        self.depth = bytearray(n + 1)  # steps up the primary parents
        self.level = bytearray(n + 1)  # steps up the longest chain of owners
        self.owner_start = array("i", [0, 0])  # owners of i are owners[owner_start[i]:owner_start[i + 1]]
        self.owners = array("i")
        self.roles = bytearray()
        self.tickets = array("i")  # one entry per organisation that can own, plus one per subsidiary
        self.group = array("i")  # the same for group-level organisations (level 0 or 1) and their side holdings
        self.media, self.research, self.governments = array("i"), array("i"), array("i")
        self.cross: dict[int, list[int]] = {}

        country_of = _picker(rng, [(k, w) for k, (_, w, _, _) in enumerate(COUNTRIES)])
        kind_of = _picker(rng, [(COMPANY, 705), (JOINT_VENTURE, 100), (BUSINESS_UNIT, 150), (GOVERNMENT, 20),
                                (RESEARCH, 10), (MEDIA, 15)])
        fixed = {9: GOVERNMENT, 10: GOVERNMENT, 11: MEDIA, 12: RESEARCH, 13: JOINT_VENTURE}
        owned = array("i")  # organisations with a primary parent, to hang subsidiaries under
        kind, country, parent, depth, level = self.kind, self.country, self.parent, self.depth, self.level
        tickets, group = self.tickets, self.group
        owners, roles = self.owners, self.roles
        n_stems, n_words = len(stems), len(WORDS)

        def pick_owner(i: int) -> int:
            if rnd() < 0.7:
                return tickets[int(rnd() * len(tickets))]
            for _ in range(10):
                o = 1 + int(rnd() * (i - 1))
                if kind[o] < OWNER:
                    return o
            return tickets[int(rnd() * len(tickets))]

        def pick_partner(i: int) -> int:
            if rnd() < 0.7:
                return group[int(rnd() * len(group))]
            for _ in range(10):
                o = 1 + int(rnd() * (i - 1))
                if kind[o] < OWNER and level[o] <= 1:
                    return o
            return group[int(rnd() * len(group))]

        for i in range(1, n + 1):
            k = COMPANY if i <= 8 else fixed[i] if i in fixed else kind_of()
            kind[i] = k
            self.stem[i] = int(rnd() * n_stems)
            self.word[i] = int(rnd() * n_words)
            mine: list[tuple[int, int]] = []
            if i == 1:
                pass  # the top of the chain
            elif i <= 8:
                mine.append((i - 1, PARENT))
            elif k == COMPANY or k == BUSINESS_UNIT:
                if k == BUSINESS_UNIT or rnd() < 0.78:
                    p = owned[int(rnd() * len(owned))] if owned and rnd() < 0.25 else pick_owner(i)
                    mine.append((p, PARENT if k == COMPANY else UNIT_PARENT))
                if k == COMPANY and rnd() < (0.25 if mine else 0.12):
                    for _ in range(randint(1, 2)):
                        o = pick_partner(i)
                        if all(o != x for x, _ in mine):
                            mine.append((o, MINORITY))
            elif k == JOINT_VENTURE:
                want = 2 + (rnd() < 0.35) + (rnd() < 0.25)
                for _ in range(40):
                    o = pick_partner(i)
                    if all(o != x for x, _ in mine):
                        mine.append((o, PARTNER))
                        if len(mine) == want:
                            break
                o = i - 1
                while len(mine) < 2:  # two partners at the least, whatever the draws
                    if kind[o] < OWNER and all(o != x for x, _ in mine):
                        mine.append((o, PARTNER))
                    o -= 1
            for o, role in mine:
                owners.append(o)
                roles.append(role)
                (tickets if role in (PARENT, UNIT_PARENT) else group).append(o)
            self.owner_start.append(len(owners))
            if mine:
                first = mine[0][0]
                parent[i] = first
                depth[i] = min(255, depth[first] + 1)
                level[i] = min(255, 1 + max(level[o] for o, _ in mine))
                owned.append(i)
            home = country[mine[0][0]] if mine and rnd() < 0.7 else country_of()
            country[i] = NO_COUNTRY if k in (COMPANY, MEDIA, RESEARCH) and rnd() < 0.05 else home
            if k < OWNER:
                tickets.append(i)
                if level[i] <= 1:
                    group.append(i)
            if k == GOVERNMENT:
                self.governments.append(i)
            elif k == MEDIA:
                self.media.append(i)
            elif k == RESEARCH:
                self.research.append(i)

        # Cross-holdings: a subsidiary takes a small stake in one of its ancestors (one to three levels up).
        # Only small holders close a cycle: one through a big group would make every company on it own,
        # indirectly, the whole group, which is rare and makes cycle checks needlessly costly.
        holdings = bytearray(n + 1)
        for o in owners:
            holdings[o] = min(255, holdings[o] + 1)
        for _ in range(max(2, n // 500)):
            for _ in range(100):
                d = owned[int(rnd() * len(owned))]
                x, path = d, []
                for _ in range(randint(1, min(3, depth[d]))):
                    x = parent[x]
                    path.append(x)
                if x and all(holdings[y] <= 3 for y in path) and d not in self.cross.get(x, ()):
                    self.cross.setdefault(x, []).append(d)
                    break

    def org_id(self, i: int) -> str:
        return f"org_{i:0{self.width}d}"

    def owners_of(self, i: int) -> list[tuple[int, int]]:
        a, b = self.owner_start[i], self.owner_start[i + 1]
        return list(zip(self.owners[a:b], self.roles[a:b]))

    def country_code(self, i: int) -> str | None:
        c = self.country[i]
        return None if c == NO_COUNTRY else COUNTRIES[c][0]

    def name(self, i: int) -> str:
        """A made-up name, unique because it ends in the organisation's number."""
        k, stem, word = self.kind[i], self.stems[self.stem[i]], WORDS[self.word[i]]
        if k == COMPANY:
            return f"{stem} {word} {i}"
        if k == JOINT_VENTURE:
            a, b = self.owners[self.owner_start[i]], self.owners[self.owner_start[i] + 1]
            return f"{self.stems[self.stem[a]]}-{self.stems[self.stem[b]]} {word} {i}"
        if k == BUSINESS_UNIT:
            return f"{self.stems[self.stem[self.parent[i]]]} {word} Unit {i}"
        if k == GOVERNMENT:
            return f"Ministry of {MINISTRIES[self.word[i] % len(MINISTRIES)]} {i}"
        if k == RESEARCH:
            return f"Synthetic Research {i}"
        return f"Synthetic Newswire {i}"

    def pick_any(self, rng: Random, below: int, heavy: float = 0.5) -> int:
        """An organisation whose kind code is below ``below``; big groups more often when ``heavy``."""
        rnd, kind, tickets, n = rng.random, self.kind, self.tickets, self.n
        while True:
            i = tickets[int(rnd() * len(tickets))] if rnd() < heavy else 1 + int(rnd() * n)
            if kind[i] < below:
                return i


def _organisations(rng: Random, world: _World, sources: _Sources, sinks: _Sinks) -> None:
    """Organisations with their aliases, sectors and the stakes held in them, one organisation at a time."""
    org_row, alias_row = sinks["organisations"].row, sinks["organisation_aliases"].row
    sector_row, stake_row = sinks["organisation_sectors"].row, sinks["ownership_stakes"].row
    rnd, pick_source = rng.random, sources.pick
    stake_id = 0
    battery_sectors = ("lithium_ion_batteries", "car_batteries", "batteries")
    car_sectors = ("automotive", "electric_vehicles", "hybrid_vehicles")
    markets = ("automotive", "electric_vehicles", "laptop_computers", "utility_energy_storage", "forklifts")
    for i in progress.counted(range(1, world.n + 1), "generating organisations", world.n):
        oid, kind, name, country = world.org_id(i), world.kind[i], world.name(i), world.country_code(i)
        city = None
        if country in CITIES and rnd() < 0.5:
            options = CITIES[country]
            city = options[int(rnd() * len(options))]
        org_row(oid, name, KIND_CODES[kind], country, None, city, pick_source(rng), None)

        # Every organisation has at least one alias, so none is left unreferenced.
        stem, word = world.stems[world.stem[i]], WORDS[world.word[i]]
        aliases = {}
        if kind < OPERATOR:
            aliases[f"{name} {LEGAL_SUFFIX.get(country, 'Ltd.')}"] = "legal_name"
            if rnd() < 0.4:
                aliases.setdefault(f"{stem} {word}", "short_name")
            if rnd() < 0.1:
                aliases.setdefault("".join(w[0] for w in f"{stem} {word}".split()).upper() + str(i), "abbreviation")
            if rnd() < 0.03 and stem[1] != stem[2]:
                aliases.setdefault(f"{stem[0]}{stem[2]}{stem[1]}{stem[3:]} {word} {i}", "misspelling")
        elif kind == GOVERNMENT:
            aliases[f"MO{MINISTRIES[world.word[i] % len(MINISTRIES)][0]}-{i}"] = "abbreviation"
        else:
            aliases[f"{name} Ltd."] = "legal_name"
        for alias, alias_kind in aliases.items():
            alias_row(oid, alias, alias_kind, pick_source(rng))

        if kind < OPERATOR:
            own = battery_sectors if rnd() < 0.6 else car_sectors
            made = rng.sample(own, 1 + (rnd() < 0.4))
            for s in made:
                sector_row(oid, s, "producer", pick_source(rng), None)
            sold = [m for m in markets if m not in made]
            for s in rng.sample(sold, int(rnd() * 3)):
                sector_row(oid, s, "market", pick_source(rng), None)
            if rnd() < 0.2:
                sector_row(oid, sold[int(rnd() * len(sold))], "main_market", pick_source(rng), None)

        owners = world.owners_of(i)
        crosses = world.cross.get(i, ())
        if not owners and not crosses:
            continue
        snapshots = 1 + (rnd() < 0.5) + (rnd() < 0.25)
        years = sorted(rng.sample(range(2008, 2026), snapshots))
        for n_snap, year in enumerate(years):
            last = n_snap == snapshots - 1
            ties = owners + [(d, CROSS) for d in crosses] if last else owners
            if not ties:
                continue
            on, precision = _at_precision(rng, date(year, 1 + int(rnd() * 12), 1 + int(rnd() * 28)))
            source = pick_source(rng)
            for (owner, role), share in zip(ties, _shares(rng, ties)):
                stake_id += 1
                q, pct, lo, lo_ex, hi, hi_ex = share
                stake_row(stake_id, world.org_id(owner), oid, STAKE_KINDS[role], q, _pct(pct), _pct(lo),
                          _flag(lo_ex), _pct(hi), _flag(hi_ex), on, precision, source, None)


def _shares(rng: Random, ties: list[tuple[int, int]]) -> list[tuple]:
    """How each tie's share is stated, in basis points, such that the least possible shares add up to
    at most 100%: (qualifier, share, minimum, minimum exclusive, maximum, maximum exclusive).

    Cross-holdings take their small share first; joint-venture partners split
    what is left fully, short of 100%, unknown, or with one partner's share
    bounded; a parent holds all, most, a bounded or an unknown share, leaving
    room for minority holders.
    """
    rnd, randint = rng.random, rng.randint
    out: list[tuple | None] = [None] * len(ties)
    budget = 10000

    def exact(bp):
        return ("exact", bp, None, None, None, None)

    unknown = ("unknown", None, None, None, None, None)
    for k, (_, role) in enumerate(ties):
        if role == CROSS:
            r = rnd()
            if r < 0.6 and budget >= 500:
                out[k] = exact(randint(1, 5) * 100)
                budget -= out[k][1]
            else:
                out[k] = ("under", None, None, None, 500, True) if r < 0.8 else unknown

    partners = [k for k, (_, role) in enumerate(ties) if role == PARTNER]
    if partners:
        r = rnd()
        if r < 0.13:
            for k in partners:
                out[k] = unknown
        else:
            total = budget - randint(1, 30) * 100 if 0.55 <= r < 0.72 else budget
            parts = _split(rng, total, len(partners))
            for k, part in zip(partners, parts):
                out[k] = exact(part)
            if r >= 0.72:
                out[partners[0]] = _bounded(rng, parts[0])

    parent = next((k for k, (_, role) in enumerate(ties) if role in (PARENT, UNIT_PARENT)), None)
    minorities = [k for k, (_, role) in enumerate(ties) if role == MINORITY]
    if parent is not None and ties[parent][1] == UNIT_PARENT:
        out[parent] = exact(budget) if rnd() < 0.4 else unknown
    elif parent is not None and minorities:
        top = budget - 100 * len(minorities)
        share = randint(min(51, top // 100), top // 100) * 100
        out[parent] = exact(share) if rnd() < 0.85 else ("about", share, None, None, None, None)
        budget -= share
    elif parent is not None:
        out[parent] = _parent_share(rng, budget)
    if parent is not None and minorities and rnd() < 0.4:
        for k in minorities[:-1]:  # the holders are all known: the shares add up to 100%
            share = randint(1, max(1, budget // 100 // len(minorities))) * 100
            out[k] = exact(share)
            budget -= share
        out[minorities[-1]] = exact(budget)
        return out
    for k in minorities:
        r = rnd()
        if r < 0.6 and budget >= 100:
            share = randint(1, max(1, min(20, budget // 100 // len(minorities)))) * 100
            out[k] = exact(share)
            budget -= share
        else:
            out[k] = ("under", None, None, None, 1000, True) if r < 0.75 else unknown
    return out


def _split(rng: Random, total: int, n: int) -> list[int]:
    """``total`` basis points in ``n`` parts: equal (a third is 33.34, 33.33, 33.33) or cut at whole percents."""
    if rng.random() < 0.3:
        base = total // n
        return [base + total - base * n] + [base] * (n - 1)
    cuts = sorted(rng.sample(range(1, total // 100), n - 1))
    parts = [(b - a) * 100 for a, b in zip([0] + cuts, cuts)]
    return parts + [total - sum(parts)]


def _bounded(rng: Random, share: int) -> tuple:
    """A share of ``share`` basis points stated vaguely; its least possible value never exceeds ``share``."""
    r = rng.random()
    if r < 0.4:
        lo, hi = max(0, share - rng.randint(1, 10) * 100), min(10000, share + rng.randint(1, 10) * 100)
        return ("range", None, lo, rng.random() < 0.5, hi, rng.random() < 0.5)
    if r < 0.55:
        return ("over", None, share - 100, True, None, None)
    if r < 0.7:
        return ("at_least", None, share, False, None, None)
    if r < 0.85:
        return ("about", share, None, None, None, None)
    if r < 0.93:
        return ("as_much_as", None, None, None, share, False)
    return ("under", None, None, None, min(10000, share + 100), True)


def _parent_share(rng: Random, budget: int) -> tuple:
    """A parent's share when it is the only known owner (``budget`` basis points are free)."""
    r, randint = rng.random(), rng.randint
    if r < 0.45:
        return ("exact", budget, None, None, None, None)
    if r < 0.60:
        return ("exact", min(budget, randint(51, 99) * 100), None, None, None, None)
    if r < 0.65:
        return ("about", min(budget, randint(20, 90) * 100), None, None, None, None)
    if r < 0.75:
        if budget >= 5000 and r < 0.70:
            return ("range", None, 5000, True, 10000, False)  # "a majority"
        lo = randint(0, min(80, budget // 100)) * 100
        return ("range", None, lo, False, lo + 1000, True)
    if r < 0.80:
        return ("over", None, 5000, True, None, None) if budget >= 5000 else ("at_least", None, budget // 2,
                                                                              False, None, None)
    if r < 0.85:
        return ("at_least", None, min(budget, randint(10, 50) * 100), False, None, None)
    if r < 0.90:
        return ("as_much_as", None, None, None, randint(10, 100) * 100, False)
    return ("unknown", None, None, None, None, None)


def _people(rng: Random, world: _World, sources: _Sources, sinks: _Sinks, n: int) -> None:
    person_row, role_row = sinks["people"].row, sinks["person_roles"].row
    for k in range(1, n + 1):
        pid = f"person_{k:06d}"
        person_row(pid, f"Synthetic Person {k}", sources.pick(rng))
        orgs = {world.pick_any(rng, OWNER) for _ in range(1 + (rng.random() < 0.3))}
        for org in sorted(orgs):
            country = world.country_code(org)
            city = rng.choice(CITIES[country]) if country in CITIES and rng.random() < 0.3 else None
            role_row(pid, world.org_id(org), rng.choice(TITLES), city, sources.pick(rng))


def _documents(rng: Random, world: _World, sources: _Sources, sinks: _Sinks, n: int) -> array:
    """Policy documents issued by governments; returns each document's first issuer, for targets."""
    doc_row, issuer_row = sinks["documents"].row, sinks["document_issuers"].row
    relation_row = sinks["document_relations"].row
    issuers = array("i", [0])
    governments = world.governments
    for k in range(1, n + 1):
        did = f"doc_{k:05d}"
        issued, precision = _date(rng, date(2010, 1, 1), AS_OF) if rng.random() < 0.85 else (None, None)
        kind = "national_initiative" if rng.random() < 0.2 else "action_plan"
        doc_row(did, f"Synthetic battery industry plan {k}", kind, issued, precision, sources.pick(rng), None)
        chosen = rng.sample(range(len(governments)), min(len(governments), 1 + (rng.random() < 0.3)))
        for g in chosen:
            issuer_row(did, world.org_id(governments[g]), sources.pick(rng))
        issuers.append(governments[chosen[0]])
        if k == 2 or (k > 2 and rng.random() < 0.4):
            relation_row(did, f"doc_{rng.randint(1, k - 1):05d}",
                         rng.choice(("implements", "implements", "supersedes", "amends")), sources.pick(rng))
    return issuers


# Capacity units: convertible (GWh, MWh per year) and not (battery units, vehicle sets per year),
# with a typical size of one plant's output in each.
CAPACITY_UNITS = (("gwh_per_year", 65, 8.0), ("mwh_per_year", 20, 800.0),
                  ("battery_units_per_year", 10, 50000.0), ("vehicle_sets_per_year", 5, 100000.0))
FIGURE_QUALIFIERS = (("exact", 60), ("about", 15), ("as_much_as", 8), ("range", 7), ("at_least", 4),
                     ("over", 3), ("under", 2), ("unknown", 1))


def _figure(rng: Random, qualifier: str, value: float, unit: str, cap: float | None = None) -> tuple:
    """value, min, min exclusive, max, max exclusive for a figure near ``value`` stated with ``qualifier``."""
    def num(x):
        return _number(min(x, cap) if cap is not None else x, unit)

    if qualifier in ("exact", "about"):
        return num(value), None, None, None, None
    if qualifier == "as_much_as":
        return None, None, None, num(value), "false"
    if qualifier == "under":
        return None, None, None, num(value), "true"
    if qualifier == "at_least":
        return None, num(value), "false", None, None
    if qualifier == "over":
        return None, num(value), "true", None, None
    if qualifier == "range":
        lo, hi = num(value * 0.8), num(value * 1.25)
        if float(lo) >= float(hi):
            return None, lo, "false", lo, "false"
        return None, lo, _flag(rng.random() < 0.3), hi, _flag(rng.random() < 0.5)
    return None, None, None, None, None


def _facilities(rng: Random, world: _World, sources: _Sources, sinks: _Sinks, n: int, n_org_figures: int) -> array:
    """Plants and lines with their status histories and capacities; returns each facility's operator."""
    fac_row, status_row, cap_row = sinks["facilities"].row, sinks["facility_status_history"].row, \
        sinks["capacities"].row
    rnd, randint, pick_source = rng.random, rng.randint, sources.pick
    unit_of = _picker(rng, [((u, size), w) for u, w, size in CAPACITY_UNITS])
    qualifier_of = _picker(rng, FIGURE_QUALIFIERS)
    country_of = _picker(rng, [(code, w) for code, w, _, _ in COUNTRIES])
    operators = array("i", [0])
    capacity_id = 0
    as_of = AS_OF.toordinal()
    for f in range(1, n + 1):
        fid = f"fac_{f:0{world.width}d}"
        operator = world.pick_any(rng, OPERATOR) if rnd() < 0.98 else 0
        operators.append(operator)
        country = world.country_code(operator) if operator and rnd() < 0.7 else country_of()
        region = None
        if rnd() < 0.03:
            country, region = None, rng.choice(("Europe", "Southeast Asia", "North America"))
        area = rng.choice(CITIES[country]) if country in CITIES and rnd() < 0.6 else None
        kind = "production_line" if rnd() < 0.15 else "plant"
        name = f"{world.name(operator) if operator else 'Unnamed operator'} {kind.replace('_', ' ')} {f}"
        fac_row(fid, name, world.org_id(operator) if operator else None, kind, rng.choice(PRODUCTS), area, region,
                country, "true" if area is None or rnd() < 0.2 else "false", pick_source(rng), None)

        # Lifecycle: considered or announced, then planned, built, operating; some halt or end.
        day = randint(date(2008, 1, 1).toordinal(), as_of - 30)
        steps = (["considered"] if rnd() < 0.15 else []) + ["announced"]
        steps += ["planned", "under_construction", "operating"][:randint(0, 3)]
        if steps[-1] == "operating" and rnd() < 0.1:
            steps.append(rng.choice(("mothballed", "retired")))
        elif steps[-1] != "operating" and rnd() < 0.12:
            steps.append(rng.choice(("cancelled", "shelved")))
        operating_year = None
        for status in steps:
            expected = day > as_of
            if expected and status in ("cancelled", "shelved", "mothballed", "retired"):
                break
            on, precision = _at_precision(rng, date.fromordinal(day), (60, 30, 10))
            status_row(fid, status, on, precision, "true" if expected else "false", pick_source(rng), None)
            if status == "operating":
                operating_year = date.fromordinal(day).year
            if expected:
                break
            day += randint(120, 720)

        if rnd() < 0.04:
            continue  # no published capacity: the check warns, as it should
        unit, size = unit_of()
        value = size * rng.lognormvariate(0, 0.8)
        year = randint(2009, 2030) if operating_year is None else operating_year
        for _ in range(randint(2, 5)):
            capacity_id += 1
            basis = "actual" if operating_year is not None and operating_year <= year <= 2024 \
                else ("planned" if rnd() < 0.8 else "targeted")
            q = qualifier_of()
            cap_row(capacity_id, fid, None, basis, q, *_figure(rng, q, value, unit), unit, year,
                    rng.choice(("in", "in", "in", "by", "from", "not_before")), pick_source(rng), None)
            year += randint(1, 2)
            value *= 1.1 + rnd() * 0.7

    # Capacity of a whole organisation, where no plant is named: big groups more often.
    for _ in range(n_org_figures):
        org = world.pick_any(rng, OPERATOR, heavy=0.8)
        unit, size = unit_of()
        value, year = size * 5 * rng.lognormvariate(0, 0.8), randint(2010, 2030)
        for _ in range(randint(1, 3)):
            capacity_id += 1
            q = qualifier_of()
            cap_row(capacity_id, None, world.org_id(org), "actual" if year <= 2024 else "targeted", q,
                    *_figure(rng, q, value, unit), unit, year, "in", pick_source(rng), None)
            year += randint(1, 3)
            value *= 1.2 + rnd() * 0.5
    return operators


# Quantitative target and figure metrics: unit, typical size, and the sector they are scoped to.
METRICS = {
    "annual_production_capacity": ("gwh_per_year", 200.0, "car_batteries"),
    "enterprise_annual_capacity": ("gwh_per_year", 40.0, "car_batteries"),
    "ev_sales": ("vehicles", 500000.0, "electric_vehicles"),
    "ev_sales_cumulative": ("vehicles", 3000000.0, "electric_vehicles"),
    "evs_with_own_batteries": ("vehicles", 20000.0, None),
    "automotive_revenue_share": ("percent", 60.0, None),
}
MILESTONES = ("quality_battery_supply", "new_lithium_battery_application", "new_battery_research")
COMPARATORS = {"exact": ">=", "about": ">=", "at_least": ">=", "over": ">", "range": "between",
               "as_much_as": "<=", "under": "<"}


def _targets(rng: Random, world: _World, sources: _Sources, sinks: _Sinks, issuers: array, n: int) -> None:
    target_row, setter_row = sinks["targets"].row, sinks["target_setters"].row
    qualifier_of = _picker(rng, [(q, w) for q, w in FIGURE_QUALIFIERS if q != "unknown"])
    for t in range(1, n + 1):
        source = sources.pick(rng)
        document = None
        country = sector = org = None
        setters: list[int] = []
        if rng.random() < 0.5:
            if rng.random() < 0.5:
                d = rng.randint(1, len(issuers) - 1)
                document, country = f"doc_{d:05d}", world.country_code(issuers[d])
            else:
                gov = world.governments[rng.randrange(len(world.governments))]
                setters, country = [gov], world.country_code(gov)
            metric = rng.choice(("annual_production_capacity", "enterprise_annual_capacity", "ev_sales",
                                 "ev_sales_cumulative") + MILESTONES)
        else:
            org = world.pick_any(rng, OPERATOR)
            setters = [org]
            metric = rng.choice(("annual_production_capacity", "evs_with_own_batteries",
                                 "automotive_revenue_share"))
        deadline = rng.randint(2015, 2035) if rng.random() < 0.85 else None
        start = rng.randint(2010, deadline or 2030) if rng.random() < 0.3 else None
        if metric in MILESTONES:
            comparator, q, figure, unit = "achieve", "unknown", (None,) * 5, None
            sector = "car_batteries"
            description = f"Synthetic milestone {t}: {metric.replace('_', ' ')}."
        else:
            unit, size, sector = METRICS[metric]
            q = qualifier_of()
            comparator = COMPARATORS[q]
            cap = 100.0 if unit == "percent" else None
            figure = _figure(rng, q, size * rng.lognormvariate(0, 0.6), unit, cap)
            description = f"Synthetic target {t}: {metric.replace('_', ' ')} ({q.replace('_', ' ')})."
        if country is None and sector is None and org is None:
            sector = "car_batteries"
        target_row(t, document, metric, country, sector, world.org_id(org) if org else None, comparator, q,
                   *figure, unit, start, deadline, rng.choice(("by", "by", "before", "in")) if deadline else None,
                   description, source, None)
        for s in setters:
            setter_row(t, world.org_id(s), source)


def _reported_figures(rng: Random, world: _World, sources: _Sources, sinks: _Sinks, n: int) -> None:
    row = sinks["reported_figures"].row
    qualifier_of = _picker(rng, [(q, w) for q, w in FIGURE_QUALIFIERS if q != "unknown"])
    country_of = _picker(rng, [(code, w) for code, w, _, _ in COUNTRIES])
    for f in range(1, n + 1):
        metric = rng.choice(("ev_sales", "ev_sales", "annual_production_capacity", "enterprise_annual_capacity",
                             "evs_with_own_batteries", "automotive_revenue_share"))
        unit, size, sector = METRICS[metric]
        country = org = None
        if metric in ("ev_sales", "annual_production_capacity"):
            country = country_of()
        else:
            org = world.pick_any(rng, OPERATOR)
        year = rng.randint(2010, 2024)
        period = rng.random()
        if period < 0.6:
            start, end = date(year, 1, 1), date(year, 12, 31)
        elif period < 0.85:
            first = 3 * rng.randint(0, 3) + 1
            start, end = date(year, first, 1), date(year, first + 2, monthrange(year, first + 2)[1])
        else:
            month = rng.randint(1, 12)
            start, end = date(year, month, 1), date(year, month, monthrange(year, month)[1])
        q = qualifier_of()
        reporter = world.research[rng.randrange(len(world.research))] if world.research and rng.random() < 0.3 \
            else None
        row(f, metric, country, sector, world.org_id(org) if org else None, start.isoformat(), end.isoformat(), q,
            *_figure(rng, q, size * rng.lognormvariate(0, 0.6), unit, 100.0 if unit == "percent" else None), unit,
            world.org_id(reporter) if reporter else None, sources.pick(rng), None)


INVESTMENT_QUALIFIERS = (("exact", 55), ("about", 15), ("at_least", 6), ("over", 4), ("as_much_as", 5),
                         ("under", 3), ("range", 5), ("unknown", 7))


def _investments(rng: Random, world: _World, sources: _Sources, sinks: _Sinks, operators: array, n: int) -> None:
    """Money in several currencies: the target's home currency, else US dollars or euros."""
    row, investor_row = sinks["investments"].row, sinks["investment_investors"].row
    qualifier_of = _picker(rng, INVESTMENT_QUALIFIERS)
    currency_by_country = {code: (cur, size) for code, _, cur, size in COUNTRIES}
    for k in range(1, n + 1):
        target_org = target_facility = None
        investors: list[int] = []
        r = rng.random()
        if r < 0.4:
            f = rng.randint(1, len(operators) - 1)
            target_facility = f"fac_{f:0{world.width}d}"
            if operators[f]:
                investors.append(operators[f])
        elif r < 0.7:
            target_org = world.pick_any(rng, OPERATOR)
            investors += [o for o, _ in world.owners_of(target_org)][:3]
        while not investors or (len(investors) < 3 and rng.random() < 0.2):
            o = world.pick_any(rng, OWNER)
            if o not in investors:
                investors.append(o)
        home = world.country_code(target_org or investors[0])
        r = rng.random()
        currency, size = currency_by_country[home] if home and r < 0.65 else (("USD", 1) if r < 0.9 else ("EUR", 1))
        q = qualifier_of()
        usd = math.exp(rng.uniform(math.log(5e6), math.log(5e9)))
        amount = round(usd * size, -3)
        figure = (None,) * 5
        if q in ("exact", "about"):
            figure = (f"{amount:.0f}", None, None, None, None)
        elif q in ("as_much_as", "under"):
            figure = (None, None, None, f"{amount:.0f}", _flag(q == "under"))
        elif q in ("at_least", "over"):
            figure = (None, f"{amount:.0f}", _flag(q == "over"), None, None)
        elif q == "range":
            figure = (None, f"{amount:.0f}", "false", f"{amount * 2:.0f}", _flag(rng.random() < 0.5))
        stated = q in ("exact", "about") and currency != "USD" and rng.random() < 0.3
        announced, precision = _date(rng, date(2008, 1, 1), AS_OF) if rng.random() < 0.9 else (None, None)
        source = sources.pick(rng)
        row(k, world.org_id(target_org) if target_org else None, target_facility, rng.choice(PURPOSES), q, *figure,
            None if q == "unknown" else currency, f"{round(usd, -5):.0f}" if stated else None,
            "about" if stated else None, rng.randint(1, 10) if rng.random() < 0.2 else None, announced, precision,
            source, None)
        for o in investors:
            investor_row(k, world.org_id(o), source)


AGREEMENT_KINDS = (("supply", 50), ("partnership", 20), ("production", 15), ("joint_brand", 15))
AGREEMENT_STATUSES = (("considered", 5), ("reported", 10), ("expected", 10), ("announced", 25), ("agreed", 30),
                      ("active", 20))


def _agreements(rng: Random, world: _World, sources: _Sources, sinks: _Sinks, operators: array, n: int) -> None:
    """Supply deals between a supplier (often a plant's operator) and customers; partnerships between peers."""
    row, party_row = sinks["agreements"].row, sinks["agreement_parties"].row
    kind_of, status_of = _picker(rng, AGREEMENT_KINDS), _picker(rng, AGREEMENT_STATUSES)
    for a in range(1, n + 1):
        kind, facility = kind_of(), None
        parties: list[tuple[int, str]] = []
        if kind == "supply":
            f = rng.randint(1, len(operators) - 1)
            if operators[f] and rng.random() < 0.6:
                facility = f"fac_{f:0{world.width}d}"
                parties.append((operators[f], "supplier"))
            else:
                parties.append((world.pick_any(rng, OPERATOR), "supplier"))
            for _ in range(1 + (rng.random() < 0.1)):
                customer = world.pick_any(rng, OPERATOR)
                if all(customer != o for o, _ in parties):
                    parties.append((customer, "customer"))
        while len(parties) < 2 or (kind != "supply" and len(parties) < 3 and rng.random() < 0.3):
            o = world.pick_any(rng, OWNER)
            if all(o != p for p, _ in parties):
                parties.append((o, "customer" if kind == "supply" else "partner"))
        announced, precision = _date(rng, date(2008, 1, 1), AS_OF) if rng.random() < 0.85 else (None, None)
        start = rng.randint(2009, 2030) if rng.random() < 0.4 else None
        source = sources.pick(rng)
        row(a, kind, status_of(), f"Synthetic {kind.replace('_', ' ')} agreement {a}.", facility, announced,
            precision, start, source, None)
        for o, role in parties:
            party_row(a, world.org_id(o), role, source)
