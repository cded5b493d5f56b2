"""Catalogue entries of the transaction functions: whole columns of orders in, figures out.

``CLV_SUMMARY``, ``CLV_CUSTOMERS`` and ``CLV_PREDICT`` take the columns of a list of
orders (customer ids, dates, amounts; up to Excel's 1,048,575 rows each, in one call)
and spill a labelled table; ``APV`` and ``REPEAT_RATE`` (foundation functions) get a
one-range form here. Each is a thin face of :mod:`clv_xl.data` (reading the cells)
and :mod:`clv_xl.core.transactions` / :mod:`clv_xl.models` (the computation).

Ranges are read as Excel hands them (lists of rows, None for empty cells, dates as
``datetime``). Fully empty rows are ignored, so whole columns (``A:A``) can be given;
any other bad cell turns the result into one text naming the row of the range, the
argument and the reason.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

# imported as a module: clv_xl.cells imports the catalogue, which imports this module
from clv_xl import cells
from clv_xl.catalogue.spec import Argument, CellEvaluator, ExcelFunction, Text, argument
from clv_xl.core import formulas
from clv_xl.core.checks import FloatArray
from clv_xl.core.transactions import DAYS_PER_YEAR, TIME_UNITS, TOTAL, customer_summary, segment_figures
from clv_xl.data.aliases import TIME_UNIT_ALIASES, canonical_time_unit
from clv_xl.data.transactions import RowProblem, Transactions, TransactionsError, transactions_from_columns
from clv_xl.data.values import EXCEL_EPOCH, is_blank, read_amounts, read_customer_ids
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import Language, message
from clv_xl.models import fit_and_predict_clv, period_rate

if TYPE_CHECKING:
    from clv_xl.cells import CellResult

__all__ = [
    "OMITTED",
    "TRANSACTION_FUNCTIONS",
    "apv_of_orders",
    "customers_of_ranges",
    "one_range_evaluator",
    "predicted_clv_of_ranges",
    "records_table",
    "repeat_rate_of_ids",
    "summary_of_ranges",
    "summary_table",
    "transactions_from_ranges",
]

#: Default of an optional range argument: the function's own evaluator handles its absence.
OMITTED = ""
#: Rows of an error text listed in a cell (the others are counted).
LISTED_IN_A_CELL = 3


_IDS = argument(
    "customer_ids",
    "Column of customer ids, one row per order (text or numbers; 00001 stays 00001).",
    "Colonna dei codici cliente, una riga per ordine (testo o numeri; 00001 resta 00001).",
)
_DATES = argument(
    "dates",
    "Column of order dates, same rows (dates, 31/01/2024 or 2024-01-31).",
    "Colonna delle date degli ordini, stesse righe (date, 31/01/2024 o 2024-01-31).",
)
_AMOUNTS = argument(
    "amounts",
    "Column of order amounts, same rows; negative amounts are refunds.",
    "Colonna degli importi degli ordini, stesse righe; importi negativi sono resi.",
)


def _flat(raw: object) -> list[object]:
    """The cells of a range in reading order (a column: top to bottom)."""
    rows = cells.to_rows(raw)
    if rows and len(rows[0]) == 1:
        return [row[0] if row else None for row in rows]
    return list(chain.from_iterable(rows))


def _omitted(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw == OMITTED)


def _cell_column(raw: object) -> np.ndarray:
    flat = _flat(raw)
    column = np.empty(len(flat), dtype=object)
    column[:] = flat
    return column


def transactions_from_ranges(
    customer_ids: object, dates: object, amounts: object, segments: object = OMITTED
) -> Transactions:
    """Validated transactions from Excel ranges (rows numbered from 1 within the ranges).

    Raises
    ------
    TransactionsError
        Ranges of different sizes, or bad cells (each with its row and argument).
    """
    columns = {"customer_id": _cell_column(customer_ids), "date": _cell_column(dates), "amount": _cell_column(amounts)}
    headers = {"customer_id": _IDS.name, "date": _DATES.name, "amount": _AMOUNTS.name}
    if not _omitted(segments):
        columns["segment"] = _cell_column(segments)
        headers["segment"] = "segments"
    sizes = {len(column) for column in columns.values()}
    if len(sizes) != 1:
        shown = ", ".join(f"{headers[name]} {len(column)}" for name, column in columns.items())
        raise TransactionsError("tx_ranges", sizes=shown)
    rows = np.arange(1, sizes.pop() + 1, dtype=np.int64)
    return transactions_from_columns(columns, headers=headers, rows=rows, source="", on_error="raise")


def _number(argument: Argument, raw: object) -> float:
    """One number from a single-cell argument (an empty cell takes the default)."""
    flat = _flat(raw) if isinstance(raw, (list, tuple)) else [raw]
    value = flat[0] if flat else None
    if value is None or (isinstance(value, str) and not value.strip()):
        if isinstance(argument.default, float):
            return argument.default
        raise ClvError(ExcelErrorCode.VALUE, "empty", argument=argument.name)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise ClvError(ExcelErrorCode.VALUE, "not_a_number", argument=argument.name, value=value)


# ---------------------------------------------------------------- one-range APV and REPEAT_RATE


def _filled(raw: object) -> tuple[np.ndarray, np.ndarray]:
    """The non-empty cells of a range and their row numbers (from 1)."""
    column = _cell_column(raw)
    kept = ~is_blank(column)
    return column[kept], np.flatnonzero(kept) + 1


def _first_problem(reasons: np.ndarray, values: np.ndarray, rows: np.ndarray, name: str) -> None:
    bad = np.flatnonzero(np.not_equal(reasons, None))
    if bad.size:
        problems = [RowProblem(int(rows[i]), name, str(reasons[i]), str(values[i])) for i in bad[:LISTED_IN_A_CELL]]
        raise TransactionsError(
            "tx_bad_rows",
            problems=problems,
            problem_count=int(bad.size),
            count=int(bad.size),
            bad_cells=int(bad.size),
            source="",
        )


def apv_of_orders(revenue: object, purchases: object = OMITTED) -> float | FloatArray:
    """APV from one range of order amounts: their sum / their count (empty cells skipped).

    With ``purchases`` given this is document 002's ``revenue / purchases``.
    """
    if not _omitted(purchases):
        return formulas.apv(revenue, purchases)  # type: ignore[arg-type,return-value]
    values, rows = _filled(revenue)
    amounts, reasons = read_amounts(values)
    _first_problem(reasons, values, rows, "revenue")
    return float(formulas.apv(float(amounts.sum()), float(amounts.size)))


def repeat_rate_of_ids(purchases: object, customers: object = OMITTED) -> float | FloatArray:
    """Repeat rate from one range of customer ids, one per order: orders / distinct ids.

    With ``customers`` given this is document 002's ``purchases / customers``.
    """
    if not _omitted(customers):
        return formulas.repeat_rate(purchases, customers)  # type: ignore[arg-type,return-value]
    values, rows = _filled(purchases)
    ids, reasons = read_customer_ids(values)
    _first_problem(reasons, values, rows, "purchases")
    return float(formulas.repeat_rate(float(ids.size), float(len(set(ids)))))


def one_range_evaluator(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
    """APV and REPEAT_RATE: one range -> the function's one-range form; two -> element-wise, as before."""
    first, second = function.arguments
    if len(raw_arguments) == 2 and not _omitted(raw_arguments[1]):
        both_required = replace(function, arguments=(first, replace(second, default=None)), evaluator=None)
        return cells.evaluate(both_required, raw_arguments, language)
    if len(raw_arguments) not in (1, 2):
        text = message("argument_count", language, function=function.name, expected=2, given=len(raw_arguments))
        return f"{ExcelErrorCode.VALUE.localised(language)} {text}"
    try:
        return float(function.compute(raw_arguments[0]))  # type: ignore[arg-type]
    except ClvError as error:
        return _error_text(error, language)


# ---------------------------------------------------------------- spilled tables


#: Messages about a file's rows, and their wording for the ranges of a function.
_RANGE_KEYS = {"tx_bad_rows": "tx_bad_range_rows", "tx_no_rows": "tx_no_range_rows"}


def _error_text(error: ClvError, language: Language) -> str:
    """The cell text of an error; bad rows of the ranges listed (the first few) with their row numbers."""
    if isinstance(error, TransactionsError) and error.key in _RANGE_KEYS:
        shown = TransactionsError(
            _RANGE_KEYS[error.key],
            problems=error.problems[:LISTED_IN_A_CELL],
            problem_count=error.problem_count,
            **error.params,
        )
        return shown.excel_text(language)
    return error.excel_text(language)


def summary_of_ranges(
    customer_ids: object, dates: object, amounts: object, cac: object = 0.0, segments: object = OMITTED
) -> pd.DataFrame:
    """Document 002's figures of the orders in the ranges (see :func:`clv_xl.core.transactions.segment_figures`)."""
    read = transactions_from_ranges(customer_ids, dates, amounts, segments)
    return segment_figures(customer_summary(read.table), cac=_number(_CAC, cac))


def customers_of_ranges(customer_ids: object, dates: object, amounts: object) -> pd.DataFrame:
    """The per-customer summary (days) of the orders in the ranges (see :func:`customer_summary`)."""
    return customer_summary(transactions_from_ranges(customer_ids, dates, amounts).table)


def _time_unit(raw: object) -> str:
    flat = _flat(raw) if isinstance(raw, (list, tuple)) else [raw]
    value = flat[0] if flat else None
    if value is None or value == OMITTED:
        return "weeks"
    unit = canonical_time_unit(value)
    if unit is None:
        raise ClvError(
            ExcelErrorCode.VALUE,
            "tx_time_unit",
            argument="time_unit",
            value=value,
            units=", ".join(f"{names[0]}/{names[1]}" for names in TIME_UNIT_ALIASES.values()),
        )
    return unit


def predicted_clv_of_ranges(
    customer_ids: object,
    dates: object,
    amounts: object,
    horizon: object,
    discount_rate: object,
    time_unit: object = OMITTED,
) -> pd.DataFrame:
    """Per-customer predicted CLV: the summary of the orders fed to :func:`clv_xl.models.fit_and_predict_clv`.

    ``horizon`` is in ``time_unit`` (default weeks); ``discount_rate`` is YEARLY and
    converted to the time unit with :func:`clv_xl.models.period_rate`.
    """
    unit = _time_unit(time_unit)
    periods_per_year = DAYS_PER_YEAR / TIME_UNITS[unit]
    yearly = _number(_DISCOUNT, discount_rate)
    formulas.annuity_factor(1.0, yearly)  # checks the rate: a number >= 0
    summary = customer_summary(transactions_from_ranges(customer_ids, dates, amounts).table, time_unit=unit)  # type: ignore[arg-type]
    forecast = fit_and_predict_clv(
        summary["frequency"],
        summary["recency"],
        summary["T"],
        summary["monetary_value"],
        horizon=_number(_HORIZON, horizon),
        discount_rate=period_rate(yearly, periods_per_year),
    )
    prediction = forecast.prediction
    table = summary[["customer_id", "frequency", "recency", "T", "monetary_value"]].copy()
    table["expected_purchases"] = prediction.expected_purchases
    table["probability_alive"] = prediction.probability_alive
    table["expected_spend"] = prediction.expected_spend
    table["clv"] = prediction.clv
    return table


#: Labels of the figures CLV_SUMMARY spills, one row each.
SUMMARY_LABELS: dict[str, Text] = {
    "customers": Text("customers", "clienti"),
    "purchases": Text("purchases", "acquisti"),
    "revenue": Text("revenue", "ricavi"),
    "apv": Text("APV (average purchase value)", "APV (valore medio di acquisto)"),
    "repeat_rate": Text("repeat rate (purchases per customer)", "tasso di riacquisto (acquisti per cliente)"),
    "years_observed": Text("years observed", "anni osservati"),
    "purchases_per_year": Text("purchases per customer per year", "acquisti per cliente all'anno"),
    "customer_value_per_year": Text("customer value per year", "valore del cliente all'anno"),
    "lifespan_years": Text("lifespan, years (observed tenure)", "durata, anni (permanenza osservata)"),
    "cac": Text("CAC", "CAC"),
    "clv": Text("CLV", "CLV"),
    "clv_weighted_average": Text(
        "CLV, average of segments weighted by customers", "CLV, media dei segmenti pesata per clienti"
    ),
}
#: Column headings of CLV_CUSTOMERS and CLV_PREDICT.
CUSTOMER_LABELS: dict[str, Text] = {
    "customer_id": Text("customer", "cliente"),
    "orders": Text("orders", "ordini"),
    "first_purchase": Text("first purchase", "primo acquisto"),
    "last_purchase": Text("last purchase", "ultimo acquisto"),
    "revenue": Text("revenue", "ricavi"),
    "average_order_value": Text("average order value", "valore medio ordine"),
    "tenure": Text("tenure, days", "permanenza, giorni"),
    "frequency": Text("frequency", "frequency"),
    "recency": Text("recency", "recency"),
    "T": Text("T", "T"),
    "monetary_value": Text("monetary_value", "monetary_value"),
    "expected_purchases": Text("expected purchases", "acquisti attesi"),
    "probability_alive": Text("P(alive)", "P(attivo)"),
    "expected_spend": Text("expected spend per purchase", "spesa attesa per acquisto"),
    "clv": Text("predicted CLV", "CLV prevista"),
}
_FIGURE = Text("figure", "indicatore")
_TOTAL = Text("total", "totale")
_NO_SEGMENT = Text("(no segment)", "(senza segmento)")

Cell = float | str
#: Day 0 of Excel's dates: spilled dates are serial numbers (format the cells as dates).
_EXCEL_DAY_ZERO = pd.Timestamp(EXCEL_EPOCH)


def _cell(value: object) -> Cell:
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return (pd.Timestamp(value) - _EXCEL_DAY_ZERO) / pd.Timedelta(days=1)
    if isinstance(value, (numbers.Integral, numbers.Real)) and not isinstance(value, bool):
        return float(value)  # type: ignore[arg-type]
    return "" if value is None else str(value)


def summary_table(figures: pd.DataFrame, language: Language) -> list[list[Cell]]:
    """The labelled table CLV_SUMMARY spills: a heading row, then one row per figure."""
    names = [_TOTAL(language) if s == TOTAL else (s or _NO_SEGMENT(language)) for s in figures.index]
    rows: list[list[Cell]] = [[_FIGURE(language), *names]]
    for column, label in SUMMARY_LABELS.items():
        values = [_cell(v) for v in figures[column]]
        if column == "clv_weighted_average":
            values = ["" if s != TOTAL else v for s, v in zip(figures.index, values, strict=True)]
        rows.append([label(language), *values])
    return rows


def _column_cells(column: pd.Series) -> list[Cell]:
    """A column as cell values: dates as Excel serials, numbers as floats, the rest as text."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return ((column - _EXCEL_DAY_ZERO) / pd.Timedelta(days=1)).tolist()  # type: ignore[no-any-return]
    if pd.api.types.is_numeric_dtype(column):
        return column.astype(np.float64).tolist()  # type: ignore[no-any-return]
    return [_cell(value) for value in column]


def records_table(table: pd.DataFrame, language: Language) -> list[list[Cell]]:
    """A heading row of labels, then one row per customer."""
    columns = [c for c in table.columns if c in CUSTOMER_LABELS]
    heading: list[Cell] = [CUSTOMER_LABELS[c](language) for c in columns]
    body = zip(*(_column_cells(table[c]) for c in columns), strict=True)
    return [heading, *map(list, body)]


def _table_evaluator(render: Callable[[pd.DataFrame, Language], list[list[Cell]]]) -> CellEvaluator:
    """Evaluator: compute a DataFrame from the raw ranges and spill it, labelled in the user's language."""

    def evaluator(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
        required = sum(1 for a in function.arguments if not a.optional)
        if not required <= len(raw_arguments) <= len(function.arguments):
            text = message(
                "argument_count",
                language,
                function=function.name,
                expected=len(function.arguments),
                given=len(raw_arguments),
            )
            return f"{ExcelErrorCode.VALUE.localised(language)} {text}"
        try:
            frame = function.compute(*raw_arguments)
        except ClvError as error:
            return _error_text(error, language)
        return render(frame, language)  # type: ignore[return-value]

    return evaluator


_CAC = argument(
    "cac",
    "Customer acquisition cost, € per new customer. Default 0.",
    "Costo di acquisizione del cliente, € per nuovo cliente. Predefinito 0.",
    0.0,
)
_SEGMENTS = argument(
    "segments",
    "Optional column of segments, same rows; a customer belongs to the segment of their first order.",
    "Colonna facoltativa dei segmenti, stesse righe; un cliente appartiene al segmento del primo ordine.",
    OMITTED,
)
_HORIZON = argument(
    "horizon",
    "Number of future periods to predict, in time_unit (e.g. 52 weeks).",
    "Numero di periodi futuri da prevedere, in time_unit (es. 52 settimane).",
)
_DISCOUNT = argument(
    "discount_rate",
    "YEARLY discount rate, e.g. 0.08 (converted to the time unit).",
    "Tasso di sconto ANNUO, es. 0,08 (convertito nell'unità di tempo).",
)
_TIME_UNIT = argument(
    "time_unit",
    '"weeks" (default), "days" or "months" (also settimane, giorni, mesi): calendar periods of the summary.',
    '"settimane" (predefinito), "giorni" o "mesi" (anche weeks, days, months): periodi del riepilogo.',
    OMITTED,
)
_BTYD = Text(
    "frequency = purchase periods − 1, recency and T in periods, as lifetimes' summary_data_from_transaction_data.",
    "frequency = periodi di acquisto − 1, recency e T in periodi, come summary_data_from_transaction_data "
    "di lifetimes.",
)

TRANSACTION_FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="CLV_SUMMARY",
        compute=summary_of_ranges,
        arguments=(_IDS, _DATES, _AMOUNTS, _CAC, _SEGMENTS),
        summary=Text(
            "Document 002's figures from a list of orders: spills customers, purchases, APV, repeat rate, "
            "value per year, lifespan and CLV, per segment and in total.",
            "Gli indicatori del documento 002 da un elenco di ordini: restituisce clienti, acquisti, APV, tasso di "
            "riacquisto, valore annuo, durata e CLV, per segmento e in totale.",
        ),
        formula="CLV = APV × purchases/customer/year × lifespan − CAC",
        source=Text("Document 002, per segment then weighted.", "Documento 002, per segmento poi ponderato."),
        extra_help=Text(
            "Lifespan is the observed average tenure (underestimates a young base); years observed run from the "
            "first order to the last. Empty rows are skipped.",
            "La durata è la permanenza media osservata (sottostima una base giovane); gli anni osservati vanno dal "
            "primo all'ultimo ordine. Le righe vuote sono ignorate.",
        ),
        evaluator=_table_evaluator(summary_table),
    ),
    ExcelFunction(
        name="CLV_CUSTOMERS",
        compute=customers_of_ranges,
        arguments=(_IDS, _DATES, _AMOUNTS),
        summary=Text(
            "Per-customer table from a list of orders: orders, first and last purchase, revenue, average order, "
            "tenure, and frequency, recency, T, monetary_value in days.",
            "Tabella per cliente da un elenco di ordini: ordini, primo e ultimo acquisto, ricavi, ordine medio, "
            "permanenza, e frequency, recency, T, monetary_value in giorni.",
        ),
        formula="frequency = purchase days − 1; recency = last − first; T = end − first",
        source=Text("Fader, Hardie and Lee (2005); lifetimes.", "Fader, Hardie e Lee (2005); lifetimes."),
        extra_help=_BTYD,
        evaluator=_table_evaluator(records_table),
    ),
    ExcelFunction(
        name="CLV_PREDICT",
        compute=predicted_clv_of_ranges,
        arguments=(_IDS, _DATES, _AMOUNTS, _HORIZON, _DISCOUNT, _TIME_UNIT),
        summary=Text(
            "Predicted CLV of each customer from a list of orders: fits BG/NBD and Gamma-Gamma and spills "
            "expected purchases, P(alive), expected spend and CLV over the horizon.",
            "CLV prevista di ogni cliente da un elenco di ordini: stima BG/NBD e Gamma-Gamma e restituisce "
            "acquisti attesi, P(attivo), spesa attesa e CLV sull'orizzonte.",
        ),
        formula="CLV = Σ E[purchases in period k] × E[spend] / (1 + d)^k",
        source=Text(
            "Fader, Hardie and Lee (2005); Fader and Hardie, note 025.",
            "Fader, Hardie e Lee (2005); Fader e Hardie, nota 025.",
        ),
        extra_help=_BTYD,
        evaluator=_table_evaluator(records_table),
    ),
)
