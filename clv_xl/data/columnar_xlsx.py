"""The columnar path for a clean transactions sheet: fastexcel straight into typed arrays.

python-calamine hands a sheet over as Python lists, one object per cell; at Excel's row
limit that conversion costs more than the parsing. fastexcel (the same calamine parser)
hands over typed Arrow columns instead, which become numpy arrays without a Python
object per number or date. This path is taken only when it is sure to give what the
thorough reader gives:

* the header row found in the sheet's first rows (:mod:`clv_xl.data.sheet_head`) is
  the one fastexcel names its columns from;
* every column used has ONE type in every row (fastexcel's strict type inference over
  all rows), with no empty cell in the required columns and no error cell or formula
  without a value (both read as empty) anywhere;
* every cell reads as an id, a date (from 1900-01-01 to 2262-04-10) and an amount.

The sheet is parsed in pieces of rows (:mod:`clv_xl.data.sheet_chunks`), so that the
parser never holds every cell at once; two pieces are parsed at a time on helper
threads (fastexcel parses outside Python's lock) while this thread cuts the next one.
Anything else (a blank row, a mixed column, a bad cell) returns None and the thorough
reader of :mod:`clv_xl.data.xlsx_source` reads the sheet again, cell by cell, and
reports every problem with its row and column. On a clean sheet at Excel's row limit
this path is over 20 times faster than ``pandas.read_excel`` with openpyxl (see
``benchmarks/bench_read_xlsx.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from clv_xl.data.aliases import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, canonical_column
from clv_xl.data.values import (
    DATE,
    NUMBER,
    TEXT,
    Kinds,
    ObjectArray,
    is_none,
    read_amounts,
    read_customer_ids,
    read_dates,
    read_labels,
    to_nanosecond_dates,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from clv_xl.data.sheet_chunks import SheetChunk

__all__ = ["read_clean_sheet"]

Column = npt.NDArray[np.generic]

#: Pieces parsed at once (fastexcel parses outside Python's lock).
_PARSING_THREADS = 2


@dataclass(frozen=True)
class _Texts:
    """A text column without empty cells as its distinct texts and, per row, the position of its text.

    Ids and segments are read once per distinct text (80,000 ids, 4 segments in a
    million rows) and put in their rows at the end.
    """

    distinct: ObjectArray
    positions: npt.NDArray[np.intp]


def _typed(column: pa.Array) -> tuple[Column | _Texts, int] | None:
    """A column as a numpy array (text as :class:`_Texts`) and its cell kind (TEXT, NUMBER or DATE); else None."""
    import pyarrow as pa

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if column.null_count:  # None where empty
            return column.to_numpy(zero_copy_only=False), TEXT
        # one Python string per distinct text, not one per row
        encoded = column.dictionary_encode()
        return _Texts(
            encoded.dictionary.to_numpy(zero_copy_only=False),
            encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp, copy=False),
        ), TEXT
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        return column.to_numpy(zero_copy_only=False).astype(np.float64), NUMBER
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return column.to_numpy(zero_copy_only=False), DATE  # in Arrow's unit: checked before it becomes ns
    return None


def _all_read(reasons: npt.NDArray[np.object_]) -> bool:
    return bool(is_none(reasons).all())


def read_clean_sheet(path: str, sheet_name: str, header_row: int, header: Sequence[str]) -> dict[str, Column] | None:
    """The columns of a clean transactions sheet, or None when the thorough reader must read it.

    The sheet is read in pieces of consecutive rows (:mod:`clv_xl.data.sheet_chunks`),
    so that the parser's memory stays small whatever the sheet's size; every piece must
    name its columns as the header does, have one type per column (the same in every
    piece), no gap between pieces and no empty cell in the required columns.

    Parameters
    ----------
    path
        The workbook.
    sheet_name
        The sheet holding the transactions.
    header_row
        The header's sheet row, counted from 0 (row 1 is 0).
    header
        The header texts of the columns to read (one per field); fastexcel must name the
        columns alike, or the sheet is left to the thorough reader.

    Returns
    -------
    dict or None
        ``customer_id`` (object array of text), ``date`` (datetime64[ns]), ``amount``
        (float64) and, when the sheet has one, ``segment`` (object array of text).
    """
    import pyarrow as pa

    from clv_xl.data.sheet_chunks import UnchunkableSheet, sheet_chunks

    texts = {text.strip(): canonical_column(text) for text in header}
    expected_names = sorted(texts)
    batches: list[pa.RecordBatch] = []
    next_row = header_row + 2
    try:
        for chunk, batch in _parsed_pieces(sheet_chunks(path, sheet_name, header_row + 1), sheet_name, texts):
            if (
                batch is None
                or chunk.first_row != next_row
                or batch.num_rows != chunk.last_row - chunk.first_row + 1
                or sorted(name.strip() for name in batch.schema.names) != expected_names
                or (batches and _types(batch) != _types(batches[0]))
                # fastexcel reads an error cell or a formula without a value as empty: any of
                # them, even in the optional segment column, is for the thorough reader to report
                or (any(column.null_count for column in batch.columns) and chunk.marked_cells())
            ):
                return None
            batches.append(batch)
            next_row = chunk.last_row + 1
    except UnchunkableSheet:
        return None
    if not batches:
        return None
    names = {canonical: name for name in batches[0].schema.names if (canonical := texts[name.strip()]) is not None}
    if any(column not in names for column in REQUIRED_COLUMNS):
        return None
    pieces = {name: [batch.column(name) for batch in batches] for name in names.values()}
    del batches  # each column is joined and typed in turn, its pieces released as it goes
    columns: dict[str, tuple[Column | _Texts, int]] = {}
    for canonical, name in names.items():
        arrow_column = pa.concat_arrays(pieces.pop(name))
        typed = _typed(arrow_column)
        if typed is None or (canonical in REQUIRED_COLUMNS and arrow_column.null_count):
            return None
        if canonical in OPTIONAL_COLUMNS and arrow_column.null_count:
            cells, kind = typed  # with empty cells, text is not _Texts
            if kind != TEXT or isinstance(cells, _Texts):
                return None
            typed = (np.where(is_none(cells), "", cells), TEXT)
        del arrow_column
        columns[canonical] = typed
    return _read(columns)


def _parsed_pieces(
    chunks: Iterator[SheetChunk], sheet_name: str, texts: Mapping[str, str | None]
) -> Iterator[tuple[SheetChunk, pa.RecordBatch | None]]:
    """Each piece with its parsed columns, in order, two pieces parsed at once.

    fastexcel parses outside Python's lock, so two helper threads parse while this one
    cuts the next piece and checks the parsed ones; at most two pieces wait at a time.
    """
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    waiting: deque[tuple[SheetChunk, Future[pa.RecordBatch | None]]] = deque()
    with ThreadPoolExecutor(max_workers=_PARSING_THREADS) as pool:
        for chunk in chunks:
            waiting.append((chunk, pool.submit(_load_piece, chunk.package, sheet_name, chunk.header_row, texts)))
            if len(waiting) == _PARSING_THREADS:
                parsed, future = waiting.popleft()
                yield parsed, future.result()
        while waiting:
            parsed, future = waiting.popleft()
            yield parsed, future.result()


def _types(batch: pa.RecordBatch) -> list[tuple[str, pa.DataType]]:
    """Column names and types (a piece with an empty optional cell differs only in nullability)."""
    return [(field.name, field.type) for field in batch.schema]


def _load_piece(
    package: bytes, sheet_name: str, header_row: int, texts: Mapping[str, str | None]
) -> pa.RecordBatch | None:
    """One piece's columns named in ``texts`` (first of each kind), typed over all its rows; None if mixed."""
    import fastexcel

    taken: set[str] = set()

    def use(column: fastexcel.ColumnInfoNoDtype) -> bool:
        canonical = texts.get(str(column.name).strip())
        if canonical is None or canonical in taken:
            return False
        taken.add(canonical)
        return True

    try:
        return fastexcel.read_excel(package).load_sheet(
            sheet_name,
            header_row=header_row,
            schema_sample_rows=None,
            dtype_coercion="strict",
            use_columns=use,
            eager=True,
        )
    except fastexcel.FastExcelError:
        return None


def _cells(column: Column | _Texts) -> Column:
    """What a per-cell reader reads: a text column's distinct texts, other columns whole."""
    return column.distinct if isinstance(column, _Texts) else column


def _in_rows(values: Column, column: Column | _Texts) -> Column:
    """What was read from :func:`_cells`, put in every row."""
    return values[column.positions] if isinstance(column, _Texts) else values


def _kinds(cells: Column, kind: int) -> Kinds:
    """The one cell kind of a column, for every cell."""
    return np.full(len(cells), kind, dtype=np.int8)


def _read(columns: Mapping[str, tuple[Column | _Texts, int]]) -> dict[str, Column] | None:
    """Ids, dates, amounts (and segments) read with the thorough reader's rules; None on any bad cell.

    Reading ids and segments is a rule per cell, so each distinct text is read once; the
    dates and amounts are read whole (their separators and forms are decided per column).
    """
    (ids_in, id_kind), (dates_typed, date_kind), (amounts_typed, amount_kind) = (
        columns[name] for name in REQUIRED_COLUMNS
    )
    if id_kind not in (TEXT, NUMBER) or amount_kind not in (TEXT, NUMBER):
        return None
    distinct_ids, reasons = read_customer_ids(_cells(ids_in), _kinds(_cells(ids_in), id_kind))  # type: ignore[arg-type]
    if not _all_read(reasons):
        return None
    ids = _in_rows(distinct_ids, ids_in)
    dates_in, amounts_in = _in_rows(_cells(dates_typed), dates_typed), _in_rows(_cells(amounts_typed), amounts_typed)
    if date_kind == DATE:
        dates, outside = to_nanosecond_dates(dates_in)  # type: ignore[arg-type]
        if bool(outside.any()) or bool(np.isnat(dates).any()):
            return None
    else:
        dates, reasons = read_dates(dates_in, np.full(len(dates_in), date_kind, dtype=np.int8))  # type: ignore[arg-type]
        if not _all_read(reasons):
            return None
    amounts, reasons = read_amounts(amounts_in, np.full(len(amounts_in), amount_kind, dtype=np.int8))  # type: ignore[arg-type]
    if not _all_read(reasons):
        return None
    read: dict[str, Column] = {"customer_id": ids, "date": dates, "amount": amounts}
    if "segment" in columns:
        segments, segment_kind = columns["segment"]
        if segment_kind not in (TEXT, NUMBER):
            return None
        read["segment"] = _in_rows(read_labels(_cells(segments), _kinds(_cells(segments), segment_kind)), segments)  # type: ignore[arg-type]
    return read
