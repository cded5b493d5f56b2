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
from clv_xl.models.choice import choose_purchase_model

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
            "(scrivi ad es. 31/01/2024, o usa una cella in formato data); "
            "riga 3, colonna customer_ids: vuoto; "
            'riga 4, colonna dates: "ieri" non è una data '
            "(scrivi ad es. 31/01/2024, o usa una cella in formato data); "
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
    """CLV_PREDICT equals the chosen model's fit_and_predict_clv on the weekly summary, 8 % a year as a weekly rate.

    The model column names the model the rule of clv_xl.models.choice chose; asking for BG/NBD by name gives
    the BG/NBD prediction of the summary (fails if the ranges, the time unit or the rate are read differently).
    """
    orders = _simulated_orders()
    ranges = [column(list(orders[c]), 4) for c in ("customer_id", "date", "amount")]
    table = call("CLV_PREDICT", *ranges, 52.0, 0.08, "settimane", MISSING_ARGUMENT)
    assert isinstance(table, list), table
    assert table[0][0] == "customer" and table[0][-2:] == ["predicted CLV", "model"]
    summary = customer_summary(orders, time_unit="weeks")
    choice = choose_purchase_model(orders, time_unit="weeks", summary=summary)
    assert {row[-1] for row in table[1:]} == {choice.name}
    columns = (summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"])
    forecast = fit_and_predict_clv(
        *columns, horizon=52, discount_rate=period_rate(0.08, 365.25 / 7), model=choice.params
    )
    assert [row[0] for row in table[1:]] == list(summary["customer_id"])
    assert [row[-2] for row in table[1:]] == pytest.approx(forecast.prediction.clv.tolist())
    assert call("CLV_PREDICT", *ranges, 52.0, 0.08, MISSING_ARGUMENT, MISSING_ARGUMENT) == table  # weeks, auto
    bgnbd = call("CLV_PREDICT", *ranges, 52.0, 0.08, "settimane", "BG/NBD")
    expected = fit_and_predict_clv(*columns, horizon=52, discount_rate=period_rate(0.08, 365.25 / 7))
    assert [row[-2] for row in bgnbd[1:]] == pytest.approx(expected.prediction.clv.tolist())  # type: ignore[index]
    assert {row[-1] for row in bgnbd[1:]} == {"BG/NBD"}  # type: ignore[index]


def test_clv_predict_refuses_an_unknown_time_unit() -> None:
    """A time unit that is not days/weeks/months (en or it) is a #VALUE! text naming the accepted ones."""
    ids, dates, amounts, _ = _ranges()
    assert call("CLV_PREDICT", ids, dates, amounts, 52.0, 0.08, "anni", MISSING_ARGUMENT) == [
        ['#VALUE! time_unit: "anni" is not a time unit (use days/giorni, weeks/settimane, months/mesi)']
    ]
    assert call("CLV_PREDICT", ids, dates, amounts, 52.0, -0.1, MISSING_ARGUMENT, MISSING_ARGUMENT)[0][0].startswith(
        "#NUM!"
    )


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


def test_retention_cohorts_spills_shares_with_empty_unobservable_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-computed orders: all three customers first buy in January 2024; only C buys in February (1/3).
    A heading row, the cohort start as a date serial; in Italian with Italian headings, by quarter; a period
    that names nothing is a #VALUE! text. Unobservable cells are empty (checked on the three cohorts below)."""
    ids, dates, _, _ = _ranges()
    january = float((dt.datetime(2024, 1, 1) - EXCEL_EPOCH).days)
    table = call("RETENTION_COHORTS", ids, dates, MISSING_ARGUMENT)
    assert table == [["cohort start", "customers", "month 0", "month 1"], [january, 3.0, 1.0, pytest.approx(1 / 3)]]
    three = (
        column(["A", "B", "B", "C", None], 2),
        column(
            [dt.datetime(2024, 1, 5), dt.datetime(2024, 2, 1), dt.datetime(2024, 3, 9), dt.datetime(2024, 3, 20), None],
            2,
        ),
    )
    cohorts = call("RETENTION_COHORTS", *three, MISSING_ARGUMENT)
    assert [row[2:] for row in cohorts[1:]] == [[1.0, 0.0, 0.0], [1.0, 1.0, ""], [1.0, "", ""]]  # type: ignore[union-attr]
    monkeypatch.setenv(LANGUAGE_VARIABLE, "it")
    quarterly = call("RETENTION_COHORTS", ids, dates, "trimestre")
    assert quarterly == [["inizio coorte", "clienti", "trimestre 0"], [january, 3.0, 1.0]]
    assert call("RETENTION_COHORTS", ids, dates, "decade")[0][0].startswith(  # type: ignore[index]
        '#VALORE! period: "decade" non è un periodo'
    )


def _two_years_of_orders() -> pd.DataFrame:
    """60 customers who buy in 2023; 40 of them buy again in 2024 (observed to 2024-06-30)."""
    first = [(f"C{i:02d}", dt.datetime(2023, 1 + i % 6, 1 + i % 20), 10.0) for i in range(60)]
    again = [(f"C{i:02d}", dt.datetime(2024, 3, 1 + i % 20), 10.0) for i in range(40)]
    last = [("C00", dt.datetime(2024, 6, 30), 10.0)]
    return pd.DataFrame(first + again + last, columns=["customer_id", "date", "amount"])


def test_churn_rate_spills_the_churn_and_what_it_rests_on() -> None:
    """Reference day 2023-06-30 (a year before the last order): the 60 customers bought before it, the 20 who did
    not buy in the following 12 months are lost, 1/3. Too short a span: an #N/A text that says why."""
    orders = _two_years_of_orders()
    ids, dates = (column(list(orders[c]), 3) for c in ("customer_id", "date"))
    table = call("CHURN_RATE", ids, dates)
    assert isinstance(table, list)
    values = {row[0]: row[1] for row in table}
    assert table[0] == ["yearly churn", pytest.approx(1 / 3)]
    assert values["lifespan, years (1 / churn)"] == pytest.approx(3.0)
    assert values["customers active on the reference days"] == 60
    assert values["of whom bought nothing in the next 12 months"] == 20
    assert values["latest reference day"] == (dt.datetime(2023, 6, 30) - EXCEL_EPOCH).days
    assert values["yearly churn, 95 % interval from"] < 1 / 3 < values["yearly churn, 95 % interval to"]
    short_ids, short_dates, _, _ = _ranges()
    assert call("CHURN_RATE", short_ids, short_dates) == [
        ["#N/A the orders span 1.3 months (from 2024-01-01 to 2024-02-10): a yearly churn needs at least 15"]
    ]


def test_clv_summary_lifespan_from_the_churn_estimate_or_the_users_churn(monkeypatch: pytest.MonkeyPatch) -> None:
    """With orders over 18 months the lifespan is 1 / the estimated churn (3 years here), and says so; a churn
    given as the last argument wins; on six weeks of orders it is the observed tenure, labelled a lower bound."""
    orders = _two_years_of_orders()
    ranges = [column(list(orders[c]), 2) for c in ("customer_id", "date", "amount")]
    table = call("CLV_SUMMARY", *ranges, MISSING_ARGUMENT, MISSING_ARGUMENT, MISSING_ARGUMENT)
    rows = {row[0]: row[1] for row in table}  # type: ignore[union-attr]
    assert rows["lifespan, years"] == pytest.approx(3.0) and rows["yearly churn"] == pytest.approx(1 / 3)
    assert rows["lifespan from"] == "1 / churn estimated from the orders"
    given = {row[0]: row[1] for row in call("CLV_SUMMARY", *ranges, MISSING_ARGUMENT, MISSING_ARGUMENT, 0.25)}  # type: ignore[union-attr]
    assert given["lifespan, years"] == 4.0 and given["lifespan from"] == "1 / your churn"
    monkeypatch.setenv(LANGUAGE_VARIABLE, "it")
    ids, dates, amounts, _ = _ranges()
    short = {row[0]: row[1] for row in call("CLV_SUMMARY", ids, dates, amounts, MISSING_ARGUMENT, MISSING_ARGUMENT)}  # type: ignore[union-attr]
    assert short["origine della durata"] == "permanenza osservata: limite inferiore"
    assert short["abbandono annuo"] == ""


def test_clv_predict_keeps_customers_with_refunded_orders() -> None:
    """A customer whose repeat order was refunded (repeat average 0) still gets a row with P(alive), expected
    purchases and a CLV, in the same row order as the summary."""
    orders = _simulated_orders()
    refund = pd.DataFrame(
        [
            ("R1", dt.datetime(2023, 2, 1), 30.0),
            ("R1", dt.datetime(2023, 5, 1), 20.0),
            ("R1", dt.datetime(2023, 5, 2), -20.0),
        ],
        columns=["customer_id", "date", "amount"],
    )
    both = pd.concat([orders, refund], ignore_index=True)
    ranges = [column(list(both[c])) for c in ("customer_id", "date", "amount")]
    table = call("CLV_PREDICT", *ranges, 52.0, 0.08, MISSING_ARGUMENT, "pareto")
    assert isinstance(table, list)
    row = next(r for r in table if r[0] == "R1")
    assert row[1] == 1.0 and row[4] == 0.0  # one repeat week, worth 0 in total
    assert all(isinstance(v, float) for v in row[5:9]) and 0 < row[6] < 1 and row[8] > 0
    assert row[9] == "Pareto/NBD"


@pytest.mark.parametrize(
    ("name", "arguments", "expected"),
    [
        ("CHURN_RATE", "empty", "#VALUE! the ranges hold no orders"),
        ("RETENTION_COHORTS", "empty", "#VALUE! the ranges hold no orders"),
        ("CLV_PREDICT", "empty", "#VALUE! the ranges hold no orders"),
        ("CHURN_RATE", "one day", "#N/A the orders span 0.0 months (from 2024-01-05 to 2024-01-05)"),
        ("CLV_PREDICT", "one day", "#NUM! no purchase model could be fitted: BG/NBD cannot be fitted: no customer"),
        ("CLV_PREDICT", "one customer", "#NUM! no purchase model could be fitted: BG/NBD needs at least 2 customers"),
        ("CLV_PREDICT", "one-time buyers", "#NUM! no purchase model could be fitted: BG/NBD cannot be fitted"),
    ],
)
def test_bad_input_gives_one_text_starting_with_the_excel_error_code(name: str, arguments: str, expected: str) -> None:
    """Empty ranges, all orders on one day, one customer, only one-time buyers: one cell text that starts with
    the error code and says why (every model's reason for CLV_PREDICT), never a traceback or a silent fit."""
    day = dt.datetime(2024, 1, 5)
    cases: dict[str, tuple[list[object], list[object]]] = {
        "empty": ([None, None], [None, None]),
        "one day": (["A", "B", "C"], [day, day, day]),
        "one customer": (["A", "A", "A"], [day, day + dt.timedelta(days=9), day + dt.timedelta(days=30)]),
        "one-time buyers": ([f"C{i}" for i in range(40)], [day + dt.timedelta(days=i) for i in range(40)]),
    }
    ids, dates = cases[arguments]
    ranges: list[object] = [column(ids), column(dates)]
    if name == "CLV_PREDICT":
        ranges += [
            column([10.0 if i is not None else None for i in ids]),
            52.0,
            0.08,
            MISSING_ARGUMENT,
            MISSING_ARGUMENT,
        ]
    elif name == "RETENTION_COHORTS":
        ranges.append(MISSING_ARGUMENT)
    result = call(name, *ranges)
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, result
    assert result[0][0].startswith(expected), result[0][0]
