"""Benchmark: one Excel function over a whole column, in one call.

Compares ``clv_xl.cells.evaluate`` (what ``=CLV(A2:A1048576, ...)`` runs) with the
baseline of evaluating the same cells one by one (what a cell-by-cell formula
``=CLV(A2, ...)`` filled down costs in Python), measured in the same run.

Run by hand from the project root::

    python benchmarks/bench_functions.py [rows]
"""

from __future__ import annotations

import sys
import time

import numpy as np

from clv_xl.catalogue import find
from clv_xl.cells import evaluate


def main(rows: int = 1_048_575) -> None:
    rng = np.random.default_rng(20261122)
    apv = [[float(v)] for v in rng.uniform(100, 20000, rows).round(2)]
    acl = [[float(v)] for v in rng.uniform(0.5, 10, rows).round(1)]
    cac = [[1000.0]]
    function = find("CLV")
    assert function is not None

    start = time.perf_counter()
    column = evaluate(function, [apv, acl, cac])
    one_call = time.perf_counter() - start

    sample = min(rows, 50_000)
    start = time.perf_counter()
    singles = [evaluate(function, [apv[i][0], acl[i][0], 1000.0]) for i in range(sample)]
    per_cell = (time.perf_counter() - start) * rows / sample

    assert isinstance(column, list)
    assert [row[0] for row in column[:sample]] == singles
    print(f"rows: {rows:,}")
    print(f"one call over the column: {one_call:.2f} s")
    print(f"cell by cell (extrapolated from {sample:,} cells): {per_cell:.2f} s")
    print(f"ratio: {per_cell / one_call:.1f}x faster in one call")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_048_575)
