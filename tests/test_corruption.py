"""Property: whatever a user does to a seed file, batterydb answers with a build or its own error list.

Random corruptions of valid seed files (cells emptied, duplicated, swapped,
changed; lines truncated or repeated; random bytes) must end either in a
successful build or in a ``SeedError`` whose every problem names its file,
never in a traceback from DuckDB or Python.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import batterydb
from batterydb import SeedError, paths

SEED_FILES = sorted(p.name for p in paths.seeds_dir().glob("*.csv") if p.stat().st_size < 20_000)

VALUES = st.one_of(
    st.sampled_from(["", "1,000", "12 %", "-5", "1e999", "2024-02-30", "yes", '"', "catl", "0", "100.5",
                     "NULL", " ", "\u00e9", "exact", "2024-03-01"]),
    st.integers(-10**12, 10**12).map(str),
    st.text(max_size=12),
)


@st.composite
def corruptions(draw):
    name = draw(st.sampled_from(SEED_FILES))
    kind = draw(st.sampled_from(["empty_cell", "duplicate_cell", "swap_cells", "change_cell",
                                 "truncate_line", "duplicate_line", "random_bytes"]))
    return name, kind, draw(st.randoms(use_true_random=False)), draw(VALUES), draw(st.binary(min_size=1, max_size=8))


def corrupt(data: bytes, kind: str, rnd, value: str, noise: bytes) -> bytes:
    lines = data.split(b"\n")
    body = [i for i, line in enumerate(lines[1:], 1) if line]
    if kind == "random_bytes" or not body:
        at = rnd.randrange(len(data) + 1)
        return data[:at] + noise + data[at:]
    i = rnd.choice(body)
    cells = lines[i].split(b",")
    j, k = rnd.randrange(len(cells)), rnd.randrange(len(cells))
    if kind == "empty_cell":
        cells[j] = b""
    elif kind == "duplicate_cell":
        cells.insert(j, cells[j])
    elif kind == "swap_cells":
        cells[j], cells[k] = cells[k], cells[j]
    elif kind == "change_cell":
        cells[j] = value.encode()
    elif kind == "truncate_line":
        lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)]
        return b"\n".join(lines)
    elif kind == "duplicate_line":
        lines.insert(i, lines[i])
        return b"\n".join(lines)
    lines[i] = b",".join(cells)
    return b"\n".join(lines)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruptions())
def test_corrupted_seeds_build_or_fail_with_a_problem_list(case):
    name, kind, rnd, value, noise = case
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(paths.seeds_dir(), seeds)
        target = seeds / name
        target.write_bytes(corrupt(target.read_bytes(), kind, rnd, value, noise))
        try:
            batterydb.build(out=Path(tmp) / "db.duckdb", seeds=seeds)
        except SeedError as exc:
            assert exc.errors, "a SeedError must hold at least one error"
            for problem in exc.problems:
                assert Path(problem.file).parent == seeds
                assert problem.line is None or problem.line >= 1
                assert problem.message
