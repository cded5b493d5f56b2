"""Table rows spliced into a finished workbook as sheet XML, read back by openpyxl and LibreOffice.

Checked against: the values written, as openpyxl reads them from the file (and its
number formats), and what LibreOffice headless computes over the spliced cells.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from libreoffice import convert

from clv_xl.report.sheet_rows import RowsColumn, SheetRows, column_styles, row_blocks, splice_rows

TEXTS = ["00001", '=HYPERLINK("http://x")', "a<b & c>d", "tab\there", "bell\x07", "_x0041", "", "  spazi  "]


def _workbook_with_header(columns: list[str], formats: list[str | None]) -> bytes:
    """A workbook whose "Data" sheet has a header row, column formats and an Excel table over one row."""
    package = io.BytesIO()
    book = xlsxwriter.Workbook(package, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    book.add_worksheet("Other").write_string(0, 0, "untouched")
    for index, number_format in enumerate(formats):
        sheet.set_column(index, index, 12, book.add_format({"num_format": number_format}) if number_format else None)
    sheet.add_table(0, 0, 1, len(columns) - 1, {"columns": [{"header": c} for c in columns], "name": "T"})
    book.close()
    return package.getvalue()


def _rows() -> SheetRows:
    amounts = np.array([1.5, np.nan, -2.25, 1e-7, 12345678.9, 0.0, 3.0, 1 / 3])
    counts = np.arange(1, len(TEXTS) + 1, dtype=np.float64)
    texts = np.array(TEXTS, dtype=object)
    columns = [RowsColumn(texts, True), RowsColumn(amounts, False), RowsColumn(counts, False)]
    return SheetRows("Data", 1, columns, table="T")


def _written_by_xlsxwriter(path: Path, rows: SheetRows) -> None:
    """The same cells written one by one by XlsxWriter, the reference for what a cell should be."""
    book = xlsxwriter.Workbook(
        path, {"strings_to_formulas": False, "strings_to_numbers": False, "nan_inf_to_errors": True}
    )
    sheet = book.add_worksheet("Data")
    for index, column in enumerate(rows.columns):
        for offset, value in enumerate(column.values):
            if column.text:
                sheet.write_string(rows.first_row + offset, index, str(value))
            elif np.isfinite(value):
                sheet.write_number(rows.first_row + offset, index, float(value))
    book.close()


def test_spliced_cells_read_back_as_xlsxwriter_writes_them(tmp_path: Path) -> None:
    """openpyxl reads every spliced cell as the same cell written by XlsxWriter; formats kept, table widened."""
    target = tmp_path / "spliced.xlsx"
    splice_rows(_workbook_with_header(["id", "amount", "count"], [None, "#,##0.00", "0"]), target, [_rows()])
    reference = tmp_path / "reference.xlsx"
    _written_by_xlsxwriter(reference, _rows())
    book = openpyxl.load_workbook(target)
    sheet = book["Data"]
    expected = openpyxl.load_workbook(reference)["Data"]
    last = len(TEXTS) + 1
    assert [c.value for c in sheet[1]] == ["id", "amount", "count"]
    read = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=last, max_col=3)]
    # an empty text is no cell at all here (a blank cell), an empty string cell for XlsxWriter
    reference_rows = [
        [None if cell.value == "" else cell.value for cell in row]
        for row in expected.iter_rows(min_row=2, max_row=last, max_col=3)
    ]
    # numbers to Excel's 15 significant digits (XlsxWriter writes 17: 1/3 as 0.3333333333333333)
    assert [[row[0], row[2]] for row in read] == [[row[0], row[2]] for row in reference_rows]
    for got, written in zip(read, reference_rows, strict=True):
        assert got[1] == (None if written[1] is None else pytest.approx(written[1], rel=1e-15))
    assert read[0][0] == "00001" and read[1][0] == TEXTS[1]  # a formula-like text stays text
    assert all(cell.data_type == "s" for cell in sheet["A"][1:] if cell.value is not None)
    assert [row[1] for row in read][:7] == [1.5, None, -2.25, 1e-7, 12345678.9, 0.0, 3.0]
    assert read[7][1] == 0.333333333333333  # 1/3 to 15 significant digits, as Excel keeps it
    assert [row[2] for row in read] == list(range(1, len(TEXTS) + 1))
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].number_format == "0"
    assert sheet.dimensions == f"A1:C{last}"
    assert sheet.tables["T"].ref == f"A1:C{last}"
    assert sheet.tables["T"].autoFilter.ref == f"A1:C{last}"
    assert book["Other"]["A1"].value == "untouched"


def test_rows_in_blocks_give_the_same_xml() -> None:
    """Rendering 3 rows at a time gives the same rows as all at once (block edges lose nothing)."""
    rows = _rows()
    styles = {1: 5}
    assert "".join(row_blocks(rows, styles, rows_per_block=3)) == "".join(row_blocks(rows, styles))


def test_text_that_looks_like_an_excel_escape_stays_that_text() -> None:
    """Excel reads "_x0041_" in a cell as "A": the literal text is written as "_x005F_x0041_" (ECMA-376)."""
    rows = SheetRows("Data", 1, [RowsColumn(np.array(["_x0041_", "a\x01"], dtype=object), True)])
    xml = "".join(row_blocks(rows, {}))
    assert ">_x005F_x0041_</t>" in xml
    assert ">a_x0001_</t>" in xml


def test_column_styles_follow_the_col_elements() -> None:
    """<col min max style>: every column of the span takes the style; columns without one take none."""
    part = b'<cols><col min="1" max="1" width="9"/><col min="2" max="4" width="12" style="7" customWidth="1"/></cols>'
    assert column_styles(part) == {1: 7, 2: 7, 3: 7}


def test_a_missing_sheet_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Missing"):
        splice_rows(_workbook_with_header(["a"], [None]), tmp_path / "x.xlsx", [SheetRows("Missing", 1, [])])


@pytest.mark.libreoffice
def test_libreoffice_sums_the_spliced_numbers(tmp_path: Path) -> None:
    """LibreOffice recalculation: a SUM over the spliced amounts equals numpy's sum (NaN cells empty)."""
    package = io.BytesIO()
    book = xlsxwriter.Workbook(package, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, ["id", "amount", "count"])
    sheet.write_formula(0, 5, "=SUM(B2:B9)", None, 0)
    book.close()
    source = tmp_path / "spliced.xlsx"
    splice_rows(package.getvalue(), source, [_rows()])
    (recalculated,) = convert([source], tmp_path / "out", tmp_path)
    value = openpyxl.load_workbook(recalculated, data_only=True)["Data"]["F1"].value
    assert value == pytest.approx(float(np.nansum(_rows().columns[1].values)))  # type: ignore[arg-type]
    with zipfile.ZipFile(source) as spliced:
        assert spliced.testzip() is None


def test_rows_already_in_the_sheet_are_never_overwritten_or_doubled(tmp_path: Path) -> None:
    """Cells below the header written by XlsxWriter: splicing rows there is refused."""
    package = io.BytesIO()
    book = xlsxwriter.Workbook(package, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, ["id", "amount", "count"])
    sheet.write_number(3, 5, 1.0)  # F4: a cell in a row the table would take
    book.close()
    with pytest.raises(ValueError, match="already has rows"):
        splice_rows(package.getvalue(), tmp_path / "x.xlsx", [_rows()])


def test_formula_columns_repeat_with_each_rows_number(tmp_path: Path) -> None:
    """A formula column: each row's formula names its own row, keeps its cached value; a NaN row has no formula.

    Fails when the row number is not put in (every row would point at row 2), when the
    formula's ``<``, ``>``, ``&`` or quotes are not escaped (the file would not open), or
    when a row without a value still gets a formula (it would show 0 instead of nothing).
    """
    formula = '=IF(A{row}<>0,A{row}*2,"a&b")'
    rows = SheetRows(
        "Data",
        1,
        [
            RowsColumn(np.array([1.0, 2.0, 0.0, 4.0]), False),
            RowsColumn(np.array([2.0, 4.0, np.nan, 8.0]), False, formula),
        ],
    )
    target = tmp_path / "formulas.xlsx"
    splice_rows(_workbook_with_header(["x", "twice"], [None, None]), target, [rows])
    sheet = openpyxl.load_workbook(target)["Data"]
    assert [sheet.cell(r, 2).value for r in range(2, 6)] == [
        '=IF(A2<>0,A2*2,"a&b")',
        '=IF(A3<>0,A3*2,"a&b")',
        None,
        '=IF(A5<>0,A5*2,"a&b")',
    ]
    cached = openpyxl.load_workbook(target, data_only=True)["Data"]
    assert [cached.cell(r, 2).value for r in range(2, 6)] == [2, 4, None, 8]
    # in blocks of one row, the same XML
    assert "".join(row_blocks(rows, {}, rows_per_block=1)) == "".join(row_blocks(rows, {}))
