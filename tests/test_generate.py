"""batterydb generate: a synthetic seed folder that checks without errors, builds, and has the real data's shape."""

from __future__ import annotations

import csv
import importlib
import re
from pathlib import Path

import duckdb
import pytest

import batterydb
from batterydb import GenerateError, cli, generate, paths, schema
from batterydb.generate import FAMILIES, HEADER_ONLY, VOCABULARIES, Family, check_coverage

# The warnings a generated folder carries on purpose; anything else is a mistake of the generator.
INTENDED_WARNINGS = (
    r"known stakes in '\w+' reported on [\d-]+ add up to [\d.]+%; the other [\d.]+% is undisclosed",
    r"ownership cycle: '\w+' owns '\w+', which itself owns '\w+' directly or indirectly",
    r"facility '\w+' has no capacity figure",
    r"org_id '\w+' is not referenced by any other row",
)


SCALES = [0.1, 1]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A small scale generated (seed 0) and built, once per scale and only when a test asks for it:
    the folder, the counts returned and the build result."""
    done: dict[float, tuple[Path, dict[str, int], batterydb.BuildResult]] = {}

    def run(scale: float):
        if scale not in done:
            root = tmp_path_factory.mktemp(f"scale-{scale}")
            counts = generate(root / "seeds", scale, seed=0)
            done[scale] = root / "seeds", counts, batterydb.build(out=root / "generated.duckdb", seeds=root / "seeds")
        return done[scale]
    return run


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("small") / "seeds"
    return folder, generate(folder, 0.1, seed=1)


@pytest.fixture(scope="module")
def db(runs) -> duckdb.DuckDBPyConnection:
    """The scale-1 database, for the shape of the data."""
    connection = duckdb.connect(str(runs(1)[2].path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def schema_tables() -> dict[str, schema.Table]:
    """The tables of the shipped DDL, which generate writes the headers of."""
    con = duckdb.connect()
    schema.apply(con, paths.schema_dir(), comments=False)
    yield schema.tables(con)
    con.close()


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def _unintended(problems) -> list[str]:
    return [str(p) for p in problems if not any(re.fullmatch(w + r".*", p.message) for w in INTENDED_WARNINGS)]


@pytest.mark.parametrize("scale", SCALES)
class TestValid:
    def test_check_finds_no_errors_and_only_the_intended_warnings(self, runs, scale):
        folder, _, result = runs(scale)
        # build() has run the same checks and refused nothing; check() itself runs on the smaller folder.
        problems = batterydb.check(folder) if scale == SCALES[0] else result.warnings
        assert [str(p) for p in problems if p.is_error] == []
        assert _unintended(problems) == []
        assert any("ownership cycle" in p.message for p in problems)
        assert any("is undisclosed" in p.message for p in problems)

    def test_builds_with_the_row_counts_it_returned(self, runs, scale):
        _, counts, result = runs(scale)
        assert result.row_counts == counts
        with duckdb.connect(str(result.path), read_only=True) as con:
            for table, n in counts.items():
                assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (n,), table

    def test_size_follows_the_scale(self, runs, scale):
        _, counts, _ = runs(scale)
        assert counts["organisations"] == round(1000 * scale)
        assert 1.8 <= counts["ownership_stakes"] / counts["organisations"] <= 2.3


class TestFiles:
    def test_every_shipped_seed_file_with_the_same_header(self, small, schema_tables):
        folder, counts = small
        shipped = sorted(p.name for p in paths.seeds_dir().glob("*.csv"))
        assert sorted(p.name for p in folder.iterdir()) == shipped
        assert sorted(f"{name}.csv" for name in counts) == shipped
        assert sorted(f"{name}.csv" for name in schema_tables) == shipped
        for name in shipped:
            assert _header(folder / name) == _header(paths.seeds_dir() / name), name
        # generate writes each header from the DDL: its columns must be in the order of the shipped header
        for name, table in schema_tables.items():
            assert table.column_names == _header(paths.seeds_dir() / f"{name}.csv"), name

    def test_every_schema_table_is_made_exactly_once(self, schema_tables):
        """Fails when a table is added to the DDL: give it a family in FAMILIES, or name it in VOCABULARIES
        or HEADER_ONLY (batterydb/generate/__init__.py)."""
        made = list(VOCABULARIES) + list(HEADER_ONLY) + [name for family in FAMILIES for name in family.fills]
        assert sorted(made) == sorted(schema_tables)
        check_coverage(schema_tables)

    def test_a_table_without_a_generator_is_named_with_where_to_add_it(self, schema_tables, monkeypatch):
        with pytest.raises(GenerateError, match=r"^table 'widgets' of the schema has no generator: write a function "
                                                r"filling it .* add it to FAMILIES in batterydb/generate/__init__.py"):
            check_coverage([*schema_tables, "widgets"])
        with pytest.raises(GenerateError, match="^'fx_rates' is named by HEADER_ONLY in batterydb/generate/"
                                                "__init__.py but is not a table of the schema"):
            check_coverage(set(schema_tables) - {"fx_rates"})
        # the package, not the function batterydb.generate that shadows it as an attribute of batterydb
        package = importlib.import_module("batterydb.generate")
        monkeypatch.setattr(package, "FAMILIES", (*FAMILIES, Family("again", ("people",), FAMILIES[0].make)))
        with pytest.raises(GenerateError, match="^table 'people' is made by the people family and by the again "
                                                "family in batterydb/generate/__init__.py; keep it in one$"):
            check_coverage(schema_tables)

    def test_vocabularies_are_the_shipped_files_and_rates_and_identifiers_stay_empty(self, small):
        folder, counts = small
        for name in VOCABULARIES:
            assert (folder / f"{name}.csv").read_bytes() == (paths.seeds_dir() / f"{name}.csv").read_bytes()
        assert HEADER_ONLY == ("fx_rates", "organisation_identifiers")
        assert counts["fx_rates"] == counts["organisation_identifiers"] == 0

    def test_same_seed_gives_the_same_bytes(self, small, tmp_path):
        folder, counts = small
        assert generate(tmp_path / "again", 0.1, seed=1) == counts
        for path in sorted(folder.iterdir()):
            assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name

    def test_another_seed_gives_other_data(self, small, tmp_path):
        folder, _ = small
        generate(tmp_path / "other", 0.1, seed=2)
        for name in ("organisations.csv", "ownership_stakes.csv", "facilities.csv", "investments.csv"):
            assert (tmp_path / "other" / name).read_bytes() != (folder / name).read_bytes(), name

    def test_ids_are_readable_and_sources_clearly_synthetic(self, small):
        folder, _ = small
        with (folder / "organisations.csv").open(encoding="utf-8") as f:
            ids = [row["org_id"] for row in csv.DictReader(f)]
        assert ids[:2] == ["org_000001", "org_000002"] and len(ids) == 100
        with (folder / "sources.csv").open(encoding="utf-8") as f:
            sources = list(csv.DictReader(f))
        assert sources[16]["source_id"] == "src_000017" and sources[16]["title"] == "Synthetic source 17"

    def test_writes_over_a_folder_it_generated_before(self, small, tmp_path):
        generate(tmp_path, 0.1, seed=5)
        assert generate(tmp_path, 0.1, seed=1) == small[1]
        assert (tmp_path / "organisations.csv").read_bytes() == (small[0] / "organisations.csv").read_bytes()

    @pytest.mark.parametrize("kwargs, message", [
        ({"scale": 0}, "scale must be a positive number, such as 0.1, 1 or 100; found 0"),
        ({"scale": -1}, "scale must be a positive number, such as 0.1, 1 or 100; found -1"),
        ({"scale": float("nan")}, "scale must be a positive number, such as 0.1, 1 or 100; found nan"),
        ({"scale": float("inf")}, "scale must be a positive number, such as 0.1, 1 or 100; found inf"),
        ({"scale": "1"}, "scale must be a positive number, such as 0.1, 1 or 100; found '1'"),
        ({"seed": 1.5}, "seed must be a whole number; found 1.5"),
    ], ids=["zero", "negative", "nan", "inf", "text", "fractional-seed"])
    def test_impossible_arguments(self, tmp_path, kwargs, message):
        with pytest.raises(GenerateError) as exc:
            generate(tmp_path / "out", **kwargs)
        assert str(exc.value) == message
        assert not (tmp_path / "out").exists()

    def test_never_writes_over_real_seeds(self, seeds_copy):
        before = {p.name: p.read_bytes() for p in seeds_copy.iterdir()}
        with pytest.raises(GenerateError, match="holds seed files that batterydb generate did not write"):
            generate(seeds_copy, 0.1)
        assert {p.name: p.read_bytes() for p in seeds_copy.iterdir()} == before

    def test_refuses_a_folder_with_other_files(self, tmp_path):
        (tmp_path / "notes.txt").write_text("mine")
        with pytest.raises(GenerateError, match=r"holds files other than seed files \(notes.txt\)"):
            generate(tmp_path, 0.1)
        assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


# Each query returns one row with one boolean: true when the generated data has that shape.
SHAPES = {
    "an ownership chain five or more levels deep": """
        WITH RECURSIVE edges AS (SELECT DISTINCT owner_org_id AS a, owned_org_id AS b FROM ownership_stakes),
        chain (org, depth, path) AS (
            SELECT b, 1, [a, b] FROM edges
            UNION ALL
            SELECT e.b, c.depth + 1, list_append(c.path, e.b) FROM chain AS c JOIN edges AS e ON e.a = c.org
            WHERE NOT list_contains(c.path, e.b) AND c.depth < 5)
        SELECT max(depth) >= 5 FROM chain""",
    "ownership cycles, a few": """
        WITH RECURSIVE edges AS (SELECT DISTINCT owner_org_id AS a, owned_org_id AS b FROM ownership_stakes),
        reach (src, dst) AS (SELECT a, b FROM edges
                             UNION SELECT r.src, e.b FROM reach AS r JOIN edges AS e ON e.a = r.dst)
        SELECT count(DISTINCT src) BETWEEN 2 AND 50 FROM reach WHERE src = dst""",
    "a few groups owning many companies": """
        SELECT max(n) >= 20 AND median(n) <= 2
        FROM (SELECT owner_org_id, count(DISTINCT owned_org_id) AS n FROM ownership_stakes GROUP BY ALL)""",
    "joint ventures with two to four partners at each date": """
        SELECT min(n) = 2 AND max(n) = 4 AND count(DISTINCT owned_org_id) = (
                   SELECT count(*) FROM organisations WHERE kind = 'joint_venture')
        FROM (SELECT owned_org_id, reported_on, count(*) AS n FROM ownership_stakes
              WHERE kind = 'jv_partner' GROUP BY ALL)""",
    "joint ventures whose exact shares add up to 100, and some to less": """
        SELECT count(*) FILTER (WHERE total = 100) > 0 AND count(*) FILTER (WHERE total < 100) > 0
        FROM (SELECT sum(share_pct) AS total FROM ownership_stakes WHERE kind = 'jv_partner'
              GROUP BY owned_org_id, reported_on HAVING bool_and(qualifier = 'exact'))""",
    "no organisation's known shares above 100 at one date": """
        SELECT max(total) <= 100 FROM (SELECT sum(coalesce(share_pct, share_min_pct, 0)) AS total
                                       FROM ownership_stakes GROUP BY owned_org_id, reported_on)""",
    "unknown shares, ranges and one-sided bounds, inclusive and exclusive": """
        SELECT count(*) FILTER (WHERE qualifier = 'unknown' AND share_pct IS NULL) > 0
           AND count(*) FILTER (WHERE qualifier = 'range' AND share_min_pct < share_max_pct) > 0
           AND count(*) FILTER (WHERE share_min_exclusive) > 0 AND count(*) FILTER (WHERE share_max_exclusive) > 0
           AND count(DISTINCT qualifier) = 8
        FROM ownership_stakes""",
    "stakes reported at several dates": """
        SELECT count(*) > 100 FROM (SELECT owned_org_id FROM ownership_stakes GROUP BY ALL
                                    HAVING count(DISTINCT reported_on) >= 2)""",
    "facilities with status histories over several years": """
        SELECT count(*) > 10 FROM (SELECT facility_id FROM facility_status_history GROUP BY ALL
                                   HAVING count(*) >= 3 AND year(max(status_on)) - year(min(status_on)) >= 1)""",
    "capacities over several years in convertible and non-convertible units": """
        SELECT count(*) FILTER (WHERE unit_code IN (SELECT unit_code FROM unit_conversions)) > 0
           AND count(*) FILTER (WHERE unit_code NOT IN (SELECT unit_code FROM unit_conversions)) > 0
           AND count(DISTINCT unit_code) = 4
           AND (SELECT max(n) FROM (SELECT count(DISTINCT year) AS n FROM capacities GROUP BY facility_id)) >= 4
        FROM capacities""",
    "capacities of organisations, not only of plants": "SELECT count(org_id) > 0 FROM capacities",
    "investments in several currencies, each with investors": """
        SELECT count(DISTINCT currency_code) >= 5 AND count(*) FILTER (WHERE currency_code IS NULL) > 0
           AND count(*) = (SELECT count(DISTINCT investment_id) FROM investment_investors)
        FROM investments""",
    "agreements with at least two parties each": """
        SELECT min(n) >= 2 AND count(*) = (SELECT count(*) FROM agreements)
        FROM (SELECT agreement_id, count(*) AS n FROM agreement_parties GROUP BY ALL)""",
    "targets set by someone or in a document, milestones among them": """
        SELECT count(*) FILTER (WHERE document_id IS NULL
                                AND target_id NOT IN (SELECT target_id FROM target_setters)) = 0
           AND count(document_id) > 0 AND count(*) FILTER (WHERE comparator = 'achieve') > 0
        FROM targets""",
    "reported figures and aliases": """
        SELECT (SELECT count(*) FROM reported_figures) > 0
           AND (SELECT count(DISTINCT org_id) FROM organisation_aliases) = (SELECT count(*) FROM organisations)""",
    "a modest number of sources, all synthetic": """
        SELECT bool_and(title LIKE 'Synthetic source %') AND count(*) < 100 FROM sources""",
}


@pytest.mark.parametrize("sql", SHAPES.values(), ids=SHAPES.keys())
def test_shape(db, sql):
    assert db.execute(sql).fetchone() == (True,)


class TestCommandLine:
    def test_generate_writes_the_folder(self, tmp_path, capsys):
        assert cli.main(["generate", "--scale", "0.1", "--out", str(tmp_path / "out"), "--seed", "1"]) == 0
        out = capsys.readouterr().out
        assert re.fullmatch(r"wrote 42 seed files \(\d+ rows: 100 organisations, \d+ ownership stakes\) to .*out\n",
                            out)
        assert len(list((tmp_path / "out").glob("*.csv"))) == 42

    @pytest.mark.parametrize("scale, message", [
        ("-1", "batterydb: scale must be a positive number, such as 0.1, 1 or 100; found -1\n"),
        ("0", "batterydb: scale must be a positive number, such as 0.1, 1 or 100; found 0\n"),
    ], ids=["negative", "zero"])
    def test_impossible_scale_exits_2_with_a_message(self, tmp_path, capsys, scale, message):
        assert cli.main(["generate", "--scale", scale, "--out", str(tmp_path / "out")]) == 2
        assert capsys.readouterr() == ("", message)

    def test_scale_that_is_not_a_number_is_a_usage_error(self, tmp_path, capsys):
        with pytest.raises(SystemExit) as exc:
            cli.main(["generate", "--scale", "ten", "--out", str(tmp_path / "out")])
        err = capsys.readouterr().err
        assert exc.value.code == 2 and "argument --scale: invalid float value: 'ten'" in err
        assert "Traceback" not in err
