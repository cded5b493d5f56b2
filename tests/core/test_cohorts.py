"""Cohort retention and revenue: a hand-computed table, and CDNOW against an independent pandas count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_transactions

from clv_xl.core.cohorts import cohort_period, cohort_tables
from clv_xl.errors import ClvError

# A: first order in January, again in March; B: January only, a refund in February;
# C: February, again in February and in April; D: April. Observed to 2024-04-30.
ORDERS = pd.DataFrame(
    {
        "customer_id": ["A", "A", "B", "B", "C", "C", "C", "D"],
        "date": pd.to_datetime(
            [
                "2024-01-05",
                "2024-03-02",
                "2024-01-20",
                "2024-02-03",
                "2024-02-10",
                "2024-02-25",
                "2024-04-01",
                "2024-04-30",
            ]
        ),
        "amount": [100.0, 50.0, 80.0, -80.0, 30.0, 20.0, 10.0, 40.0],
    }
)


def test_hand_computed_monthly_cohorts() -> None:
    """January: A, B (2 customers); February: C; April: D. Shares and cumulative revenue per customer by hand;
    months not yet reached are NaN (February's month 3 would be May), never 0."""
    tables = cohort_tables(ORDERS)
    assert list(tables.customers.index) == list(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-04-01"]))
    assert tables.customers.tolist() == [2, 1, 1]
    nan = np.nan
    expected_retention = [
        [1.0, 0.5, 0.5, 0.0],  # January: B's refund in February counts as activity, A in March
        [1.0, 0.0, 1.0, nan],  # February: C again in April (month 2)
        [1.0, nan, nan, nan],  # April
    ]
    np.testing.assert_array_equal(tables.retention.to_numpy(), expected_retention)
    np.testing.assert_array_equal(tables.active.to_numpy()[0], [2.0, 1.0, 1.0, 0.0])
    expected_revenue = [
        [90.0, 50.0, 75.0, 75.0],  # (100 + 80) / 2, then − 80, then + 50
        [50.0, 50.0, 60.0, nan],
        [40.0, nan, nan, nan],
    ]
    np.testing.assert_array_equal(tables.revenue_per_customer.to_numpy(), expected_revenue)
    assert tables.last_period_complete


def test_quarters_and_years_and_a_partial_last_period() -> None:
    """Everyone's first order is in 2024-Q1 but D's (Q2); observed to 30 April: Q2 is observed, not complete."""
    quarters = cohort_tables(ORDERS, period="trimestre")
    assert quarters.period == "quarter" and quarters.customers.tolist() == [3, 1]
    np.testing.assert_array_equal(quarters.retention.to_numpy(), [[1.0, 1 / 3], [1.0, np.nan]])
    assert not quarters.last_period_complete
    years = cohort_tables(ORDERS, period="year", observation_end="2024-12-31")
    assert years.customers.tolist() == [4] and years.retention.to_numpy().tolist() == [[1.0]]
    assert years.last_period_complete


def test_cdnow_equals_an_independent_count() -> None:
    """CDNOW's three monthly cohorts (first orders January to March 1997), 18 months: retention and revenue
    recounted with a pandas group-by, and the cells beyond June 1998 empty."""
    orders = cdnow_transactions(full=True)
    tables = cohort_tables(orders)
    month = orders["date"].dt.to_period("M")
    first = month.groupby(orders["customer_id"]).transform("min")
    k = (month - first).apply(lambda offset: offset.n)
    frame = pd.DataFrame({"customer": orders["customer_id"], "cohort": first, "k": k, "amount": orders["amount"]})
    sizes = frame.groupby("cohort")["customer"].nunique()
    active = frame.drop_duplicates(["customer", "k"]).groupby(["cohort", "k"]).size().unstack(fill_value=0)
    assert tables.customers.tolist() == sizes.tolist() == [7846, 8476, 7248]
    for row, cohort in enumerate(sizes.index):
        observable = 18 - row
        expected = (active.loc[cohort].reindex(range(observable), fill_value=0) / sizes[cohort]).to_numpy()
        np.testing.assert_allclose(tables.retention.iloc[row, :observable], expected, rtol=1e-12)
        assert tables.retention.iloc[row, observable:].isna().all()
        revenue = frame[frame["cohort"] == cohort].groupby("k")["amount"].sum().reindex(range(observable), fill_value=0)
        np.testing.assert_allclose(
            tables.revenue_per_customer.iloc[row, :observable], revenue.cumsum() / sizes[cohort], rtol=1e-12
        )


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ClvError, match=r'period: "decade" is not a period \(use month/mese, quarter/trimestre'):
        cohort_period("decade")
    assert cohort_period(None) == "month" and cohort_period(" Anno ") == "year"
