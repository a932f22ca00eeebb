"""Long work tells its stages on stderr as it goes; many warnings of one rule are one line.

The command line is run in-process, as a user runs it: stages on stderr,
only the result on stdout, paths relative to the current directory. The
clock of ``progress`` is held still unless a test moves it, so that a busy
machine cannot make a quick stage slow (and give it counter lines).
"""

from __future__ import annotations

import csv
import io
import logging
import sys
from pathlib import Path

import pytest

import batterydb
from batterydb import catalogue, cli, paths, progress
from batterydb.publish import Published
from batterydb.validate import _bytes

from test_validation import SHIPPED_WARNINGS

SEEDS = paths.seeds_dir()
QUERIES = len(catalogue.load())
TABLES = len(list(SEEDS.glob("*.csv")))


def _records(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for row in csv.reader(f) if row) - 1


ROWS = f"{sum(_records(p) for p in SEEDS.glob('*.csv')):,}"  # 691 as shipped


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    monkeypatch.setattr(progress, "_clock", lambda: 0.0)


def shipped_size() -> str:
    return _bytes(sum(p.stat().st_size for p in SEEDS.glob("*.csv")))


def build_stages() -> list[str]:
    return [f"batterydb: reading {TABLES} seed files ({shipped_size()})",
            f"batterydb: checking {ROWS} rows: types, keys, references, CHECK rules and seed rules",
            f"batterydb: loading {TABLES} tables ({ROWS} rows)",
            f"batterydb: installing {QUERIES} named queries"]


SHIPPED = ["seeds/" + w for w in SHIPPED_WARNINGS] + ["0 errors, 6 warnings"]


class TestBuild:
    def test_stages_go_to_stderr_and_stdout_keeps_only_the_result(self, tmp_path, monkeypatch, capsys):
        monkeypatch.chdir(SEEDS.parent)
        assert cli.main(["build", "--out", str(tmp_path / "db.duckdb")]) == 0
        out, err = capsys.readouterr()
        assert err.splitlines() == build_stages() + SHIPPED
        assert out == f"built {tmp_path / 'db.duckdb'} ({TABLES} tables, {ROWS.replace(',', '')} rows)\n"

    def test_quiet_tells_no_stage_but_still_the_warnings(self, tmp_path, monkeypatch, capsys):
        monkeypatch.chdir(SEEDS.parent)
        assert cli.main(["build", "--out", str(tmp_path / "db.duckdb"), "--quiet"]) == 0
        out, err = capsys.readouterr()
        assert err.splitlines() == SHIPPED
        assert out == f"built {tmp_path / 'db.duckdb'} ({TABLES} tables, {ROWS.replace(',', '')} rows)\n"

    def test_quiet_still_tells_the_errors(self, seeds_copy, monkeypatch, capsys):
        monkeypatch.chdir(seeds_copy.parent)
        (seeds_copy / "units.csv").write_text("unit_code,name\n")
        assert cli.main(["build", "--seeds", "seeds", "--out", "db.duckdb", "-q"]) == 2
        assert capsys.readouterr() == ("", "\n".join(SHIPPED[:-1] + [
            "seeds/units.csv:1: error: header does not match table units: missing column 'dimension'; missing "
            "column 'description'; expected unit_code,name,dimension,description",
            "1 error, 6 warnings"]) + "\n")

    def test_a_slow_stage_gives_at_most_three_counter_lines(self, tmp_path, monkeypatch, capsys):
        """Past a second, a counter tells a quarter, a half and three quarters of the way, then the next stage."""
        ticks = iter(range(10_000))
        monkeypatch.setattr(progress, "_clock", lambda: 10.0 * next(ticks))  # ten seconds between two looks
        monkeypatch.chdir(SEEDS.parent)
        assert cli.main(["build", "--out", str(tmp_path / "db.duckdb")]) == 0
        reading, checking, loading, installing = build_stages()
        assert capsys.readouterr().err.splitlines() == [
            reading,
            # 42 files: the quarters fall at 10.5, 21 and 31.5, so the files that cross them are 11, 21 and 32
            f"batterydb: reading seed files 11/{TABLES}",
            f"batterydb: reading seed files 21/{TABLES}",
            f"batterydb: reading seed files 32/{TABLES}",
            checking,
            "batterydb: checking 2/5",
            "batterydb: checking 3/5",
            "batterydb: checking 4/5",
            loading,
            f"batterydb: loading tables 11/{TABLES}",
            f"batterydb: loading tables 21/{TABLES}",
            f"batterydb: loading tables 32/{TABLES}",
            f"batterydb: adding keys 11/{TABLES}",
            f"batterydb: adding keys 21/{TABLES}",
            f"batterydb: adding keys 32/{TABLES}",
            installing,
        ] + SHIPPED

    def test_at_a_terminal_the_counter_is_redrawn_in_place_and_erased(self, tmp_path, monkeypatch):
        class Terminal(io.StringIO):
            def isatty(self):
                return True

        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        monkeypatch.chdir(SEEDS.parent)
        assert cli.main(["check"]) == 0
        text = terminal.getvalue()
        redraws = [f"\r\x1b[Kbatterydb: reading seed files {n}/{TABLES}" for n in range(1, TABLES)]
        assert "".join(redraws) + "\r\x1b[K" in text
        assert "\r\x1b[Kbatterydb: checking 3/5" in text
        # Once each counter has erased itself, the screen shows the stages and the warnings.
        assert [line.rsplit("\r\x1b[K", 1)[-1] for line in text.split("\n")] == build_stages()[:2] + SHIPPED + [""]

    def test_the_library_tells_its_stages_to_the_logger_only(self, tmp_path, capfd):
        records = []
        handler = logging.Handler(logging.DEBUG)
        handler.emit = records.append
        log = logging.getLogger("batterydb")
        batterydb.check()  # nobody listens: nothing is printed
        assert capfd.readouterr() == ("", "")
        level = log.level
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        try:
            batterydb.build(out=tmp_path / "told.duckdb")
        finally:
            log.removeHandler(handler)
            log.setLevel(level)
        assert [(r.levelname, r.getMessage()) for r in records] == [
            ("INFO", line.removeprefix("batterydb: ")) for line in build_stages()]
        assert capfd.readouterr() == ("", "")


class TestOtherCommands:
    def test_check_tells_reading_and_checking(self, monkeypatch, capsys):
        monkeypatch.chdir(SEEDS.parent)
        assert cli.main(["check"]) == 0
        assert capsys.readouterr() == ("", "\n".join(build_stages()[:2] + SHIPPED) + "\n")
        assert cli.main(["check", "-q"]) == 0
        assert capsys.readouterr() == ("", "\n".join(SHIPPED) + "\n")

    def test_generate(self, tmp_path, capsys):
        assert cli.main(["generate", "--scale", "0.1", "--out", str(tmp_path / "g"), "--seed", "1"]) == 0
        out, err = capsys.readouterr()
        assert err.splitlines() == [
            "batterydb: generating 42 seed files for 100 organisations (scale 0.1, seed 1)",
            "batterydb: generating people, documents, facilities, targets, reported figures, investments "
            "and agreements"]
        assert out.startswith("wrote 42 seed files (")
        assert cli.main(["generate", "--scale", "0.1", "--out", str(tmp_path / "g"), "--seed", "1", "-q"]) == 0
        assert capsys.readouterr().err == ""

    def test_export(self, built_db, tmp_path, monkeypatch, capsys):
        monkeypatch.chdir(tmp_path)
        parameterless = sum(not q.required for q in catalogue.load().values())
        assert cli.main(["export", "--dir", "out", "--queries", "--db", str(built_db)]) == 0
        assert capsys.readouterr() == (
            f"wrote 42 tables ({ROWS.replace(',', '')} rows) and {parameterless} query results to out\n",
            f"batterydb: writing 42 tables ({ROWS} rows) as parquet files\n"
            f"batterydb: writing the results of {parameterless} queries that need no parameter\n")
        assert cli.main(["export", "--dir", "out", "--db", str(built_db), "--quiet"]) == 0
        assert capsys.readouterr() == (f"wrote 42 tables ({ROWS.replace(',', '')} rows) to out\n", "")

    @pytest.mark.parametrize("quiet", [[], ["-q"]], ids=["told", "quiet"])
    def test_publish_stages_and_quiet(self, built_db, monkeypatch, capsys, quiet):
        """The real stages are asserted in test_postgres; here, only that --quiet keeps them back."""
        from batterydb import publish

        def publish_postgres(db, dsn, target, reader, password):
            progress.stage("connecting to PostgreSQL")
            return Published(target, target + "_analytics", {"people": 4}, ["agreements"], [],
                             temporary_revoked=True)

        monkeypatch.setattr(publish, "publish_postgres", publish_postgres)
        assert cli.main(["publish", "postgres", "--dsn", "host=nowhere", "--db", str(built_db), *quiet]) == 0
        out, err = capsys.readouterr()
        assert out.startswith("published 1 tables (4 rows) to schema batterydb")
        assert err == ("" if quiet else "batterydb: connecting to PostgreSQL\n")

    def test_commands_that_answer_tell_no_stage(self, built_db, capsys):
        assert cli.main(["sql", "SELECT 1 AS one", "--db", str(built_db)]) == 0
        assert capsys.readouterr() == ("one\n1\n", "")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict[str, int], list[str]]:
    """Seeds generated at scale 10 (seed 0): 10,000 organisations, 3,735 warnings on purpose, listed as
    they are seen from the folder above."""
    folder = tmp_path_factory.mktemp("scale10") / "s10"
    counts = batterydb.generate(folder, scale=10, seed=0)
    listed = [str(p).removeprefix(f"{folder.parent}/") for p in batterydb.check(folder)]
    return folder, counts, listed


SUMMARY = [
    "s10/facilities.csv: warning: 108 facilities have no capacity figure (rule facility_without_capacity), "
    "e.g. lines 2, 12, 43; --all-problems lists them all",
    "s10/ownership_stakes.csv: warning: 3,561 times the known stakes in an organisation on one date add up to "
    "less than 100% (rule stakes_below_100), e.g. lines 3, 4, 6; --all-problems lists them all",
    "s10/ownership_stakes.csv: warning: 66 stakes close an ownership cycle (rule ownership_cycle), "
    "e.g. lines 835, 1011, 2348; --all-problems lists them all",
    "0 errors, 3,735 warnings",
]


class TestWarningSummary:
    def test_one_line_per_rule_with_its_count_and_first_lines(self, generated, monkeypatch, capsys):
        folder, counts, _ = generated
        monkeypatch.chdir(folder.parent)
        assert cli.main(["check", "--seeds", str(folder)]) == 0
        size = _bytes(sum(p.stat().st_size for p in folder.glob("*.csv")))
        assert capsys.readouterr() == ("", "\n".join([
            f"batterydb: reading 42 seed files ({size})",
            f"batterydb: checking {sum(counts.values()):,} rows: types, keys, references, CHECK rules and seed rules",
        ] + SUMMARY) + "\n")

    def test_strict_still_exits_1(self, generated, monkeypatch, capsys):
        folder, _, listed = generated
        monkeypatch.chdir(folder.parent)
        assert cli.main(["check", "--seeds", "s10", "--strict", "-q"]) == 1
        assert capsys.readouterr() == ("", "\n".join(SUMMARY) + "\n")

    def test_all_problems_lists_every_one(self, generated, monkeypatch, capsys):
        folder, _, listed = generated
        monkeypatch.chdir(folder.parent)
        assert cli.main(["check", "--seeds", "s10", "--all-problems", "-q"]) == 0
        lines = capsys.readouterr().err.splitlines()
        assert lines == listed + ["0 errors, 3,735 warnings"] and len(listed) == 3735
        assert lines[:3] == [
            "s10/facilities.csv:2:facility_id: warning: facility 'fac_000001' has no capacity figure "
            "(add one to capacities.csv if a source gives it)",
            "s10/facilities.csv:12:facility_id: warning: facility 'fac_000011' has no capacity figure "
            "(add one to capacities.csv if a source gives it)",
            "s10/facilities.csv:43:facility_id: warning: facility 'fac_000042' has no capacity figure "
            "(add one to capacities.csv if a source gives it)",
        ]
        assert sum("(rule stakes_below_100)" in line for line in lines) == 0
        assert sum(": warning: ownership cycle: " in line for line in lines) == 66

    def test_problems_file_gets_them_all_and_stderr_the_summary(self, generated, tmp_path, monkeypatch, capsys):
        folder, _, listed = generated
        monkeypatch.chdir(folder.parent)
        listing = tmp_path / "problems.txt"
        assert cli.main(["check", "--seeds", "s10", "--problems-file", str(listing), "-q"]) == 0
        err = capsys.readouterr().err
        assert err == "\n".join(line.replace("--all-problems lists", f"{listing} lists") for line in SUMMARY) + "\n"
        assert listing.read_text(encoding="utf-8") == "\n".join(listed + ["0 errors, 3,735 warnings"]) + "\n"

    def test_a_problems_file_that_cannot_be_written_fails_first(self, tmp_path, capsys):
        assert cli.main(["check", "--problems-file", str(tmp_path / "no" / "p.txt")]) == 2
        assert capsys.readouterr() == ("", f"batterydb: {tmp_path}/no/p.txt: cannot write here: "
                                           f"there is no folder {tmp_path}/no\n")

    def test_paths_are_absolute_when_the_seeds_are_not_below_the_current_directory(self, generated, tmp_path,
                                                                                  monkeypatch, capsys):
        folder, _, listed = generated
        monkeypatch.chdir(tmp_path)
        assert cli.main(["check", "--seeds", str(folder), "-q"]) == 0
        assert capsys.readouterr().err.splitlines()[0] == SUMMARY[0].replace("s10/", f"{folder}/", 1)


class TestShippedPaths:
    def test_relative_below_the_current_directory(self, monkeypatch, capsys):
        monkeypatch.chdir(SEEDS.parent)
        assert cli.main(["check", "-q"]) == 0
        assert capsys.readouterr().err.splitlines() == SHIPPED
        monkeypatch.chdir(SEEDS)
        assert cli.main(["check", "-q"]) == 0
        assert capsys.readouterr().err.splitlines() == SHIPPED_WARNINGS + ["0 errors, 6 warnings"]

    def test_through_a_symbolic_link_too(self, tmp_path, monkeypatch, capsys):
        (tmp_path / "link").symlink_to(SEEDS.parent, target_is_directory=True)
        monkeypatch.chdir(tmp_path)
        assert cli.main(["check", "--seeds", str(tmp_path / "link" / "seeds"), "-q"]) == 0
        assert capsys.readouterr().err.splitlines() == ["link/" + line for line in SHIPPED[:-1]] + SHIPPED[-1:]

    def test_absolute_elsewhere(self, tmp_path, monkeypatch, capsys):
        monkeypatch.chdir(tmp_path)
        assert cli.main(["check", "-q"]) == 0
        assert capsys.readouterr().err.splitlines() == [f"{SEEDS}/{w}" for w in SHIPPED_WARNINGS] + SHIPPED[-1:]


class TestErrorSummary:
    def test_the_first_five_errors_of_a_rule_then_a_count(self, seeds_copy, monkeypatch, capsys):
        for k in range(8):
            with (seeds_copy / "people.csv").open("a", encoding="utf-8") as f:
                f.write(f"someone_{k},Someone {k},nowhere_{k}\n")
        monkeypatch.chdir(seeds_copy.parent)
        assert cli.main(["check", "--seeds", "seeds", "-q"]) == 2
        errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
        assert errors == [
            f"seeds/people.csv:{6 + k}:source_id: error: unknown source_id 'nowhere_{k}': no row of sources.csv "
            f"has it as its source_id" for k in range(5)
        ] + [
            "seeds/people.csv: error: 3 more like these (rule foreign_key, column source_id), e.g. lines 11, 12, 13; "
            "--all-problems lists them all",
            "8 errors, 6 warnings",
        ]
        assert cli.main(["check", "--seeds", "seeds", "-q", "--all-problems"]) == 2
        assert len([line for line in capsys.readouterr().err.splitlines() if ": error: " in line]) == 8


@pytest.mark.parametrize("size, shown", [(0, "0 bytes"), (1, "1 byte"), (812, "812 bytes"), (38_123, "38 KB"),
                                         (6_932_949, "6.9 MB"), (70_400_000, "70 MB"), (3_400_000_000, "3.4 GB"),
                                         (12_000_000_000_000, "12,000 GB")])
def test_sizes_read_as_a_person_reads_them(size, shown):
    assert _bytes(size) == shown


def test_a_counter_of_many_steps_tells_a_hundred_at_most(monkeypatch):
    told = []
    monkeypatch.setattr(progress.log, "log", lambda level, msg, *args, **kw: told.append((level, kw["extra"])))
    counter = progress.Counter("rows", 1_000_000)
    for _ in range(1_000_000):
        counter.add()
    counter.add()  # past the end: nothing more
    assert len(told) == 100 and told[-1] == (logging.DEBUG, {"progress": (1_000_000, 1_000_000)})
    assert [extra["progress"][0] for _, extra in told[:3]] == [10_000, 20_000, 30_000]


def test_problems_no_rule_names_are_grouped_by_their_message_without_its_values():
    from batterydb.errors import Problem
    from batterydb.validate import report

    missing = [Problem(f"x/{k}.csv", None, None, "seed file missing") for k in range(2)]
    odd = [Problem("x/a.csv", 2 + k, "n", f"'{k}' is odd, found {k * 7}", "warning") for k in range(7)]
    new = [Problem("x/b.csv", 2 + k, "m", f"value {k} is new", "warning", rule="novelty") for k in range(6)]
    assert report(missing + odd + new, full_list="see all.txt") == [
        "x/0.csv: error: seed file missing",
        "x/1.csv: error: seed file missing",
        "x/a.csv: warning: 7 warnings like this one: '0' is odd, found 0 (column n), e.g. lines 2, 3, 4; "
        "see all.txt",
        "x/b.csv: warning: 6 warnings like this one: value 0 is new (rule novelty, column m), e.g. lines 2, 3, 4; "
        "see all.txt",
        "2 errors, 13 warnings",
    ]
    assert report(odd[:5]) == [str(p) for p in odd[:5]] + ["0 errors, 5 warnings"]  # five are listed
