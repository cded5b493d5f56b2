"""A sheet cut into small workbooks of consecutive rows: nothing lost, nothing moved.

Checked against: the rows openpyxl wrote, read back from each piece by openpyxl and by
fastexcel (the reader the pieces are for).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import fastexcel
import openpyxl
import pytest

from clv_xl.data.sheet_chunks import SheetChunk, UnchunkableSheet, marked_cells_of_sheet, sheet_chunks
from clv_xl.data.values import UncomputedFormula


def _book(path: Path, rows: int, *, title_rows: int = 0) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Note"
    sheet = book.create_sheet("Vendite")
    for row in range(1, title_rows + 1):
        sheet.cell(row=row, column=1, value=f"titolo {row}")
    header = title_rows + 1
    for column, text in enumerate(["Cliente", "Importo", "Canale"], start=1):
        sheet.cell(row=header, column=column, value=text)
    for offset in range(1, rows + 1):
        sheet.cell(row=header + offset, column=1, value=f"C{offset:05d}")
        sheet.cell(row=header + offset, column=2, value=offset + 0.25)
        sheet.cell(row=header + offset, column=3, value=["Web", "Negozio & Co"][offset % 2])
    book.save(path)
    return path


def test_pieces_cover_every_row_once_in_order(tmp_path: Path) -> None:
    """2,000 rows under two title rows, pieces of 8 KB: contiguous, complete, each with its header."""
    path = _book(tmp_path / "v.xlsx", 2000, title_rows=2)
    pieces: list[SheetChunk] = list(sheet_chunks(str(path), "Vendite", 3, chunk_bytes=8 * 1024))
    assert len(pieces) > 5
    assert pieces[0].first_row == 4
    assert pieces[-1].last_row == 2003
    assert all(after.first_row == before.last_row + 1 for before, after in zip(pieces, pieces[1:], strict=False))
    seen: list[str] = []
    for piece in pieces:
        batch = fastexcel.read_excel(piece.package).load_sheet("Vendite", header_row=piece.header_row, eager=True)
        assert batch.schema.names == ["Cliente", "Importo", "Canale"]
        assert batch.num_rows == piece.last_row - piece.first_row + 1
        seen += batch.column("Cliente").to_pylist()
        amounts = batch.column("Importo").to_pylist()
        assert amounts[0] == piece.first_row - 3 + 0.25  # the row's own amount: rows keep their numbers
    assert seen == [f"C{n:05d}" for n in range(1, 2001)]


def test_a_piece_is_a_workbook_openpyxl_reads(tmp_path: Path) -> None:
    """The header row sits right above the piece's first data row; shared strings resolve ("&" kept)."""
    path = _book(tmp_path / "v.xlsx", 300)
    piece = list(sheet_chunks(str(path), "Vendite", 1, chunk_bytes=4 * 1024))[1]
    sheet = openpyxl.load_workbook(_saved(tmp_path, piece))["Vendite"]
    assert [c.value for c in sheet[piece.first_row - 1]] == ["Cliente", "Importo", "Canale"]
    first = sheet[piece.first_row]
    assert first[0].value == f"C{piece.first_row - 1:05d}"
    assert first[2].value in ("Web", "Negozio & Co")


def _saved(folder: Path, piece: SheetChunk) -> Path:
    path = folder / "piece.xlsx"
    path.write_bytes(piece.package)
    return path


def test_rows_without_numbers_cannot_be_cut(tmp_path: Path) -> None:
    """A writer that leaves out the rows' r attributes (allowed by the format): refused, read another way."""
    path = _book(tmp_path / "v.xlsx", 50)
    stripped = tmp_path / "senza_numeri.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb'<row r="\d+"', b"<row", data)
            target.writestr(item, data)
    with pytest.raises(UnchunkableSheet):
        list(sheet_chunks(str(stripped), "Vendite", 1))


def test_error_cells_and_formulas_without_values_are_found_in_every_piece(tmp_path: Path) -> None:
    """Marked cells (an error with its cached #N/A, a formula saved without a value) found in the
    pieces' own bytes, where the piece's sheet part lies in its stored package, and equal to what a
    scan of the whole sheet finds. A wrong span (the local header's length) would miss or invent cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Vendite"
    sheet.append(["Cliente", "Importo"])
    for row in range(2, 2002):
        sheet.append([f"C{row}", row * 1.5])
    sheet["B700"] = "=VLOOKUP(A700,Z:Z,2,FALSE)"  # openpyxl saves formulas without a value
    sheet["A1500"] = "=1/0"
    path = tmp_path / "v.xlsx"
    book.save(path)
    raw = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    raw = raw.replace(b'<c r="A1900" t="inlineStr"><is><t>C1900</t></is></c>', b'<c r="A1900" t="e"><v>#N/A</v></c>')
    assert b'r="A1900" t="e"' in raw
    patched = tmp_path / "w.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, raw if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename))
    pieces = list(sheet_chunks(str(patched), "Vendite", 1, chunk_bytes=8 * 1024))
    assert len(pieces) > 3
    found: dict[tuple[int, int], str] = {}
    for piece in pieces:
        with zipfile.ZipFile(io.BytesIO(piece.package)) as package:
            part = package.read("xl/worksheets/sheet1.xml")
        assert piece.package[slice(*piece.sheet_span)] == part
        found.update(piece.marked_cells())
    assert found == {(700, 1): "=VLOOKUP(A700,Z:Z,2,FALSE)", (1500, 0): "=1/0", (1900, 0): "#N/A"}
    assert isinstance(found[(700, 1)], UncomputedFormula)
    assert marked_cells_of_sheet(str(patched), "Vendite", block_bytes=4096) == found
