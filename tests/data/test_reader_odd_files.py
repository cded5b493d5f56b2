"""Odd and hostile files: every cell that cannot be read is a reported row, never a silent figure.

Each test makes its files in tmp_path, as the programs users have write them:
openpyxl (formulas saved without their values), xlsxwriter (date cells of any serial,
error cells with their cached ``#N/A``), LibreOffice (a failed VLOOKUP recalculated and
saved, as Excel saves it), msoffcrypto-tool (a workbook encrypted as Excel encrypts a
password-protected one), Excel's "Unicode text" (UTF-16, tab-separated) and CSV files
in Italian and English. The expected outcome is what the user sees in the sheet: the
row number, the column's header and the cell's value.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from libreoffice import convert

import clv_xl.data.columnar_xlsx as columnar
import clv_xl.data.sheet_head as sheet_head_module
from clv_xl.data import TransactionsError, read_transactions
from clv_xl.data.validation import Transactions
from clv_xl.errors import ClvError

HEADER_EN = ["customer_id", "date", "amount", "segment"]
HEADER_IT = ["ID Cliente", "Data", "Importo", "Segmento"]


def _problems(path: Path | pd.DataFrame, **options: object) -> list[tuple[int, str, str, str]]:
    """(row, column, reason, value) of every problem of a read that must fail."""
    with pytest.raises(TransactionsError) as caught:
        read_transactions(path, **options)  # type: ignore[arg-type]
    assert caught.value.problem_count == len(caught.value.problems)
    return [(p.row, p.column, p.reason, p.value) for p in caught.value.problems]


def _xlsxwriter_book(path: Path, header: list[str], rows: list[list[object]], *, date_cells: bool = True) -> Path:
    """Numbers in the date column written as date cells (a date format), as Excel stores dates."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Ordini")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if column == 1 and isinstance(value, (int, float)) and date_cells:
                sheet.write_number(index, column, value, date_format)
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(index, column, value, date_format)
            else:
                sheet.write(index, column, value)
    book.close()
    return path


# ---------------------------------------------------------------- dates outside what can be read


def test_date_cells_outside_1900_to_2262_are_reported_with_row_column_and_value(tmp_path: Path) -> None:
    """Date cells holding a serial 0 (a failed lookup shows 00/01/1900), a negative serial, a year
    2447 (serial 200000, past pandas' nanosecond dates: it wrapped round to 1863) and a serial past
    9999-12-31. Before, 2447 was read as another date and 0 as "not a date" of a time of day."""
    rows: list[list[object]] = [
        ["C1", 45292, 10.0, "Nord"],  # row 2: 01/01/2024, fine
        ["C2", 0, 10.0, "Nord"],  # row 3
        ["C3", -5, 10.0, "Nord"],  # row 4
        ["C4", 200000, 10.0, "Nord"],  # row 5: 30/07/2447
        ["C5", 2958466, 10.0, "Nord"],  # row 6: after 31/12/9999
        ["C6", 45293, 10.0, "Nord"],
    ]
    path = _xlsxwriter_book(tmp_path / "date.xlsx", HEADER_IT, rows)
    found = _problems(path)
    assert [(row, column, reason) for row, column, reason, _ in found] == [
        (3, "Data", "tx_time_not_a_date"),
        (4, "Data", "tx_time_not_a_date"),
        (5, "Data", "tx_date_out_of_range"),
        (6, "Data", "tx_date_out_of_range"),
    ]
    assert found[2][3] == "2447-07-30"
    skipped = read_transactions(path, on_error="skip")
    assert skipped.skipped_rows == 4
    assert list(skipped.table["date"]) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")]


def test_a_clean_sheet_with_a_date_past_2262_is_not_taken_by_the_columnar_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every date a date cell, every type the same: the fast path would take the sheet, and its
    conversion to nanoseconds wrapped 2447 round to 1863 (fastexcel reads it right). Now it hands
    the sheet to the thorough reader, which reports it."""
    rows: list[list[object]] = [
        [f"C{i}", dt.datetime(2024, 1, 1) + dt.timedelta(days=i), 10.0, "Nord"] for i in range(50)
    ]
    rows[30][1] = dt.datetime(2447, 7, 30)
    path = _xlsxwriter_book(tmp_path / "clean.xlsx", HEADER_EN, rows)
    offered: list[bool] = []
    real = columnar.read_clean_sheet

    def spy(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        offered.append(found is not None)
        return found

    monkeypatch.setattr(columnar, "read_clean_sheet", spy)
    assert _problems(path) == [(32, "date", "tx_date_out_of_range", "2447-07-30")]
    assert offered == [False]


@pytest.mark.parametrize(
    ("text", "separator", "header"),
    [
        ("id_cliente;data;importo\nA;31/01/2024;10\nB;01/03/1024;20\nC;31/12/1899;5\nD;0;5\n", ";", "data"),
        ("customer_id,date,amount\nA,2024-01-31,10\nB,1024-03-01,20\nC,2300-01-01,5\nD,9999-12-31,5\n", ",", "date"),
    ],
    ids=["Italian", "English"],
)
def test_date_texts_outside_1900_to_2262_are_reported(tmp_path: Path, text: str, separator: str, header: str) -> None:
    """A typo year 1024, a date before 1900, a 0 or a year past 2262 written as text: each a bad row
    (1024 was read as 2193 and 2300 as 1715, silently)."""
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    found = _problems(path)
    assert [(row, column, reason) for row, column, reason, _ in found] == [
        (3, header, "tx_date_out_of_range"),
        (4, header, "tx_date_out_of_range"),
        (5, header, "tx_date_out_of_range"),
    ]
    assert found[0][3] in ("01/03/1024", "1024-03-01")
    with pytest.raises(TransactionsError) as caught:
        read_transactions(path)
    assert "non è una data dal 01/01/1900 al 10/04/2262" in caught.value.message("it")


def test_date_objects_of_any_year_in_a_dataframe_are_reported() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "date": pd.Series([dt.datetime(2024, 1, 1), dt.datetime(1024, 3, 1), dt.date(9999, 12, 31)], dtype=object),
            "amount": [1.0, 2.0, 3.0],
        }
    )
    assert _problems(frame) == [
        (3, "date", "tx_date_out_of_range", "1024-03-01"),
        (4, "date", "tx_date_out_of_range", "9999-12-31"),
    ]


# ---------------------------------------------------------------- formulas without values, error cells


def _orders_with_lookups(path: Path) -> Path:
    """Orders whose customer and amount come from VLOOKUPs into a price list; row 4 looks up a
    product that is not in the list (#N/A), row 6 divides by zero, and its segment fails too."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ordini"
    sheet.append(HEADER_IT + ["Prodotto"])
    products = ["P1", "P2", "P9", "P1", "P2"]
    for row, product in enumerate(products, start=2):
        sheet.append(
            [
                f"=VLOOKUP(E{row},Listino!A:C,3,FALSE)",
                dt.datetime(2024, 1, row),
                f"=VLOOKUP(E{row},Listino!A:C,2,FALSE)",
                "Nord",
                product,
            ]
        )
    sheet["C6"] = "=10/0"
    sheet["D6"] = "=1/0"
    prices = book.create_sheet("Listino")
    prices.append(["P1", 10, "C1"])
    prices.append(["P2", 20, "C2"])
    book.save(path)
    return path


def test_formulas_saved_without_values_are_reported_never_skipped_as_blank(tmp_path: Path) -> None:
    """openpyxl saves formulas without a computed value: a reader sees empty cells. The row of
    lookups was skipped as blank ("rows skipped: 0"); now every such cell is reported with its formula."""
    path = _orders_with_lookups(tmp_path / "formule.xlsx")
    found = _problems(path)
    assert {(row, column, reason) for row, column, reason, _ in found} == {
        (row, column, "tx_formula_not_computed") for row in range(2, 7) for column in ("ID Cliente", "Importo")
    } | {(6, "Segmento", "tx_formula_not_computed")}
    assert (4, "ID Cliente", "tx_formula_not_computed", "=VLOOKUP(E4,Listino!A:C,3,FALSE)") in found
    with pytest.raises(TransactionsError) as caught:
        read_transactions(path)
    assert "non ha un valore calcolato" in caught.value.message("it")


@pytest.mark.libreoffice
def test_error_cells_of_a_recalculated_workbook_are_reported_as_their_error(tmp_path: Path) -> None:
    """The same workbook recalculated and saved by LibreOffice, as Excel saves it: the failed
    VLOOKUP is an error cell ``#N/A`` (read as empty by spreadsheet readers), reported as that
    error on its row, not as "empty"; the good rows are read."""
    (saved,) = convert([_orders_with_lookups(tmp_path / "formule.xlsx")], tmp_path / "saved", tmp_path)
    found = _problems(saved)
    assert found == [
        (4, "ID Cliente", "tx_cell_error", "#N/A"),
        (4, "Importo", "tx_cell_error", "#N/A"),
        (6, "Importo", "tx_cell_error", "#DIV/0!"),
        (6, "Segmento", "tx_cell_error", "#DIV/0!"),
    ]
    read = read_transactions(saved, on_error="skip")
    assert read.skipped_rows == 2
    assert list(read.table["customer_id"]) == ["C1", "C2", "C1"]
    assert list(read.table["amount"]) == [10.0, 20.0, 10.0]


@pytest.mark.parametrize("how", ["pieces", "whole sheet", "table"])
def test_error_cells_are_found_by_every_way_of_reading_a_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Error cells with their cached values (as Excel writes them) in a sheet read in pieces, read
    whole (a sheet whose head cannot be read alone) and in an Excel table."""
    path = tmp_path / "errori.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Ordini")
    data: list[list[object]] = [["C1", "2024-01-01", 10.0, "Nord"], ["C2", "2024-01-02", 20.0, "Sud"]]
    if how == "table":
        sheet.add_table("B3:E6", {"name": "Vendite", "columns": [{"header": h} for h in HEADER_EN], "data": data})
        first_row, first_column = 4, 1
    else:
        sheet.write_row(0, 0, HEADER_EN)
        for index, row in enumerate(data, start=1):
            sheet.write_row(index, 0, row)
        first_row, first_column = 2, 0
    error_row = first_row + 2 - 1  # the third data row, 0-based for xlsxwriter
    sheet.write_formula(error_row, first_column, "=VLOOKUP(1,Z:Z,2,0)", None, "#N/A")
    sheet.write_string(error_row, first_column + 1, "2024-01-03")
    sheet.write_formula(error_row, first_column + 2, "=VLOOKUP(1,Z:Z,2,0)", None, "#N/A")
    book.close()
    if how == "whole sheet":
        monkeypatch.setattr(sheet_head_module, "sheet_head", lambda *args, **kwargs: None)
    options = {"table": "Vendite"} if how == "table" else {}
    assert _problems(path, **options) == [
        (error_row + 1, "customer_id", "tx_cell_error", "#N/A"),
        (error_row + 1, "amount", "tx_cell_error", "#N/A"),
    ]


def test_a_computed_empty_text_is_still_a_blank_row(tmp_path: Path) -> None:
    """A formula that computed "" (=IF(...;"";...) filled down below the data) is a blank cell:
    rows of them are ignored as before, not reported as formulas without a value."""
    path = tmp_path / "vuote.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Ordini")
    sheet.write_row(0, 0, HEADER_EN[:3])
    sheet.write_row(1, 0, ["C1", "2024-01-01", 10.0])
    for row in range(2, 6):
        for column in range(3):
            sheet.write_formula(row, column, f'=IF(Z{row + 1}="","",Z{row + 1})', None, "")
    book.close()
    read = read_transactions(path)
    assert len(read.table) == 1 and read.skipped_rows == 0


# ---------------------------------------------------------------- thousands separators, per column


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (["2,300.50", "1,500", "12.5"], [2300.5, 1500.0, 12.5]),
        (["1.234,56", "1.500", "2,50"], [1234.56, 1500.0, 2.5]),
        (["1,500", "1.234.567"], [1.5, 1234567.0]),
        (["1.500", "1,234,567"], [1.5, 1234567.0]),
    ],
    ids=["English column", "Italian column", "Italian by its groups", "English by its groups"],
)
def test_thousands_separators_are_decided_per_column(tmp_path: Path, column: list[str], expected: list[float]) -> None:
    """ "1,500" next to "2,300.50" is fifteen hundred (it was read as 1.5: one comma was taken
    for a decimal comma, whatever the column); next to Italian amounts it is one and a half."""
    path = tmp_path / "importi.csv"
    lines = ["id_cliente;data;importo"] + [f'C{i};0{i + 1}/01/2024;"{amount}"' for i, amount in enumerate(column)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(read_transactions(path).table["amount"]) == pytest.approx(expected)


@pytest.mark.parametrize(
    "column",
    [["1,500", "100", "250"], ["1.500", "2000"], ["1,500", "2,50", "2.50"]],
    ids=["only whole numbers", "dot, only whole numbers", "both forms"],
)
def test_an_ambiguous_separator_is_reported_not_guessed(tmp_path: Path, column: list[str]) -> None:
    path = tmp_path / "importi.csv"
    lines = ["customer_id,date,amount"] + [f'C{i},2024-01-0{i + 1},"{amount}"' for i, amount in enumerate(column)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _problems(path) == [(2, "amount", "tx_amount_ambiguous", column[0])]


# ---------------------------------------------------------------- dates and huge numbers as amounts


def test_a_date_cell_in_the_amount_column_is_a_bad_value(tmp_path: Path) -> None:
    """Excel turns "1/2" typed into an amount into a date cell: it was read as NaN, which made the
    customer's revenue NaN. It is now a bad row."""
    path = tmp_path / "importi.xlsx"
    _xlsxwriter_book(
        path,
        HEADER_IT[:3],
        [["C1", "2024-01-01", 10.0], ["C2", "2024-01-02", dt.datetime(2024, 2, 1)], ["C3", "2024-01-03", 5.0]],
    )
    assert _problems(path) == [(3, "Importo", "tx_date_not_an_amount", "2024-02-01")]


def test_infinite_and_overflowing_amounts_name_their_row_and_column(tmp_path: Path) -> None:
    """1e400 is infinity in a float, 1e300 doubled overflows: summed into a revenue they made it
    infinite. Both are bad rows naming row and column (an amount beyond 1e15 is a typing error)."""
    csv = tmp_path / "importi.csv"
    csv.write_text("customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-02,1e400\nC,2024-01-03,-1e300\n")
    assert [(row, column, reason) for row, column, reason, _ in _problems(csv)] == [
        (3, "amount", "tx_amount_too_large"),
        (4, "amount", "tx_amount_too_large"),
    ]
    book = tmp_path / "importi.xlsx"
    _xlsxwriter_book(book, HEADER_EN[:3], [["A", "2024-01-01", 10.0], ["B", "2024-01-02", 1e300]])
    assert _problems(book) == [(3, "amount", "tx_amount_too_large", "1e+300")]
    frame = pd.DataFrame({"customer_id": ["A", "B"], "date": ["2024-01-01"] * 2, "amount": [1.0, np.inf]})
    assert _problems(frame) == [(3, "amount", "tx_amount_too_large", "inf")]


# ---------------------------------------------------------------- encrypted, damaged, UTF-16


def _plain_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER_EN[:3])
    for order in range(400):
        book.active.append([f"C{order % 30}", f"2024-01-{order % 28 + 1:02d}", 10.0 + order])
    book.save(path)
    return path


def test_a_password_protected_workbook_gets_the_password_message(tmp_path: Path) -> None:
    """Encrypted as Excel encrypts a workbook with a password to open (an OLE compound file, not a
    zip): it was called "not a valid Excel workbook (it may be damaged ...)"."""
    plain = _plain_workbook(tmp_path / "plain.xlsx")
    encrypted = io.BytesIO()
    with plain.open("rb") as stream:
        msoffcrypto.format.ooxml.OOXMLFile(stream).encrypt("segreta", encrypted)
    path = tmp_path / "protetto.xlsx"
    path.write_bytes(encrypted.getvalue())
    with pytest.raises(ClvError) as caught:
        read_transactions(path)
    assert "protected by a password" in caught.value.message("en")
    assert "protetto da password" in caught.value.message("it")
    assert "damaged" not in caught.value.message("en")


@pytest.mark.parametrize("where", [0.05, 0.5, 0.9])
def test_a_damaged_compressed_part_is_called_damaged_not_a_traceback(tmp_path: Path, where: float) -> None:
    """Bytes of the compressed sheet overwritten (a broken download or disk): zlib and zipfile raised
    out of the reader (zlib.error, BadZipFile "Bad CRC-32")."""
    raw = bytearray(_plain_workbook(tmp_path / "plain.xlsx").read_bytes())
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    position = start + int(info.compress_size * where)
    raw[position : position + 16] = bytes(b ^ 0x5A for b in raw[position : position + 16])
    path = tmp_path / "rotto.xlsx"
    path.write_bytes(bytes(raw))
    with pytest.raises(ClvError) as caught:
        read_transactions(path)
    assert "damaged" in caught.value.message("en")
    assert "danneggiat" in caught.value.message("it")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"], ids=["with BOM", "LE", "BE"])
def test_excel_unicode_text_is_read(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode text" (.txt): UTF-16 with a byte order mark, tab-separated, CRLF. It was
    read as Windows-1252 and refused with a header full of NUL characters."""
    text = (
        "ID Cliente\tData\tImporto\tSegmento\r\n00001\t31/01/2024\t1.234,50\tNord\r\nNiccolò\t01/02/2024\t12,5\tSud\r\n"
    )
    path = tmp_path / "ordini.txt"
    path.write_bytes(text.encode(encoding))
    table = read_transactions(path).table
    assert list(table["customer_id"]) == ["00001", "Niccolò"]
    assert list(table["amount"]) == [1234.5, 12.5]
    assert list(table["row"]) == [2, 3]


def test_other_encodings_are_refused_by_name_without_nul_bytes(tmp_path: Path) -> None:
    utf32 = tmp_path / "ordini.csv"
    utf32.write_bytes("customer_id,date,amount\nA,2024-01-01,1\n".encode("utf-32"))
    with pytest.raises(TransactionsError, match="UTF-32"):
        read_transactions(utf32)
    binary = tmp_path / "dati.csv"
    binary.write_bytes(b"\x00\x01customer_id\x00,date\x07,amount\n" * 50)
    with pytest.raises(TransactionsError) as caught:
        read_transactions(binary)
    for language in ("en", "it"):
        assert "\x00" not in caught.value.message(language)
    assert "NUL" in caught.value.message("it")


def test_control_characters_are_never_printed_in_a_message(tmp_path: Path) -> None:
    path = tmp_path / "ordini.csv"
    path.write_bytes(b"customer_id,date,amount\nA,2024-01-01,1\nB,\x1b[31mred\x07,2\n")
    (problem,) = _problems(path)
    assert problem[3] == "?[31mred?"


def test_every_way_in_gives_the_same_transactions(tmp_path: Path) -> None:
    """The odd files above fixed without changing the ordinary ones: UTF-8, Windows-1252 and UTF-16
    of the same Italian orders read the same."""
    text = "id_cliente;data;importo\n00001;31/01/2024;1.234,50\nNiccolò;01/02/2024;12,5\n"
    tables: list[Transactions] = []
    for encoding in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
        path = tmp_path / f"ordini-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        tables.append(read_transactions(path))
    for other in tables[1:]:
        pd.testing.assert_frame_equal(other.table, tables[0].table)
