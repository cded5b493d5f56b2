"""The transaction functions (APV and REPEAT_RATE with one range, CLV_SUMMARY, CLV_CUSTOMERS, CLV_PREDICT) in Excel.

Called through xlwings' real ``call_udf`` with arguments shaped as Excel hands them:
tuples of rows, dates as ``datetime``, None for empty cells (a whole column selected
below the data), VBA's "missing" marker for a left-out optional argument. Checked
against a hand-computed table and against the core functions the cells are a face of.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import xlwings.udfs
from windows_stand_ins import MISSING_ARGUMENT

from clv_xl.core.summaries import TOTAL, customer_summary, segment_figures
from clv_xl.i18n import LANGUAGE_VARIABLE
from clv_xl.models import fit_and_predict_clv, period_rate

Column = tuple[tuple[object], ...]
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def call(name: str, *arguments: object) -> object:
    return xlwings.udfs.call_udf("clv_xl.udfs", name, arguments, None, None)


def column(values: list[object], empty_rows: int = 0) -> Column:
    """A column range as Excel hands it, with empty rows selected below the data."""
    return tuple((v,) for v in values) + ((None,),) * empty_rows


# the hand-computed table of tests/core/test_transactions_core.py, as cells
ORDERS = [
    ("A", dt.datetime(2024, 1, 1, 9), 100.0, "retail"),
    ("A", dt.datetime(2024, 1, 1, 17, 30), 50.0, "retail"),
    ("A", dt.datetime(2024, 1, 11), 30.0, "web"),
    ("A", dt.datetime(2024, 1, 31), -20.0, "retail"),
    ("B", dt.datetime(2024, 1, 6), 200.0, "retail"),
    ("C", dt.datetime(2024, 1, 21), 10.0, "web"),
    ("C", dt.datetime(2024, 2, 10), 40.0, "retail"),
]


def _ranges(empty_rows: int = 5) -> list[Column]:
    return [column([order[i] for order in ORDERS], empty_rows) for i in range(4)]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(ORDERS, columns=["customer_id", "date", "amount", "segment"])


def test_apv_of_one_range_is_the_average_order() -> None:
    """APV(amounts): (100 + 50 + 30 − 20 + 200 + 10 + 40) / 7 orders, empty rows below skipped."""
    amounts = _ranges()[2]
    assert call("APV", amounts, MISSING_ARGUMENT) == [[410.0 / 7]]
    # amounts typed as Italian text count too
    assert call("APV", column(["1.234,50", 765.5, None, None]), MISSING_ARGUMENT) == [[1000.0]]


def test_apv_two_argument_form_is_unchanged() -> None:
    """APV(revenue, purchases) as before: document 002's 50000 / 200, element-wise, empty purchases refused."""
    assert call("APV", 50000.0, 200.0) == [[250.0]]
    assert call("APV", column([100.0, 90.0]), column([4.0, 3.0])) == [[25.0], [30.0]]
    assert call("APV", 100.0, None) == [["#VALUE! purchases is empty"]]


def test_apv_of_one_range_names_the_bad_row() -> None:
    """A text that is not an amount: the row of the range and the reason; no orders: #DIV/0!."""
    result = call("APV", column([10.0, "dieci", 5.0]), MISSING_ARGUMENT)
    assert result == [
        [
            "#VALUE! rows of the ranges that cannot be read: 1 (problems: 1); row 2, column revenue: "
            '"dieci" is not an amount (write e.g. 1.234,56 or 1234.56)'
        ]
    ]
    assert call("APV", column([None, None]), MISSING_ARGUMENT) == [["#DIV/0! purchases = 0"]]


def test_repeat_rate_of_one_range_counts_distinct_customers() -> None:
    """REPEAT_RATE(ids): 7 orders / 3 customers; 1001.0 and "1001" are the same customer, "00001" another."""
    assert call("REPEAT_RATE", _ranges()[0], MISSING_ARGUMENT) == [[7 / 3]]
    assert call("REPEAT_RATE", column(["1001", 1001.0, "00001", None]), MISSING_ARGUMENT) == [[1.5]]
    assert call("REPEAT_RATE", 200.0, 80.0) == [[2.5]]


def test_clv_summary_spills_document_002_figures_per_segment() -> None:
    """CLV_SUMMARY on the hand-computed table: every number equals segment_figures, labels in English."""
    ids, dates, amounts, segments = _ranges()
    table = call("CLV_SUMMARY", ids, dates, amounts, 10.0, segments)
    assert isinstance(table, list)
    expected = segment_figures(customer_summary(_frame()), cac=10.0)
    assert table[0] == ["figure", "retail", "web", "total"]
    labels = [row[0] for row in table[1:]]
    assert labels[:3] == ["customers", "purchases", "revenue"] and labels[-2] == "CLV"
    clv_row = table[-2]
    assert clv_row[1:] == pytest.approx([expected.loc[s, "clv"] for s in ("retail", "web", TOTAL)])
    # hand-computed (tests/core): retail 72 × 2.5 × 29.625 / 2 / 41 − 10
    assert clv_row[1] == pytest.approx(72 * 2.5 * 29.625 / 2 / 41 - 10)
    assert table[-1][1:3] == ["", ""] and table[-1][3] == pytest.approx(expected.loc[TOTAL, "clv_weighted_average"])


def test_clv_summary_in_italian_without_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Labels follow the user's language; no segments: one column of figures for the whole base."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "it")
    ids, dates, amounts, _ = _ranges()
    table = call("CLV_SUMMARY", ids, dates, amounts, MISSING_ARGUMENT, MISSING_ARGUMENT)
    assert isinstance(table, list)
    assert table[0] == ["indicatore", "totale"]
    assert table[1] == ["clienti", 3.0]
    assert table[3] == ["ricavi", 410.0]


def test_bad_rows_become_one_text_with_their_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad cells: one text (the first three listed, the rest counted), in the user's language, no traceback."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "it")
    ids = column(["A", "B", None, "D", "E", "F"], 3)
    dates = column([dt.datetime(2024, 1, 1), "31/02/2024", dt.datetime(2024, 1, 3), "ieri", True, "x"], 3)
    amounts = column([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3)
    result = call("CLV_CUSTOMERS", ids, dates, amounts)
    assert result == [
        [
            "#VALORE! righe degli intervalli non leggibili: 5 (problemi: 5); "
            'riga 2, colonna dates: "31/02/2024" non è una data '
            "(scrivi 31/01/2024 o 2024-01-31, o usa una cella data); "
            "riga 3, colonna customer_ids: vuoto; "
            'riga 4, colonna dates: "ieri" non è una data '
            "(scrivi 31/01/2024 o 2024-01-31, o usa una cella data); "
            "... e altri 2"
        ]
    ]
    short = call("CLV_SUMMARY", ids, dates[:4], amounts, MISSING_ARGUMENT, MISSING_ARGUMENT)
    assert short == [["#VALORE! gli intervalli hanno un numero diverso di righe: customer_ids 9, dates 4, amounts 9"]]


@pytest.mark.parametrize("name", ["CLV_SUMMARY", "CLV_CUSTOMERS", "APV"])
def test_a_date_cell_among_the_amounts_is_a_bad_value(name: str) -> None:
    """Excel stores "1/2" typed into an amount as a date: it reached the sums as NaN (a customer's
    revenue NaN, or the customer gone from CLV_SUMMARY's counts). Now the row is named."""
    ids, dates, amounts, segments = _ranges(2)
    amounts = amounts[:2] + ((dt.datetime(2024, 2, 1),),) + amounts[3:]
    arguments = {
        "CLV_SUMMARY": (ids, dates, amounts, MISSING_ARGUMENT, segments),
        "CLV_CUSTOMERS": (ids, dates, amounts),
        "APV": (amounts, MISSING_ARGUMENT),
    }[name]
    (text,) = call(name, *arguments)[0]  # type: ignore[index]
    assert text.startswith("#VALUE! rows of the ranges that cannot be read: 1 (problems: 1); row 3, column ")
    assert "2024-02-01 is a date, not an amount" in text


def test_error_cells_in_the_ranges_are_named_as_that_error() -> None:
    """A failed VLOOKUP in the ids (#N/A, as xlwings hands error cells: their text) is reported, not a customer."""
    ids, dates, amounts, _ = _ranges(2)
    ids = ids[:1] + (("#N/A",),) + ids[2:]
    (text,) = call("CLV_CUSTOMERS", ids, dates, amounts)[0]  # type: ignore[index]
    assert "row 2, column customer_ids: the cell holds the error #N/A" in text


def test_clv_customers_spills_the_customer_summary() -> None:
    """CLV_CUSTOMERS equals customer_summary (days); dates are Excel serial numbers."""
    ids, dates, amounts, _ = _ranges()
    table = call("CLV_CUSTOMERS", ids, dates, amounts)
    assert isinstance(table, list)
    assert table[0] == [
        "customer",
        "orders",
        "first purchase",
        "last purchase",
        "revenue",
        "average order value",
        "tenure, days",
        "frequency",
        "recency",
        "T",
        "monetary_value",
    ]
    expected = customer_summary(_frame())
    assert [row[0] for row in table[1:]] == ["A", "B", "C"]
    btyd = expected[["frequency", "recency", "T", "monetary_value"]]
    assert [row[7:] for row in table[1:]] == btyd.to_numpy().tolist()
    # A's first purchase 2024-01-01 09:00 is serial 45292.375
    assert table[1][2] == pytest.approx((dt.datetime(2024, 1, 1, 9) - EXCEL_EPOCH) / dt.timedelta(days=1))


def _simulated_orders(customers: int = 300, seed: int = 11) -> pd.DataFrame:
    """Orders of customers who buy at their own rate and may stop after each purchase (a BG/NBD-like base)."""
    rng = np.random.default_rng(seed)
    rows = []
    for customer in range(customers):
        day = float(rng.uniform(0, 120))
        rate = rng.gamma(0.8, 1 / 20)  # purchases per day
        dropout = rng.beta(1.0, 3.0)  # chance of stopping after each purchase, varying by customer
        while day < 365:
            rows.append(
                (f"{customer:05d}", dt.datetime(2023, 1, 2) + dt.timedelta(days=day), float(round(rng.gamma(4, 12), 2)))
            )
            if rng.random() < dropout:
                break
            day += rng.exponential(1 / rate)
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


def test_clv_predict_fits_the_models_on_the_summary() -> None:
    """CLV_PREDICT equals fit_and_predict_clv on the weekly summary, with 8 % a year as a weekly rate."""
    orders = _simulated_orders()
    ranges = [column(list(orders[c]), 4) for c in ("customer_id", "date", "amount")]
    table = call("CLV_PREDICT", *ranges, 52.0, 0.08, "settimane")
    assert isinstance(table, list), table
    assert table[0][0] == "customer" and table[0][-1] == "predicted CLV"
    summary = customer_summary(orders, time_unit="weeks")
    forecast = fit_and_predict_clv(
        summary["frequency"],
        summary["recency"],
        summary["T"],
        summary["monetary_value"],
        horizon=52,
        discount_rate=period_rate(0.08, 365.25 / 7),
    )
    assert [row[0] for row in table[1:]] == list(summary["customer_id"])
    assert [row[-1] for row in table[1:]] == pytest.approx(forecast.prediction.clv.tolist())
    assert call("CLV_PREDICT", *ranges, 52.0, 0.08, MISSING_ARGUMENT) == table  # weeks by default


def test_clv_predict_refuses_an_unknown_time_unit() -> None:
    """A time unit that is not days/weeks/months (en or it) is a #VALUE! text naming the accepted ones."""
    ids, dates, amounts, _ = _ranges()
    assert call("CLV_PREDICT", ids, dates, amounts, 52.0, 0.08, "anni") == [
        ['#VALUE! time_unit: "anni" is not a time unit (use days/giorni, weeks/settimane, months/mesi)']
    ]
    assert call("CLV_PREDICT", ids, dates, amounts, 52.0, -0.1, MISSING_ARGUMENT)[0][0].startswith("#NUM!")


def test_a_whole_column_at_excels_row_limit() -> None:
    """A1:A1048575 selected over 2,000 orders: the empty rows below are ignored, the figures are the orders'."""
    orders = _simulated_orders(customers=400, seed=5).head(2000)
    rows = 1_048_575
    ranges = [column(list(orders[c]), rows - len(orders)) for c in ("customer_id", "date", "amount")]
    assert len(ranges[0]) == rows
    table = call("CLV_SUMMARY", *ranges, MISSING_ARGUMENT, MISSING_ARGUMENT)
    assert isinstance(table, list)
    expected = segment_figures(customer_summary(orders))
    assert table[1][1] == expected.loc[TOTAL, "customers"]
    assert table[3][1] == pytest.approx(orders["amount"].sum())
