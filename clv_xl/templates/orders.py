"""The transactions workbook (``clv_data.xlsx`` / ``dati_clv.xlsx``) and its sample variant, as data.

An Excel table of orders (customer id, date, amount, optional segment) with data
validation, and a parameters sheet of key/value rows. Names, headers and keys come from
:mod:`clv_xl.templates.orders_layout`, which the readers of the workbook share.

The sample variant (``clv_data_sample.xlsx`` / ``dati_clv_esempio.xlsx``) holds
illustrative orders made by :func:`sample_orders` with a fixed seed: 40 customers in
3 segments over two years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from clv_xl.data.values import EXCEL_EPOCH
from clv_xl.i18n import Text
from clv_xl.templates.about import about_sheet
from clv_xl.templates.orders_layout import (
    PARAMETER_KEYS,
    PARAMETERS_SHEET,
    TRANSACTION_COLUMNS,
    TRANSACTIONS_SHEET,
    TRANSACTIONS_TABLE,
)
from clv_xl.templates.workbook_spec import Cell, CellValue, Sheet, Style, TableSpec, Validation, WorkbookSpec

__all__ = [
    "OBSERVATION_START",
    "SAMPLE_PARAMETERS",
    "SAMPLE_SEED",
    "SEGMENTS",
    "Order",
    "sample_orders",
    "transactions_workbook",
]

#: Seed of the illustrative orders (changing it changes the committed sample files).
SAMPLE_SEED = 20260101
#: The sample's two observed years.
OBSERVATION_START = date(2024, 1, 1)
OBSERVATION_END = date(2025, 12, 31)
#: Segments of the sample: name, number of customers, mean orders per year, median order value (€).
SEGMENTS: tuple[tuple[Text, int, float, float], ...] = (
    (Text("Retail", "Dettaglio"), 20, 3.0, 80.0),
    (Text("Wholesale", "Ingrosso"), 8, 6.0, 900.0),
    (Text("Online", "Online"), 12, 2.0, 60.0),
)
#: Validation reaches this many rows below the header (the table grows as rows are typed).
VALIDATED_ROWS = 10_000


@dataclass(frozen=True)
class Order:
    """One illustrative order."""

    customer_id: str
    date: date
    amount: float
    segment: Text


def sample_orders(seed: int = SAMPLE_SEED) -> tuple[Order, ...]:
    """Illustrative orders of 40 customers, the same for the same ``seed``.

    Customers join at random in the first 18 months, buy at their segment's yearly rate
    (Poisson), stop after an exponential lifetime (mean 2 years) and spend a log-normal
    amount around the segment's median. Sorted by date, then customer id.
    """
    rng = np.random.default_rng(seed)
    span = (OBSERVATION_END - OBSERVATION_START).days
    orders: list[Order] = []
    number = 0
    for segment, customers, per_year, median in SEGMENTS:
        for _ in range(customers):
            number += 1
            customer = f"C{number:03d}"
            first = int(rng.integers(0, 540))
            last = min(span, first + int(rng.exponential(730.0)))
            count = 1 + int(rng.poisson(per_year * (last - first) / 365.0))
            days = np.sort(np.concatenate(([first], rng.integers(first, last + 1, size=count - 1))))
            amounts = np.round(median * rng.lognormal(0.0, 0.4, size=count), 2)
            orders += [
                Order(customer, OBSERVATION_START + timedelta(days=int(day)), float(amount), segment)
                for day, amount in zip(days, amounts, strict=True)
            ]
    return tuple(sorted(orders, key=lambda order: (order.date, order.customer_id)))


@dataclass(frozen=True)
class _Parameter:
    key: Text
    help: Text
    style: Style
    rule: Validation


def _rule(
    kind: str, operator: str | None, minimum: str | None, maximum: str | None, key: Text, help: Text, error: Text
) -> Validation:
    return Validation(kind, operator, minimum, maximum, key, help, error)


_RATE_ERROR = Text("Type a rate between 0 % and 100 %.", "Scrivi un tasso tra 0 % e 100 %.")
_KEYS = dict(
    zip(("cac", "margin", "discount_rate", "observation_end", "currency", "annual_churn"), PARAMETER_KEYS, strict=True)
)
_PARAMETER_HELP = {
    "cac": Text(
        "Customer acquisition cost: marketing and sales spend ÷ new customers, €.",
        "Costo di acquisizione del cliente: spesa di marketing e vendite ÷ nuovi clienti, €.",
    ),
    "margin": Text("Gross margin as a share of revenue, e.g. 35 %.", "Margine lordo come quota dei ricavi, es. 35 %."),
    "discount_rate": Text(
        "Yearly discount rate, e.g. 8 %; 0 for none.", "Tasso di sconto annuo, es. 8 %; 0 per nessuno."
    ),
    "observation_end": Text(
        "Last day of the period the orders cover.", "Ultimo giorno del periodo coperto dagli ordini."
    ),
    "currency": Text("Currency of the amounts, e.g. EUR.", "Valuta degli importi, es. EUR."),
    "annual_churn": Text(
        "Optional: share of customers lost per year, if you know it.",
        "Facoltativo: quota di clienti persi all'anno, se la conosci.",
    ),
}
_PARAMETERS: tuple[_Parameter, ...] = (
    _Parameter(
        _KEYS["cac"],
        _PARAMETER_HELP["cac"],
        "input_eur",
        _rule(
            "decimal",
            "greaterThanOrEqual",
            "0",
            None,
            _KEYS["cac"],
            _PARAMETER_HELP["cac"],
            Text("Type an amount of 0 or more.", "Scrivi un importo maggiore o uguale a 0."),
        ),
    ),
    _Parameter(
        _KEYS["margin"],
        _PARAMETER_HELP["margin"],
        "input_rate",
        _rule("decimal", "between", "0", "1", _KEYS["margin"], _PARAMETER_HELP["margin"], _RATE_ERROR),
    ),
    _Parameter(
        _KEYS["discount_rate"],
        _PARAMETER_HELP["discount_rate"],
        "input_rate",
        _rule("decimal", "between", "0", "1", _KEYS["discount_rate"], _PARAMETER_HELP["discount_rate"], _RATE_ERROR),
    ),
    _Parameter(
        _KEYS["observation_end"],
        _PARAMETER_HELP["observation_end"],
        "input_date",
        _rule(
            "date",
            "greaterThan",
            "36526",
            None,
            _KEYS["observation_end"],
            _PARAMETER_HELP["observation_end"],
            Text("Type a date after 1 January 2000.", "Scrivi una data successiva al 1° gennaio 2000."),
        ),
    ),
    _Parameter(
        _KEYS["currency"],
        _PARAMETER_HELP["currency"],
        "input_text",
        _rule(
            "textLength",
            "between",
            "1",
            "10",
            _KEYS["currency"],
            _PARAMETER_HELP["currency"],
            Text("Type a currency code such as EUR.", "Scrivi un codice di valuta come EUR."),
        ),
    ),
    _Parameter(
        _KEYS["annual_churn"],
        _PARAMETER_HELP["annual_churn"],
        "input_rate",
        _rule("decimal", "between", "0", "1", _KEYS["annual_churn"], _PARAMETER_HELP["annual_churn"], _RATE_ERROR),
    ),
)

#: The sample's parameters, by English key (annual churn left empty: it is optional).
SAMPLE_PARAMETERS: dict[str, CellValue] = {
    "cac": 150.0,
    "margin": 0.35,
    "discount_rate": 0.08,
    "observation_end": OBSERVATION_END,
    "currency": "EUR",
    "annual_churn": None,
}
_BLANK_PARAMETERS: dict[str, CellValue] = {key: ("EUR" if key == "currency" else None) for key in SAMPLE_PARAMETERS}


def _serial(day: date) -> str:
    return str((np.datetime64(day, "D") - EXCEL_EPOCH.astype("datetime64[D]")).astype(int))


_COLUMN_RULES: tuple[Validation | None, ...] = (
    Validation(
        "textLength",
        "between",
        "1",
        "64",
        Text("Customer id", "Codice cliente"),
        Text(
            "The same code for every order of a customer (a name, number or code).",
            "Lo stesso codice per ogni ordine di un cliente (nome, numero o codice).",
        ),
        Text("Type a customer id of 1 to 64 characters.", "Scrivi un codice cliente da 1 a 64 caratteri."),
    ),
    Validation(
        "date",
        "between",
        _serial(date(2000, 1, 1)),
        _serial(date(2100, 12, 31)),
        Text("Order date", "Data dell'ordine"),
        Text("The day of the order (a date, not text).", "Il giorno dell'ordine (una data, non un testo)."),
        Text("Type a date between 2000 and 2100.", "Scrivi una data tra il 2000 e il 2100."),
    ),
    Validation(
        "decimal",
        "greaterThanOrEqual",
        "0",
        None,
        Text("Order amount", "Importo dell'ordine"),
        Text(
            "What the customer paid for the order, € (0 or more).",
            "Quanto ha pagato il cliente per l'ordine, € (0 o più).",
        ),
        Text("Type an amount of 0 or more.", "Scrivi un importo maggiore o uguale a 0."),
    ),
    Validation(
        "textLength",
        "lessThanOrEqual",
        "40",
        None,
        Text("Segment (optional)", "Segmento (facoltativo)"),
        Text(
            "A group of customers, e.g. Retail or Wholesale; leave empty if you do not segment.",
            "Un gruppo di clienti, es. Dettaglio o Ingrosso; lascia vuoto se non segmenti.",
        ),
        Text("At most 40 characters.", "Al massimo 40 caratteri."),
    ),
)
_COLUMN_STYLES: tuple[Style, ...] = ("text", "date", "eur", "text")
_COLUMNS = ("A", "B", "C", "D")


def _transactions_sheet(orders: tuple[Order, ...]) -> Sheet:
    cells = [Cell(f"{column}1", header, "header") for column, header in zip(_COLUMNS, TRANSACTION_COLUMNS, strict=True)]
    rows: list[tuple[CellValue, ...]] = [(o.customer_id, o.date, o.amount, o.segment) for o in orders] or [(None,) * 4]
    for number, values in enumerate(rows, start=2):
        cells += [
            Cell(f"{column}{number}", value, style)
            for column, value, style in zip(_COLUMNS, values, _COLUMN_STYLES, strict=True)
        ]
    last = len(rows) + 1
    validated = max(last, VALIDATED_ROWS + 1)
    return Sheet(
        TRANSACTIONS_SHEET,
        tuple(cells),
        column_widths={"A": 16, "B": 14, "C": 16, "D": 16},
        tables=(TableSpec(TRANSACTIONS_TABLE, f"A1:D{last}"),),
        range_validations=tuple(
            (f"{column}2:{column}{validated}", rule)
            for column, rule in zip(_COLUMNS, _COLUMN_RULES, strict=True)
            if rule
        ),
        freeze="A2",
    )


def _parameters_sheet(values: dict[str, CellValue]) -> Sheet:
    cells = [
        Cell("A1", Text("key", "chiave"), "header"),
        Cell("B1", Text("value", "valore"), "header"),
    ]
    for row, (name, parameter) in enumerate(zip(values, _PARAMETERS, strict=True), start=2):
        cells += [
            Cell(f"A{row}", parameter.key, "label"),
            Cell(f"B{row}", values[name], parameter.style, validation=parameter.rule),
        ]
    note_row = len(_PARAMETERS) + 3
    cells.append(
        Cell(
            f"A{note_row}",
            Text(
                "Select a value to see what it means. Keep one key and its value per row, nothing else on the row.",
                "Seleziona un valore per vedere che cosa significa. "
                "Una chiave e il suo valore per riga, nient'altro sulla riga.",
            ),
            "note",
        )
    )
    return Sheet(PARAMETERS_SHEET, tuple(cells), column_widths={"A": 22, "B": 18})


def _about(sample: bool) -> Sheet:
    column_list = Text(", ".join(c.en for c in TRANSACTION_COLUMNS), ", ".join(c.it for c in TRANSACTION_COLUMNS))
    parameter_lines = tuple(
        Text(f"   – {key.en}: {_PARAMETER_HELP[name].en}", f"   – {key.it}: {_PARAMETER_HELP[name].it}")
        for name, key in _KEYS.items()
    )
    purpose = Text(
        "The list of your orders, one per row, from which clv_xl computes each customer's value "
        "(the report reads this workbook)."
        + (
            " This copy holds made-up orders of 40 customers in 3 segments over 2024 and 2025, to try the report."
            if sample
            else ""
        ),
        "L'elenco dei tuoi ordini, uno per riga, da cui clv_xl calcola il valore di ogni cliente "
        "(il report legge questa cartella)."
        + (
            " Questa copia contiene ordini inventati di 40 clienti in 3 segmenti nel 2024 e 2025, "
            "per provare il report."
            if sample
            else ""
        ),
    )
    return about_sheet(
        Text("clv_xl: your orders", "clv_xl: i tuoi ordini"),
        purpose,
        (
            Text(
                f"1. On the {TRANSACTIONS_SHEET.en} sheet type or paste one order per row under the headers "
                f"{column_list.en}. The table grows as you add rows; do not rename the headers.",
                f"1. Nel foglio {TRANSACTIONS_SHEET.it} scrivi o incolla un ordine per riga sotto le intestazioni "
                f"{column_list.it}. La tabella si allarga quando aggiungi righe; non rinominare le intestazioni.",
            ),
            Text(
                "2. customer_id: the same code for every order of a customer; date: a real date; amount: what "
                "was paid, in euro; segment: optional group (e.g. Retail, Wholesale).",
                "2. id_cliente: lo stesso codice per ogni ordine di un cliente; data: una data vera; importo: "
                "quanto è stato pagato, in euro; segmento: gruppo facoltativo (es. Dettaglio, Ingrosso).",
            ),
            Text(
                f"3. On the {PARAMETERS_SHEET.en} sheet fill in the value beside each key:",
                f"3. Nel foglio {PARAMETERS_SHEET.it} compila il valore accanto a ogni chiave:",
            ),
            *parameter_lines,
        ),
        Text(
            "The orders are your own (sales ledger, invoices, e-commerce or CRM export). Document 002 computes "
            "APV, purchase frequency and customer value from exactly these figures and suggests doing it per "
            "segment; document 000 recommends measuring CLV continuously from CRM data; document 003 works "
            "on the margin, hence the margin parameter.",
            "Gli ordini sono i tuoi (registro vendite, fatture, export dell'e-commerce o del CRM). Il documento "
            "002 calcola APV, frequenza di acquisto e valore del cliente proprio da queste cifre e consiglia di "
            "farlo per segmento; il documento 000 consiglia di misurare il CLV con continuità dai dati del CRM; "
            "il documento 003 ragiona sul margine, da qui il parametro margine.",
        ),
    )


def transactions_workbook(sample: bool = False) -> WorkbookSpec:
    """The transactions template, empty or (``sample``) with the illustrative orders."""
    if sample:
        name = Text("clv_data_sample.xlsx", "dati_clv_esempio.xlsx")
        orders, values = sample_orders(), SAMPLE_PARAMETERS
    else:
        name = Text("clv_data.xlsx", "dati_clv.xlsx")
        orders, values = (), _BLANK_PARAMETERS
    return WorkbookSpec(
        name,
        Text("clv_xl: orders", "clv_xl: ordini"),
        (_about(sample), _transactions_sheet(orders), _parameters_sheet(values)),
    )
