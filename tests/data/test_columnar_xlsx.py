"""The columnar path for clean sheets gives exactly what the thorough reader gives.

Every workbook is real, written in tmp_path by openpyxl (shared strings) or xlsxwriter
(inline strings in constant-memory mode). Each is read twice: as ``read_transactions``
reads it, and with the columnar path switched off (the thorough cell-by-cell reader);
the two tables must be equal, and the test also checks which path was taken.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from libreoffice import convert

import clv_xl.data.columnar_xlsx as columnar
import clv_xl.data.sheet_chunks as sheet_chunks
import clv_xl.data.sheet_head as sheet_head_module
import clv_xl.data.xlsx_source as xlsx_source
from clv_xl.data import TransactionsError, read_transactions
from clv_xl.data.validation import Transactions


class _Spy:
    """Records whether the columnar path produced the columns."""

    def __init__(self) -> None:
        self.results: list[bool] = []
        self.real = columnar.read_clean_sheet

    def __call__(self, *args: object, **kwargs: object) -> object:
        found = self.real(*args, **kwargs)  # type: ignore[arg-type]
        self.results.append(found is not None)
        return found


def _read(path: Path, **options: object) -> Transactions | TransactionsError:
    try:
        return read_transactions(path, **options)  # type: ignore[arg-type]
    except TransactionsError as problem:
        return problem


def _whole_sheet(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> Transactions | TransactionsError:
    """The reference: the whole sheet read cell by cell by python-calamine (no header look-ahead, no pieces)."""
    with monkeypatch.context() as patched:
        patched.setattr(sheet_head_module, "sheet_head", lambda *args, **kwargs: None)
        return _read(path, **options)


def _both(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> tuple[Transactions, Transactions, bool]:
    """As read_transactions reads ``path``, the whole-sheet reference, and whether the columnar path served."""
    spy = _Spy()
    with monkeypatch.context() as patched:
        patched.setattr(columnar, "read_clean_sheet", spy)
        fast = read_transactions(path, **options)  # type: ignore[arg-type]
    thorough = _whole_sheet(path, monkeypatch, **options)
    assert isinstance(thorough, Transactions)
    return fast, thorough, any(spy.results)


def _same_outcome(read: Transactions | TransactionsError, reference: Transactions | TransactionsError) -> None:
    """The same table, or the same error with the same rows, columns and reasons (in Italian)."""
    if isinstance(reference, TransactionsError):
        assert isinstance(read, TransactionsError)
        assert read.message("it") == reference.message("it")
        assert (read.problems, read.problem_count) == (reference.problems, reference.problem_count)
    else:
        assert isinstance(read, Transactions)
        _same(read, reference)


def _same(fast: Transactions, thorough: Transactions) -> None:
    pd.testing.assert_frame_equal(fast.table, thorough.table)
    assert (fast.source, fast.skipped_rows, fast.problems) == (
        thorough.source,
        thorough.skipped_rows,
        thorough.problems,
    )
    assert dict(fast.parameters) == dict(thorough.parameters)


def _openpyxl_sheet(path: Path, rows: list[list[object]], *, first_row: int = 1, title: str = "Vendite") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=first_row + offset, column=column, value=value)
    book.save(path)
    return path


@pytest.mark.parametrize("piece_bytes", [None, 4096], ids=["one piece", "many pieces"])
def test_clean_sheet_at_row_one_takes_the_columnar_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_bytes: int | None
) -> None:
    """Text ids with leading zeros, date cells with times, amounts, segments: same table, columnar path."""
    if piece_bytes is not None:
        monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", piece_bytes)
    path = tmp_path / "vendite.xlsx"
    rng = np.random.default_rng(7)
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Vendite")
    dates = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, ["ID Cliente", "Data", "Importo", "Segmento"])
    for row in range(1, 2001):
        sheet.write_string(row, 0, f"{int(rng.integers(0, 300)):05d}")
        moment = dt.datetime(2024, 1, 1) + dt.timedelta(minutes=int(rng.integers(0, 500_000)))
        sheet.write_datetime(row, 1, moment, dates)
        sheet.write_number(row, 2, float(np.round(rng.gamma(2.0, 30.0), 2)) - 5.0)
        sheet.write_string(row, 3, ["Nord", "Sud", "Centro Italia"][row % 3])
    book.close()
    fast, thorough, columnar_used = _both(path, monkeypatch)
    assert columnar_used
    _same(fast, thorough)
    assert fast.table["customer_id"].iloc[0] == f"{int(np.random.default_rng(7).integers(0, 300)):05d}"
    assert list(fast.table["row"][:3]) == [2, 3, 4]
    assert len(fast.table) == 2000


def test_title_rows_and_empty_rows_above_the_header_keep_the_sheet_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title on row 3 and the header on row 6 (openpyxl, shared strings): rows are the sheet's rows."""
    rows: list[list[object]] = [
        ["Vendite 2024"],
        [None],
        [None],
        ["Cliente", "Data ordine", "Valore", "Note", "Canale"],
        ["C-1", dt.datetime(2024, 3, 1), 10.0, "prima", "Web"],
        ["C-2", dt.datetime(2024, 3, 2), 20.5, None, "Negozio"],
        ["C-1", dt.datetime(2024, 4, 1), 30.25, None, "Web"],
    ]
    path = _openpyxl_sheet(tmp_path / "titolo.xlsx", rows, first_row=3)
    fast, thorough, columnar_used = _both(path, monkeypatch)
    assert columnar_used
    _same(fast, thorough)
    assert list(fast.table["row"]) == [7, 8, 9]
    assert list(fast.table["segment"]) == ["Web", "Negozio", "Web"]


def test_number_ids_serial_dates_and_italian_amount_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids stored as numbers, dates as bare serials, amounts as Italian text: the thorough reader's rules."""
    rows: list[list[object]] = [
        ["customer_id", "date", "amount"],
        [1001, 45292, "1.234,56"],
        [1002, 45293.5, "-12,50"],
        [1001, 45300, "7"],
    ]
    path = _openpyxl_sheet(tmp_path / "numeri.xlsx", rows)
    fast, thorough, columnar_used = _both(path, monkeypatch)
    assert columnar_used
    _same(fast, thorough)
    assert list(fast.table["customer_id"]) == ["1001", "1002", "1001"]
    assert list(fast.table["amount"]) == [1234.56, -12.5, 7.0]
    assert fast.table["date"].iloc[1] == pd.Timestamp("2024-01-02 12:00")


def test_iso_date_texts_and_blank_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates as ISO text; a segment column with blanks gives "" there, as the thorough reader does."""
    rows: list[list[object]] = [
        ["Cliente", "Data", "Importo", "Segmento"],
        ["A", "2024-01-31", 5.0, "Nord"],
        ["B", "2024-02-01 10:30", 6.0, None],
        ["A", "2024-02-03", 7.0, "  Sud "],
    ]
    path = _openpyxl_sheet(tmp_path / "iso.xlsx", rows)
    fast, thorough, columnar_used = _both(path, monkeypatch)
    assert columnar_used
    _same(fast, thorough)
    assert list(fast.table["segment"]) == ["Nord", "", "Sud"]


def test_ids_and_segments_read_once_per_distinct_text_land_in_their_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text ids and segments without blanks are read per distinct text: spaces trimmed, each row its own value."""
    rows: list[list[object]] = [
        ["Cliente", "Data", "Importo", "Segmento"],
        [" C-1 ", dt.datetime(2024, 1, 31), 5.0, "Nord "],
        ["C-2", dt.datetime(2024, 2, 1), 6.0, " Sud"],
        ["C-1", dt.datetime(2024, 2, 3), 7.0, "Nord"],
        ["00042", dt.datetime(2024, 2, 4), 8.0, "Centro"],
    ]
    path = _openpyxl_sheet(tmp_path / "spazi.xlsx", rows)
    fast, thorough, columnar_used = _both(path, monkeypatch)
    assert columnar_used
    _same(fast, thorough)
    assert list(fast.table["customer_id"]) == ["C-1", "C-2", "C-1", "00042"]
    assert list(fast.table["segment"]) == ["Nord", "Sud", "Nord", "Centro"]


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        ([["c", dt.datetime(2024, 1, 1), 1.0], [None, None, None], ["d", dt.datetime(2024, 1, 2), 2.0]], "blank row"),
        ([["c", dt.datetime(2024, 1, 1), 1.0], ["d", "2024-01-02", 2.0]], "mixed date column"),
        ([["c", dt.datetime(2024, 1, 1), 1.0], [" ", dt.datetime(2024, 1, 2), 2.0]], "empty id text"),
        ([["c", dt.datetime(2024, 1, 1), True], ["d", dt.datetime(2024, 1, 2), False]], "logical amounts"),
    ],
)
def test_sheets_that_are_not_clean_are_read_by_the_thorough_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[list[object]], why: str
) -> None:
    """Blank rows, mixed columns, bad cells: the columnar path declines; the result or error is the whole sheet's."""
    path = _openpyxl_sheet(tmp_path / "sporco.xlsx", [["Cliente", "Data", "Importo"], *rows])
    spy = _Spy()
    monkeypatch.setattr(columnar, "read_clean_sheet", spy)
    read = _read(path)
    assert spy.results == [False], why
    _same_outcome(read, _whole_sheet(path, monkeypatch))


@pytest.mark.parametrize("on_error", ["raise", "skip"])
def test_bad_cells_in_many_pieces_read_as_the_whole_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_error: str
) -> None:
    """Bad cells and a blank row spread over many pieces: the same error (rows, columns, reasons) or the same
    skipped rows as the whole sheet read at once; "1.500" in the first piece is a thousand because a later
    piece writes "2,50" (the column-wide Italian rule still sees every row)."""
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 4096)
    rows: list[list[object]] = [["Vendite"], ["ID Cliente", "Data", "Importo", "Segmento"]]
    for order in range(2500):
        rows.append(
            [f"{order % 97:04d}", dt.datetime(2024, 1, 1) + dt.timedelta(days=order % 400), 10.0 + order, "Web"]
        )
    rows[5][2] = "1.500"
    rows[2000][2] = "2,50"
    rows[700][1] = "31/02/2024"
    rows[1500] = [None, None, None, None]
    rows[2400][0] = True
    path = _openpyxl_sheet(tmp_path / "pezzi_sporchi.xlsx", rows)
    piece_counts: list[int] = []
    real_cells = xlsx_source._cells_of_pieces

    def counted(*args: object) -> object:
        found = real_cells(*args)  # type: ignore[arg-type]
        piece_counts.append(0 if found is None else len(found[2]))
        return found

    with monkeypatch.context() as patched:
        patched.setattr(xlsx_source, "_cells_of_pieces", counted)
        read = _read(path, on_error=on_error)
    assert piece_counts == [2500]  # read in pieces, cell by cell, every row below the header
    _same_outcome(read, _whole_sheet(path, monkeypatch, on_error=on_error))
    if isinstance(read, TransactionsError):
        assert [problem.row for problem in read.problems] == [701, 2401]
    else:
        assert read.skipped_rows == 2
        assert read.table.loc[read.table["row"] == 6, "amount"].item() == 1500.0


def test_bad_cell_far_down_is_reported_with_its_sheet_row(tmp_path: Path) -> None:
    """A clean-looking sheet with one bad amount in row 1502: the error names row 1502 and the column."""
    rows: list[list[object]] = [["ID Cliente", "Data", "Importo"]]
    rows += [[f"{i:04d}", dt.datetime(2024, 1, 1) + dt.timedelta(days=i % 300), float(i)] for i in range(1, 1502)]
    rows[-1][2] = "dodici"
    path = _openpyxl_sheet(tmp_path / "riga.xlsx", rows)
    with pytest.raises(TransactionsError) as raised:
        read_transactions(path)
    assert "1502" in raised.value.message("it")
    assert raised.value.problems[0].row == 1502
    assert raised.value.problems[0].column == "Importo"


@pytest.mark.parametrize(
    ("blank_row", "unsegmented"),
    [(None, 0), (1500, 0), (None, 200)],
    ids=["clean", "blank row 1500", "no segment in the first 200 orders"],
)
def test_many_pieces_with_shared_strings_and_titles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blank_row: int | None, unsegmented: int
) -> None:
    """openpyxl (shared strings), two title rows, 3,000 orders in pieces of 4 KB: same table as the thorough reader.

    With a blank row among the orders, the columnar path declines and the blank row is
    skipped by the thorough reader, as it always was. Orders without a segment in the
    first pieces only (their column then allows empty cells there) keep the columnar path.
    """
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 4096)
    rows: list[list[object]] = [["Estratto vendite"], [None], ["Cliente", "Data", "Importo", "Segmento"]]
    for order in range(3000):
        moment = dt.datetime(2023, 1, 1) + dt.timedelta(hours=7 * order)
        segment = None if order < unsegmented else ["Nord", "Sud"][order % 2]
        rows.append([f"{order % 250:05d}", moment, round(5 + order * 0.37, 2), segment])
    if blank_row is not None:
        rows[blank_row - 1] = [None, None, None, None]
    path = _openpyxl_sheet(tmp_path / "pezzi.xlsx", rows)
    fast, thorough, columnar_used = _both(path, monkeypatch)
    assert columnar_used is (blank_row is None)
    _same(fast, thorough)
    assert fast.table["row"].iloc[0] == 4
    assert len(fast.table) == 3000 - (blank_row is not None)


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_takes_the_columnar_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice writes its own sheet XML (row attributes, shared strings): still cut, read and equal."""
    monkeypatch.setattr(sheet_chunks, "CHUNK_BYTES", 4096)
    rows: list[list[object]] = [["ID Cliente", "Data", "Importo", "Segmento"]]
    for order in range(800):
        moment = dt.datetime(2024, 1, 1) + dt.timedelta(hours=11 * order)
        rows.append([f"{order % 90:05d}", moment, round(3 + order * 0.61, 2), ["Nord", "Sud & Isole"][order % 2]])
    source = _openpyxl_sheet(tmp_path / "openpyxl.xlsx", rows)
    (saved,) = convert([source], tmp_path / "libreoffice", tmp_path)
    fast, thorough, columnar_used = _both(saved, monkeypatch)
    assert columnar_used
    _same(fast, thorough)
    assert len(fast.table) == 800
    assert fast.table["customer_id"].iloc[0] == "00000"
    assert fast.table["segment"].iloc[1] == "Sud & Isole"
