"""Seed validation: each rule, with a small edit to a copy of the shipped seeds as its fixture.

Messages are asserted whole, as the user reads them (paths relative to the
seed folder), so a change of wording is a deliberate change of these tests.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import paths, rules, schema
from batterydb.errors import RuleError, SchemaError
from batterydb.validate import check


def edit(seeds: Path, name: str, old: str, new: str) -> None:
    path = seeds / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture edit does not match exactly once in {name}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(seeds: Path, name: str, row: str) -> None:
    with (seeds / name).open("a", encoding="utf-8") as f:
        f.write(row + "\n")


def problems(seeds: Path, severity: str = "error") -> list[str]:
    return [str(p).replace(str(seeds) + os.sep, "")
            for p in check(seeds) if p.severity == severity]


SHIPPED_WARNINGS = [
    "facilities.csv:4:facility_id: warning: facility 'beijing_era_cell_plant' has no capacity figure "
    "(add one to capacities.csv if a source gives it)",
    "facilities.csv:5:facility_id: warning: facility 'catl_beijing_plant' has no capacity figure "
    "(add one to capacities.csv if a source gives it)",
    "facilities.csv:6:facility_id: warning: facility 'aesc_us_plant' has no capacity figure "
    "(add one to capacities.csv if a source gives it)",
    "facilities.csv:7:facility_id: warning: facility 'aesc_europe_plant' has no capacity figure "
    "(add one to capacities.csv if a source gives it)",
    "facilities.csv:8:facility_id: warning: facility 'aesc_france_plant' has no capacity figure "
    "(add one to capacities.csv if a source gives it)",
    "ownership_stakes.csv:2:share_pct: warning: known stakes in 'beijing_era' reported on 2024-03-11 "
    "add up to 95%; the other 5% is undisclosed",
]


def test_shipped_seeds_have_no_errors_and_the_expected_warnings(seeds_copy):
    assert problems(seeds_copy) == []
    assert problems(seeds_copy, "warning") == SHIPPED_WARNINGS


class TestFiles:
    def test_missing_file(self, seeds_copy):
        (seeds_copy / "people.csv").unlink()
        assert problems(seeds_copy) == [
            "people.csv: error: seed file missing; table people needs a seed file, with the header person_id,name,source_id"
        ]

    def test_unexpected_extra_file(self, seeds_copy):
        (seeds_copy / "peoples.csv").write_text("person_id,name,source_id\n")
        assert problems(seeds_copy) == [
            "peoples.csv: error: unexpected seed file: the schema has no table peoples (did you mean people.csv?)"
        ]

    def test_empty_file(self, seeds_copy):
        (seeds_copy / "people.csv").write_text("")
        assert problems(seeds_copy) == [
            "people.csv:1: error: file is empty; expected the header person_id,name,source_id"
        ]

    @pytest.mark.parametrize("header, detail", [
        ("person_id,name", "missing column 'source_id'"),
        ("person_id,name,source_id,age", "unexpected column 'age'"),
        ("person_id,nmae,source_id", "column 'nmae' should be 'name'"),
        ("name,person_id,source_id", "columns in the wrong order: found name,person_id,source_id"),
        ("person_id;name;source_id", "unexpected column 'person_id;name;source_id'; missing column 'person_id'; "
         "missing column 'name'; missing column 'source_id'; the file seems to be separated by semicolons; "
         "save it with commas"),
    ], ids=["missing", "extra", "misspelt", "reordered", "semicolons"])
    def test_header(self, seeds_copy, header, detail):
        edit(seeds_copy, "people.csv", "person_id,name,source_id\n", header + "\n")
        assert problems(seeds_copy) == [
            f"people.csv:1: error: header does not match table people: {detail}; expected person_id,name,source_id"
        ]


class TestRows:
    def test_too_many_and_too_few_fields(self, seeds_copy):
        append(seeds_copy, "people.csv", "someone,Someone,bloomberg_2012_08_08,extra")
        append(seeds_copy, "people.csv", "someone_else,Someone Else")
        assert problems(seeds_copy) == [
            "people.csv:6: error: row has 4 fields; expected 3 (one per column of the header)",
            "people.csv:7: error: row has 2 fields; expected 3 (one per column of the header)",
        ]

    def test_unbalanced_quotes(self, seeds_copy):
        append(seeds_copy, "people.csv", 'someone,"Someone,bloomberg_2012_08_08')
        assert problems(seeds_copy) == [
            "people.csv:6: error: unbalanced quotes: a quoted value is not closed (or a quote appears inside "
            "an unquoted value); the rest of the file cannot be read"
        ]

    def test_bytes_that_are_not_utf8(self, seeds_copy):
        with (seeds_copy / "people.csv").open("ab") as f:
            f.write(b"someone,Caf\xe9 Owner,bloomberg_2012_08_08\n")
        assert problems(seeds_copy) == [
            "people.csv:6: error: line holds bytes that are not UTF-8; save the file as UTF-8"
        ]

    @pytest.mark.parametrize("noise, expected", [
        (b"\x00", "line holds a NUL byte; is this a text file? Save it as UTF-8 CSV"),
        (b"\r", "line holds a carriage return (\\r) that does not end the line; "
                "save the file with LF or CRLF line endings"),
    ], ids=["nul", "stray-carriage-return"])
    def test_bytes_the_csv_reader_cannot_take(self, seeds_copy, noise, expected):
        path = seeds_copy / "people.csv"
        data = path.read_bytes()
        at = data.index(b"Shu Sun")
        path.write_bytes(data[:at] + noise + data[at:])
        assert problems(seeds_copy) == [f"people.csv:3: error: {expected}"]

    def test_line_numbers_count_lines_not_rows(self, seeds_copy):
        """A quoted value spanning two lines pushes every later row down a line."""
        edit(seeds_copy, "people.csv", "shu_sun,Shu Sun,", 'shu_sun,"Shu\nSun",')
        append(seeds_copy, "people.csv", "someone,,bloomberg_2012_08_08")
        assert problems(seeds_copy) == ["people.csv:7:name: error: a value is required here, found an empty cell"]

    @pytest.mark.parametrize("before, line", [
        ("", 6),                        # quotes, one record per line: row n is on line n + 2
        ("\n", 7),                      # and a blank line, which DuckDB skips
        ('"x\ny",Two Lines,bloomberg_2012_08_08\n', 8),  # and a record on two lines
    ])
    def test_line_numbers_with_quoted_values(self, seeds_copy, before, line):
        append(seeds_copy, "people.csv", before + '"someone",,bloomberg_2012_08_08')
        assert problems(seeds_copy)[-1] == f"people.csv:{line}:name: error: a value is required here, found an empty cell"


CAPACITY_ROW = "2,boston_power_taiwan_line,,planned,exact,120,,,,,mwh_per_year,2012,in,lampe_onnerud_interview_2012,"


class TestTypes:
    @pytest.mark.parametrize("old, new, expected", [
        ("exact,120,", "exact,\"1,000\",",
         "capacities.csv:3:value: error: \"1,000\" is not a number; write it without thousands separators, e.g. 1000"),
        ("exact,120,", "exact,120 MWh,",
         "capacities.csv:3:value: error: \"120 MWh\" is not a number; expected a plain decimal number such as "
         "1000 or 0.4, without units or separators"),
        (",2012,in,", ",2012.5,in,",
         "capacities.csv:3:year: error: \"2012.5\" is not a whole number; expected digits only, e.g. 12"),
        ("exact,120,", "exact,1e999,",
         "capacities.csv:3:value: error: \"1e999\" is too large for this column"),
    ], ids=["thousands-separator", "unit", "integer", "overflow"])
    def test_capacity_values(self, seeds_copy, old, new, expected):
        edit(seeds_copy, "capacities.csv", CAPACITY_ROW, CAPACITY_ROW.replace(old, new))
        assert problems(seeds_copy) == [expected]

    def test_percent_sign(self, seeds_copy):
        edit(seeds_copy, "ownership_stakes.csv", "exact,51,", "exact,51 %,")
        assert problems(seeds_copy) == [
            "ownership_stakes.csv:2:share_pct: error: \"51 %\" is not a number; drop the % sign "
            "(percentages are stored as plain numbers, e.g. 12)"
        ]

    def test_decimal_with_too_many_digits(self, seeds_copy):
        edit(seeds_copy, "ownership_stakes.csv", "exact,51,", "exact,1000,")
        assert problems(seeds_copy) == [
            "ownership_stakes.csv:2:share_pct: error: \"1000\" is too large for this column "
            "(at most 3 digits before the decimal point)"
        ]

    @pytest.mark.parametrize("old, new, expected", [
        ("exact,51,", "exact,51.1234567,", "\"51.1234567\" has 7 decimal places; this column keeps 6, and a value "
                                           "is never rounded on its way in"),
        ("exact,51,", "exact,5.1e1,", "\"5.1e1\" is written with an exponent; write it as a plain decimal number, "
                                      "e.g. 51.0"),
        ("exact,51,", "exact,-0,", "\"-0\" is a negative zero; write 0"),
        ("exact,51,", "exact,nan,", "\"nan\" is not a number; expected a plain decimal number such as 1000 or 0.4, "
                                    "without units or separators"),
        ("exact,51,", "exact,0x33,", "\"0x33\" is not a number; expected a plain decimal number such as 1000 or "
                                     "0.4, without units or separators"),
    ], ids=["one-digit-more", "exponent", "negative-zero", "nan", "hex"])
    def test_a_share_is_kept_digit_for_digit_or_refused(self, seeds_copy, old, new, expected):
        edit(seeds_copy, "ownership_stakes.csv", old, new)
        assert problems(seeds_copy) == [f"ownership_stakes.csv:2:share_pct: error: {expected}"]

    def test_six_decimal_places_and_trailing_zeros_are_kept(self, seeds_copy, tmp_path):
        edit(seeds_copy, "ownership_stakes.csv", "exact,51,", "exact,51.123456000,")
        edit(seeds_copy, "ownership_stakes.csv", "exact,39,", "exact,38.876544,")
        assert problems(seeds_copy) == []
        batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
        with batterydb.connect(tmp_path / "db.duckdb") as db:
            assert db.sql("SELECT CAST(share_pct AS VARCHAR) FROM ownership_stakes WHERE owned_org_id = "
                          "'beijing_era' ORDER BY share_pct DESC").rows() == [("51.123456",), ("38.876544",),
                                                                             ("5.000000",)]

    @pytest.mark.parametrize("new, expected", [
        ("12345678901234567", "\"12345678901234567\" has 17 significant digits; this column keeps 15, and a value "
                              "is never rounded on its way in"),
        ("1e-400", "\"1e-400\" is too small for this column: it would be stored as 0"),
        ("-0.0", "\"-0.0\" is a negative zero; write 0"),
        ("inf", "\"inf\" is not a number; expected a plain decimal number such as 1000 or 0.4, without units or "
                "separators"),
    ], ids=["too-many-digits", "underflow", "negative-zero", "infinity"])
    def test_a_figure_is_kept_or_refused(self, seeds_copy, new, expected):
        edit(seeds_copy, "capacities.csv", CAPACITY_ROW, CAPACITY_ROW.replace("exact,120,", f"exact,{new},"))
        assert problems(seeds_copy) == [f"capacities.csv:3:value: error: {expected}"]

    @pytest.mark.parametrize("value, expected", [
        ("11/03/2024", "is not a date; expected YYYY-MM-DD, e.g. 2024-03-11"),
        ("2024-02-30", "is not a valid calendar date"),
        ("0000-01-01", "is not a valid calendar date; years run from 0001"),
    ])
    def test_dates(self, seeds_copy, value, expected):
        edit(seeds_copy, "ownership_stakes.csv", "exact,51,,,,,2024-03-11,", f"exact,51,,,,,{value},")
        assert problems(seeds_copy) == [f"ownership_stakes.csv:2:reported_on: error: \"{value}\" {expected}"]

    def test_boolean(self, seeds_copy):
        edit(seeds_copy, "facilities.csv", ",TW,true,", ",TW,yes,")
        assert problems(seeds_copy) == [
            "facilities.csv:3:location_is_approximate: error: \"yes\" is not true or false"
        ]

    def test_required_value_missing(self, seeds_copy):
        edit(seeds_copy, "people.csv", "shu_sun,Shu Sun,", "shu_sun,,")
        assert problems(seeds_copy) == ["people.csv:3:name: error: a value is required here, found an empty cell"]


class TestDomains:
    @pytest.mark.parametrize("old, new, expected", [
        ("exact,51,", "exact,120,", "share_pct: error: share_pct must be between 0 and 100; found 120"),
        ("exact,51,", "exact,-1,", "share_pct: error: share_pct must be between 0 and 100; found -1"),
        ("catl,beijing_era,jv_partner,exact,51,", "catl,catl,jv_partner,exact,51,",
         "owned_org_id: error: an organisation cannot own itself: owner_org_id and owned_org_id are both 'catl'"),
        ("exact,51,,,,,2024-03-11,day,", "exact,51,,,,,2024-03-11,month,",
         "reported_on: error: reported_on 2024-03-11 has reported_precision month, "
         "so it must be the first of the month (2024-03-01)"),
        ("exact,51,,,,,2024-03-11,day,", "exact,51,,,,,2024-03-01,year,",
         "reported_on: error: reported_on 2024-03-01 has reported_precision year, "
         "so it must be the first of January (2024-01-01)"),
        ("exact,51,,,,,", "exact,51,,,60,,",
         "qualifier: error: qualifier exact needs share_pct and no bounds; found share_pct=51, share_max_pct=60"),
        ("exact,51,,,,,", "range,,60,,50,,",
         "share_min_pct: error: share_min_pct 60 is above share_max_pct 50"),
        ("jv_partner,exact,51,", "jv_partner,exactly,51,",
         "qualifier: error: unknown qualifier 'exactly': no row of qualifiers.csv has it as its qualifier; "
         "expected one of: about, as_much_as, at_least, exact, over, range, under, unknown; did you mean 'exact'?"),
        ("exact,51,,,,,", "range,,50,true,50,,",
         "share_min_pct: error: share_min_pct and share_max_pct are both 50 but a bound is exclusive, "
         "so no value fits"),
        ("exact,51,,,,,", "range,,60,true,50,true,",  # crossed and exclusive: one problem, not two
         "share_min_pct: error: share_min_pct 60 is above share_max_pct 50"),
    ], ids=["share-above-100", "share-below-0", "owns-itself", "month-precision", "year-precision",
            "value-with-bounds", "min-above-max", "unknown-qualifier", "equal-exclusive-bounds",
            "crossed-exclusive-bounds"])
    def test_stake(self, seeds_copy, old, new, expected):
        edit(seeds_copy, "ownership_stakes.csv", "1,catl,beijing_era,jv_partner,exact,51,,,,,2024-03-11,day,",
             "1,catl,beijing_era,jv_partner,exact,51,,,,,2024-03-11,day,".replace(old, new))
        assert problems(seeds_copy) == [f"ownership_stakes.csv:2:{expected}"]

    def test_negative_capacity(self, seeds_copy):
        edit(seeds_copy, "capacities.csv", CAPACITY_ROW, CAPACITY_ROW.replace("exact,120,", "exact,-120,"))
        assert problems(seeds_copy) == ["capacities.csv:3:value: error: value must not be negative; found -120"]

    def test_negative_amount(self, seeds_copy):
        edit(seeds_copy, "investments.csv", "exact,12000000000,", "exact,-12000000000,")
        assert problems(seeds_copy) == [
            "investments.csv:3:amount: error: amount must not be negative; found -12000000000"
        ]

    def test_a_bods_code_outside_its_codelist(self, seeds_copy):
        """The vocabularies' BODS codes are the standard's codelists, spelt exactly: an export must pass its schema."""
        edit(seeds_copy, "stake_kinds.csv", ",otherInfluenceOrControl", ",otherInfluence")
        assert problems(seeds_copy) == [
            "stake_kinds.csv:4:bods_interest_type: error: bods_interest_type 'otherInfluence' is not allowed; "
            "expected one of: shareholding, votingRights, appointmentOfBoard, otherInfluenceOrControl, unknownInterest"
        ]

    def test_a_schemes_code_is_written_as_org_id_guide_writes_it(self, seeds_copy):
        edit(seeds_copy, "identifier_schemes.csv", ",XI-LEI,", ",XI_LEI,")
        assert problems(seeds_copy) == [
            "identifier_schemes.csv:2:code: error: code 'XI_LEI' does not have the expected form [A-Z]{2}-[A-Z0-9]+"]

    def test_unknown_unit_with_suggestion(self, seeds_copy):
        edit(seeds_copy, "capacities.csv", CAPACITY_ROW, CAPACITY_ROW.replace(",mwh_per_year,", ",mwh_per_yr,"))
        assert problems(seeds_copy) == [
            "capacities.csv:3:unit_code: error: unknown unit_code 'mwh_per_yr': no row of units.csv has it as its "
            "unit_code; expected one of: battery_units_per_year, gwh_per_year, mwh_per_year, percent, "
            "vehicle_sets_per_year, vehicles; did you mean 'mwh_per_year'?"
        ]

    @pytest.mark.parametrize("file, old, new, expected", [
        ("facility_status_history.csv", "boston_power_taiwan_line,operating,", "boston_power_taiwan_line,running,",
         "facility_status_history.csv:3:status: error: unknown status 'running': no row of facility_statuses.csv "
         "has it as its status; expected one of: announced, cancelled, considered, mothballed, operating, planned, "
         "retired, shelved, under_construction"),
        ("organisations.csv", "catl,CATL,company,CN,", "catl,CATL,firm,CN,",
         "organisations.csv:7:kind: error: unknown kind 'firm': no row of organisation_kinds.csv has it as its "
         "kind; expected one of: business_unit, company, government_body, joint_venture, media_outlet, research_firm"),
        ("organisations.csv", "renault,Renault,company,FR,", "renault,Renault,company,XF,",
         "organisations.csv:20:country_code: error: unknown country_code 'XF': no row of countries.csv has it as "
         "its country_code"),
        ("investments.csv", ",1000000000,,,,,CNY,", ",1000000000,,,,,RMB,",
         "investments.csv:4:currency_code: error: unknown currency_code 'RMB': no row of currencies.csv has it "
         "as its currency_code"),
    ], ids=["status", "kind", "country", "currency"])
    def test_unknown_vocabulary(self, seeds_copy, file, old, new, expected):
        edit(seeds_copy, file, old, new)
        assert problems(seeds_copy) == [expected]


    def test_cumulative_metric_must_name_a_metric(self, seeds_copy):
        edit(seeds_copy, "metrics.csv", ",true,ev_sales\n", ",true,ev_sale\n")
        assert problems(seeds_copy) == [
            "metrics.csv:5:running_total_of: error: unknown running_total_of 'ev_sale': no row of metrics.csv "
            "has it as its metric_code"
        ]

    def test_values_that_go_together(self, seeds_copy):
        edit(seeds_copy, "targets.csv", "vehicles,,2014,by,", "vehicles,,2014,,")
        assert problems(seeds_copy) == [
            "targets.csv:4:deadline_qualifier: error: deadline_year and deadline_qualifier go together: "
            "give both or neither"
        ]


class TestKeysAndReferences:
    def test_duplicate_primary_key_reports_every_copy(self, seeds_copy):
        edit(seeds_copy, "ownership_stakes.csv", "\n4,baic,bjev,", "\n3,baic,bjev,")
        assert problems(seeds_copy) == [
            "ownership_stakes.csv:4:stake_id: error: duplicate primary key: stake_id 3 is used by 2 rows; "
            "each must be unique",
            "ownership_stakes.csv:5:stake_id: error: duplicate primary key: stake_id 3 is used by 2 rows; "
            "each must be unique",
        ]

    @pytest.mark.parametrize("file, old, new, expected", [
        ("ownership_stakes.csv", "1,catl,beijing_era,", "1,catl2,beijing_era,",
         "ownership_stakes.csv:2:owner_org_id: error: unknown owner_org_id 'catl2': no row of organisations.csv "
         "has it as its org_id; did you mean 'catl'?"),
        ("capacities.csv", "2,boston_power_taiwan_line,", "2,boston_power_taiwan,",
         "capacities.csv:3:facility_id: error: unknown facility_id 'boston_power_taiwan': no row of "
         "facilities.csv has it as its facility_id; did you mean 'boston_power_taiwan_line'?"),
        ("people.csv", "shu_sun,Shu Sun,bloomberg_2012_08_08", "shu_sun,Shu Sun,bloomberg_2012_08_09",
         "people.csv:3:source_id: error: unknown source_id 'bloomberg_2012_08_09': no row of sources.csv has it "
         "as its source_id; did you mean 'bloomberg_2012_08_08'?"),
    ], ids=["organisation", "facility", "source"])
    def test_reference_to_a_missing_row_suggests_the_closest(self, seeds_copy, file, old, new, expected):
        edit(seeds_copy, file, old, new)
        assert problems(seeds_copy) == [expected]

    def test_stakes_adding_up_to_more_than_100(self, seeds_copy):
        edit(seeds_copy, "ownership_stakes.csv", "3,xiaomi,beijing_era,jv_partner,exact,5,",
             "3,xiaomi,beijing_era,jv_partner,exact,15,")
        message = ("share_pct: error: stakes in 'beijing_era' reported on 2024-03-11 add up to at least 105% "
                   "(3 rows); shares cannot exceed 100%")
        assert problems(seeds_copy) == [f"ownership_stakes.csv:{line}:{message}" for line in (2, 3, 4)]


def _people(seeds: Path, lines: list[bytes], ending: bytes = b"\n") -> None:
    """people.csv as the given lines; BAD is a row with an empty name (line numbers then point at it)."""
    (seeds / "people.csv").write_bytes(ending.join(lines) + ending)


PEOPLE = Path(__file__).resolve().parent.parent.joinpath("seeds", "people.csv").read_bytes().splitlines()
BAD = b"someone,,bloomberg_2012_08_08"
MISSING_NAME = "a value is required here, found an empty cell"


class TestFileShapes:
    """Every shape a file can take still reports the line a person sees, and names the cause."""

    @pytest.mark.parametrize("lines, line", [
        (PEOPLE[:2] + [b"", b""] + PEOPLE[2:] + [BAD], 8),
        (PEOPLE[:2] + [b"", b"", b""] + PEOPLE[2:] + [BAD], 9),
        (PEOPLE + [b"   ", b"\t", BAD], 8),
        (PEOPLE[:2] + [b'long,"' + b"y" * 140_000 + b'",bloomberg_2012_08_08'] + PEOPLE[2:] + [BAD], 7),
    ], ids=["two-blank-lines", "three-blank-lines", "space-only-lines", "field-over-128-kib"])
    def test_the_line_of_a_bad_row(self, seeds_copy, lines, line):
        _people(seeds_copy, lines)
        assert problems(seeds_copy) == [f"people.csv:{line}:name: error: {MISSING_NAME}"]

    def test_lines_of_spaces_at_the_end_are_blank_lines(self, seeds_copy):
        _people(seeds_copy, PEOPLE + [b"   ", b"  "])
        assert problems(seeds_copy) == []

    @pytest.mark.parametrize("content, expected", [
        (b"\n".join(PEOPLE[:2]) + b"\r\n" + b"\n".join(PEOPLE[2:]) + b"\n",
         "people.csv:2: error: line ends with CRLF (\\r\\n) while the first line ends with LF (\\n); save the file "
         "with one kind of line ending"),
        (b"\n" + b"\n".join(PEOPLE) + b"\n",
         "people.csv:1: error: line 1 is blank; the header must be the first line: person_id,name,source_id"),
        (("\n".join(p.decode() for p in PEOPLE) + "\n").encode("utf-16"),
         "people.csv: error: file is UTF-16, not UTF-8; save it as UTF-8 (in a spreadsheet: CSV UTF-8)"),
    ], ids=["one-crlf-line", "blank-line-before-the-header", "utf-16"])
    def test_a_file_that_cannot_be_read_says_why(self, seeds_copy, content, expected):
        (seeds_copy / "people.csv").write_bytes(content)
        assert problems(seeds_copy) == [expected]

    @pytest.mark.parametrize("make, what", [
        (lambda p: p.mkdir(), "is a folder, not a file"),
        (os.mkfifo, "is not a regular file (a FIFO, a socket or a device), so it is not read"),
    ], ids=["folder", "fifo"])
    def test_something_else_named_like_a_seed_file(self, seeds_copy, make, what):
        (seeds_copy / "people.csv").unlink()
        make(seeds_copy / "people.csv")
        assert problems(seeds_copy) == [f"people.csv: error: {what}; table people needs a seed file, with the "
                                        "header person_id,name,source_id"]


class TestIds:
    ORG = ",{name},company,CN,,,electrive_2024_03,"

    @pytest.mark.parametrize("org_id, code", [
        ("catl\u200b", "U+200B"), ("byd\u00a0auto", "U+00A0"), ("b\u00e9", "U+00E9"), ("byd-auto", "U+002D"),
        ("\u0441atl", "U+0441"),  # a Cyrillic es in place of the c
    ], ids=["zero-width-space", "no-break-space", "accent", "hyphen", "look-alike"])
    def test_an_id_is_plain_characters(self, seeds_copy, org_id, code):
        append(seeds_copy, "organisations.csv", org_id + self.ORG.format(name="Other"))
        assert problems(seeds_copy) == [
            f"organisations.csv:27:org_id: error: id '{org_id}' holds {code}; an id is ASCII letters, digits and _ "
            "only, so that no two ids merely look alike"]

    def test_ids_that_differ_only_in_case_are_refused(self, seeds_copy):
        append(seeds_copy, "organisations.csv", "CATL" + self.ORG.format(name="Upper CATL"))
        assert problems(seeds_copy) == [
            "organisations.csv:7:org_id: error: id 'catl' differs from 'CATL' only in case; ids must differ in "
            "more than case",
            "organisations.csv:27:org_id: error: id 'CATL' differs from 'catl' only in case; ids must differ in "
            "more than case"]


class TestWarnings:
    def test_ownership_cycle(self, seeds_copy):
        append(seeds_copy, "ownership_stakes.csv",
               "8,beijing_era,catl,equity_stake,exact,1,,,,,2024-03-11,day,electrive_2024_03,")
        assert problems(seeds_copy) == []
        cycle = [w for w in problems(seeds_copy, "warning") if "cycle" in w]
        assert cycle == [
            "ownership_stakes.csv:2:owner_org_id: warning: ownership cycle: 'catl' owns 'beijing_era', "
            "which itself owns 'catl' directly or indirectly",
            "ownership_stakes.csv:9:owner_org_id: warning: ownership cycle: 'beijing_era' owns 'catl', "
            "which itself owns 'beijing_era' directly or indirectly",
        ]

    def test_cycle_search_runs_only_over_stakes_that_can_close_one(self):
        """A chain into a cross-holding, a stake out of it and a lone owner are trimmed before the search."""
        import duckdb
        from batterydb import loading, rules

        con = duckdb.connect()
        loading.attach_staging(con)
        con.execute("""
            CREATE VIEW staged.ownership_stakes AS
            SELECT * FROM (VALUES (true, 'top', 'mid'), (true, 'mid', 'a'), (true, 'a', 'b'), (true, 'b', 'a'),
                                  (true, 'b', 'leaf'), (true, 'lone', 'a'), (false, 'leaf', 'top'))
                          AS t(_ok, owner_org_id, owned_org_id)
        """)
        rules.ownership_cycle_candidates(con)
        assert con.execute("SELECT a, b FROM staged.cycle_candidates ORDER BY ALL").fetchall() == [("a", "b"), ("b", "a")]

    def test_shares_to_five_decimals_that_add_up_to_100_leave_nothing_undisclosed(self, seeds_copy):
        # Kept to four decimals, 33.33334 + 33.33333 + 33.33333 became 99.9999 and a false remainder.
        for old, new in (("exact,51,", "exact,33.33334,"), ("exact,39,", "exact,33.33333,"),
                         ("xiaomi,beijing_era,jv_partner,exact,5,", "xiaomi,beijing_era,jv_partner,exact,33.33333,")):
            edit(seeds_copy, "ownership_stakes.csv", old, new)
        assert problems(seeds_copy, "warning") == SHIPPED_WARNINGS[:-1]

    def test_unreferenced_organisation(self, seeds_copy):
        append(seeds_copy, "organisations.csv", "lonely,Lonely Ltd,company,,,,hktdc_2017,")
        assert (
            "organisations.csv:27:org_id: warning: org_id 'lonely' is not referenced by any other row; "
            "is an id misspelt somewhere?"
        ) in problems(seeds_copy, "warning")

    def test_warnings_do_not_stop_a_build(self, seeds_copy, tmp_path):
        result = batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
        assert [str(w).replace(str(seeds_copy) + os.sep, "") for w in result.warnings] == SHIPPED_WARNINGS


class TestTolerated:
    def test_bom_crlf_blank_lines_padding_and_quoted_commas(self, seeds_copy, tmp_path):
        """The same data saved the way spreadsheets and editors save it builds the same database."""
        for path in seeds_copy.glob("*.csv"):
            lines = path.read_text(encoding="utf-8").splitlines()
            padded = [",".join(f" {cell} " if cell and '"' not in line else cell for cell in line.split(","))
                      if '"' not in line else line for line in lines]
            path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(padded).encode() + b"\r\n\r\n\r\n")
        assert problems(seeds_copy) == []
        assert problems(seeds_copy, "warning") == SHIPPED_WARNINGS
        original = batterydb.build(out=tmp_path / "a.duckdb")
        resaved = batterydb.build(out=tmp_path / "b.duckdb", seeds=seeds_copy)
        assert resaved.row_counts == original.row_counts
        with batterydb.connect(tmp_path / "a.duckdb") as a, batterydb.connect(tmp_path / "b.duckdb") as b:
            query = "SELECT * FROM organisations ORDER BY org_id"
            assert a.sql(query).rows() == b.sql(query).rows()
            query = "SELECT * FROM targets ORDER BY target_id"
            assert a.sql(query).rows() == b.sql(query).rows()

    def test_quoted_newline_is_kept(self, seeds_copy, tmp_path):
        edit(seeds_copy, "people.csv", "shu_sun,Shu Sun,", 'shu_sun,"Shu\nSun",')
        batterydb.build(out=tmp_path / "db.duckdb", seeds=seeds_copy)
        with batterydb.connect(tmp_path / "db.duckdb") as db:
            assert db.sql("SELECT name FROM people WHERE person_id = 'shu_sun'").rows() == [("Shu\nSun",)]


@pytest.mark.parametrize("data, chunk, offset", [
    (b"a,b\r\nc\rd\n", 4, 6),      # a CR inside a line
    (b"abc\r\ndef\r", 3, 8),       # a CR at the very end
    (b"abcd\r\nx", 5, None),       # a CRLF split across two chunks is fine
    (b"abc\r\n\r\n", 5, None),
    (b"ab\x00", 2, 2),             # a NUL in the last chunk
])
def test_byte_scan_works_across_chunk_boundaries(tmp_path, data, chunk, offset):
    from batterydb.staging import _unreadable_byte
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    found = _unreadable_byte(path, chunk)
    assert (found[1] if found else None) == offset


def test_check_is_part_of_the_package_api(seeds_copy):
    (seeds_copy / "people.csv").unlink()
    assert [p.message for p in batterydb.check(seeds_copy) if p.is_error] == [
        "seed file missing; table people needs a seed file, with the header person_id,name,source_id"]


class TestProbes:
    """A rule with a probe runs in full only where its probe finds something: the two must agree."""

    @pytest.fixture
    def con(self):
        import duckdb
        con = duckdb.connect()
        con.execute("ATTACH ':memory:' AS staged")
        return con

    def _stage(self, con, table: str, rows: list[tuple]):
        con.execute(f"CREATE OR REPLACE TABLE staged.{table} (_row BIGINT, _ok BOOLEAN, id VARCHAR, other VARCHAR)")
        if rows:
            con.executemany(f"INSERT INTO staged.{table} VALUES (?, true, ?, ?)",
                            [(i, *row) for i, row in enumerate(rows)])

    @pytest.mark.parametrize("rows", [
        [],
        [("a", "x"), ("b", "x")],
        [("a", "x"), ("a", "y")],
        [("a", None), ("A", None)],
        [(None, "x"), (None, "y")],
        [("catl", None), ("CATL", None), ("Catl", None), ("byd", None)],
    ])
    def test_key_and_id_probes_agree_with_their_rules(self, con, rows):
        from batterydb import rules
        self._stage(con, "t", rows)
        key = rules.Constraint("t", "PRIMARY KEY", ("id",), None, None, ())
        for rule in [rules.key_issues(key), *rules.id_issues(key)]:
            full = con.execute(rule.sql).fetchall()
            if rule.probe is not None:
                assert bool(con.execute(rule.probe).fetchall()) == bool(full), rule.rule
            assert rules.run_all(con, [rule]) == rules.run_all(con, [rule.__class__(**{**rule.__dict__,
                                                                                        "probe": None})])

    @pytest.mark.parametrize("children, broken", [
        ([("c1", "a"), ("c2", None)], []),
        ([("c1", "a"), ("c2", "zz")], ["other"]),
        ([], []),
    ])
    def test_the_foreign_key_probe_finds_exactly_the_broken_references(self, con, children, broken):
        from batterydb import rules
        self._stage(con, "parent", [("a", None), ("b", None)])
        self._stage(con, "child", children)
        foreign = [rules.Constraint("child", "FOREIGN KEY", ("other",), None, "parent", ("id",)),
                   rules.Constraint("child", "FOREIGN KEY", ("id",), None, "child", ("id",))]
        found = rules.foreign_key_issues(con, foreign)
        assert [q.column for q in found] == broken
        assert [i.row for i in rules.run_all(con, found)] == ([1] if broken else [])


def _bounded_tables() -> dict[str, dict[str, str]]:
    """Every table that states a figure as a value or bounds: its value, minimum, maximum and their exclusive flags."""
    import duckdb

    from batterydb import paths, schema

    con = duckdb.connect()
    schema.apply(con, paths.schema_dir(), comments=False)
    found = {}
    for table in schema.tables(con).values():
        names = [c.name for c in table.columns]
        for flag in (n for n in names if n.endswith("_min_exclusive")):
            stem = flag.removesuffix("_min_exclusive")
            lo = next(n for n in names if n.startswith(stem + "_min") and n != flag)
            hi = lo.replace("_min", "_max")
            value = next(n for n in names if n.startswith(stem) and "_min" not in n and "_max" not in n)
            found[table.name] = {"value": value, "min": lo, "max": hi, "min_ex": flag, "max_ex": stem + "_max_exclusive"}
    return found


BOUNDED = _bounded_tables()


def test_every_table_with_bounds_refuses_crossed_bounds_and_a_qualifier_they_do_not_fit(seeds_copy):
    """The bound and qualifier rules are written out in each table that states figures; walking them all at once
    catches one that drifted from the others. Line 2 of each file gets bounds the wrong way round, line 3 an
    exact figure given as bounds."""
    import csv

    assert sorted(BOUNDED) == ["capacities", "investments", "ownership_stakes", "reported_figures", "targets"]
    for table, b in BOUNDED.items():
        path = seeds_copy / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if len(rows) == 1:  # a second row like the first, under the next id
            key = next(iter(rows[0]))
            rows.append({**rows[0], key: str(int(rows[0][key]) + 1)})
        rows[0].update({"qualifier": "range", b["value"]: "", b["min"]: "5", b["max"]: "3",
                        b["min_ex"]: "false", b["max_ex"]: "false"})
        rows[1].update({"qualifier": "exact", b["value"]: "", b["min"]: "1", b["max"]: "2",
                        b["min_ex"]: "false", b["max_ex"]: "false"})
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    problems = {(Path(p.file).name, p.line, p.column, p.message) for p in check(seeds_copy) if p.rule == "check"}
    for table, b in BOUNDED.items():
        assert (f"{table}.csv", 2, b["min"], f"{b['min']} 5 is above {b['max']} 3") in problems, table
        assert (f"{table}.csv", 3, "qualifier", f"qualifier exact needs {b['value']} and no bounds; "
                                                f"found {b['min']}=1, {b['max']}=2") in problems, table


class TestNamedChecks:
    """A table's CHECKs carry a name and a message in the DDL, since DuckDB keeps no name for them."""

    def test_every_table_check_has_its_name_and_message_from_the_ddl(self):
        """The k-th CHECK of a table in DuckDB's catalog is the k-th in the DDL: each message names its columns."""
        with duckdb.connect() as con:
            schema.apply(con, paths.schema_dir())
            checks = [c for c in rules.constraints(con) if c.kind == "CHECK"]
        named = [c for c in checks if c.name is not None]
        assert len(named) == 50 and len({(c.table, c.name) for c in named}) == 50  # grep -c CONSTRAINT schema/*.sql
        for c in named:
            assert c.message_column in c.columns, (c.table, c.name, c.expression)
        unnamed = [c for c in checks if c.name is None]
        assert unnamed and all(len(c.columns) == 1 for c in unnamed)  # a column's own CHECK

    @pytest.mark.parametrize("table, old, new, expected", [
        ("reported_figures", ",2011-01-01,2011-12-31,", ",2012-01-01,2011-12-31,",
         "reported_figures.csv:2:period_start: error: period_start 2012-01-01 is after period_end 2011-12-31"),
        ("targets", ",vehicles,2012,,,", ",vehicles,2012,2010,by,",
         "targets.csv:3:start_year: error: start_year 2012 is after deadline_year 2010"),
        ("targets", "1,,ev_sales_cumulative,CN,electric_vehicles,", "1,,ev_sales_cumulative,,,",
         "targets.csv:2:scope_country_code: error: give the scope: at least one of scope_country_code, "
         "scope_sector_code and scope_org_id"),
    ], ids=["period", "start-after-deadline", "no-scope"])
    def test_checks_that_had_no_message_now_say_what_is_wrong(self, seeds_copy, table, old, new, expected):
        edit(seeds_copy, f"{table}.csv", old, new)
        assert problems(seeds_copy) == [expected]

    def test_a_table_check_without_a_name_is_refused_with_its_place(self, tmp_path):
        folder = tmp_path / "schema"
        shutil.copytree(paths.schema_dir(), folder)
        ddl = folder / "03_facts.sql"
        text = ddl.read_text(encoding="utf-8")
        ddl.write_text(text.replace("    -- on period_start: period_start {period_start} is after period_end "
                                    "{period_end}\n    CONSTRAINT period_in_order CHECK", "    CHECK"), encoding="utf-8")
        line = next(i for i, row in enumerate(ddl.read_text(encoding="utf-8").splitlines(), 1)
                    if row == "    CHECK (period_start <= period_end),")
        with pytest.raises(SchemaError) as caught, duckdb.connect() as con:
            schema.apply(con, folder)
        assert str(caught.value) == (f"{ddl}:{line}: CHECK of table reported_figures needs a name and a message: write "
                                     "-- on <column>: <message> on the line above CONSTRAINT <name> CHECK (...)")

    def test_a_message_naming_no_column_is_refused(self, tmp_path, seeds_copy):
        folder = tmp_path / "schema"
        shutil.copytree(paths.schema_dir(), folder)
        ddl = folder / "03_facts.sql"
        ddl.write_text(ddl.read_text(encoding="utf-8").replace("is after period_end {period_end}",
                                                               "is after period_end {period_stop}"), encoding="utf-8")
        with pytest.raises(RuleError) as caught:
            check(seeds_copy, folder)
        assert str(caught.value) == ("the message of CHECK period_in_order on table reported_figures names "
                                     "{period_stop}, which is not a column of reported_figures")


@pytest.mark.parametrize("check", ["min_not_above_max", "equal_bounds_inclusive", "figures_as_qualified"])
def test_the_bound_checks_are_the_same_in_every_table_but_for_its_column_names(check):
    """The five copies of each bound CHECK, written in one table's words: a branch dropped or changed in one
    table (reported_figures once lacked 'unknown') makes its copy differ from the others."""
    with duckdb.connect() as con:
        schema.apply(con, paths.schema_dir(), comments=False)
        found = {c.table: c.expression for c in rules.constraints(con) if c.name == check}
    assert sorted(found) == sorted(BOUNDED)
    words = set()
    for table, expression in found.items():
        for part, column in sorted(BOUNDED[table].items(), key=lambda item: -len(item[1])):
            expression = re.sub(rf'"?\b{column}\b"?', part.upper(), expression)
        words.add(expression)
    assert len(words) == 1, words
