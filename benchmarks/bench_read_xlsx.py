"""Benchmark: reading a transactions sheet at Excel's row limit against pandas + openpyxl.

A workbook with one full sheet (a header and 1,048,575 orders: customer id as text
with leading zeros, date cell, amount, segment) is written with xlsxwriter in
constant-memory mode to a temporary folder. Each reader then runs in its own process,
so that its peak memory (the process's high-water resident memory, see
``timing.peak_memory_bytes``) is its own:

* clv_xl: :func:`clv_xl.read_transactions` (the sheet parsed by fastexcel in pieces of
  rows into typed columns, then every cell validated: ids as text, dates, amounts);
* the baseline: ``pandas.read_excel(path, engine="openpyxl")``, which only reads the
  cells (no validation);
* for reference, python-calamine alone (open, parse the whole sheet, convert it to
  Python lists), the reader clv_xl uses for sheets that are not clean.

The script prints the times, the ratio, and for each process its peak memory: the
growth above what the process held before reading, and the whole process's peak. Run by hand from the project root::

    python benchmarks/bench_read_xlsx.py [rows] [--bad-row=900002]

``--bad-row=N`` writes the text "dodici" as the amount of sheet row N: the sheet is not
clean, and clv_xl reads it cell by cell (``on_error="skip"``), as a user with one bad
cell would wait for it.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from timing import peak_memory_bytes

ROWS = 1_048_575
SEED = 20240601


def write_workbook(path: Path, rows: int, *, bad_row: int | None = None) -> None:
    """A sheet "Vendite" with Italian headers and ``rows`` orders, written row by row.

    With ``bad_row`` (a sheet row), that row's amount is the text "dodici": the sheet is
    no longer clean and clv_xl reads it cell by cell.
    """
    import xlsxwriter

    rng = np.random.default_rng(SEED)
    customers = rng.integers(0, 80_000, rows)
    days = rng.integers(0, 730, rows)
    amounts = np.round(rng.gamma(2.0, 35.0, rows), 2)
    segments = np.array(["Nord", "Centro", "Sud", "Online"])[rng.integers(0, 4, rows)]
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Vendite")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["ID Cliente", "Data", "Importo", "Segmento"])
    start = dt.datetime(2023, 1, 1)
    for row in range(rows):
        sheet.write_string(row + 1, 0, f"{customers[row]:06d}")
        sheet.write_datetime(row + 1, 1, start + dt.timedelta(days=int(days[row])), date_format)
        if row + 2 == bad_row:
            sheet.write_string(row + 1, 2, "dodici")
        else:
            sheet.write_number(row + 1, 2, float(amounts[row]))
        sheet.write_string(row + 1, 3, str(segments[row]))
    book.close()


def child(reader: str, path: str) -> None:
    """Read ``path`` with one reader; print seconds, rows and peak memory growth as JSON."""
    import pandas as pd

    from clv_xl import read_transactions

    before = peak_memory_bytes()
    start = time.perf_counter()
    if reader == "clv_xl":
        read = read_transactions(path, on_error="skip")
        rows = len(read.table) + read.skipped_rows
    elif reader == "calamine":
        from python_calamine import CalamineWorkbook

        rows = len(CalamineWorkbook.from_path(path).get_sheet_by_name("Vendite").to_python()) - 1
    else:
        rows = len(pd.read_excel(path, engine="openpyxl"))
    seconds = time.perf_counter() - start
    peak = peak_memory_bytes()
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_growth": peak - before, "peak": peak}))


def run(reader: str, path: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", reader, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(rows: int, *, bad_row: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "transactions.xlsx"
        start = time.perf_counter()
        write_workbook(path, rows, bad_row=bad_row)
        print(f"wrote {rows:,} orders ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
        ours = run("clv_xl", path)
        floor = run("calamine", path)
        theirs = run("openpyxl", path)
    assert ours["rows"] == theirs["rows"] == rows, (ours, theirs)
    for label, result in (
        ("clv_xl (fastexcel + validation)" if bad_row is None else "clv_xl (cell by cell, 1 bad row)", ours),
        ("pandas.read_excel (openpyxl)", theirs),
        ("python-calamine alone", floor),
    ):
        print(
            f"  {label:32} {result['seconds']:7.1f} s   peak memory +{result['peak_growth'] / 1e6:4.0f} MB "
            f"({result['peak'] / 1e6:4.0f} MB for the whole process)   ratio {theirs['seconds'] / result['seconds']:.1f}x"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--bad-row")]
        bad = next((int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--bad-row=")), None)
        main(int(arguments[0]) if arguments else ROWS, bad_row=bad)
