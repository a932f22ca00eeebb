"""The Python API: connect, run named queries with checked parameters, results in every shape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import batterydb
from batterydb import BatterydbError, QueryError

from conftest import EXAMPLES

FIXTURE_QUERIES = Path(__file__).parent / "fixtures" / "queries_params"



@pytest.fixture(scope="module")
def fixture_db(built_db):
    with batterydb.connect(built_db, queries=FIXTURE_QUERIES) as database:
        yield database


def test_catalogue_entries_carry_name_title_question_and_parameters(db):
    q = db.queries["owners_of"]
    assert (q.name, q.title) == ("owners_of", "Direct owners of an organisation")
    assert [(p.name, p.type, p.sql_type, p.required) for p in q.params] == [("org", "ORGANISATION", "VARCHAR", True)]


def test_every_query_with_a_required_parameter_has_an_example():
    queries = batterydb.catalogue.load()
    assert {n for n, q in queries.items() if q.required} <= set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(batterydb.catalogue.load()))
def test_declared_result_columns_match_what_duckdb_returns(db, name):
    query = db.queries[name]
    result = db.run(name, **EXAMPLES.get(name, {}))
    assert query.columns is None or list(query.columns) == list(zip(result.columns, result.types))
    assert len(result.columns) == len(set(result.columns)), "result column names must be unique"


class TestParameters:
    def test_defaults_apply(self, fixture_db):
        rows = fixture_db.run("by_country").rows()
        assert ("CN", "BAIC") in rows and all(r[1] != "Ministry of Finance" for r in rows)

    def test_list_parameter_from_python_and_from_text(self, fixture_db):
        expected = [("FR", "Renault"), ("JP", "NEC"), ("JP", "Nissan")]
        assert fixture_db.run("by_country", countries=["JP", "FR"]).rows() == expected
        assert fixture_db.run("by_country", countries="JP, FR").rows() == expected
        assert fixture_db.run("by_country", countries=("JP", "FR")).rows() == expected

    def test_text_converts_to_the_declared_type(self, fixture_db):
        assert len(fixture_db.run("by_country", limit_to="2")) == 2
        # BAIC and its unit were described in 2012, the joint venture and CATL in 2024
        expected = [("CN", "Beijing Era New Energy Technology"), ("CN", "CATL")]
        assert fixture_db.run("by_country", since="2017-01-01", countries=["CN"]).rows() == expected
        assert fixture_db.run("by_country", since=date(2017, 1, 1), countries=["CN"]).rows() == expected

    @pytest.mark.parametrize("values, message", [
        ({"limit_to": "ten"},
         "parameter limit_to of query by_country expects a whole number (INTEGER); got 'ten'"),
        ({"since": "11/03/2024"},
         "parameter since of query by_country expects a date (YYYY-MM-DD) (DATE); got '11/03/2024'"),
        ({"limit_to": [1, 2]}, "parameter limit_to of query by_country takes one INTEGER, not a list"),
        ({"countrys": ["JP"]}, "query by_country has no parameter 'countrys'; did you mean countries?"),
        # what a permissive cast would take for a number or a date by accident
        ({"limit_to": 3.7}, "parameter limit_to of query by_country expects a whole number (INTEGER); got 3.7"),
        ({"limit_to": True}, "parameter limit_to of query by_country expects a whole number (INTEGER); got True"),
        ({"limit_to": "2020.5"},
         "parameter limit_to of query by_country expects a whole number (INTEGER); got '2020.5'"),
        ({"limit_to": "0x7e4"}, "parameter limit_to of query by_country expects a whole number (INTEGER); got '0x7e4'"),
        ({"limit_to": "1e3"}, "parameter limit_to of query by_country expects a whole number (INTEGER); got '1e3'"),
        ({"limit_to": 2**31}, "parameter limit_to of query by_country expects a whole number (INTEGER); "
                              "got 2147483648"),
        ({"since": "epoch"}, "parameter since of query by_country expects a date (YYYY-MM-DD) (DATE); got 'epoch'"),
        ({"since": "infinity"},
         "parameter since of query by_country expects a date (YYYY-MM-DD) (DATE); got 'infinity'"),
        ({"since": "2024-02-30"},
         "parameter since of query by_country expects a date (YYYY-MM-DD) (DATE); got '2024-02-30'"),
        ({"countries": ["JP", 7]}, "parameter countries of query by_country expects a list of text values "
                                   "(comma-separated on the command line); got 7"),
        # out of the declared range, refused before the query runs
        ({"limit_to": -1}, "parameter limit_to of query by_country must be at least 1; got -1"),
        ({"limit_to": "0"}, "parameter limit_to of query by_country must be at least 1; got '0'"),
    ], ids=["word", "date-form", "list", "unknown", "fraction", "bool", "fraction-text", "hex", "exponent",
            "over-integer", "epoch", "infinity", "no-such-day", "list-item", "negative", "zero"])
    def test_ill_typed_or_unknown_parameter(self, fixture_db, values, message):
        with pytest.raises(QueryError) as err:
            fixture_db.run("by_country", **values)
        assert str(err.value) == message

    def test_missing_required_parameter(self, db):
        with pytest.raises(QueryError) as err:
            db.run("owners_of")
        assert str(err.value) == ("query owners_of needs org (ORGANISATION: Organisation id, name or alias, "
                                  "in any case, with or without accents.)")

    def test_values_are_bound_not_spliced(self, db):
        hostile = "x'); DROP TABLE organisations; --"
        with pytest.raises(QueryError, match="^no organisation matches 'x''\\); DROP TABLE organisations; --'; "):
            db.run("owners_of", org=hostile)
        assert db.sql("SELECT count(*) FROM organisations").rows() == [(25,)]


class TestResults:
    def test_rows_records_columns_and_types(self, db):
        result = db.run("owners_of", org="AESC")
        assert result.columns[:3] == ["organisation", "owner", "tie"]
        assert result.types[4] == "DECIMAL(9,6)"
        assert result.rows()[0][:3] == ("AESC", "NEC", "jv_partner")
        assert result.records()[0]["owner"] == "NEC"

    def test_arrow_pandas_polars(self, db):
        result = db.run("owners_of", org="beijing_era")
        table = result.arrow()
        assert table.column_names == result.columns and table.num_rows == 4
        assert result.df()["owner"].tolist()[:3] == ["CATL", "BAIC", "Xiaomi"]
        assert result.pl()["share_as_stated"].to_list() == ["51", "39", "5", "5"]

    def test_the_query_runs_once_for_every_conversion(self, db, tmp_path):
        # random() gives other values on every run: any conversion that ran the query again would differ.
        result = db.sql("SELECT i, random() AS r FROM range(1000) t(i) ORDER BY i")
        values = [r for _, r in result.rows()]
        assert len(result) == 1000
        assert result.df()["r"].tolist() == values
        assert result.arrow().column("r").to_pylist() == values
        assert result.pl()["r"].to_list() == values
        result.write_parquet(tmp_path / "r.parquet")
        assert [r for _, r in db.sql(f"SELECT * FROM '{tmp_path / 'r.parquet'}' ORDER BY i").rows()] == values

    def test_a_streamed_result_is_not_held_but_runs_into_its_writer(self, db, tmp_path):
        result = db.stream("owners_of", org="beijing_era")
        result.write_csv(tmp_path / "a.csv")
        assert (tmp_path / "a.csv").read_text().splitlines()[1].startswith("Beijing Era New Energy Technology,CATL,")
        lazy = db.stream_sql("SELECT random() AS r FROM range(3)")  # run on each write: nothing is kept
        lazy.write_csv(tmp_path / "b.csv")
        lazy.write_csv(tmp_path / "c.csv")
        assert (tmp_path / "b.csv").read_text() != (tmp_path / "c.csv").read_text()

    def test_iteration_indexing_and_batches_read_the_held_result(self, db):
        result = db.sql("SELECT i, i * 2 AS twice FROM range(5) t(i) ORDER BY i")
        assert list(result) == [(0, 0), (1, 2), (2, 4), (3, 6), (4, 8)]
        assert result[1] == (1, 2) and result[-1] == (4, 8) and result[1:3] == [(1, 2), (2, 4)]
        assert [b.num_rows for b in result.batches(2)] == [2, 2, 1]
        import polars
        import pyarrow
        assert pyarrow.table(result).column("twice").to_pylist() == [0, 2, 4, 6, 8]
        assert polars.DataFrame(result)["i"].to_list() == [0, 1, 2, 3, 4]

    def test_reprs_show_rows_and_signatures_not_sql(self, db):
        result = db.sql("SELECT 'CATL' AS owner, NULL::INTEGER AS share")
        assert repr(result).splitlines()[0] == "<batterydb.Result: 1 row, 2 columns>"
        assert "│ CATL    │  NULL │" in repr(result)
        assert result._repr_html_() == (
            "<table><thead><tr><th>owner<br><small>VARCHAR</small></th><th>share<br><small>INTEGER</small></th>"
            "</tr></thead><tbody><tr><td>CATL</td><td><i>NULL</i></td></tr></tbody></table><p>1 row</p>")
        query = db.queries["capacity_history"]
        assert repr(query).startswith("<NamedQuery capacity_history(subject PLANT_OR_ORGANISATION) -> (")
        assert "SELECT" not in repr(query)
        assert [repr(p) for p in db.queries["attributable_capacity"].params][:1] == ["<Param year INTEGER = 2012>"]

    def test_missing_dataframe_library_is_a_clear_error(self, db, monkeypatch):
        import importlib.util
        real = importlib.util.find_spec
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "polars" else real(name, *a))
        with pytest.raises(BatterydbError, match=r"Result.pl\(\) needs the polars package: pip install polars"):
            db.run("targets").pl()


class TestSafety:
    def test_read_only_by_default(self, db):
        with pytest.raises(QueryError, match="read-only"):
            db.sql("DELETE FROM people")

    def test_a_library_query_that_is_not_a_select_is_not_run(self, built_db, tmp_path):
        with batterydb.connect(built_db, queries=FIXTURE_QUERIES) as db:
            with pytest.raises(QueryError, match="a named query must be one SELECT statement; it is not run"):
                db.run("modifies")
            assert db.sql("SELECT count(*) FROM people").rows() == [(4,)]

    def test_ad_hoc_sql_error_is_duckdbs_message(self, db):
        with pytest.raises(QueryError, match="^Catalog Error: Table with name nothing does not exist!"):
            db.sql("SELECT * FROM nothing")

    @pytest.mark.parametrize("sql, message", [
        ("SELECT * FROM read_csv('/etc/passwd')", 'Cannot access file "/etc/passwd" - file system operations '
                                                  "are disabled by configuration"),
        ("COPY organisations TO '{tmp}/out.csv'", "file system operations are disabled by configuration"),
        ("ATTACH '{tmp}/other.duckdb'", "file system operations are disabled by configuration"),
        ("SET memory_limit = '50GB'", 'Cannot change configuration option "memory_limit" - the configuration '
                                      "has been locked"),
        ("LOAD httpfs", "Loading external extensions is disabled through configuration"),
    ], ids=["read_csv", "copy", "attach", "set", "load"])
    def test_untrusted_profile_refuses_the_host(self, built_db, tmp_path, sql, message):
        copy = tmp_path / "db" / "copy.duckdb"  # this process holds built_db open with other settings
        copy.parent.mkdir()
        copy.write_bytes(built_db.read_bytes())
        with batterydb.connect(copy, untrusted=True) as db:
            with pytest.raises(QueryError) as err:
                db.sql(sql.format(tmp=tmp_path))
            assert message in str(err.value)
            assert db.run("owners_of", org="catl").rows() == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]

    def test_untrusted_never_builds(self, tmp_path):
        with pytest.raises(batterydb.DatabaseNotFound, match="no database file here"):
            batterydb.connect(tmp_path / "missing.duckdb", untrusted=True)
