"""The one builder of the template workbooks: renders a :class:`WorkbookSpec` with openpyxl.

Output is deterministic: fixed document properties (author, created and modified
dates), sheets and cells in the spec's order, and fixed timestamps inside the zip
package, so rebuilding a template gives the same file.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from clv_xl.excel_formulas import addin_or_notice
from clv_xl.files import atomic_output
from clv_xl.i18n import Language
from clv_xl.templates.workbook_spec import (
    ADDIN_MISSING,
    CHANGE_FORMAT,
    DATE_FORMATS,
    EURO_FORMAT,
    VALIDATION_LIMITS,
    Cell,
    Sheet,
    TornadoChart,
    Validation,
    WorkbookSpec,
    localise,
)

__all__ = ["CHANGE_FORMAT", "DOCUMENT_DATE", "EURO_FORMAT", "STYLES", "render", "save"]

#: The created and modified date written into every template (changing it changes every file).
DOCUMENT_DATE = datetime(2026, 1, 1, 0, 0, 0)

_ZIP_DATE = (2026, 1, 1, 0, 0, 0)
_BLUE = "1F4E79"
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_RESULT_FILL = PatternFill("solid", fgColor="E2EFDA")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


_CENTRED = Alignment(vertical="center")
#: Add-in cells shrink a long text ("needs the clv_xl add-in") into their width; numbers fit anyway.
_SHRINK = Alignment(vertical="center", shrink_to_fit=True)


def _style(
    font: Font | None = None,
    fill: PatternFill | None = None,
    number_format: str = "General",
    alignment: Alignment | None = _CENTRED,
    border: Border | None = None,
) -> dict[str, object]:
    return {"font": font, "fill": fill, "number_format": number_format, "alignment": alignment, "border": border}


#: How each style of :data:`clv_xl.templates.workbook_spec.Style` looks.
STYLES: dict[str, dict[str, object]] = {
    "title": _style(Font(bold=True, size=16, color=_BLUE)),
    "heading": _style(Font(bold=True, size=12, color=_BLUE)),
    "text": _style(alignment=_WRAP),
    "note": _style(Font(italic=True, size=9, color="595959"), alignment=_WRAP),
    "label": _style(alignment=Alignment(wrap_text=True, vertical="center")),
    "header": _style(
        Font(bold=True), _HEADER_FILL, alignment=Alignment(wrap_text=True, vertical="center"), border=_BOX
    ),
    "input_eur": _style(fill=_INPUT_FILL, number_format=EURO_FORMAT, border=_BOX),
    "input_number": _style(fill=_INPUT_FILL, number_format="General", border=_BOX),
    "input_rate": _style(fill=_INPUT_FILL, number_format="0.0%", border=_BOX),
    "input_change": _style(
        Font(bold=True), _INPUT_FILL, CHANGE_FORMAT, Alignment(horizontal="center", vertical="center"), _BOX
    ),
    "input_date": _style(fill=_INPUT_FILL, number_format=DATE_FORMATS["en"], border=_BOX),
    "input_text": _style(fill=_INPUT_FILL, border=_BOX),
    "eur": _style(number_format=EURO_FORMAT),
    "number": _style(number_format="#,##0.00"),
    "count": _style(number_format="#,##0"),
    "rate": _style(number_format="0.0%"),
    "percent": _style(number_format="0%"),
    "date": _style(number_format=DATE_FORMATS["en"]),
    "result_eur": _style(Font(bold=True), _RESULT_FILL, EURO_FORMAT, _SHRINK, _BOX),
    "result_number": _style(Font(bold=True), _RESULT_FILL, "#,##0.00", _SHRINK, _BOX),
    "result_percent": _style(Font(bold=True), _RESULT_FILL, "0%", _SHRINK, _BOX),
    "check": _style(
        Font(bold=True, color="375623"), alignment=Alignment(horizontal="center", vertical="center"), border=_BOX
    ),
}

_WARNING_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
_WARNING_FONT = Font(bold=True, color="9C0006")


#: Styles whose number format is a date: written in the language's date format (:data:`DATE_FORMATS`).
_DATE_STYLES = {"date", "input_date"}


def _checked(texts: dict[str, str]) -> dict[str, str]:
    """The validation texts, refused when longer than Excel keeps (a cut title loses words)."""
    for part, text in texts.items():
        limit = VALIDATION_LIMITS[part]
        if len(text) > limit:
            raise ValueError(f"data validation {part} longer than {limit} characters: {text!r}")
    return texts


def _validation(rule: Validation, language: Language) -> DataValidation:
    minimum = localise(rule.minimum, language)
    texts = _checked(
        {"title": rule.prompt_title(language), "prompt": rule.prompt(language), "error": rule.error(language)}
    )
    validation = DataValidation(
        type=rule.kind,
        operator=rule.operator,
        formula1=None if minimum is None else str(minimum),
        formula2=rule.maximum,
        allow_blank=rule.allow_blank,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=texts["title"],
        prompt=texts["prompt"],
        errorTitle=texts["title"],
        error=texts["error"],
    )
    return validation


def _write_cell(sheet: Worksheet, cell: Cell, language: Language) -> None:
    target = sheet[cell.ref]
    value = localise(cell.value, language)
    if cell.twin is not None and isinstance(value, str) and value.startswith("="):
        value = addin_or_notice(value, ADDIN_MISSING(language))
    target.value = value
    look = STYLES[cell.style]
    for attribute, setting in look.items():
        if setting is not None:
            setattr(target, attribute, setting)
    if cell.style in _DATE_STYLES:
        target.number_format = DATE_FORMATS[language]
    if cell.merge_to is not None:
        sheet.merge_cells(f"{cell.ref}:{cell.merge_to}")
    if cell.validation is not None:
        validation = _validation(cell.validation, language)
        sheet.add_data_validation(validation)
        validation.add(cell.ref)


#: Bar colours of a tornado's series: a decrease of the driver, then an increase.
_SERIES_COLOURS = ("C55A11", "2E75B6")


def _add_chart(sheet: Worksheet, spec: TornadoChart, language: Language) -> None:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars
    chart.grouping = "clustered"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = spec.title(language)
    chart.y_axis.title = spec.value_title(language)
    chart.y_axis.number_format = '#,##0 "€"'
    chart.y_axis.majorGridlines = None
    chart.x_axis.tickLblPos = "low"  # driver names at the left edge, clear of bars below 0
    chart.x_axis.scaling.orientation = "maxMin"  # first driver on top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = spec.width_cm, spec.height_cm
    start, end = spec.categories.split(":")
    first_row, last_row = int(_row(start)), int(_row(end))
    for column, colour in zip(spec.columns, _SERIES_COLOURS, strict=False):
        index = column_index_from_string(column)
        chart.add_data(Reference(sheet, min_col=index, min_row=first_row, max_row=last_row), titles_from_data=False)
        series = chart.series[-1]
        series.tx = SeriesLabel(strRef=StrRef(f"'{sheet.title}'!${column}${spec.title_row}"))
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.set_categories(Reference(sheet, range_string=f"'{sheet.title}'!{start}:{end}"))
    sheet.add_chart(chart, spec.anchor)


#: Wrapped styles: characters per unit of column width, and points per line (11 pt and 9 pt fonts; bold headers
#: are wider).
_WRAPPED_TEXT = {"text": (1.1, 15.0), "label": (1.1, 15.0), "header": (0.95, 15.0), "note": (1.4, 12.0)}
_DEFAULT_WIDTH = 8.43


def _row_height(cell: Cell, text: object, widths: dict[str, float]) -> float | None:
    """Height in points that shows all of a wrapped text (spreadsheets do not grow rows on load).

    Estimated from the text's length and the width of the cell (merged cells add up);
    None for cells that do not wrap and for formulas (their result is short).
    """
    if cell.style not in _WRAPPED_TEXT or not isinstance(text, str) or text.startswith("="):
        return None
    first = column_index_from_string(_column(cell.ref))
    last = column_index_from_string(_column(cell.merge_to)) if cell.merge_to else first
    width = sum(widths.get(get_column_letter(index), _DEFAULT_WIDTH) for index in range(first, last + 1))
    characters_per_unit, line_height = _WRAPPED_TEXT[cell.style]
    per_line = max(1, int(width * characters_per_unit))
    lines = sum(-(-len(word_line) // per_line) or 1 for word_line in text.split("\n"))
    return lines * line_height + 2 if lines > 1 else None


def _render_sheet(workbook: Workbook, spec: Sheet, language: Language) -> None:
    sheet = workbook.create_sheet(spec.name(language))
    for column, width in spec.column_widths.items():
        sheet.column_dimensions[column].width = width
    heights: dict[int, float] = {}
    for cell in spec.cells:
        _write_cell(sheet, cell, language)
        height = _row_height(cell, localise(cell.value, language), spec.column_widths)
        if height is not None:
            row = int(_row(cell.ref))
            heights[row] = max(heights.get(row, 0.0), height)
        if cell.name is not None:
            workbook.defined_names[cell.name] = DefinedName(
                cell.name, attr_text=f"'{sheet.title}'!${_column(cell.ref)}${_row(cell.ref)}"
            )
    for row, height in sorted(heights.items()):
        sheet.row_dimensions[row].height = height
    for table in spec.tables:
        excel_table = Table(displayName=table.name(language), ref=table.ref)
        excel_table.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True)
        sheet.add_table(excel_table)
    for ref, rule in spec.range_validations:
        validation = _validation(rule, language)
        sheet.add_data_validation(validation)
        validation.add(ref)
    for warning in spec.conditional_formats:
        sheet.conditional_formatting.add(
            warning.ref, FormulaRule(formula=[warning.formula], fill=_WARNING_FILL, font=_WARNING_FONT)
        )
    for chart in spec.charts:
        _add_chart(sheet, chart, language)
    if spec.freeze:
        sheet.freeze_panes = spec.freeze
    sheet.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if spec.print_title_rows:
        sheet.print_title_rows = spec.print_title_rows
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _column(ref: str) -> str:
    return "".join(c for c in ref if c.isalpha())


def _row(ref: str) -> str:
    return "".join(c for c in ref if c.isdigit())


def render(spec: WorkbookSpec, language: Language) -> Workbook:
    """An openpyxl workbook of ``spec`` in ``language``, with fixed document properties."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in spec.sheets:
        _render_sheet(workbook, sheet, language)
    workbook.active = 0
    properties = workbook.properties
    properties.title = spec.title(language)
    properties.creator = "clv_xl"
    properties.lastModifiedBy = "clv_xl"
    properties.language = "it-IT" if language == "it" else "en-GB"
    properties.created = DOCUMENT_DATE
    properties.modified = DOCUMENT_DATE
    workbook.calculation.fullCalcOnLoad = True
    return workbook


def _package_bytes(workbook: Workbook) -> bytes:
    """The xlsx package with fixed zip timestamps (openpyxl's ``save`` stamps the current time)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            target.writestr(stamped, source.read(info.filename))
    return fixed.getvalue()


def save(spec: WorkbookSpec, language: Language, out_dir: Path) -> Path:
    """Write ``spec`` in ``language`` into ``out_dir`` (through a temporary file) and return its path."""
    target = out_dir / spec.file_name(language)
    content = _package_bytes(render(spec, language))
    with atomic_output(target, force=True) as temporary:
        temporary.write_bytes(content)
    return target
