"""Every named query still gives the answers recorded in tests/answers/ (see record.py there).

Work done for speed must not change an answer: the rows, their order and
every digit. The answers were recorded on the shipped seeds and on the
generated scale-1 folder before the queries were rewritten.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import batterydb

ANSWERS = Path(__file__).resolve().parent / "answers"
sys.path.insert(0, str(ANSWERS))
from cases import encode  # noqa: E402


def _recorded(data: str) -> list[dict]:
    return json.loads((ANSWERS / f"{data}.json").read_text(encoding="utf-8"))


def _id(answer: dict) -> str:
    return answer["query"] + "".join(f"-{k}={v}" for k, v in answer["params"].items())


@pytest.fixture(scope="module")
def databases(built_db, generated_db):
    opened = {"shipped": batterydb.connect(built_db), "generated": batterydb.connect(generated_db)}
    yield opened
    for db in opened.values():
        db.close()


@pytest.mark.parametrize("data", ["shipped", "generated"])
def test_the_recorded_cases_are_the_cases_asked(databases, data):
    from cases import cases
    asked = [(query, params) for query, params in cases(databases[data], data)]
    assert asked == [(a["query"], a["params"]) for a in _recorded(data)]


@pytest.mark.parametrize("data, answer", [(data, answer) for data in ("shipped", "generated")
                                          for answer in _recorded(data)],
                         ids=[f"{data}-{_id(answer)}" for data in ("shipped", "generated")
                              for answer in _recorded(data)])
def test_the_answer_is_unchanged(databases, data, answer):
    result = databases[data].run(answer["query"], **answer["params"])
    assert list(result.columns) == answer["columns"]
    assert [[encode(v) for v in row] for row in result.rows()] == answer["rows"]
