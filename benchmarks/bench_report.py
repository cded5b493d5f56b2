"""Benchmark: the whole report job at Excel's row limit.

A transactions workbook of 1,048,575 rows (about 80,000 customers, fixed seed) ->
report workbook, with ``clv-xl report``'s code (fastexcel reading in pieces of rows,
vectorised summary, XlsxWriter writing with the table rows spliced in as sheet XML), against the plain path measured in the same run:
``pandas.read_excel`` with openpyxl, a pandas groupby per customer and segment, and
openpyxl writing the same customer and segment tables. Each path runs in its own
process, which reports its time and its peak memory (its own high-water resident
memory, ``timing.peak_memory_bytes``: Python and the libraries included).

Run by hand from the project root (takes a few minutes, mostly the plain path)::

    python benchmarks/bench_report.py [rows] [--shared-strings]

``--shared-strings`` stores the texts as Excel saves them (a shared strings table)
instead of XlsxWriter's constant-memory inline strings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import xlsxwriter

CUSTOMERS = 80_000
SEGMENTS = ("Retail", "Wholesale", "Online", "Export")


def make_workbook(path: Path, rows: int, *, shared_strings: bool = False) -> None:
    """Transactions at Excel's limit: texts inline (XlsxWriter's constant memory) or shared, as Excel saves them."""
    rng = np.random.default_rng(20261122)
    customers = rng.integers(1, CUSTOMERS + 1, rows)
    # each customer buys between a first day and the day they leave (an exponential
    # lifetime of a year on average), so that some are lost before the end, as in a real
    # base, and the predictive models (BG/NBD, Gamma-Gamma) have churn to fit
    first_day = rng.integers(0, 2 * 365, CUSTOMERS + 1)
    last_day = np.minimum(first_day + rng.exponential(365.0, CUSTOMERS + 1).astype(np.int64), 3 * 365 - 1)
    days = first_day[customers] + (rng.random(rows) * (last_day[customers] - first_day[customers] + 1)).astype(np.int64)
    amounts = rng.gamma(2.0, 60.0, rows).round(2)
    start = np.datetime64("2022-01-01")
    book = xlsxwriter.Workbook(str(path), {"constant_memory": not shared_strings})
    sheet = book.add_worksheet("Transactions")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["customer_id", "date", "amount", "segment"])
    for row in range(rows):
        customer = int(customers[row])
        sheet.write_string(row + 1, 0, f"C{customer:06d}")
        sheet.write_datetime(row + 1, 1, (start + int(days[row])).astype(object), dates)
        sheet.write_number(row + 1, 2, float(amounts[row]))
        sheet.write_string(row + 1, 3, SEGMENTS[customer % len(SEGMENTS)])
    parameters = book.add_worksheet("Parameters")
    for row, (key, value) in enumerate([("key", "value"), ("cac", 120), ("margin", 0.35), ("discount_rate", 0.08)]):
        parameters.write_row(row, 0, [key, value])
    book.close()


FAST = """
import json, sys, time
from timing import peak_memory_bytes
from pathlib import Path
from clv_xl.report.run import report_from_file
start = time.perf_counter()
report_from_file(Path(sys.argv[1]), Path(sys.argv[2]), force=True)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak_memory_bytes() / 1024**2}))
"""

PLAIN = """
import json, sys, time
from timing import peak_memory_bytes
import openpyxl, pandas as pd
start = time.perf_counter()
frame = pd.read_excel(sys.argv[1], sheet_name="Transactions", engine="openpyxl", dtype={"customer_id": str})
customers = frame.groupby("customer_id").agg(
    orders=("amount", "size"), revenue=("amount", "sum"), first=("date", "min"), last=("date", "max"),
    segment=("segment", "first"),
).sort_values("revenue", ascending=False).reset_index()
segments = customers.groupby("segment").agg(customers=("customer_id", "size"), orders=("orders", "sum"),
                                            revenue=("revenue", "sum")).reset_index()
book = openpyxl.Workbook()
sheet = book.active
sheet.append(list(segments.columns))
for row in segments.itertuples(index=False):
    sheet.append(list(row))
sheet = book.create_sheet("Customers")
sheet.append(list(customers.columns))
for row in customers.itertuples(index=False):
    sheet.append([v.to_pydatetime() if hasattr(v, "to_pydatetime") else v for v in row])
book.save(sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": peak_memory_bytes() / 1024**2}))
"""


def run(code: str, source: Path, target: Path) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-c", code, str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},  # for timing.py
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(rows: int = 1_048_575, *, shared_strings: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "transactions.xlsx"
        started = time.perf_counter()
        make_workbook(source, rows, shared_strings=shared_strings)
        print(
            f"input: {rows:,} transactions, {source.stat().st_size / 1024**2:.0f} MB, made in {time.perf_counter() - started:.0f} s"
        )
        fast = run(FAST, source, Path(folder) / "report.xlsx")
        print(f"clv-xl report: {fast['seconds']:.2f} s, peak {fast['peak_mb']:.0f} MB")
        plain = run(PLAIN, source, Path(folder) / "plain.xlsx")
        print(
            f"plain path (read_excel+openpyxl, groupby, openpyxl): {plain['seconds']:.2f} s, peak {plain['peak_mb']:.0f} MB"
        )
        print(f"ratio: {plain['seconds'] / fast['seconds']:.1f}x faster")


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--shared-strings"]
    main(int(arguments[0]) if arguments else 1_048_575, shared_strings="--shared-strings" in sys.argv)
