"""Transactions from a DataFrame, a CSV file or a sheet or table of an .xlsx workbook.

A transactions table has one row per order and a header row naming its columns:

============  ===============  ===========================================
column        Italian header   content
============  ===============  ===========================================
customer_id   id_cliente       who bought (text; ``00001`` stays ``00001``)
date          data             when (date, Excel serial, ISO or 31/01/2024)
amount        importo          how much, in the currency of the business;
                               a NEGATIVE amount is a refund (it lowers the
                               revenue and still counts as an order)
segment       segmento         optional: the customer's group or channel
============  ===============  ===========================================

Headers are matched tolerantly (case, accents, spaces; aliases such as ``cliente``,
``data_ordine``, ``valore``: see :mod:`clv_xl.data.aliases`). The header row is the
first row, among the first :data:`HEADER_SEARCH_ROWS`, that names the three required
columns; other columns are ignored. Fully empty rows are ignored.

Every bad cell is reported with the row number the user sees (the sheet row, the
CSV line) and the column's header in ONE :class:`TransactionsError`; with
``on_error="skip"`` the bad rows are left out and counted instead. The input is only
ever read.

Readers: :mod:`clv_xl.data.xlsx_source` for workbooks (fast columnar reading of clean
sheets, cell by cell otherwise), :mod:`clv_xl.data.csv_source` for CSV files; this
module holds what they share (the header search, the validation of the cells into one
table, the error) and the DataFrame and Excel-rows entry points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.data.aliases import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    canonical_column,
)
from clv_xl.data.values import cell_kinds, is_blank, read_amounts, read_customer_ids, read_dates, read_labels
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.files import WORKBOOK_SUFFIXES, check_input_file
from clv_xl.i18n import Language, message

__all__ = [
    "transactions_from_rows",
    "HEADER_SEARCH_ROWS",
    "MAX_LISTED_PROBLEMS",
    "OnError",
    "RowProblem",
    "Transactions",
    "TransactionsError",
    "find_header",
    "read_transactions",
    "transactions_from_columns",
]

OnError = Literal["raise", "skip"]
ObjectArray = npt.NDArray[np.object_]

#: The header row is looked for in this many first rows of a sheet or CSV file.
HEADER_SEARCH_ROWS = 30
#: Problems listed in an error message; the others are counted.
MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True)
class RowProblem:
    """One bad cell: the row the user sees, the column's header, the reason (i18n key) and the value."""

    row: int
    column: str
    reason: str
    value: str

    def text(self, language: Language = "en") -> str:
        """``row 7, column Data: "31/02/2024" is not a date ...`` in ``language``."""
        reason = message(self.reason, language, value=self.value)
        return message("tx_row_problem", language, row=self.row, column=self.column, reason=reason)


class TransactionsError(ClvError):
    """Transactions that cannot be read: what is wrong and where, in English and Italian.

    ``problems`` lists the first :data:`MAX_LISTED_PROBLEMS` bad cells (row, column,
    reason) and ``problem_count`` counts them all; both are empty for a problem of
    the whole file (no header row, no such sheet).
    """

    def __init__(
        self, key: str, *, problems: Sequence[RowProblem] = (), problem_count: int = 0, **params: object
    ) -> None:
        self.problems = tuple(problems)
        self.problem_count = problem_count
        super().__init__(ExcelErrorCode.VALUE, key, **params)

    def message(self, language: Language = "en", *, separator: str = "\n  ") -> str:
        """The headline and the listed problems (one per line), in ``language``."""
        lines = [message(self.key, language, **self.params)]
        lines += [problem.text(language) for problem in self.problems]
        if self.problem_count > len(self.problems):
            lines.append(message("tx_more_problems", language, count=self.problem_count - len(self.problems)))
        return separator.join(lines)

    def excel_text(self, language: Language = "en") -> str:
        """The error on one line, for a cell."""
        return f"{self.code.localised(language)} {self.message(language, separator='; ')}"


@dataclass(frozen=True)
class Transactions:
    """Validated transactions and what was left out.

    Attributes
    ----------
    table
        One row per transaction: ``customer_id`` (text), ``date`` (datetime64),
        ``amount`` (float; negative = refund), ``segment`` (text, "" when blank; only
        when the input has a segment column) and ``row`` (the row number the user sees).
    source
        Where the transactions come from (file name, sheet), for messages.
    skipped_rows
        Rows left out with ``on_error="skip"``.
    problems
        The first :data:`MAX_LISTED_PROBLEMS` problems of the skipped rows.
    parameters
        Parameters read from a ``Parameters``/``Parametri`` sheet (see
        :mod:`clv_xl.data.parameters`), empty when there is none.
    """

    table: pd.DataFrame
    source: str
    skipped_rows: int = 0
    problems: tuple[RowProblem, ...] = ()
    parameters: Mapping[str, object] = field(default_factory=dict)

    @property
    def has_segments(self) -> bool:
        """True when the input has a segment column."""
        return "segment" in self.table.columns


def find_header(
    rows: Sequence[Sequence[object]], *, limit: int = HEADER_SEARCH_ROWS
) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first ``limit``) that names the required columns, and each column's position.

    When a column is named twice, the first (leftmost) header wins.
    """
    for index, row in enumerate(rows[:limit]):
        positions: dict[str, int] = {}
        for position, cell in enumerate(row):
            if isinstance(cell, str):
                canonical = canonical_column(cell)
                if canonical is not None and canonical not in positions:
                    positions[canonical] = position
        if all(column in positions for column in REQUIRED_COLUMNS):
            return index, positions
    return None


def _shown(cell: object) -> str:
    if isinstance(cell, (bool, np.bool_)):
        return str(bool(cell)).upper()
    if hasattr(cell, "isoformat"):
        return str(cell.isoformat())
    if isinstance(cell, float) and np.isfinite(cell) and cell == int(cell) and abs(cell) < 1e15:
        return str(int(cell))
    return "" if cell is None else str(cell)


def _check_on_error(on_error: str) -> None:
    if on_error not in ("raise", "skip"):
        raise TransactionsError("tx_on_error", value=on_error)


def transactions_from_columns(
    columns: Mapping[str, ObjectArray],
    *,
    headers: Mapping[str, str],
    rows: npt.NDArray[np.int64],
    source: str,
    on_error: OnError = "raise",
) -> Transactions:
    """Validate raw columns (cells as Python objects) into :class:`Transactions`.

    Parameters
    ----------
    columns
        Canonical column name -> cells; ``customer_id``, ``date`` and ``amount``
        are required, ``segment`` is optional.
    headers
        Canonical column name -> the header as the user wrote it (for messages).
    rows
        The row number the user sees for each cell.
    source
        Where the cells come from, for messages.
    on_error
        ``"raise"``: any bad cell raises one :class:`TransactionsError` listing them;
        ``"skip"``: bad rows are left out and counted.
    """
    _check_on_error(on_error)
    present = [name for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if name in columns]
    all_kinds = {name: cell_kinds(columns[name]) for name in present}
    filled = ~np.logical_and.reduce([is_blank(columns[name], all_kinds[name]) for name in present])
    everything = bool(filled.all())
    cells = {name: columns[name] if everything else columns[name][filled] for name in present}
    kinds = {name: all_kinds[name] if everything else all_kinds[name][filled] for name in present}
    kept_rows = rows[filled]
    if not kept_rows.size:
        raise TransactionsError("tx_no_rows", source=source)
    ids, id_reasons = read_customer_ids(cells["customer_id"], kinds["customer_id"])
    dates, date_reasons = read_dates(cells["date"], kinds["date"])
    amounts, amount_reasons = read_amounts(cells["amount"], kinds["amount"])
    reasons = {"customer_id": id_reasons, "date": date_reasons, "amount": amount_reasons}
    bad_cells = {name: np.not_equal(found, None) for name, found in reasons.items()}
    bad = np.logical_or.reduce(list(bad_cells.values()))
    problems: list[RowProblem] = []
    problem_count = int(sum(int(mask.sum()) for mask in bad_cells.values()))
    for position in np.flatnonzero(bad)[:MAX_LISTED_PROBLEMS]:
        for name in REQUIRED_COLUMNS:
            if bad_cells[name][position] and len(problems) < MAX_LISTED_PROBLEMS:
                problems.append(
                    RowProblem(
                        int(kept_rows[position]),
                        headers[name],
                        str(reasons[name][position]),
                        _shown(cells[name][position]),
                    )
                )
    if bad.any() and on_error == "raise":
        raise TransactionsError(
            "tx_bad_rows",
            problems=problems,
            problem_count=problem_count,
            source=source,
            count=int(bad.sum()),
            bad_cells=problem_count,
        )
    good = ~bad
    read = {"customer_id": ids[good], "date": dates[good], "amount": amounts[good]}
    if "segment" in cells:
        read["segment"] = read_labels(cells["segment"], kinds["segment"])[good]
    table = validated_table(read, kept_rows[good])
    if table.empty:
        raise TransactionsError("tx_no_rows", source=source)
    return Transactions(table, source, skipped_rows=int(bad.sum()), problems=tuple(problems))


def validated_table(read: Mapping[str, npt.NDArray[np.generic]], rows: npt.NDArray[np.int64]) -> pd.DataFrame:
    """The validated table: ids and segments as text objects, dates, amounts, the rows the user sees."""
    table = pd.DataFrame(
        {
            "customer_id": pd.Series(read["customer_id"], dtype=object),
            "date": read["date"],
            "amount": read["amount"],
        }
    )
    if "segment" in read:
        table["segment"] = pd.Series(read["segment"], dtype=object)
    table["row"] = rows.astype(np.int64)
    return table


def columns_of_rows(
    rows: Sequence[Sequence[object]], header_index: int, positions: Mapping[str, int]
) -> tuple[dict[str, ObjectArray], dict[str, str]]:
    """The cells below a header row, one object array per canonical column, and the headers as written."""
    header = rows[header_index]
    count = len(rows) - header_index - 1
    columns: dict[str, ObjectArray] = {}
    for name, position in positions.items():
        column = np.empty(count, dtype=object)
        try:
            column[:] = list(map(itemgetter(position), islice(rows, header_index + 1, None)))
        except IndexError:  # a short row (calamine's rows are all as wide as the sheet)
            below = islice(rows, header_index + 1, None)
            column[:] = [row[position] if position < len(row) else None for row in below]
        columns[name] = column
    return columns, {name: str(header[position]).strip() for name, position in positions.items()}


def from_sheet_rows(
    rows: list[list[object]],
    header_index: int,
    positions: Mapping[str, int],
    *,
    first_row: int,
    source: str,
    on_error: OnError,
    parameters: Mapping[str, object],
    release_rows: bool = False,
) -> Transactions:
    """Validated transactions from the rows of a sheet or table.

    With ``release_rows`` (rows read by this module, never a caller's) the list is
    emptied once its cells are in columns, freeing a million row lists before validation.
    """
    columns, headers = columns_of_rows(rows, header_index, positions)
    if release_rows:
        rows.clear()
    numbers = np.arange(first_row, first_row + len(next(iter(columns.values()))), dtype=np.int64)
    read = transactions_from_columns(columns, headers=headers, rows=numbers, source=source, on_error=on_error)
    return Transactions(read.table, read.source, read.skipped_rows, read.problems, parameters)


def no_header_error(source: str, seen: Sequence[object]) -> TransactionsError:
    found = ", ".join(str(cell) for cell in seen if cell not in (None, "")) or "-"
    return TransactionsError("tx_no_header", source=source, required=", ".join(REQUIRED_COLUMNS), found=found)


def _from_frame(frame: pd.DataFrame, on_error: OnError) -> Transactions:
    """Transactions from a DataFrame whose column labels are the headers (row 2 is its first row)."""
    header = [str(label) for label in frame.columns]
    found = find_header([header])
    if found is None:
        raise no_header_error("DataFrame", header)
    _, positions = found
    # copies: the user's DataFrame is never modified
    columns = {name: frame.iloc[:, position].to_numpy(dtype=object, copy=True) for name, position in positions.items()}
    for column in columns.values():
        column[pd.isna(column)] = None  # NaN, NaT and pandas.NA are empty cells
    headers = {name: header[position] for name, position in positions.items()}
    rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    return transactions_from_columns(columns, headers=headers, rows=rows, source="DataFrame", on_error=on_error)


def transactions_from_rows(
    rows: Sequence[Sequence[object]], *, source: str, first_row: int = 1, on_error: OnError = "raise"
) -> Transactions | None:
    """Transactions from the rows of a sheet, as Excel (or xlwings) hands them.

    Parameters
    ----------
    rows
        The sheet's cells, row by row, from its first used row.
    source
        Workbook and sheet, for messages.
    first_row
        The sheet row number of ``rows[0]``, so that problems name the rows the user sees.
    on_error
        As in :func:`read_transactions`.

    Returns
    -------
    Transactions or None
        None when no row among the first ones names the required columns.
    """
    _check_on_error(on_error)
    located = find_header(rows)
    if located is None:
        return None
    header_index, positions = located
    return from_sheet_rows(
        list(rows),
        header_index,
        positions,
        first_row=first_row + header_index + 1,
        source=source,
        on_error=on_error,
        parameters={},
    )


def read_transactions(
    source: pd.DataFrame | str | Path,
    *,
    sheet: str | None = None,
    table: str | None = None,
    on_error: OnError = "raise",
) -> Transactions:
    """Read and validate transactions from a DataFrame, a CSV file or an .xlsx workbook.

    Parameters
    ----------
    source
        A DataFrame whose column labels are the headers (its first row is reported
        as row 2, as if the labels were row 1 of a sheet), or the path of a ``.csv``
        / ``.txt`` file (separator ``,`` ``;`` tab or ``|``; UTF-8, UTF-8 with BOM
        or Windows-1252) or of an ``.xlsx``/``.xlsm`` workbook.
    sheet
        Workbook only: the sheet to read. Default: the first sheet with a header
        row naming the required columns.
    table
        Workbook only: the name of an Excel table (Insert > Table) to read instead.
    on_error
        ``"raise"`` (default): every bad row is reported, with its row number, in
        one :class:`TransactionsError`. ``"skip"``: bad rows are left out and
        counted in the result.

    Returns
    -------
    Transactions
        The validated table (see :class:`Transactions`) and, for a workbook, the
        parameters of its ``Parameters``/``Parametri`` sheet.

    Raises
    ------
    TransactionsError
        Bad rows (with ``on_error="raise"``), no header row, no such sheet or table.
    ClvError
        The file is missing or not a readable workbook or CSV
        (:func:`clv_xl.files.check_input_file`).
    """
    _check_on_error(on_error)
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, on_error)
    path = check_input_file(Path(source))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from python_calamine import CalamineError, PasswordError

        from clv_xl.data.xlsx_source import read_workbook

        try:
            return read_workbook(path, sheet, table, on_error)
        except PasswordError:
            raise TransactionsError("tx_xlsx_password", source=path.name) from None
        except CalamineError as problem:
            raise TransactionsError("tx_xlsx_unreadable", source=path.name, reason=str(problem).strip()) from None
    from clv_xl.data.csv_source import read_csv_file

    return read_csv_file(path, on_error)
