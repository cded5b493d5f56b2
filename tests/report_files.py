"""Reading written report workbooks back, for the report tests: cells, formulas, cached and recalculated values.

openpyxl takes tens of seconds on a report of 23,570 customers, so the bulk readers
here read the package directly: formulas from each sheet's XML (what the file holds,
as Excel would load it), values with python-calamine (what a reader such as pandas
sees: the cached results of formulas, or LibreOffice's after recalculation).
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_cell_to_rowcol

from clv_xl.ooxml import sheet_part

Address = tuple[str, str]  # (sheet, cell)

_CELL = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_FORMULA = re.compile(rb"<f>(.*?)</f>", re.S)


def load(path: Path, *, data_only: bool = False) -> Any:
    """openpyxl's workbook (charts it cannot read, e.g. LibreOffice's, are skipped without a warning)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unable to read chart")
        return openpyxl.load_workbook(path, data_only=data_only)


def sheet_names(path: Path) -> list[str]:
    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def formulas(path: Path) -> dict[Address, str]:
    """Every formula cell of every sheet, with its formula text (``=...``), read from the sheets' XML."""
    found: dict[Address, str] = {}
    with zipfile.ZipFile(path) as package:
        for name in sheet_names(path):
            part = sheet_part(package, name)
            assert part is not None, name
            for cell, body in _CELL.findall(package.read(part)):
                formula = _FORMULA.search(body or b"")
                if formula:
                    found[(name, cell.decode())] = "=" + unescape(formula.group(1).decode("utf-8"))
    return found


def values(path: Path, addresses: list[Address] | None = None) -> dict[Address, Any]:
    """The values of ``addresses`` (or of every non-empty cell): cached in the file, or recalculated by LibreOffice."""
    book = CalamineWorkbook.from_path(str(path))
    grids = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    if addresses is None:
        return {
            (name, f"{_column(j)}{i + 1}"): value
            for name, grid in grids.items()
            for i, row in enumerate(grid)
            for j, value in enumerate(row)
            if value not in (None, "")
        }
    found: dict[Address, Any] = {}
    for sheet, cell in addresses:
        row, column = xl_cell_to_rowcol(cell)
        grid = grids[sheet]
        found[(sheet, cell)] = grid[row][column] if row < len(grid) and column < len(grid[row]) else None
    return found


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def same(a: object, b: object, rel: float = 1e-9) -> bool:
    """Two cell values are the same: equal texts, numbers to ``rel`` (1e-9 absolute near 0), blank as ''."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-9)
    return a == b


def defined_name(path: Path, name: str) -> Address:
    """The (sheet, cell) a defined name points at."""
    with zipfile.ZipFile(path) as package:
        workbook = package.read("xl/workbook.xml").decode("utf-8")
    found = re.search(rf'<definedName name="{name}"[^>]*>(.*?)</definedName>', workbook)
    assert found, name
    sheet, cell = unescape(found.group(1)).rsplit("!", 1)
    return sheet.strip("'"), cell.replace("$", "")


def set_cell(source: Path, target: Path, address: Address, value: float) -> None:
    """Copy ``source`` to ``target`` with the number ``value`` typed into one cell (its format kept).

    As a user types into a cell and saves: only that cell's value changes, in the
    sheet's XML; every other part of the file is copied as it was.
    """
    sheet, cell = address
    with zipfile.ZipFile(source) as package:
        part = sheet_part(package, sheet)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in package.infolist():
                data = package.read(item.filename)
                if item.filename == part:
                    element = re.compile(rf'<c r="{cell}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)'.encode(), re.S)
                    found = element.search(data)
                    assert found, address
                    style = found.group(1) or b""
                    data = (
                        data[: found.start()]
                        + (f'<c r="{cell}"'.encode() + style + f"><v>{value!r}</v></c>".encode())
                        + data[found.end() :]
                    )
                out.writestr(item, data)


def first_sheet_value(path: Path, label: str) -> object:
    """The value beside ``label`` (column A) on the first sheet."""
    sheet = load(path, data_only=True).worksheets[0]
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row[1].value
    raise AssertionError(f"no row {label!r} on the first sheet")


def texts(path: Path) -> list[str]:
    """Every text of the workbook as a reader sees it: cells (cached values of formulas too) and chart XML."""
    found = [str(v) for v in values(path).values() if isinstance(v, str)]
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/charts/chart"):
                found.append(package.read(name).decode("utf-8"))
    return found
