"""Benchmark the catalogue site (batterydb docs) on generated data against the site of the shipped data.

    python benchmarks/site.py [--scales 10,100] [--out benchmarks/SITE.md]

A site's pages show counts, samples and the first rows of answers, never
whole tables, so its cost should hardly grow with the data. For each scale
a seed folder is generated and built, then ``batterydb docs`` runs in a
fresh process, whose wall time and own peak memory are set beside those of
the same command on the shipped database, measured in the same run: the
ratios are what the data's size adds. A site's pages show each named
query's example answer, so its peak memory is at least that of the
heaviest example query at that scale: a process that runs the examples
alone, as the site does, is the other baseline, and what the site needs
beyond them (its own code and one page's rows, never a table's) should not
grow with the data. The targets (under 30 seconds at scale 100; memory
beyond the examples' within 1.5 times the shipped data's) are reported,
never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import _machine, measured_process  # noqa: E402  (the benchmark's shared measuring)

import batterydb  # noqa: E402
from batterydb.sqltext import q  # noqa: E402

TARGET_S = 30.0  # at scale 100
MEMORY_RATIO_TARGET = 1.5  # the site's memory beyond its examples', against the same on the shipped data

DOCS = """
import sys
import batterydb
from batterydb import site
with batterydb.connect(sys.argv[1]) as db:
    print(len(site.write(db, sys.argv[2])))
"""

#: The examples as the site runs them (site/questions.py), with nothing written: their own peak memory.
EXAMPLES = """
import sys
import batterydb
from batterydb import BatterydbError
from batterydb.site.questions import EXAMPLE_ROWS
with batterydb.connect(sys.argv[1]) as db:
    for name, query in db.queries.items():
        try:
            answer = db.run(name, **query.example_values())
            answer.head(EXAMPLE_ROWS), len(answer)
        except BatterydbError:
            pass
"""


def measure(db_path: Path, work: Path) -> dict:
    seconds, peak, out = measured_process(DOCS, str(db_path), str(work / f"site-{db_path.stem}"))
    _, examples_peak, _ = measured_process(EXAMPLES, str(db_path))
    with batterydb.connect(db_path) as db:
        tables = [t for (t,) in db.sql("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").rows()]
        rows = db.sql("SELECT " + " + ".join(f"(SELECT count(*) FROM main.{q(t)})" for t in tables)).rows()[0][0]
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1), "pages": int(out), "rows": rows,
            "examples_peak_mb": round(examples_peak / 2**20, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10,100")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("SITE.md"))
    args = parser.parse_args(argv)
    scales = [float(s) if "." in s else int(s) for s in args.scales.split(",")]
    with tempfile.TemporaryDirectory(prefix="batterydb-site-bench-") as tmp:
        work = Path(tmp)
        shipped = work / "shipped.duckdb"
        batterydb.build(out=shipped)
        print("shipped data ...", file=sys.stderr, flush=True)
        baseline = measure(shipped, work)
        results = []
        for scale in scales:
            print(f"scale {scale}: generating and building ...", file=sys.stderr, flush=True)
            seeds, path = work / f"seeds-{scale}", work / f"scale-{scale}.duckdb"
            batterydb.generate(seeds, scale, 0)
            batterydb.build(seeds=seeds, out=path)
            print(f"scale {scale}: writing the site ...", file=sys.stderr, flush=True)
            results.append({"scale": scale, **measure(path, work)})
    report = _report(baseline, results)
    args.out.write_text(report, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps({"baseline": baseline, "scales": results}, indent=2) + "\n",
                                             encoding="utf-8")
    print(report)
    return 0


def _report(baseline: dict, results: list[dict]) -> str:
    lines = ["# The catalogue site at scale", "",
             "`python benchmarks/site.py`: `batterydb docs` in a fresh process on generated data, against the same "
             "command on the shipped database in the same run.", "", *_machine(), "",
             f"Shipped data: {baseline['rows']:,} rows, {baseline['pages']} pages in {baseline['seconds']} s, "
             f"peak {baseline['peak_mb']} MB (its examples alone: {baseline['examples_peak_mb']} MB).", "",
             "| scale | rows | pages | seconds | × shipped | peak MB | examples alone, MB | beyond them, MB "
             "| × shipped | target |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    own = baseline["peak_mb"] - baseline["examples_peak_mb"]
    for r in results:
        time_ratio = r["seconds"] / baseline["seconds"]
        beyond = r["peak_mb"] - r["examples_peak_mb"]
        met = beyond <= MEMORY_RATIO_TARGET * own and (r["scale"] != 100 or r["seconds"] < TARGET_S)
        lines.append(f"| {r['scale']} | {r['rows']:,} | {r['pages']} | {r['seconds']} | {time_ratio:.2f} | "
                     f"{r['peak_mb']} | {r['examples_peak_mb']} | {beyond:.1f} | {beyond / own:.2f} | "
                     f"{'met' if met else 'MISSED'} |")
    lines += ["", f"Targets: under {TARGET_S:.0f} s at scale 100; the memory the site needs beyond running its "
              f"pages' example queries alone (at scale, organisation_sources' lists of sources per organisation "
              f"set the peak) within {MEMORY_RATIO_TARGET}× the shipped data's: it does not grow with the rows.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
