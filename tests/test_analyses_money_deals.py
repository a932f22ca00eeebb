"""The money and deals queries: investments_usd, agreements_between and supply_relationships.

Expected rows are worked out by hand from the seed CSVs and checked against
the articles: the Beijing joint venture starts with 1 billion yuan, which
the page puts at about 138 million dollars; AESC's 12 billion yen over three
years comes with no dollar figure; the Nikkei has Nissan and NEC investing at
least 1.1 billion dollars. The conversion through fx_rates (empty as shipped)
is tested on a copy of the seeds with made-up rates that cite a made-up
source, which never leaves the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import batterydb
from batterydb import paths
from batterydb.validate import check


def append(seeds: Path, name: str, *rows: str) -> None:
    with (seeds / name).open("a", encoding="utf-8") as f:
        for row in rows:
            f.write(row + "\n")


def copy_seeds(tmp: Path) -> Path:
    seeds = tmp / "seeds"
    shutil.copytree(paths.seeds_dir(), seeds)
    return seeds


# --------------------------------------------------------------------------- investments_usd

AESC_PURPOSE = "Manufacturing of lithium-ion batteries."
NIKKEI_PURPOSE = "Battery production sized for roughly 200,000 electrified cars per year, from 2011 at the earliest."
JV_PURPOSE = "Initial capital of the joint venture."
BAIC_PURPOSE = "Investment in the new energy vehicle market over recent years."


def test_investments_usd_on_the_shipped_seeds(db):
    result = db.run("investments_usd")
    assert result.columns[4:8] == ["amount_as_stated", "amount_min", "amount_max", "currency_code"]
    assert result.types[5:7] == ["DECIMAL(18,2)", "DECIMAL(18,2)"]
    assert result.rows() == [
        # 12 billion yen over three years (AESC's own statement of May 2008): no dollar figure, no rate.
        (2, "AESC", None, AESC_PURPOSE, "12000000000", Decimal("12000000000.00"), Decimal("12000000000.00"),
         "JPY", 3, None, None, "no rate for JPY in fx_rates", date(2008, 5, 1), "month", "aesc_statement_2008_05"),
        # At least 1.1 billion dollars from Nissan and NEC (the Nikkei): a lower bound only.
        (1, "NEC; Nissan", None, NIKKEI_PURPOSE, "at least 1100000000", Decimal("1100000000.00"), None, "USD", None,
         Decimal("1100000000.00"), None, "amount already in USD", date(2008, 12, 29), "day", "nikkei_2008_12_29"),
        # 1 billion yuan, about 138 million dollars as the page itself puts it.
        (3, "BAIC; CATL; Xiaomi", "Beijing Era New Energy Technology", JV_PURPOSE, "1000000000",
         Decimal("1000000000.00"), Decimal("1000000000.00"), "CNY", None,
         Decimal("138000000.00"), Decimal("138000000.00"), "stated by the source (about)",
         date(2024, 3, 11), "day", "electrive_2024_03"),
        # BAIC's heavy but unquantified spending on new energy vehicles.
        (4, "BAIC", None, BAIC_PURPOSE, "unknown", None, None, None, None, None, None, "no amount disclosed",
         None, None, "electrive_2024_03"),
    ]


def test_fx_rates_ships_empty_with_comments_on_every_column(db):
    assert db.sql("SELECT count(*) FROM fx_rates").rows() == [(0,)]
    assert db.sql("""
        SELECT column_name FROM duckdb_columns()
        WHERE table_name = 'fx_rates' AND (comment IS NULL OR comment = '')
    """).rows() == []
    assert db.sql("SELECT comment FROM duckdb_tables() WHERE table_name = 'fx_rates'").rows()[0][0]


FIXTURE_SOURCE = ("fixture_fx_series,statement,Made-up exchange-rate series for the tests only.,,,,,"
                  "Test fixture; not a real rate.")
FIXTURE_RATES = [
    # JPY for May 2008 (month), the whole of 2008 (year) and the single day 1 May 2008.
    "JPY,2008-05-01,month,100,Fixture series (monthly average),fixture_fx_series,",
    "JPY,2008-01-01,year,110,Fixture series (annual average),fixture_fx_series,",
    "JPY,2008-05-01,day,90,Fixture series (daily),fixture_fx_series,",
    # CNY on the day of the joint venture: the page's own dollar figure must still win.
    "CNY,2024-03-11,day,5,Fixture series (daily),fixture_fx_series,",
    # EUR for 2010 only.
    "EUR,2010-01-01,year,0.8,Fixture series (annual average),fixture_fx_series,",
]
FIXTURE_INVESTMENTS = [
    # a range in euros, known to the day: converted bound by bound at the 2010 rate
    "5,,,Fixture range in euros.,range,,100000000,false,200000000,true,EUR,,,,2010-06-15,day,fixture_fx_series,",
    # an amount in euros without a date: no rate can be chosen
    "6,,,Fixture amount without a date.,exact,50000000,,,,,EUR,,,,,,fixture_fx_series,",
    # euros in 2011, for which there is no rate
    "7,,,Fixture amount in a year without a rate.,about,70000000,,,,,EUR,,,,2011-01-01,year,fixture_fx_series,",
    # yen known only to the year 2008: the annual rate, never the May rates
    "8,,,Fixture yen known to the year.,exact,2200000000,,,,,JPY,,,,2008-01-01,year,fixture_fx_series,",
]


@pytest.fixture(scope="module")
def fx_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fx")
    seeds = copy_seeds(tmp)
    append(seeds, "sources.csv", FIXTURE_SOURCE)
    append(seeds, "fx_rates.csv", *FIXTURE_RATES)
    append(seeds, "investments.csv", *FIXTURE_INVESTMENTS)
    append(seeds, "investment_investors.csv", "5,renault,fixture_fx_series")
    out = tmp / "fx.duckdb"
    batterydb.build(out=out, seeds=seeds)
    with batterydb.connect(out) as database:
        yield database


def test_conversion_through_fx_rates(fx_db):
    rows = {r["investment_id"]: (r["usd_min"], r["usd_max"], r["usd_basis"])
            for r in fx_db.run("investments_usd").records()}
    assert rows == {
        # month known: the May 2008 average (100 yen a dollar), not the daily 90 nor the annual 110
        2: (Decimal("120000000.00"), Decimal("120000000.00"),
            "fx_rates: Fixture series (monthly average), 100 JPY per USD for 2008-05"),
        1: (Decimal("1100000000.00"), None, "amount already in USD"),
        # a rate for that very day exists, but the source's own figure comes first
        3: (Decimal("138000000.00"), Decimal("138000000.00"), "stated by the source (about)"),
        4: (None, None, "no amount disclosed"),
        5: (Decimal("125000000.00"), Decimal("250000000.00"),
            "fx_rates: Fixture series (annual average), 0.8 EUR per USD for 2010"),
        6: (None, None, "no date to choose a EUR rate by"),
        7: (None, None, "no rate for EUR in fx_rates"),
        8: (Decimal("20000000.00"), Decimal("20000000.00"),
            "fx_rates: Fixture series (annual average), 110 JPY per USD for 2008"),
    }


def test_converted_rows_keep_the_amount_as_stated(fx_db):
    (row,) = [r for r in fx_db.run("investments_usd").records() if r["investment_id"] == 5]
    assert (row["investors"], row["amount_as_stated"], row["currency_code"]) == (
        "Renault", "100000000 to under 200000000", "EUR")


@pytest.mark.parametrize("rows, messages", [
    (["USD,2008-01-01,year,1,Fixture,fixture_fx_series,"],
     ["fx_rates.csv:2:currency_code: error: currency_code USD needs no rate: every rate is a currency's units per USD"]),
    (["JPY,2008-05-02,month,100,Fixture,fixture_fx_series,"],
     ["fx_rates.csv:2:rate_on: error: rate_on 2008-05-02 has rate_precision month, so it must be the first "
      "of the month (2008-05-01)"]),
    (["JPY,2008-05-01,month,-1,Fixture,fixture_fx_series,"],
     ["fx_rates.csv:2:units_per_usd: error: units_per_usd must be greater than 0; found -1"]),
    (["JPY,2008-05-01,month,100, ,fixture_fx_series,"],
     ["fx_rates.csv:2:series: error: a value is required here, found an empty cell"]),
    (["ZZZ,2008-05-01,month,100,Fixture,fixture_fx_series,"],
     ["fx_rates.csv:2:currency_code: error: unknown currency_code 'ZZZ': no row of currencies.csv has it "
      "as its currency_code"]),
    (["JPY,2008-05-01,month,100,Fixture,nowhere,"],
     ["fx_rates.csv:2:source_id: error: unknown source_id 'nowhere': no row of sources.csv has it as its "
      "source_id"]),
    (["JPY,2008-05-01,month,100,Fixture,fixture_fx_series,", "JPY,2008-05-01,month,101,Fixture,fixture_fx_series,"],
     [f"fx_rates.csv:{line}:currency_code: error: duplicate primary key: (currency_code, rate_precision, rate_on) "
      "(JPY, month, 2008-05-01) is used by 2 rows; each must be unique" for line in (2, 3)]),
], ids=["usd", "month-not-first", "negative", "blank-series", "currency", "source", "two-rates-one-period"])
def test_fx_rates_rejects_bad_rows(tmp_path, rows, messages):
    seeds = copy_seeds(tmp_path)
    append(seeds, "sources.csv", FIXTURE_SOURCE)
    append(seeds, "fx_rates.csv", *rows)
    assert [str(p).replace(str(seeds) + os.sep, "") for p in check(seeds) if p.is_error] == messages


# --------------------------------------------------------------------------- agreements_between

SUBJECTS = {
    1: "Boston-Power battery systems for a Beijing Electric Vehicle electric car to go on sale in China in 2012.",
    2: "Possible cooperation of Xiaomi and BAIC to build electric cars.",
    3: "An electric-vehicle brand run jointly by BAIC and Hyundai.",
    4: "A production deal between BAIC and Mercedes covering the Chinese market.",
    5: "Batteries from CATL's new Beijing plant for Xiaomi's SU7.",
    6: "AESC to supply batteries for the hybrid and electric models Nissan planned to launch in 2010, "
       "rising to 65,000 units in 2011.",
    7: "Nissan and Renault develop electric vehicles together.",
    8: "Batteries made by AESC in France for Renault's first electric vehicles.",
}

ALL_AGREEMENTS = [
    (8, "supply", "AESC (supplier); Renault (customer)", "considered", 1, date(2008, 10, 1), "month", None,
     "AESC battery production in France (considered)", SUBJECTS[8], "reuters_2008_10"),
    (1, "supply", "Boston-Power (supplier); Beijing Electric Vehicle (customer)", "agreed", 4,
     date(2012, 8, 8), "day", 2012, "Boston-Power production line in Taiwan", SUBJECTS[1], "bloomberg_2012_08_08"),
    (2, "partnership", "BAIC (partner); Xiaomi (partner)", "reported", 1, date(2022, 1, 1), "year", None,
     None, SUBJECTS[2], "xiaomi_baic_reports_2022"),
    (3, "joint_brand", "BAIC (partner); Hyundai (partner)", "announced", 3, None, None, None,
     None, SUBJECTS[3], "baic_deals_announcement_2024"),
    (4, "production", "BAIC (partner); Mercedes (partner)", "announced", 3, None, None, None,
     None, SUBJECTS[4], "baic_deals_announcement_2024"),
    (5, "supply", "CATL (supplier); Xiaomi (customer)", "expected", 2, None, None, None,
     "CATL plant in Beijing (announced January 2024)", SUBJECTS[5], "electrive_2024_03"),
    (6, "supply", "AESC (supplier); Nissan (customer)", "announced", 3, None, None, None,
     None, SUBJECTS[6], "aesc_partners_statement_2008"),
    (7, "partnership", "Nissan (partner); Renault (partner)", "active", 5, None, None, None,
     None, SUBJECTS[7], "carboncreditsusa_2008_12_29"),
]


def _ids(result) -> list[int]:
    return [r["agreement_id"] for r in result.records()]


def test_agreements_between_without_filters_lists_every_agreement(db):
    assert db.run("agreements_between").rows() == ALL_AGREEMENTS


@pytest.mark.parametrize("values, expected", [
    # BAIC itself: the partnership with Xiaomi, the brand with Hyundai, the deal with Mercedes; its
    # electric-car unit's supply deal with Boston-Power belongs to the unit, not to BAIC.
    ({"org": "BAIC"}, [2, 3, 4]),
    ({"org": "Beijing Automotive Industry Co."}, [2, 3, 4]),
    ({"org": "renault sa"}, [8, 7]),
    ({"org": "Xiami Auto"}, [2, 5]),
    ({"org": "BAIC", "other_org": "Xiaomi"}, [2]),
    ({"org": "xiaomi", "other_org": "baic"}, [2]),
    ({"org": "AESC", "other_org": "Renault"}, [8]),
    ({"org": "Nissan", "other_org": "CATL"}, []),
    ({"kinds": ["supply"]}, [8, 1, 5, 6]),
    ({"kinds": "partnership, joint_brand"}, [2, 3, 7]),
    ({"org": "AESC", "kinds": ["partnership"]}, []),
    ({"min_firmness": 4}, [1, 7]),  # the Mercedes deal is only announced
    ({"org": "Nissan", "min_firmness": 4}, [7]),
])
def test_agreements_between_filters(db, values, expected):
    assert _ids(db.run("agreements_between", **values)) == expected


def test_agreements_between_as_a_macro_with_a_list(db):
    sql = "SELECT agreement_id FROM analytics.agreements_between(org := $org, kinds := $kinds)"
    assert db.sql(sql, {"org": "AESC", "kinds": ["supply"]}).rows() == [(8,), (6,)]


# --------------------------------------------------------------------------- supply_relationships

ALL_SUPPLY = [
    ("AESC", "Nissan", 6, "supply", "announced", 3, None, None, None, None, SUBJECTS[6],
     "aesc_partners_statement_2008"),
    ("AESC", "Renault", 8, "supply", "considered", 1, date(2008, 10, 1), "month", None,
     "AESC battery production in France (considered)", SUBJECTS[8], "reuters_2008_10"),
    ("Boston-Power", "Beijing Electric Vehicle", 1, "supply", "agreed", 4, date(2012, 8, 8), "day", 2012,
     "Boston-Power production line in Taiwan", SUBJECTS[1], "bloomberg_2012_08_08"),
    ("CATL", "Xiaomi", 5, "supply", "expected", 2, None, None, None,
     "CATL plant in Beijing (announced January 2024)", SUBJECTS[5], "electrive_2024_03"),
]


def test_supply_relationships(db):
    assert db.run("supply_relationships").rows() == ALL_SUPPLY


@pytest.mark.parametrize("org, expected", [
    ("Automotive Energy Supply Corp", ALL_SUPPLY[:2]),
    ("nissan", ALL_SUPPLY[:1]),
    ("Beijing Electric Vehicle", ALL_SUPPLY[2:3]),
    ("BAIC", []),  # its partnerships are not supply relationships
])
def test_supply_relationships_of_one_organisation(db, org, expected):
    assert db.run("supply_relationships", org=org).rows() == expected


def test_supply_relationships_pairs_every_supplier_with_every_customer(tmp_path):
    seeds = copy_seeds(tmp_path)
    # a second supplier and a second customer on agreement 6, and a second agreement for AESC and Nissan
    append(seeds, "agreement_parties.csv",
           "6,nec,supplier,carboncreditsusa_2008_12_29", "6,renault,customer,carboncreditsusa_2008_12_29",
           "9,aesc,supplier,carboncreditsusa_2008_12_29", "9,nissan,customer,carboncreditsusa_2008_12_29")
    append(seeds, "agreements.csv",
           "9,supply,agreed,Fixture second supply deal.,,2009-01-01,year,,carboncreditsusa_2008_12_29,")
    out = tmp_path / "pairs.duckdb"
    batterydb.build(out=out, seeds=seeds)
    with batterydb.connect(out) as fixture:
        pairs = [(r["supplier"], r["customer"], r["agreement_id"]) for r in fixture.run("supply_relationships").records()]
    assert pairs == [
        ("AESC", "Nissan", 6), ("AESC", "Nissan", 9), ("AESC", "Renault", 6), ("AESC", "Renault", 8),
        ("Boston-Power", "Beijing Electric Vehicle", 1), ("CATL", "Xiaomi", 5),
        ("NEC", "Nissan", 6), ("NEC", "Renault", 6),
    ]


def test_one_organisations_agreements_and_supplies_are_those_of_the_whole_listing(generated_db):
    """The organisation forms look up only that organisation's agreements; their rows are the full listing's."""
    with batterydb.connect(generated_db) as gen:
        everything = gen.run("agreements_between").rows()
        supplies = gen.run("supply_relationships").rows()
        for (org, name) in gen.sql("SELECT p.org_id, o.name FROM agreement_parties AS p JOIN organisations AS o "
                                   "ON o.org_id = p.org_id GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 3").rows():
            ids = {a for (a,) in gen.sql("SELECT agreement_id FROM agreement_parties WHERE org_id = $o",
                                         {"o": org}).rows()}
            assert gen.run("agreements_between", org=org).rows() == [r for r in everything if r[0] in ids]
            assert gen.run("supply_relationships", org=org).rows() == [r for r in supplies if name in r[:2]]
