"""What every family of generated tables shares: the vocabulary of the synthetic world, the open files,
the random helpers, the sources and the organisations as compact arrays (``_World``).
"""

from __future__ import annotations

import csv
from array import array
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random

#: The day the synthetic world is seen from: later statuses are expected, not reported.
AS_OF = date(2025, 6, 30)

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
SYLLABLES = ("vol", "ka", "tor", "ne", "li", "an", "ce", "ro", "mi", "sa", "ter", "on", "da", "ex", "lu",
             "gen", "po", "ri", "zen", "ta", "ver", "ion", "cor", "ma", "sun", "be", "ar", "qu", "el", "do")
WORDS = ("Energy", "Battery", "Power", "Motors", "Cells", "Materials", "Mobility", "Automotive", "New Energy",
         "Technology", "Electric", "Storage")
MINISTRIES = ("Industry", "Energy", "Transport", "Science", "Economy", "Trade")


@dataclass
class _Run:
    """What the families of one run share: the world, the sources, the open files, and what a family
    leaves for later ones (``issuers`` set by the documents, ``operators`` by the facilities)."""

    world: _World
    sources: _Sources
    sinks: _Sinks
    issuers: array | None = None  # each document's first issuer, by document number: for targets
    operators: array | None = None  # each facility's operator, by facility number: for investments and agreements


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

    def __init__(self, out: Path, columns: dict[str, tuple[str, ...]]):
        super().__init__()
        self._out = out
        self._columns = columns
        self._sinks: dict[str, _Sink] = {}

    def __enter__(self) -> "_Sinks":
        super().__enter__()
        for name, columns in self._columns.items():
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


# How capacities, targets and reported figures are stated, with weights (see _figure).
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
