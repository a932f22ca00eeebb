"""The headline named queries, row for row on the shipped seeds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
import pytest

import batterydb
from batterydb import QueryError


@pytest.fixture(scope="module")
def db(built_db):
    with batterydb.connect(built_db) as database:
        yield database


def test_catalogue_lists_each_query_with_its_question(db):
    assert {name: q.title for name, q in db.queries.items()} == {
        "agreements": "Agreements between organisations",
        "agreements_between": "Agreements of an organisation, or between two",
        "attributable_capacity": "Capacity attributable to each ultimate owner",
        "capacity_by_country": "Capacity by country and status",
        "capacity_history": "Capacity history of a plant or an organisation",
        "capacity_pipeline": "Capacity pipeline by country",
        "data_gaps": "Gaps in the data",
        "facility_capacities": "Plants, their status and capacity",
        "investments_usd": "Investments in US dollars",
        "joint_venture_owners": "Owners of each joint venture",
        "organisation_profile": "Everything known about an organisation",
        "organisation_sources": "Organisations across sources",
        "owners_of": "Direct owners of an organisation",
        "ownership_chain": "Ownership chain of an organisation",
        "partner_network": "Partner network of an organisation",
        "provenance": "Where a fact comes from",
        "reported_figures": "Reported statistics",
        "search_organisations": "Search organisations by name",
        "stalled_projects": "Projects with no news",
        "supply_relationships": "Who supplies whom",
        "targets": "Targets and who set them",
        "targets_vs_reported": "Targets against reported figures",
        "timeline": "Timeline of dated events",
    }
    assert all(q.question.endswith("?") for q in db.queries.values())


class TestOwnersOf:
    def test_three_partners_and_the_undisclosed_five_percent(self, db):
        assert [(r["owner"], r["tie"], r["share_as_stated"], r["share_min_pct"], r["share_max_pct"])
                for r in db.run("owners_of", org="beijing_era").records()] == [
            ("CATL", "jv_partner", "51", Decimal("51"), Decimal("51")),
            ("BAIC", "jv_partner", "39", Decimal("39"), Decimal("39")),
            ("Xiaomi", "jv_partner", "5", Decimal("5"), Decimal("5")),
            (None, "undisclosed", "5", Decimal("5"), Decimal("5")),
        ]

    def test_unknown_shares_stay_unknown_and_no_remainder_is_claimed(self, db):
        assert [(r["owner"], r["share_as_stated"], r["share_min_pct"], r["share_max_pct"])
                for r in db.run("owners_of", org="AESC").records()] == [
            ("NEC", "unknown", None, None), ("NEC Tokin", "unknown", None, None), ("Nissan", "unknown", None, None),
        ]

    @pytest.mark.parametrize("name", [
        "beijing_era", "Beijing Era New Energy Technology", "beijing era new energy technology co.",
        "  BEIJING ERA NEW ENERGY TECHNOLOGY  ", "Beijing Éra New Energy Technology",
    ])
    def test_any_name_or_alias_in_any_case_and_accent(self, db, name):
        assert len(db.run("owners_of", org=name)) == 4


def test_joint_venture_owners(db):
    assert db.run("joint_venture_owners").rows() == [
        ("AESC", "NEC", "unknown", None, None, date(2008, 12, 29)),
        ("AESC", "NEC Tokin", "unknown", None, None, date(2008, 12, 29)),
        ("AESC", "Nissan", "unknown", None, None, date(2008, 12, 29)),
        ("Beijing Era New Energy Technology", "CATL", "51", "95", "5", date(2024, 3, 11)),
        ("Beijing Era New Energy Technology", "BAIC", "39", "95", "5", date(2024, 3, 11)),
        ("Beijing Era New Energy Technology", "Xiaomi", "5", "95", "5", date(2024, 3, 11)),
    ]


def test_facility_capacities(db):
    result = db.run("facility_capacities")
    assert [(r["facility"], r["status"], r["capacity_as_stated"], r["gwh_per_year_min"], r["gwh_per_year_max"])
            for r in result.records()] == [
        ("AESC battery production in France (considered)", "considered", "not disclosed", None, None),
        ("AESC plant in Europe (considered)", "considered", "not disclosed", None, None),
        ("AESC plant in the United States (considered)", "considered", "not disclosed", None, None),
        ("Beijing Era battery cell plant", "announced", "not disclosed", None, None),
        ("Boston-Power plant near Shanghai", "under_construction", "up to 400 MWh per year", None, 0.4),
        ("Boston-Power production line in Taiwan", "operating", "120 MWh per year", 0.12, 0.12),
        ("CATL plant in Beijing (announced January 2024)", "announced", "not disclosed", None, None),
    ]


def test_targets(db):
    assert [(r["target_id"], r["target"], r["deadline"]) for r in db.run("targets").records()] == [
        (3, "1000 to under 10000 vehicles", "by 2014"),
        (1, "500000 vehicles", "by 2015"),
        (7, "milestone without a figure", "before 2018"),
        (5, "over 100 GWh per year", "by 2020"),
        (6, "over 40 GWh per year", "by 2020"),
        (8, "milestone without a figure", "by 2020"),
        (9, "milestone without a figure", "by 2025"),
        (2, "100 to under 1000 vehicles", None),
        (4, "over 50 percent", None),
    ]
    set_by = {r["target_id"]: r["set_by"] for r in db.run("targets").records()}
    assert set_by[5] == ("Ministry of Finance; Ministry of Industry and Information Technology; "
                         "Ministry of Science and Technology; National Development and Reform Commission")
    assert set_by[1] == "Government of China"


def test_agreements_firmest_first(db):
    assert [(r["agreement_id"], r["parties"], r["status"]) for r in db.run("agreements").records()] == [
        (7, "Nissan (partner); Renault (partner)", "active"),
        (1, "Boston-Power (supplier); Beijing Electric Vehicle (customer)", "agreed"),
        (4, "BAIC (partner); Mercedes (partner)", "agreed"),
        (3, "BAIC (partner); Hyundai (partner)", "announced"),
        (6, "AESC (supplier); Nissan (customer)", "announced"),
        (5, "CATL (supplier); Xiaomi (customer)", "expected"),
        (8, "AESC (supplier); Renault (customer)", "considered"),
        (2, "BAIC (partner); Xiaomi (partner)", "reported"),
    ]


def test_ad_hoc_sql_errors_come_back_as_query_errors(db):
    with pytest.raises(QueryError, match="Table with name nothing does not exist"):
        db.sql("SELECT * FROM nothing")


def test_ad_hoc_sql_binds_parameters(db):
    assert db.sql("SELECT name FROM organisations WHERE org_id = $id", {"id": "catl"}).rows() == [("CATL",)]


def test_make_run_headlines_are_queries_that_need_no_parameters():
    import re
    from conftest import REPO
    makefile = (REPO / "Makefile").read_text()
    headlines = re.search(r"^HEADLINES := (.*)$", makefile, re.M).group(1).split()
    queries = batterydb.catalogue.load()
    assert headlines and all(name in queries and not queries[name].required for name in headlines)


def test_readme_lists_every_query():
    from conftest import REPO
    readme = (REPO / "README.md").read_text()
    assert [n for n in batterydb.catalogue.load() if f"| `{n}` |" not in readme] == []


def test_joint_venture_remainder_is_worked_out_per_reporting_date(seeds_copy, tmp_path):
    with (seeds_copy / "ownership_stakes.csv").open("a") as f:
        f.write("8,catl,beijing_era,jv_partner,exact,60,,,,,2025-01-01,day,electrive_2024_03,Fixture: a later report.\n")
    batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
    with batterydb.connect(tmp_path / "db.duckdb") as db:
        rows = [(r["owner"], str(r["reported_on"]), r["disclosed_total_pct"], r["undisclosed_pct"])
                for r in db.run("joint_venture_owners").records() if r["joint_venture"].startswith("Beijing")]
    assert rows == [("CATL", "2025-01-01", "60", "40"), ("CATL", "2024-03-11", "95", "5"),
                    ("BAIC", "2024-03-11", "95", "5"), ("Xiaomi", "2024-03-11", "95", "5")]



def test_threads_running_queries_at_once_get_the_same_rows(db):
    from concurrent.futures import ThreadPoolExecutor

    expected = db.run("owners_of", org="Beijing_Era").rows()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: db.run("owners_of", org="Beijing_Era").rows(), range(8)))
    assert results == [expected] * 8


@pytest.mark.parametrize("untrusted", [False, True])
def test_no_progress_bar_reaches_stdout(built_db, tmp_path, untrusted):
    """DuckDB would draw one on stdout during a long query, in the middle of `batterydb query`'s output."""
    path = tmp_path / "copy.duckdb"  # a process opens one file with one configuration only
    path.write_bytes(built_db.read_bytes())
    with batterydb.connect(path, untrusted=untrusted) as db:
        setting = "SELECT current_setting('enable_progress_bar')"
        assert db.connection.execute(setting).fetchone()[0] is False
        assert db.sql(setting).rows() == [(False,)]  # through this thread's cursor
