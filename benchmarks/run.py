"""Benchmark batterydb on generated data against raw DuckDB, SQLite and PostgreSQL.

    python benchmarks/run.py [--scales 1,10,100] [--repeat 5] [--out benchmarks/RESULTS.md]

For each scale it generates a seed folder (``batterydb generate``), then
measures, in one run on one machine, so that every ratio compares like with
like:

- the build (validation included) against a raw DuckDB load of the same
  CSVs (CREATE TABLE with the same column types, no constraints, and COPY):
  the ratio is the cost of validation; each in a process of its own, whose
  peak memory is read from the kernel;
- every named query's latency, the median of warm runs, in DuckDB, in SQLite
  (the SQL ``batterydb transpile`` writes, over a copy of the tables) and in
  PostgreSQL (the functions ``batterydb publish postgres`` creates), for the
  queries each engine can run;
- the Python wrapper's overhead: ``db.run`` against DuckDB's own
  ``execute`` with the same SQL and bound parameters, run in turn, as the
  median difference between neighbouring runs;
- and once, the CLI's cold start: ``batterydb query`` end to end against
  ``python -c "import duckdb"``.

Targets are checked and reported, never asserted: this is a measurement, not
a test. ``--smoke`` runs everything once at a small scale, to prove it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

import batterydb
from batterydb import params as query_params
from batterydb import publish, transpile
from batterydb.export import to_sqlite

ROOT = Path(__file__).resolve().parents[1]
RUN_STARTED = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())  # each scale's figures say which run they are from
QUERY_BUDGET_S = 60.0  # a query still running after this is interrupted and reported as such
SLOW_S = 5.0  # a query slower than this is timed once: repeating it would only lengthen the run
WRAPPER_UNDER_S = 1.0  # the wrapper's overhead is measured on queries faster than this, where it could matter
WRAPPER_PAIRS = 15  # pairs of runs the wrapper's overhead is the median difference of


# --- measuring -------------------------------------------------------------------------------------------

#: Run before a measured process's own code: at exit it reports the process's peak resident memory.
#: The kernel's rusage would not do: it counts the memory of the benchmark process the child was forked
#: from, before exec, as the child's own peak.
_REPORT_PEAK = (
    "import atexit as _a, os as _o\n"
    "_a.register(lambda: _o.write(2, ('\\nbatterydb-peak-kb ' + next(l.split()[1] for l in open('/proc/self/status')"
    " if l.startswith('VmHWM')) + '\\n').encode()))\n"
)


def measured_process(code: str, *args: str, stdout=None) -> tuple[float, int, str]:
    """Run Python ``code`` in a fresh process: wall seconds, its own peak resident memory in bytes, its stdout.

    ``stdout`` is a file to send the output to instead (then the returned text is empty).
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", _REPORT_PEAK + code, *args],
                                   stdout=stdout or subprocess.PIPE, stderr=err)
        out = process.stdout.read() if stdout is None else b""
        process.wait()
        elapsed = time.perf_counter() - start
        err.seek(0)
        errors = err.read().decode()
        if process.returncode:
            raise RuntimeError(f"measured process failed:\n{errors}")
    peak_kb = int(errors.rsplit("batterydb-peak-kb ", 1)[1].split()[0])
    return elapsed, peak_kb * 1024, out.decode()


def median_seconds(call, repeat: int) -> float:
    """The median of ``repeat`` warm runs; a query slower than SLOW_S is timed once, its warm-up run."""
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    if first > SLOW_S:
        return first
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def budget(interrupt):
    """Interrupt a query that outlives QUERY_BUDGET_S, so that one runaway query cannot stall the run."""
    timer = threading.Timer(QUERY_BUDGET_S, interrupt)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


# --- the phases, each run in a process of its own -----------------------------------------------------------

RAW_LOAD = """
import sys, duckdb, json
from batterydb import schema, paths
seeds, out = sys.argv[1], sys.argv[2]
ddl = duckdb.connect()
schema.apply(ddl, paths.schema_dir())
tables = schema.load_order(schema.tables(ddl))
con = duckdb.connect(out)
for t in tables:
    columns = ", ".join(f'"{c.name}" {c.data_type}' for c in t.columns)
    con.execute(f'CREATE TABLE "{t.name}" ({columns})')
    con.execute(f"COPY \\"{t.name}\\" FROM '{seeds}/{t.name}.csv' (HEADER)")
con.close()
"""

BUILD = """
import sys, json, batterydb
result = batterydb.build(out=sys.argv[2], seeds=sys.argv[1])
print(json.dumps({"counts": result.row_counts, "timings": result.timings}))
"""

QUERIES = """
import sys, json, statistics, time, threading, batterydb
db = batterydb.connect(sys.argv[1])
cases, repeat, budget, slow = json.loads(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
out = {}
for name, params in cases.items():
    timer = threading.Timer(budget, db.interrupt)
    timer.start()
    try:
        start = time.perf_counter()
        rows = len(db.run(name, **params))
        times = [time.perf_counter() - start]
        if times[0] <= slow:
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                rows = len(db.run(name, **params))
                times.append(time.perf_counter() - start)
        out[name] = {"seconds": statistics.median(times), "rows": rows}
    except batterydb.BatterydbError as exc:
        out[name] = {"error": "interrupted after %.0f s" % budget if "INTERRUPT" in str(exc).upper()
                     else str(exc).splitlines()[0]}
    finally:
        timer.cancel()
    print(name, out[name], file=sys.stderr, flush=True)
print(json.dumps(out))
"""


# --- choosing parameters on generated data ------------------------------------------------------------------

def query_cases(db: batterydb.Database) -> dict[str, dict]:
    """Parameters for every named query, picked from the data so that each query has work to do."""
    one = lambda sql: (db.sql(sql).rows() or [(None,)])[0][0]  # noqa: E731
    most_owned = one("SELECT owned_org_id FROM ownership_stakes GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    deepest = one("""
        WITH RECURSIVE up(start_id, org_id, depth) AS (
            SELECT owned_org_id, owned_org_id, 0 FROM (SELECT DISTINCT owned_org_id FROM ownership_stakes)
            UNION
            SELECT up.start_id, s.owner_org_id, up.depth + 1
            FROM up JOIN ownership_stakes AS s ON s.owned_org_id = up.org_id WHERE up.depth < 6)
        SELECT start_id FROM up GROUP BY 1 ORDER BY max(depth) DESC, count(*) DESC, 1 LIMIT 1""")
    operator = one("SELECT operator_org_id FROM facilities WHERE operator_org_id IS NOT NULL "
                   "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    name = (db.sql("SELECT name FROM organisations WHERE org_id = $org", {"org": most_owned}).rows()
            or [("a",)])[0][0]
    investment = one("SELECT min(investment_id) FROM investments")
    party = one("SELECT org_id FROM agreement_parties GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    chosen = {
        "owners_of": {"org": most_owned},
        "ownership_chain": {"org": deepest},
        "capacity_history": {"subject": operator},
        "organisation_profile": {"org": most_owned},
        "search_organisations": {"text": name[:6]},
        "partner_network": {"org": most_owned},
        "provenance": {"table_name": "investments", "row_id": str(investment)},
        # the lookups of one organisation's agreements: the one party to the most
        "agreements_between": {"org": party},
        "supply_relationships": {"org": party},
    }
    return {q: chosen.get(q, {}) for q, query in db.queries.items()}


def reachable_stakes(db: batterydb.Database, org: str) -> int:
    """Stakes reachable upwards from ``org``: the work an ownership query cannot avoid."""
    return db.sql("""
        WITH RECURSIVE up(org_id) AS (
            SELECT $org UNION SELECT s.owner_org_id FROM up JOIN ownership_stakes AS s ON s.owned_org_id = up.org_id)
        SELECT count(*) FROM ownership_stakes AS s JOIN up ON s.owned_org_id = up.org_id""", {"org": org}).rows()[0][0]


#: The ownership lookups whose cost should follow the stakes reachable from the organisation asked about.
OWNERSHIP_LOOKUPS = ("owners_of", "ownership_chain", "organisation_profile")


def latency_by_reach(db: batterydb.Database, repeat: int, sample: int = 200) -> list[dict]:
    """The ownership lookups' latency from organisations with few to many stakes reachable above them.

    From a fixed sample of owned organisations (the first ``sample`` by a
    hash of their id), the one with the fewest reachable stakes, the
    median, the 90th percentile and the most.
    """
    owned = [o for (o,) in db.sql("SELECT owned_org_id FROM (SELECT DISTINCT owned_org_id FROM ownership_stakes) "
                                  "ORDER BY hash(owned_org_id), owned_org_id LIMIT $n", {"n": sample}).rows()]
    reach = sorted((reachable_stakes(db, o), o) for o in owned)
    picks = dict.fromkeys(reach[min(int(f * (len(reach) - 1)), len(reach) - 1)] for f in (0, 0.5, 0.9, 1))
    rows = []
    for stakes, org in picks:
        row = {"org": org, "reachable_stakes": stakes}
        for name in OWNERSHIP_LOOKUPS:
            with budget(db.interrupt):
                row[name] = median_seconds(lambda: db.run(name, org=org).rows(), repeat)
        rows.append(row)
    return rows


def bound_params(db: batterydb.Database, name: str, params: dict) -> dict:
    """Every parameter of the query, defaults included, as DuckDB binds them."""
    return query_params.bind(db.connection, db.queries[name], params)


# --- per engine ---------------------------------------------------------------------------------------------

def sqlite_latencies(db, path: Path, cases: dict, repeat: int) -> dict:
    to_sqlite(db, path)
    lite = sqlite3.connect(path)
    known = transpile.macros()
    out = {}
    for name, params in cases.items():
        carried = transpile.carry(db.queries[name], "sqlite", known)
        if not carried.ok:
            continue
        bound = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                 for k, v in bound_params(db, name, params).items()}
        try:
            with budget(lite.interrupt):
                out[name] = {"seconds": median_seconds(lambda: lite.execute(carried.sql, bound).fetchall(), repeat)}
        except sqlite3.OperationalError as exc:
            out[name] = {"error": "interrupted after %.0f s" % QUERY_BUDGET_S if "interrupt" in str(exc) else str(exc)}
        print("sqlite", name, out[name], file=sys.stderr, flush=True)
    lite.close()
    return out


def postgres_latencies(db, dsn: str, cases: dict, repeat: int) -> tuple[float, dict]:
    import psycopg

    start = time.perf_counter()
    published = publish.publish_postgres(db, dsn, target="bench")
    publish_seconds = time.perf_counter() - start
    out = {}
    with psycopg.connect(dsn, autocommit=True) as pg:
        pg.execute(f"SET statement_timeout = {int(QUERY_BUDGET_S * 1000)}")
        pg.execute("ANALYZE")
        for name in published.functions:
            params = bound_params(db, name, cases[name])
            arguments = ", ".join(f"{k} => %({k})s" for k in params)
            sql = f"SELECT * FROM bench_analytics.{name}({arguments})"
            try:
                out[name] = {"seconds": median_seconds(lambda: pg.execute(sql, params).fetchall(), repeat)}
            except psycopg.errors.QueryCanceled:
                out[name] = {"error": f"interrupted after {QUERY_BUDGET_S:.0f} s"}
            print("postgres", name, out[name], file=sys.stderr, flush=True)
    return publish_seconds, out


def wrapper_overhead(db, cases: dict, pairs: int, latencies: dict) -> dict:
    """``db.run`` against ``execute`` + ``fetchall`` on DuckDB's connection, with the same SQL and parameters.

    The two run in turn, and the figure is the median of the differences
    between neighbouring runs: on a busy machine one run's noise is far
    larger than the difference, and pairing cancels most of it.
    """
    out = {}
    for name, params in cases.items():
        if latencies.get(name, {}).get("seconds", WRAPPER_UNDER_S) >= WRAPPER_UNDER_S:
            continue
        bound = bound_params(db, name, params)
        sql = db.queries[name].sql
        differences, direct = [], []
        with budget(db.interrupt):
            try:
                db.run(name, **params).rows()
                for _ in range(pairs):
                    start = time.perf_counter()
                    db.run(name, **params).rows()  # as Python rows, as the direct run's fetchall gives them
                    wrapped = time.perf_counter() - start
                    start = time.perf_counter()
                    db.connection.execute(sql, bound).fetchall()
                    direct.append(time.perf_counter() - start)
                    differences.append(wrapped - direct[-1])
            except (batterydb.BatterydbError, duckdb.Error):
                continue
        out[name] = {"overhead": statistics.median(differences), "direct": statistics.median(direct)}
    return out


SHIPPED_BUILD = """
import sys, time, json, batterydb
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    batterydb.build(out=sys.argv[1])
    times.append(time.perf_counter() - start)
print(json.dumps(sorted(times)[len(times) // 2]))
"""


def shipped_build(work: Path, repeat: int, make_run: bool) -> dict:
    """The shipped seeds' build (median, in a fresh process after its imports), and ``make run`` once built."""
    _, _, out = measured_process(SHIPPED_BUILD, str(work / "shipped.duckdb"), str(max(repeat, 3)))
    found = {"build": json.loads(out)}
    if make_run:
        subprocess.run(["make", "-s", "run"], cwd=ROOT, check=True, capture_output=True)  # the first time
        found["make_run"] = median_seconds(
            lambda: subprocess.run(["make", "-s", "run"], cwd=ROOT, check=True, capture_output=True), repeat)
    return found


def cli_cold_start(db_path: Path, repeat: int) -> dict:
    cli = str(Path(sys.executable).parent / "batterydb")

    def run(command):
        subprocess.run(command, check=True, capture_output=True)

    return {
        "cli": median_seconds(lambda: run([cli, "query", "agreements", "--db", str(db_path), "--format", "csv"]),
                              repeat),
        "import_duckdb": median_seconds(lambda: run([sys.executable, "-c", "import duckdb"]), repeat),
    }


# --- one scale ----------------------------------------------------------------------------------------------

def bench_scale(scale: float, work: Path, repeat: int, dsn: str | None) -> dict:
    seeds, raw_db, built_db = work / f"seeds-{scale:g}", work / f"raw-{scale:g}.duckdb", work / f"bdb-{scale:g}.duckdb"
    start = time.perf_counter()
    generated = batterydb.generate(seeds, scale=scale, seed=1)
    result: dict = {"scale": scale, "run_started": RUN_STARTED, "generate_seconds": time.perf_counter() - start,
                    "organisations": generated["organisations"], "stakes": generated["ownership_stakes"],
                    "rows": sum(generated.values()),
                    "csv_bytes": sum(p.stat().st_size for p in seeds.glob("*.csv"))}
    print(f"scale {scale:g}: {result['organisations']} organisations, {result['stakes']} stakes", file=sys.stderr)
    result["raw_seconds"], result["raw_peak"], _ = measured_process(RAW_LOAD, str(seeds), str(raw_db))
    result["build_seconds"], result["build_peak"], built = measured_process(BUILD, str(seeds), str(built_db))
    built = json.loads(built)
    if built["counts"] != generated:
        raise RuntimeError("the built database does not hold the generated rows")
    result["build_steps"] = built["timings"]
    with batterydb.connect(built_db) as db:
        cases = query_cases(db)
        result["cases"] = cases
        result["reachable_stakes"] = reachable_stakes(db, cases["ownership_chain"]["org"])
    _, result["query_peak"], out = measured_process(QUERIES, str(built_db), json.dumps(cases), str(repeat),
                                                    str(QUERY_BUDGET_S), str(SLOW_S))
    result["duckdb"] = json.loads(out)
    print(f"scale {scale:g}: duckdb done", file=sys.stderr)
    with batterydb.connect(built_db) as db:
        result["wrapper_pairs"] = 1 if repeat == 1 else max(repeat, WRAPPER_PAIRS)
        result["wrapper"] = wrapper_overhead(db, cases, result["wrapper_pairs"], result["duckdb"])
        print(f"scale {scale:g}: wrapper done", file=sys.stderr)
        if scale >= 10:
            result["by_reach"] = latency_by_reach(db, repeat)
            print(f"scale {scale:g}: latency by reach done", file=sys.stderr)
        result["sqlite"] = sqlite_latencies(db, work / f"bdb-{scale:g}.sqlite", cases, repeat)
        print(f"scale {scale:g}: sqlite done", file=sys.stderr)
        if dsn is not None:
            result["publish_seconds"], result["postgres"] = postgres_latencies(db, dsn, cases, repeat)
            print(f"scale {scale:g}: postgres done", file=sys.stderr)
    for path in (raw_db, work / f"bdb-{scale:g}.sqlite"):
        path.unlink(missing_ok=True)
    shutil.rmtree(seeds)
    result["built_db"] = str(built_db)
    return result


# --- the report ---------------------------------------------------------------------------------------------

def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.1f}"


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return [f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory / 2**30:.1f} GB",
            f"- {platform.platform()}; Python {platform.python_version()}",
            f"- DuckDB {duckdb.__version__}; SQLite {sqlite3.sqlite_version}; batterydb {batterydb.__version__}"]


def report(results: list[dict], cold: dict | None, pg_version: str | None, repeat: int) -> str:
    runs: dict[str, list[str]] = {}
    for r in results:
        runs.setdefault(r.get("run_started", "?"), []).append(f"{r['scale']:g}")
    if len(runs) == 1:
        origin = "every figure below comes from one run on one machine"
    else:
        origin = "the figures below come from runs on one machine: " + "; ".join(
            f"scale {', '.join(scales)} from the run started {started}" for started, scales in runs.items())
    lines = ["# Benchmark results", "",
             f"Written by `benchmarks/run.py` on {time.strftime('%Y-%m-%d')}; {origin}. "
             f"Latencies are the median of {repeat} warm runs, in milliseconds. The output "
             "paths (Parquet, CSV, JSON Lines, Arrow) against DuckDB's own COPY are in OUTPUT.md, written by "
             "`benchmarks/output.py`.", "",
             "## Machine", "", *_machine(), f"- PostgreSQL: {pg_version or 'not measured'}", "",
             "## Build: validation's cost", "",
             "| scale | organisations | stakes | rows | CSV | generate s | raw DuckDB load s | batterydb build s "
             "| ratio | raw peak | build peak |", "|---" * 11 + "|"]
    for r in results:
        lines.append(f"| {r['scale']:g} | {r['organisations']} | {r['stakes']} | {r['rows']} | {_mb(r['csv_bytes'])} "
                     f"| {r['generate_seconds']:.2f} | {r['raw_seconds']:.2f} | {r['build_seconds']:.2f} "
                     f"| {r['build_seconds'] / r['raw_seconds']:.1f}x | {_mb(r['raw_peak'])} | {_mb(r['build_peak'])} |")
    steps = list(results[0].get("build_steps", {}))
    if steps:
        lines += ["", "Where the build's time goes: each of its steps (`BuildResult.timings`: the check's steps, "
                  "`validate.STEPS`, then the writing's), in seconds. The process also starts Python and "
                  "imports batterydb.", "",
                  "| step | " + " | ".join(f"scale {r['scale']:g}" for r in results) + " |",
                  "|---" * (len(results) + 1) + "|"]
        lines += [f"| {step} | " + " | ".join(f"{r.get('build_steps', {}).get(step, 0):.2f}" for r in results) + " |"
                  for step in steps]
        lines += ["| all steps | " + " | ".join(f"{sum(r.get('build_steps', {}).values()):.2f}" for r in results) + " |",
                  "| build process | " + " | ".join(f"{r['build_seconds']:.2f}" for r in results) + " |"]
    shipped = (cold or {}).get("shipped")
    if shipped:
        lines += ["", f"The shipped seeds build in {shipped['build']:.2f} s (median, in a process that has "
                  "imported batterydb)" + (f"; `make run`, once built, takes {shipped['make_run']:.2f} s."
                                           if "make_run" in shipped else ".")]
    reach = [r for r in results if r.get("by_reach")]
    if reach:
        lines += ["", "## Ownership lookups against the stakes they reach", "",
                  "From a fixed sample of 200 owned organisations per scale: the one with the fewest stakes "
                  "reachable above it, the median, the 90th percentile and the most. Milliseconds.", "",
                  "| scale | organisation | reachable stakes | " + " | ".join(OWNERSHIP_LOOKUPS) + " |",
                  "|---" * (3 + len(OWNERSHIP_LOOKUPS)) + "|"]
        for r in reach:
            for row in r["by_reach"]:
                lines.append(f"| {r['scale']:g} | {row['org']} | {row['reachable_stakes']} | "
                             + " | ".join(_ms(row[n]) for n in OWNERSHIP_LOOKUPS) + " |")
    names = sorted(results[0]["duckdb"])
    for r in results:
        lines += ["", f"## Queries at scale {r['scale']:g}", "",
                  f"Peak memory of the query process: {_mb(r['query_peak'])}. "
                  f"ownership_chain starts from {r['cases']['ownership_chain']['org']}, "
                  f"with {r['reachable_stakes']} stakes reachable above it. The wrapper's overhead is the median "
                  f"difference of {r.get('wrapper_pairs', repeat)} pairs of runs, measured on the queries DuckDB "
                  f"answers in under {WRAPPER_UNDER_S:g} s; a query slower than "
                  f"{SLOW_S:g} s is timed once.", "",
                  "| query | DuckDB ms | rows | SQLite ms | SQLite / DuckDB | PostgreSQL ms | PostgreSQL / DuckDB "
                  "| wrapper overhead |", "|---" * 8 + "|"]
        for name in names:
            duck = r["duckdb"].get(name, {})
            d = duck.get("seconds")
            cells = [name, duck.get("error", _ms(d)), str(duck.get("rows", "–"))]
            for engine in ("sqlite", "postgres"):
                other = r.get(engine, {}).get(name)
                if other is None:
                    cells += ["not carried" if engine in r else "–", "–"]
                elif "error" in other:
                    cells += [other["error"], "–"]
                else:
                    cells += [_ms(other["seconds"]), f"{other['seconds'] / d:.1f}x" if d else "–"]
            w = r["wrapper"].get(name)
            cells.append("–" if w is None else
                         f"{w['overhead'] * 1e6:.0f} µs ({w['overhead'] / w['direct'] * 100:.1f}%)")
            lines.append("| " + " | ".join(cells) + " |")
    if cold:
        lines += ["", "## CLI cold start (scale of the first run)", "",
                  f"`batterydb query agreements`: {_ms(cold['cli'])} ms; `python -c \"import duckdb\"`: "
                  f"{_ms(cold['import_duckdb'])} ms; ratio {cold['cli'] / cold['import_duckdb']:.1f}x."]
    lines += ["", "## Targets", "", *targets(results, cold)]
    engines = ROOT / "benchmarks" / "ENGINES.md"  # written by engines.py, which also puts it here
    if engines.exists():
        lines += ["", "<!-- engines -->", engines.read_text(encoding="utf-8").strip(), "<!-- /engines -->"]
    findings = ROOT / "benchmarks" / "findings.md"  # written by hand, after reading the figures
    if findings.exists():
        lines += ["", findings.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


#: The lookups: one organisation's answer, under LOOKUP_S at the largest scale.
LOOKUPS = ("owners_of", "ownership_chain", "organisation_profile", "provenance", "capacity_history",
           "search_organisations", "agreements_between", "supply_relationships", "partner_network")
#: The whole-database aggregates, under AGGREGATE_S at the largest scale.
AGGREGATES = ("attributable_capacity", "capacity_by_country", "capacity_pipeline", "targets_vs_reported",
              "stalled_projects")
LOOKUP_S, AGGREGATE_S = 0.1, 1.0


def targets(results: list[dict], cold: dict | None) -> list[str]:
    out = []
    for r in results:
        if r["scale"] >= 100:
            ratio = r["build_seconds"] / r["raw_seconds"]
            out.append(f"- build within 1.5x of the raw load at scale {r['scale']:g}: "
                       f"{'met' if ratio <= 1.5 else 'missed'} ({ratio:.1f}x); peak {_mb(r['build_peak'])} "
                       f"({'under' if r['build_peak'] < 2 * 2**30 else 'over'} 2 GB)")
    shipped = (cold or {}).get("shipped", {})
    if "build" in shipped:
        out.append(f"- the shipped seeds build in under 1 s: {'met' if shipped['build'] < 1 else 'missed'} "
                   f"({shipped['build']:.2f} s)")
    if "make_run" in shipped:
        out.append(f"- `make run`, once built, in under 3 s: {'met' if shipped['make_run'] < 3 else 'missed'} "
                   f"({shipped['make_run']:.2f} s)")
    big = results[-1]
    for kind, names, limit in (("lookups", LOOKUPS, LOOKUP_S), ("aggregates", AGGREGATES, AGGREGATE_S)):
        slow = [n for n in names if "error" in big["duckdb"].get(n, {"error": 1})
                or big["duckdb"][n]["seconds"] > limit]
        out.append(f"- {kind} under {limit * 1000:g} ms at scale {big['scale']:g}: "
                   + ("met" if not slow else "missed by " + ", ".join(
                       f"{n} ({_ms(big['duckdb'][n].get('seconds'))} ms)" for n in slow)))
    for engine in ("sqlite", "postgres"):
        losses = sorted({f"{n} at scale {r['scale']:g}" for r in results if r["scale"] >= 100
                         for n, q in r.get(engine, {}).items()
                         if "seconds" in q and "seconds" in r["duckdb"].get(n, {})
                         and q["seconds"] < r["duckdb"][n]["seconds"]})
        measured = any(r["scale"] >= 100 and engine in r for r in results)
        out.append(f"- faster than {engine} on every query it runs at scale 100 and above: "
                   + ("not measured (no scale of 100 or more in this run)" if not measured
                      else "met" if not losses else "missed on " + ", ".join(losses)))
    heavy = sorted({n for r in results for n, w in r["wrapper"].items()
                    if w["overhead"] > max(0.05 * w["direct"], 100e-6)})
    out.append("- wrapper overhead under 5% or 100 µs per call: " + ("met" if not heavy else
               "missed on " + ", ".join(heavy)))
    if cold:
        out.append(f"- CLI cold start under 0.5 s: {'met' if cold['cli'] < 0.5 else 'missed'} "
                   f"({cold['cli']:.2f} s)")
    return out


# --- main ---------------------------------------------------------------------------------------------------

def start_postgres():
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from pgserver import Server

        return Server().start()
    except Exception as exc:  # no server installed: the run goes on without PostgreSQL
        print(f"PostgreSQL not measured: {exc}", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales (default: 1,10,100)")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per query (default: 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--no-postgres", action="store_true", help="leave PostgreSQL out")
    parser.add_argument("--smoke", action="store_true", help="scale 1, one run of each: proves it runs")
    parser.add_argument("--from-json", type=Path, help="write the report again from a run's --json file")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        args.out.write_text(report(saved["results"], saved["cold"], saved.get("postgres_version"), saved["repeat"]),
                            encoding="utf-8")
        return 0
    scales = [1.0] if args.smoke else [float(s) for s in args.scales.split(",")]
    repeat = 1 if args.smoke else args.repeat
    server = None if args.no_postgres else start_postgres()
    pg_version = None
    try:
        if server is not None:
            import psycopg

            with psycopg.connect(server.dsn()) as pg:
                pg_version = pg.execute("SHOW server_version").fetchone()[0]
        results, cold = [], None

        def save() -> None:  # after every scale: a long run that fails late keeps what it measured
            if args.json:
                args.json.write_text(json.dumps({"results": results, "cold": cold, "postgres_version": pg_version,
                                                 "repeat": repeat}, indent=2, default=str), encoding="utf-8")

        with tempfile.TemporaryDirectory(prefix="batterydb-bench-") as tmp:
            for scale in scales:
                results.append(bench_scale(scale, Path(tmp), repeat, server.dsn() if server else None))
                save()
            cold = cli_cold_start(Path(results[0]["built_db"]), repeat)
            cold["shipped"] = shipped_build(Path(tmp), repeat, make_run=not args.smoke)
            save()
    finally:
        if server is not None:
            server.stop()
    text = report(results, cold, pg_version, repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
