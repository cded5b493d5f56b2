"""A small recording stand-in for the xlwings objects the report's Excel path uses.

It keeps cell values per sheet (so tests can read back what was written) and logs
every call that changes the workbook, so tests can check that nothing but the report
sheet was touched. It implements only what ``clv_xl.report.live`` and
``clv_xl.excel_report`` call, with xlwings' signatures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def parse_cell(address: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address)
    assert match, address
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


class Font:
    def __init__(self, rng: Range) -> None:
        self._rng = rng

    @property
    def bold(self) -> bool:
        return self._rng.sheet.formats.get((self._rng.row, self._rng.column, "bold"), False)

    @bold.setter
    def bold(self, value: bool) -> None:
        self._rng.sheet.book.log.append(("bold", self._rng.sheet.name, self._rng.address))
        for r, c in self._rng.cells():
            self._rng.sheet.formats[(r, c, "bold")] = value


class Range:
    """A rectangle of cells (1-based, inclusive), like xlwings.Range."""

    def __init__(self, sheet: Sheet, row: int, column: int, last_row: int, last_column: int) -> None:
        self.sheet, self.row, self.column = sheet, row, column
        self.last_row, self.last_column = last_row, last_column

    def cells(self) -> list[tuple[int, int]]:
        return [(r, c) for r in range(self.row, self.last_row + 1) for c in range(self.column, self.last_column + 1)]

    @property
    def address(self) -> str:
        first = f"${column_letter(self.column)}${self.row}"
        if (self.row, self.column) == (self.last_row, self.last_column):
            return first
        return f"{first}:${column_letter(self.last_column)}${self.last_row}"

    def get_address(self) -> str:
        return self.address

    @property
    def shape(self) -> tuple[int, int]:
        return (self.last_row - self.row + 1, self.last_column - self.column + 1)

    @property
    def value(self) -> Any:
        rows = [
            [self.sheet.cells.get((r, c)) for c in range(self.column, self.last_column + 1)]
            for r in range(self.row, self.last_row + 1)
        ]
        if self.shape == (1, 1):
            return rows[0][0]
        return rows

    @value.setter
    def value(self, values: Any) -> None:
        self.sheet.book.log.append(("value", self.sheet.name, self.address))
        rows = values if isinstance(values, list) and values and isinstance(values[0], list) else [[values]]
        assert (len(rows), len(rows[0])) == self.shape, (self.address, len(rows), len(rows[0]))
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                self.sheet.cells[(self.row + i, self.column + j)] = value

    @property
    def formula(self) -> Any:
        return self.sheet.formulas.get((self.row, self.column))

    @formula.setter
    def formula(self, formula: str) -> None:
        self.sheet.book.log.append(("formula", self.sheet.name, self.address))
        self.sheet.formulas[(self.row, self.column)] = formula

    @property
    def number_format(self) -> str:
        return self.sheet.formats.get((self.row, self.column, "number_format"), "General")

    @number_format.setter
    def number_format(self, value: str) -> None:
        for r, c in self.cells():
            self.sheet.formats[(r, c, "number_format")] = value

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def color(self) -> Any:
        return self.sheet.formats.get((self.row, self.column, "color"))

    @color.setter
    def color(self, value: Any) -> None:
        for r, c in self.cells():
            self.sheet.formats[(r, c, "color")] = value

    @property
    def left(self) -> float:
        return (self.column - 1) * 48.0

    @property
    def top(self) -> float:
        return (self.row - 1) * 15.0

    def options(self, *_args: Any, ndim: int | None = None, **_kwargs: Any) -> Range:
        if ndim == 2:
            return _TwoDimensional(self.sheet, self.row, self.column, self.last_row, self.last_column)
        return self

    def expand(self, _mode: str = "table") -> Range:
        last_row, last_column = self.row, self.column
        while self.sheet.cells.get((last_row + 1, self.column)) not in (None, ""):
            last_row += 1
        while self.sheet.cells.get((self.row, last_column + 1)) not in (None, ""):
            last_column += 1
        return Range(self.sheet, self.row, self.column, last_row, last_column)


class _TwoDimensional(Range):
    """``range.options(ndim=2)``: the value is always a list of rows."""

    @property
    def value(self) -> Any:
        return [
            [self.sheet.cells.get((r, c)) for c in range(self.column, self.last_column + 1)]
            for r in range(self.row, self.last_row + 1)
        ]


@dataclass
class Chart:
    sheet: Sheet
    left: float
    top: float
    width: float
    height: float
    chart_type: str = ""
    source: str = ""
    name: str = ""

    def set_source_data(self, source: Range) -> None:
        self.source = source.address


@dataclass
class Table:
    name: str
    range: Range

    @property
    def data_body_range(self) -> Range:
        rng = self.range
        return Range(rng.sheet, rng.row + 1, rng.column, rng.last_row, rng.last_column)

    @property
    def header_row_range(self) -> Range:
        rng = self.range
        return Range(rng.sheet, rng.row, rng.column, rng.row, rng.last_column)


class Tables(list):  # type: ignore[type-arg]
    def __init__(self, sheet: Sheet) -> None:
        super().__init__()
        self.sheet = sheet

    def add(self, source: Range, name: str | None = None, **_kwargs: Any) -> Table:
        self.sheet.book.log.append(("table", self.sheet.name, name))
        table = Table(name or f"Table{len(self) + 1}", source)
        self.append(table)
        return table

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return next(t for t in self if t.name == key)
        return list.__getitem__(self, key)


class Charts(list):  # type: ignore[type-arg]
    def __init__(self, sheet: Sheet) -> None:
        super().__init__()
        self.sheet = sheet

    def add(self, left: float = 0, top: float = 0, width: float = 355, height: float = 211, **_kwargs: Any) -> Chart:
        self.sheet.book.log.append(("chart", self.sheet.name))
        chart = Chart(self.sheet, left, top, width, height)
        self.append(chart)
        return chart


class Sheet:
    def __init__(self, book: Book, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.formats: dict[tuple[Any, ...], Any] = {}
        self.tables = Tables(self)
        self.charts = Charts(self)

    def range(self, first: Any, last: Any = None) -> Range:
        if isinstance(first, str):
            parts = [parse_cell(a) for a in re.split(r"[:,]", first)]
            rows = [p[0] for p in parts]
            columns = [p[1] for p in parts]
            return Range(self, min(rows), min(columns), max(rows), max(columns))
        if isinstance(first, Range):
            return Range(self, first.row, first.column, last.last_row, last.last_column)
        last = last or first
        return Range(self, first[0], first[1], last[0], last[1])

    def __getitem__(self, address: str) -> Range:
        return self.range(address)

    @property
    def used_range(self) -> Range:
        if not self.cells:
            return Range(self, 1, 1, 1, 1)
        rows = [r for r, _ in self.cells]
        columns = [c for _, c in self.cells]
        return Range(self, min(rows), min(columns), max(rows), max(columns))

    def delete(self) -> None:
        self.book.log.append(("delete", self.name))
        self.book.sheets.remove(self)

    def activate(self) -> None:
        self.book.active = self

    def autofit(self, _axis: str | None = None) -> None:
        pass


class Sheets(list):  # type: ignore[type-arg]
    def __init__(self, book: Book) -> None:
        super().__init__()
        self.book = book

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for sheet in self:
                if sheet.name == key:
                    return sheet
            raise KeyError(key)
        return list.__getitem__(self, key)

    def add(self, name: str | None = None, before: Any = None, after: Any = None) -> Sheet:
        self.book.log.append(("add", name))
        assert name not in [s.name for s in self], f"a sheet named {name} already exists"
        sheet = Sheet(self.book, name or f"Sheet{len(self) + 1}")
        position = self.index(after) + 1 if after is not None else (self.index(before) if before is not None else 0)
        self.insert(position, sheet)
        return sheet


@dataclass
class Names:
    book: Book
    defined: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, refers_to: str) -> None:
        self.book.log.append(("name", name))
        self.defined[name] = refers_to


class App:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.display_alerts = True
        self.screen_updating = True
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
    """``xlwings.Book`` stand-in: sheets, names, app, and a log of every change."""

    def __init__(self, name: str = "Cartel1.xlsx") -> None:
        self.name = name
        self.log: list[tuple[Any, ...]] = []
        self.sheets = Sheets(self)
        self.names = Names(self)
        self.app = App(self)
        self.active: Sheet | None = None

    def add_sheet(
        self, name: str, rows: list[list[Any]] | pd.DataFrame | None = None, table: str | None = None
    ) -> Sheet:
        """Set up a sheet before the test (not logged)."""
        sheet = Sheet(self, name)
        self.sheets.append(sheet)
        if rows is not None:
            if isinstance(rows, pd.DataFrame):
                rows = [list(rows.columns), *rows.itertuples(index=False, name=None)]
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    sheet.cells[(i + 1, j + 1)] = value
            if table:
                sheet.tables.append(Table(table, Range(sheet, 1, 1, len(rows), len(rows[0]))))
        return sheet

    def snapshot(self) -> dict[str, dict[tuple[int, int], Any]]:
        """Every sheet's cells, to compare before and after."""
        return {sheet.name: dict(sheet.cells) for sheet in self.sheets}
