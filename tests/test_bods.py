"""Ownership data as BODS 0.4 statements (batterydb export --format bods), checked by the standard's own tools.

The expected statements are worked out from the seeds and the sources:
Beijing Era's partners hold 51, 39 and 5% (electrive_2024_03), which
leaves 5% undisclosed; AESC's three partners are named without shares.
The file is checked against the BODS 0.4 schema and by libcovebods, the
Open Ownership data review library, and a planted fault shows the check
can fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import batterydb
from batterydb import BatterydbError, bods, cli

from conftest import extend_seeds

#: libcovebods checks that download the org-id.guide list of identifier schemes from the network, which the tests
#: do not reach; they check only that an identifier's scheme is on that list (identifier_schemes' codes are).
NEEDS_THE_NETWORK = ("LegacyChecks", "CheckStatementEntityIdentifiersHaveKnownScheme")


def review(path: Path) -> tuple[list, list]:
    """The BODS 0.4 schema's errors and libcovebods' additional checks' findings for the file at ``path``."""
    import libcovebods.config
    import libcovebods.data_reader
    import libcovebods.jsonschemavalidate
    import libcovebods.run_tasks
    import libcovebods.schema

    reader = libcovebods.data_reader.DataReader(str(path))
    config = libcovebods.config.LibCoveBODSConfig()
    schema = libcovebods.schema.SchemaBODS(reader, config)
    errors = libcovebods.jsonschemavalidate.JSONSchemaValidator(schema).validate(reader)
    tasks = [t for t in libcovebods.run_tasks.TASK_CLASSES if t.__name__ not in NEEDS_THE_NETWORK]
    checks = libcovebods.run_tasks.process_additional_checks(reader, config, schema, tasks)["additional_checks"]
    return [e.json() if hasattr(e, "json") else str(e) for e in errors], checks


@pytest.fixture(scope="module")
def exported(db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bods") / "ownership.json"
    assert bods.export(db, path) == {"entity": 25, "relationship": 8}
    return path


@pytest.fixture(scope="module")
def statements(exported) -> list[dict]:
    return json.loads(exported.read_text(encoding="utf-8"))


def relationships_of(statements: list[dict], subject: str) -> dict:
    """The relationships of one organisation's stakes, by interested party (``None`` for an undisclosed one)."""
    return {s["recordDetails"]["interestedParty"] if isinstance(s["recordDetails"]["interestedParty"], str)
            else None: s["recordDetails"] for s in statements
            if s["recordType"] == "relationship" and s["recordDetails"]["subject"] == f"batterydb-org-{subject}"}


class TestTheStandardsOwnTools:
    def test_the_shipped_data_passes_the_schema_and_the_data_review(self, exported):
        assert review(exported) == ([], [])

    @pytest.mark.parametrize("fault", ["share above 100", "no statement date", "a party no statement describes"])
    def test_a_planted_fault_is_found(self, statements, tmp_path, fault):
        broken = json.loads(json.dumps(statements))
        stake = next(s for s in broken if s["recordType"] == "relationship")
        if fault == "share above 100":
            stake["recordDetails"]["interests"][0]["share"] = {"exact": 120}
        elif fault == "no statement date":
            del stake["statementDate"]
        else:
            stake["recordDetails"]["interestedParty"] = "batterydb-org-nobody"
        (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
        errors, checks = review(tmp_path / "broken.json")
        assert errors or checks


class TestStatements:
    def test_a_joint_ventures_stakes_and_its_undisclosed_remainder(self, statements):
        stakes = relationships_of(statements, "beijing_era")
        assert {party: [(i["type"], i["directOrIndirect"], i.get("share")) for i in r["interests"]]
                for party, r in stakes.items()} == {
            "batterydb-org-catl": [("shareholding", "direct", {"exact": 51})],
            "batterydb-org-baic": [("shareholding", "direct", {"exact": 39})],
            "batterydb-org-xiaomi": [("shareholding", "direct", {"exact": 5})],
            None: [("shareholding", "unknown", {"exact": 5})],
        }
        remainder = next(s for s in statements if s["recordType"] == "relationship"
                         and not isinstance(s["recordDetails"]["interestedParty"], str))
        assert remainder["recordDetails"]["interestedParty"]["reason"] == "informationUnknownToPublisher"
        assert "source" not in remainder  # worked out from the stakes, not stated by a source
        assert remainder["statementDate"] == "2024-03-11"

    def test_an_unknown_share_is_no_share_and_leaves_no_remainder(self, statements):
        stakes = relationships_of(statements, "aesc")
        assert sorted(stakes) == ["batterydb-org-nec", "batterydb-org-nec_tokin", "batterydb-org-nissan"]
        assert all("share" not in i for r in stakes.values() for i in r["interests"])

    def test_a_tie_kind_reads_as_its_interest_type(self, statements):
        """BJEV is a unit of BAIC with no share given: control, not a shareholding of a size nobody states."""
        assert relationships_of(statements, "bjev")["batterydb-org-baic"]["interests"] == [
            {"type": "otherInfluenceOrControl", "directOrIndirect": "direct", "startDate": "2012-08-08"}]

    def test_an_entity_with_its_other_names_jurisdiction_type_and_source(self, statements):
        entities = {s["recordId"]: s for s in statements if s["recordType"] == "entity"}
        aesc = entities["batterydb-org-aesc"]
        assert aesc["recordDetails"] == {"isComponent": False, "entityType": {"type": "registeredEntity"},
                                         "name": "AESC",
                                         "alternateNames": ["Automotive Energy Supply Corp", "Nissan-NEC venture"]}
        assert aesc["source"]["type"] == ["thirdParty"]
        assert aesc["source"]["description"] == (
            "batterydb source carboncreditsusa_2008_12_29: Nissan-NEC joint venture for lithium-ion batteries for "
            "electric and hybrid cars, published 2008-12-29 (stored copy 002_3ee85fc0f65de0e8.txt)")
        # Electrive's report, cited by the stored page, dated to the month
        assert entities["batterydb-org-beijing_era"]["source"]["description"] == (
            "batterydb source electrive_2024_03, published 2024-03")
        assert aesc["statementDate"] == "2008-12-29"  # the source's date
        assert entities["batterydb-org-catl"]["recordDetails"]["jurisdiction"] == {"name": "China", "code": "CN"}
        assert {s["recordDetails"]["entityType"]["type"] for s in entities.values()} == {"registeredEntity",
                                                                                         "stateBody"}
        assert all(s["publicationDetails"]["bodsVersion"] == "0.4" for s in statements)

    def test_json_lines_hold_the_same_statements(self, db, statements, tmp_path):
        bods.export(db, tmp_path / "ownership.jsonl")
        lines = (tmp_path / "ownership.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == statements


@pytest.fixture(scope="module")
def bounded(tmp_path_factory) -> list[dict]:
    """The shipped seeds with a stake of every kind of bound and an identifier (tests/fixtures/bods_shares)."""
    import shutil

    from batterydb import paths

    folder = tmp_path_factory.mktemp("bods-shares")
    seeds = extend_seeds(Path(shutil.copytree(paths.seeds_dir(), folder / "seeds")), "bods_shares")
    batterydb.build(out=folder / "b.duckdb", seeds=seeds)
    with batterydb.connect(folder / "b.duckdb") as db:
        bods.export(db, folder / "b.json")
    return json.loads((folder / "b.json").read_text(encoding="utf-8"))


class TestShares:
    @pytest.mark.parametrize("stake, share, details", [
        ("101", {"exact": 43.4}, "about 43.4%, as the source gives it"),
        ("102", {"minimum": 15}, None),
        ("103", {"exclusiveMinimum": 50}, None),
        ("104", {"exclusiveMaximum": 10}, None),
        ("105", {"exclusiveMinimum": 33.333334, "maximum": 40}, None),
        ("106", {"maximum": 0.000001}, None),
    ])
    def test_each_bound_under_its_name_and_every_digit_kept(self, bounded, stake, share, details):
        statement = next(s for s in bounded if s["recordId"] == f"batterydb-stake-{stake}")
        interest = statement["recordDetails"]["interests"][0]
        assert (interest.get("share"), interest.get("details")) == (share, details)

    def test_an_identifier_under_its_schemes_code(self, bounded):
        """A test row's made-up LEI (tests/fixtures/bods_shares): BODS names the scheme by its org-id.guide code."""
        catl = next(s for s in bounded if s["recordId"] == "batterydb-org-catl")
        assert catl["recordDetails"]["identifiers"] == [
            {"id": "TESTCATL000000000000", "scheme": "XI-LEI", "schemeName": "Global Legal Entity Identifier Index"}]

    def test_the_bounded_file_passes_the_standards_tools(self, bounded, tmp_path):
        (tmp_path / "b.json").write_text(json.dumps(bounded), encoding="utf-8")
        assert review(tmp_path / "b.json") == ([], [])


class TestStableIds:
    def test_the_same_data_gives_the_same_statements_whenever_it_is_built(self, statements, seeds_copy, tmp_path):
        batterydb.build(out=tmp_path / "again.duckdb", seeds=seeds_copy)
        with batterydb.connect(tmp_path / "again.duckdb") as again:
            bods.export(again, tmp_path / "again.json")
        assert [s["statementId"] for s in json.loads((tmp_path / "again.json").read_text())] == [
            s["statementId"] for s in statements]

    def test_a_changed_stake_is_a_new_statement_of_the_same_record(self, statements, seeds_copy, tmp_path):
        stakes = seeds_copy / "ownership_stakes.csv"
        stakes.write_text(stakes.read_text().replace("2,baic,beijing_era,jv_partner,exact,39,",
                                                     "2,baic,beijing_era,jv_partner,exact,40,"))
        batterydb.build(out=tmp_path / "changed.duckdb", seeds=seeds_copy)
        with batterydb.connect(tmp_path / "changed.duckdb") as changed:
            bods.export(changed, tmp_path / "changed.json")
        before = {s["recordId"]: s["statementId"] for s in statements}
        after = {s["recordId"]: s["statementId"] for s in json.loads((tmp_path / "changed.json").read_text())}
        assert before.keys() == after.keys()
        assert sorted(r for r in before if before[r] != after[r]) == [
            "batterydb-stake-2",  # 40% now
            "batterydb-stake-undisclosed/beijing_era/2024-03-11",  # the remainder is 4%, not 5%
        ]


class TestTheCommand:
    def test_it_says_what_it_wrote(self, built_db, tmp_path, capsys):
        assert cli.main(["export", "--format", "bods", "--out", str(tmp_path / "o.json"), "--db", str(built_db),
                         "--quiet"]) == 0
        assert capsys.readouterr() == (
            f"wrote 25 entity and 8 relationship statements (BODS 0.4) to {tmp_path / 'o.json'}\n", "")

    @pytest.mark.parametrize("args, message", [
        (["--format", "bods"], "--format bods writes one file: give it with --out FILE (.json or .jsonl)"),
        (["--format", "bods", "--out", "o.json", "--dir", "d"],
         "--format bods writes the --out file only; --dir, --queries and --location are for the other formats"),
        (["--format", "csv", "--out", "o.json"],
         "--out is for --format bods; the other formats write into a folder given by --dir"),
        (["--format", "bods", "--out", "o.xml"],
         "o.xml: a BODS file is .json (an array of statements) or .jsonl (one a line)"),
        (["--format", "bods", "--out", "nowhere/o.json"], "nowhere: no such folder"),
        (["--format", "bods", "--out", "folder.json"], "folder.json: is a folder; give the file to write"),
    ])
    def test_a_mistake_is_said(self, built_db, args, message, tmp_path, monkeypatch, capsys):
        monkeypatch.chdir(tmp_path)
        (tmp_path / "folder.json").mkdir()
        assert cli.main(["export", *args, "--db", str(built_db), "--quiet"]) != 0
        assert capsys.readouterr().err == f"batterydb: {message}\n"

    def test_a_failed_export_leaves_the_previous_file_as_it_was(self, db, exported, tmp_path, monkeypatch):
        target = tmp_path / "o.json"
        target.write_text("previous\n")

        def broken(row):
            raise RuntimeError("half way")

        monkeypatch.setattr(bods, "_relationship", broken)
        with pytest.raises(RuntimeError):
            bods.export(db, target)
        assert target.read_text() == "previous\n"
        assert [p.name for p in tmp_path.iterdir()] == ["o.json"]
