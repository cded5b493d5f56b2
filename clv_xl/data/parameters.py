"""The optional parameters sheet of a transactions workbook.

A sheet named ``Parameters`` or ``Parametri`` (any case) with two columns, a key and
its value, one parameter per row; a header row, blank rows and unknown keys are
ignored. Keys (English or Italian, tolerant of case, accents and spaces; all aliases
in :mod:`clv_xl.data.aliases`):

=================  ===================  =========================================
key                Italian              value
=================  ===================  =========================================
cac                CAC                  acquisition cost per customer, number
margin             margine              gross margin, fraction 0-1 (or ``40%``)
discount_rate      tasso_sconto         yearly discount rate, fraction (or ``8%``)
annual_churn       abbandono_annuo      share of customers lost per year, fraction
observation_end    fine_osservazione    date: the end of the observed period
currency           valuta               text, e.g. ``EUR``
=================  ===================  =========================================

Numbers may be Italian text (``0,35``, ``1.500``) and percentages (``35%``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clv_xl.data.aliases import canonical_parameter
from clv_xl.data.validation import RowProblem, TransactionsError
from clv_xl.data.values import read_amounts, read_dates

__all__ = ["NUMBER_PARAMETERS", "read_parameter_rows"]

#: Parameters whose value is a number.
NUMBER_PARAMETERS: tuple[str, ...] = ("cac", "margin", "discount_rate", "annual_churn")


def _number(value: object) -> tuple[float, str | None]:
    percent = isinstance(value, str) and value.strip().endswith("%")
    cell = value.strip().rstrip("%") if isinstance(value, str) and percent else value
    numbers, reasons = read_amounts(np.array([cell], dtype=object))
    if reasons[0] is not None:
        return float("nan"), "tx_not_a_parameter"
    return float(numbers[0]) / (100.0 if percent else 1.0), None


def read_parameter_rows(rows: Sequence[Sequence[object]], *, source: str) -> dict[str, object]:
    """The parameters of a key/value sheet: floats, a ``pandas.Timestamp`` or text.

    Raises
    ------
    TransactionsError
        A known key with a value that cannot be read (row number and key named).
    """
    parameters: dict[str, object] = {}
    problems: list[RowProblem] = []
    for index, row in enumerate(rows):
        cells = [cell for cell in row if cell not in (None, "")]
        if len(cells) < 2:
            continue
        key, value = cells[0], cells[1]
        name = canonical_parameter(key)
        if name is None or name in parameters:
            continue
        reason: str | None = None
        if name in NUMBER_PARAMETERS:
            parameters[name], reason = _number(value)
        elif name == "observation_end":
            dates, reasons = read_dates(np.array([value], dtype=object))
            parameters[name], reason = pd.Timestamp(dates[0]), reasons[0]
        else:
            parameters[name] = str(value).strip()
        if reason is not None:
            del parameters[name]
            problems.append(RowProblem(index + 1, str(key).strip(), reason, str(value)))
    if problems:
        raise TransactionsError(
            "tx_bad_rows",
            problems=problems,
            problem_count=len(problems),
            source=source,
            count=len(problems),
            bad_cells=len(problems),
        )
    return parameters
