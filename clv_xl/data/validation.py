"""What the readers of transactions share: the header search, the validation of cells, the error.

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
``on_error="skip"`` the bad rows are left out and counted instead. A segment may be
blank, but not an error cell (``#N/A``) or a formula without a value.

The readers build on this module: :mod:`clv_xl.data.xlsx_source` (workbooks),
:mod:`clv_xl.data.csv_source` (CSV files), :mod:`clv_xl.data.parameters` (the
parameters sheet); :mod:`clv_xl.data.reader` is the one entry point that picks one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.data.aliases import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    canonical_column,
)
from clv_xl.data.values import cell_kinds, is_blank, is_none, read_amounts, read_customer_ids, read_dates
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import Language, message

__all__ = [
    "HEADER_SEARCH_ROWS",
    "MAX_LISTED_PROBLEMS",
    "OnError",
    "RowProblem",
    "Transactions",
    "TransactionsError",
    "check_on_error",
    "columns_of_rows",
    "find_header",
    "from_sheet_rows",
    "no_header_error",
    "printable",
    "shown",
    "transactions_from_columns",
    "validated_table",
]

OnError = Literal["raise", "skip"]
ObjectArray = npt.NDArray[np.object_]

#: The header row is looked for in this many first rows of a sheet or CSV file.
HEADER_SEARCH_ROWS = 30
#: Problems listed in an error message; the others are counted.
MAX_LISTED_PROBLEMS = 20
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Reasons that make a segment cell a problem (a blank or odd one is "(no segment)").
_UNREADABLE_LABELS = ["tx_cell_error", "tx_formula_not_computed"]


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

    def __init__(self, key: str, *, problems: Sequence[RowProblem] = (), problem_count: int = 0, **params: Any) -> None:
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


def printable(text: str) -> str:
    """``text`` with control characters (a NUL byte, a bell...) shown as ``?``: never printed as they are."""
    return _CONTROL_CHARACTERS.sub("?", text)


def shown(cell: object) -> str:
    """A cell as a problem shows it: ``TRUE``, ``2024-02-01`` (a date cell at midnight), ``1500`` (not ``1500.0``)."""
    if isinstance(cell, str):
        return printable(cell)
    if isinstance(cell, (bool, np.bool_)):
        return str(bool(cell)).upper()
    if isinstance(cell, dt.datetime) and cell.time() == dt.time(0) and cell.tzinfo is None:
        return cell.date().isoformat()  # a date cell: 1024-03-01, not 1024-03-01T00:00:00
    if hasattr(cell, "isoformat"):
        return str(cell.isoformat())
    if isinstance(cell, float) and np.isfinite(cell) and cell == int(cell) and abs(cell) < 1e15:
        return str(int(cell))
    return "" if cell is None else str(cell)


def check_on_error(on_error: str) -> None:
    """Refuse an ``on_error`` that is neither ``"raise"`` nor ``"skip"``."""
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
    check_on_error(on_error)
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
    if "segment" in cells:
        segments, segment_reasons = read_customer_ids(cells["segment"], kinds["segment"])
        # a blank segment is allowed ("(no segment)"); an error cell or a formula without a value is not
        odd = np.flatnonzero(~is_none(segment_reasons))
        allowed = odd[[reason not in _UNREADABLE_LABELS for reason in segment_reasons[odd]]]
        segments[allowed] = ""
        segment_reasons[allowed] = None
        reasons["segment"] = segment_reasons
    bad_cells = {name: ~is_none(found) for name, found in reasons.items()}
    bad = np.logical_or.reduce(list(bad_cells.values()))
    problems: list[RowProblem] = []
    problem_count = int(sum(int(mask.sum()) for mask in bad_cells.values()))
    for position in np.flatnonzero(bad)[:MAX_LISTED_PROBLEMS]:
        for name in reasons:
            if bad_cells[name][position] and len(problems) < MAX_LISTED_PROBLEMS:
                problems.append(
                    RowProblem(
                        int(kept_rows[position]),
                        headers[name],
                        str(reasons[name][position]),
                        shown(cells[name][position]),
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
        read["segment"] = segments[good]
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
    rows: Sequence[Sequence[object]],
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
    if release_rows and isinstance(rows, list):
        rows.clear()
    numbers = np.arange(first_row, first_row + len(next(iter(columns.values()))), dtype=np.int64)
    read = transactions_from_columns(columns, headers=headers, rows=numbers, source=source, on_error=on_error)
    return Transactions(read.table, read.source, read.skipped_rows, read.problems, parameters)


def no_header_error(source: str, seen: Sequence[object]) -> TransactionsError:
    """The error of a sheet or file where no row among the first ones names the required columns."""
    found = printable(", ".join(str(cell) for cell in seen if cell not in (None, ""))) or "-"
    return TransactionsError("tx_no_header", source=source, required=", ".join(REQUIRED_COLUMNS), found=found)
