"""Yearly churn from the orders: a simulated base with a known churn, an independent count, CDNOW, bad input.

The simulated base: every customer first buys on the data's first day, then buys at random (a Poisson
process, 12 purchases a year) until an exponential death of yearly churn c (alive a year later with
probability 1 − c). The estimate's expected value follows in closed form (see ``_expected_estimate``),
independently of clv_xl's code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_transactions
from scipy.stats import binomtest

from clv_xl.core.churn import (
    CHURN_METHOD,
    MINIMUM_CUSTOMERS,
    choose_lifespan,
    estimate_churn,
    estimate_churn_by_group,
)
from clv_xl.errors import ClvError, ExcelErrorCode

START = pd.Timestamp("2020-01-01")
CHURN = 0.3
RATE = 12.0  # purchases a year while alive
YEARS = 4


def _simulated_base(customers: int = 5000, seed: int = 20261202) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hazard = -math.log(1 - CHURN)
    deaths = np.minimum(rng.exponential(1 / hazard, customers), YEARS)
    counts = rng.poisson(RATE * deaths)
    owner = np.repeat(np.arange(customers), counts)
    times = rng.uniform(0, 1, owner.size) * deaths[owner]
    years = np.concatenate([np.zeros(customers), times])  # the first purchase on the first day
    who = np.concatenate([np.arange(customers), owner])
    days = np.floor(years * 365.25).astype(int)
    end = START + pd.DateOffset(years=YEARS) - pd.Timedelta(days=1)
    frame = pd.DataFrame(
        {"customer_id": [f"C{i:05d}" for i in who], "date": START + pd.to_timedelta(days, unit="D"), "amount": 1.0}
    )
    # the last day observed is the day before the fourth anniversary: one order on it fixes the observation end
    return pd.concat(
        [frame[frame["date"] <= end], pd.DataFrame({"customer_id": ["Z"], "date": [end], "amount": [1.0]})]
    )


def _expected_estimate(customers: int) -> float:
    """E[lost / active] pooled over the windows, in closed form.

    Window j (reference day START + j years, j = 1..3): a customer alive at the window's start buys in it
    with probability 1 − E, E = E[exp(−λ min(D, 1))] = h/(h+λ) (1 − e^−(h+λ)) + e^−(h+λ); given that, they
    buy in the next year with probability (1 − c)(1 − e^−λ) (memoryless death). In window 1 everyone is
    active (the first purchase) and is retained with probability (1 − c)(1 − E).
    """
    hazard, rate = -math.log(1 - CHURN), RATE
    e = hazard / (hazard + rate) * (1 - math.exp(-(hazard + rate))) + math.exp(-(hazard + rate))
    active = [customers] + [customers * (1 - CHURN) ** (j - 1) * (1 - e) for j in (2, 3)]
    lost = [customers * (1 - (1 - CHURN) * (1 - e))] + [
        a * (1 - (1 - CHURN) * (1 - math.exp(-rate))) for a in active[1:]
    ]
    return sum(lost) / sum(active)


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    return _simulated_base()


def test_the_estimate_recovers_a_known_churn(base: pd.DataFrame) -> None:
    """Known yearly churn 30 %: the estimate is within 4 standard errors of its closed-form expectation
    (30.7 %) and within 2 points of 30 %; its 95 % interval covers the truth. Fails if a window, a day
    boundary or the pooling is wrong."""
    estimate = estimate_churn(base)
    expected = _expected_estimate(5000)
    error = math.sqrt(expected * (1 - expected) / estimate.customers)
    assert estimate.churn == pytest.approx(expected, abs=4 * error)
    assert estimate.churn == pytest.approx(CHURN, abs=0.02)
    assert estimate.low < CHURN + 0.01 and estimate.high > CHURN - 0.01
    assert [w.reference for w in estimate.windows] == [pd.Timestamp(f"{y}-12-31") for y in (2022, 2021, 2020)]
    assert estimate.lifespan_years == pytest.approx(1 / estimate.churn)


def test_the_counts_equal_an_independent_count(base: pd.DataFrame) -> None:
    """Each window's active and lost customers, counted again with pandas date arithmetic, and the Wilson
    interval of scipy's binomtest."""
    estimate = estimate_churn(base)
    first, end = base["date"].min(), base["date"].max()
    for window in estimate.windows:
        reference = window.reference
        before = base[(base["date"] > max(reference - pd.DateOffset(years=1), first - pd.Timedelta(days=1)))]
        before = before[before["date"] <= reference]
        after = base[(base["date"] > reference) & (base["date"] <= min(reference + pd.DateOffset(years=1), end))]
        active = set(before["customer_id"])
        lost = active - set(after["customer_id"])
        assert (window.customers, window.lost) == (len(active), len(lost))
    interval = binomtest(estimate.lost, estimate.customers).proportion_ci(method="wilson")
    assert (estimate.low, estimate.high) == pytest.approx((interval.low, interval.high), rel=1e-12)


def test_groups_add_up_to_the_whole_base(base: pd.DataFrame) -> None:
    """Per group (e.g. segments) the same windows; active and lost customers add up to the whole base's."""
    ids = base["customer_id"].unique()
    groups = {customer: ("odd" if i % 2 else "even") for i, customer in enumerate(ids)}
    estimates = estimate_churn_by_group(base, groups)
    assert set(estimates) == {None, "even", "odd"}
    whole = estimates[None]
    assert estimates["even"].customers + estimates["odd"].customers == whole.customers
    assert estimates["even"].lost + estimates["odd"].lost == whole.lost
    assert whole == estimate_churn(base)


def test_cdnow_churn_and_lifespan_come_with_the_data_they_rest_on() -> None:
    """CDNOW (1997-01-01 to 1998-06-30): one window at 1997-06-30; 15,238 of 23,570 customers bought nothing in
    the next 12 months: 64.6 %, a lifespan of 1.55 years, not the observed tenure."""
    estimate = estimate_churn(cdnow_transactions(full=True))
    assert (estimate.customers, estimate.lost) == (23570, 15238)
    assert round(estimate.churn, 3) == 0.646 and round(estimate.lifespan_years, 2) == 1.55
    assert estimate.description().en == (
        "64.6 % a year (95 % interval 64.0 to 65.3 %): 15,238 of the 23,570 customers active on 1997-06-30 "
        "bought nothing in the following 12 months"
    )
    assert estimate.description().it.startswith("64,6 % all'anno (intervallo al 95 % da 64,0 a 65,3 %): 15.238 su")
    assert "30/06/1997" in estimate.description().it
    assert "12-month windows" in CHURN_METHOD.en and "finestre di 12 mesi" in CHURN_METHOD.it


def _orders(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [r[0] for r in rows], "date": pd.to_datetime([r[1] for r in rows])})


def test_what_cannot_be_measured_says_why() -> None:
    """Too short a span, too few customers, nobody lost: NaN, an #N/A reason in both languages, never 0."""
    short = estimate_churn(_orders([("A", "2024-01-01"), ("B", "2024-12-31")]))
    assert math.isnan(short.churn) and not short.measured
    assert short.problem is not None and short.problem.code is ExcelErrorCode.NA
    assert short.problem.message("en") == (
        "the orders span 12.0 months (from 2024-01-01 to 2024-12-31): a yearly churn needs at least 15"
    )
    assert "dal 01/01/2024 al 31/12/2024" in short.problem.message("it")
    few = estimate_churn(_orders([("A", "2023-01-01"), ("B", "2023-02-01"), ("A", "2024-06-01")]))
    assert few.problem is not None and f"at least {MINIMUM_CUSTOMERS}" in few.problem.message("en")
    loyal = [(f"C{i}", "2023-01-05") for i in range(40)] + [(f"C{i}", "2024-06-01") for i in range(40)]
    nobody = estimate_churn(_orders(loyal))
    assert nobody.problem is not None and "none of the 40 customers" in nobody.problem.message("en")
    with pytest.raises(ClvError, match="no transactions on or before"):
        estimate_churn(_orders([("A", "2024-01-01")]), observation_end="2023-01-01")


def test_the_order_of_precedence() -> None:
    """The user's churn, else the measured estimate, else the observed tenure labelled a lower bound."""
    measured = estimate_churn(cdnow_transactions(full=True))
    unmeasured = estimate_churn(_orders([("A", "2024-01-01"), ("B", "2024-12-31")]))
    given = choose_lifespan(0.25, measured, 0.4)
    assert (given.years, given.source, given.lower_bound) == (4.0, "churn", False)
    estimated = choose_lifespan(None, measured, 0.4)
    assert (estimated.years, estimated.source, estimated.churn) == (measured.lifespan_years, "estimate", measured.churn)
    tenure = choose_lifespan(None, unmeasured, 0.4)
    assert (tenure.years, tenure.source, tenure.lower_bound) == (0.4, "tenure", True)
    assert "a lower bound" in tenure.label().en and "limite inferiore" in tenure.label().it
    assert choose_lifespan(None, None, 0.7).source == "tenure"
    with pytest.raises(ClvError):
        choose_lifespan(0.0, measured, 0.4)
