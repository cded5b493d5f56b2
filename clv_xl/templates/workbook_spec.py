"""The shape of a template workbook, described as data.

A template is a :class:`WorkbookSpec`: sheets of :class:`Cell` s (value or formula,
style, optional defined name, validation and note), plus sheet-wide parts (column
widths, tables, conditional formats, charts). Texts are :class:`~clv_xl.catalogue.Text`
(English and Italian); :mod:`clv_xl.templates.builder` renders a spec in one language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from clv_xl.i18n import Language, Text

__all__ = [
    "CHANGE_FORMAT",
    "EURO_FORMAT",
    "Cell",
    "CellValue",
    "ConditionalFormat",
    "LineChart",
    "Sheet",
    "TableSpec",
    "Validation",
    "WorkbookSpec",
    "localise",
]

#: Euro amounts: Excel shows ``29,000.00 €`` in English and ``29.000,00 €`` in Italian settings.
EURO_FORMAT = '#,##0.00 "€"'

#: A change in percent with its sign: ``+10%``, ``-20%``, ``0%``.
CHANGE_FORMAT = "+0%;-0%;0%"

#: What a cell holds: a number, a date, a text or formula (``"=..."``) in both languages, or nothing.
CellValue = float | int | str | Text | date | datetime | None

#: The cell styles the builder knows (see :data:`clv_xl.templates.builder.STYLES`).
Style = Literal[
    "title",
    "heading",
    "text",
    "note",
    "label",
    "header",
    "input_eur",
    "input_number",
    "input_rate",
    "input_change",
    "input_date",
    "input_text",
    "eur",
    "number",
    "rate",
    "date",
    "result_eur",
    "result_number",
    "check",
]


def localise(value: CellValue, language: Language) -> float | int | str | date | datetime | None:
    """The value of a cell in ``language`` (a :class:`Text` picks its language, the rest is kept)."""
    return value(language) if isinstance(value, Text) else value


@dataclass(frozen=True)
class Validation:
    """A data validation rule with the message Excel shows when the cell is selected.

    ``kind`` is Excel's type (``decimal``, ``whole``, ``date``, ``list``, ``textLength``);
    ``operator`` Excel's operator (``between``, ``greaterThanOrEqual``, ...);
    ``minimum``/``maximum`` the formula operands (a list's items go in ``minimum``).
    """

    kind: str
    operator: str | None
    minimum: str | Text | None
    maximum: str | None
    prompt_title: Text
    prompt: Text
    error: Text
    allow_blank: bool = True


@dataclass(frozen=True)
class Cell:
    """One cell: its address, content and look.

    ``name`` makes the cell a workbook-level defined name (used by formulas elsewhere);
    ``twin`` is the address of the native Excel formula that gives the same result as
    this cell's add-in function (the tests compare the two); ``merge_to`` merges the
    cell with those up to that address.
    """

    ref: str
    value: CellValue
    style: Style = "text"
    name: str | None = None
    validation: Validation | None = None
    twin: str | None = None
    merge_to: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """An Excel table (ListObject) over ``ref``; its header cells are ordinary :class:`Cell` s."""

    name: Text
    ref: str
    style: str = "TableStyleMedium2"


@dataclass(frozen=True)
class ConditionalFormat:
    """Highlight ``ref`` as a warning where ``formula`` is true.

    ``formula`` is written for the top-left cell of ``ref`` (relative references move
    with the cell), e.g. ``AND(ISNUMBER(B18),B18<3)``.
    """

    ref: str
    formula: str


@dataclass(frozen=True)
class LineChart:
    """A native line chart: one series per row of ``rows`` (label in ``label_column``).

    ``categories`` is the header range the x axis reads (e.g. ``C20:G20``); each series
    reads ``first_column`` to ``last_column`` of its row.
    """

    title: Text
    anchor: str
    categories: str
    rows: tuple[int, ...]
    label_column: str
    first_column: str
    last_column: str
    x_title: Text
    y_title: Text
    x_format: str = "General"
    width_cm: float = 18.0
    height_cm: float = 8.5


@dataclass(frozen=True)
class Sheet:
    """A worksheet: name, cells and sheet-wide parts."""

    name: Text
    cells: tuple[Cell, ...]
    column_widths: dict[str, float] = field(default_factory=dict)
    tables: tuple[TableSpec, ...] = ()
    range_validations: tuple[tuple[str, Validation], ...] = ()
    conditional_formats: tuple[ConditionalFormat, ...] = ()
    charts: tuple[LineChart, ...] = ()
    freeze: str | None = None
    landscape: bool = False


@dataclass(frozen=True)
class WorkbookSpec:
    """A template workbook: its file name in each language, title and sheets in order."""

    file_name: Text
    title: Text
    sheets: tuple[Sheet, ...]
