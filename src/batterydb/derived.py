"""Lookups a build works out once, so that queries do not redo them on every call.

Two of the schema's table macros do work that depends on the data alone:
``stake_bounds()`` ranks every stake to find each owner's latest one, and
``org_matches(query)`` folds every name and alias to compare it with the
query. On a large database that work, repeated on every call, was most of
what the ownership queries cost. A built file keeps their results in
schema ``derived``, sorted by the column queries look them up by (so that
DuckDB's per-block minimum and maximum let a lookup skip most of the
table), and redefines the two macros to read them there.

``row_sources()``, which provenance reads, is left as it is: storing it
saved 2 ms of a call's 9 ms (most of which is DuckDB planning the query)
for a copy of every key.

The definitions in ``schema/`` stay the reference: ``check`` and the other
engines (through ``transpile``) use them, and the tests hold the stored
results equal to them.
"""

from __future__ import annotations

import duckdb

from .sqltext import literal

DDL = """
CREATE SCHEMA derived;

CREATE TABLE derived.stake_bounds AS
SELECT owner_org_id, owned_org_id, low, high, exact
FROM stake_bounds()
ORDER BY owned_org_id, owner_org_id;
COMMENT ON TABLE derived.stake_bounds IS 'stake_bounds() as built: each owner''s latest reported stake in each organisation, as fractions.';
COMMENT ON COLUMN derived.stake_bounds.owner_org_id IS 'The owner.';
COMMENT ON COLUMN derived.stake_bounds.owned_org_id IS 'The organisation owned; rows are stored in its order.';
COMMENT ON COLUMN derived.stake_bounds.low IS 'Least share the stake can be, as a fraction (0 when unknown).';
COMMENT ON COLUMN derived.stake_bounds.high IS 'Greatest share the stake can be, as a fraction (1 when unknown).';
COMMENT ON COLUMN derived.stake_bounds.exact IS 'Whether the source gives the share exactly.';

CREATE TABLE derived.organisation_names AS
SELECT name_key(o.org_id) AS name_key, o.org_id FROM organisations AS o
UNION
SELECT name_key(o.name), o.org_id FROM organisations AS o
UNION
SELECT name_key(a.alias), a.org_id FROM organisation_aliases AS a
ORDER BY name_key, org_id;
COMMENT ON TABLE derived.organisation_names IS 'Every organisation''s id, name and aliases folded by name_key(), for org_matches().';
COMMENT ON COLUMN derived.organisation_names.name_key IS 'An id, name or alias, folded; rows are stored in its order.';
COMMENT ON COLUMN derived.organisation_names.org_id IS 'The organisation it names.';

CREATE OR REPLACE MACRO stake_bounds() AS TABLE
    SELECT s.owner_org_id, s.owned_org_id, s.low, s.high, s.exact FROM derived.stake_bounds AS s;

CREATE OR REPLACE MACRO org_matches(query) AS TABLE
    SELECT DISTINCT n.org_id FROM derived.organisation_names AS n WHERE n.name_key = name_key(query);
"""

REPLACED = ("stake_bounds", "org_matches")


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Store the macros' results in ``derived`` and point the macros at them, keeping their comments."""
    comments = dict(con.execute(
        "SELECT function_name, comment FROM duckdb_functions() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND function_name IN $names", {"names": list(REPLACED)}).fetchall())
    con.execute(DDL)
    for name, comment in comments.items():
        if comment:
            con.execute(f"COMMENT ON MACRO TABLE {name} IS {literal(comment)}")
