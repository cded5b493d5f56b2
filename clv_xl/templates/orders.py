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

from clv_xl.addin import RIBBON_BUTTONS
from clv_xl.data.values import EXCEL_EPOCH
from clv_xl.i18n import Text
from clv_xl.templates.about import about_sheet, source_lines
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
    kind: str, operator: str | None, minimum: str | None, maximum: str | None, title: Text, help: Text, error: Text
) -> Validation:
    return Validation(kind, operator, minimum, maximum, title, help, error)


_RATE_ERROR = Text("Type a rate between 0 % and 100 %.", "Scrivi un tasso tra 0 % e 100 %.")
_KEYS = dict(
    zip(("cac", "margin", "discount_rate", "observation_end", "currency", "annual_churn"), PARAMETER_KEYS, strict=True)
)
#: The title of each parameter's input message: what the key stands for, in words.
_TITLES = {
    "cac": Text("CAC: acquisition cost", "CAC: costo di acquisizione"),
    "margin": Text("Gross margin", "Margine lordo"),
    "discount_rate": Text("Yearly discount rate", "Tasso di attualizzazione annuo"),
    "observation_end": Text("End of the observed period", "Fine del periodo osservato"),
    "currency": Text("Currency", "Valuta"),
    "annual_churn": Text("Yearly churn (optional)", "Abbandono annuo (facoltativo)"),
}
_PARAMETER_HELP = {
    "cac": Text(
        "Customer acquisition cost: marketing and sales spend ÷ new customers, €.",
        "Costo di acquisizione del cliente: spesa di marketing e vendite ÷ nuovi clienti, €.",
    ),
    "margin": Text(
        "Gross margin as a share of revenue, e.g. 35 %.", "Margine lordo come quota dei ricavi, ad es. 35 %."
    ),
    "discount_rate": Text(
        "Yearly discount rate, e.g. 8 %; 0 not to discount.",
        "Tasso di attualizzazione annuo, ad es. 8 %; 0 per non attualizzare.",
    ),
    "observation_end": Text(
        "Last day of the period the orders cover.", "Ultimo giorno del periodo coperto dagli ordini."
    ),
    "currency": Text("Currency of the amounts, e.g. EUR.", "Valuta degli importi, ad es. EUR."),
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
            _TITLES["cac"],
            _PARAMETER_HELP["cac"],
            Text("Type an amount of 0 or more.", "Scrivi un importo maggiore o uguale a 0."),
        ),
    ),
    _Parameter(
        _KEYS["margin"],
        _PARAMETER_HELP["margin"],
        "input_rate",
        _rule("decimal", "between", "0", "1", _TITLES["margin"], _PARAMETER_HELP["margin"], _RATE_ERROR),
    ),
    _Parameter(
        _KEYS["discount_rate"],
        _PARAMETER_HELP["discount_rate"],
        "input_rate",
        _rule("decimal", "between", "0", "1", _TITLES["discount_rate"], _PARAMETER_HELP["discount_rate"], _RATE_ERROR),
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
            _TITLES["observation_end"],
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
            _TITLES["currency"],
            _PARAMETER_HELP["currency"],
            Text("Type a currency code such as EUR.", "Scrivi un codice di valuta come EUR."),
        ),
    ),
    _Parameter(
        _KEYS["annual_churn"],
        _PARAMETER_HELP["annual_churn"],
        "input_rate",
        _rule("decimal", "between", "0", "1", _TITLES["annual_churn"], _PARAMETER_HELP["annual_churn"], _RATE_ERROR),
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
        "between",
        "-1000000000",
        "1000000000",
        Text("Order amount", "Importo dell'ordine"),
        Text(
            "What the customer paid for the order, €; a refund is a negative amount.",
            "Quanto ha pagato il cliente per l'ordine, €; un reso è un importo negativo.",
        ),
        Text(
            "Type an amount in euro (negative for a refund).",
            "Scrivi un importo in euro (negativo per un reso).",
        ),
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
        print_title_rows="1:1",
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
                "Keep one key and its value per row, nothing else on the row. Selecting a value shows what it "
                "means; so does the list below.",
                "Una chiave e il suo valore per riga, nient'altro sulla riga. Selezionando un valore se ne vede il "
                "significato; lo dice anche l'elenco qui sotto.",
            ),
            "note",
            merge_to=f"D{note_row}",
        )
    )
    # what each key means, one text per row (a row with a single filled cell is no parameter to a reader)
    cells.append(Cell(f"A{note_row + 2}", Text("What each key means", "Che cosa significa ogni chiave"), "heading"))
    for offset, (name, key) in enumerate(_KEYS.items(), start=note_row + 3):
        explained = Text(f"{key.en}: {_PARAMETER_HELP[name].en}", f"{key.it}: {_PARAMETER_HELP[name].it}")
        cells.append(Cell(f"A{offset}", explained, "label", merge_to=f"D{offset}"))
    return Sheet(PARAMETERS_SHEET, tuple(cells), column_widths={"A": 24, "B": 18, "C": 18, "D": 18})


#: The file names of the empty template and of the sample.
_FILE_NAMES = {
    False: Text("clv_data.xlsx", "dati_clv.xlsx"),
    True: Text("clv_data_sample.xlsx", "dati_clv_esempio.xlsx"),
}
#: The ribbon button that makes the report from the open workbook.
_REPORT_BUTTON = next(button.label for button in RIBBON_BUTTONS if button.id == "clvReport")


def _about(sample: bool) -> Sheet:
    column_list = Text(", ".join(c.en for c in TRANSACTION_COLUMNS), ", ".join(c.it for c in TRANSACTION_COLUMNS))
    parameter_lines = tuple(
        Text(f"   – {key.en}: {_PARAMETER_HELP[name].en}", f"   – {key.it}: {_PARAMETER_HELP[name].it}")
        for name, key in _KEYS.items()
    )
    names = {language: _FILE_NAMES[sample](language) for language in ("en", "it")}
    purpose = Text(
        "The list of your orders, one per row, from which clv_xl computes each customer's value and the CLV "
        "report."
        + (
            " This copy holds made-up orders of 40 customers in 3 segments over 2024 and 2025, to try the report."
            if sample
            else ""
        ),
        "L'elenco dei tuoi ordini, uno per riga, da cui clv_xl calcola il valore di ogni cliente e il report "
        "CLV."
        + (
            " Questa copia contiene ordini inventati di 40 clienti in 3 segmenti nel 2024 e nel 2025, "
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
                "was paid, in euro (a refund is a negative amount); segment: optional group (e.g. Retail, "
                "Wholesale).",
                "2. id_cliente: lo stesso codice per ogni ordine di un cliente; data: una data vera; importo: "
                "quanto è stato pagato, in euro (un reso è un importo negativo); segmento: gruppo facoltativo "
                "(ad es. Dettaglio, Ingrosso).",
            ),
            Text(
                f"3. On the {PARAMETERS_SHEET.en} sheet fill in the value beside each key:",
                f"3. Nel foglio {PARAMETERS_SHEET.it} compila il valore accanto a ogni chiave:",
            ),
            *parameter_lines,
            Text(
                "4. Make the report: in Excel with the clv_xl add-in, open this workbook and click "
                f'"{_REPORT_BUTTON.en}" on the CLV tab of the ribbon (the report is added to the workbook); '
                "or, on the command line, "
                f"clv-xl report {names['en']} -o clv_report.xlsx (a new workbook; this one is only read).",
                "4. Crea il report: in Excel con il componente clv_xl, apri questa cartella e fai clic su "
                f"«{_REPORT_BUTTON.it}» nella scheda CLV della barra multifunzione (il report si aggiunge alla "
                f"cartella); oppure, dal prompt dei comandi, clv-xl report {names['it']} -o rapporto_clv.xlsx "
                "(una nuova cartella; questa viene solo letta).",
            ),
        ),
        (
            Text(
                "The orders are your own (sales ledger, invoices, e-commerce or CRM export). From these articles:",
                "Gli ordini sono i tuoi (registro delle vendite, fatture, esportazione dell'e-commerce o del CRM). "
                "Da questi articoli:",
            ),
            *source_lines(
                (
                    "002",
                    Text(
                        "APV, purchase frequency and customer value computed from exactly these figures, per segment",
                        "APV, frequenza di acquisto e valore del cliente calcolati proprio da queste cifre, per "
                        "segmento",
                    ),
                ),
                (
                    "000",
                    Text(
                        "measure CLV continuously from the data of the CRM",
                        "misurare il CLV con continuità dai dati del CRM",
                    ),
                ),
                (
                    "003",
                    Text(
                        "CLV on the margin, hence the margin parameter",
                        "il CLV sul margine, da qui il parametro margine",
                    ),
                ),
            ),
        ),
    )


def transactions_workbook(sample: bool = False) -> WorkbookSpec:
    """The transactions template, empty or (``sample``) with the illustrative orders."""
    if sample:
        orders, values = sample_orders(), SAMPLE_PARAMETERS
    else:
        orders, values = (), _BLANK_PARAMETERS
    return WorkbookSpec(
        _FILE_NAMES[sample],
        Text("clv_xl: orders", "clv_xl: ordini"),
        (_about(sample), _transactions_sheet(orders), _parameters_sheet(values)),
    )
