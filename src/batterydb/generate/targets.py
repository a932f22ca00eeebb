"""Targets (set by organisations or written in policy documents) and the figures reported against them."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from random import Random

from .common import COUNTRIES, FIGURE_QUALIFIERS, OPERATOR, _figure, _picker, _Run

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


def _targets(rng: Random, run: _Run) -> None:
    world, sources, sinks, issuers = run.world, run.sources, run.sinks, run.issuers
    n = max(10, world.n // 25)
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


def _reported_figures(rng: Random, run: _Run) -> None:
    world, sources, sinks = run.world, run.sources, run.sinks
    n = max(10, world.n // 10)
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
