"""Benchmark the ways an answer leaves batterydb against DuckDB's own COPY, on generated data.

    python benchmarks/output.py [--scales 100,1000] [--out benchmarks/OUTPUT.md]

For each listing query (the ones whose cost is their output), each path is
run in a fresh process, so that its wall time and its own peak memory can be
read from the kernel, side by side with its limit in the same run:

- ``batterydb query NAME -f parquet -o FILE`` against a process that runs
  DuckDB's ``COPY (the same SQL) TO FILE (FORMAT parquet)``;
- ``batterydb query NAME -f csv > FILE`` and ``-f jsonl > FILE`` against
  ``COPY ... (FORMAT csv)`` and ``(FORMAT json)``; their time to the first
  byte is measured through a pipe;
- ``db.run(NAME).arrow()`` against DuckDB's ``con.sql(SQL).to_arrow_table()``.

Targets (within 1.3x of the limit, and a peak memory that does not grow with
the rows for the streamed formats) are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import _machine, measured_process  # noqa: E402  (the benchmark's shared measuring)

import batterydb  # noqa: E402

LISTINGS = ("timeline", "facility_capacities", "data_gaps", "agreements", "joint_venture_owners")
RATIO_TARGET = 1.3
COPY_FORMATS = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}

LIMIT_COPY = """
import sys, json, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("COPY (" + sys.argv[2] + ") TO $out (" + sys.argv[3] + ")", {"out": sys.argv[4]}).fetchall()
"""

LIMIT_ARROW = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.sql(sys.argv[2]).to_arrow_table().num_rows)
"""

BATTERYDB_ARROW = """
import sys, batterydb
with batterydb.connect(sys.argv[1]) as db:
    print(db.run(sys.argv[2]).arrow().num_rows)
"""

CLI = [sys.executable, "-m", "batterydb"]


CLI_MAIN = "import sys\nfrom batterydb.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def cli_to_file(db: Path, name: str, fmt: str, target: Path) -> tuple[float, int]:
    """``batterydb query`` with stdout redirected to ``target``, as ``> FILE`` does: seconds and peak bytes."""
    with target.open("wb") as out:
        seconds, peak, _ = measured_process(CLI_MAIN, "query", name, "-f", fmt, "--db", str(db), stdout=out)
    return seconds, peak


def first_byte(db: Path, name: str, fmt: str) -> float:
    """Seconds until the first byte of ``batterydb query`` reaches a pipe."""
    start = time.perf_counter()
    process = subprocess.Popen([*CLI, "query", name, "-f", fmt, "--db", str(db)], stdout=subprocess.PIPE)
    process.stdout.read(1)
    elapsed = time.perf_counter() - start
    process.stdout.read()
    process.wait()
    return elapsed


def bench_query(db_path: Path, name: str, work: Path) -> dict:
    with batterydb.connect(db_path) as db:
        query = db.queries[name]
        rows = len(db.run(name))
        bound = batterydb.params.bind(db.connection, query, {})
    # The named query's SQL with its defaults written in as literals the query file itself declares.
    sql = query.sql.strip().rstrip(";")
    for p in sorted(query.params, key=lambda p: -len(p.name)):  # $org_id before $org
        sql = sql.replace(f"${p.name}", f"CAST({p.default} AS {p.type})" if bound[p.name] is not None
                          else f"CAST(NULL AS {p.type})")
    result: dict = {"rows": rows}
    for fmt, options in COPY_FORMATS.items():
        limit_s, limit_peak, _ = measured_process(LIMIT_COPY, str(db_path), sql, options, str(work / f"limit.{fmt}"))
        if fmt == "parquet":
            mine_s, mine_peak, _ = measured_process(CLI_MAIN, "query", name, "-f", "parquet", "-o",
                                                    str(work / "mine.parquet"), "--db", str(db_path))
            first = None
        else:
            mine_s, mine_peak = cli_to_file(db_path, name, fmt, work / f"mine.{fmt}")
            first = first_byte(db_path, name, fmt)
        result[fmt] = {"limit_s": limit_s, "limit_peak": limit_peak, "s": mine_s, "peak": mine_peak,
                       "first_byte_s": first}
    limit_s, limit_peak, _ = measured_process(LIMIT_ARROW, str(db_path), sql)
    mine_s, mine_peak, _ = measured_process(BATTERYDB_ARROW, str(db_path), name)
    result["arrow"] = {"limit_s": limit_s, "limit_peak": limit_peak, "s": mine_s, "peak": mine_peak,
                       "first_byte_s": None}
    return result


def bench_scale(scale: float, work: Path) -> dict:
    seeds, db_path = work / f"seeds-{scale:g}", work / f"bdb-{scale:g}.duckdb"
    batterydb.generate(seeds, scale=scale, seed=1)
    batterydb.build(out=db_path, seeds=seeds)
    out = {"scale": scale, "queries": {}}
    for name in LISTINGS:
        print(f"scale {scale:g}: {name}", file=sys.stderr)
        out["queries"][name] = bench_query(db_path, name, work)
    return out


def report(results: list[dict]) -> str:
    lines = ["# Output paths against DuckDB's own COPY", "",
             "Written by `python benchmarks/output.py`; every figure is a fresh process's wall time and its own "
             "peak memory, with the limit measured in the same run. Ratio: batterydb's time over the limit's "
             f"(target {RATIO_TARGET}x).", "", *_machine(), ""]
    for result in results:
        lines += [f"## Scale {result['scale']:g}", "",
                  "| query | rows | path | batterydb | DuckDB's own | ratio | first byte | peak (batterydb / own) |",
                  "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
        for name, q in result["queries"].items():
            for path, f in ((p, q[p]) for p in ("parquet", "csv", "jsonl", "arrow")):
                first = f"{f['first_byte_s']:.2f} s" if f["first_byte_s"] is not None else ""
                lines.append(f"| {name} | {q['rows']} | {path} | {f['s']:.2f} s | {f['limit_s']:.2f} s | "
                             f"{f['s'] / f['limit_s']:.2f}x | {first} | {f['peak'] >> 20} / "
                             f"{f['limit_peak'] >> 20} MB |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="100,1000")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "OUTPUT.md")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="batterydb-output-") as tmp:
        for scale in (float(s) for s in args.scales.split(",")):
            results.append(bench_scale(scale, Path(tmp)))
            args.out.write_text(report(results), encoding="utf-8")  # kept after every scale
            if args.json:
                args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
