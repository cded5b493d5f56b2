"""The BG/NBD model against the published CDNOW estimates, its own identities and simulated data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_summary

from clv_xl.core.summaries import customer_summary
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models import BgNbdParams, GammaGammaParams, simulate_customers
from clv_xl.models.bgnbd import (
    NO_DROPOUT_LIMIT,
    _customer_log_likelihoods,
    expected_purchases,
    fit_bgnbd,
    log_likelihood,
    probability_alive,
)

# Fader, Hardie and Lee (2005), section 5: the CDNOW estimates
PUBLISHED = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)


@pytest.fixture(scope="module")
def cdnow_fit() -> BgNbdParams:
    data = cdnow_summary()
    return fit_bgnbd(data["frequency"], data["recency"], data["T"])


def test_fit_reproduces_the_published_cdnow_estimates(cdnow_fit: BgNbdParams) -> None:
    # published CDNOW estimate: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4
    assert round(cdnow_fit.r, 3) == 0.243
    assert round(cdnow_fit.alpha, 3) == 4.414
    assert round(cdnow_fit.a, 3) == 0.793
    assert round(cdnow_fit.b, 3) == 2.426
    assert round(cdnow_fit.log_likelihood, 1) == -9582.4
    assert cdnow_fit.customers == 2357 and cdnow_fit.penalizer == 0


def test_log_likelihood_at_the_published_estimates_is_the_published_value() -> None:
    # published CDNOW estimate: LL = -9582.4 at the (rounded) published parameters
    data = cdnow_summary()
    assert log_likelihood(PUBLISHED, data["frequency"], data["recency"], data["T"]) == pytest.approx(-9582.4, abs=0.1)


def test_expected_purchases_of_cdnow_customer_1_in_the_next_39_weeks(cdnow_fit: BgNbdParams) -> None:
    # published CDNOW figure: x = 2, t_x = 30.43, T = 38.86 -> 1.226 purchases in 39 weeks
    assert round(float(expected_purchases(cdnow_fit, 39, 2, 30.43, 38.86)), 3) == 1.226
    assert round(float(expected_purchases(PUBLISHED, 39, 2, 30.43, 38.86)), 3) == 1.226


def test_expected_purchase_rate_at_t_0_is_p_alive_times_the_posterior_mean_rate() -> None:
    # identity of the model: dE[Y(t)]/dt at t = 0 = P(alive) * E[lambda | x, t_x, T] = P(alive) (r+x)/(alpha+T),
    # which ties eq. 10 (with its hypergeometric function) to the P(alive) formula of note 021
    # (a heavy buyer with 1,000 repeat purchases included: the textbook form of eq. 10 overflows there)
    x = np.array([0.0, 1, 2, 7, 1000])
    t_x, age = np.array([0.0, 5, 30.43, 20, 38]), np.array([38.86, 30, 38.86, 35, 39])
    step = 1e-6
    slope = np.asarray(expected_purchases(PUBLISHED, step, x, t_x, age)) / step
    expected = np.asarray(probability_alive(PUBLISHED, x, t_x, age)) * (PUBLISHED.r + x) / (PUBLISHED.alpha + age)
    np.testing.assert_allclose(slope, expected, rtol=1e-5)


def test_heavy_buyers_get_finite_predictions_close_to_their_own_rate() -> None:
    # a customer alive with 5,000 purchases in a year keeps buying at about (r+x)/(alpha+T) a day
    purchases = float(expected_purchases(PUBLISHED, 1, 5000, 364, 365))
    alive = float(probability_alive(PUBLISHED, 5000, 364, 365))
    assert purchases == pytest.approx(alive * 5000.243 / 369.414, rel=0.01)


def test_probability_alive_is_one_without_repeat_purchases_and_falls_with_time_since_last_purchase() -> None:
    # model property: drop-out happens only after a repeat purchase; an old last purchase means likely gone
    assert probability_alive(PUBLISHED, 0, 0, 38.86) == 1.0
    alive = np.asarray(probability_alive(PUBLISHED, 3, [36.0, 20.0, 5.0], 38.86))
    assert np.all(np.diff(alive) < 0) and np.all((alive > 0) & (alive < 1))


def test_expected_purchases_is_zero_at_t_0_and_grows_with_t() -> None:
    # model property: cumulative expected purchases
    values = np.asarray(expected_purchases(PUBLISHED, [0.0, 1.0, 39.0, 78.0], 2, 30.43, 38.86))
    assert values[0] == 0 and np.all(np.diff(values) > 0)


def test_analytic_gradient_matches_finite_differences() -> None:
    # calculus check of the gradient the optimiser uses, on a few CDNOW customers
    data = cdnow_summary().iloc[:50]
    x, t_x, age = (data[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    theta = np.array([0.3, 4.0, 0.8, 2.5])
    _, gradient = _customer_log_likelihoods(theta, x, t_x, age)
    for k in range(4):
        shift = np.zeros(4)
        shift[k] = 1e-6 * theta[k]
        up, _ = _customer_log_likelihoods(theta + shift, x, t_x, age, with_gradient=False)
        down, _ = _customer_log_likelihoods(theta - shift, x, t_x, age, with_gradient=False)
        np.testing.assert_allclose(gradient[k], (up - down) / (2 * shift[k]), rtol=1e-5, atol=1e-8)


def test_fit_recovers_the_parameters_of_simulated_customers() -> None:
    # simulated data: 30,000 customers drawn with known parameters (fixed seed) are fitted back
    true = BgNbdParams(r=0.8, alpha=5.0, a=1.2, b=3.5)
    rng = np.random.default_rng(20261122)
    customers = simulate_customers(true, GammaGammaParams(p=6.0, q=4.0, gamma=15.0), rng.uniform(40, 80, 30_000), rng)
    fitted = fit_bgnbd(customers.frequency, customers.recency, customers.T)
    for name in ("r", "alpha", "a", "b"):
        assert getattr(fitted, name) == pytest.approx(getattr(true, name), rel=0.1), name


def test_penalizer_shrinks_the_parameters_and_lowers_the_likelihood(cdnow_fit: BgNbdParams) -> None:
    # the L2 penalty (lifetimes' penalizer_coef): a penalised fit is no better on the data, with smaller parameters
    data = cdnow_summary()
    penalised = fit_bgnbd(data["frequency"], data["recency"], data["T"], penalizer=0.01)
    assert penalised.penalizer == 0.01
    assert penalised.log_likelihood < cdnow_fit.log_likelihood
    assert penalised.a + penalised.b < cdnow_fit.a + cdnow_fit.b


def test_customers_without_repeat_purchases_only_cannot_be_fitted() -> None:
    with pytest.raises(ClvError, match="no customer made a repeat purchase") as caught:
        fit_bgnbd([0, 0, 0], [0, 0, 0], [10, 20, 30])
    assert caught.value.code is ExcelErrorCode.NUM
    assert "nessun cliente" in caught.value.message("it")


def test_one_customer_cannot_be_fitted() -> None:
    with pytest.raises(ClvError, match="at least 2 customers, got 1"):
        fit_bgnbd([2], [10], [20])


@pytest.mark.parametrize(
    ("frequency", "recency", "T", "expected"),
    [
        ([1, 1.5], [3, 4], [10, 10], "frequency, row 2: must be a whole number"),
        ([1, 2], [3, -4], [10, 10], "recency, row 2: must not be negative"),
        ([1, 2], [3, 0], [10, -1], "T, row 2: must not be negative"),
        ([1, 2, 3], [3, 4, 12], [10, 10, 10], r"recency, row 3: recency \(12\) must not be greater than T \(10\)"),
        ([1, 0], [3, 4], [10, 10], "recency, row 2: must be 0 when frequency is 0"),
    ],
)
def test_bad_summary_names_the_row(frequency: list[float], recency: list[float], T: list[float], expected: str) -> None:  # noqa: N803
    with pytest.raises(ClvError, match=expected):
        fit_bgnbd(frequency, recency, T)


def test_negative_penalizer_is_refused() -> None:
    with pytest.raises(ClvError, match="penalizer must not be negative"):
        fit_bgnbd([1, 2], [3, 4], [10, 10], penalizer=-1)


def test_given_parameters_must_be_positive() -> None:
    with pytest.raises(ClvError, match="BG/NBD parameter alpha must be a number greater than 0"):
        BgNbdParams(r=1, alpha=0, a=1, b=1)


def test_a_base_where_nobody_leaves_is_predicted_without_dropout() -> None:
    """Purchases spread evenly over three years for every customer (fixed seed): no dropout to fit.

    Checked against: the model's limit without dropout, the NBD prediction t (r+x)/(α+T),
    which the series gives where it still can (to 1e-4) and which replaces it where the
    series is no longer a finite number.
    """
    rng = np.random.default_rng(20261122)
    ids = rng.integers(1, 501, 6000)
    days = rng.integers(0, 3 * 365, 6000)
    dates = np.datetime64("2022-01-01") + days.astype("timedelta64[D]")
    orders = pd.DataFrame({"customer_id": ids.astype(str), "date": dates, "amount": 10.0})
    weekly = customer_summary(orders, time_unit="weeks")
    x, t_x, age = (weekly[name].to_numpy(dtype=float) for name in ("frequency", "recency", "T"))
    fitted = fit_bgnbd(x, t_x, age)
    assert fitted.a / (fitted.a + fitted.b) < NO_DROPOUT_LIMIT
    predicted = expected_purchases(fitted, 52, x, t_x, age)
    without_dropout = 52 * (fitted.r + x) / (fitted.alpha + age)
    assert np.all(np.isfinite(predicted))
    assert predicted == pytest.approx(without_dropout, rel=1e-4)
    assert probability_alive(fitted, x, t_x, age) == pytest.approx(1.0, abs=1e-6)


def test_prediction_errors_mark_only_the_bad_customers() -> None:
    # element-wise checks: the mask says which customers are at fault, for the Excel layer
    with pytest.raises(ClvError) as caught:
        probability_alive(PUBLISHED, [1, 2, 3], [5, 50, 5], [10, 10, 10])
    assert caught.value.mask is not None and caught.value.mask.tolist() == [False, True, False]
    with pytest.raises(ClvError, match="t must not be negative"):
        expected_purchases(PUBLISHED, -1, 1, 5, 10)
