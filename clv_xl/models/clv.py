"""Predicted customer lifetime value from a purchase model and the Gamma-Gamma spend model.

For each customer, over the next ``horizon`` periods (the time unit of the data):

    CLV = margin × E[M] × Σ_{k=1..K} (E[Y(t_k)] − E[Y(t_{k−1})]) / (1 + d)^{t_k}

with t_0 = 0, t_k = k for whole periods and t_K = horizon (K = ⌈horizon⌉), E[Y(t)]
the expected purchases in the next t periods of the purchase model (BG/NBD, MBG/NBD
or Pareto/NBD, :mod:`clv_xl.models.purchase_models`), E[M] the Gamma-Gamma expected
spend per purchase and d the discount rate PER PERIOD. The purchases expected in
period k are discounted at the end of that period, as in lifetimes'
``customer_lifetime_value`` (which fixes the period at 30 days).

Every customer gets a probability of being active and expected purchases, whatever
their amounts: amounts matter to the spend model only. The Gamma-Gamma model is
fitted on the customers with repeat purchases of positive average value; a customer
whose repeat purchases average 0 or less (refunds) counts as averaging 0 in it
(:func:`clv_xl.models.gamma_gamma.expected_average_spend` with ``clip_at_zero``).

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
from clv_xl.models.customers import check_purchase_summary, distinct_summaries
from clv_xl.models.gamma_gamma import MODEL_NAME as SPEND_MODEL
from clv_xl.models.gamma_gamma import GammaGammaParams, expected_average_spend, fit_gamma_gamma
from clv_xl.models.purchase_models import (
    ModelKey,
    PurchaseParams,
    expected_purchases,
    fit_purchase_model,
    probability_alive,
)

__all__ = ["ClvForecast", "ClvPrediction", "fit_and_predict_clv", "period_rate", "predict_clv"]

#: Horizons evaluated per call of the purchase model (memory: this many values per customer).
_STEPS_PER_CALL = 8


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
        Expected value of one future purchase (Gamma-Gamma), in the data's currency;
        NaN when no spend model was given.
    clv
        Discounted expected value of the purchases in the horizon, times the margin;
        NaN when no spend model was given.
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
    purchases: PurchaseParams,
    gamma_gamma: GammaGammaParams | None,
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
    purchases
        Fitted parameters of a purchase model (BG/NBD, MBG/NBD or Pareto/NBD; see
        :mod:`clv_xl.models.purchase_models`).
    gamma_gamma
        Fitted Gamma-Gamma parameters (:func:`clv_xl.models.fit_gamma_gamma`), or None
        for purchase predictions only (spend and CLV are then NaN).
    frequency, recency, T, monetary_value
        The per-customer summary (see :mod:`clv_xl.models.customers`), times in the
        period the purchase model was fitted in. A repeat customer whose
        ``monetary_value`` is 0 or less counts as averaging 0 in the spend model.
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
    if gamma_gamma is None:
        spend = np.full(x.shape, np.nan)
    else:
        spend = np.asarray(expected_average_spend(gamma_gamma, x, m, clip_at_zero=True), dtype=np.float64)

    # customers with the same (x, t_x, T) expect the same purchases: compute once per distinct summary,
    # several horizons per call (a model's P(alive) is then computed once for them)
    distinct = distinct_summaries(x.ravel(), t_x.ravel(), age.ravel())
    inverse = distinct.inverse
    px, pt, pa = distinct.x[None, :], distinct.t_x[None, :], distinct.age[None, :]
    steps = np.array([float(k) for k in range(1, math.ceil(periods))] + ([periods] if periods > 0 else []))
    discounted = np.zeros(distinct.x.size)
    previous = np.zeros(distinct.x.size)
    for block in range(0, steps.size, _STEPS_PER_CALL):
        horizons = steps[block : block + _STEPS_PER_CALL, None]
        cumulative = np.asarray(expected_purchases(purchases, horizons, px, pt, pa), dtype=np.float64)
        for step, purchases_by_step in zip(horizons[:, 0], cumulative, strict=True):
            discounted += (purchases_by_step - previous) / (1.0 + rate) ** step
            previous = purchases_by_step
    return ClvPrediction(
        expected_purchases=previous[inverse].reshape(x.shape),
        probability_alive=np.asarray(probability_alive(purchases, px, pt, pa), dtype=np.float64)[0][inverse].reshape(
            x.shape
        ),
        expected_spend=spend,
        clv=share * spend * discounted[inverse].reshape(x.shape),
    )


@dataclass(frozen=True)
class ClvForecast:
    """The fitted models and the per-customer predictions made with them.

    Attributes
    ----------
    purchases
        The purchase model's parameters (its class says which model).
    gamma_gamma
        The spend model's parameters; None when it could not be fitted.
    prediction
        One value per customer, every customer (spend and CLV NaN without a spend model).
    spend_problem
        Why the spend model could not be fitted (fewer than 2 customers with repeat
        purchases of positive value, no convergence, q <= 1), else None.
    """

    purchases: PurchaseParams
    gamma_gamma: GammaGammaParams | None
    prediction: ClvPrediction
    spend_problem: ClvError | None = None


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
    model: ModelKey | PurchaseParams = "bgnbd",
) -> ClvForecast:
    """Fit a purchase model and Gamma-Gamma on the same customers and predict their CLV, in one call.

    The per-customer summary of a list of orders goes in, the predicted CLV table comes
    out, with a row for EVERY customer.

    Parameters
    ----------
    frequency, recency, T, monetary_value, horizon, discount_rate, margin
        As in :func:`predict_clv` (the time unit, the errors).
    model
        The purchase model to fit (``"bgnbd"``, ``"mbgnbd"`` or ``"pareto"``; default
        BG/NBD), or parameters already fitted (see :mod:`clv_xl.models.choice` for the
        choice among the three).
    penalizer
        L2 penalty of both fits (see :mod:`clv_xl.models.fitting`).

    Notes
    -----
    The Gamma-Gamma model is fitted on the customers with repeat purchases whose
    average value is positive; customers whose repeat purchases average 0 or less
    (refunds) are left out of that fit only, and count as averaging 0 in it. When the
    spend model cannot be fitted, the purchase predictions are still returned, with
    spend and CLV NaN and the reason in :attr:`ClvForecast.spend_problem`.

    Raises
    ------
    ClvError
        When the purchase model cannot be fitted, or the arguments are invalid.
    """
    if isinstance(model, str):
        purchases = fit_purchase_model(model, frequency, recency, T, penalizer=penalizer)
    else:
        purchases = model
    x, m = broadcast(frequency=frequency, monetary_value=monetary_value)
    positive = (x > 0) & (m > 0)
    gamma_gamma: GammaGammaParams | None = None
    spend_problem: ClvError | None = None
    spending = int(np.count_nonzero(positive))
    try:
        if spending < 2:  # say it in the spend model's words, not as an empty range of the fit
            raise ClvError(
                ExcelErrorCode.NUM, "model_too_few_spending_customers", model=SPEND_MODEL, count=spending, minimum=2
            )
        gamma_gamma = fit_gamma_gamma(x[positive], m[positive], penalizer=penalizer)
        expected_average_spend(gamma_gamma, 0.0, 0.0)  # q <= 1: an infinite mean spend
    except ClvError as error:
        gamma_gamma, spend_problem = None, error
    prediction = predict_clv(
        purchases,
        gamma_gamma,
        frequency,
        recency,
        T,
        monetary_value,
        horizon=horizon,
        discount_rate=discount_rate,
        margin=margin,
    )
    return ClvForecast(purchases, gamma_gamma, prediction, spend_problem)
