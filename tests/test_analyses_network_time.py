"""The network, time and provenance queries: partner_network, timeline and provenance.

Expected rows are worked out by hand from the seed CSVs. partner_network is
also run on a copy of the seeds with a few made-up organisations appended
(a ring of agreements, two companies owning each other, a chain with a joint
venture in it), to show that cycles end and that depth limits the walk.
"""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

import batterydb
from batterydb import paths
from batterydb.errors import QueryError

from conftest import REPO


def _title(row_id: str, table: str = "sources", key: str = "source_id") -> str:
    """A source's (or a document's) title as the seeds hold it: a headline is bibliographic data, not repeated here."""
    with (paths.seeds_dir() / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return next(row["title"] for row in csv.DictReader(f) if row[key] == row_id)


def network(db, org, **values):
    return [(r["organisation"], r["hops"], r["link"], r["path"], r["shortest_paths"])
            for r in db.run("partner_network", org=org, **values).records()]


# --------------------------------------------------------------------------- partner_network, shipped seeds

BAIC_DIRECT = [
    ("Beijing Electric Vehicle", 1, "stake: BAIC in Beijing Electric Vehicle (business_unit)",
     "BAIC > Beijing Electric Vehicle", 1),
    ("Beijing Era New Energy Technology", 1, "stake: BAIC in Beijing Era New Energy Technology (jv_partner)",
     "BAIC > Beijing Era New Energy Technology", 1),
    ("CATL", 1, "co-ownership: Beijing Era New Energy Technology", "BAIC > CATL", 1),
    ("Hyundai", 1, "agreement: 3 (joint_brand)", "BAIC > Hyundai", 1),
    ("Mercedes", 1, "agreement: 4 (production)", "BAIC > Mercedes", 1),
    # partners in the 2022 report and co-owners of the 2024 joint venture: both links on one row
    ("Xiaomi", 1, "agreement: 2 (partnership); co-ownership: Beijing Era New Energy Technology", "BAIC > Xiaomi", 1),
]


def test_partner_network_of_baic_to_the_default_depth_of_two(db):
    # Boston-Power is two links away: it supplies BAIC's electric-car unit.
    assert network(db, "BAIC") == BAIC_DIRECT + [
        ("Boston-Power", 2, "agreement: 1 (supply)", "BAIC > Beijing Electric Vehicle > Boston-Power", 1),
    ]


def test_partner_network_depth_one_is_direct_links_only(db):
    assert network(db, "Beijing Automotive", depth=1) == BAIC_DIRECT


def test_partner_network_reaches_the_whole_component_and_no_further(db):
    # BAIC's side of the network has eight organisations; the AESC side is not connected to it.
    assert [(r[0], r[1]) for r in network(db, "boston_power", depth=9)] == [
        ("Beijing Electric Vehicle", 1), ("BAIC", 2), ("Beijing Era New Energy Technology", 3), ("CATL", 3),
        ("Hyundai", 3), ("Mercedes", 3), ("Xiaomi", 3),
    ]


def test_partner_network_counts_tied_shortest_paths_and_shows_the_first_by_name(db):
    # Renault reaches NEC through AESC (a stake) or through Nissan (co-owners of AESC): two paths of two links.
    assert network(db, "Renault SA") == [
        ("AESC", 1, "agreement: 8 (supply)", "Renault > AESC", 1),
        ("Nissan", 1, "agreement: 7 (partnership)", "Renault > Nissan", 1),
        ("NEC", 2, "stake: NEC in AESC (jv_partner)", "Renault > AESC > NEC", 2),
        ("NEC Tokin", 2, "stake: NEC Tokin in AESC (jv_partner)", "Renault > AESC > NEC Tokin", 2),
    ]


def test_partner_network_by_alias(db):
    assert network(db, "Nissan-NEC venture", depth=1) == [
        ("NEC", 1, "stake: NEC in AESC (jv_partner)", "AESC > NEC", 1),
        ("NEC Tokin", 1, "stake: NEC Tokin in AESC (jv_partner)", "AESC > NEC Tokin", 1),
        ("Nissan", 1, "agreement: 6 (supply); stake: Nissan in AESC (jv_partner)", "AESC > Nissan", 1),
        ("Renault", 1, "agreement: 8 (supply)", "AESC > Renault", 1),
    ]


def test_partner_network_of_nobody_is_an_error(db):
    with pytest.raises(QueryError, match="^no organisation matches 'Nobody Ltd'"):
        network(db, "Nobody Ltd", depth=2)


@pytest.mark.parametrize("depth", [0, -1])
def test_partner_network_refuses_a_depth_below_1(db, depth):
    with pytest.raises(batterydb.QueryError) as err:
        network(db, "BAIC", depth=depth)
    assert str(err.value) == f"parameter depth of query partner_network must be at least 1; got {depth}"


# --------------------------------------------------------------------------- partner_network, fixture seeds

SRC = "fixture_network"
FIXTURE_ROWS = {
    "sources.csv": [f"{src},statement,Made-up organisations for the network tests.,,,,,Test fixture."
                    for src in (SRC, "fixture_knot")],
    "organisations.csv": [f"{org_id},{name},{kind},,,,{SRC}," for org_id, name, kind in [
        ("ring_a", "Ring A", "company"), ("ring_b", "Ring B", "company"),
        ("ring_c", "Ring C", "company"), ("ring_d", "Ring D", "company"),
        ("line_1", "Line 1", "company"), ("line_2", "Line 2", "company"), ("line_3", "Line 3", "company"),
        ("line_jv", "Line JV", "joint_venture"), ("line_4", "Line 4", "company"),
        ("loop_p", "Loop P", "company"), ("loop_q", "Loop Q", "company"),
        ("knot_x", "Knot X", "company"), ("knot_y", "Knot Y", "company"), ("knot_jv", "Knot JV", "joint_venture"),
    ]],
    # a ring of agreements A-B-C-D-A, Line 3 with Line 4, and Knot X with Knot Y
    "agreements.csv": [f"{n},partnership,agreed,Fixture link {n}.,,,,,{SRC}," for n in (101, 102, 103, 104, 105, 106)],
    "agreement_parties.csv": [f"{n},{org},partner,{SRC}" for n, org in [
        (101, "ring_a"), (101, "ring_b"), (102, "ring_b"), (102, "ring_c"),
        (103, "ring_c"), (103, "ring_d"), (104, "ring_d"), (104, "ring_a"),
        (105, "line_3"), (105, "line_4"), (106, "knot_x"), (106, "knot_y"),
    ]],
    # Line 1 owns Line 2; Line 2 and Line 3 own Line JV; Line 4 owns Loop P; Loop P and Loop Q own each other;
    # Knot X and Knot Y own each other and Knot JV (Knot X's stake in Knot Y from a source of its own)
    "ownership_stakes.csv": [
        f"{n},{owner},{owned},equity_stake,unknown,,,,,,2020-01-01,day,{src}," for n, owner, owned, src in [
            (101, "line_1", "line_2", SRC), (102, "line_2", "line_jv", SRC), (103, "line_3", "line_jv", SRC),
            (104, "line_4", "loop_p", SRC), (105, "loop_p", "loop_q", SRC), (106, "loop_q", "loop_p", SRC),
            (107, "knot_x", "knot_y", "fixture_knot"), (108, "knot_y", "knot_x", SRC),
            (109, "knot_x", "knot_jv", SRC), (110, "knot_y", "knot_jv", SRC),
        ]],
}


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("network")
    seeds = tmp / "seeds"
    shutil.copytree(paths.seeds_dir(), seeds)
    for name, rows in FIXTURE_ROWS.items():
        with (seeds / name).open("a", encoding="utf-8") as f:
            f.write("".join(row + "\n" for row in rows))
    out = tmp / "network.duckdb"
    result = batterydb.build(out=out, seeds=seeds)
    # the mutual stakes are a cycle the seed check warns about, and still builds
    assert any("ownership cycle" in p.message for p in result.warnings)
    with batterydb.connect(out) as database:
        yield database


@pytest.mark.parametrize("depth", [2, 50])
def test_a_ring_of_agreements_ends(fixture_db, depth):
    # two links reach round the ring, and depth far beyond its size changes nothing:
    # each organisation once, Ring C by two paths of two links
    assert network(fixture_db, "ring_a", depth=depth) == [
        ("Ring B", 1, "agreement: 101 (partnership)", "Ring A > Ring B", 1),
        ("Ring D", 1, "agreement: 104 (partnership)", "Ring A > Ring D", 1),
        ("Ring C", 2, "agreement: 102 (partnership)", "Ring A > Ring B > Ring C", 2),
    ]


def test_mutual_ownership_is_one_link_and_ends(fixture_db):
    # Loop P and Loop Q own each other: both stakes are one link. Line 4 and Loop Q both own Loop P: co-owners.
    assert network(fixture_db, "Loop Q", depth=50) == [
        ("Line 4", 1, "co-ownership: Loop P", "Loop Q > Line 4", 1),
        ("Loop P", 1, "stake: Loop P in Loop Q (equity_stake); stake: Loop Q in Loop P (equity_stake)",
         "Loop Q > Loop P", 1),
        ("Line 3", 2, "agreement: 105 (partnership)", "Loop Q > Line 4 > Line 3", 1),
        ("Line 2", 3, "co-ownership: Line JV", "Loop Q > Line 4 > Line 3 > Line 2", 1),
        ("Line JV", 3, "stake: Line 3 in Line JV (equity_stake)", "Loop Q > Line 4 > Line 3 > Line JV", 1),
        ("Line 1", 4, "stake: Line 1 in Line 2 (equity_stake)", "Loop Q > Line 4 > Line 3 > Line 2 > Line 1", 1),
    ]


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_organisations_tied_every_way_are_one_row_with_every_link(fixture_db, depth):
    # Knot X and Knot Y: an agreement, co-owners of Knot JV, and a stake each way; Knot JV is
    # reached directly and through Knot Y, and the longer path is not counted
    rows = [(r["organisation"], r["hops"], r["link"], r["path"], r["shortest_paths"], r["source_ids"])
            for r in fixture_db.run("partner_network", org="Knot X", depth=depth).records()]
    assert rows == [
        ("Knot JV", 1, "stake: Knot X in Knot JV (equity_stake)", "Knot X > Knot JV", 1, SRC),
        ("Knot Y", 1, "agreement: 106 (partnership); co-ownership: Knot JV; stake: Knot X in Knot Y (equity_stake); "
         "stake: Knot Y in Knot X (equity_stake)", "Knot X > Knot Y", 1, f"fixture_knot, {SRC}"),
    ]


LINE_1 = [
    ("Line 2", 1, "stake: Line 1 in Line 2 (equity_stake)", "Line 1 > Line 2", 1),
    # the triangle Line 2 - Line 3 - Line JV: Line 3 is two links away (co-owners), not three through Line JV
    ("Line 3", 2, "co-ownership: Line JV", "Line 1 > Line 2 > Line 3", 1),
    ("Line JV", 2, "stake: Line 2 in Line JV (equity_stake)", "Line 1 > Line 2 > Line JV", 1),
    ("Line 4", 3, "agreement: 105 (partnership)", "Line 1 > Line 2 > Line 3 > Line 4", 1),
    ("Loop P", 4, "stake: Line 4 in Loop P (equity_stake)", "Line 1 > Line 2 > Line 3 > Line 4 > Loop P", 1),
    ("Loop Q", 4, "co-ownership: Loop P", "Line 1 > Line 2 > Line 3 > Line 4 > Loop Q", 1),
]


@pytest.mark.parametrize("depth, expected", [
    (1, LINE_1[:1]), (2, LINE_1[:3]), (3, LINE_1[:4]), (4, LINE_1), (5, LINE_1), (1000, LINE_1),
])
def test_depth_limits_the_walk(fixture_db, depth, expected):
    assert network(fixture_db, "Line 1", depth=depth) == expected


def test_fixture_leaves_the_shipped_network_alone(fixture_db, db):
    assert network(fixture_db, "BAIC") == network(db, "BAIC")


# --------------------------------------------------------------------------- timeline

MINISTRIES = ("Ministry of Finance; Ministry of Industry and Information Technology; "
              "Ministry of Science and Technology; National Development and Reform Commission")

TIMELINE = [
    (date(2008, 5, 1), "month", "investment announced", "AESC", "investment of 12000000000 JPY over 3 years",
     "aesc_statement_2008_05"),
    (date(2008, 5, 1), "month", "source published", "AESC", "statement", "aesc_statement_2008_05"),
    (date(2008, 10, 1), "month", "agreement announced", "AESC; Renault", "supply agreement 8 (considered)",
     "reuters_2008_10"),
    (date(2008, 10, 1), "month", "facility status reported", "AESC",
     "AESC battery production in France (considered): considered", "reuters_2008_10"),
    (date(2008, 10, 1), "month", "source published", "Reuters", "wire_report", "reuters_2008_10"),
    (date(2008, 12, 29), "day", "facility status reported", "AESC",
     "AESC plant in Europe (considered): considered", "nikkei_2008_12_29"),
    (date(2008, 12, 29), "day", "facility status reported", "AESC",
     "AESC plant in the United States (considered): considered", "nikkei_2008_12_29"),
    (date(2008, 12, 29), "day", "investment announced", "NEC; Nissan", "investment of at least 1100000000 USD",
     "nikkei_2008_12_29"),
    (date(2008, 12, 29), "day", "source published", "carboncreditsusa",
     "blog_post: " + _title("carboncreditsusa_2008_12_29"), "carboncreditsusa_2008_12_29"),
    (date(2008, 12, 29), "day", "source published", "Nikkei", "newspaper_report", "nikkei_2008_12_29"),
    (date(2008, 12, 29), "day", "stake reported", "AESC; NEC Tokin",
     "NEC Tokin holds an undisclosed share of AESC (jv_partner)", "carboncreditsusa_2008_12_29"),
    (date(2008, 12, 29), "day", "stake reported", "AESC; NEC", "NEC holds an undisclosed share of AESC (jv_partner)",
     "carboncreditsusa_2008_12_29"),
    (date(2008, 12, 29), "day", "stake reported", "AESC; Nissan",
     "Nissan holds an undisclosed share of AESC (jv_partner)", "carboncreditsusa_2008_12_29"),
    (date(2012, 1, 1), "year", "target start", "Boston-Power",
     "evs_with_own_batteries: 100 to under 1000 vehicles from 2012", "boston_power_statement_2012"),
    (date(2012, 8, 8), "day", "agreement announced", "Beijing Electric Vehicle; Boston-Power",
     "supply agreement 1 (agreed)", "bloomberg_2012_08_08"),
    (date(2012, 8, 8), "day", "facility status reported", "Boston-Power",
     "Boston-Power plant near Shanghai: under_construction", "bloomberg_2012_08_08"),
    (date(2012, 8, 8), "day", "facility status reported", "Boston-Power",
     "Boston-Power production line in Taiwan: operating", "lampe_onnerud_interview_2012"),
    (date(2012, 8, 8), "day", "source published", "Bloomberg News",
     "news_article: " + _title("bloomberg_2012_08_08"), "bloomberg_2012_08_08"),
    (date(2012, 8, 8), "day", "stake reported", "BAIC; Beijing Electric Vehicle",
     "BAIC holds an undisclosed share of Beijing Electric Vehicle (business_unit)", "bloomberg_2012_08_08"),
    (date(2014, 1, 1), "year", "target deadline", "Boston-Power",
     "evs_with_own_batteries: 1000 to under 10000 vehicles by 2014", "boston_power_statement_2012"),
    (date(2015, 1, 1), "year", "target deadline", "Government of China",
     "ev_sales_cumulative: 500000 vehicles by 2015", "bnef_email_2012"),
    (date(2017, 1, 1), "year", "document issued", MINISTRIES,
     "action_plan: " + _title("car_battery_action_plan_2017", "documents", "document_id"), "hktdc_2017"),
    (date(2017, 1, 1), "year", "source published", "HKTDC Research",
     "research_note: " + _title("hktdc_2017"), "hktdc_2017"),
    (date(2018, 1, 1), "year", "target deadline", MINISTRIES, "quality_battery_supply: milestone before 2018",
     "hktdc_2017"),
    (date(2020, 1, 1), "year", "target deadline", MINISTRIES,
     "annual_production_capacity: over 100 GWh per year by 2020", "hktdc_2017"),
    (date(2020, 1, 1), "year", "target deadline", MINISTRIES,
     "enterprise_annual_capacity: over 40 GWh per year by 2020", "hktdc_2017"),
    (date(2020, 1, 1), "year", "target deadline", MINISTRIES, "new_lithium_battery_application: milestone by 2020",
     "hktdc_2017"),
    (date(2022, 1, 1), "year", "agreement announced", "BAIC; Xiaomi", "partnership agreement 2 (reported)",
     "xiaomi_baic_reports_2022"),
    (date(2022, 1, 1), "year", "source published", None, "press_report", "xiaomi_baic_reports_2022"),
    (date(2024, 1, 1), "month", "facility status reported", "CATL",
     "CATL plant in Beijing (announced January 2024): announced", "electrive_2024_03"),
    (date(2024, 3, 1), "month", "source published", None,
     "blog_post: " + _title("marketing_agency_2024_03"), "marketing_agency_2024_03"),
    (date(2024, 3, 1), "month", "source published", "Electrive", "news_article", "electrive_2024_03"),
    (date(2024, 3, 11), "day", "facility status reported", "Beijing Era New Energy Technology",
     "Beijing Era battery cell plant: announced", "baic_announcement_2024_03_11"),
    (date(2024, 3, 11), "day", "investment announced", "BAIC; Beijing Era New Energy Technology; CATL; Xiaomi",
     "investment of 1000000000 CNY in Beijing Era New Energy Technology", "electrive_2024_03"),
    (date(2024, 3, 11), "day", "source published", "BAIC", "statement", "baic_announcement_2024_03_11"),
    (date(2024, 3, 11), "day", "stake reported", "BAIC; Beijing Era New Energy Technology",
     "BAIC holds 39% of Beijing Era New Energy Technology (jv_partner)", "electrive_2024_03"),
    (date(2024, 3, 11), "day", "stake reported", "Beijing Era New Energy Technology; CATL",
     "CATL holds 51% of Beijing Era New Energy Technology (jv_partner)", "electrive_2024_03"),
    (date(2024, 3, 11), "day", "stake reported", "Beijing Era New Energy Technology; Xiaomi",
     "Xiaomi holds 5% of Beijing Era New Energy Technology (jv_partner)", "electrive_2024_03"),
    (date(2025, 1, 1), "year", "target deadline", MINISTRIES, "new_battery_research: milestone by 2025",
     "hktdc_2017"),
]


def test_timeline_on_the_shipped_seeds(db):
    assert db.run("timeline").rows() == TIMELINE


def test_timeline_leaves_out_what_has_no_date(db):
    kinds = {(r[2], r[5]) for r in TIMELINE}
    # the undated statement, interview and e-mail of 2012, the undated agreements, BAIC's undated spending
    assert ("source published", "boston_power_statement_2012") not in kinds
    assert ("source published", "bnef_email_2012") not in kinds
    assert not any("agreement 3 " in r[4] or "agreement 7 " in r[4] for r in TIMELINE)
    assert not any("undisclosed amount" in r[4] for r in TIMELINE)


def _window(db, **values):
    return [(r["event_on"], r["event_precision"], r["source_id"]) for r in db.run("timeline", **values).records()]


def test_timeline_window_keeps_events_whose_period_overlaps_it(db):
    # up to 10 March 2024: the March 2024 sources (known to the month) may fall inside; the 11 March events do not
    assert _window(db, from_date="2024-01-01", to_date="2024-03-10") == [
        (date(2024, 1, 1), "month", "electrive_2024_03"),
        (date(2024, 3, 1), "month", "marketing_agency_2024_03"),
        (date(2024, 3, 1), "month", "electrive_2024_03"),
    ]
    # from 15 March 2024: March 2024 still may; January 2024 and 11 March cannot
    assert _window(db, from_date=date(2024, 3, 15)) == [
        (date(2024, 3, 1), "month", "marketing_agency_2024_03"),
        (date(2024, 3, 1), "month", "electrive_2024_03"),
        (date(2025, 1, 1), "year", "hktdc_2017"),
    ]
    # mid-2017 overlaps the year 2017
    assert _window(db, from_date="2017-06-01", to_date="2017-06-30") == [
        (date(2017, 1, 1), "year", "hktdc_2017"), (date(2017, 1, 1), "year", "hktdc_2017"),
    ]


def test_timeline_window_bounds_are_inclusive(db):
    # the five events of 8 August 2012, after the target that starts in 2012 (a year that contains the day)
    assert [r[:2] for r in _window(db, from_date="2012-08-08", to_date="2012-08-08")] == [
        (date(2012, 1, 1), "year")] + [(date(2012, 8, 8), "day")] * 5
    assert _window(db, from_date="2030-01-01") == []
    assert len(_window(db, to_date="2008-05-01")) == 2


def test_timeline_as_a_macro_with_named_dates(db):
    sql = "SELECT count(*) FROM analytics.timeline(to_date := DATE '2008-12-31')"
    assert db.sql(sql).rows() == [(13,)]


# --------------------------------------------------------------------------- provenance

CARBONCREDITS_CITES = ("aesc_partners_statement_2008 (statement); aesc_statement_2008_05 (statement, AESC); "
                       "nikkei_2008_12_29 (newspaper_report, Nikkei); "
                       "reuters_2008_10 (wire_report, Reuters)")


@pytest.mark.parametrize("table, key, expected", [
    # the Nikkei's 1.1 billion dollars, known through the carboncreditsusa post
    ("investments", "1",
     ("nikkei_2008_12_29", "newspaper_report", None, "Nikkei", None, date(2008, 12, 29), "day",
      "nikkei_2008_12_29 > carboncreditsusa_2008_12_29", "carboncreditsusa_2008_12_29", "002_3ee85fc0f65de0e8.txt",
      CARBONCREDITS_CITES)),
    # CATL's 51% comes from Electrive, as the marketing agency's page says
    ("OWNERSHIP_STAKES", "1",
     ("electrive_2024_03", "news_article", None, "Electrive", None, date(2024, 3, 1), "month",
      "electrive_2024_03 > marketing_agency_2024_03", "marketing_agency_2024_03", "001_8d355dff850b8eee.txt",
      "baic_announcement_2024_03_11 (statement, BAIC); baic_deals_announcement_2024 (statement); "
      "electrive_2024_03 (news_article, Electrive); xiaomi_baic_reports_2022 (press_report)")),
    # a composite key with a date in it
    ("facility_status_history", "aesc_france_plant/considered/2008-10-01",
     ("reuters_2008_10", "wire_report", None, "Reuters", None, date(2008, 10, 1), "month",
      "reuters_2008_10 > carboncreditsusa_2008_12_29", "carboncreditsusa_2008_12_29", "002_3ee85fc0f65de0e8.txt",
      CARBONCREDITS_CITES)),
    # a fact straight from a stored article that cites nothing
    ("targets", "5",
     ("hktdc_2017", "research_note", _title("hktdc_2017"),
      "HKTDC Research", None, date(2017, 1, 1), "year", "hktdc_2017", "hktdc_2017", "003_96c7d70999a08781.txt",
      None)),
    # the interview with Boston-Power's chairman, undated, reported by Bloomberg
    ("capacities", "2",
     ("lampe_onnerud_interview_2012", "interview", None, None,
      "Telephone interview given to Bloomberg News by Boston-Power's international chairman.", None, None,
      "lampe_onnerud_interview_2012 > bloomberg_2012_08_08", "bloomberg_2012_08_08", "000_bd0dbe165b9f0cbd.txt",
      "bnef_email_2012 (email, Bloomberg New Energy Finance); boston_power_statement_2012 (statement, Boston-Power); "
      "lampe_onnerud_interview_2012 (interview)")),
    # an article without a named publisher, looked up as a source row of its own
    ("sources", "marketing_agency_2024_03",
     ("marketing_agency_2024_03", "blog_post", _title("marketing_agency_2024_03"), None,
      "News page of a marketing agency; the page does not name the agency.", date(2024, 3, 1), "month",
      "marketing_agency_2024_03", "marketing_agency_2024_03", "001_8d355dff850b8eee.txt",
      "baic_announcement_2024_03_11 (statement, BAIC); baic_deals_announcement_2024 (statement); "
      "electrive_2024_03 (news_article, Electrive); xiaomi_baic_reports_2022 (press_report)")),
])
def test_provenance(db, table, key, expected):
    rows = db.run("provenance", table_name=table, row_id=key).rows()
    assert rows == [(table.lower(), key) + expected]


@pytest.mark.parametrize("table, key", [
    ("investments", "99"), ("nothing", "1"), ("currencies", "USD"), ("investment_investors", "1"),
])
def test_provenance_of_nothing_is_no_row(db, table, key):
    assert db.run("provenance", table_name=table, row_id=key).rows() == []


def _tables_with_a_source(db) -> set[str]:
    return {t for (t,) in db.sql("SELECT DISTINCT table_name FROM duckdb_columns() "
                                 "WHERE schema_name = 'main' AND column_name = 'source_id'").rows()}


def test_provenance_union_names_every_table_with_a_source(db):
    text = (REPO / "schema" / "06_row_sources.sql").read_text().split("CREATE MACRO row_sources()")[1].split(";")[0]
    listed = set(re.findall(r"SELECT '(\w+)'", text))
    assert listed == _tables_with_a_source(db) | {"source_citations"}


def test_row_sources_lists_every_row_of_those_tables_once(db):
    listed = db.sql("SELECT table_name, count(*), count(DISTINCT row_id) FROM row_sources() "
                    "GROUP BY 1 ORDER BY 1").rows()
    assert len(listed) == 22  # the 21 tables with a source that hold rows (fx_rates ships empty), and source_citations
    for table, n, distinct in listed:
        assert n == distinct == db.sql(f'SELECT count(*) FROM "{table}"').rows()[0][0], table
    assert db.sql("SELECT source_id FROM row_sources() WHERE table_name = 'ownership_stakes' AND row_id = '1'"
                  ).rows() == [("electrive_2024_03",)]


def test_provenance_finds_the_first_row_of_every_table_and_an_article_for_it(db):
    keys = {}
    for (table,) in db.sql("SELECT DISTINCT table_name FROM duckdb_columns() WHERE schema_name = 'main' "
                           "AND column_name = 'source_id' ORDER BY 1").rows():
        (pk,) = db.sql("SELECT constraint_column_names FROM duckdb_constraints() "
                       "WHERE table_name = $t AND constraint_type = 'PRIMARY KEY'", {"t": table}).rows()[0]
        cols = ", ".join(f'"{c}"' for c in pk)
        first = db.sql(f'SELECT {cols} FROM "{table}" ORDER BY ALL LIMIT 1').rows()
        if first:
            keys[table] = "/".join(str(v) for v in first[0])
    assert "fx_rates" not in keys and len(keys) == 21  # fx_rates ships empty
    for table, key in keys.items():
        rows = db.run("provenance", table_name=table, row_id=key).records()
        assert len(rows) == 1, (table, key)
        assert rows[0]["article_file"] is not None and rows[0]["citation_path"].endswith(rows[0]["article_source_id"])
