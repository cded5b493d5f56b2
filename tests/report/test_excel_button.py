"""The ribbon button's path, against a recording stand-in of the xlwings objects it uses.

Checked: only the report sheet is replaced (every other sheet's cells are unchanged),
the figures are those of the command line's model, text from the data never becomes
a formula, progress goes to the status bar, bad data ends in a message box that names
the row and column.
"""

from __future__ import annotations

import datetime as dt

import pytest
from recording_excel import Book

from clv_xl.report.excel_button import report_in_book
from clv_xl.report.sheet_layout import SHEETS

ROWS = [
    ["customer_id", "date", "amount", "segment"],
    ["00001", dt.datetime(2024, 1, 10), 100.0, "North"],
    ["00001", dt.datetime(2024, 7, 10), 300.0, "North"],
    ['=HYPERLINK("http://example.com")', dt.datetime(2024, 3, 1), 200.0, "North"],
    ["00003", dt.datetime(2024, 2, 1), 50.0, "+South"],
    ["00003", dt.datetime(2024, 12, 1), 100.0, "+South"],
]


def user_book() -> Book:
    book = Book("Vendite.xlsx")
    book.add_sheet("Notes", [["my notes"], ["keep me"]])
    book.add_sheet("Transactions", ROWS, table="Orders")
    book.add_sheet(
        "Parameters",
        [
            ["key", "value"],
            ["cac", 100.0],
            ["margin", 0.5],
            ["annual_churn", 0.25],
            ["observation_end", dt.datetime(2024, 12, 31)],
        ],
    )
    return book


def label_value(sheet, label: str) -> object:  # type: ignore[no-untyped-def]
    for (row, column), value in sheet.cells.items():
        if column == 1 and value == label:
            return sheet.cells.get((row, 2))
    raise AssertionError(label)


def test_only_the_report_sheet_is_added_and_nothing_else_changes() -> None:
    book = user_book()
    before = book.snapshot()
    assert report_in_book(book, "en") is True
    after = book.snapshot()
    report_name = SHEETS["report"].en
    assert set(after) == set(before) | {report_name}
    for name, cells in before.items():
        assert after[name] == cells, name
    touched = {entry[1] for entry in book.log if entry[0] in ("value", "formula", "bold", "table", "chart")}
    assert touched == {report_name}
    assert book.app.alerts == []


def test_running_again_replaces_only_the_report_sheet() -> None:
    book = user_book()
    report_in_book(book, "en")
    before = book.snapshot()
    book.log.clear()
    assert report_in_book(book, "en") is True
    assert [entry for entry in book.log if entry[0] in ("delete", "add")] == [
        ("delete", SHEETS["report"].en),
        ("add", SHEETS["report"].en),
    ]
    assert book.snapshot() == before  # same data, same report
    assert book.app.display_alerts is True  # restored after the silent delete


def test_figures_and_formulas_are_those_of_the_model() -> None:
    book = user_book()
    report_in_book(book, "en")
    sheet = book.sheets[SHEETS["report"].en]
    assert label_value(sheet, "Customers") == 3
    assert label_value(sheet, "Acquisition cost (CAC)") == 100.0
    # 750 € from 3 customers over 357 observed days; 25 % churn -> 4 years; margin 50 %
    value_per_year = (750 / 3) / (357 / 365.25)
    assert label_value(sheet, "Customer lifetime value (CLV)") == pytest.approx(value_per_year * 0.5 * 4 - 100)
    assert any("Report_CustomerValue*Report_Margin" in f for f in sheet.formulas.values())
    assert {"Report_CAC", "Report_Margin", "Report_CLV"} <= set(book.names.defined)
    assert {t.name for t in sheet.tables} == {"clv_segments", "clv_customers"}
    assert len(sheet.charts) == 2 and all(chart.source for chart in sheet.charts)


def test_text_from_the_data_is_never_a_formula() -> None:
    book = user_book()
    report_in_book(book, "en")
    sheet = book.sheets[SHEETS["report"].en]
    values = set(sheet.cells.values())
    assert '\'=HYPERLINK("http://example.com")' in values  # the apostrophe keeps it text
    assert "'+South" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_status_bar_shows_progress_then_the_result() -> None:
    book = user_book()
    report_in_book(book, "it")
    history = book.app.status_history
    assert history[0] == "clv_xl: lettura delle transazioni…"
    assert history[-1] == "Rapporto CLV pronto nel foglio 'Rapporto CLV'."


def test_bad_data_gives_a_message_box_with_row_and_column() -> None:
    book = user_book()
    book.sheets["Transactions"].cells[(4, 3)] = "abc"
    before = book.snapshot()
    assert report_in_book(book, "en") is False
    (alert,) = book.app.alerts
    assert alert["mode"] == "critical"
    assert "row 4" in alert["prompt"] and "amount" in alert["prompt"]
    assert book.snapshot() == before  # no report sheet half-written
    assert book.app.status_bar is False


def test_a_workbook_without_transactions() -> None:
    book = Book("Empty.xlsx")
    book.add_sheet("Sheet1", [["hello"]])
    assert report_in_book(book, "it") is False
    assert "Nessuna tabella di transazioni" in book.app.alerts[0]["prompt"]


def test_an_unexpected_failure_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import clv_xl.report.excel_button as button

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(button, "write_into_book", broken)
    book = user_book()
    assert report_in_book(book, "en") is False
    assert book.app.alerts[0]["prompt"] == "unexpected error in CLV report: disk full"
