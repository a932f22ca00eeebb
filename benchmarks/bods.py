"""Benchmark the BODS export (batterydb export --format bods) on generated data against DuckDB writing the same rows.

    python benchmarks/bods.py [--scales 10,100] [--out benchmarks/BODS.md]

For each scale a seed folder is generated and built; then, each in a fresh
process whose wall time and own peak memory are read:

- ``bods.export`` to a ``.jsonl`` file and to a ``.json`` array;
- the limit: DuckDB's own ``COPY (the export's two queries) TO ... (FORMAT
  json)``, which writes the same rows as flat JSON objects, with no
  statement built and no id worked out.

The export streams, a batch of rows at a time, so its peak memory is what
DuckDB needs to run and order its queries, not a copy of the file: it
should stay below that of DuckDB's own writer of the same rows. Targets
(within 5x of DuckDB's COPY, which has none of the statements' work; a
peak memory at most COPY's) are reported, never asserted.
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

TIME_RATIO_TARGET = 5.0

EXPORT = """
import sys
import batterydb
from batterydb import bods
with batterydb.connect(sys.argv[1]) as db:
    print(bods.export(db, sys.argv[2])["relationship"])
"""

#: The export's own queries, their rows written by DuckDB's JSON writer.
COPY = """
import sys
import duckdb
from batterydb import bods
con = duckdb.connect(sys.argv[1], read_only=True)
for name in ("entities", "relationships"):
    text = (bods.SQL / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")
    con.execute(f"COPY ({text}) TO '{sys.argv[2]}.{name}.json' (FORMAT json)")
print(0)
"""


def measure(db_path: Path, work: Path) -> dict:
    found = {}
    for label, code, target in (("jsonl", EXPORT, work / "o.jsonl"), ("json", EXPORT, work / "o.json"),
                                ("duckdb_copy", COPY, work / "copy")):
        seconds, peak, out = measured_process(code, str(db_path), str(target))
        found[label] = {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1)}
        if label == "jsonl":
            found["relationships"] = int(out)
            found["bytes"] = target.stat().st_size
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10,100")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("BODS.md"))
    args = parser.parse_args(argv)
    scales = [float(s) if "." in s else int(s) for s in args.scales.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="batterydb-bods-bench-") as tmp:
        work = Path(tmp)
        for scale in scales:
            print(f"scale {scale}: generating and building ...", file=sys.stderr, flush=True)
            seeds, path = work / f"seeds-{scale}", work / f"scale-{scale}.duckdb"
            batterydb.generate(seeds, scale, 0)
            batterydb.build(seeds=seeds, out=path)
            print(f"scale {scale}: exporting ...", file=sys.stderr, flush=True)
            results.append({"scale": scale, **measure(path, work)})
    report = _report(results)
    args.out.write_text(report, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report)
    return 0


def _report(results: list[dict]) -> str:
    lines = ["# The BODS export at scale", "",
             "`python benchmarks/bods.py`: `bods.export` in a fresh process on generated data, against DuckDB's "
             "own JSON writer (`COPY ... (FORMAT json)`) of the export's two queries in the same run.", "",
             *_machine(), "",
             "| scale | stakes | JSONL MB | JSONL s | JSON array s | DuckDB COPY s | × COPY | JSONL peak MB "
             "| JSON peak MB | COPY peak MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ratio = r["jsonl"]["seconds"] / r["duckdb_copy"]["seconds"]
        lines.append(f"| {r['scale']} | {r['relationships']:,} | {r['bytes'] / 2**20:.1f} | {r['jsonl']['seconds']} "
                     f"| {r['json']['seconds']} | {r['duckdb_copy']['seconds']} | {ratio:.2f} "
                     f"| {r['jsonl']['peak_mb']} | {r['json']['peak_mb']} | {r['duckdb_copy']['peak_mb']} |")
    worst = max(r["jsonl"]["seconds"] / r["duckdb_copy"]["seconds"] for r in results)
    memory = all(max(r["jsonl"]["peak_mb"], r["json"]["peak_mb"]) <= r["duckdb_copy"]["peak_mb"] for r in results)
    lines += ["", f"Targets: within {TIME_RATIO_TARGET:g}× DuckDB's COPY ({worst:.2f}× at worst: "
              f"{'met' if worst <= TIME_RATIO_TARGET else 'MISSED'}); a peak memory at most COPY's at every scale "
              f"({'met' if memory else 'MISSED'}): the export holds a batch of rows, never the file.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
