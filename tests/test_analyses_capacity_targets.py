"""Capacity by country, over time and in the pipeline, and targets set against what was reported."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

import batterydb
from batterydb import paths

from conftest import extend_seeds


@pytest.fixture(scope="module")
def partial_db(tmp_path_factory):
    """The shipped seeds plus plants in Poland of which some have figures and some not
    (tests/fixtures/partial_capacity), and the organisations that run and own them."""
    root = tmp_path_factory.mktemp("partial")
    seeds = root / "seeds"
    shutil.copytree(paths.seeds_dir(), seeds)
    extend_seeds(seeds, "partial_capacity")
    batterydb.build(out=root / "partial.duckdb", seeds=seeds)
    return root / "partial.duckdb"


@pytest.fixture(scope="module")
def partial(partial_db):
    with batterydb.connect(partial_db) as database:
        yield database


FIXTURE_OWNERS = {"pl_parent", "pl_partner", "plz"}


class TestCapacityByCountry:
    def test_2012(self, db):
        assert db.run("capacity_by_country", year=2012).rows() == [
            # Shanghai: "as much as 400 MWh" is 0 to 0.4 GWh
            ("CN", "under_construction", 1, 0.0, 0.4, "up to 0.4", 0, 0, "bloomberg_2012_08_08"),
            # AESC's plans give figures for AESC, not for a plant: these plants have none
            ("Europe", "considered", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0,
             "nikkei_2008_12_29"),
            ("FR", "considered", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0, "reuters_2008_10"),
            ("TW", "operating", 1, 0.12, 0.12, "0.12", 0, 0, "lampe_onnerud_interview_2012"),
            ("US", "considered", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0,
             "nikkei_2008_12_29"),
        ]

    def test_2024(self, db):
        # the two Beijing plants were announced in 2024 without a figure: unknown, not 0
        assert db.run("capacity_by_country", year=2024).rows() == [
            ("CN", "under_construction", 1, 0.0, 0.4, "up to 0.4", 0, 0, "bloomberg_2012_08_08"),
            ("CN", "announced", 2, None, None, "unknown (2 plants without a GWh figure)", 2, 0,
             "baic_announcement_2024_03_11, electrive_2024_03"),
            ("Europe", "considered", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0,
             "nikkei_2008_12_29"),
            ("FR", "considered", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0, "reuters_2008_10"),
            ("TW", "operating", 1, 0.12, 0.12, "0.12", 0, 0, "lampe_onnerud_interview_2012"),
            ("US", "considered", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0,
             "nikkei_2008_12_29"),
        ]

    def test_plants_reported_later_appear_later(self, db):
        assert all(r[1] != "announced" for r in db.run("capacity_by_country", year=2023).rows())

    def test_megawatt_hours_and_units_that_do_not_convert(self, graph):
        rows = {(r[0], r[1]): r[2:] for r in graph.run("capacity_by_country", year=2020).rows()}
        assert rows[("FR", "operating")] == (1, 8.0, 8.0, "8", 0, 0, "hktdc_2017")      # 8,000 MWh a year
        assert rows[("KR", "planned")] == (1, 2.0, 2.0, "2", 0, 0, "hktdc_2017")        # battery units of rng_r are not a plant's
        assert rows[("DE", "operating")] == (1, 10.0, 10.0, "10", 0, 0, "hktdc_2017")

    def test_part_of_a_country_without_figures_gives_a_lower_bound(self, partial):
        rows = [r for r in partial.run("capacity_by_country", year=2025).rows() if r[0] == "PL"]
        assert rows == [
            # announced in 2022, cancelled in 2024: the latest status counts, and its source
            ("PL", "cancelled", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0,
             "electrive_2024_03, hktdc_2017"),
            # A: 5 GWh (the 2020 figure; the one for 2026 is not yet due), B: none, C: at least 2
            ("PL", "operating", 3, 7.0, None, "at least 7 (1 plant without a GWh figure)", 1, 0,
             "bnef_email_2012, hktdc_2017, reuters_2008_10"),
            # D: 1 to 3 GWh, E: 500 MWh
            ("PL", "under_construction", 2, 1.5, 3.5, "1.5 to 3.5", 0, 0, "bnef_email_2012, hktdc_2017"),
            # F: battery units only, which never add to GWh
            ("PL", "planned", 1, None, None, "unknown (1 plant without a GWh figure)", 0, 1, "hktdc_2017"),
            # G: PLZ's own figure is the organisation's, not the plant's; I is first reported in 2026
            ("PL", "announced", 1, None, None, "unknown (1 plant without a GWh figure)", 1, 0, "hktdc_2017"),
        ]

    def test_all_known_but_without_an_upper_bound_is_at_least(self, partial):
        # in 2020 only A (5 GWh) and C (at least 2 GWh) had been reported
        assert [r for r in partial.run("capacity_by_country", year=2020).rows() if r[0] == "PL"] == [
            ("PL", "operating", 2, 7.0, None, "at least 7", 0, 0, "hktdc_2017, reuters_2008_10")]


def test_capacity_pipeline(db):
    assert db.run("capacity_pipeline").rows() == [
        ("CN", None, None, None, 0.0, 0.4, "up to 0.4", None, None, "unknown (2 plants without a GWh figure)",
         0, 2, date(2024, 3, 11), "baic_announcement_2024_03_11, bloomberg_2012_08_08, electrive_2024_03"),
        ("Europe", None, None, None, None, None, None, None, None, None, 1, 1, date(2008, 12, 29),
         "nikkei_2008_12_29"),
        ("FR", None, None, None, None, None, None, None, None, None, 1, 1, date(2008, 10, 1), "reuters_2008_10"),
        ("TW", 0.12, 0.12, "0.12", None, None, None, None, None, None, 0, 0, date(2012, 8, 8),
         "lampe_onnerud_interview_2012"),
        ("US", None, None, None, None, None, None, None, None, None, 1, 1, date(2008, 12, 29), "nikkei_2008_12_29"),
    ]


def test_capacity_pipeline_with_part_of_each_stage_unknown(partial):
    assert [r for r in partial.run("capacity_pipeline").rows() if r[0] == "PL"] == [(
        "PL",
        # A's latest figure is the 8 GWh planned for 2026, C at least 2, B none
        10.0, None, "at least 10 (1 plant without a GWh figure)",
        1.5, 3.5, "1.5 to 3.5",
        # F (battery units only), G and I (announced): none has a GWh figure; cancelled H is left out
        None, None, "unknown (3 plants without a GWh figure)",
        0, 4, date(2026, 2, 1),
        "bnef_email_2012, electrive_2024_03, hktdc_2017, marketing_agency_2024_03, reuters_2008_10",
    )]


ATTRIBUTABLE_2012 = [
    # Taiwan line 120 MWh (planned, 2012) plus Shanghai "as much as 400 MWh" (planned, 2012)
    ("Boston-Power", "boston_power", "gwh_per_year", True, 0.12, 0.52, 2, 0, 2012, 2012,
     "bloomberg_2012_08_08, lampe_onnerud_interview_2012"),
    # AESC's 65,000 units for 2011 reach its three partners through unknown shares
    ("NEC", "nec", "battery_units_per_year", False, 0.0, 65000.0, 1, 0, 2011, 2011,
     "aesc_partners_statement_2008"),
    ("NEC Tokin", "nec_tokin", "battery_units_per_year", False, 0.0, 65000.0, 1, 0, 2011, 2011,
     "aesc_partners_statement_2008"),
    ("Nissan", "nissan", "battery_units_per_year", False, 0.0, 65000.0, 1, 0, 2011, 2011,
     "aesc_partners_statement_2008"),
    # "about 200,000 cars a year from 2011 or later": may not be in place yet, so from 0
    ("NEC", "nec", "vehicle_sets_per_year", False, 0.0, 200000.0, 1, 0, 2011, 2011, "nikkei_2008_12_29"),
    ("NEC Tokin", "nec_tokin", "vehicle_sets_per_year", False, 0.0, 200000.0, 1, 0, 2011, 2011, "nikkei_2008_12_29"),
    ("Nissan", "nissan", "vehicle_sets_per_year", False, 0.0, 200000.0, 1, 0, 2011, 2011, "nikkei_2008_12_29"),
]


class TestAttributableCapacity:
    def test_2012(self, db):
        # AESC's three considered plants are covered by AESC's own figures; no plant is undisclosed
        assert db.run("attributable_capacity").rows() == ATTRIBUTABLE_2012

    def test_2024_says_how_old_the_figures_are_and_what_is_undisclosed(self, db):
        assert db.run("attributable_capacity", year=2024).rows() == ATTRIBUTABLE_2012 + [
            # its own Beijing plant and the joint venture's cell plant (51%), both without a figure
            ("CATL", "catl", None, None, None, None, 0, 2, None, None,
             "baic_announcement_2024_03_11, electrive_2024_03"),
            ("BAIC", "baic", None, None, None, None, 0, 1, None, None,
             "baic_announcement_2024_03_11, electrive_2024_03"),   # 39%
            ("Xiaomi", "xiaomi", None, None, None, None, 0, 1, None, None,
             "baic_announcement_2024_03_11, electrive_2024_03"),  # 5%
        ]

    def test_before_any_figure_the_plants_known_are_undisclosed(self, db):
        # AESC's first figure is for 2009; its three plants were already being considered in 2008
        assert db.run("attributable_capacity", year=2008).rows() == [
            (name, org, None, None, None, None, 0, 3, None, None, "nikkei_2008_12_29, reuters_2008_10")
            for name, org in [("NEC", "nec"), ("NEC Tokin", "nec_tokin"), ("Nissan", "nissan")]]

    def test_undisclosed_plants_beside_figures(self, partial):
        rows = [r for r in partial.run("attributable_capacity", year=2025).rows() if r[1] in FIXTURE_OWNERS]
        assert rows == [
            # 60% of A (5, 2020) and C (at least 2, 2020), 30% of D (1 to 3, 2022) and E (0.5, 2022)
            ("PL Parent", "pl_parent", "gwh_per_year", True, 4.65, None, 4, 0, 2020, 2022,
             "bnef_email_2012, hktdc_2017"),
            ("PL Partner", "pl_partner", "gwh_per_year", True, 0.0, None, 4, 0, 2020, 2022,
             "bnef_email_2012, hktdc_2017"),
            ("PLZ Energy", "plz", "gwh_per_year", True, 2.0, 2.0, 1, 0, 2021, 2021, "hktdc_2017"),
            ("PL Partner", "pl_partner", "battery_units_per_year", False, 0.0, 500.0, 1, 0, 2022, 2022,
             "hktdc_2017"),
            ("PL Parent", "pl_parent", "battery_units_per_year", False, 300.0, 300.0, 1, 0, 2022, 2022,
             "hktdc_2017"),
            # B has no figure; G is covered by PLZ's own, H is cancelled, I not reported until 2026
            ("PL Parent", "pl_parent", None, None, None, None, 0, 1, None, None, "bnef_email_2012, hktdc_2017"),
            ("PL Partner", "pl_partner", None, None, None, None, 0, 1, None, None, "bnef_email_2012, hktdc_2017"),
        ]

    def test_a_plant_reported_later_becomes_undisclosed_then(self, partial):
        rows = {(r[1], r[2]): r for r in partial.run("attributable_capacity", year=2026).rows()
                if r[1] in FIXTURE_OWNERS}
        # A's 8 GWh for 2026 replaces its 5 GWh for 2020: 60% x (8 + 2) + 30% x (1 + 0.5)
        assert rows[("pl_parent", "gwh_per_year")][4:] == (6.45, None, 4, 0, 2020, 2026,
                                                           "bnef_email_2012, hktdc_2017, marketing_agency_2024_03")
        assert rows[("pl_parent", None)][6:] == (0, 2, None, None,
                                                 "bnef_email_2012, hktdc_2017, marketing_agency_2024_03")

    def test_figures_outside_the_counted_bases_leave_plants_undisclosed(self, partial):
        rows = [r for r in partial.run("attributable_capacity", year=2025, bases=["actual"]).rows()
                if r[1] in FIXTURE_OWNERS]
        assert rows == [
            ("PL Parent", "pl_parent", "gwh_per_year", True, 4.2, None, 2, 0, 2020, 2020, "hktdc_2017"),
            ("PL Partner", "pl_partner", "gwh_per_year", True, 0.0, None, 2, 0, 2020, 2020, "hktdc_2017"),
            # B, and D, E and F through PLY, whose figures are all planned
            ("PL Parent", "pl_parent", None, None, None, None, 0, 4, None, None, "bnef_email_2012, hktdc_2017"),
            ("PL Partner", "pl_partner", None, None, None, None, 0, 4, None, None, "bnef_email_2012, hktdc_2017"),
            # PLZ's only figure is planned, so it no longer covers G
            ("PLZ Energy", "plz", None, None, None, None, 0, 1, None, None, "hktdc_2017"),
        ]


class TestCapacityHistory:
    def test_aesc_ramp(self, db):
        assert [(r["year"], r["year_qualifier"], r["capacity_as_stated"], r["change_from_previous"])
                for r in db.run("capacity_history", subject="AESC").records()] == [
            (2009, "from", "13000 battery units per year", None),
            (2011, "in", "65000 battery units per year", 5.0),
            (2011, "not_before", "about 200000 vehicles' worth of batteries per year", None),
        ]

    def test_organisation_history_includes_its_plants(self, db):
        assert [(r["facility"], r["gwh_min"], r["gwh_max"])
                for r in db.run("capacity_history", subject="Boston-Power Inc.").records()] == [
            ("Boston-Power plant near Shanghai", None, 0.4),
            ("Boston-Power production line in Taiwan", 0.12, 0.12),
        ]

    def test_by_facility_name(self, db):
        rows = db.run("capacity_history", subject="boston-power production line in taiwan").records()
        assert [(r["subject"], r["year"], r["basis"]) for r in rows] == [
            ("Boston-Power production line in Taiwan", 2012, "planned")]


@pytest.fixture(scope="module")
def rows(db):
    return {r["target_id"]: r for r in db.run("targets_vs_reported").records()}


class TestTargetsVsReported:
    def test_ev_sales_against_the_cumulative_2015_target(self, rows):
        r = rows[1]
        assert r["comparison"] == ("sum of 1 reported ev_sales period(s); a lower bound, "
                                   "as periods not reported are missing")
        # 8,795 sold in 2011 against 500,000 by 2015: at least 1.759% of the way
        assert (r["reported_min"], r["reported_max"], r["progress_min_pct"], r["progress_max_pct"]) == (
            8795.0, None, 1.759, None)
        assert (r["gap_min"], r["gap_max"], r["met"]) == (None, 491205.0, None)

    def test_2020_capacity_target_against_plants_in_china(self, rows):
        r = rows[5]
        assert r["comparison"] == "capacity of 1 plant(s) in CN reported up to 2020 (0 without a GWh figure)"
        assert (r["reported_min"], r["reported_max"], r["progress_min_pct"], r["progress_max_pct"]) == (
            0.0, 0.4, 0.0, 0.4)
        assert (r["gap_min"], r["gap_max"]) == (99.6, 100.0)
        assert r["met"] is None  # the figures stop in 2012, long before the deadline

    def test_targets_without_figures_say_so(self, rows):
        assert {t for t, r in rows.items() if r["comparison"] == "no reported figure in the database"} == {
            2, 3, 4, 6, 7, 8, 9}
        assert all(rows[t]["reported_min"] is None for t in (2, 3, 4, 6, 7, 8, 9))

    def test_a_target_reached_is_met(self, seeds_copy, tmp_path):
        with (seeds_copy / "reported_figures.csv").open("a") as f:
            f.write("2,ev_sales,CN,electric_vehicles,,2012-01-01,2015-12-31,exact,600000,,,,,vehicles,,"
                    "bloomberg_2012_08_08,Fixture.\n")
        batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
        with batterydb.connect(tmp_path / "db.duckdb") as db:
            r = {x["target_id"]: x for x in db.run("targets_vs_reported").records()}[1]
        assert (r["reported_min"], r["met"], r["reported_as_of"].year) == (608795.0, True, 2015)

    def test_each_target_cites_its_own_sources_and_those_of_its_figures(self, rows):
        assert {t: (r["reported_as_of"], r["reported_as_of_precision"], r["source_ids"])
                for t, r in rows.items()} == {
            # the BNEF analyst's target, against the 2011 sales in the Bloomberg article
            1: (date(2011, 12, 31), "day", "bloomberg_2012_08_08, bnef_email_2012"),
            # the Action Plan's 100 GWh, against the Shanghai plant, its status and its figure (all Bloomberg)
            5: (date(2012, 8, 8), "day", "bloomberg_2012_08_08, hktdc_2017"),
            2: (None, None, "boston_power_statement_2012"), 3: (None, None, "boston_power_statement_2012"),
            4: (None, None, "lampe_onnerud_interview_2012"),
            6: (None, None, "hktdc_2017"), 7: (None, None, "hktdc_2017"), 8: (None, None, "hktdc_2017"),
            9: (None, None, "hktdc_2017"),
        }

    def test_plants_counted_are_cited_and_their_date_keeps_its_precision(self, seeds_copy, tmp_path):
        with (seeds_copy / "facilities.csv").open("a") as f:
            f.write("fixture_plant,Fixture plant,catl,plant,batteries,,,CN,false,nikkei_2008_12_29,Fixture.\n")
        with (seeds_copy / "facility_status_history.csv").open("a") as f:
            f.write("fixture_plant,planned,2019-06-01,month,false,reuters_2008_10,Fixture.\n")
        with (seeds_copy / "capacities.csv").open("a") as f:
            f.write("6,fixture_plant,,planned,exact,5,,,,,gwh_per_year,2019,in,aesc_statement_2008_05,Fixture.\n")
        batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
        with batterydb.connect(tmp_path / "db.duckdb") as db:
            r = {x["target_id"]: x for x in db.run("targets_vs_reported").records()}[5]
        assert (r["reported_min"], r["reported_max"], r["reported_as_of"], r["reported_as_of_precision"]) == (
            5.0, 5.4, date(2019, 6, 1), "month")
        assert r["source_ids"] == ("aesc_statement_2008_05, bloomberg_2012_08_08, hktdc_2017, nikkei_2008_12_29, "
                                   "reuters_2008_10")


class TestStalledProjects:
    def test_projects_silent_for_years(self, db):
        assert db.run("stalled_projects", as_of="2013-06-01", years=1).rows() == [
            # Reuters, October 2008: the month is known, the day is not
            ("AESC battery production in France (considered)", "AESC", "FR", "considered", date(2008, 10, 1),
             "month", 5, "reuters_2008_10"),
            ("AESC plant in Europe (considered)", "AESC", "Europe", "considered", date(2008, 12, 29), "day", 5,
             "nikkei_2008_12_29"),
            ("AESC plant in the United States (considered)", "AESC", "US", "considered", date(2008, 12, 29), "day",
             5, "nikkei_2008_12_29"),
            ("Boston-Power plant near Shanghai", "Boston-Power", "CN", "under_construction", date(2012, 8, 8), "day",
             1, "bloomberg_2012_08_08"),
        ]

    def test_recent_news_and_operating_plants_are_left_out(self, db):
        rows = db.run("stalled_projects", as_of="2026-01-01", years=3).records()
        assert {r["facility"] for r in rows} == {
            "AESC battery production in France (considered)", "AESC plant in Europe (considered)",
            "AESC plant in the United States (considered)", "Boston-Power plant near Shanghai"}
        assert db.run("stalled_projects", as_of="2008-11-01", years=0).rows()[0][0] == (
            "AESC battery production in France (considered)")
