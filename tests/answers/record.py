"""Record what every named query answers, for tests/test_unchanged_answers.py.

    python tests/answers/record.py

Writes ``shipped.json`` (the shipped seeds) and ``generated.json`` (the
generated folder at scale 1, seed 0): for each case, the query, its
parameters, its columns and its rows. A change made for speed must leave
these answers as they are; re-record only for a change meant to alter an
answer, and say so in the commit.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import batterydb
from batterydb import generate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from cases import cases, encode  # noqa: E402


def record(db: batterydb.Database, data: str) -> list[dict]:
    answers = []
    for query, params in cases(db, data):
        result = db.run(query, **params)
        answers.append({"query": query, "params": params, "columns": list(result.columns),
                        "rows": [[encode(v) for v in row] for row in result.rows()]})
    return answers


def dump(answers: list[dict]) -> str:
    """JSON with a line per case header and per row, so that a diff shows the rows that changed."""
    compact = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    cases = []
    for answer in answers:
        head = {k: v for k, v in answer.items() if k != "rows"}
        rows = ",\n".join(compact(row) for row in answer["rows"])
        cases.append(compact(head)[:-1] + ',"rows":[' + (f"\n{rows}\n" if rows else "") + "]}")
    return "[\n" + ",\n".join(cases) + "\n]\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        built = {"shipped": batterydb.build(out=work / "shipped.duckdb").path}
        generate(work / "seeds", 1, seed=0)
        built["generated"] = batterydb.build(out=work / "generated.duckdb", seeds=work / "seeds").path
        for data, path in built.items():
            with batterydb.connect(path) as db:
                answers = record(db, data)
            (HERE / f"{data}.json").write_text(dump(answers), encoding="utf-8")
            print(f"{data}: {len(answers)} cases, {sum(len(a['rows']) for a in answers)} rows")


if __name__ == "__main__":
    main()
