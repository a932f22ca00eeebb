"""Reading query files: the header format, parameters, and name lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from batterydb import QueryError, catalogue
from batterydb.catalogue import Param

FIXTURES = Path(__file__).parent / "fixtures"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.sql"
    path.write_text(text)
    return path


def test_header_with_every_kind_of_line(tmp_path):
    path = write(tmp_path, "example", """\
-- title: An example
-- question: Does the header parser read a question
--   that continues on a second line?
-- param org VARCHAR (required): Organisation id or name.
-- param year INTEGER = 2020: Year of the figures.
-- param countries VARCHAR[] = NULL: Country codes.
-- param share DECIMAL(7,4) = 50: A share.
-- column name VARCHAR: The name.
-- column n BIGINT: How many,
--   on two lines.
-- example: org="Beijing Era New Energy Technology" year=2012
--
-- Notes: how it works.
-- More notes.
SELECT 1;
""")
    q = catalogue.parse(path)
    assert (q.name, q.title) == ("example", "An example")
    assert q.question == "Does the header parser read a question that continues on a second line?"
    assert q.params == (
        Param("org", "VARCHAR", True, None, "Organisation id or name.", 4),
        Param("year", "INTEGER", False, "2020", "Year of the figures.", 5),
        Param("countries", "VARCHAR[]", False, "NULL", "Country codes.", 6),
        Param("share", "DECIMAL(7,4)", False, "50", "A share.", 7),
    )
    assert q.columns == (("name", "VARCHAR"), ("n", "BIGINT"))
    assert q.descriptions == {"name": "The name.", "n": "How many, on two lines."}
    assert q.notes == "Notes: how it works.\nMore notes."
    assert q.example_values() == {"org": "Beijing Era New Energy Technology", "year": "2012"}
    assert q.example_command() == "batterydb query example --param 'org=Beijing Era New Energy Technology' --param year=2012"
    assert q.problems == ()
    assert [p.name for p in q.required] == ["org"]
    assert q.params[2].is_list


@pytest.mark.parametrize("name, text, problem", [
    ("no_title", "-- question: Q?\nSELECT 1;\n",
     (1, "header lacks a title; start the file with '-- title: ...' and '-- question: ...'")),
    ("bad_param", "-- title: T\n-- question: Q?\n-- param year: the year\nSELECT 1;\n",
     (3, "cannot read this parameter; write it as '-- param NAME TYPE (required): description' or "
         "'-- param NAME TYPE = DEFAULT: description'")),
    ("bad_key", "-- title: T\n-- question: Q?\n-- author: me\nSELECT 1;\n",
     (3, "unknown header key 'author'; expected title, question, param, column or example")),
    ("no_example", "-- title: T\n-- question: Q?\n-- param a INTEGER (required): A.\nSELECT $a;\n",
     (1, "the example must give every required parameter; it lacks a")),
    ("bad_example", "-- title: T\n-- question: Q?\n-- param a INTEGER = 1: A.\n-- example: b=2\nSELECT $a;\n",
     (4, "example gives b, which is not a parameter")),
    ("unquoted", "-- title: T\n-- question: Q?\n-- example: a='x\nSELECT 1;\n",
     (3, "cannot read the example: No closing quotation; write NAME=VALUE pairs, quoted as in a shell")),
    ("Bad-Name", "-- title: T\n-- question: Q?\nSELECT 1;\n",
     (1, "file name 'Bad-Name.sql' must be snake_case: lower-case letters, digits and _")),
    ("twice", "-- title: T\n-- question: Q?\n-- param a INTEGER = 1: A.\n-- param a INTEGER = 2: A again.\n"
              "SELECT $a;\n", (4, "parameter $a is declared twice")),
], ids=lambda v: v if isinstance(v, str) and "\n" not in v and len(v) < 12 else "")
def test_header_mistakes_are_kept_for_lint(tmp_path, name, text, problem):
    text = text.replace("SELECT", "-- column x INTEGER: X.\nSELECT", 1)  # the header is complete but for the mistake
    assert catalogue.parse(write(tmp_path, name, text)).problems == (problem,)


@pytest.mark.parametrize("text, problem", [
    ("-- title: T\n-- question: Q?\nSELECT 1 AS x;\n",
     (1, "header declares no columns; add '-- column NAME TYPE: description' for each column of the result")),
    ("-- title: T\n-- question: Q?\n-- column x INTEGER\nSELECT 1 AS x;\n",
     (3, "column x has no description; write it as '-- column x INTEGER: what it holds'")),
])
def test_every_column_is_declared_with_a_description(tmp_path, text, problem):
    assert catalogue.parse(write(tmp_path, "q", text)).problems == (problem,)


def test_find_suggests_close_names():
    queries = catalogue.load()
    assert catalogue.find(queries, "owners_of").name == "owners_of"
    with pytest.raises(QueryError, match=r"^no query named 'owner_of'; did you mean owners_of\?$"):
        catalogue.find(queries, "owner_of")
    with pytest.raises(QueryError, match=r"^no query named 'zzz'; known queries: agreements, "):
        catalogue.find(queries, "zzz")


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(QueryError, match="query folder not found"):
        catalogue.load(tmp_path / "nowhere")


def test_shipped_queries_all_have_a_title_a_question_and_no_header_problem():
    queries = catalogue.load()
    assert len(queries) >= 5
    assert [(q.name, q.problems) for q in queries.values() if q.problems] == []
