"""A recording stand-in for the xlwings objects the report button uses.

The button needs a workbook's ``name`` and ``fullname``, ``book.api.SaveCopyAs`` (Excel's
COM method), and of the application the status bar, message boxes and
``app.books.open``. Here ``SaveCopyAs`` really saves the book's cells as a workbook
(with openpyxl, as Excel would: one sheet per sheet, dates as dates), so the button's
path from the copy on runs the real reader and renderer. Every use of the COM object
is logged, so that tests can check the open workbook was only ever copied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd


class Sheet:
    def __init__(self, book: Book, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}


class WorkbookApi:
    """``book.api``: the COM Workbook. Only ``SaveCopyAs`` is implemented; any other use is logged and fails."""

    def __init__(self, book: Book) -> None:
        self._book = book

    def SaveCopyAs(self, filename: str) -> None:  # noqa: N802 - Excel's name
        self._book.log.append(("SaveCopyAs", filename))
        if self._book.copy_fails is not None:
            raise self._book.copy_fails
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for sheet in self._book.sheets:
            target = workbook.create_sheet(sheet.name)
            for (row, column), value in sheet.cells.items():
                cell = target.cell(row, column, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a text such as "=HYPERLINK(...)" stays text, as Excel keeps it
        workbook.save(filename)

    def __getattr__(self, name: str) -> Any:
        self._book.log.append(("api", name))
        raise AttributeError(f"the stand-in's Workbook has no {name}")


class Books:
    """``app.books``: records the workbooks Excel is asked to open."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.opened: list[str] = []

    def open(self, fullname: str, **_kwargs: Any) -> None:
        self.app.book.log.append(("open", fullname))
        assert Path(fullname).exists(), fullname
        self.opened.append(fullname)


class App:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.books = Books(self)
        self.status_history: list[Any] = []
        self.alerts: list[dict[str, Any]] = []

    @property
    def status_bar(self) -> Any:
        return self.status_history[-1] if self.status_history else False

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self.status_history.append(value)

    def alert(
        self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None, **_: Any
    ) -> str:
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})
        return "ok"


class Book:
    """``xlwings.Book`` stand-in: its sheets' cells, its file name, its app, and a log of every COM call.

    ``fullname`` is the path of the saved workbook, or just its name (``"Cartel1"``) when
    it was never saved, as in Excel. Set ``copy_fails`` to an exception to make
    ``SaveCopyAs`` fail as Excel's COM call can.
    """

    def __init__(self, fullname: str | Path = "Cartel1.xlsx") -> None:
        self.fullname = str(fullname)
        self.name = Path(self.fullname).name
        self.log: list[tuple[Any, ...]] = []
        self.sheets: list[Sheet] = []
        self.app = App(self)
        self.api = WorkbookApi(self)
        self.copy_fails: BaseException | None = None

    def add_sheet(self, name: str, rows: list[list[Any]] | pd.DataFrame | None = None) -> Sheet:
        """Set up a sheet before the test (not logged)."""
        sheet = Sheet(self, name)
        self.sheets.append(sheet)
        if rows is not None:
            if isinstance(rows, pd.DataFrame):
                rows = [list(rows.columns), *rows.itertuples(index=False, name=None)]
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    sheet.cells[(i + 1, j + 1)] = value
        return sheet

    def snapshot(self) -> dict[str, dict[tuple[int, int], Any]]:
        """Every sheet's cells, to compare before and after."""
        return {sheet.name: dict(sheet.cells) for sheet in self.sheets}
