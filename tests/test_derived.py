"""The build's stored lookups give exactly what the schema's macro definitions give."""

from __future__ import annotations

import pytest
import sqlglot

from batterydb import transpile
from conftest import rows


@pytest.fixture(scope="module")
def known():
    return transpile.macros()


def _as_defined(known, call: str) -> str:
    """``SELECT * FROM <call>`` with the macro written out as schema/ defines it."""
    tree = transpile.expand_macros(sqlglot.parse_one(f"SELECT * FROM {call}", read="duckdb"), known,
                                   keep=frozenset({"name_key"}))
    return tree.sql("duckdb")


def test_stake_bounds_are_the_defined_ones(con, known):
    stored = rows(con, "SELECT * FROM stake_bounds() ORDER BY ALL")
    assert len(stored) == 7  # the shipped seeds' seven (owner, owned) pairs
    assert stored == rows(con, f"SELECT * FROM ({_as_defined(known, 'stake_bounds()')}) ORDER BY ALL")


def test_organisation_ties_are_the_defined_ones(con, known):
    stored = rows(con, "SELECT * FROM organisation_ties() ORDER BY ALL")
    # every stake from its owner's side and every agreement party, the other column NULL
    assert len(stored) == rows(con, "SELECT (SELECT count(*) FROM ownership_stakes) + (SELECT count(*) FROM agreement_parties)")[0][0]
    assert all((owned is None) != (agreement is None) for _, owned, agreement in stored)
    assert stored == rows(con, f"SELECT * FROM ({_as_defined(known, 'organisation_ties()')}) ORDER BY ALL")
    # stored in the order of the organisation, so that a lookup by it reads few blocks
    assert [r[0] for r in rows(con, "SELECT org_id FROM derived.organisation_ties")] == sorted(r[0] for r in stored)


@pytest.mark.parametrize("query, expected", [
    ("catl", ["catl"]),                                   # an id
    ("nissan motor co", ["nissan"]),                      # an alias, in another case
    ("  NISSAN ", ["nissan"]),                            # a name, in another case, padded
    ("No Such Company", []),
])
def test_org_matches_finds_what_the_definition_finds(con, known, query, expected):
    stored = [r[0] for r in rows(con, "SELECT org_id FROM org_matches($q) ORDER BY 1", {"q": query})]
    literal = "'" + query.replace("'", "''") + "'"
    defined = [r[0] for r in rows(con, f"SELECT org_id FROM ({_as_defined(known, f'org_matches({literal})')}) ORDER BY 1")]
    assert stored == defined == expected


def test_the_macros_keep_their_comments(con):
    assert rows(con, """SELECT function_name FROM duckdb_functions()
                        WHERE function_name IN ('stake_bounds', 'org_matches', 'organisation_ties') AND coalesce(comment, '') = ''""") == []
