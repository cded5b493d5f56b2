"""Render the report into the open Excel workbook, through xlwings (the ribbon button).

Thin on purpose: the content comes from :func:`clv_xl.report.sheet_layout.report_sheet_blocks`
and the model; this module only moves it into Excel. It replaces the report sheet
(and nothing else) of the workbook it is given; every other sheet is left untouched.
Excel's status bar shows progress; bad data ends in a message box, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from clv_xl.report.model import ReportModel, TableData
from clv_xl.report.sheet_layout import (
    CHARTS,
    NUMBER_FORMATS,
    SHEETS,
    TEXTS,
    Block,
    report_sheet_blocks,
)

__all__ = ["LIVE_CHART_COLUMN", "write_into_book"]

#: Column (zero-based) where the charts start, to the right of the report blocks.
LIVE_CHART_COLUMN = 7
_CHART_TYPES = {"bar": "bar_clustered", "column": "column_clustered", "line": "line"}
_CHART_WIDTH, _CHART_HEIGHT = 420, 250


def _cell(sheet: Any, row: int, column: int) -> Any:
    """The xlwings range of one cell, from zero-based coordinates."""
    return sheet.range((row + 1, column + 1))


def _rectangle(sheet: Any, row: int, column: int, rows: int, columns: int) -> Any:
    return sheet.range((row + 1, column + 1), (row + rows, column + columns))


def write_into_book(book: Any, model: ReportModel) -> Any:
    """Replace the report sheet of ``book`` with the report; return the new sheet.

    Parameters
    ----------
    book
        An ``xlwings.Book`` (or any object with the same API).
    model
        The report to show.
    """
    language = model.parameters.language
    name = SHEETS["report"](language)
    app = book.app
    previous_alerts = app.display_alerts
    app.display_alerts = False  # deleting a sheet asks for confirmation otherwise
    try:
        if name in [sheet.name for sheet in book.sheets]:
            book.sheets[name].delete()
        sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    finally:
        app.display_alerts = previous_alerts

    blocks = report_sheet_blocks(model)
    placed: dict[str, tuple[int, int, int]] = {}
    for block in blocks:
        _write_block(sheet, block)
        if block.table is not None:
            placed[block.table] = (block.row, block.column, len(block.values))
    row = max(block.row + len(block.values) for block in blocks) + 2
    for table in (model.segments, model.at_risk, model.customers):
        if table is None:
            continue
        _cell(sheet, row, 0).value = table.title(language)
        _cell(sheet, row, 0).font.bold = True
        placed[table.name] = (row + 2, 0, len(table.rows))
        row = _write_table(sheet, row + 1, table, language) + 2
    _add_charts(sheet, model, placed)
    sheet.autofit("columns")
    sheet.activate()
    return sheet


def _write_block(sheet: Any, block: Block) -> None:
    width = len(block.values[0])
    target = _rectangle(sheet, block.row, block.column, len(block.values), width)
    target.value = block.values
    for offset, kind in enumerate(block.kinds):
        column = _rectangle(sheet, block.row, block.column + offset, len(block.values), 1)
        column.number_format = NUMBER_FORMATS[kind]
    if block.style in ("title", "header", "key_value"):
        target.font.bold = True
    if block.style == "input":
        target.color = (255, 242, 204)
    if block.formulas:
        for i, formulas in enumerate(block.formulas):
            for j, formula in enumerate(formulas):
                if formula is not None:
                    _cell(sheet, block.row + i, block.column + j).formula = formula
    for defined, (i, j) in block.names.items():
        sheet.book.names.add(defined, f"='{sheet.name}'!{_cell(sheet, block.row + i, block.column + j).get_address()}")


def _write_table(sheet: Any, row: int, table: TableData, language: str) -> int:
    """Write a table (header + rows) as an Excel table; return its last row."""
    header = [column.label(language) for column in table.columns]  # type: ignore[arg-type]
    body = _table_values(table)
    target = _rectangle(sheet, row, 0, 1 + len(body), len(header))
    target.value = [header, *body]
    for offset, column in enumerate(table.columns):
        _rectangle(sheet, row + 1, offset, max(len(body), 1), 1).number_format = NUMBER_FORMATS[column.kind]
    sheet.tables.add(source=target, name=f"clv_{table.name}")
    return row + len(body)


def _table_values(table: TableData) -> list[list[Any]]:
    """Rows as Python values; text columns stay text (a leading = never becomes a formula)."""
    columns: list[Sequence[Any]] = []
    for column in table.columns:
        values = table.rows[column.key]
        if column.kind == "text":
            # Excel reads a string that starts with = + - @ as a formula: the apostrophe
            # prefix makes it a literal text and is not shown in the cell
            columns.append(["'" + v if v[:1] in "=+-@" else v for v in values.astype("string").fillna("")])
        elif column.kind == "date":
            columns.append([None if pd.isna(v) else v.to_pydatetime() for v in pd.to_datetime(values)])
        else:
            columns.append([None if pd.isna(v) else float(v) for v in values])
    return [list(row) for row in zip(*columns, strict=True)]


def _add_charts(sheet: Any, model: ReportModel, placed: dict[str, tuple[int, int, int]]) -> None:
    language = model.parameters.language
    keys = {
        "what_if": ["driver", *(f"{change:+.0%}" for change in model.what_if.changes)],
        "segments": [c.key for c in model.segments.columns],
        "customers": [c.key for c in model.customers.columns],
    }
    top = 0
    for spec in CHARTS:
        if spec.table not in placed or spec.table not in keys:
            continue  # distribution and monthly revenue are in the .xlsx report only
        row, column, count = placed[spec.table]
        if count == 0:
            continue
        categories = column + keys[spec.table].index(spec.categories)
        first_value = column + keys[spec.table].index(spec.values[0])
        last_value = column + keys[spec.table].index(spec.values[-1])
        anchor = _cell(sheet, top, LIVE_CHART_COLUMN)
        chart = sheet.charts.add(left=anchor.left, top=anchor.top, width=_CHART_WIDTH, height=_CHART_HEIGHT)
        chart.chart_type = _CHART_TYPES[spec.kind]
        # header row included, so the series are named; categories and values may be apart
        category_range = _rectangle(sheet, row - 1, categories, count + 1, 1)
        value_range = _rectangle(sheet, row - 1, first_value, count + 1, last_value - first_value + 1)
        chart.set_source_data(sheet.range(f"{category_range.address},{value_range.address}"))
        chart.name = TEXTS[spec.key](language)
        top += 18
