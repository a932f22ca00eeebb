"""Which answers tests/answers/*.json hold, and how their values are written down.

Each named query is asked with its ``-- example:`` values and, when it has
no required parameter, with its defaults; the queries that a speed change
touches are also asked the harder questions: a near miss that only the
similarity score finds, the deepest walks, every table ``provenance``
knows. On generated data the organisations asked about are picked from the
data, as the benchmark picks them, and written into the file with the rows.
A parameter whose default is today's date is fixed, so that the answers do
not change with the calendar.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import batterydb

FIXED = {"stalled_projects": {"as_of": "2026-12-01"}}

SHIPPED = [
    ("search_organisations", {"text": "Beijng Era"}),
    ("search_organisations", {"text": "aesc", "limit_to": 3}),
    ("search_organisations", {"text": "Envison"}),
    ("partner_network", {"org": "nissan", "depth": 1}),
    ("partner_network", {"org": "nissan", "depth": 3}),
    ("attributable_capacity", {"year": 2024}),
    ("attributable_capacity", {"year": 2030}),
    ("targets_vs_reported", {}),
    ("provenance", {"table_name": "facilities", "row_id": "aesc_us_plant"}),
    ("provenance", {"table_name": "ownership_stakes", "row_id": "1"}),
]


def cases(db: batterydb.Database, data: str) -> list[tuple[str, dict]]:
    """(query, parameters) for every answer recorded on ``data``: "shipped" or "generated".

    Examples naming an organisation are asked of the shipped data only.
    """
    found = []
    for name, query in sorted(db.queries.items()):
        names_an_organisation = any(p.resolver for p in query.params)  # the examples' do not exist there
        if query.example_values() and (data == "shipped" or not names_an_organisation):
            found.append((name, {**FIXED.get(name, {}), **query.example_values()}))
        if not query.required:
            found.append((name, dict(FIXED.get(name, {}))))
    found += SHIPPED if data == "shipped" else _picked(db)
    return found


def _picked(db: batterydb.Database) -> list[tuple[str, dict]]:
    one = lambda sql: db.sql(sql).rows()[0][0]  # noqa: E731
    most_owned = one("SELECT owned_org_id FROM ownership_stakes GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    busiest = one("SELECT org_id FROM (SELECT owner_org_id AS org_id FROM ownership_stakes UNION ALL "
                  "SELECT owned_org_id FROM ownership_stakes UNION ALL SELECT org_id FROM agreement_parties) "
                  "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    operator = one("SELECT operator_org_id FROM facilities WHERE operator_org_id IS NOT NULL "
                   "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    name = one(f"SELECT name FROM organisations WHERE org_id = '{most_owned}'")
    return [
        ("owners_of", {"org": most_owned}),
        ("ownership_chain", {"org": most_owned}),
        ("organisation_profile", {"org": most_owned}),
        ("capacity_history", {"subject": operator}),
        ("search_organisations", {"text": name[:6]}),
        ("search_organisations", {"text": name[:4] + name[5:]}),
        ("partner_network", {"org": busiest}),
        ("partner_network", {"org": busiest, "depth": 3}),
        ("agreements_between", {"org": busiest}),
        ("supply_relationships", {"org": busiest}),
        ("provenance", {"table_name": "investments", "row_id": "1"}),
        ("provenance", {"table_name": "organisations", "row_id": most_owned}),
        ("attributable_capacity", {"year": 2030}),
    ]


def encode(value):
    """A value as JSON keeps it exactly: a DECIMAL as its text, a float as itself (JSON keeps every digit)."""
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, (datetime.date, datetime.datetime)):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"struct": {k: encode(v) for k, v in value.items()}}
    return value
