"""Data in: reading and validating the transactions a business gives us.

* :mod:`clv_xl.data.reader` — the entry point: transactions from a DataFrame, a CSV
  file or an .xlsx workbook (:func:`read_transactions`);
* :mod:`clv_xl.data.validation` — what the readers share: the header search, the
  validation of cells into one table, the error that lists every bad row;
* :mod:`clv_xl.data.csv_source` — CSV files as Excel saves them;
* :mod:`clv_xl.data.xlsx_source` — sheets and tables of a workbook, with
  :mod:`clv_xl.data.sheet_head` (the header row from the first rows of the sheet's XML),
  :mod:`clv_xl.data.sheet_chunks` (the sheet cut into pieces of rows) and
  :mod:`clv_xl.data.columnar_xlsx` (a clean piece read as typed columns);
* :mod:`clv_xl.data.parameters` — the optional parameters sheet (CAC, margin, ...);
* :mod:`clv_xl.data.values` — reading cells as customer ids, dates and amounts;
* :mod:`clv_xl.data.aliases` — the accepted column headers, parameter and sheet names (en/it).

The computation on the validated transactions is pure and lives in
:mod:`clv_xl.core.summaries`.
"""

from clv_xl.data.reader import read_transactions
from clv_xl.data.validation import RowProblem, Transactions, TransactionsError

__all__ = ["RowProblem", "Transactions", "TransactionsError", "read_transactions"]
