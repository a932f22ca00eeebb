"""The build's stored lookups give exactly what the schema's macro definitions give."""

from __future__ import annotations

import random
import re

import duckdb
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st

from batterydb import derived, paths, transpile
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


@pytest.mark.parametrize("query, expected", [
    ("boston_power_taiwan_line", ["boston_power_taiwan_line"]),                  # a plant's id
    ("  boston-power PRODUCTION line in taiwan ", ["boston_power_taiwan_line"]),  # its name, in another case, padded
    ("Boston-Power", ["boston_power"]),                                          # an organisation
    ("No Such Plant", []),
    ("", []),
])
def test_subject_matches_finds_what_the_definition_finds(con, known, query, expected):
    stored = rows(con, "SELECT * FROM subject_matches($q) ORDER BY ALL", {"q": query})
    literal = "'" + query.replace("'", "''") + "'"
    defined = rows(con, f"SELECT * FROM ({_as_defined(known, f'subject_matches({literal})')}) ORDER BY ALL")
    assert stored == defined and [r[0] for r in stored] == expected


def test_the_macros_keep_their_comments(con):
    assert rows(con, """SELECT function_name FROM duckdb_functions()
                        WHERE function_name IN ('stake_bounds', 'org_matches', 'organisation_ties', 'subject_matches') AND coalesce(comment, '') = ''""") == []


# org_candidates() reads derived.organisation_candidates, and rules out most keys by a signature before
# scoring (src/batterydb/derived/organisation_candidates.sql); these hold it to the definition in schema/.

ODD_ORGANISATIONS = [  # org_id, name, aliases
    ("onnerud", "Önnerud Technologies", ["ÖNNERUD", "Onnerud Tech"]),
    ("beijing_era", "Beijing Éra New Energy", ["BEIJING ERA"]),
    ("q", "Q", []),                                       # a one-letter name
    ("zero", "00", ["0"]),                               # '0' against '00' is exactly 0.85 in doubles
    ("duane", "DuANE", ["CRATE"]),                        # 0.84 from 'dwayne', 0.73 from 'trace'
    ("dwayne_co", "Dwayne Co", []),
    ("catl", "宁德时代", ["CATL", "Contemporary Amperex"]),  # bytes no class covers
    ("leading", "\u0301 Leading Mark", []),              # name_key of its name_key differs: ' leading mark'
    ("spaces", "   ", []),                               # folds to ''
    ("org_001", "Org Zero Zero One", ["org-001"]),
    ("long", "a" * 40000, []),                           # longer than key_sig's 32767
    ("lugenb", "Lugenbo Power", ["Lugenbo", "Lugen", "Lgenbo Power Unit"]),
    ("lugenb_2", "Blugeno Power", []),
]
ODD_TEXTS = ["", "   ", "a", "é", "0", "00", "q", "Q", "onnerud", "ÖNNERUD", "beijing era", "Beijing Éra New Energy",
             "Beijing Éra New Energy Technology Company Limited of Beijing", "dwayne", "duane", "trace", "宁德",
             "宁德时代", "org_00", "org-001", "zzzz", "\u0301", " leading mark", "leading mark", "lugenb", "lugneb",
             "Lugenbo Powr", "blugeno", "a" * 40001, "a" * 39999, "aa", None]


def _macros_on(con, names: set[str]) -> None:
    """The named macros of schema/04_macros.sql, defined on ``con``."""
    for statement in con.extract_statements((paths.schema_dir() / "04_macros.sql").read_text(encoding="utf-8")):
        found = re.search(r"(?:CREATE MACRO|COMMENT ON MACRO(?: TABLE)?) (\w+)", statement.query)
        if found and found[1] in names:
            con.execute(statement.query)


@pytest.fixture(scope="module")
def odd_con():
    """An in-memory database of just organisations and aliases, with names chosen to break the signature."""
    con = duckdb.connect()
    con.execute("CREATE TABLE organisations (org_id VARCHAR, name VARCHAR, kind VARCHAR, source_id VARCHAR)")
    con.execute("CREATE TABLE organisation_aliases (org_id VARCHAR, alias VARCHAR, kind VARCHAR, source_id VARCHAR)")
    for org_id, name, aliases in ODD_ORGANISATIONS:
        con.execute("INSERT INTO organisations VALUES ($1, $2, 'company', 'src_' || $1)", [org_id, name])
        for alias in aliases:
            con.execute("INSERT INTO organisation_aliases VALUES ($1, $2, 'short_name', 'src_' || $2)", [org_id, alias])
    _macros_on(con, {"name_key", "key_score", "match_score", "org_names", "org_candidates", "org_matches",
                     "closest_orgs"})
    defined = {name: rows(con, "SELECT macro_definition FROM duckdb_functions() WHERE function_name = $n",
                          {"n": name}) for name in ("org_candidates", "org_matches", "closest_orgs")}
    con.execute("CREATE SCHEMA derived")
    con.execute((derived.DERIVED_DIR / "organisation_candidates.sql").read_text(encoding="utf-8"))
    assert all(defined.values())
    yield con
    con.close()


def _best(con, source: str, text, enough: int) -> list[tuple]:
    """The best ``enough`` rows of ``source`` (an org_candidates call), in the order the callers take them."""
    return rows(con, f"SELECT c.*, o.name FROM {source} AS c JOIN organisations AS o USING (org_id) "
                     "ORDER BY c.score DESC, o.name, c.org_id LIMIT $k", {"t": text, "k": enough})


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_org_candidates_gives_the_defined_best(odd_con, known, text):
    defined = f"({_as_defined(known, 'org_candidates($t, $k)')})"
    for enough in (0, 1, 3, 20, 10 ** 6):
        assert _best(odd_con, "org_candidates($t, $k)", text, enough) == _best(odd_con, defined, text, enough)
    everything = rows(odd_con, f"SELECT * FROM {defined} ORDER BY ALL", {"t": text, "k": 1})
    assert rows(odd_con, "SELECT * FROM org_candidates($t, 1000) ORDER BY ALL", {"t": text}) == everything


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_org_matches_and_closest_orgs_give_the_defined_ones(odd_con, known, text):
    call = "org_matches($t)"
    assert (rows(odd_con, f"SELECT * FROM {call} ORDER BY ALL", {"t": text})
            == rows(odd_con, f"SELECT * FROM ({_as_defined(known, call)}) ORDER BY ALL", {"t": text}))
    for call in ("closest_orgs($t, true)", "closest_orgs($t, false)"):
        defined = transpile.expand_macros(sqlglot.parse_one(f"SELECT {call}", read="duckdb"), known,
                                          keep=frozenset({"name_key"})).sql("duckdb")
        assert rows(odd_con, f"SELECT {call}", {"t": text}) == rows(odd_con, defined, {"t": text})


def test_the_stored_keys_are_the_folded_names(odd_con, con):
    for connection in (odd_con, con):
        assert rows(connection, "SELECT org_id, matched_on, matched_text, preference, source_id, name_key(matched_text), "
                                "(least(length(name_key(matched_text)), 32767) << 48) | (first_letter_code(name_key(matched_text)) << 36) "
                                "| text_classes(name_key(matched_text)) "
                                "FROM org_names() ORDER BY ALL") == rows(
            connection, "SELECT org_id, matched_on, matched_text, preference, source_id, name_key, key_sig "
                        "FROM derived.organisation_candidates ORDER BY ALL")
        assert rows(connection, "SELECT count(*) FROM derived.organisation_candidates WHERE NOT wanted") == [(0,)]


# Every pair a near miss or better must pass the signature tests: could_match() for any match,
# could_be_similar() for a near miss (a score under 0.8). Strings from a few letters match often.
_CHECK = """
    SELECT p.candidate, p.query, key_score(k.c, k.q, true) AS score
    FROM (SELECT unnest($pairs, recursive := true)) AS p,
         LATERAL (SELECT name_key(p.candidate) AS c, name_key(p.query) AS q) AS k,
         LATERAL (SELECT (least(length(k.c), 32767) << 48) | (first_letter_code(k.c) << 36) | name_key_classes(k.c) AS sig) AS s
    WHERE name_key_classes(k.c) <> text_classes(k.c)
       OR key_score(k.c, k.q, true) IS NOT NULL AND NOT could_match(s.sig, k.q)
       OR key_score(k.c, k.q, true) < 0.8 AND NOT could_be_similar(s.sig, k.q)
"""


def _ruled_out_wrongly(con, pairs: list[tuple[str, str]]) -> list[tuple]:
    return rows(con, _CHECK, {"pairs": [{"candidate": c, "query": q} for c, q in pairs]})


def test_the_signature_never_rules_out_a_match(odd_con):
    rng = random.Random(7)
    pairs = []
    for alphabet in ("ab", "abc", "abcde 0", "aé b1ü_", "abcdefghij", "ab宁"):
        for _ in range(4000):
            a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
            b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
            pairs.append((a, b))
            pairs.append((a + b[: rng.randint(0, len(b))], b))
    pairs += [(name, text) for _, name, aliases in ODD_ORGANISATIONS for name in [name, *aliases]
              for text in ODD_TEXTS if text is not None]
    every = _CHECK.replace("WHERE name_key_classes", "WHERE true OR name_key_classes")
    near_misses = rows(odd_con, f"SELECT count(*) FROM ({every}) WHERE score < 0.8",
                       {"pairs": [{"candidate": c, "query": q} for c, q in pairs]})
    assert near_misses[0][0] > 1000  # the pairs hold many near misses
    assert _ruled_out_wrongly(odd_con, pairs) == []


_texts = st.text(alphabet=st.sampled_from("abcab eé0_ÖxY宁\u0301"), max_size=16)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_texts, _texts), min_size=1, max_size=40))
def test_the_signature_never_rules_out_a_match_by_hypothesis(odd_con, pairs):
    assert _ruled_out_wrongly(odd_con, pairs) == []
