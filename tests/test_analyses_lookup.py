"""Finding organisations, their whole profile, and the gaps in the data."""

from __future__ import annotations

from datetime import date

import pytest

import batterydb


@pytest.fixture(scope="module")
def db(built_db):
    with batterydb.connect(built_db) as database:
        yield database


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
        assert [(d, a) for _, _, d, a, _ in capacity] == [
            ("up to 400 MWh per year, planned, from 2012", date(2012, 1, 1)),
            ("120 MWh per year, actual, in 2012", date(2012, 1, 1)),
        ]

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
        assert [i for s, i, *_ in rows if s == "target"] == [
            "quality_battery_supply", "annual_production_capacity", "enterprise_annual_capacity",
            "new_lithium_battery_application", "new_battery_research"]


def test_data_gaps(db):
    rows = db.run("data_gaps").rows()
    counts = {}
    for gap, *_ in rows:
        counts[gap] = counts.get(gap, 0) + 1
    assert counts == {"stakes below 100%": 1, "facility without capacity": 5, "vague figure": 13,
                      "organisation without country": 12, "target without reported figure": 7}
    assert rows[0] == ("stakes below 100%", "ownership_stakes", "1", "Beijing Era New Energy Technology",
                       "known stakes reported on 2024-03-11 add up to 95%; 5% undisclosed", "electrive_2024_03")
    targets = sorted(int(r[2]) for r in rows if r[0] == "target without reported figure")
    assert targets == [2, 3, 4, 6, 7, 8, 9]  # 1 has the 2011 sales, 5 the Shanghai plant
