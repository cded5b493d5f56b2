"""Predicted CLV from the two models: hand-computed sums and the identities of its definition."""

from __future__ import annotations

import numpy as np
import pytest
from cdnow_data import cdnow_summary

from clv_xl.errors import ClvError
from clv_xl.models import (
    BgNbdParams,
    GammaGammaParams,
    expected_average_spend,
    expected_purchases,
    fit_gamma_gamma,
    period_rate,
)
from clv_xl.models.clv import fit_and_predict_clv, predict_clv

BGNBD = BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)  # published CDNOW estimates (weeks)
GAMMA_GAMMA = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)  # published CDNOW estimates ($)
CUSTOMERS = {
    "frequency": [2.0, 0.0, 7.0],
    "recency": [30.43, 0.0, 35.0],
    "T": [38.86, 38.86, 38.0],
    "monetary_value": [22.35, 0.0, 40.0],
}


def test_without_discount_clv_is_spend_times_expected_purchases() -> None:
    # the sum of per-period increments telescopes: CLV = E[M] * E[Y(horizon)]
    prediction = predict_clv(BGNBD, GAMMA_GAMMA, **CUSTOMERS, horizon=39)
    purchases = np.asarray(expected_purchases(BGNBD, 39, CUSTOMERS["frequency"], CUSTOMERS["recency"], CUSTOMERS["T"]))
    spend = np.asarray(expected_average_spend(GAMMA_GAMMA, CUSTOMERS["frequency"], CUSTOMERS["monetary_value"]))
    np.testing.assert_allclose(prediction.clv, spend * purchases, rtol=1e-12)
    np.testing.assert_allclose(prediction.expected_purchases, purchases, rtol=1e-12)
    assert round(float(prediction.expected_purchases[0]), 3) == 1.226  # published CDNOW figure


def test_discounting_hand_computed_over_two_and_a_half_periods() -> None:
    # hand-computed: periods end at 1, 2 and 2.5; each increment discounted at the end of its period
    d = 0.01
    e1, e2, e25 = (float(expected_purchases(BGNBD, t, 2, 30.43, 38.86)) for t in (1, 2, 2.5))
    spend = float(expected_average_spend(GAMMA_GAMMA, 2, 22.35))
    expected = 0.4 * spend * (e1 / 1.01 + (e2 - e1) / 1.01**2 + (e25 - e2) / 1.01**2.5)
    prediction = predict_clv(BGNBD, GAMMA_GAMMA, 2, 30.43, 38.86, 22.35, horizon=2.5, discount_rate=d, margin=0.4)
    assert float(prediction.clv[()]) == pytest.approx(expected, rel=1e-12)


def test_discounting_lowers_the_clv_and_a_zero_horizon_gives_zero() -> None:
    plain = predict_clv(BGNBD, GAMMA_GAMMA, **CUSTOMERS, horizon=52).clv
    discounted = predict_clv(BGNBD, GAMMA_GAMMA, **CUSTOMERS, horizon=52, discount_rate=period_rate(0.10, 52)).clv
    assert np.all(discounted < plain)
    assert np.all(predict_clv(BGNBD, GAMMA_GAMMA, **CUSTOMERS, horizon=0).clv == 0)


def test_probability_alive_and_spend_are_reported_per_customer() -> None:
    prediction = predict_clv(BGNBD, GAMMA_GAMMA, **CUSTOMERS, horizon=10)
    assert prediction.probability_alive[1] == 1.0  # no repeat purchase: alive in the model
    assert prediction.expected_spend[1] == pytest.approx(96.5 / 2.74)  # population mean p*gamma/(q-1)


def test_period_rate_of_a_yearly_rate() -> None:
    # hand-computed: 1.10 ** (1/12) - 1 = 0.0079741...; 1.10 ** (1/52) - 1 = 0.00183457...
    assert period_rate(0.10, 12) == pytest.approx(0.00797414, rel=1e-6)
    assert period_rate(0.10, 52) == pytest.approx(0.00183457, rel=1e-5)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"horizon": -1}, "horizon must not be negative"),
        ({"horizon": 10, "discount_rate": -0.1}, "discount_rate must not be negative"),
        ({"horizon": 10, "margin": 1.5}, "margin must be between 0 and 1"),
    ],
)
def test_bad_options_are_refused(options: dict[str, float], expected: str) -> None:
    with pytest.raises(ClvError, match=expected):
        predict_clv(BGNBD, GAMMA_GAMMA, **CUSTOMERS, **options)


def test_fit_and_predict_in_one_call_on_cdnow() -> None:
    # published CDNOW estimates through the one-call path a sheet function uses, and the same CLV as step by step
    data = cdnow_summary()
    columns = [data[c] for c in ("frequency", "recency", "T", "monetary_value")]
    forecast = fit_and_predict_clv(*columns, horizon=39, discount_rate=0.001)
    assert round(forecast.purchases.r, 3) == 0.243 and round(forecast.gamma_gamma.q, 2) == 3.74
    assert round(float(forecast.prediction.expected_purchases[0]), 3) == 1.226
    step_by_step = predict_clv(forecast.purchases, forecast.gamma_gamma, *columns, horizon=39, discount_rate=0.001)
    np.testing.assert_array_equal(forecast.prediction.clv, step_by_step.clv)
    assert forecast.prediction.clv.shape == (2357,)


def test_every_customer_is_predicted_whatever_their_amounts() -> None:
    """CDNOW with three repeat customers whose repeat orders were refunded (average 0 or below): they keep the
    purchase model's P(alive) and expected purchases; the spend model is fitted without them (the same fit as
    on the others alone) and gives them its limit at an average of 0, p·γ/(p·x + q − 1).

    Fails if such customers are dropped, refused, or change the spend model of the others."""
    data = cdnow_summary()
    frequency, recency, age = (data[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    monetary = data["monetary_value"].to_numpy(dtype=float).copy()
    refunded = np.flatnonzero(frequency > 0)[:3]
    monetary[refunded] = [0.0, -15.0, -0.01]
    forecast = fit_and_predict_clv(frequency, recency, age, monetary, horizon=39)
    prediction = forecast.prediction
    assert np.isfinite(prediction.probability_alive).all() and prediction.probability_alive.shape == (2357,)
    np.testing.assert_allclose(
        prediction.expected_purchases, expected_purchases(forecast.purchases, 39, frequency, recency, age), rtol=1e-12
    )
    positive = (frequency > 0) & (monetary > 0)
    spend_fit = forecast.gamma_gamma
    assert spend_fit is not None and spend_fit.customers == int(positive.sum()) == 943
    assert spend_fit == fit_gamma_gamma(frequency[positive], monetary[positive])
    p, q, gamma = spend_fit.p, spend_fit.q, spend_fit.gamma
    x = frequency[refunded]
    np.testing.assert_allclose(prediction.expected_spend[refunded], p * gamma / (p * x + q - 1), rtol=1e-12)
    assert (prediction.expected_spend[refunded] < p * gamma / (q - 1)).all()  # below a new customer's
    np.testing.assert_allclose(
        prediction.clv[refunded], prediction.expected_spend[refunded] * prediction.expected_purchases[refunded]
    )


def test_without_a_spend_model_the_purchase_predictions_remain() -> None:
    """Only one customer with repeat purchases of positive value: Gamma-Gamma cannot be fitted; every customer
    still gets P(alive) and expected purchases, spend and CLV are NaN and the forecast says why."""
    frequency = np.array([2.0, 1.0, 0.0, 3.0, 0.0])
    recency = np.array([20.0, 10.0, 0.0, 30.0, 0.0])
    age = np.array([38.0, 30.0, 25.0, 39.0, 5.0])
    monetary = np.array([30.0, -5.0, 0.0, 0.0, 0.0])
    forecast = fit_and_predict_clv(frequency, recency, age, monetary, horizon=10, model=BGNBD)
    assert forecast.gamma_gamma is None and forecast.spend_problem is not None
    # three customers have repeat purchases, one of positive average: the reason counts that one
    assert forecast.spend_problem.message("en") == (
        "Gamma-Gamma needs at least 2 customers whose repeat purchases average more than 0, got 1"
    )
    assert np.isfinite(forecast.prediction.probability_alive).all()
    assert np.isfinite(forecast.prediction.expected_purchases).all()
    assert np.isnan(forecast.prediction.clv).all() and np.isnan(forecast.prediction.expected_spend).all()
