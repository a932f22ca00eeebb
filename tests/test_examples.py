"""Every example a user is shown answers with rows on the shipped data.

An example that prints an empty table teaches nothing and looks like a bug:
the examples of ``batterydb show`` (each query's ``-- example:`` line), of
``--help`` and of the README are collected from where the user reads them
and run here. An example the README shows failing on purpose (the next line
is the ``batterydb:`` message) is left out.
"""

from __future__ import annotations

import ast
import re
import shlex

import pytest

import batterydb
from batterydb import cli
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(lines: list[str]) -> list[str]:
    """``batterydb query``/``sql`` commands in these lines, without a prompt, a path or a trailing comment."""
    found = []
    for i, line in enumerate(lines):
        m = re.match(r"^\s*(?:\$ )?(?:\.venv/bin/)?(batterydb (?:query|sql) .*?)\s*(?:#.*)?$", line)
        failing = i + 1 < len(lines) and lines[i + 1].startswith("batterydb: ")
        if m and not failing:
            found.append(m[1])
    return found


def _help_texts() -> list[str]:
    parser = cli._parser()
    texts = [parser.epilog or ""]
    texts += [command.epilog for command in cli.COMMANDS.values()]
    return texts


HELP = sorted({c for text in _help_texts() for c in _commands(text.splitlines())})
README_COMMANDS = _commands(README.splitlines())
README_SQL = re.findall(r"^(SELECT [^;\n]*\banalytics\.[^;\n]*);$", README, flags=re.M)
README_CALLS = re.findall(r"db\.run\((\"\w+\"[^)\n]*)\)", README)
CATALOGUE = batterydb.catalogue.load()


def _rows_from_command(command: str, built_db, capsys, tmp_path) -> list[str]:
    """The CSV lines the command prints, whatever format and output the example asks for
    (markdown for several queries, which print one after the other)."""
    words, kept = shlex.split(command)[1:], []
    skip = False
    for word in words:  # the example's own format and output file are replaced by CSV on stdout
        if skip:
            skip = False
        elif word in ("--format", "-f", "--output", "-o"):
            skip = True
        elif word != "--full-width":
            kept.append(word)
    several = kept[0] == "query" and len([w for w in kept[1:] if w in CATALOGUE]) > 1
    assert cli.main(kept + ["--db", str(built_db), "--format", "markdown" if several else "csv"]) == 0
    return capsys.readouterr().out.splitlines()


def test_the_examples_are_found():
    assert len(HELP) >= 4 and len(README_COMMANDS) >= 8 and len(README_SQL) >= 3 and README_CALLS


@pytest.mark.parametrize("command", HELP + README_COMMANDS)
def test_each_command_shown_answers_with_rows(command, built_db, capsys, tmp_path):
    lines = _rows_from_command(command, built_db, capsys, tmp_path)
    assert len(lines) > 1, f"{command} answers with no rows"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_each_query_s_own_example_answers_with_rows(name, built_db, capsys, tmp_path):
    command = CATALOGUE[name].example_command()
    lines = _rows_from_command(command, built_db, capsys, tmp_path)
    assert len(lines) > 1, f"{command} answers with no rows"


def test_show_prints_the_example_as_a_command(built_db, capsys):
    assert cli.main(["show", "owners_of", "--db", str(built_db)]) == 0
    assert "\nexample: batterydb query owners_of --param org=beijing_era\n" in capsys.readouterr().out


@pytest.mark.parametrize("sql", README_SQL)
def test_each_console_query_in_the_readme_answers_with_rows(db, sql):
    assert len(db.sql(sql)) > 0, sql


@pytest.mark.parametrize("call", README_CALLS)
def test_each_python_call_in_the_readme_answers_with_rows(db, call):
    tree = ast.parse(f"f({call})", mode="eval").body
    name = ast.literal_eval(tree.args[0])
    values = {k.arg: ast.literal_eval(k.value) for k in tree.keywords}
    assert len(db.run(name, **values)) > 0, call


TOUR = re.findall(r"```\n\$ (batterydb .*?)\n(.*?)```",
                  README.split("### A short tour")[1].split("## Connecting a BI tool")[0], flags=re.S)


def test_the_tour_is_found():
    assert len(TOUR) == 5


@pytest.mark.parametrize("command, shown", TOUR, ids=[c.split()[2] for c, _ in TOUR])
def test_the_readme_tour_shows_what_the_command_prints(command, shown, built_db, capsys):
    assert cli.main(shlex.split(command)[1:] + ["--db", str(built_db)]) == 0
    assert capsys.readouterr().out == shown


def test_every_path_the_contributors_map_names_exists():
    """CONTRIBUTING.md says which files each common change touches; a file that moved must move there too."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:schema|seeds|queries|src|tests|benchmarks)/[^`<>\s]+)`", text))
    assert len(named) > 20
    assert sorted(p for p in named if not any(REPO.glob(p))) == []  # a pattern names at least one file
