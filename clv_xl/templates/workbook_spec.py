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
    "ADDIN_MISSING",
    "DATE_FORMATS",
    "VALIDATION_LIMITS",
    "Cell",
    "CellValue",
    "ConditionalFormat",
    "Sheet",
    "TableSpec",
    "TornadoChart",
    "Validation",
    "WorkbookSpec",
    "localise",
]

#: Euro amounts: Excel shows ``29,000.00 €`` in English and ``29.000,00 €`` in Italian settings.
EURO_FORMAT = '#,##0.00 "€"'

#: A change in percent with its sign: ``+10%``, ``-20%``, ``0%``.
CHANGE_FORMAT = "+0%;-0%;0%"

#: What an add-in cell shows where the clv_xl add-in is not loaded (instead of ``#NAME?``).
ADDIN_MISSING = Text("needs the clv_xl add-in", "richiede il componente clv_xl")

#: Dates as each language's readers write them: 31/01/2024 in Italian, 2024-01-31 in English.
DATE_FORMATS: dict[Language, str] = {"en": "yyyy-mm-dd", "it": "dd/mm/yyyy"}

#: What Excel keeps of a data validation's texts: the title, the input message and the error
#: message (characters). The builder refuses longer texts rather than cutting words.
VALIDATION_LIMITS = {"title": 32, "prompt": 255, "error": 255}

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
    "count",
    "rate",
    "percent",
    "date",
    "result_eur",
    "result_number",
    "result_percent",
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
    ``prompt_title`` is at most 32 characters (:data:`VALIDATION_LIMITS`): a short label
    of the input, not its explanation (that is ``prompt``).
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
    this cell's add-in function (the tests compare the two): it marks an add-in cell,
    which the builder makes show a text saying the add-in is needed instead of
    ``#NAME?`` where the add-in is not loaded; ``merge_to`` merges the cell with those
    up to that address.
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
class TornadoChart:
    """A native horizontal bar chart of changes around 0: one bar per series for each category.

    ``categories`` is the range of the category labels (e.g. ``A33:A38``); each column of
    ``columns`` is a series read over the same rows, named by its cell in ``title_row``.
    The bars of a category overlap, so a decrease and an increase read as a tornado.
    """

    title: Text
    anchor: str
    categories: str
    columns: tuple[str, ...]
    title_row: int
    value_title: Text
    width_cm: float = 18.0
    height_cm: float = 8.5


@dataclass(frozen=True)
class Sheet:
    """A worksheet: name, cells and sheet-wide parts.

    Every sheet prints on A4, one page wide; ``print_title_rows`` (e.g. ``"1:1"``) are
    repeated at the top of every printed page.
    """

    name: Text
    cells: tuple[Cell, ...]
    column_widths: dict[str, float] = field(default_factory=dict)
    tables: tuple[TableSpec, ...] = ()
    range_validations: tuple[tuple[str, Validation], ...] = ()
    conditional_formats: tuple[ConditionalFormat, ...] = ()
    charts: tuple[TornadoChart, ...] = ()
    freeze: str | None = None
    landscape: bool = False
    print_title_rows: str | None = None


@dataclass(frozen=True)
class WorkbookSpec:
    """A template workbook: its file name in each language, title and sheets in order."""

    file_name: Text
    title: Text
    sheets: tuple[Sheet, ...]
