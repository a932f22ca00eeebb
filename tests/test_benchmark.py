"""The benchmark runs end to end at scale 1: a smoke test, not a timed one (its figures are not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import batterydb

ROOT = Path(__file__).resolve().parents[1]


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
    assert set(scale["postgres"]) == names - {"attributable_capacity", "search_organisations"}
    report = (tmp_path / "RESULTS.md").read_text()
    assert all(f"| {name} |" in report for name in names)
    assert "## Targets" in report
    assert list(scale["build_steps"]) == list(batterydb.build(out=tmp_path / "steps.duckdb").timings)
    assert "| writing the file | " in report
