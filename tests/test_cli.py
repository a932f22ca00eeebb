"""The batterydb command: every command, every output format.

Commands run in-process through ``main(argv)`` (``conftest.run_cli``), their
output caught at the file descriptors; ``batterydb shell``, which replaces
its process with the DuckDB CLI, runs as a subprocess of the console script
itself (``run_process``), which also proves the script is installed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import batterydb
from batterydb import cli, console, output

from conftest import VENV_BIN, run_cli


run = run_cli


def run_process(*args: str, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "batterydb"), *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, timeout=120, env={**os.environ, "BATTERYDB_DATABASE": "", **(env or {})})


@pytest.fixture(scope="module")
def db_args(built_db):
    return ["--db", str(built_db)]


class TestQueryCommand:
    def test_piped_output_defaults_to_csv(self, tmp_path, db_args, built_db):
        # Every digit of a DECIMAL(9,6); NULL an empty field.
        result = run("query", "owners_of", "--param", "org=beijing_era", *db_args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            "organisation,owner,tie,share_as_stated,share_min_pct,share_max_pct,reported_on,source_id",
            "Beijing Era New Energy Technology,CATL,jv_partner,51,51.000000,51.000000,2024-03-11,electrive_2024_03",
            "Beijing Era New Energy Technology,BAIC,jv_partner,39,39.000000,39.000000,2024-03-11,electrive_2024_03",
            "Beijing Era New Energy Technology,Xiaomi,jv_partner,5,5.000000,5.000000,2024-03-11,electrive_2024_03",
            "Beijing Era New Energy Technology,,undisclosed,5,5.000000,5.000000,2024-03-11,",
        ]

    @pytest.mark.parametrize("fmt, expected", [
        ("csv", ['d,tiny,big,x,n,e,l', '1151667500.0,1e-300,12345678901234567,51.123456,,"","[1, 2]"']),
        ("jsonl", ['{"d":1151667500.0,"tiny":1e-300,"big":12345678901234567,"x":51.123456,"n":null,"e":"",'
                   '"l":[1,2]}']),
        ("markdown", ["| d | tiny | big | x | n | e | l |", "| ---: | ---: | ---: | ---: | --- | --- | --- |",
                      "| 1151667500.0 | 1e-300 | 12345678901234567 | 51.123456 | NULL |  | [1, 2] |"]),
    ])
    def test_every_format_writes_the_exact_value(self, tmp_path, db_args, fmt, expected):
        sql = ("SELECT 1151667500::DOUBLE AS d, 1e-300::DOUBLE AS tiny, 12345678901234567::BIGINT AS big, "
               "51.123456::DECIMAL(9, 6) AS x, NULL::VARCHAR AS n, '' AS e, [1, 2] AS l")
        for out in (None, tmp_path / f"out.{fmt}"):  # to a pipe, and to a file
            result = run("sql", sql, "-f", fmt, *db_args, *(["-o", str(out)] if out else []), cwd=tmp_path)
            assert result.returncode == 0, result.stderr
            assert (out.read_text() if out else result.stdout).splitlines() == expected

    @pytest.mark.parametrize("mode, before", [("wb", b""), ("ab", b"kept\n")], ids=["truncate", "append"])
    def test_a_redirected_stdout_is_written_as_the_shell_opened_it(self, tmp_path, db_args, mode, before):
        target = tmp_path / "out.csv"
        target.write_bytes(before)
        with target.open(mode) as out:  # what `> out.csv` and `>> out.csv` hand the command
            subprocess.run([str(VENV_BIN / "batterydb"), "query", "targets", *db_args], stdout=out, check=True,
                           cwd=tmp_path, timeout=120)
        lines = target.read_bytes().splitlines()
        expected = before.splitlines() + [
            b"target_id,set_by,metric,scope,target,target_min,target_max,unit_code,deadline,deadline_year,source_ids"]
        assert lines[:len(expected)] == expected and len(lines) == len(expected) + 9  # the 9 targets

    def test_formulas_are_neutralised_on_request_only(self, tmp_path, db_args):
        sql = "SELECT '=HYPERLINK(1)' AS a, '-5' AS b, 'plain' AS c, -5 AS d"
        assert run("sql", sql, *db_args, cwd=tmp_path).stdout == "a,b,c,d\n=HYPERLINK(1),-5,plain,-5\n"
        assert run("sql", sql, "--neutralise-formulas", *db_args, cwd=tmp_path).stdout == \
            "a,b,c,d\n'=HYPERLINK(1),'-5,plain,-5\n"

    def test_table(self, tmp_path, db_args):
        result = run("query", "owners_of", "-p", "org=AESC", "--format", "table", *db_args, cwd=tmp_path,
                     env={"COLUMNS": "80"})
        assert result.stdout.splitlines() == [
            "Direct owners of an organisation",
            "Who owns this organisation directly, with what share, and how much of it is left undisclosed?",
            "",
            "┌──────────────┬───────────┬───┬─────────────┬─────────────────────────────┐",
            "│ organisation │   owner   │ … │ reported_on │          source_id          │",
            "│   varchar    │  varchar  │ … │    date     │           varchar           │",
            "├──────────────┼───────────┼───┼─────────────┼─────────────────────────────┤",
            "│ AESC         │ NEC       │ … │ 2008-12-29  │ carboncreditsusa_2008_12_29 │",
            "│ AESC         │ NEC Tokin │ … │ 2008-12-29  │ carboncreditsusa_2008_12_29 │",
            "│ AESC         │ Nissan    │ … │ 2008-12-29  │ carboncreditsusa_2008_12_29 │",
            "└──────────────┴───────────┴───┴─────────────┴─────────────────────────────┘",
            "  3 rows                                               8 columns (4 shown)",
        ]
        wide = run("query", "owners_of", "-p", "org=AESC", "-f", "table", "--full-width", *db_args, cwd=tmp_path,
                   env={"COLUMNS": "80"}).stdout.splitlines()
        assert wide[4].split("│")[1:-1] == [" organisation ", "   owner   ", "    tie     ", " share_as_stated ",
                                             " share_min_pct ", " share_max_pct ", " reported_on ",
                                             "          source_id          "]
        assert wide[7].split("│")[4:7] == [" unknown         ", "          NULL ", "          NULL "]

    def test_json_and_jsonl(self, tmp_path, db_args):
        as_json = json.loads(run("query", "owners_of", "-p", "org=beijing_era", "-f", "json", *db_args,
                                 cwd=tmp_path).stdout)
        lines = run("query", "owners_of", "-p", "org=beijing_era", "-f", "jsonl", *db_args,
                    cwd=tmp_path).stdout.splitlines()
        assert [json.loads(line) for line in lines] == as_json
        assert as_json[0] == {"organisation": "Beijing Era New Energy Technology", "owner": "CATL",
                              "tie": "jv_partner", "share_as_stated": "51", "share_min_pct": 51.0,
                              "share_max_pct": 51.0, "reported_on": "2024-03-11", "source_id": "electrive_2024_03"}

    def test_markdown(self, tmp_path, db_args):
        out = run("query", "joint_venture_owners", "-f", "markdown", *db_args, cwd=tmp_path).stdout.splitlines()
        assert out[:3] == [
            "| joint_venture | owner | tie | share_as_stated | share_min_pct | share_max_pct | reported_on "
            "| reported_precision | source_id |",
            "| --- | --- | --- | --- | ---: | ---: | --- | --- | --- |",
            "| AESC | NEC | jv_partner | unknown | NULL | NULL | 2008-12-29 | day | carboncreditsusa_2008_12_29 |",
        ]

    def test_parquet_and_csv_to_a_file(self, tmp_path, db_args):
        result = run("query", "targets", "-f", "parquet", "-o", "targets.parquet", *db_args, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (0, "")
        table = pq.read_table(tmp_path / "targets.parquet")
        assert table.num_rows == 9 and table.column_names[:2] == ["target_id", "set_by"]
        run("query", "targets", "-o", "targets.csv", *db_args, cwd=tmp_path)
        assert (tmp_path / "targets.csv").read_text().splitlines()[0] == (
            "target_id,set_by,metric,scope,target,target_min,target_max,unit_code,deadline,deadline_year,source_ids")

    def test_parquet_goes_to_a_pipe_but_not_to_a_terminal(self, tmp_path, db_args, built_db):
        result = subprocess.run([str(VENV_BIN / "batterydb"), "query", "targets", "-f", "parquet", *db_args],
                                cwd=tmp_path, capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert pq.read_table(io.BytesIO(result.stdout)).num_rows == 9

        class Terminal(io.StringIO):
            def isatty(self):
                return True

        with pytest.raises(batterydb.BatterydbError, match="^--format parquet writes binary data: give it a file "
                                                           "with --output FILE, or pipe it into another program$"):
            with batterydb.connect(built_db) as db:
                output.write(db.run("targets"), "parquet", stream=Terminal())

    @pytest.mark.parametrize("args, message", [
        (["query", "owner_of"], "batterydb: no query named 'owner_of'; did you mean owners_of?\n"),
        (["query", "owners_of"], "batterydb: query owners_of needs org (ORGANISATION: Organisation id, name or alias, "
                                 "in any case, with or without accents.)\n"),
        (["query", "owners_of", "-p", "org"], "batterydb: --param 'org': expected NAME=VALUE, e.g. --param org=CATL\n"),
        (["query", "owners_of", "-p", "org=CATL", "-p", "org=BAIC"],
         "batterydb: --param org is given twice; give each parameter once (a list parameter takes "
         "comma-separated values)\n"),
        (["query", "partner_network", "-p", "org=CATL", "-p", "depth=0"],
         "batterydb: parameter depth of query partner_network must be at least 1; got '0'\n"),
        (["sql", "SELEC 1"], 'batterydb: Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC 1\n        ^^^^^\n'),
    ], ids=["unknown-query", "missing-param", "bad-param", "twice", "out-of-range", "bad-sql"])
    def test_mistakes_exit_2_with_a_message(self, tmp_path, db_args, args, message):
        result = run(*args, *db_args, cwd=tmp_path)
        assert (result.returncode, result.stderr, result.stdout) == (2, message, "")


class TestSeveralQueriesAndSources:
    def test_sources_follow_the_answer(self, built_db, capsys):
        assert cli.main(["query", "owners_of", "-p", "org=beijing_era", "--format", "csv", "--sources",
                         "--db", str(built_db)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 6 and lines[-1] == "sources: electrive_2024_03 (Electrive, 2024-03)"

    def test_several_queries_print_one_after_the_other(self, built_db, capsys):
        assert cli.main(["query", "targets", "owners_of", "-p", "org=nissan", "--format", "markdown",
                         "--db", str(built_db)]) == 0
        out = capsys.readouterr().out
        assert out.count("| target_id |") == 1 and out.count("| organisation |") == 1
        assert "\n\n| organisation |" in out  # a blank line between the two

    def test_a_parameter_none_of_several_queries_has_is_refused(self, built_db, capsys):
        assert cli.main(["query", "targets", "agreements", "-p", "orgg=nissan", "--format", "table",
                         "--db", str(built_db)]) == 2
        assert capsys.readouterr().err == "batterydb: query: none of targets, agreements has a parameter 'orgg'\n"

    @pytest.mark.parametrize("extra, message", [
        (["--format", "csv"], "give one name for --format csv"),
        (["--format", "table", "-o", "x.txt"], "give one name for --format table or --output"),
    ])
    def test_several_queries_need_a_format_a_person_reads(self, built_db, capsys, extra, message):
        assert cli.main(["query", "targets", "agreements", *extra, "--db", str(built_db)]) == 2
        assert capsys.readouterr().err == ("batterydb: query: several queries print one after the other as a "
                                           f"table or markdown on stdout; {message}\n")


class TestOtherCommands:
    def test_queries_lists_names_parameters_and_questions(self, tmp_path, db_args):
        out = run("queries", *db_args, cwd=tmp_path).stdout.splitlines()
        assert "owners_of org=<ORGANISATION>" in out
        assert "    Direct owners of an organisation: Who owns this organisation directly, with what share, and how " \
               "much of it is left undisclosed?" in out
        listed = json.loads(run("queries", "--format", "json", *db_args, cwd=tmp_path).stdout)
        assert [q["name"] for q in listed] == sorted(batterydb.catalogue.load())
        assert listed[[q["name"] for q in listed].index("owners_of")]["params"][0]["required"] is True

    def test_show_prints_question_parameters_and_sql(self, tmp_path, db_args):
        out = run("show", "owners_of", *db_args, cwd=tmp_path).stdout
        assert out.startswith("owners_of: Direct owners of an organisation\n\nWho owns this organisation directly")
        assert ("\nparameters:\n  org ORGANISATION (required, text naming one organisation by id, name or alias): "
                "Organisation id, name or alias, in any case, with or without accents.\n\ncolumns:\n"
                "  organisation VARCHAR: The organisation asked about.\n") in out
        assert "\n  share_min_pct DECIMAL(9,6): The least the share can be, in percent;" in out
        assert "WITH target AS (" in out

    def test_sql_with_each_text_format(self, tmp_path, db_args):
        sql = "SELECT org_id, name FROM organisations WHERE country_code = 'FR'"
        assert run("sql", sql, *db_args, cwd=tmp_path).stdout == "org_id,name\nrenault,Renault\n"
        assert json.loads(run("sql", sql, "-f", "json", *db_args, cwd=tmp_path).stdout) == [
            {"org_id": "renault", "name": "Renault"}]

    def test_shell_answers_like_the_library(self, tmp_path, db_args):
        result = run_process("shell", *db_args, cwd=tmp_path,
                     stdin=".mode csv\nSELECT owner, share_as_stated FROM analytics.owners_of('beijing_era');\n")
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["owner,share_as_stated", "CATL,51", "BAIC,39", "Xiaomi,5", "NULL,5"]

    def test_shell_safe_mode_refuses_the_host(self, tmp_path, db_args):
        result = run_process("shell", "--safe", *db_args, cwd=tmp_path,
                     stdin="SELECT count(*) FROM organisations;\nSELECT * FROM read_csv('/etc/passwd');\n"
                           ".shell cat /etc/passwd\n")
        assert "25" in result.stdout and "root:" not in result.stdout
        assert 'Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled' \
            in result.stderr

    def test_shell_safe_mode_caps_the_memory_of_the_process(self, tmp_path, db_args):
        result = run_process("shell", "--safe", *db_args, cwd=tmp_path,
                     stdin="SELECT length(repeat('x', 3000000000));\n")
        assert result.returncode == 1
        assert result.stderr.startswith("Out of Memory Error: Failed to allocate block of 4294967296 bytes")

    def test_shell_safe_never_builds(self, tmp_path):
        result = run("shell", "--safe", cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            2, "batterydb: build/batterydb.duckdb: no database file here; build one with: "
               "batterydb build --out build/batterydb.duckdb\n")
        assert list(tmp_path.iterdir()) == []

    def test_shell_without_the_duckdb_cli_says_how_to_install_it(self, monkeypatch, capsys, built_db):
        monkeypatch.setattr(console, "duckdb_binary", lambda: None)
        assert cli.main(["shell", "--db", str(built_db)]) == 2
        assert capsys.readouterr().err == (
            "batterydb: the DuckDB command-line client is not installed; install it with: "
            "pip install 'batterydb[cli]' (or pip install duckdb-cli)\n")


class TestNoTracebacks:
    """Every user mistake and every interrupt ends in one line on stderr and a documented exit status."""

    @pytest.mark.parametrize("args, message", [
        (["query", "targets", "-f", "csv", "-o", "{tmp}/missing/x.csv"],
         "{tmp}/missing/x.csv: cannot write here: there is no folder {tmp}/missing"),
        (["query", "targets", "-f", "parquet", "-o", "{tmp}/a-file/x.parquet"],
         "{tmp}/a-file/x.parquet: cannot write here: there is no folder {tmp}/a-file"),
        (["query", "targets", "-f", "table", "-o", "{tmp}"], "{tmp}: cannot write here: it is a folder"),
        (["export", "--dir", "{tmp}/a-file"], "{tmp}/a-file: cannot export into this folder: it is a file, not a folder"),
        (["build", "--out", "{tmp}"], "{tmp}: is a folder; the build writes a database file (give a file name)"),
        (["build", "--out", "{tmp}/a-file/db.duckdb"],
         "{tmp}/a-file/db.duckdb: cannot create the folder {tmp}/a-file: File exists"),
        (["sql", "SELECT 1", "--db", "{tmp}/typo.duckdb"],
         "{tmp}/typo.duckdb: no database file here; build one with: batterydb build --out {tmp}/typo.duckdb"),
    ], ids=["output-in-missing-folder", "output-below-a-file", "output-is-a-folder", "export-into-a-file", "build-over-a-folder",
            "build-below-a-file", "mistyped-db"])
    def test_a_mistake_is_one_line_and_exit_2(self, tmp_path, built_db, capsys, args, message):
        (tmp_path / "a-file").write_text("not a folder")
        argv = [a.format(tmp=tmp_path) for a in args]
        if argv[0] in ("query", "export"):
            argv += ["--db", str(built_db)]
        assert cli.main(argv) == 2
        assert capsys.readouterr() == ("", f"batterydb: {message.format(tmp=tmp_path)}\n")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]

    def test_ctrl_c_during_a_build_exits_130_and_leaves_nothing(self, tmp_path, capsys, monkeypatch):
        from batterydb import validate

        def interrupted(*args):
            raise KeyboardInterrupt

        monkeypatch.setattr(validate, "stage_and_check", interrupted)
        assert cli.main(["build", "--out", str(tmp_path / "db.duckdb")]) == cli.INTERRUPTED == 130
        assert capsys.readouterr() == ("", "batterydb: interrupted\n")
        assert list(tmp_path.iterdir()) == []


class TestTraps:
    @pytest.mark.parametrize("argv, message", [
        (["qeury", "targets"], "unknown command 'qeury'; did you mean query? (commands: build, check, lint, queries, "
                               "show, query, sql, export, publish, transpile, docs, generate, shell)"),
        (["query", "owners_of", "org=AESC"],
         "'org=AESC': parameters are given with --param, e.g. batterydb query owners_of --param org=AESC"),
    ], ids=["misspelt-command", "parameter-without-param"])
    def test_a_common_mistake_says_what_was_meant(self, capsys, argv, message):
        assert cli.main(argv) == 2
        assert capsys.readouterr() == ("", f"batterydb: {message}\n")

    def test_an_option_value_with_an_equals_sign_is_not_a_parameter(self, tmp_path, built_db, monkeypatch):
        monkeypatch.chdir(tmp_path)
        assert cli.main(["query", "targets", "-o", "a=b.csv", "--db", str(built_db)]) == 0
        assert (tmp_path / "a=b.csv").read_text().startswith("target_id,")

    def test_dash_capital_v_prints_the_version(self, capsys):
        with pytest.raises(SystemExit) as exit_:
            cli.main(["-V"])
        assert exit_.value.code == 0 and capsys.readouterr().out == f"batterydb {batterydb.__version__}\n"


def _subcommands(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def test_every_command_and_option_has_help_with_an_example():
    parser = cli._parser()
    assert "example" in parser.epilog
    commands = dict(_subcommands(parser))
    assert set(commands) == set(cli.COMMANDS)
    for name, sub in commands.items():
        assert sub.description and "example" in (sub.epilog or ""), name
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_help_runs_for_every_command(tmp_path, command):
    result = run(command, "--help", cwd=tmp_path)
    assert result.returncode == 0 and "example" in result.stdout


class TestCompletion:
    """Shell completion, as the shell asks for it (argcomplete's protocol), through the console script."""

    @pytest.mark.parametrize("line, offered", [
        ("batterydb que", ["queries", "query"]),
        ("batterydb query owners_o", ["owners_of "]),
        ("batterydb show targets_v", ["targets_vs_reported "]),
        ("batterydb query owners_of --for", ["--format "]),
    ])
    def test_commands_options_and_query_names_complete(self, tmp_path, line, offered):
        answer = tmp_path / "completions"
        result = run_process(cwd=tmp_path, env={"_ARGCOMPLETE": "1", "COMP_LINE": line, "COMP_POINT": str(len(line)),
                                                "_ARGCOMPLETE_STDOUT_FILENAME": str(answer)})
        assert result.returncode == 0, result.stderr
        assert answer.read_text().split("\v") == offered

    def test_a_start_that_is_no_completion_does_not_import_argcomplete(self, tmp_path, built_db):
        code = (f"import sys; from batterydb.cli import main; main(['queries', '--db', {str(built_db)!r}]); "
                "print('argcomplete' in sys.modules, file=sys.stderr)")
        result = subprocess.run([str(VENV_BIN / "python"), "-c", code], capture_output=True, text=True, timeout=120)
        assert result.stderr.splitlines()[-1] == "False"
