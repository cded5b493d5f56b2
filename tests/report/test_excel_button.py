"""The ribbon button's path, against a recording stand-in of the xlwings objects it uses.

Checked: the open workbook is only ever copied (``SaveCopyAs``: no other COM call, its
cells unchanged); the report is the command line's report of the same cells, cell for
cell; it goes beside the workbook under a new name (numbered, never overwriting), or
into Documents for a workbook never saved; Excel is asked to open it; progress goes to
the status bar; bad data ends in a message box that names the workbook, the row and
the column, and no report is left behind. Without Windows, ``SaveCopyAs`` is the
stand-in's (it saves the cells with openpyxl): Excel's own copy was not run here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from recording_excel import Book

import clv_xl
from clv_xl.report.excel_button import report_for_book, report_path
from clv_xl.report.run import report_from_file

ROWS = [
    ["customer_id", "date", "amount", "segment"],
    ["00001", dt.datetime(2024, 1, 10), 100.0, "North"],
    ["00001", dt.datetime(2024, 7, 10), 300.0, "North"],
    ['=HYPERLINK("http://example.com")', dt.datetime(2024, 3, 1), 200.0, "North"],
    ["00003", dt.datetime(2024, 2, 1), 50.0, "+South"],
    ["00003", dt.datetime(2024, 12, 1), 100.0, "+South"],
]


def user_book(folder: Path, name: str = "Vendite.xlsx") -> Book:
    book = Book(folder / name)
    book.add_sheet("Notes", [["my notes"], ["keep me"]])
    book.add_sheet("Transactions", ROWS)
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


def cells(path: Path) -> dict[str, dict[str, object]]:
    """Every cell of every sheet (formulas as their text), by sheet and address."""
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: {
            cell.coordinate: cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None
        }
        for sheet in book.worksheets
    }


def test_the_report_goes_beside_the_workbook_which_is_only_copied(tmp_path: Path) -> None:
    book = user_book(tmp_path)
    before = book.snapshot()
    target = report_for_book(book, "en")
    assert target == tmp_path / "Vendite - CLV report.xlsx"
    assert target.exists()
    assert book.app.books.opened == [str(target)]
    assert book.snapshot() == before
    # the only COM call on the workbook is the copy, into a temporary folder since removed
    assert [entry[0] for entry in book.log] == ["SaveCopyAs", "open"]
    copy = book.log[0]
    assert Path(copy[1]).name == "Vendite.xlsx" and not Path(copy[1]).parent.exists()
    assert book.app.alerts == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Vendite - CLV report.xlsx"]


def test_the_same_report_as_the_command_line(tmp_path: Path) -> None:
    """Cell for cell (values and formula texts) the report ``clv-xl report`` writes from the same cells."""
    book = user_book(tmp_path)
    from_button = report_for_book(book, "it")
    assert from_button is not None
    saved = tmp_path / "saved" / "Vendite.xlsx"
    saved.parent.mkdir()
    book.api.SaveCopyAs(str(saved))
    from_command = tmp_path / "command.xlsx"
    report_from_file(saved, from_command, language="it")
    assert cells(from_button) == cells(from_command)
    assert "Rapporto CLV" in cells(from_button)


def test_an_existing_report_is_never_overwritten(tmp_path: Path) -> None:
    taken = tmp_path / "Vendite - CLV report.xlsx"
    taken.write_bytes(b"last month's report")
    book = user_book(tmp_path)
    assert report_for_book(book, "en") == tmp_path / "Vendite - CLV report (2).xlsx"
    assert report_for_book(book, "en") == tmp_path / "Vendite - CLV report (3).xlsx"
    assert taken.read_bytes() == b"last month's report"
    assert report_path(tmp_path, "Vendite.xlsx", "en").name == "Vendite - CLV report (4).xlsx"


class _RacingApp:
    """What another report does while this one is written: it takes the name, right before this one is saved."""

    def __init__(self, book: Book, taken: list[Path]) -> None:
        self.inner, self.taken = book.app, taken

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    @property
    def status_bar(self) -> object:
        return self.inner.status_bar

    @status_bar.setter
    def status_bar(self, value: object) -> None:
        self.inner.status_bar = value
        if value == "clv_xl: saving…" and len(self.taken) < 2:  # twice: the first two names are taken in turn
            name = f"Vendite - CLV report{' (2)' if self.taken else ''}.xlsx"
            self.taken.append(Path(self.inner.book.fullname).parent / name)
            self.taken[-1].write_bytes(b"another report, written meanwhile")


def test_a_name_taken_while_the_report_is_written_gives_the_next_number(tmp_path: Path) -> None:
    """Output files are created exclusively: when another report takes the chosen name (then the next) while
    this one is being written, the button does not show an error but takes the next free number; the other
    reports stay as they were, and no temporary file is left. Fails when the button overwrites the other
    report, or ends with "already exists"."""
    book = user_book(tmp_path)
    taken: list[Path] = []
    book.app = _RacingApp(book, taken)  # type: ignore[assignment]
    target = report_for_book(book, "en")
    assert book.app.alerts == []
    assert target == tmp_path / "Vendite - CLV report (3).xlsx" and target.exists()
    assert [path.read_bytes() for path in taken] == [b"another report, written meanwhile"] * 2
    assert book.app.books.opened == [str(target)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Vendite - CLV report (2).xlsx",
        "Vendite - CLV report (3).xlsx",
        "Vendite - CLV report.xlsx",
    ]
    assert cells(target)["CLV report"]["A1"] == "Customer lifetime value report"


def test_a_workbook_never_saved_reports_into_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setattr(Path, "home", staticmethod(lambda: home))
    book = Book("Cartel1")  # Excel's fullname of a new workbook: just its name
    book.add_sheet("Foglio1", ROWS)
    target = report_for_book(book, "it")
    assert target == home / "Documents" / "Cartel1 - Rapporto CLV.xlsx"
    assert target.exists()


def test_status_bar_shows_each_step_then_the_file(tmp_path: Path) -> None:
    book = user_book(tmp_path)
    target = report_for_book(book, "it")
    history = book.app.status_history
    assert history[0] == "clv_xl: copia della cartella di lavoro…"
    assert "clv_xl: lettura delle transazioni…" in history
    assert "clv_xl: calcolo del CLV e della previsione…" in history
    assert history[-1] == f"Rapporto CLV scritto in {target}."


def test_bad_data_gives_a_message_box_naming_workbook_row_and_column(tmp_path: Path) -> None:
    book = user_book(tmp_path)
    book.sheets[1].cells[(4, 3)] = "abc"
    before = book.snapshot()
    assert report_for_book(book, "en") is None
    (alert,) = book.app.alerts
    assert alert["mode"] == "critical"
    assert "Vendite.xlsx [Transactions]" in alert["prompt"]
    assert "row 4" in alert["prompt"] and "amount" in alert["prompt"]
    assert book.snapshot() == before
    assert book.app.status_bar is False
    assert book.app.books.opened == []
    assert list(tmp_path.iterdir()) == []  # no report, no half-written file


def test_a_workbook_without_orders(tmp_path: Path) -> None:
    book = Book(tmp_path / "Vuota.xlsx")
    book.add_sheet("Foglio1", [["ciao"]])
    assert report_for_book(book, "it") is None
    prompt = book.app.alerts[0]["prompt"]
    # the reader's own message, in Italian: the file, the Italian headers it accepts, and what it found
    assert prompt.startswith("Vuota.xlsx: nessuna riga di intestazione con le colonne id_cliente, data e importo")
    assert prompt.endswith("intestazioni trovate: ciao")


def test_a_failing_copy_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    book = user_book(tmp_path)
    book.copy_fails = RuntimeError("disk full")
    assert report_for_book(book, "en") is None
    assert book.app.alerts[0]["prompt"] == "unexpected error in CLV report: disk full"
    assert list(tmp_path.iterdir()) == []


def test_main_is_the_button_on_the_calling_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``clv_xl.main()``, what the add-in runs, takes ``xlwings.Book.caller()`` (stubbed: no Excel here)."""
    import xlwings

    book = user_book(tmp_path)
    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: book))
    monkeypatch.setenv("CLV_XL_LANG", "it")
    clv_xl.main()
    assert book.app.books.opened == [str(tmp_path / "Vendite - Rapporto CLV.xlsx")]
