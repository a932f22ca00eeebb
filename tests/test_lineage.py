"""What a named query reads, as sqlglot follows it, and how to ask it from each place (batterydb.lineage, .usage).

The expected reads are worked out by hand from the query files; the calls
are run, each where it is meant to be typed, and must give what
``db.run`` gives.
"""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

import batterydb
from batterydb import lineage, transpile, usage

QUERIES = batterydb.catalogue.load()
STAKE_SHARE = ("qualifier", "share_max_exclusive", "share_max_pct", "share_min_exclusive", "share_min_pct", "share_pct")


@pytest.fixture(scope="module")
def schema(con):
    return lineage.schema_of(con)


@pytest.fixture(scope="module")
def known():
    return transpile.macros()


class TestReads:
    def test_every_column_a_query_touches_in_any_step(self, schema, known):
        """owners_of: the stakes CTE's columns, and the names joined on for owner and organisation."""
        found = lineage.of(QUERIES["owners_of"], schema, known)
        assert found.problem is None
        assert found.reads == {
            "organisations": ("name", "org_id"),
            "ownership_stakes": tuple(sorted(("kind", "owned_org_id", "owner_org_id", "reported_on", "source_id")
                                             + STAKE_SHARE)),
        }

    def test_a_result_column_is_traced_through_the_ctes_to_its_table_columns(self, schema, known):
        columns = lineage.of(QUERIES["owners_of"], schema, known).columns
        assert list(columns) == [name for name, _ in QUERIES["owners_of"].columns]
        assert columns["owner"] == (("organisations", "name"),)
        assert columns["tie"] == (("ownership_stakes", "kind"),)
        assert columns["share_as_stated"] == tuple(("ownership_stakes", c) for c in STAKE_SHARE)
        # The remainder row's low end is 100 less the largest the stakes can be: the maximum counts too.
        assert columns["share_min_pct"] == tuple(("ownership_stakes", c)
                                                 for c in ("share_max_pct", "share_min_pct", "share_pct"))

    def test_a_table_macro_is_written_out_and_what_it_reads_counts(self, schema, known):
        """search_organisations names no table: it reads through org_candidates, which reads names and aliases."""
        query = QUERIES["search_organisations"]
        assert "organisation_aliases" not in query.sql and "FROM org_candidates(" in query.sql
        found = lineage.of(query, schema, known)
        assert found.reads == {"organisation_aliases": ("alias", "org_id", "source_id"),
                               "organisations": ("country_code", "kind", "name", "org_id", "source_id")}
        assert found.columns["matched_text"] == (("organisation_aliases", "alias"), ("organisations", "name"),
                                                 ("organisations", "org_id"))
        assert found.columns["matched_on"] == ()  # a constant per branch: 'name', 'alias' or 'id'

    def test_every_shipped_query_is_followed(self, schema, known):
        problems = {name: lineage.of(query, schema, known).problem for name, query in QUERIES.items()}
        assert {name: problem for name, problem in problems.items() if problem} == {}

    def test_sql_sqlglot_cannot_read_is_a_problem_said_not_an_exception(self, schema, known):
        broken = dataclasses.replace(QUERIES["targets"], sql="SELECT FROM WHERE )")
        found = lineage.of(broken, schema, known)
        assert found.reads == {} and found.columns == {}
        assert found.problem.startswith("sqlglot could not follow it: ")


class TestCalls:
    def test_each_place_with_the_example_written_as_its_engine_writes_the_type(self, known):
        calls = {c.place: c.text for c in usage.calls(QUERIES["reported_figures"], known)}
        assert calls == {
            "Command line": "batterydb query reported_figures --param metrics=ev_sales",
            "Python": 'batterydb.connect().run("reported_figures", metrics=["ev_sales"]).show()',
            "DuckDB console": "SELECT * FROM analytics.reported_figures(metrics := ['ev_sales']);",
            "DuckDB console (view)": "SELECT * FROM analytics.reported_figures;",
            "PostgreSQL": "SELECT * FROM batterydb_analytics.reported_figures(metrics => ARRAY['ev_sales']);",
            "Spark": "SELECT * FROM batterydb_analytics.reported_figures(metrics => ARRAY('ev_sales'));",
        }

    def test_a_place_the_query_does_not_carry_to_has_no_line(self, known):
        """ownership_chain joins an UNNEST on a condition, which Spark cannot be given (transpile says so)."""
        assert not transpile.carry(QUERIES["ownership_chain"], "spark", known, params_as="ownership_chain").ok
        places = [c.place for c in usage.calls(QUERIES["ownership_chain"], known)]
        assert places == ["Command line", "Python", "DuckDB console", "PostgreSQL"]  # org is required: no view

    @pytest.mark.parametrize("name", sorted(QUERIES))
    def test_the_duckdb_console_lines_give_what_run_gives(self, built_db, db, known, name):
        """Typed into a DuckDB of its own on the file, as the console would be."""
        expected = db.run(name, **QUERIES[name].example_values()).rows()
        with duckdb.connect(str(built_db), read_only=True) as console:
            for call in usage.calls(QUERIES[name], known):
                if call.place.startswith("DuckDB console") and (call.place != "DuckDB console (view)"
                                                                or not QUERIES[name].example_values()):
                    assert console.execute(call.text).fetchall() == expected, call.text

    def test_the_python_line_gives_what_run_gives(self, built_db, db, known, monkeypatch):
        """The line is run as written, with connect() pointed at the shipped file as a user's default would be."""
        call = next(c for c in usage.calls(QUERIES["timeline"], known) if c.place == "Python")
        shown = []
        monkeypatch.setattr(batterydb, "connect", lambda: batterydb.database.connect(built_db))
        monkeypatch.setattr(batterydb.Result, "show", lambda self: shown.append(self.rows()))
        exec(call.text, {"batterydb": batterydb})  # noqa: S102 - our own generated line, the point of the test
        assert shown == [db.run("timeline", from_date="2024-01-01").rows()]
