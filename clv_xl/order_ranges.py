"""Orders given as Excel ranges: read them, compute with the core, spill labelled tables.

The machinery behind the order functions of the catalogue
(:mod:`clv_xl.catalogue.order_functions`): ``CLV_SUMMARY``, ``CLV_CUSTOMERS`` and
``CLV_PREDICT`` take the columns of a list of orders (customer ids, dates, amounts; up
to Excel's 1,048,575 rows each, in one call) and spill a labelled table;
``RETENTION_COHORTS`` and ``CHURN_RATE`` take customer ids and dates only; ``APV`` and
``REPEAT_RATE`` get a one-range form. Reading the cells is :mod:`clv_xl.data`'s, the
computation :mod:`clv_xl.core.summaries`' and :mod:`clv_xl.models`'.

Ranges are read as Excel hands them (lists of rows, None for empty cells, dates as
``datetime``). Fully empty rows are ignored and a header row (the first non-empty row,
when its cells name the columns: ``customer_id``, ``data``, ``importo``...) is skipped,
so whole columns (``A:A`` of the orders template) can be given; any other bad cell
turns the result into one text naming the row of the range, the argument and the reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd

from clv_xl import cells
from clv_xl.core import formulas
from clv_xl.core.checks import FloatArray
from clv_xl.core.churn import CHURN_METHOD, ChurnEstimate, estimate_churn, estimate_churn_by_group
from clv_xl.core.cohorts import COHORT_PERIOD_NAMES, CohortTables, cohort_period, cohort_tables
from clv_xl.core.summaries import TOTAL, customer_summary, segment_figures
from clv_xl.data.aliases import TIME_UNIT_ALIASES, canonical_column, canonical_time_unit
from clv_xl.data.validation import (
    HEADER_SEARCH_ROWS,
    RowProblem,
    Transactions,
    TransactionsError,
    shown,
    transactions_from_columns,
)
from clv_xl.data.values import is_blank, is_none, read_amounts, read_customer_ids
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.function_spec import CellResult, CellValue, ExcelFunction
from clv_xl.i18n import Language, Text
from clv_xl.models.forecast import forecast_customers
from clv_xl.models.purchase_models import MODEL_KEYS, ModelKey, model_key

__all__ = [
    "CUSTOMER_LABELS",
    "OMITTED",
    "SUMMARY_LABELS",
    "apv_of_orders",
    "churn_evaluator",
    "churn_of_ranges",
    "churn_table",
    "cohort_evaluator",
    "cohort_table",
    "cohorts_of_ranges",
    "customers_of_ranges",
    "one_range_evaluator",
    "predicted_clv_of_ranges",
    "prediction_evaluator",
    "prediction_table",
    "range_error_text",
    "records_evaluator",
    "records_table",
    "repeat_rate_of_ids",
    "summary_of_ranges",
    "summary_evaluator",
    "summary_table",
    "transactions_from_ranges",
]

#: Default of an optional range argument: the function's own evaluator handles its absence.
OMITTED = ""
#: Rows of an error text listed in a cell (the others are counted).
LISTED_IN_A_CELL = 3


def _omitted(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw == OMITTED)


def _cell_column(raw: object) -> np.ndarray:
    flat = cells.flat_cells(raw)
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
    headers = {"customer_id": "customer_ids", "date": "dates", "amount": "amounts"}
    if not _omitted(segments):
        columns["segment"] = _cell_column(segments)
        headers["segment"] = "segments"
    sizes = {len(column) for column in columns.values()}
    if len(sizes) != 1:
        described = ", ".join(f"{headers[name]} {len(column)}" for name, column in columns.items())
        raise TransactionsError("tx_ranges", sizes=described)
    rows = np.arange(1, sizes.pop() + 1, dtype=np.int64)
    below = _below_header(columns)
    if below:
        columns = {name: column[below:] for name, column in columns.items()}
        rows = rows[below:]
    return transactions_from_columns(columns, headers=headers, rows=rows, source="", on_error="raise")


def orders_from_ranges(customer_ids: object, dates: object) -> Transactions:
    """Validated orders from ranges of customer ids and dates only (amounts taken as 0).

    A row is empty when both its cells are; a first row naming the columns is skipped
    (:func:`_below_header`); any other bad cell is reported with its row.
    """
    ids, days = _cell_column(customer_ids), _cell_column(dates)
    if len(ids) != len(days):
        raise TransactionsError("tx_ranges", sizes=f"customer_ids {len(ids)}, dates {len(days)}")
    rows = np.arange(1, len(ids) + 1, dtype=np.int64)
    below = _below_header({"customer_id": ids, "date": days})
    ids, days, rows = ids[below:], days[below:], rows[below:]
    amounts = np.full(len(ids), 0.0, dtype=object)
    amounts[is_blank(ids) & is_blank(days)] = None
    columns = {"customer_id": ids, "date": days, "amount": amounts}
    headers = {"customer_id": "customer_ids", "date": "dates", "amount": "amounts"}
    return transactions_from_columns(columns, headers=headers, rows=rows, source="", on_error="raise")


def _below_header(columns: dict[str, np.ndarray]) -> int:
    """Where the data start: below the first non-empty row when it is a header row, else 0.

    The first non-empty row is a header when each range's cell there names that range's
    column (``customer_id``/``id_cliente``, ``date``/``data``, ``amount``/``importo``...,
    the aliases of :mod:`clv_xl.data.aliases`): what ``A:A`` of an orders sheet starts
    with. One rule for every order function, so that the README's whole-column examples
    give the answers of the data alone.
    """
    length = len(next(iter(columns.values())))
    for index in range(min(length, HEADER_SEARCH_ROWS)):
        row = {name: column[index] for name, column in columns.items()}
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row.values()):
            continue
        named = all(isinstance(cell, str) and canonical_column(cell) == name for name, cell in row.items())
        return index + 1 if named else 0
    return 0


# ---------------------------------------------------------------- one-range APV and REPEAT_RATE


def _filled(raw: object, column_name: str) -> tuple[np.ndarray, np.ndarray]:
    """The non-empty cells of a range and their row numbers (from 1), below its header if it has one.

    ``column_name`` is the column the range holds (``"amount"``, ``"customer_id"``): a
    first non-empty cell that names it is a header (see :func:`_below_header`).
    """
    column = _cell_column(raw)
    below = _below_header({column_name: column})
    kept = ~is_blank(column[below:])
    return column[below:][kept], np.flatnonzero(kept) + 1 + below


def _first_problem(reasons: np.ndarray, values: np.ndarray, rows: np.ndarray, name: str) -> None:
    bad = np.flatnonzero(~is_none(reasons))
    if bad.size:
        problems = [RowProblem(int(rows[i]), name, str(reasons[i]), shown(values[i])) for i in bad[:LISTED_IN_A_CELL]]
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
        return formulas.apv(revenue, purchases)  # type: ignore[arg-type]  # cells: checked by apv
    values, rows = _filled(revenue, "amount")
    amounts, reasons = read_amounts(values)
    _first_problem(reasons, values, rows, "revenue")
    return float(formulas.apv(float(amounts.sum()), float(amounts.size)))


def repeat_rate_of_ids(purchases: object, customers: object = OMITTED) -> float | FloatArray:
    """Repeat rate from one range of customer ids, one per order: orders / distinct ids.

    With ``customers`` given this is document 002's ``purchases / customers``.
    """
    if not _omitted(customers):
        return formulas.repeat_rate(purchases, customers)  # type: ignore[arg-type]  # cells: checked by repeat_rate
    values, rows = _filled(purchases, "customer_id")
    ids, reasons = read_customer_ids(values)
    _first_problem(reasons, values, rows, "purchases")
    return float(formulas.repeat_rate(float(ids.size), float(len(set(ids)))))


def one_range_evaluator(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
    """APV and REPEAT_RATE: one range -> the function's one-range form; two -> element-wise, as before."""
    first, second = function.arguments
    if len(raw_arguments) == 2 and not _omitted(raw_arguments[1]):
        both_required = replace(function, arguments=(first, replace(second, default=None)), evaluator=None)
        return cells.evaluate(both_required, raw_arguments, language)
    problem = cells.argument_count_text(function, len(raw_arguments), language)
    if problem is not None:
        return problem
    try:
        return float(function.compute(raw_arguments[0]))  # type: ignore[arg-type]
    except ClvError as error:
        return range_error_text(error, language)


# ---------------------------------------------------------------- spilled tables


#: Messages about a file's rows, and their wording for the ranges of a function.
_RANGE_KEYS = {"tx_bad_rows": "tx_bad_range_rows", "tx_no_rows": "tx_no_range_rows"}


def range_error_text(error: ClvError, language: Language) -> str:
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
    customer_ids: object,
    dates: object,
    amounts: object,
    cac: object = 0.0,
    segments: object = OMITTED,
    annual_churn: object = OMITTED,
) -> pd.DataFrame:
    """Document 002's figures of the orders in the ranges (see :func:`clv_xl.core.summaries.segment_figures`).

    The lifespan follows the order of precedence of :func:`clv_xl.core.churn.choose_lifespan`:
    ``annual_churn`` when given, else the churn estimated from the orders (per segment),
    else the observed tenure (a lower bound).
    """
    read = transactions_from_ranges(customer_ids, dates, amounts, segments)
    summary = customer_summary(read.table)
    churn = None if _omitted(annual_churn) else cells.single_number(annual_churn, "annual_churn")
    groups = dict(zip(summary["customer_id"], summary["segment"], strict=True)) if "segment" in summary else None
    estimates = estimate_churn_by_group(read.table, groups)
    return segment_figures(
        summary, cac=cells.single_number(cac, "cac", 0.0), annual_churn=churn, churn_estimates=estimates
    )


def customers_of_ranges(customer_ids: object, dates: object, amounts: object) -> pd.DataFrame:
    """The per-customer summary (days) of the orders in the ranges (see :func:`customer_summary`)."""
    return customer_summary(transactions_from_ranges(customer_ids, dates, amounts).table)


def _time_unit(raw: object) -> str:
    value = cells.first_cell(raw)
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


def _model_choice(raw: object) -> ModelKey | Literal["auto"]:
    value = cells.first_cell(raw)
    if value is None or (isinstance(value, str) and value.strip() in ("", OMITTED)):
        return "auto"
    if isinstance(value, str) and value.strip().lower() in ("auto", "automatico", "automatic"):
        return "auto"
    key = model_key(value)
    if key is None:
        raise ClvError(
            ExcelErrorCode.VALUE, "model_unknown", argument="model", value=value, known=", ".join((*MODEL_KEYS, "auto"))
        )
    return key


def predicted_clv_of_ranges(
    customer_ids: object,
    dates: object,
    amounts: object,
    horizon: object,
    discount_rate: object,
    time_unit: object = OMITTED,
    model: object = OMITTED,
) -> pd.DataFrame:
    """Every customer's predicted CLV from the orders in the ranges (:func:`clv_xl.models.forecast.forecast_customers`).

    ``horizon`` is in ``time_unit`` (default weeks); ``discount_rate`` is YEARLY and
    converted to the time unit; ``model`` is ``auto`` (the stated rule of
    :mod:`clv_xl.models.choice`) or one of bgnbd, mbgnbd, pareto. The chosen model's
    name is in the column ``model``; when the spend model cannot be fitted, its reason
    is in ``attrs["spend_problem"]``.
    """
    unit = _time_unit(time_unit)
    yearly = cells.single_number(discount_rate, "discount_rate")
    formulas.annuity_factor(1.0, yearly)  # checks the rate: a number >= 0
    forecast = forecast_customers(
        transactions_from_ranges(customer_ids, dates, amounts).table,
        horizon=cells.single_number(horizon, "horizon"),
        time_unit=unit,  # type: ignore[arg-type]
        yearly_discount_rate=yearly,
        model=_model_choice(model),
    )
    columns = ["customer_id", "frequency", "recency", "T", "monetary_value"]
    table = forecast.customers[[*columns, "expected_purchases", "probability_alive", "expected_spend", "clv"]].copy()
    table["model"] = forecast.choice.name
    table.attrs["spend_problem"] = forecast.spend_problem
    return table


def cohorts_of_ranges(customer_ids: object, dates: object, period: object = OMITTED) -> CohortTables:
    """Cohort retention of the orders in the ranges (see :func:`clv_xl.core.cohorts.cohort_tables`)."""
    chosen = cohort_period(None if _omitted(period) else cells.first_cell(period))
    return cohort_tables(orders_from_ranges(customer_ids, dates).table, period=chosen)


def churn_of_ranges(customer_ids: object, dates: object) -> ChurnEstimate:
    """The yearly churn of the orders in the ranges (see :func:`clv_xl.core.churn.estimate_churn`).

    Raises
    ------
    ClvError
        ``#N/A`` with the reason when the orders do not show it (too short a span, too
        few customers, nobody lost).
    """
    estimate = estimate_churn(orders_from_ranges(customer_ids, dates).table)
    if estimate.problem is not None:
        raise estimate.problem
    return estimate


#: Labels of the figures CLV_SUMMARY spills, one row each.
SUMMARY_LABELS: dict[str, Text] = {
    "customers": Text("customers", "clienti"),
    "purchases": Text("purchases", "acquisti"),
    "revenue": Text("revenue", "ricavi"),
    "apv": Text("APV (average purchase value)", "APV (valore medio di acquisto)"),
    "repeat_rate": Text("repeat rate (purchases per customer)", "acquisti per cliente nel periodo"),
    "years_observed": Text("years observed", "anni osservati"),
    "purchases_per_year": Text("purchases per customer per year", "acquisti per cliente all'anno"),
    "customer_value_per_year": Text("customer value per year", "valore del cliente all'anno"),
    "lifespan_years": Text("lifespan, years", "durata, anni"),
    "annual_churn": Text("yearly churn", "abbandono annuo"),
    "lifespan_from": Text("lifespan from", "origine della durata"),
    "cac": Text("CAC", "CAC"),
    "clv": Text("CLV", "CLV"),
    "clv_weighted_average": Text(
        "CLV, average of segments weighted by customers", "CLV, media dei segmenti ponderata per numero di clienti"
    ),
}
#: Column headings of CLV_CUSTOMERS and CLV_PREDICT.
CUSTOMER_LABELS: dict[str, Text] = {
    "customer_id": Text("customer", "cliente"),
    "orders": Text("orders", "ordini"),
    "first_purchase": Text("first purchase", "primo acquisto"),
    "last_purchase": Text("last purchase", "ultimo acquisto"),
    "revenue": Text("revenue", "ricavi"),
    "average_order_value": Text("average order value", "valore medio dell'ordine"),
    "tenure": Text("tenure, days", "permanenza, giorni"),
    "frequency": Text("frequency", "acquisti ripetuti (frequency)"),
    "recency": Text("recency", "dal primo all'ultimo acquisto (recency)"),
    "T": Text("T", "dal primo acquisto alla fine (T)"),
    "monetary_value": Text("monetary_value", "spesa media ripetuta (monetary_value)"),
    "expected_purchases": Text("expected purchases", "acquisti attesi"),
    "probability_alive": Text("P(alive)", "probabilità che sia ancora attivo"),
    "expected_spend": Text("expected spend per purchase", "spesa attesa per acquisto"),
    "clv": Text("predicted CLV", "CLV previsto"),
    "model": Text("model", "modello"),
}
_FIGURE = Text("figure", "indicatore")
#: How CLV_SUMMARY says where each lifespan comes from.
_LIFESPAN_FROM = {
    "churn": Text("1 / your churn", "1 / abbandono indicato"),
    "estimate": Text("1 / churn estimated from the orders", "1 / abbandono stimato dagli ordini"),
    "tenure": Text("observed tenure: a lower bound", "permanenza osservata: limite inferiore"),
}
_TOTAL = Text("total", "totale")
_NO_SEGMENT = Text("(no segment)", "(senza segmento)")


def summary_table(figures: pd.DataFrame, language: Language) -> list[list[CellValue]]:
    """The labelled table CLV_SUMMARY spills: a heading row, then one row per figure."""
    names = [_TOTAL(language) if s == TOTAL else (s or _NO_SEGMENT(language)) for s in figures.index]
    rows: list[list[CellValue]] = [[_FIGURE(language), *names]]
    for column, label in SUMMARY_LABELS.items():
        values = [cells.to_cell(v) for v in figures[column]]
        if column == "annual_churn":
            values = ["" if math.isnan(float(v)) else v for v in figures[column]]
        if column == "lifespan_from":
            values = [_LIFESPAN_FROM[str(v)](language) for v in figures[column]]
        if column == "clv_weighted_average":
            values = ["" if s != TOTAL else v for s, v in zip(figures.index, values, strict=True)]
        rows.append([label(language), *values])
    return rows


def records_table(table: pd.DataFrame, language: Language) -> list[list[CellValue]]:
    """A heading row of labels, then one row per customer."""
    columns = [c for c in table.columns if c in CUSTOMER_LABELS]
    heading: list[CellValue] = [CUSTOMER_LABELS[c](language) for c in columns]
    body = zip(*(cells.column_cells(table[c]) for c in columns), strict=True)
    return [heading, *map(list, body)]


def prediction_table(table: pd.DataFrame, language: Language) -> list[list[CellValue]]:
    """CLV_PREDICT's table: :func:`records_table`, with the spend model's problem in its cells when it failed."""
    rows = records_table(table, language)
    problem = table.attrs.get("spend_problem")
    if isinstance(problem, ClvError):
        heading = rows[0]
        spend_columns = [heading.index(CUSTOMER_LABELS[c](language)) for c in ("expected_spend", "clv")]
        text = problem.excel_text(language)
        for row in rows[1:]:
            for column in spend_columns:
                row[column] = text
    return rows


_COHORT = Text("cohort start", "inizio coorte")
_COHORT_CUSTOMERS = Text("customers", "clienti")


def cohort_table(tables: CohortTables, language: Language) -> list[list[CellValue]]:
    """RETENTION_COHORTS' table: a heading row, then per cohort its start (a date), customers and shares.

    Shares are 0 to 1 (format the cells as %); a period not yet observable is an empty text.
    """
    name = COHORT_PERIOD_NAMES[tables.period](language)
    heading: list[CellValue] = [_COHORT(language), _COHORT_CUSTOMERS(language)]
    heading += [f"{name} {k}" for k in tables.retention.columns]
    rows = [heading]
    for start, size, shares in zip(tables.retention.index, tables.customers, tables.retention.to_numpy(), strict=True):
        row: list[CellValue] = [cells.to_cell(start), float(size)]
        row += ["" if math.isnan(share) else float(share) for share in shares]
        rows.append(row)
    return rows


_CHURN_LABELS = {
    "churn": Text("yearly churn", "abbandono annuo"),
    "low": Text("yearly churn, 95 % interval from", "abbandono annuo, intervallo al 95 % da"),
    "high": Text("yearly churn, 95 % interval to", "abbandono annuo, intervallo al 95 % a"),
    "lifespan": Text("lifespan, years (1 / churn)", "durata, anni (1 / abbandono)"),
    "customers": Text("customers active on the reference days", "clienti attivi nei giorni di riferimento"),
    "lost": Text("of whom bought nothing in the next 12 months", "di cui senza acquisti nei 12 mesi successivi"),
    "reference": Text("latest reference day", "ultimo giorno di riferimento"),
    "windows": Text("reference days (12 months apart)", "giorni di riferimento (a 12 mesi l'uno dall'altro)"),
    "method": Text("method", "metodo"),
}


def churn_table(estimate: ChurnEstimate, language: Language) -> list[list[CellValue]]:
    """CHURN_RATE's table: the churn first, then its interval, the lifespan and the data it rests on."""
    values: dict[str, CellValue] = {
        "churn": estimate.churn,
        "low": estimate.low,
        "high": estimate.high,
        "lifespan": estimate.lifespan_years,
        "customers": float(estimate.customers),
        "lost": float(estimate.lost),
        "reference": cells.to_cell(estimate.windows[0].reference),
        "windows": float(len(estimate.windows)),
        "method": CHURN_METHOD(language),
    }
    return [[_CHURN_LABELS[key](language), value] for key, value in values.items()]


#: Evaluators of the functions that spill these tables (bad rows named in the one error text).
summary_evaluator = cells.table_evaluator(summary_table, range_error_text)
records_evaluator = cells.table_evaluator(records_table, range_error_text)
prediction_evaluator = cells.table_evaluator(prediction_table, range_error_text)
cohort_evaluator = cells.table_evaluator(cohort_table, range_error_text)
churn_evaluator = cells.table_evaluator(churn_table, range_error_text)
