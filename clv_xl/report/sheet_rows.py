"""The data rows of big report tables, written straight as worksheet XML.

XlsxWriter spends a few microseconds of Python per cell, twice (when a cell is written
and when the sheet is saved): a customers table of 80,000 rows and 13 columns costs
seconds. Here a table's rows are rendered a block of rows at a time (one ``str.format``
per row, from a template made for the block) and spliced into the finished workbook's
sheet part, between the header row that XlsxWriter wrote (with the Excel table,
formats, print setup) and the end of the sheet's data; the table part's range is
widened to the last row. The cells are what XlsxWriter would write:

* numbers as ``<v>`` values with their column's cell format (``s``), NaN left empty;
* text as inline strings (``t="inlineStr"``), XML-escaped, control characters as
  Excel's ``_xHHHH_`` escapes: a text such as ``=HYPERLINK(...)`` stays text, never
  a formula;
* formulas (the report's own, never the data's) as ``<f>`` with their cached value,
  written once per column with :data:`clv_xl.excel_formulas.ROW` where each row's
  number goes; a row whose value is NaN gets no formula (an empty cell).

Only the part of each sheet (and its table's range) is rewritten; every other part of
the package is copied as XlsxWriter made it. Empty text cells are left out (a blank
cell), where XlsxWriter would write an empty string.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter.utility import xl_col_to_name

from clv_xl.excel_formulas import ROW
from clv_xl.ooxml import sheet_part

__all__ = ["ROWS_PER_BLOCK", "RowsColumn", "SheetRows", "column_styles", "row_blocks", "splice_rows"]

#: Rows rendered at a time: bounds the memory of the strings of one block.
ROWS_PER_BLOCK = 5_000
#: Significant digits of a number in a cell: Excel's precision.
EXCEL_DIGITS = 15
#: zlib level of the rewritten parts: level 1 is several times faster than the default 6
#: on sheet XML and makes the file only slightly larger.
COMPRESS_LEVEL = 1
#: What must be escaped in a text cell: XML's markup characters, the control characters
#: XML 1.0 forbids, and text that already looks like an Excel escape.
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SPACE_AT_AN_END = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
_ROW_NUMBERS = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_COLUMN = re.compile(rb"<(?:\w+:)?col\s[^>]*>")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
_DIMENSION = re.compile(rb'(<(?:\w+:)?dimension\s+ref=")[^"]*(")')
_TABLE_NAME = re.compile(rb'<(?:\w+:)?table\s[^>]*displayName="([^"]*)"')
_TABLE_REFERENCES = re.compile(rb'(<(?:\w+:)?(?:table|autoFilter)\s[^>]*?\bref=")([A-Z]+\d+):([A-Z]+)\d+(")')


@dataclass(frozen=True)
class RowsColumn:
    """One column of a table's data rows.

    ``values`` are numbers (float64, NaN for an empty cell) when ``text`` is False,
    else text (None or "" for an empty cell). Each cell takes its column's format,
    the one the sheet gives the whole column (``<col style=...>``, XlsxWriter's
    ``set_column``). ``formula``, for a number column, is the formula of every row
    (with ``{row}`` for its row number, with or without ``=``); ``values`` are then
    its cached results.
    """

    values: npt.NDArray[np.float64] | npt.NDArray[np.object_]
    text: bool
    formula: str | None = None


@dataclass(frozen=True)
class SheetRows:
    """Data rows to add to the sheet ``sheet``, from the 0-based sheet row ``first_row``, from column A.

    ``table`` names the Excel table (its display name) whose range is widened to cover
    the rows: the table can be defined over its header and one row, so that the writer
    need not track every cell of a million-cell table.
    """

    sheet: str
    first_row: int
    columns: Sequence[RowsColumn]
    table: str | None = None

    @property
    def row_count(self) -> int:
        """The number of data rows."""
        return len(self.columns[0].values) if self.columns else 0


def _escaped(text: str) -> str:
    text = _CONTROL.sub(lambda found: f"_x{ord(found.group()):04X}_", text)
    return escape(text)


@dataclass(frozen=True)
class _CellPart:
    """How one column's cells enter a block's row template.

    ``template`` is the cell with a ``{k}`` field for its value (``values`` then holds the
    values), or, when some cells are empty, a bare ``{k}`` field (``values`` then holds
    whole cells, "" where empty). Values are format arguments, never parsed as templates.
    """

    template: str
    values: list[str]


def _part(head: str, tail: str, field: int, shown: list[str], present: list[bool], numbers: Sequence[str]) -> _CellPart:
    """A column whose cells are ``head`` + row number + ``tail`` + value + its closing tags."""
    closing = "</t></is></c>" if "inlineStr" in tail else "</v></c>"
    if all(present):
        return _CellPart(f"{head}{{0}}{tail}{{{field}}}{closing}", shown)
    cells = [f"{head}{n}{tail}{v}{closing}" if ok else "" for n, v, ok in zip(numbers, shown, present, strict=True)]
    return _CellPart(f"{{{field}}}", cells)


def _texts(values: Sequence[object] | npt.NDArray[np.generic]) -> list[str]:
    return ["" if value is None else str(value) for value in values]


def _keeps_spaces(values: Sequence[object] | npt.NDArray[np.generic]) -> bool:
    """Whether a text of the column may start or end with a space (kept only with ``xml:space="preserve"``).

    One search over the column's texts joined by NUL: a text with a NUL inside may answer
    yes without need, which only writes the (harmless) attribute; no text that needs it
    is missed.
    """
    return _SPACE_AT_AN_END.search("\x00".join(_texts(values))) is not None


def _text_part(
    letter: str,
    style: int,
    values: Sequence[object] | npt.NDArray[np.generic],
    field: int,
    numbers: Sequence[str],
    preserve: bool,
) -> _CellPart:
    texts = _texts(values)
    if _NEEDS_ESCAPE.search("\n".join(texts)):
        texts = [_escaped(text) for text in texts]
    space = ' xml:space="preserve"' if preserve else ""
    tail = f'" s="{style}" t="inlineStr"><is><t{space}>'
    return _part(f'<c r="{letter}', tail, field, texts, [bool(text) for text in texts], numbers)


def _shown_numbers(values: npt.NDArray[np.float64]) -> tuple[list[str], list[bool]]:
    """Each number as the file writes it and whether it is finite.

    Numbers keep Excel's own precision, 15 significant digits (so a sum of cents such as
    3718.5999999999995 is written 3718.6), in the shortest text that reads back the same,
    which Arrow's cast of float64 to text writes about three times faster than ``repr``
    (``45.229957``, ``3``, ``1e-7``: valid ``xsd:double``).
    """
    finite = np.isfinite(values)
    whole = finite & (values == np.round(values)) & (np.abs(values) < 2**53)
    if bool(whole.all()):
        shown: list[str] = list(map(str, values.astype(np.int64).tolist()))
    else:
        numbers = np.where(finite, values, 0.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            digits = EXCEL_DIGITS - 1 - np.floor(np.log10(np.abs(numbers)))
            scale = 10.0 ** np.clip(digits, -300, 300)
            rounded = np.round(numbers * scale) / scale
        numbers = np.where(np.isfinite(rounded) & (numbers != 0), rounded, numbers)
        shown = pc.cast(pa.array(numbers), pa.string()).to_numpy(zero_copy_only=False).tolist()
    return shown, finite.tolist()


def _number_part(
    letter: str, style: int, values: npt.NDArray[np.float64], field: int, numbers: Sequence[str]
) -> _CellPart:
    shown, present = _shown_numbers(values)
    return _part(f'<c r="{letter}', f'" s="{style}"><v>', field, shown, present, numbers)


def _formula_part(
    letter: str, style: int, formula: str, values: npt.NDArray[np.float64], field: int, numbers: Sequence[str]
) -> _CellPart:
    """A formula column: the same formula on every row (its row number put in), with the cached value."""
    body = escape(formula.removeprefix("="))
    shown, present = _shown_numbers(values)
    if all(present):
        template = body.replace("{", "{{").replace("}", "}}").replace("{{row}}", "{0}")
        return _CellPart(f'<c r="{letter}{{0}}" s="{style}"><f>{template}</f><v>{{{field}}}</v></c>', shown)
    cells = [
        f'<c r="{letter}{n}" s="{style}"><f>{body.replace(ROW, n)}</f><v>{v}</v></c>' if ok else ""
        for n, v, ok in zip(numbers, shown, present, strict=True)
    ]
    return _CellPart(f"{{{field}}}", cells)


def _column_part(
    letter: str,
    style: int,
    column: RowsColumn,
    start: int,
    stop: int,
    field: int,
    numbers: Sequence[str],
    preserve: bool,
) -> _CellPart:
    if column.text:
        return _text_part(letter, style, column.values[start:stop], field, numbers, preserve)
    values = np.asarray(column.values[start:stop], np.float64)
    if column.formula is not None:
        return _formula_part(letter, style, column.formula, values, field, numbers)
    return _number_part(letter, style, values, field, numbers)


def column_styles(part: bytes) -> dict[int, int]:
    """Column index (0 = A) -> the cell format index the sheet part gives the column (``<col style>``)."""
    styles: dict[int, int] = {}
    for element in _COLUMN.findall(part):
        attributes = dict(_ATTRIBUTE.findall(element))
        if b"style" in attributes:
            for index in range(int(attributes[b"min"]) - 1, int(attributes[b"max"])):
                styles[index] = int(attributes[b"style"])
    return styles


def row_blocks(rows: SheetRows, styles: dict[int, int], rows_per_block: int = ROWS_PER_BLOCK) -> Iterator[str]:
    """The ``<row>`` elements of ``rows``, as text, a block of rows at a time; cells take ``styles``."""
    letters = [xl_col_to_name(index) for index in range(len(rows.columns))]
    preserve = [column.text and _keeps_spaces(column.values) for column in rows.columns]
    for start in range(0, rows.row_count, rows_per_block):
        stop = min(start + rows_per_block, rows.row_count)
        numbers = [str(n) for n in range(rows.first_row + 1 + start, rows.first_row + 1 + stop)]
        parts = [
            _column_part(letter, styles.get(index, 0), column, start, stop, index + 1, numbers, preserve[index])
            for index, (letter, column) in enumerate(zip(letters, rows.columns, strict=True))
        ]
        # one template per block: a row is one str.format call, not one string per cell
        template = '<row r="{0}">' + "".join(part.template for part in parts) + "</row>"
        yield "".join(map(template.format, numbers, *(part.values for part in parts)))


def _spliced(part: bytes, rows: SheetRows) -> tuple[bytes, bytes]:
    """The sheet part cut where the data rows go (before ``</sheetData>``), its dimension widened."""
    found = _SHEET_DATA_END.search(part)
    if found is None:
        raise ValueError(f"no sheet data in the part of sheet {rows.sheet!r}")
    element = found.group()
    if element.endswith(b"/>"):  # an empty <sheetData/>: open it
        prefix = element[1 : element.index(b"sheetData")]
        head = part[: found.start()] + b"<" + prefix + b"sheetData>"
        tail = b"</" + prefix + b"sheetData>" + part[found.end() :]
    else:
        head, tail = part[: found.start()], part[found.start() :]
    if any(int(number) > rows.first_row for number in _ROW_NUMBERS.findall(head)):
        raise ValueError(f"sheet {rows.sheet!r} already has rows where the table's rows go")
    if rows.row_count and rows.columns:
        last = f"{xl_col_to_name(len(rows.columns) - 1)}{rows.first_row + rows.row_count}".encode()
        head = _DIMENSION.sub(lambda found: found.group(1) + b"A1:" + last + found.group(2), head, count=1)
    return head, tail


def _widened_table(part: bytes, tables: dict[str, SheetRows]) -> bytes:
    """A table part whose table is one of ``tables``, its ranges reaching the table's last row."""
    found = _TABLE_NAME.search(part)
    rows = tables.get(found.group(1).decode()) if found else None
    if rows is None:
        return part
    last_row = str(rows.first_row + max(rows.row_count, 1)).encode()
    return _TABLE_REFERENCES.sub(lambda m: m.group(1) + m.group(2) + b":" + m.group(3) + last_row + m.group(4), part)


def splice_rows(workbook: bytes, target: Path, sheets: Sequence[SheetRows]) -> None:
    """Write ``workbook`` (a finished .xlsx package) to ``target`` with the rows of ``sheets`` added.

    Raises
    ------
    ValueError
        A sheet of ``sheets`` is not in the workbook.
    """
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        parts: dict[str, SheetRows] = {}
        for rows in sheets:
            part = sheet_part(source, rows.sheet)
            if part is None:
                raise ValueError(f"no sheet {rows.sheet!r} in the workbook")
            parts[part] = rows
        tables = {rows.table: rows for rows in sheets if rows.table is not None}
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename not in parts:
                if item.filename.startswith("xl/tables/") and tables:
                    data = _widened_table(data, tables)
                out.writestr(item, data)
                continue
            head, tail = _spliced(data, parts[item.filename])
            info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]  # read by ZipFile.open in 3.11+
            with out.open(info, "w", force_zip64=True) as stream:
                stream.write(head)
                for block in row_blocks(parts[item.filename], column_styles(head)):
                    stream.write(block.encode("utf-8", errors="replace"))
                stream.write(tail)
