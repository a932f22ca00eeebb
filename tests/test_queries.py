"""The headline named queries, row for row on the shipped seeds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
import pytest

import batterydb
from batterydb import QueryError


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
    result = db.run("joint_venture_owners")
    assert list(zip(result.columns, result.types)) == [
        ("joint_venture", "VARCHAR"), ("owner", "VARCHAR"), ("tie", "VARCHAR"), ("share_as_stated", "VARCHAR"),
        ("share_min_pct", "DECIMAL(9,6)"), ("share_max_pct", "DECIMAL(9,6)"), ("reported_on", "DATE"),
        ("reported_precision", "VARCHAR"), ("source_id", "VARCHAR"),
    ]
    aesc, beijing = ("AESC", date(2008, 12, 29), "day", "carboncreditsusa_2008_12_29"), \
        ("Beijing Era New Energy Technology", date(2024, 3, 11), "day", "electrive_2024_03")
    assert result.rows() == [
        # the Nikkei-era blog names the three partners of AESC without their shares: no remainder is claimed
        (aesc[0], "NEC", "jv_partner", "unknown", None, None, *aesc[1:]),
        (aesc[0], "NEC Tokin", "jv_partner", "unknown", None, None, *aesc[1:]),
        (aesc[0], "Nissan", "jv_partner", "unknown", None, None, *aesc[1:]),
        # Electrive: 51 + 39 + 5 = 95%, so 5% is undisclosed, worked out here and cited by none
        (beijing[0], "CATL", "jv_partner", "51", Decimal("51"), Decimal("51"), *beijing[1:]),
        (beijing[0], "BAIC", "jv_partner", "39", Decimal("39"), Decimal("39"), *beijing[1:]),
        (beijing[0], "Xiaomi", "jv_partner", "5", Decimal("5"), Decimal("5"), *beijing[1:]),
        (beijing[0], None, "undisclosed", "5", Decimal("5"), Decimal("5"), date(2024, 3, 11), "day", None),
    ]
    # the same answer as owners_of gives for the one joint venture
    assert [r[1:] for r in result.rows() if r[0] == beijing[0]] == [
        r[1:7] + ("day", r[7]) for r in db.run("owners_of", org="beijing_era").rows()]


def test_facility_capacities(db):
    result = db.run("facility_capacities")
    assert result.columns == ["facility", "operator", "country_or_region", "status", "capacity_as_stated",
                              "capacity_year", "gwh_per_year_min", "gwh_per_year_max", "source_ids"]
    assert result.rows() == [
        ("AESC battery production in France (considered)", "AESC", "FR", "considered", "not disclosed",
         None, None, None, "reuters_2008_10"),
        ("AESC plant in Europe (considered)", "AESC", "Europe", "considered", "not disclosed",
         None, None, None, "nikkei_2008_12_29"),
        ("AESC plant in the United States (considered)", "AESC", "US", "considered", "not disclosed",
         None, None, None, "nikkei_2008_12_29"),
        # the plant from the article, its announced status from BAIC's announcement
        ("Beijing Era battery cell plant", "Beijing Era New Energy Technology", "CN", "announced", "not disclosed",
         None, None, None, "baic_announcement_2024_03_11, electrive_2024_03"),
        # the plant, its status and its "up to 400 MWh" all come from the Bloomberg article
        ("Boston-Power plant near Shanghai", "Boston-Power", "CN", "under_construction", "up to 400 MWh per year",
         2012, None, 0.4, "bloomberg_2012_08_08"),
        # the line, its status and its 120 MWh all from the chairman's interview
        ("Boston-Power production line in Taiwan", "Boston-Power", "TW", "operating", "120 MWh per year",
         2012, 0.12, 0.12, "lampe_onnerud_interview_2012"),
        ("CATL plant in Beijing (announced January 2024)", "CATL", "CN", "announced", "not disclosed",
         None, None, None, "electrive_2024_03"),
    ]


def test_facility_capacities_cite_the_facility_its_status_and_its_figure(seeds_copy, tmp_path):
    with (seeds_copy / "capacities.csv").open("a") as f:
        f.write("6,catl_beijing_plant,,planned,exact,10,,,,,gwh_per_year,2026,in,hktdc_2017,Fixture.\n")
    with (seeds_copy / "facility_status_history.csv").open("a") as f:
        f.write("catl_beijing_plant,under_construction,2025-01-01,year,false,bloomberg_2012_08_08,Fixture.\n")
    batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
    with batterydb.connect(tmp_path / "db.duckdb") as db:
        rows = [(r["status"], r["capacity_as_stated"], r["source_ids"]) for r in db.run("facility_capacities").records()
                if r["facility"].startswith("CATL")]
    assert rows == [("under_construction", "10 GWh per year",
                     "bloomberg_2012_08_08, electrive_2024_03, hktdc_2017")]


def test_targets(db):
    result = db.run("targets")
    assert list(zip(result.columns, result.types))[4:] == [
        ("target", "VARCHAR"), ("target_min", "DOUBLE"), ("target_max", "DOUBLE"), ("unit_code", "VARCHAR"),
        ("deadline", "VARCHAR"), ("deadline_year", "INTEGER"), ("source_ids", "VARCHAR"),
    ]
    assert [(r["target_id"], *list(r.values())[4:]) for r in result.records()] == [
        (3, "1000 to under 10000 vehicles", 1000.0, 10000.0, "vehicles", "by 2014", 2014,
         "boston_power_statement_2012"),
        (1, "500000 vehicles", 500000.0, 500000.0, "vehicles", "by 2015", 2015, "bnef_email_2012"),
        (7, "milestone without a figure", None, None, None, "before 2018", 2018, "hktdc_2017"),
        (5, "over 100 GWh per year", 100.0, None, "gwh_per_year", "by 2020", 2020, "hktdc_2017"),
        (6, "over 40 GWh per year", 40.0, None, "gwh_per_year", "by 2020", 2020, "hktdc_2017"),
        (8, "milestone without a figure", None, None, None, "by 2020", 2020, "hktdc_2017"),
        (9, "milestone without a figure", None, None, None, "by 2025", 2025, "hktdc_2017"),
        (2, "100 to under 1000 vehicles", 100.0, 1000.0, "vehicles", None, None, "boston_power_statement_2012"),
        (4, "over 50 percent", 50.0, None, "percent", None, None, "lampe_onnerud_interview_2012"),
    ]
    set_by = {r["target_id"]: r["set_by"] for r in db.run("targets").records()}
    assert set_by[5] == ("Ministry of Finance; Ministry of Industry and Information Technology; "
                         "Ministry of Science and Technology; National Development and Reform Commission")
    assert set_by[1] == "Government of China"


def test_agreements_firmest_first(db):
    assert db.run("agreements").rows() == [
        (7, "partnership", "Nissan (partner); Renault (partner)", "active", 5, None, None,
         "carboncreditsusa_2008_12_29"),
        (1, "supply", "Boston-Power (supplier); Beijing Electric Vehicle (customer)", "agreed", 4,
         date(2012, 8, 8), "day", "bloomberg_2012_08_08"),
        # BAIC's brand with Hyundai and deal with Mercedes: only announced, in an announcement the page names
        (3, "joint_brand", "BAIC (partner); Hyundai (partner)", "announced", 3, None, None,
         "baic_deals_announcement_2024"),
        (4, "production", "BAIC (partner); Mercedes (partner)", "announced", 3, None, None,
         "baic_deals_announcement_2024"),
        (6, "supply", "AESC (supplier); Nissan (customer)", "announced", 3, None, None,
         "aesc_partners_statement_2008"),
        (5, "supply", "CATL (supplier); Xiaomi (customer)", "expected", 2, None, None, "electrive_2024_03"),
        # a Renault executive to Reuters in October 2008: known to the month
        (8, "supply", "AESC (supplier); Renault (customer)", "considered", 1, date(2008, 10, 1), "month",
         "reuters_2008_10"),
        # reported in 2022, as the page citing Electrive says: known to the year
        (2, "partnership", "BAIC (partner); Xiaomi (partner)", "reported", 1, date(2022, 1, 1), "year",
         "xiaomi_baic_reports_2022"),
    ]


def test_agreement_sources_include_their_parties(seeds_copy, tmp_path):
    with (seeds_copy / "agreement_parties.csv").open("a") as f:
        f.write("8,nissan,partner,carboncreditsusa_2008_12_29\n")
    batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
    with batterydb.connect(tmp_path / "db.duckdb") as db:
        row = {r["agreement_id"]: r for r in db.run("agreements").records()}[8]
    assert (row["parties"], row["source_ids"]) == (
        "AESC (supplier); Nissan (partner); Renault (customer)", "carboncreditsusa_2008_12_29, reuters_2008_10")


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


# The line `make run` prints under each headline table, worked out from the rows above and sources.csv:
# publisher (source_publishers), else title, else kind; the date to its precision; an undated source
# names the article citing it.
MAKE_RUN_SOURCES = {
    "joint_venture_owners": "sources: carboncreditsusa_2008_12_29 (carboncreditsusa, 2008-12-29), "
                            "electrive_2024_03 (Electrive, 2024-03)",
    "facility_capacities": "sources: baic_announcement_2024_03_11 (BAIC, 2024-03-11), "
                           "bloomberg_2012_08_08 (Bloomberg News, 2012-08-08), "
                           "electrive_2024_03 (Electrive, 2024-03), "
                           "lampe_onnerud_interview_2012 (interview, cited by bloomberg_2012_08_08), "
                           "nikkei_2008_12_29 (Nikkei, 2008-12-29), reuters_2008_10 (Reuters, 2008-10)",
    "targets": "sources: bnef_email_2012 (Bloomberg New Energy Finance, cited by bloomberg_2012_08_08), "
               "boston_power_statement_2012 (Boston-Power, cited by bloomberg_2012_08_08), "
               "hktdc_2017 (HKTDC Research, 2017), "
               "lampe_onnerud_interview_2012 (interview, cited by bloomberg_2012_08_08)",
    "agreements": "sources: aesc_partners_statement_2008 (statement, cited by carboncreditsusa_2008_12_29), "
                  "baic_deals_announcement_2024 (statement, cited by marketing_agency_2024_03), "
                  "bloomberg_2012_08_08 (Bloomberg News, 2012-08-08), "
                  "carboncreditsusa_2008_12_29 (carboncreditsusa, 2008-12-29), "
                  "electrive_2024_03 (Electrive, 2024-03), reuters_2008_10 (Reuters, 2008-10), "
                  "xiaomi_baic_reports_2022 (press report, 2022)",
}


def test_make_run_lists_the_sources_of_each_headline(db):
    import re
    from batterydb import sources
    from conftest import REPO
    headlines = re.search(r"^HEADLINES := (.*)$", (REPO / "Makefile").read_text(), re.M).group(1).split()
    assert {name: sources.line(db, db.run(name)) for name in headlines} == MAKE_RUN_SOURCES


def test_an_answer_without_sources_says_none(db):
    from batterydb import sources
    assert sources.line(db, db.sql("SELECT 'x' AS source_id WHERE false")) == "sources: none"


def test_make_run_prints_the_sources_line_under_its_table(built_db):
    import os
    import shutil
    import subprocess
    from conftest import REPO, VENV_BIN
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "headlines", "HEADLINES=joint_venture_owners", f"BIN={VENV_BIN}"],
        cwd=REPO, env={**os.environ, "BATTERYDB_DATABASE": str(built_db)}, capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    query = batterydb.catalogue.load()["joint_venture_owners"]
    assert lines[:2] == [query.title, query.question]
    assert [line.split("│")[2].strip() for line in lines if line.startswith("│ Beijing")] == [
        "CATL", "BAIC", "Xiaomi", "NULL"]
    assert lines[-2].startswith("└") and lines[-1] == MAKE_RUN_SOURCES["joint_venture_owners"]


def test_readme_lists_every_query():
    from conftest import REPO
    readme = (REPO / "README.md").read_text()
    assert [n for n in batterydb.catalogue.load() if f"| `{n}` |" not in readme] == []


def test_joint_venture_remainder_is_worked_out_per_reporting_date(seeds_copy, tmp_path):
    with (seeds_copy / "ownership_stakes.csv").open("a") as f:
        f.write("8,catl,beijing_era,jv_partner,exact,60,,,,,2025-01-01,day,electrive_2024_03,Fixture: a later report.\n")
    batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
    with batterydb.connect(tmp_path / "db.duckdb") as db:
        rows = [(r["owner"], str(r["reported_on"]), r["share_as_stated"], r["share_min_pct"], r["share_max_pct"])
                for r in db.run("joint_venture_owners").records() if r["joint_venture"].startswith("Beijing")]
    assert rows == [("CATL", "2024-03-11", "51", 51, 51), ("BAIC", "2024-03-11", "39", 39, 39),
                    ("Xiaomi", "2024-03-11", "5", 5, 5), (None, "2024-03-11", "5", 5, 5),
                    ("CATL", "2025-01-01", "60", 60, 60), (None, "2025-01-01", "40", 40, 40)]


def test_joint_venture_remainder_of_bounded_shares_is_a_range(seeds_copy, tmp_path):
    with (seeds_copy / "ownership_stakes.csv").open("a") as f:
        f.write("8,catl,beijing_era,jv_partner,range,,40,false,60,false,2025-01-01,month,electrive_2024_03,"
                "Fixture.\n")
        f.write("9,baic,beijing_era,jv_partner,exact,30,,,,,2025-01-01,day,electrive_2024_03,Fixture.\n")
    batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
    with batterydb.connect(tmp_path / "db.duckdb") as db:
        rows = [(r["owner"], r["share_as_stated"], r["share_min_pct"], r["share_max_pct"], r["reported_precision"])
                for r in db.run("joint_venture_owners").records() if str(r["reported_on"]) == "2025-01-01"]
    # 100 - (60 + 30) to 100 - (40 + 30); the remainder is known to the month, the coarser of its stakes
    assert rows == [("CATL", "40 to 60", 40, 60, "month"), ("BAIC", "30", 30, 30, "day"),
                    (None, "10 to 30", 10, 30, "month")]



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
