"""What a named query's page shows beyond its header: what it reads, its example's answer, and how to ask it.

The lineage comes from sqlglot (``batterydb.lineage``), the calls from
``batterydb.usage``, and the example's answer from running the query's
``-- example:`` line on the database the site is made from, so the page
shows what that database answers, not what the shipped data once did. A
long answer is shown by its first rows and its count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import lineage, transpile, usage
from ..catalogue import NamedQuery
from ..database import Database
from ..errors import BatterydbError

#: Rows of an example's answer shown on the page; the count says how many there are in all.
EXAMPLE_ROWS = 10


@dataclass
class Question:
    query: NamedQuery
    lineage: lineage.Lineage
    calls: list[usage.Call]
    example_rows: list[tuple] = field(default_factory=list)
    example_count: int = 0
    example_problem: str | None = None  # why the example gave no answer (an error), shown instead of rows


def read(db: Database, queries: dict[str, NamedQuery]) -> dict[str, Question]:
    """A ``Question`` per named query, by name."""
    known = transpile.macros()
    schema = lineage.schema_of(db.connection)
    found = {}
    for name, query in queries.items():
        question = Question(query, lineage.of(query, schema, known), usage.calls(query, known))
        try:
            answer = db.run(name, **query.example_values())
            question.example_rows, question.example_count = answer.head(EXAMPLE_ROWS), len(answer)
        except BatterydbError as exc:
            question.example_problem = str(exc)
        found[name] = question
    return found


def readers(questions: dict[str, Question]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """For each table, the queries that read it and the columns each reads, for the table's page."""
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, question in questions.items():
        for table, columns in question.lineage.reads.items():
            found.setdefault(table, []).append((name, columns))
    return found
