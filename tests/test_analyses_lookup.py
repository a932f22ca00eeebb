"""Finding organisations, their whole profile, and the gaps in the data."""

from __future__ import annotations

from datetime import date

import pytest

import batterydb


class TestSearch:
    @pytest.mark.parametrize("text, expected", [
        ("MITT", [("miit", "alias", "MITT", "exact", 1.0)]),
        ("xiami", [("xiaomi", "alias", "Xiami Auto", "prefix", 0.9)]),
        ("nisan", [("nissan", "name", "Nissan", "similar", 0.7403)]),
        ("energy tech", [("beijing_era", "name", "Beijing Era New Energy Technology", "contained", 0.8)]),
        ("BEIJING", [("baic", "alias", "Beijing Automotive", "prefix", 0.9),
                     ("bjev", "name", "Beijing Electric Vehicle", "prefix", 0.9),
                     ("beijing_era", "name", "Beijing Era New Energy Technology", "prefix", 0.9)]),
    ])
    def test_ranked_matches(self, db, text, expected):
        assert [(r["org_id"], r["matched_on"], r["matched_text"], r["match"], r["score"])
                for r in db.run("search_organisations", text=text).records()] == expected

    def test_limit_and_empty_text(self, db):
        assert len(db.run("search_organisations", text="ministry", limit_to=2)) == 2
        assert db.run("search_organisations", text="   ").rows() == []


class TestProfile:
    def test_every_section_of_boston_power_with_sources(self, db):
        rows = db.run("organisation_profile", org="Boston-Power Inc.").rows()
        assert [(s, i) for s, i, *_ in rows] == [
            ("organisation", "Boston-Power"),
            ("alias", "Boston-Power Inc."),
            ("sector", "automotive"), ("sector", "laptop_computers"), ("sector", "lithium_ion_batteries"),
            ("sector", "utility_energy_storage"),
            ("facility", "Boston-Power plant near Shanghai"), ("facility", "Boston-Power production line in Taiwan"),
            ("capacity", "Boston-Power plant near Shanghai"), ("capacity", "Boston-Power production line in Taiwan"),
            ("target", "evs_with_own_batteries"), ("target", "automotive_revenue_share"),
            ("target", "evs_with_own_batteries"),
            ("agreement", "supply (supplier)"),
            ("person", "Christina Lampe-Onnerud"),
        ]
        assert all(source for *_, source in rows)
        capacity = [r for r in rows if r[0] == "capacity"]
        assert [(d, a, p) for _, _, d, a, p, _ in capacity] == [
            ("up to 400 MWh per year, planned, from 2012", date(2012, 1, 1), "year (from)"),
            ("120 MWh per year, planned, in 2012", date(2012, 1, 1), "year"),
        ]

    def test_every_date_says_how_it_is_known(self, db):
        result = db.run("organisation_profile", org="Boston-Power")
        assert result.columns == ["section", "item", "detail", "as_of", "as_of_precision", "source_id"]
        assert [(s, i, a, p) for s, i, _, a, p, _ in result.rows() if a is not None] == [
            ("facility", "Boston-Power plant near Shanghai", date(2012, 8, 8), "day"),
            ("facility", "Boston-Power production line in Taiwan", date(2012, 8, 8), "day"),
            ("capacity", "Boston-Power plant near Shanghai", date(2012, 1, 1), "year (from)"),
            ("capacity", "Boston-Power production line in Taiwan", date(2012, 1, 1), "year"),
            ("target", "evs_with_own_batteries", date(2014, 1, 1), "year (by)"),  # thousands of EVs by 2014
            ("agreement", "supply (supplier)", date(2012, 8, 8), "day"),
        ]
        assert all(p is None for *_, a, p, _ in result.rows() if a is None)
        aesc = {(i, d): (a, p) for s, i, d, a, p, _ in db.run("organisation_profile", org="aesc").rows()
                if s in ("facility", "capacity", "investment")}
        assert aesc[("AESC battery production in France (considered)", "plant; FR; considered")] == (
            date(2008, 10, 1), "month")  # what a Renault executive told Reuters in October 2008
        assert aesc[("AESC", "about 200000 vehicles' worth of batteries per year, planned, not_before 2011")] == (
            date(2011, 1, 1), "year (not_before)")
        assert aesc[("Manufacturing of lithium-ion batteries.", "12000000000 JPY, invested")] == (
            date(2008, 5, 1), "month")

    def test_joint_venture_owners_money_and_plant(self, db):
        rows = [(s, i, d) for s, i, d, *_ in db.run("organisation_profile", org="beijing era new energy technology co.").rows()
                if s in ("owner", "investment", "facility")]
        assert rows == [
            ("owner", "BAIC", "jv_partner, 39%"), ("owner", "CATL", "jv_partner, 51%"),
            ("owner", "Xiaomi", "jv_partner, 5%"),
            ("facility", "Beijing Era battery cell plant", "plant; Beijing; CN; announced"),
            ("investment", "Initial capital of the joint venture.", "1000000000 CNY, received"),
        ]

    def test_holdings_and_undisclosed_investment_of_baic(self, db):
        rows = [(s, i, d) for s, i, d, *_ in db.run("organisation_profile", org="BAIC").rows()
                if s in ("holding", "investment")]
        assert rows == [
            ("holding", "Beijing Electric Vehicle", "business_unit, share unknown"),
            ("holding", "Beijing Era New Energy Technology", "jv_partner, 39%"),
            ("investment", "Initial capital of the joint venture.", "1000000000 CNY, invested"),
            ("investment", "Investment in the new energy vehicle market over recent years.",
             "amount not disclosed, invested"),
        ]

    def test_ministry_through_its_document(self, db):
        rows = db.run("organisation_profile", org="MITT").rows()
        assert [(i, a, p, src) for s, i, _, a, p, src in rows if s == "target"] == [
            # "ahead of 2018": 2018-01-01 is the year named, and the precision says the deadline falls before it
            ("quality_battery_supply", date(2018, 1, 1), "year (before)", "hktdc_2017"),
            ("annual_production_capacity", date(2020, 1, 1), "year (by)", "hktdc_2017"),
            ("enterprise_annual_capacity", date(2020, 1, 1), "year (by)", "hktdc_2017"),
            ("new_lithium_battery_application", date(2020, 1, 1), "year (by)", "hktdc_2017"),
            ("new_battery_research", date(2025, 1, 1), "year (by)", "hktdc_2017"),
        ]


def test_data_gaps(db):
    rows = db.run("data_gaps").rows()
    counts = {}
    for gap, *_ in rows:
        counts[gap] = counts.get(gap, 0) + 1
    assert counts == {"stakes below 100%": 1, "facility without capacity": 5, "vague figure": 13,
                      "organisation without country": 12, "target without reported figure": 7}
    assert rows[0] == ("stakes below 100%", "ownership_stakes", "1", "Beijing Era New Energy Technology",
                       "known stakes reported on 2024-03-11 add up to 95%; 5% undisclosed", "electrive_2024_03")
    assert db.run("data_gaps").columns[-1] == "source_ids"
    targets = sorted(int(r[2]) for r in rows if r[0] == "target without reported figure")
    assert targets == [2, 3, 4, 6, 7, 8, 9]  # 1 has the 2011 sales, 5 the Shanghai plant


def test_a_gap_over_several_stakes_cites_all_their_sources(seeds_copy, tmp_path):
    text = (seeds_copy / "ownership_stakes.csv").read_text()
    (seeds_copy / "ownership_stakes.csv").write_text(text.replace(
        "3,xiaomi,beijing_era,jv_partner,exact,5,,,,,2024-03-11,day,electrive_2024_03,",
        "3,xiaomi,beijing_era,jv_partner,exact,5,,,,,2024-03-11,day,marketing_agency_2024_03,"))
    batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
    with batterydb.connect(tmp_path / "db.duckdb") as db:
        rows = [(r["row_id"], r["source_ids"]) for r in db.run("data_gaps").records()
                if r["gap"] == "stakes below 100%"]
    assert rows == [("1", "electrive_2024_03, marketing_agency_2024_03")]


# --------------------------------------------------------------------------- provenance's lookup by key

def test_row_sources_key_number_is_the_integer_the_row_id_starts_with(db):
    """The number provenance narrows its lookup by is the integer first key column, for those tables only."""
    integer_first = {t for (t,) in db.sql(
        "SELECT c.table_name FROM duckdb_constraints() AS c JOIN duckdb_columns() AS col "
        "ON col.table_name = c.table_name AND col.column_name = c.constraint_column_names[1] "
        "WHERE c.constraint_type = 'PRIMARY KEY' AND col.schema_name = 'main' AND col.data_type = 'INTEGER'").rows()}
    numbered = {t for (t,) in db.sql("SELECT DISTINCT table_name FROM row_sources() WHERE key_number IS NOT NULL").rows()}
    assert numbered == integer_first & {t for (t,) in db.sql("SELECT DISTINCT table_name FROM row_sources()").rows()}
    assert db.sql("SELECT count(*) FROM row_sources() WHERE key_number IS NOT NULL "
                  "AND split_part(row_id, '/', 1) <> CAST(key_number AS VARCHAR)").rows() == [(0,)]


@pytest.mark.parametrize("table, key", [
    ("investments", "01"), ("investments", "+1"), ("investments", " 1"), ("investments", "1.0"),
    ("investments", "1/"), ("investments", "99999999999999999999"), ("investments", "-1"),
    ("investment_investors", "01/nissan"), ("investment_investors", "1"), ("agreement_parties", "x/y/z"),
])
def test_provenance_matches_the_key_as_written_only(db, table, key):
    assert db.run("provenance", table_name=table, row_id=key).rows() == []


def test_provenance_by_number_agrees_with_the_key_as_text(generated_db):
    """Every integer-keyed table, composite keys too, on generated data: the narrowed lookup finds the row."""
    with batterydb.connect(generated_db) as gen:
        for table, row_id, source_id in gen.sql(
                "SELECT table_name, min(row_id), arg_min(source_id, row_id) FROM row_sources() "
                "WHERE key_number IS NOT NULL GROUP BY 1 ORDER BY 1").rows():
            rows = gen.run("provenance", table_name=table.upper(), row_id=row_id).rows()
            assert [(r[0], r[1], r[2]) for r in rows][:1] == [(table, row_id, source_id)], table
