"""A big worksheet cut into small workbooks of consecutive rows, each with the header row.

A spreadsheet parser holds every cell of a sheet in memory before it hands out a single
row: at Excel's row limit that is about 350 MB for four columns. Cut into workbooks of
a few megabytes of sheet XML each, the same sheet is parsed with a small, constant
amount of memory, and no slower. Each piece is a valid .xlsx package made of:

* the workbook's own parts that a reader needs to read a sheet (workbook, its
  relationships, styles, shared strings, theme), copied unchanged;
* the sheet's XML up to ``<sheetData>`` (without its ``<dimension>``), the header row
  renumbered to sit right above the piece's first data row, the piece's rows as they
  are in the file, and the closing tags.

The sheet's XML is only cut between rows (after a ``</row>``), never parsed here; the
rows keep their numbers, so every cell is where it was. A layout this does not
recognise (rows without numbers, no header row where it was found) raises
:class:`UnchunkableSheet`, and the caller reads the sheet another way.

Spreadsheet readers hand an error cell (``#N/A`` from a failed VLOOKUP) and a formula
saved without its computed value (a file written by a program that does not compute
formulas) over as an empty cell. :func:`marked_cells` finds both in a piece of sheet
XML (:meth:`SheetChunk.marked_cells`, or :func:`marked_cells_of_sheet` for a whole
sheet) so that the readers report them instead of skipping them as blank.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from clv_xl.data.values import UncomputedFormula
from clv_xl.ooxml import related_parts, sheet_part

__all__ = [
    "CHUNK_BYTES",
    "MarkedCells",
    "SheetChunk",
    "UnchunkableSheet",
    "marked_cells",
    "marked_cells_of_sheet",
    "sheet_chunks",
]

#: Cells a spreadsheet reader hands over as empty: (sheet row, 1-based; column, 0-based) ->
#: the error's text (``"#N/A"``) or the formula that has no computed value.
MarkedCells = dict[tuple[int, int], str]

#: Bytes of sheet XML read per piece (a piece holds up to about twice as much: some
#: 20,000 to 40,000 rows of four columns). Two pieces are parsed at once
#: (:mod:`clv_xl.data.columnar_xlsx`), so the parsers hold about what one piece of
#: 8 MB used to.
CHUNK_BYTES = 4 * 1024**2
#: The header row must be found within this many bytes from the start of the sheet.
_MAX_HEAD_BYTES = 16 * 1024**2
#: Relationship types of the workbook parts a reader needs besides the sheet.
_NEEDED_TYPES = ("/styles", "/sharedStrings", "/theme")
_FIXED_PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
_ROW_NUMBER = re.compile(rb'(<(?:\w+:)?row\b[^>]*?\sr=")(\d+)"')
_CELL_ROW = re.compile(rb'(<(?:\w+:)?c\b[^>]*?\sr="[A-Z]+)\d+(")')
#: A cell of type error (``t="e"``) and its content.
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?\st=[\"']e[\"'][^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.DOTALL)
#: The type of a formula cell whose value is text: an empty value is then a computed "".
_TEXT_TYPE = re.compile(rb"\st=[\"']str[\"']")
#: A cell holding a formula and no value after it (none, ``<v/>`` or ``<v></v>``).
_UNCOMPUTED_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)><(?:\w+:)?f\b(?:[^>]*/>|[^>]*>([^<]*)</(?:\w+:)?f>)"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?</(?:\w+:)?c>"
)
_REFERENCE = re.compile(rb"\sr=[\"']([A-Z]+)(\d+)[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


class UnchunkableSheet(ValueError):
    """The sheet's XML is not laid out in a way :func:`sheet_chunks` can cut safely."""


@dataclass(frozen=True)
class SheetChunk:
    """One piece of a sheet.

    Attributes
    ----------
    package
        A small .xlsx package holding the piece (see the module).
    header_row
        The header row's position in the piece's sheet, counted from 0.
    first_row, last_row
        The sheet row numbers (1-based, as in the original sheet) of the piece's first
        and last data rows.
    sheet_span
        Where the bytes of the sheet's part lie in ``package`` (stored uncompressed).
    """

    package: bytes
    header_row: int
    first_row: int
    last_row: int
    sheet_span: tuple[int, int] = (0, 0)

    def marked_cells(self) -> MarkedCells:
        """The piece's error cells and formulas without a value (see :func:`marked_cells`).

        The package is stored uncompressed, so its sheet part is searched where it lies
        (``sheet_span``): no copy of its megabytes, which would raise the readers' peak
        memory for what is rarely there.
        """
        return marked_cells(self.package, *self.sheet_span)


def _row_number(row: bytes) -> int:
    found = _ROW_NUMBER.match(row)
    if found is None:
        raise UnchunkableSheet("a row without its number")
    return int(found.group(2))


def _renumbered(header: bytes, number: int) -> bytes:
    """The header row moved to sheet row ``number`` (its own number and each cell's reference)."""
    moved = _ROW_NUMBER.sub(lambda found: found.group(1) + b'%d"' % number, header, 1)
    return _CELL_ROW.sub(lambda found: found.group(1) + b"%d" % number + found.group(2), moved)


class _Cutter:
    """Makes the pieces of one sheet, from its XML head, header row and closing tags."""

    def __init__(self, parts: dict[str, bytes], part: str, head: bytes, header: bytes, prefix: bytes) -> None:
        self.parts = parts
        self.part = part
        self.head = _DIMENSION.sub(b"", head, count=1)
        self.header = header
        self.row_tag = b"<" + prefix + b"row"
        self.closing = b"</" + prefix + b"sheetData></" + prefix + b"worksheet>"

    def chunk(self, rows: bytes) -> SheetChunk:
        first = _row_number(rows[rows.index(self.row_tag) :])
        last = _row_number(rows[rows.rindex(self.row_tag) :])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
            for name, data in self.parts.items():
                package.writestr(name, data)
            with package.open(self.part, "w") as sheet:
                for piece in (self.head, _renumbered(self.header, first - 1), rows, self.closing):
                    sheet.write(piece)
            info = package.getinfo(self.part)
        written = buffer.getvalue()
        # the part's data follow its local header: 30 bytes, then its name and extra field
        name_length, extra_length = struct.unpack_from("<HH", written, info.header_offset + 26)
        start = info.header_offset + 30 + name_length + extra_length
        return SheetChunk(written, first - 2, first, last, (start, start + info.compress_size))


def _column_index(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def _place(attributes: bytes) -> tuple[int, int] | None:
    found = _REFERENCE.search(b" " + attributes)
    return (int(found.group(2)), _column_index(found.group(1))) if found else None


def marked_cells(xml: bytes, start: int = 0, end: int | None = None) -> MarkedCells:
    """The error cells and the formulas without a computed value in ``xml`` (whole rows of sheet XML).

    A spreadsheet reader hands both over as an empty cell; here an error cell gives its
    error's text (``"#N/A"``, ``"#DIV/0!"``) and a formula without a value an
    :class:`~clv_xl.data.values.UncomputedFormula` (``"=VLOOKUP(...)"``). Cells without a
    reference (``r="C4"``) cannot be placed and are left out. A text formula with an
    empty value (``t="str"``, ``=IF(A2="";"";...)``) is a computed empty text, not
    marked. Two scans of the bytes when there is neither (the usual case). Only
    ``xml[start:end]`` is searched, without copying it.
    """
    found: MarkedCells = {}
    end = len(xml) if end is None else end

    def holds(*needles: bytes) -> bool:
        return any(xml.find(needle, start, end) >= 0 for needle in needles)

    if holds(b't="e"', b"t='e'"):
        for cell in _ERROR_CELL.finditer(xml, start, end):
            place = _place(cell.group(1))
            value = _VALUE.search(cell.group(2))
            if place is not None:
                found[place] = html.unescape(value.group(1).decode("utf-8", "replace")) if value else "#VALUE!"
    if holds(b"f>", b"<f ", b":f "):
        for cell in _UNCOMPUTED_CELL.finditer(xml, start, end):
            place = _place(cell.group(1))
            if place is not None and _TEXT_TYPE.search(cell.group(1)) is None:
                formula = html.unescape((cell.group(2) or b"").decode("utf-8", "replace"))
                found[place] = UncomputedFormula(f"={formula}" if formula else "=")
    return found


def marked_cells_of_sheet(path: str, sheet_name: str, block_bytes: int | None = None) -> MarkedCells:
    """:func:`marked_cells` of a whole sheet of the workbook at ``path``, read as a stream of rows."""
    found: MarkedCells = {}
    with zipfile.ZipFile(path) as package:
        part = sheet_part(package, sheet_name)
        if part is None:
            return found
        with package.open(part) as stream:
            pending = b""
            while block := stream.read(block_bytes or CHUNK_BYTES):
                pending += block
                cut = pending.rfind(b"row>") + len(b"row>")
                if cut >= len(b"row>"):
                    found.update(marked_cells(pending[:cut]))
                    pending = pending[cut:]
            found.update(marked_cells(pending))
    return found


def _shared_parts(package: zipfile.ZipFile) -> dict[str, bytes]:
    names = set(package.namelist())
    wanted = [name for name in _FIXED_PARTS if name in names] + related_parts(package, *_NEEDED_TYPES)
    return {name: package.read(name) for name in wanted}


def sheet_chunks(path: str, sheet_name: str, header_row: int, chunk_bytes: int | None = None) -> Iterator[SheetChunk]:
    """The data rows of ``sheet_name`` below its header row (1-based ``header_row``), piece by piece.

    Pieces hold about ``chunk_bytes`` of sheet XML (default :data:`CHUNK_BYTES`).

    Raises
    ------
    UnchunkableSheet
        The sheet is missing or laid out in a way this module does not cut (see the module).
    """
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    with zipfile.ZipFile(path) as package:
        part = sheet_part(package, sheet_name)
        if part is None:
            raise UnchunkableSheet(f"no sheet {sheet_name!r}")
        parts = _shared_parts(package)
        with package.open(part) as stream:
            pending = b""
            header_end = None
            while header_end is None:
                block = stream.read(chunk_bytes)
                pending += block
                header_end = _find_header(pending, header_row)
                if header_end is None and (not block or len(pending) > _MAX_HEAD_BYTES):
                    raise UnchunkableSheet(f"no row {header_row} near the top of the sheet")
            head_end, row_start, row_end, prefix = header_end
            row_end_tag = b"</" + prefix + b"row>"
            data_end_tag = b"</" + prefix + b"sheetData>"
            cutter = _Cutter(parts, part, pending[:head_end], pending[row_start:row_end], prefix)
            pending = pending[row_end:]
            while True:
                end = pending.find(data_end_tag)
                if end >= 0:
                    if cutter.row_tag in pending[:end]:
                        yield cutter.chunk(pending[:end])
                    return
                block = stream.read(chunk_bytes)
                if not block:
                    raise UnchunkableSheet("the sheet's data does not end")
                pending += block
                cut = pending.rfind(row_end_tag)
                if len(pending) >= chunk_bytes and cut >= 0 and pending.find(data_end_tag) < 0:
                    cut += len(row_end_tag)
                    yield cutter.chunk(pending[:cut])
                    pending = pending[cut:]


def _find_header(xml: bytes, header_row: int) -> tuple[int, int, int, bytes] | None:
    """Where the sheet data starts, and where the header row starts and ends; None if not read yet."""
    opening = _SHEET_DATA.search(xml)
    if opening is None:
        return None
    prefix = opening.group(1) or b""
    row = re.compile(rb"<" + re.escape(prefix) + rb'row\b[^>]*?\sr="' + str(header_row).encode() + rb'"')
    found = row.search(xml, opening.end())
    if found is None:
        return None
    end = xml.find(b"</" + prefix + b"row>", found.end())
    if end < 0:
        return None
    # rows above the header (titles) stay out of the pieces
    return opening.end(), found.start(), end + len(b"</" + prefix + b"row>"), prefix
