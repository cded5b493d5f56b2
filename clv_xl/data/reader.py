"""Read transactions: the one entry point, from a DataFrame, a CSV file or an .xlsx workbook.

:func:`read_transactions` picks the reader by the kind of source
(:mod:`clv_xl.data.xlsx_source`, :mod:`clv_xl.data.csv_source`, or the DataFrame
here). The input is only ever read. What the readers share (the header search, the
validation of the cells, the error) is in :mod:`clv_xl.data.validation`.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from clv_xl.data.csv_source import read_csv_file
from clv_xl.data.validation import (
    OnError,
    Transactions,
    TransactionsError,
    check_on_error,
    find_header,
    no_header_error,
    transactions_from_columns,
)
from clv_xl.data.xlsx_source import read_workbook
from clv_xl.files import WORKBOOK_SUFFIXES, check_input_file

__all__ = ["read_transactions"]


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
        A workbook protected by a password, or damaged (a compressed part that does
        not unpack).
    ClvError
        The file is missing or not a readable workbook or CSV
        (:func:`clv_xl.files.check_input_file`).
    """
    check_on_error(on_error)
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, on_error)
    path = check_input_file(Path(source))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from python_calamine import CalamineError, PasswordError, ZipError

        try:
            return read_workbook(path, sheet, table, on_error)
        except PasswordError:
            raise TransactionsError("tx_xlsx_password", source=path.name) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, ZipError) as problem:
            # a compressed part that does not unpack (zlib) or unpacks wrong (its CRC)
            raise TransactionsError("tx_xlsx_damaged", source=path.name, reason=str(problem).strip()) from None
        except CalamineError as problem:
            # XML that does not parse may be a part damaged after its compression: its CRC tells
            damage = _damaged_part(path)
            if damage is not None:
                raise TransactionsError("tx_xlsx_damaged", source=path.name, reason=damage) from None
            raise TransactionsError("tx_xlsx_unreadable", source=path.name, reason=str(problem).strip()) from None
    return read_csv_file(path, on_error)


def _damaged_part(path: Path) -> str | None:
    """What is wrong with the first part of the package whose bytes do not unpack to their CRC, or None."""
    try:
        with zipfile.ZipFile(path) as package:
            bad = package.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError) as problem:
        return str(problem).strip()
    return None if bad is None else f"Bad CRC-32 for file {bad!r}"
