"""What moving costs: the named queries on DuckDB 2.0 beside DuckDB 1.5 and a Spark cluster, at one scale.

    python benchmarks/engines.py [--scale 100] [--repeat 5] [--out benchmarks/ENGINES.md]

It generates the data (``batterydb generate``, seed 1, as ``run.py``),
builds it once, and then, in one run on one machine, so that each ratio
compares like with like:

- **DuckDB 2.0 against 1.5**: each query as its ``analytics`` macro,
  ``SELECT * FROM analytics.q(...)`` over the same file (stored in format
  v1.5.0, which both read), the median of warm runs, in a process of its
  own for each version; DuckDB 1.5 is installed into a virtual environment
  of the run's own, since batterydb itself needs 2.0;
- **Spark against DuckDB 2.0**: the file exported with ``export --format
  spark``, its script run on a standalone cluster of one 2-core worker on
  the loopback address (as the tests start it), and each query that
  carries to Spark called as its table function: the first call (which
  plans it) and the median of the warm ones.

Both use the parameters ``run.py`` picks from the data. The section it
writes goes into RESULTS.md too (between its markers), where ``run.py``
keeps it. Nothing is asserted: this is a measurement.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

import batterydb  # noqa: E402
from batterydb import spark as to_spark, transpile  # noqa: E402

from run import _machine, query_cases  # noqa: E402

MARK_START, MARK_END = "<!-- engines -->", "<!-- /engines -->"
DUCKDB_15 = "duckdb>=1.5,<1.6"

#: Run in each DuckDB's own interpreter: every case's median time over the same file, as JSON.
MACRO_TIMES = """
import json, statistics, sys, time, duckdb
path, calls, repeat = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
con = duckdb.connect(path, read_only=True)
out = {"version": duckdb.__version__, "queries": {}}
for name, (sql, args) in calls.items():
    rows = len(con.execute(sql, args).fetchall())  # the first run, not timed: it warms the caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        con.execute(sql, args).fetchall()
        times.append(time.perf_counter() - start)
    out["queries"][name] = {"seconds": statistics.median(times), "rows": rows}
    print(name, out["queries"][name], file=sys.stderr, flush=True)
print(json.dumps(out))
"""


def macro_call(db: batterydb.Database, name: str, params: dict) -> tuple[str, dict]:
    """``SELECT * FROM analytics.name(...)`` with ``params`` bound: the required ones in order, the rest by name."""
    query = db.queries[name]
    args = []
    for p in query.signature_params:
        if p.name in params:
            args.append(f"${p.name}" if p.required else f"{p.name} := ${p.name}")
    return f"SELECT * FROM analytics.{name}({', '.join(args)})", dict(params)


def duckdb_times(python: str, path: Path, calls: dict, repeat: int) -> dict:
    result = subprocess.run([python, "-c", MACRO_TIMES, str(path), json.dumps(calls), str(repeat)],
                            stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(result.stdout)


def duckdb_15_python(work: Path) -> str:
    """An interpreter with DuckDB 1.5, in a virtual environment of this run's own."""
    venv = work / "duckdb-1.5"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", DUCKDB_15], check=True)
    return str(venv / "bin" / "python")


def spark_times(db: batterydb.Database, work: Path, cases: dict, repeat: int) -> dict:
    """Export, load and every carried query on a real standalone cluster."""
    from sparkcluster import Cluster

    carried = [name for name, query in db.queries.items() if transpile.carry(query, "spark", params_as=name).ok]
    folder = work / "lake"
    start = time.perf_counter()
    to_spark.export_spark(db, folder)
    out: dict = {"export_seconds": time.perf_counter() - start, "queries": {}}
    cluster = Cluster().start()
    try:
        session = cluster.session()
        out["spark_version"] = session.version
        start = time.perf_counter()
        to_spark.load(session, folder)
        out["load_seconds"] = time.perf_counter() - start
        for name in carried:
            params = cases[name]
            sql = f"SELECT * FROM batterydb_analytics.{name}({', '.join(f'{k} => :{k}' for k in params)})"
            start = time.perf_counter()
            rows = len(session.sql(sql, args=params).collect())
            first = time.perf_counter() - start
            warm = []
            for _ in range(repeat):
                start = time.perf_counter()
                session.sql(sql, args=params).collect()
                warm.append(time.perf_counter() - start)
            out["queries"][name] = {"first_seconds": first, "seconds": statistics.median(warm), "rows": rows}
            print(name, out["queries"][name], file=sys.stderr, flush=True)
        session.stop()
    finally:
        cluster.stop()
    return out


def measure(scale: float, repeat: int, spark_repeat: int, work: Path) -> dict:
    seeds, path = work / "seeds", work / "batterydb.duckdb"
    batterydb.generate(seeds, scale=scale, seed=1)
    print(f"scale {scale:g}: generated; building", file=sys.stderr)
    batterydb.build(out=path, seeds=seeds)
    with batterydb.connect(path) as db:
        cases = query_cases(db)
        calls = {name: macro_call(db, name, params) for name, params in cases.items()}
        result = {"scale": scale, "repeat": repeat, "spark_repeat": spark_repeat, "cases": cases,
                  "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        print("DuckDB 2", file=sys.stderr)
        result["duckdb"] = duckdb_times(sys.executable, path, calls, repeat)
        print("DuckDB 1.5", file=sys.stderr)
        result["duckdb_15"] = duckdb_times(duckdb_15_python(work), path, calls, repeat)
        print("Spark", file=sys.stderr)
        result["spark"] = spark_times(db, work, cases, spark_repeat)
    return result


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.1f}"


def report(r: dict) -> str:
    new, old, spark = r["duckdb"]["queries"], r["duckdb_15"]["queries"], r["spark"]["queries"]
    lines = [
        f"## Other engines at scale {r['scale']:g}: DuckDB 1.5 and Spark beside DuckDB 2",
        "",
        f"Written by `benchmarks/engines.py` from its run started {r['started']}. Each query runs as its "
        f"`analytics` macro over one file in both DuckDBs (DuckDB {r['duckdb']['version']} against "
        f"{r['duckdb_15']['version']}, the median of {r['repeat']} warm runs), and as its table function "
        f"on Spark {r['spark']['spark_version']} (a standalone cluster of one worker with 2 cores and 2 GB, "
        f"the driver on the same machine; the first call, which plans the query, and the median of "
        f"{r['spark_repeat']} more). On Spark, the export took {r['spark']['export_seconds']:.1f} s and "
        f"running `batterydb.sql` {r['spark']['load_seconds']:.1f} s. Latencies in milliseconds.",
        "",
        "| query | rows | DuckDB 2 ms | DuckDB 1.5 ms | 2 / 1.5 | Spark first ms | Spark ms | Spark / DuckDB 2 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in sorted(new):
        n, o, s = new[name], old.get(name), spark.get(name)
        ratio = f"{n['seconds'] / o['seconds']:.2f}x" if o else "–"
        spark_cells = (f"{_ms(s['first_seconds'])} | {_ms(s['seconds'])} | {s['seconds'] / n['seconds']:.0f}x"
                       if s else "not carried | – | –")
        lines.append(f"| {name} | {n['rows']} | {_ms(n['seconds'])} | {_ms(o['seconds']) if o else '–'} | "
                     f"{ratio} | {spark_cells} |")
    both = [name for name in new if name in old]
    lines += ["", f"Over the {len(both)} queries, DuckDB 2 takes "
              f"{statistics.geometric_mean([new[q]['seconds'] / old[q]['seconds'] for q in both]):.2f}x the time "
              f"of DuckDB 1.5 (geometric mean of the ratios); Spark takes "
              f"{statistics.geometric_mean([spark[q]['seconds'] / new[q]['seconds'] for q in spark]):.0f}x "
              f"the time of DuckDB 2 on the {len(spark)} queries it runs.", ""]
    lines += _machine()
    return "\n".join(lines) + "\n"


def splice(results_md: Path, section: str) -> None:
    """Put ``section`` into RESULTS.md between the markers, where run.py puts it: before the findings."""
    text = results_md.read_text(encoding="utf-8")
    block = f"{MARK_START}\n{section.strip()}\n{MARK_END}"
    findings = ROOT / "benchmarks" / "findings.md"
    first_finding = findings.read_text(encoding="utf-8").strip().splitlines()[0] if findings.exists() else None
    if MARK_START in text:
        head, rest = text.split(MARK_START, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    elif first_finding and first_finding in text:
        head, rest = text.split(first_finding, 1)
        text = head + block + "\n\n" + first_finding + rest
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    results_md.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=100.0, help="the scale to generate (default: 100)")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per query in DuckDB (default: 5)")
    parser.add_argument("--spark-repeat", type=int, default=2, help="warm runs per query in Spark (default: 2)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "ENGINES.md")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md",
                        help="the RESULTS.md to put the section into")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--from-json", type=Path, help="write the report again from a run's --json file")
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory(prefix="batterydb-engines-") as tmp:
            result = measure(args.scale, args.repeat, args.spark_repeat, Path(tmp))
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    section = report(result)
    args.out.write_text(section, encoding="utf-8")
    if args.results.exists():
        splice(args.results, section)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
