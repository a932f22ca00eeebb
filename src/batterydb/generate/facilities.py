"""Plants and production lines: their dated status histories and the capacities reported for them (and for
whole organisations, where no plant is named).
"""

from __future__ import annotations

from array import array
from datetime import date
from random import Random

from .common import AS_OF, CITIES, COUNTRIES, FIGURE_QUALIFIERS, OPERATOR, _at_precision, _figure, _picker, _Run

PRODUCTS = ("battery cells", "battery modules", "battery packs", "lithium-ion batteries", "cathode materials",
            "anode materials", "electric vehicles")
# Capacity units: convertible (GWh, MWh per year) and not (battery units, vehicle sets per year),
# with a typical size of one plant's output in each.
CAPACITY_UNITS = (("gwh_per_year", 65, 8.0), ("mwh_per_year", 20, 800.0),
                  ("battery_units_per_year", 10, 50000.0), ("vehicle_sets_per_year", 5, 100000.0))


def _facilities(rng: Random, run: _Run) -> None:
    """Plants and lines with their status histories and capacities; leaves each facility's operator in
    ``run.operators``, for investments and agreements."""
    world, sources, sinks = run.world, run.sources, run.sinks
    n, n_org_figures = max(10, world.n * 3 // 10), max(2, world.n // 50)
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
    run.operators = operators
