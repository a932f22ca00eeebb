"""Deals between organisations: investments (with their investors) and agreements (with their parties)."""

from __future__ import annotations

import math
from datetime import date
from random import Random

from .common import AS_OF, COUNTRIES, OPERATOR, OWNER, _date, _flag, _picker, _Run

PURPOSES = ("Construction of a battery cell plant.", "Expansion of battery production capacity.",
            "Initial capital of the joint venture.", "Research and development of new battery chemistries.",
            "Battery materials processing.", "A new production line for battery packs.")
INVESTMENT_QUALIFIERS = (("exact", 55), ("about", 15), ("at_least", 6), ("over", 4), ("as_much_as", 5),
                         ("under", 3), ("range", 5), ("unknown", 7))


def _investments(rng: Random, run: _Run) -> None:
    """Money in several currencies: the target's home currency, else US dollars or euros."""
    world, sources, sinks, operators = run.world, run.sources, run.sinks, run.operators
    n = max(10, world.n // 5)
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


def _agreements(rng: Random, run: _Run) -> None:
    """Supply deals between a supplier (often a plant's operator) and customers; partnerships between peers."""
    world, sources, sinks, operators = run.world, run.sources, run.sinks, run.operators
    n = max(10, world.n // 4)
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
