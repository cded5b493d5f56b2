"""The first rows of a worksheet, read straight from the .xlsx package without parsing the rest.

Finding the header row of a transactions sheet needs only its first rows, yet every
spreadsheet reader parses a whole sheet before handing out a row: at Excel's row limit
that is over a second per look. :func:`sheet_head` reads the sheet's XML part as a
stream and stops after :data:`HEAD_ROWS` rows, resolving shared strings only up to the
largest index it met, so a look costs milliseconds whatever the sheet's size.

Only what a header needs is decoded: text (shared, inline and formula strings) and
numbers; other cells (booleans, errors) come back as their raw text. A part that
declares a DTD is not read here (the caller then uses its thorough reader).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from defusedxml import DefusedXmlException

from clv_xl.ooxml import MAIN_NAMESPACE, related_parts, sheet_part

__all__ = ["HEAD_ROWS", "SheetHead", "sheet_head"]

#: Rows read from the top of a sheet (the header is searched among the first 30).
HEAD_ROWS = 30
_MAIN = MAIN_NAMESPACE
_CHUNK_BYTES = 64 * 1024
#: A head longer than this (huge rows, or none at all) is not a head worth reading here.
_MAX_HEAD_BYTES = 8 * 1024**2
_CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class SheetHead:
    """The first rows of a sheet.

    Attributes
    ----------
    rows
        One list of cells per row, from the first row that holds a value, as wide as
        the widest of these rows and starting at column A (so positions are sheet
        columns): text as ``str``, numbers as ``float``, empty cells as None.
    first_row
        The sheet row number (1-based) of ``rows[0]``.
    """

    rows: list[list[object]]
    first_row: int


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _texts(element: Element) -> str:
    """The text of a string item or inline string: its ``<t>`` and rich-text runs, not phonetic guides."""
    parts = [element.findtext(f"{_MAIN}t") or ""]
    parts += [run.findtext(f"{_MAIN}t") or "" for run in element.findall(f"{_MAIN}r")]
    return "".join(parts)


def _pull(stream: IO[bytes], tag: str) -> Iterator[Element]:
    """The ``tag`` elements of an XML stream, in order, read chunk by chunk (no DTD allowed)."""
    parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
    read = 0
    previous = b""
    while read < _MAX_HEAD_BYTES:
        chunk = stream.read(_CHUNK_BYTES)
        if not chunk:
            return
        if _DTD.search(previous[-16:] + chunk):  # also a declaration cut between two chunks
            raise ValueError("a DTD in a workbook part")
        previous = chunk
        read += len(chunk)
        parser.feed(chunk)
        for event in parser.read_events():
            element = event[-1]  # ("end", element): the only events asked for
            if isinstance(element, Element) and element.tag == tag:
                yield element
    raise ValueError("the head of the sheet is too long")


def _shared_strings(package: zipfile.ZipFile, up_to: int) -> list[str]:
    """The shared strings with index <= ``up_to`` (the table is read only that far)."""
    parts = related_parts(package, "/sharedStrings")
    if up_to < 0 or not parts:
        return []
    strings: list[str] = []
    with package.open(parts[0]) as stream:
        for item in _pull(stream, f"{_MAIN}si"):
            strings.append(_texts(item))
            if len(strings) > up_to:
                break
    return strings


def _raw_rows(package: zipfile.ZipFile, part: str) -> list[tuple[int, list[tuple[int, str | None, str]]]]:
    """(row number, [(column number, cell type, raw value)]) of the first rows that hold values."""
    rows: list[tuple[int, list[tuple[int, str | None, str]]]] = []
    row_number = 0
    with package.open(part) as stream:
        for row in _pull(stream, f"{_MAIN}row"):
            row_number = int(row.get("r", row_number + 1))
            cells: list[tuple[int, str | None, str]] = []
            column = 0
            for cell in row.iter(f"{_MAIN}c"):
                found = _CELL_REFERENCE.fullmatch(cell.get("r", ""))
                column = _column_number(found.group(1)) if found else column + 1
                kind = cell.get("t")
                inline = cell.find(f"{_MAIN}is")
                value = _texts(inline) if inline is not None else cell.findtext(f"{_MAIN}v")
                if value is not None:
                    cells.append((column, kind, value))
            row.clear()
            if cells:
                rows.append((row_number, cells))
            if rows and row_number - rows[0][0] + 1 >= HEAD_ROWS:
                break
    return rows


def sheet_head(package_path: str, sheet_name: str) -> SheetHead | None:
    """The first :data:`HEAD_ROWS` rows of ``sheet_name``, from its first row that holds a value.

    Returns None when the sheet is empty or its part cannot be read this way (no such
    sheet, unusual package layout, a DTD, malformed XML): the caller then reads the
    sheet with its thorough reader, which reports what is wrong.
    """
    try:
        with zipfile.ZipFile(package_path) as package:
            part = sheet_part(package, sheet_name)
            if part is None:
                return None
            raw = _raw_rows(package, part)
            shared = [int(value) for _, cells in raw for _, kind, value in cells if kind == "s"]
            strings = _shared_strings(package, max(shared, default=-1))
    except (KeyError, ValueError, ParseError, DefusedXmlException, zipfile.BadZipFile):
        return None
    if not raw:
        return None
    width = max(column for _, cells in raw for column, _, _ in cells)
    first_row = raw[0][0]
    rows: list[list[object]] = [[None] * width for _ in range(raw[-1][0] - first_row + 1)]
    for row_number, cells in raw:
        for column, kind, value in cells:
            cell: object = value
            if kind == "s":
                index = int(value)
                cell = strings[index] if index < len(strings) else None
            elif kind in (None, "n"):
                try:
                    cell = float(value)
                except ValueError:
                    cell = value
            rows[row_number - first_row][column - 1] = cell
    return SheetHead(rows, first_row)
