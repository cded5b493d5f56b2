"""Predicted customer lifetime value from the BG/NBD and Gamma-Gamma models.

For each customer, over the next ``horizon`` periods (the time unit of the data):

    CLV = margin × E[M] × Σ_{k=1..K} (E[Y(t_k)] − E[Y(t_{k−1})]) / (1 + d)^{t_k}

with t_0 = 0, t_k = k for whole periods and t_K = horizon (K = ⌈horizon⌉), E[Y(t)]
the BG/NBD expected purchases in the next t periods, E[M] the Gamma-Gamma expected
spend per purchase and d the discount rate PER PERIOD. The purchases expected in
period k are discounted at the end of that period, as in lifetimes'
``customer_lifetime_value`` (which fixes the period at 30 days).

Time units, the usual source of wrong results: recency, T, alpha, ``horizon`` and
``discount_rate`` all refer to the same period. With weekly data a 1-year horizon is
``horizon = 52`` and a 10 % yearly discount rate is ``discount_rate = 1.10**(1/52) − 1``
(about 0.00183 per week), not 0.10.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from clv_xl.core.checks import ArrayLike, FloatArray, broadcast
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models.bgnbd import BgNbdParams, expected_purchases, fit_bgnbd, probability_alive
from clv_xl.models.customers import check_purchase_summary, check_spend_summary
from clv_xl.models.gamma_gamma import GammaGammaParams, expected_average_spend, fit_gamma_gamma

__all__ = ["ClvForecast", "ClvPrediction", "fit_and_predict_clv", "period_rate", "predict_clv"]


@dataclass(frozen=True)
class ClvPrediction:
    """Per-customer predictions over a horizon (arrays of one value per customer).

    Attributes
    ----------
    expected_purchases
        Expected purchases in the next ``horizon`` periods.
    probability_alive
        Probability that the customer is still active now (at T).
    expected_spend
        Expected value of one future purchase (Gamma-Gamma), in the data's currency.
    clv
        Discounted expected value of the purchases in the horizon, times the margin.
    """

    expected_purchases: FloatArray
    probability_alive: FloatArray
    expected_spend: FloatArray
    clv: FloatArray


def period_rate(yearly_rate: float, periods_per_year: float) -> float:
    """The rate per period equivalent to a yearly rate: ``(1 + yearly)^(1/periods) − 1``.

    10 % a year is 0.7974 % a month (``periods_per_year = 12``) and 0.1835 % a week (52).
    """
    return float((1.0 + yearly_rate) ** (1.0 / periods_per_year) - 1.0)


def _require_scalar(name: str, value: float, lowest: float, key: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number < lowest:
        raise ClvError(ExcelErrorCode.NUM, key, argument=name, value=number)
    return number


def predict_clv(
    bgnbd: BgNbdParams,
    gamma_gamma: GammaGammaParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - T as in the paper
    monetary_value: ArrayLike,
    *,
    horizon: float,
    discount_rate: float = 0.0,
    margin: float = 1.0,
) -> ClvPrediction:
    """Predicted CLV of each customer over the next ``horizon`` periods.

    Parameters
    ----------
    bgnbd, gamma_gamma
        Fitted model parameters (see :func:`clv_xl.models.fit_bgnbd`,
        :func:`clv_xl.models.fit_gamma_gamma`).
    frequency, recency, T, monetary_value
        The per-customer summary (see :mod:`clv_xl.models.customers`), times in the
        period the BG/NBD model was fitted in.
    horizon
        Number of future periods (>= 0, need not be whole).
    discount_rate
        Discount rate per period (>= 0); see :func:`period_rate`.
    margin
        Share of the spend that is profit, 0 to 1 (document 003: CLV from margin);
        default 1 (revenue).

    Returns
    -------
    ClvPrediction
        Arrays with one value per customer.

    Raises
    ------
    ClvError
        ``#NUM!`` for a negative horizon or discount rate, a margin outside 0–1, an
        invalid summary, or Gamma-Gamma q <= 1.
    """
    periods = _require_scalar("horizon", horizon, 0.0, "negative")
    rate = _require_scalar("discount_rate", discount_rate, 0.0, "negative")
    share = _require_scalar("margin", margin, 0.0, "negative")
    if share > 1:
        raise ClvError(ExcelErrorCode.NUM, "rate_range", argument="margin", value=share)
    x, t_x, age, m = broadcast(frequency=frequency, recency=recency, T=T, monetary_value=monetary_value)
    check_purchase_summary(x, t_x, age)
    check_spend_summary(x, m)
    spend = np.asarray(expected_average_spend(gamma_gamma, x, m), dtype=np.float64)

    steps = [float(k) for k in range(1, math.ceil(periods))] + ([periods] if periods > 0 else [])
    discounted = np.zeros(x.shape)
    previous = np.zeros(x.shape)
    for step in steps:
        cumulative = np.asarray(expected_purchases(bgnbd, step, x, t_x, age), dtype=np.float64)
        discounted += (cumulative - previous) / (1.0 + rate) ** step
        previous = cumulative
    return ClvPrediction(
        expected_purchases=previous,
        probability_alive=np.asarray(probability_alive(bgnbd, x, t_x, age), dtype=np.float64),
        expected_spend=spend,
        clv=share * spend * discounted,
    )


@dataclass(frozen=True)
class ClvForecast:
    """Both fitted models and the per-customer predictions made with them."""

    bgnbd: BgNbdParams
    gamma_gamma: GammaGammaParams
    prediction: ClvPrediction


def fit_and_predict_clv(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - T as in the paper
    monetary_value: ArrayLike,
    *,
    horizon: float,
    discount_rate: float = 0.0,
    margin: float = 1.0,
    penalizer: float = 0.0,
) -> ClvForecast:
    """Fit BG/NBD and Gamma-Gamma on the same customers and predict their CLV, in one call.

    The per-customer summary of a list of orders goes in, the predicted CLV table comes
    out: see :func:`fit_bgnbd`, :func:`fit_gamma_gamma` (both with ``penalizer``) and
    :func:`predict_clv` for the arguments, the time unit and the errors.
    """
    bgnbd = fit_bgnbd(frequency, recency, T, penalizer=penalizer)
    gamma_gamma = fit_gamma_gamma(frequency, monetary_value, penalizer=penalizer)
    prediction = predict_clv(
        bgnbd,
        gamma_gamma,
        frequency,
        recency,
        T,
        monetary_value,
        horizon=horizon,
        discount_rate=discount_rate,
        margin=margin,
    )
    return ClvForecast(bgnbd, gamma_gamma, prediction)
