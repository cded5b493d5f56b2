"""Names shared by the transactions template and the code that reads it.

Sheet and table names, column headers and parameter keys of the transactions workbook
(``clv_data.xlsx`` / ``dati_clv.xlsx``), in English and Italian. The template is built
from these, and a reader of the workbook can import them instead of repeating them.

The parameters sheet has two columns, key and value: nothing else on a parameter row (a
reader may take the next filled cell as the value); what each key means is the input
message of its value cell and the Read-me. Keys of older workbooks (``tasso_sconto``)
are still read: :mod:`clv_xl.data.aliases` accepts them.
"""

from __future__ import annotations

from clv_xl.i18n import Language, Text

__all__ = [
    "PARAMETERS_SHEET",
    "PARAMETER_KEYS",
    "TRANSACTION_COLUMNS",
    "TRANSACTIONS_SHEET",
    "TRANSACTIONS_TABLE",
    "parameter_keys",
    "transaction_headers",
]

#: The sheet holding one order per row.
TRANSACTIONS_SHEET = Text("Transactions", "Transazioni")

#: The Excel table (ListObject) over the orders.
TRANSACTIONS_TABLE = Text("Transactions", "Transazioni")

#: The orders' columns in order: customer id, date, amount (required), segment (optional).
TRANSACTION_COLUMNS: tuple[Text, ...] = (
    Text("customer_id", "id_cliente"),
    Text("date", "data"),
    Text("amount", "importo"),
    Text("segment", "segmento"),
)

#: The sheet of parameters (key in column A, value in column B).
PARAMETERS_SHEET = Text("Parameters", "Parametri")

#: The parameter keys in order: CAC, margin, discount rate, observation end, currency, annual churn.
PARAMETER_KEYS: tuple[Text, ...] = (
    Text("cac", "CAC"),
    Text("margin", "margine"),
    Text("discount_rate", "tasso_attualizzazione"),
    Text("observation_end", "fine_osservazione"),
    Text("currency", "valuta"),
    Text("annual_churn", "abbandono_annuo"),
)


def transaction_headers(language: Language) -> tuple[str, ...]:
    """The column headers of the orders table in ``language``."""
    return tuple(column(language) for column in TRANSACTION_COLUMNS)


def parameter_keys(language: Language) -> tuple[str, ...]:
    """The parameter keys in ``language``."""
    return tuple(key(language) for key in PARAMETER_KEYS)
