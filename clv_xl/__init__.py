"""clv_xl: customer lifetime value for small and medium businesses, inside Excel.

The formulas are importable directly::

    >>> import clv_xl
    >>> clv_xl.clv(10000, 3, 1000)
    29000.0
"""

from __future__ import annotations

from clv_xl.core import (
    annuity_factor,
    apv,
    cac,
    cac_payback,
    clv,
    clv_retention,
    customer_value,
    lifespan_from_churn,
    ltv_cac_ratio,
    prospect_value,
    repeat_rate,
)
from clv_xl.core.summaries import customer_summary, segment_figures
from clv_xl.data import Transactions, TransactionsError, read_transactions
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.version import __version__


def main() -> None:
    """Write the CLV report of the workbook that called, beside it, and open it: the add-in's report button.

    Run from Excel through xlwings (``RunPython "import clv_xl; clv_xl.main()"``); see
    :mod:`clv_xl.report.excel_button`. The open workbook is never changed.
    """
    from clv_xl.report.excel_button import run_from_excel

    run_from_excel()


__all__ = [
    "ClvError",
    "ExcelErrorCode",
    "Transactions",
    "TransactionsError",
    "__version__",
    "annuity_factor",
    "apv",
    "cac",
    "cac_payback",
    "clv",
    "clv_retention",
    "customer_summary",
    "customer_value",
    "main",
    "lifespan_from_churn",
    "ltv_cac_ratio",
    "prospect_value",
    "read_transactions",
    "repeat_rate",
    "segment_figures",
]
