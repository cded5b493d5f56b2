"""Reading written report workbooks back, for the report tests: cells, formulas, cached and recalculated values."""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import openpyxl

Address = tuple[str, str]  # (sheet, cell)


def load(path: Path, *, data_only: bool = False) -> Any:
    """openpyxl's workbook (charts it cannot read, e.g. LibreOffice's, are skipped without a warning)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unable to read chart")
        return openpyxl.load_workbook(path, data_only=data_only)


def formulas(path: Path) -> dict[Address, str]:
    """Every formula cell of every sheet, with its formula text."""
    book = load(path)
    return {
        (sheet.title, cell.coordinate): str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }


def values(path: Path, addresses: list[Address] | None = None) -> dict[Address, Any]:
    """The values (cached in the file, or LibreOffice's after recalculation) of ``addresses``, or of every cell."""
    book = load(path, data_only=True)
    if addresses is not None:
        return {(sheet, cell): book[sheet][cell].value for sheet, cell in addresses}
    return {
        (sheet.title, cell.coordinate): cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def same(a: object, b: object, rel: float = 1e-9) -> bool:
    """Two cell values are the same: equal texts, numbers to ``rel`` (1e-9 absolute near 0), blank as ''."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-9)
    return a == b


def first_sheet_value(path: Path, label: str) -> object:
    """The value beside ``label`` (column A) on the first sheet."""
    sheet = load(path, data_only=True).worksheets[0]
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row[1].value
    raise AssertionError(f"no row {label!r} on the first sheet")


def texts(path: Path) -> list[str]:
    """Every text of the workbook as a reader sees it: cells (cached values of formulas too) and chart titles."""
    import zipfile

    found = [str(v) for v in values(path).values() if isinstance(v, str)]
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/charts/chart"):
                found.append(package.read(name).decode("utf-8"))
    return found
