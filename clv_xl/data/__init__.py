"""Data in: reading and validating the transactions a business gives us.

* :mod:`clv_xl.data.aliases` — the accepted column headers and parameter names (en/it);
* :mod:`clv_xl.data.values` — reading cells as customer ids, dates and amounts;
* :mod:`clv_xl.data.transactions` — transactions from a DataFrame, CSV or .xlsx file;
* :mod:`clv_xl.data.parameters` — the optional parameters sheet (CAC, margin, ...).

The computation on the validated transactions is pure and lives in
:mod:`clv_xl.core.transactions`.
"""

from clv_xl.data.transactions import RowProblem, Transactions, TransactionsError, read_transactions

__all__ = ["RowProblem", "Transactions", "TransactionsError", "read_transactions"]
