"""The organisations and what hangs off them: aliases, sectors, ownership stakes (with how their shares
are stated), and the people and policy documents tied to organisations.
"""

from __future__ import annotations

from array import array
from datetime import date
from random import Random

from .. import progress
from .common import (
    AS_OF, CITIES, CROSS, GOVERNMENT, KIND_CODES, MINISTRIES, MINORITY, OPERATOR, OWNER, PARENT, PARTNER,
    STAKE_KINDS, UNIT_PARENT, WORDS, _at_precision, _date, _flag, _pct, _Run,
)

LEGAL_SUFFIX = {"CN": "Co., Ltd.", "KR": "Co., Ltd.", "JP": "Co., Ltd.", "US": "Inc.", "DE": "GmbH", "FR": "SA",
                "HU": "Kft.", "PL": "Sp. z o.o.", "SE": "AB", "GB": "Ltd", "IT": "S.p.A.", "ES": "S.A."}
TITLES = ("chief executive", "chairman", "chief technology officer", "analyst", "reporter", "plant manager")


def _organisations(rng: Random, run: _Run) -> None:
    """Organisations with their aliases, sectors and the stakes held in them, one organisation at a time."""
    world, sources, sinks = run.world, run.sources, run.sinks
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


def _people(rng: Random, run: _Run) -> None:
    world, sources, sinks = run.world, run.sources, run.sinks
    n = max(5, world.n // 50)
    person_row, role_row = sinks["people"].row, sinks["person_roles"].row
    for k in range(1, n + 1):
        pid = f"person_{k:06d}"
        person_row(pid, f"Synthetic Person {k}", sources.pick(rng))
        orgs = {world.pick_any(rng, OWNER) for _ in range(1 + (rng.random() < 0.3))}
        for org in sorted(orgs):
            country = world.country_code(org)
            city = rng.choice(CITIES[country]) if country in CITIES and rng.random() < 0.3 else None
            role_row(pid, world.org_id(org), rng.choice(TITLES), city, sources.pick(rng))


def _documents(rng: Random, run: _Run) -> None:
    """Policy documents issued by governments; leaves each document's first issuer in ``run.issuers``, for targets."""
    world, sources, sinks = run.world, run.sources, run.sinks
    n = max(3, world.n // 200)
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
    run.issuers = issuers
