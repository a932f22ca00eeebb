"""Values at each column's precision limit go in and come out digit for digit, through every output format
and every DataFrame library; one digit more is refused (see test_validation for the messages)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

import batterydb
from batterydb import output

SHARE = "51.123456"              # DECIMAL(9, 6): six decimal places
AMOUNT = "1234567890123456.78"   # DECIMAL(18, 2): sixteen digits and two decimals
FIGURE = "0.123456789012345"     # DOUBLE: fifteen significant digits

ASK = ("SELECT (SELECT share_pct FROM ownership_stakes WHERE stake_id = 1) AS share, "
       "(SELECT amount_min FROM investments WHERE investment_id = 1) AS amount, "
       "(SELECT value FROM capacities WHERE capacity_id = 2) AS figure")


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def at_the_limits(tmp_path_factory):
    import shutil
    from batterydb import paths

    root = tmp_path_factory.mktemp("exact")
    seeds = root / "seeds"
    shutil.copytree(paths.seeds_dir(), seeds)
    _replace(seeds / "ownership_stakes.csv", "catl,beijing_era,jv_partner,exact,51,",
             f"catl,beijing_era,jv_partner,exact,{SHARE},")
    _replace(seeds / "investments.csv", "at_least,,1100000000,false", f"at_least,,{AMOUNT},false")
    _replace(seeds / "capacities.csv", "planned,exact,120,", f"planned,exact,{FIGURE},")
    batterydb.build(out=root / "db.duckdb", seeds=seeds)
    with batterydb.connect(root / "db.duckdb") as db:
        yield db, db.sql(ASK)


def test_python_values(at_the_limits):
    _, result = at_the_limits
    assert result.rows() == [(Decimal(SHARE), Decimal(AMOUNT), float(FIGURE))]
    assert result.types == ["DECIMAL(9,6)", "DECIMAL(18,2)", "DOUBLE"]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "markdown"])
def test_text_formats(at_the_limits, tmp_path, fmt):
    _, result = at_the_limits
    output.write(result, fmt, tmp_path / "out")
    text = (tmp_path / "out").read_text()
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(text)))[1] == [SHARE, AMOUNT, FIGURE]
    elif fmt == "markdown":
        assert text.splitlines()[2] == f"| {SHARE} | {AMOUNT} | {FIGURE} |"
    else:  # the digits as written, read back as exact decimals
        record = json.loads(text, parse_float=Decimal)
        record = record[0] if fmt == "json" else record  # an array, or one object a line
        assert [str(v) for v in record.values()] == [SHARE, AMOUNT, FIGURE]


def test_parquet_and_arrow(at_the_limits, tmp_path):
    _, result = at_the_limits
    result.write_parquet(tmp_path / "out.parquet")
    for table in (pq.read_table(tmp_path / "out.parquet"), result.arrow()):
        assert table.to_pylist() == [{"share": Decimal(SHARE), "amount": Decimal(AMOUNT), "figure": float(FIGURE)}]


def test_dataframes(at_the_limits):
    db, result = at_the_limits
    assert result.pl().row(0) == (Decimal(SHARE), Decimal(AMOUNT), float(FIGURE))
    assert result.arrow().to_pandas().iloc[0].tolist() == [Decimal(SHARE), Decimal(AMOUNT), float(FIGURE)]
    # df() is DuckDB's own conversion, which makes a DECIMAL a float64 (the README's type table says so)
    assert result.df().equals(db.connection.sql(ASK).df())
    assert result.df()["share"].dtype == "float64"


@pytest.mark.parametrize("terms", [[1e16, 1.0, -1e16], [0.1] * 10 + [1e12, -1e12], [1 / 3, 2 / 3, 0.1, 0.7, 1e-9, 12345.6789]])
def test_a_sum_of_figures_does_not_depend_on_the_order_of_its_terms(built_db, terms):
    """Capacity totals use exact_sum: DuckDB's threads add a DOUBLE sum's terms in no fixed order."""
    import decimal
    import functools
    import operator
    import random

    import duckdb
    con = duckdb.connect(str(built_db), read_only=True)
    shuffle = random.Random(3)
    orders = [shuffle.sample(terms, len(terms)) for _ in range(24)]
    assert len({functools.reduce(operator.add, t) for t in orders}) > 1  # adding DOUBLEs depends on the order
    exact = {con.execute("SELECT exact_sum(x) FROM (SELECT x FROM unnest($t) WITH ORDINALITY AS u(x, i) ORDER BY i)",
                         {"t": t}).fetchone()[0] for t in orders}
    assert len(exact) == 1  # the same sum whatever the order
    with decimal.localcontext(prec=60):
        true_sum = sum(Decimal(x) for x in terms)
    assert abs(Decimal(exact.pop()) - true_sum) <= abs(true_sum) * Decimal("1e-15")
