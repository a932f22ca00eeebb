"""The benchmarks run end to end: smoke tests, not timed ones (their figures are not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import batterydb

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_benchmark_runs_at_scale_1_and_reports_every_query(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke",
                             "--out", str(tmp_path / "RESULTS.md"), "--json", str(tmp_path / "results.json")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads((tmp_path / "results.json").read_text())
    (scale,) = figures["results"]
    names = set(batterydb.catalogue.load())
    # The generated folder built without errors into exactly the rows generated (run.py checks the counts).
    assert scale["organisations"] == 1000 and scale["rows"] > 10_000
    assert set(scale["duckdb"]) == names and not [n for n, q in scale["duckdb"].items() if "error" in q]
    assert set(scale["sqlite"]) == {"stalled_projects", "supply_relationships"}
    assert set(scale["postgres"]) == names
    report = (tmp_path / "RESULTS.md").read_text()
    assert all(f"| {name} |" in report for name in names)
    assert "## Targets" in report
    assert list(scale["build_steps"]) == list(batterydb.build(out=tmp_path / "steps.duckdb").timings)
    assert "| writing the file | " in report


def _engines():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import engines

    return engines


# A run's figures as engines.py records them: two queries, one of them not carried to Spark.
ENGINES_RUN = {
    "scale": 100, "repeat": 5, "spark_repeat": 2, "started": "2026-12-04 02:00 UTC",
    "duckdb": {"version": "2.0.1", "queries": {"owners_of": {"seconds": 0.02, "rows": 12},
                                               "search_organisations": {"seconds": 0.04, "rows": 20}}},
    "duckdb_15": {"version": "1.5.6", "queries": {"owners_of": {"seconds": 0.025, "rows": 12},
                                                  "search_organisations": {"seconds": 0.032, "rows": 20}}},
    "spark": {"spark_version": "4.3.0", "export_seconds": 3.25, "load_seconds": 35.0,
              "queries": {"owners_of": {"first_seconds": 4.0, "seconds": 2.0, "rows": 12}}},
}


def test_the_engines_report_gives_each_ratio_against_duckdb_2():
    report = _engines().report(ENGINES_RUN)
    assert "| owners_of | 12 | 20.0 | 25.0 | 0.80x | 4000.0 | 2000.0 | 100x |" in report
    assert "| search_organisations | 20 | 40.0 | 32.0 | 1.25x | not carried | – | – |" in report
    # the geometric mean of 0.8 and 1.25 is 1
    assert "DuckDB 2 takes 1.00x the time of DuckDB 1.5" in report and "Spark takes 100x" in report
    assert "the export took 3.2 s and running `batterydb.sql` 35.0 s" in report


def test_the_engines_section_replaces_its_last_one_in_results_md(tmp_path):
    engines = _engines()
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Targets\n\n- met\n", encoding="utf-8")
    engines.splice(results, "## Other engines\n\nfirst run\n")
    engines.splice(results, "## Other engines\n\nsecond run\n")
    assert results.read_text(encoding="utf-8") == (
        "# Benchmark results\n\n## Targets\n\n- met\n\n"
        "<!-- engines -->\n## Other engines\n\nsecond run\n<!-- /engines -->\n")
