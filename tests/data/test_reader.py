"""Reading transactions from DataFrames, CSV files and real .xlsx workbooks.

Workbooks are written in tmp_path by openpyxl and xlsxwriter (as Excel would store the
cells: text, numbers, dates); CSV files in the forms Italian and English Excel save.
Expected values are the cells as a user reads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from clv_xl.data import TransactionsError, read_transactions
from clv_xl.errors import ClvError

HEADER_IT = ["ID Cliente", "Data", "Importo", "Segmento"]


def _openpyxl_book(path: Path, rows: list[list[object]], *, title: str = "Vendite", header_row: int = 1) -> Path:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Note"
    notes["A1"] = "Esportato dal gestionale"
    sheet = book.create_sheet(title)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=header_row + offset, column=column, value=value)
    book.save(path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_xlsx_by_openpyxl_ids_dates_amounts(tmp_path: Path) -> None:
    """openpyxl workbook, header on row 3 of the second sheet: ids keep zeros, every date form, Italian amounts."""
    path = _openpyxl_book(
        tmp_path / "vendite.xlsx",
        [
            HEADER_IT,
            ["00001", dt.datetime(2024, 1, 2, 15, 30), 12.5, "Nord"],
            [1001, dt.date(2024, 1, 3), "1.234,56", "Sud"],
            [1002.0, 45294, "€ 2.000,00", None],
            ["A-7", "2024-01-05", "-12,50", "Nord"],
            ["00001", "06/01/2024", 7, "Nord"],
        ],
        header_row=3,
    )
    before = _digest(path)
    read = read_transactions(path)
    table = read.table
    assert list(table["customer_id"]) == ["00001", "1001", "1002", "A-7", "00001"]
    assert list(table["date"]) == [
        pd.Timestamp("2024-01-02 15:30"),
        pd.Timestamp("2024-01-03"),
        pd.Timestamp("2024-01-03"),
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-01-06"),
    ]
    assert list(table["amount"]) == [12.5, 1234.56, 2000.0, -12.5, 7.0]
    assert list(table["segment"]) == ["Nord", "Sud", "", "Nord", "Nord"]
    assert list(table["row"]) == [4, 5, 6, 7, 8]
    assert read.source == "vendite.xlsx [Vendite]"
    assert _digest(path) == before  # the input is only read


def test_xlsx_every_kind_of_bad_row_reported_with_its_sheet_row(tmp_path: Path) -> None:
    """xlsxwriter workbook with one bad cell of each kind: one error naming sheet row, header and reason."""
    path = tmp_path / "errori.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Ordini")
    sheet.write_row(0, 0, ["Cliente", "Data ordine", "Valore"])
    good = ["C1", dt.datetime(2024, 3, 1), 10.0]
    rows: list[list[object]] = [
        good,
        ["", dt.datetime(2024, 3, 1), 10.0],  # row 3: empty id
        [True, dt.datetime(2024, 3, 1), 10.0],  # row 4: logical id
        ["C4", "31/02/2024", 10.0],  # row 5: impossible date
        ["C5", -3, 10.0],  # row 6: serial out of range
        ["C6", None, 10.0],  # row 7: empty date
        ["C7", dt.datetime(2024, 3, 1), "dieci"],  # row 8: text amount
        ["C8", dt.datetime(2024, 3, 1), False],  # row 9: logical amount
        ["C9", dt.datetime(2024, 3, 1), "#N/A"],  # row 10: an error text
        ["C10", dt.datetime(2024, 3, 1), None],  # row 11: empty amount
        good,
        [None, None, None],  # row 13: fully empty, ignored
        good,
    ]
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(index, column, value, date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(index, column, value)
            elif value is not None:
                sheet.write(index, column, value)
    book.close()
    with pytest.raises(TransactionsError) as caught:
        read_transactions(path)
    error = caught.value
    found = [(p.row, p.column, p.reason) for p in error.problems]
    assert found == [
        (3, "Cliente", "tx_empty"),
        (4, "Cliente", "tx_not_an_id"),
        (5, "Data ordine", "tx_not_a_date"),
        (6, "Data ordine", "tx_date_out_of_range"),
        (7, "Data ordine", "tx_empty"),
        (8, "Valore", "tx_not_an_amount"),
        (9, "Valore", "tx_logical"),
        (10, "Valore", "tx_cell_error"),
        (11, "Valore", "tx_empty"),
    ]
    assert error.problem_count == 9
    text = str(error)
    assert "errori.xlsx [Ordini]: rows that cannot be read: 9" in text
    assert 'row 5, column Data ordine: "31/02/2024" is not a date' in text
    assert 'riga 8, colonna Valore: "dieci" non è un importo' in error.message("it")
    skipped = read_transactions(path, on_error="skip")
    assert skipped.skipped_rows == 9
    assert list(skipped.table["row"]) == [2, 12, 14]


def test_only_the_first_problems_are_listed_and_all_counted() -> None:
    """25 bad dates: the message lists 20 and says how many more."""
    frame = pd.DataFrame({"customer": ["a"] * 25, "date": ["soon"] * 25, "amount": [1.0] * 25})
    with pytest.raises(TransactionsError) as caught:
        read_transactions(frame)
    assert len(caught.value.problems) == 20
    assert caught.value.problems[0].row == 2  # a DataFrame's first row is row 2, below its labels
    assert "... and 5 more" in str(caught.value)
    assert "... e altri 5" in caught.value.message("it")


def test_named_sheet_table_and_parameters_sheet(tmp_path: Path) -> None:
    """A named sheet or Excel table is read; a Parametri sheet gives typed parameters (Italian keys)."""
    path = tmp_path / "modello.xlsx"
    book = xlsxwriter.Workbook(path)
    first = book.add_worksheet("Transazioni")
    first.write_row(0, 0, ["customer_id", "date", "amount"])
    first.write_row(1, 0, ["X", "2024-01-01", 1.0])
    other = book.add_worksheet("Altro")
    other.write(0, 0, "Tabella ordini")
    other.add_table(
        "B3:D5",
        {
            "name": "Ordini",
            "columns": [{"header": "Cliente"}, {"header": "Data acquisto"}, {"header": "Totale"}],
            "data": [["K1", "15/02/2024", "10,5"], ["K2", "16/02/2024", "3"]],
        },
    )
    params = book.add_worksheet("Parametri")
    params.write_row(0, 0, ["Parametro", "Valore"])
    for row, (key, value) in enumerate(
        [
            ("CAC", 35),
            ("Margine", "40%"),
            ("Tasso di sconto", "0,08"),
            ("Fine osservazione", "31/12/2024"),
            ("Valuta", "EUR"),
            ("Abbandono annuo", 0.2),
            ("Nota", "ignorata"),
        ],
        start=1,
    ):
        params.write_row(row, 0, [key, value])
    book.close()
    default = read_transactions(path)
    assert list(default.table["customer_id"]) == ["X"]
    assert default.parameters == {
        "cac": 35.0,
        "margin": 0.4,
        "discount_rate": 0.08,
        "observation_end": pd.Timestamp("2024-12-31"),
        "currency": "EUR",
        "annual_churn": 0.2,
    }
    from_table = read_transactions(path, table="ordini")
    assert list(from_table.table["amount"]) == [10.5, 3.0]
    assert list(from_table.table["row"]) == [4, 5]
    with pytest.raises(TransactionsError, match='no sheet named "Vendite"'):
        read_transactions(path, sheet="Vendite")
    assert list(read_transactions(path, sheet="altro").table["customer_id"]) == ["K1", "K2"]


def test_workbook_without_a_header_row(tmp_path: Path) -> None:
    """No sheet names the three columns: the error says which columns and what it found."""
    path = _openpyxl_book(tmp_path / "x.xlsx", [["Cliente", "Quando", "Importo"], ["A", "2024-01-01", 1]])
    with pytest.raises(
        TransactionsError,
        match=r"no header row with the columns customer_id, date, amount "
        r"\(found: Esportato dal gestionale, Cliente, Quando, Importo\)",
    ):
        read_transactions(path)


def test_bad_parameter_value_is_reported_with_its_row(tmp_path: Path) -> None:
    """A parameter that is not a number names its row and key."""
    path = tmp_path / "p.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Data").write_row(0, 0, ["customer_id", "date", "amount"])
    book.get_worksheet_by_name("Data").write_row(1, 0, ["X", "2024-01-01", 1.0])
    parameters = book.add_worksheet("Parameters")
    parameters.write_row(0, 0, ["margin", "a lot"])
    book.close()
    with pytest.raises(TransactionsError, match='row 1, column margin: "a lot" is not a number'):
        read_transactions(path)


CSV_ROWS = [
    ("00001", "2024-01-31", "€ 1.234,56"),  # the € is one byte in Windows-1252, three in UTF-8
    ("00002", "01/02/2024", "-5,00"),
    ("1001", "45352", "7"),
]


@pytest.mark.parametrize(
    ("separator", "encoding", "header"),
    [
        (";", "cp1252", "Cliente;Data;Importo (€)"),  # Italian Excel "CSV (delimitato dal separatore)"
        (";", "utf-8-sig", "id_cliente;data;importo"),  # "CSV UTF-8" with its BOM
        (",", "utf-8", "customer_id,date,amount"),
    ],
)
def test_csv_separators_and_encodings(tmp_path: Path, separator: str, encoding: str, header: str) -> None:
    """CSV as Excel saves it: ; or , separated, cp1252 or UTF-8 with BOM; line numbers as in a text editor."""
    lines = [
        header,
        *(separator.join(f'"{v}"' if separator == "," and "," in v else v for v in row) for row in CSV_ROWS),
    ]
    path = tmp_path / "ordini.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    table = read_transactions(path).table
    assert list(table["customer_id"]) == ["00001", "00002", "1001"]
    assert list(table["date"]) == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01")]
    assert list(table["amount"]) == [1234.56, -5.0, 7.0]
    assert list(table["row"]) == [2, 3, 4]


def test_csv_with_title_lines_and_blank_lines_keeps_line_numbers(tmp_path: Path) -> None:
    """A title above the header and a blank line: the bad cell is reported at its text line (6)."""
    path = tmp_path / "export.csv"
    path.write_text(
        "Export vendite 2024\n\nCliente;Data;Importo;Segmento\nA;02/01/2024;1,5;Bar\n\nB;ieri;2;Bar\n", encoding="utf-8"
    )
    with pytest.raises(TransactionsError) as caught:
        read_transactions(path)
    assert [(p.row, p.column, p.value) for p in caught.value.problems] == [(6, "Data", "ieri")]


def test_csv_rows_longer_or_shorter_than_the_header(tmp_path: Path) -> None:
    """A note beyond the headed columns is ignored; a short line misses its amount, reported at its line."""
    path = tmp_path / "ragged.csv"
    path.write_text("cliente;data;importo\nA;01/02/2024;5\nB;02/02/2024;6;nota\nC;03/02/2024\n", encoding="utf-8")
    with pytest.raises(TransactionsError) as caught:
        read_transactions(path)
    assert [(p.row, p.column, p.reason) for p in caught.value.problems] == [(4, "importo", "tx_empty")]
    assert list(read_transactions(path, on_error="skip").table["amount"]) == [5.0, 6.0]


def test_csv_with_quoted_separators_and_inch_marks(tmp_path: Path) -> None:
    """Quoted notes holding ';' and a line break, and a bare inch mark: every order read, lines kept."""
    path = tmp_path / "note.csv"
    path.write_text(
        'cliente;data;importo;nota\nA;01/02/2024;5;"uno; due"\nB;02/02/2024;6;schermo 24" e cavo;x;y\n'
        'C;03/02/2024;7;"riga\ndoppia"\n',
        encoding="utf-8",
    )
    table = read_transactions(path).table
    assert list(table["customer_id"]) == ["A", "B", "C"]
    assert list(table["amount"]) == [5.0, 6.0, 7.0]


def test_csv_line_numbers_count_the_lines_of_quoted_notes(tmp_path: Path) -> None:
    """A note written over three lines: the bad amount below it is reported at the line a text editor shows (5)."""
    path = tmp_path / "note_lunghe.csv"
    path.write_text(
        'cliente;data;importo;nota\nA;01/02/2024;5;"prima riga\nseconda\nterza"\nB;02/02/2024;dieci;\n',
        encoding="utf-8",
    )
    with pytest.raises(TransactionsError) as caught:
        read_transactions(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "importo")]
    assert list(read_transactions(path, on_error="skip").table["row"]) == [2]


def test_damaged_sheet_is_a_clear_error(tmp_path: Path) -> None:
    """A workbook whose sheet XML is cut short: a TransactionsError naming the file, not a reader's exception."""
    good = tmp_path / "good.xlsx"
    book = xlsxwriter.Workbook(good)
    book.add_worksheet("Dati").write_row(0, 0, ["customer_id", "date", "amount"])
    book.close()
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    with pytest.raises(TransactionsError, match="damaged.xlsx: the workbook cannot be read"):
        read_transactions(damaged)


def test_missing_or_foreign_file_is_refused(tmp_path: Path) -> None:
    """The file checks of clv_xl.files run before anything is opened."""
    with pytest.raises(ClvError, match="does not exist"):
        read_transactions(tmp_path / "nope.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    with pytest.raises(ClvError, match="not a valid Excel workbook"):
        read_transactions(fake)


def test_dataframe_headers_in_english_with_aliases_and_nan() -> None:
    """A DataFrame from pandas: aliases (order_date, value), NaN amounts reported as empty."""
    frame = pd.DataFrame(
        {
            "Customer": ["1", "2"],
            "Order Date": [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")],
            "Value": [1.0, np.nan],
        }
    )
    with pytest.raises(TransactionsError, match="row 3, column Value: empty"):
        read_transactions(frame)
    frame.loc[1, "Value"] = 2.0
    frame.loc[0, "Order Date"] = pd.NaT
    with pytest.raises(TransactionsError, match="row 2, column Order Date: empty"):
        read_transactions(frame)
    with pytest.raises(TransactionsError, match="on_error must be"):
        read_transactions(frame, on_error="ignore")  # type: ignore[arg-type]


CELLS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.sampled_from(["#N/A", "#VALORE!", "1.234,56", "31/01/2024", " "]),
)


@given(st.lists(st.tuples(CELLS, CELLS, CELLS, CELLS), min_size=1, max_size=30))
def test_any_cells_give_transactions_or_one_transactions_error(rows: list[tuple[object, ...]]) -> None:
    """Whatever the cells, validation returns transactions or raises TransactionsError; skip mode never raises
    for a table with at least one good row; every problem names a row of the input."""
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "segment"], dtype=object)
    try:
        read = read_transactions(frame)
    except TransactionsError as error:
        assert error.problem_count >= 1 or error.key == "tx_no_rows"
        assert all(2 <= p.row <= len(rows) + 1 for p in error.problems)
        assert error.message("it")
    else:
        assert len(read.table) <= len(rows)
        assert read.table["amount"].notna().all() and read.table["date"].notna().all()
