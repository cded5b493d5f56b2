"""The first rows of a sheet read straight from the package, checked against what openpyxl wrote."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from clv_xl.data.sheet_head import HEAD_ROWS, sheet_head


def test_head_starts_at_the_first_row_with_a_value_and_resolves_shared_strings(tmp_path: Path) -> None:
    """openpyxl (shared strings): rows from the first filled row, columns from A, numbers as floats."""
    path = tmp_path / "head.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Altro"
    sheet = book.create_sheet("Vendite")
    sheet["B4"] = "Cliente"
    sheet["C4"] = "Data"
    sheet["B5"] = "00001"
    sheet["C5"] = 45292
    book.save(path)
    head = sheet_head(str(path), "Vendite")
    assert head is not None
    assert head.first_row == 4
    assert head.rows == [[None, "Cliente", "Data"], [None, "00001", 45292.0]]
    assert sheet_head(str(path), "Missing") is None


def test_head_stops_after_its_rows_and_reads_inline_strings(tmp_path: Path) -> None:
    """xlsxwriter in constant-memory mode (inline strings), 500 rows: only HEAD_ROWS rows come back."""
    path = tmp_path / "long.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Dati")
    for row in range(500):
        sheet.write_string(row, 0, f"riga {row + 1}")
        sheet.write_number(row, 1, row + 0.5)
    book.close()
    head = sheet_head(str(path), "Dati")
    assert head is not None
    assert len(head.rows) == HEAD_ROWS
    assert head.rows[-1] == [f"riga {HEAD_ROWS}", HEAD_ROWS - 0.5]


def test_a_sheet_with_a_dtd_is_left_to_the_thorough_reader(tmp_path: Path) -> None:
    """An entity declaration in the sheet part: no head (never expanded here)."""
    path = tmp_path / "bomb.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    book.save(path)
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            target.writestr(item, data)
    assert sheet_head(str(patched), "Sheet") is None
