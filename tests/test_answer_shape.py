"""What every answer carries: declared and described columns, numbers as numbers, and its sources.

A BI tool or a dataframe takes a column's type as it comes, so a share that
arrives as text ("51", "unknown") cannot be summed or charted; and an
answer that does not say where its rows come from cannot be checked. These
tests hold every named query to that, and check the two queries added for
the questions no query answered.
"""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

import batterydb
from batterydb import analytics

CATALOGUE = batterydb.catalogue.load()
NUMERIC = re.compile(r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DOUBLE|FLOAT|DECIMAL\(\d+,\s*\d+\))$")
# A column so named holds a number: a bound, a share, a year, a count.
NUMBER_NAMES = re.compile(r"(_min|_max|_pct|_year|^year|_gwh|^hops|^depth|^firmness|^score|^facts|^sources|^articles"
                          r"|_facilities|^facilities|_holders|_plants|_paths)$")


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_column_is_declared_and_described(name):
    query = CATALOGUE[name]
    assert query.columns, f"{name} declares no -- column lines"
    assert [c for c, _ in query.columns if c not in query.descriptions] == []


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_numbers_are_numbers_and_as_stated_columns_are_text(name):
    for column, kind in CATALOGUE[name].columns or ():
        if column.endswith("_as_stated"):
            assert kind == "VARCHAR", (name, column)
        elif NUMBER_NAMES.search(column):
            assert NUMERIC.match(kind), f"{name}.{column} holds a number but is declared {kind}"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_answer_says_where_its_rows_come_from(name):
    columns = [c for c, _ in CATALOGUE[name].columns or ()]
    assert "source_id" in columns or "source_ids" in columns, f"{name} returns no source_id or source_ids"


def test_view_columns_carry_their_descriptions_as_comments(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        got = dict(((t, c), comment) for t, c, comment in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'analytics'").fetchall())
    expected = {(name, column): query.descriptions.get(column)
                for name, query in CATALOGUE.items() if not query.required for column, _ in query.columns or ()}
    assert got == expected
    assert got[("joint_venture_owners", "share_min_pct")]


def test_a_macro_s_comment_describes_its_columns(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        (comment,), = con.execute("SELECT comment FROM duckdb_functions() WHERE schema_name = 'analytics' "
                                  "AND function_name = 'owners_of'").fetchall()
    assert comment == analytics.macro_comment(CATALOGUE["owners_of"])
    assert comment.startswith("Direct owners of an organisation: Who owns this organisation directly")
    assert "; share_min_pct: The least the share can be, in percent; NULL when the source gives no share.;" in comment


def test_reported_figures(db):
    assert db.run("reported_figures").rows() == [
        (1, "ev_sales", "CN / electric_vehicles", date(2011, 1, 1), date(2011, 12, 31), "8795 vehicles",
         8795.0, 8795.0, "vehicles", None, "bloomberg_2012_08_08"),
    ]
    assert db.run("reported_figures", metrics=["annual_production_capacity"]).rows() == []


def test_organisation_sources_lists_who_appears_in_several(db):
    rows = {r["org_id"]: (r["sources"], r["source_ids"], r["articles"], r["article_ids"])
            for r in db.run("organisation_sources").records()}
    assert rows["baic"] == (5, "baic_announcement_2024_03_11, baic_deals_announcement_2024, bloomberg_2012_08_08, "
                               "electrive_2024_03, xiaomi_baic_reports_2022", 2,
                            "bloomberg_2012_08_08, marketing_agency_2024_03")
    assert rows["nissan"][:3] == (3, "aesc_partners_statement_2008, carboncreditsusa_2008_12_29, nikkei_2008_12_29",
                                  1)
    assert "catl" not in rows  # one source says everything about CATL
    assert {r["org_id"] for r in db.run("organisation_sources", min_sources=1).records()} > set(rows) | {"catl"}
