"""Parameters that name an organisation (or a plant) resolve to one id, or say why not.

The same macro resolves them in Python, on the command line, in an untrusted
session and in the ``analytics`` macros a console user calls, so each of
those gives the same message for the same mistake.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import cli, paths
from batterydb.errors import QueryError
from conftest import extend_seeds

MISSING = ("no organisation matches 'Beijing Era'; closest: Beijing Era New Energy Technology (beijing_era), "
           "Beijing Electric Vehicle (bjev), BAIC (baic)")
NOTHING_CLOSE = "no organisation matches 'Nobody Ltd'; none has a similar id, name or alias"
AMBIGUOUS = "'baic' matches 2 organisations: BAIC (baic), Beijing Electric Vehicle (bjev); give one of their ids"


@pytest.fixture(scope="module")
def ambiguous_db(tmp_path_factory) -> Path:
    """The shipped seeds, with "BAIC" also an alias of Beijing Electric Vehicle (tests/fixtures/ambiguous_names)."""
    root = tmp_path_factory.mktemp("ambiguous")
    shutil.copytree(paths.seeds_dir(), root / "seeds")
    extend_seeds(root / "seeds", "ambiguous_names")
    batterydb.build(out=root / "db.duckdb", seeds=root / "seeds")
    return root / "db.duckdb"


class TestResolves:
    @pytest.mark.parametrize("text, org_id", [
        ("BNEF", "bnef"), ("bnef", "bnef"), ("bloomberg new energy finance", "bnef"),
        ("Beijing_Era", "beijing_era"), ("BEIJING_ERA", "beijing_era"),
        ("beijing era new energy technology co.", "beijing_era"), ("  Beijing Éra New Energy Technology  ", "beijing_era"),
    ])
    def test_ids_names_and_aliases_in_any_case_and_accent(self, db, text, org_id):
        assert db.sql("SELECT resolve_org($t)", {"t": text}).rows() == [(org_id,)]

    def test_a_resolved_name_answers_as_its_id_does(self, db):
        assert db.run("owners_of", org="Beijing_Era").rows() == db.run("owners_of", org="beijing_era").rows()

    @pytest.mark.parametrize("text, subject", [
        ("BOSTON_POWER_TAIWAN_LINE", "Boston-Power production line in Taiwan"),
        ("boston-power plant near shanghai", "Boston-Power plant near Shanghai"),
        ("Boston-Power", "Boston-Power"),
    ])
    def test_a_plant_or_an_organisation(self, db, text, subject):
        assert {r["subject"] for r in db.run("capacity_history", subject=text).records()} == {subject}

    def test_an_optional_organisation_left_out_does_not_filter(self, db):
        assert len(db.run("agreements_between")) == len(db.run("agreements"))


class TestRefuses:
    @pytest.mark.parametrize("text, message", [("Beijing Era", MISSING), ("Nobody Ltd", NOTHING_CLOSE)])
    def test_no_match_is_an_error_with_the_closest(self, db, text, message):
        with pytest.raises(QueryError) as caught:
            db.run("owners_of", org=text)
        assert str(caught.value) == message

    def test_every_organisation_parameter_is_resolved(self, db):
        with pytest.raises(QueryError, match="^no organisation matches 'Nobody Ltd'"):
            db.run("agreements_between", org="CATL", other_org="Nobody Ltd")

    def test_several_matches_are_an_error_that_lists_them(self, ambiguous_db):
        with batterydb.connect(ambiguous_db) as db, pytest.raises(QueryError) as caught:
            db.run("partner_network", org="baic")
        assert str(caught.value) == AMBIGUOUS

    def test_a_plant_or_organisation_that_nothing_matches(self, db):
        with pytest.raises(QueryError) as caught:
            db.run("capacity_history", subject="Shanghai plant")
        assert str(caught.value) == "no plant or organisation matches 'Shanghai plant'"

    def test_the_cli_exits_2_with_the_message(self, built_db, capsys):
        assert cli.main(["query", "owners_of", "--db", str(built_db), "--param", "org=Beijing Era"]) == 2
        assert capsys.readouterr() == ("", f"batterydb: {MISSING}\n")

    def test_the_sql_command_gives_duckdb_s_message_about_the_query_not_a_file(self, built_db, capsys, tmp_path):
        out = tmp_path / "answer.csv"
        assert cli.main(["sql", "SELECT * FROM analytics.owners_of('Beijing Era')", "--db", str(built_db),
                         "--output", str(out)]) == 2
        assert capsys.readouterr() == ("", f"batterydb: Invalid Input Error: {MISSING}\n")

    def test_an_untrusted_session_gives_the_same_message(self, built_db):
        with batterydb.connect(built_db, untrusted=True) as db, pytest.raises(QueryError) as caught:
            db.run("owners_of", org="Beijing Era")
        assert str(caught.value) == MISSING

    @pytest.mark.parametrize("call, message", [
        ("analytics.owners_of('Beijing Era')", MISSING),
        ("analytics.agreements_between(other_org := 'Nobody Ltd')", NOTHING_CLOSE),
    ])
    def test_the_analytics_macros_raise_it_in_any_console(self, built_db, call, message):
        with duckdb.connect(str(built_db), read_only=True) as con, pytest.raises(duckdb.InvalidInputException) as caught:
            con.execute(f"SELECT * FROM {call}").fetchall()
        assert str(caught.value) == f"Invalid Input Error: {message}"

    def test_the_analytics_macros_resolve_names(self, built_db):
        with duckdb.connect(str(built_db), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM analytics.owners_of('Beijing_Era')").fetchall() == [(4,)]


def test_a_text_that_matches_does_not_work_out_the_closest(built_db, tmp_path):
    """DuckDB plans the closest organisations even when one matches; the stored lookup then reads none of it."""
    profile = tmp_path / "profile.json"
    with duckdb.connect(str(built_db), read_only=True) as con:
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute(f"PRAGMA profiling_output = '{profile}'")
        assert con.execute("SELECT resolve_org('Beijing_Era')").fetchall() == [("beijing_era",)]
        con.execute("PRAGMA disable_profiling")
    scans = []

    def walk(node):
        if node.get("name", "").strip() == "SEQ_SCAN" and "organisation_candidates" in str(node.get("extra_info")):
            scans.append(node["intermediate_rows"])
        for child in node.get("children", []):
            walk(child)

    for node in json.loads(profile.read_text())["operator"]:
        walk(node)
    assert sorted(scans) == [0, 1]  # the lookup by name finds one row; the closest ones read none


@pytest.mark.slow
@pytest.mark.parametrize("param, macro, names", [
    (batterydb.catalogue.Param("org", "ORGANISATION", True, None, "", 1), "resolve_org",
     "SELECT org_id FROM organisations UNION SELECT name FROM organisations UNION SELECT alias FROM organisation_aliases"),
    (batterydb.catalogue.Param("subject", "PLANT_OR_ORGANISATION", True, None, "", 1), "resolve_subject",
     "SELECT facility_id FROM facilities UNION SELECT name FROM facilities UNION SELECT org_id FROM organisations "
     "UNION SELECT name FROM organisations UNION SELECT alias FROM organisation_aliases"),
])
def test_the_wrapper_s_quick_lookup_gives_what_the_resolving_macro_gives(db, param, macro, names):
    """db.run asks the cheap question (what the text matches) first; for every name it must agree with the macro."""
    texts = [t for (t,) in db.sql(names).rows()]
    texts += [t.upper() for t in texts] + [" " + t + " " for t in texts] + ["nobody at all", "Beijing", "Önnerud"]
    for text in texts:
        try:
            expected = db.sql(f"SELECT {macro}($t)", {"t": text}).rows()[0][0]
        except batterydb.QueryError as exc:
            with pytest.raises(batterydb.QueryError) as caught:
                db._resolve(param, text)
            assert str(caught.value) == str(exc).removeprefix("Invalid Input Error: ")
        else:
            assert db._resolve(param, text) == expected


def test_a_file_built_before_subject_matches_still_resolves_a_plant(built_db, tmp_path):
    """An older file, opened as it is, has resolve_subject but not the quick lookup beside it."""
    import shutil

    import duckdb
    old = tmp_path / "older.duckdb"
    shutil.copy(built_db, old)
    with duckdb.connect(str(old)) as con:  # as resolve_subject read before subject_matches stood beside it
        con.execute("CREATE OR REPLACE MACRO resolve_subject(query) AS "
                    "(SELECT any_value(f.facility_id) FROM facilities AS f WHERE name_key(f.name) = name_key(query))")
        con.execute("DROP MACRO TABLE subject_matches")
    with batterydb.connect(old) as db:  # its inputs are the shipped files, unchanged: opened as it is
        assert db.sql("SELECT 1 FROM duckdb_functions() WHERE function_name = 'subject_matches'").rows() == []
        param = db.queries["capacity_history"].param("subject")
        assert db._resolve(param, "Boston-Power production line in Taiwan") == "boston_power_taiwan_line"
