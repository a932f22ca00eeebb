"""Capacity by country, over time and in the pipeline, and targets set against what was reported."""

from __future__ import annotations

from datetime import date

import pytest

import batterydb


@pytest.fixture(scope="module")
def db(built_db):
    with batterydb.connect(built_db) as database:
        yield database


@pytest.fixture(scope="module")
def graph(graph_db):
    with batterydb.connect(graph_db) as database:
        yield database


class TestCapacityByCountry:
    def test_2012(self, db):
        assert db.run("capacity_by_country", year=2012).rows() == [
            # Shanghai: "as much as 400 MWh" is 0 to 0.4 GWh
            ("CN", "under_construction", 1, 0.0, 0.4, 0, 0),
            ("Europe", "considered", 1, 0.0, None, 1, 0),
            ("FR", "considered", 1, 0.0, None, 1, 0),
            ("TW", "operating", 1, 0.12, 0.12, 0, 0),
            ("US", "considered", 1, 0.0, None, 1, 0),
        ]

    def test_plants_reported_later_appear_later(self, db):
        assert ("CN", "announced", 2, 0.0, None, 2, 0) in db.run("capacity_by_country", year=2024).rows()
        assert all(r[1] != "announced" for r in db.run("capacity_by_country", year=2023).rows())

    def test_megawatt_hours_and_units_that_do_not_convert(self, graph):
        rows = {(r[0], r[1]): r[2:] for r in graph.run("capacity_by_country", year=2020).rows()}
        assert rows[("FR", "operating")] == (1, 8.0, 8.0, 0, 0)      # 8,000 MWh a year
        assert rows[("KR", "planned")] == (1, 2.0, 2.0, 0, 0)        # battery units of rng_r are not a plant's
        assert rows[("DE", "operating")] == (1, 10.0, 10.0, 0, 0)


def test_capacity_pipeline(db):
    assert db.run("capacity_pipeline").rows() == [
        ("CN", None, None, 0.0, 0.4, 0.0, None, 0, 2, date(2024, 3, 11)),
        ("Europe", None, None, None, None, None, None, 1, 1, date(2008, 12, 29)),
        ("FR", None, None, None, None, None, None, 1, 1, date(2008, 10, 1)),
        ("TW", 0.12, 0.12, None, None, None, None, 0, 0, date(2012, 8, 8)),
        ("US", None, None, None, None, None, None, 1, 1, date(2008, 12, 29)),
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
            ("Boston-Power production line in Taiwan", 2012, "actual")]


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


class TestStalledProjects:
    def test_projects_silent_for_years(self, db):
        assert [(r["facility"], r["status"], r["years_silent"])
                for r in db.run("stalled_projects", as_of="2013-06-01", years=1).records()] == [
            ("AESC battery production in France (considered)", "considered", 5),
            ("AESC plant in Europe (considered)", "considered", 5),
            ("AESC plant in the United States (considered)", "considered", 5),
            ("Boston-Power plant near Shanghai", "under_construction", 1),
        ]

    def test_recent_news_and_operating_plants_are_left_out(self, db):
        rows = db.run("stalled_projects", as_of="2026-01-01", years=3).records()
        assert {r["facility"] for r in rows} == {
            "AESC battery production in France (considered)", "AESC plant in Europe (considered)",
            "AESC plant in the United States (considered)", "Boston-Power plant near Shanghai"}
        assert db.run("stalled_projects", as_of="2008-11-01", years=0).rows()[0][0] == (
            "AESC battery production in France (considered)")
