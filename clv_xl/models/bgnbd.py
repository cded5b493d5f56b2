"""The BG/NBD model: how many purchases a customer will make, and whether they are still active.

Fader, Hardie and Lee (2005) assume that, while active, a customer buys at random
(a Poisson process of rate λ, λ varying across customers as Gamma(r, α)), and after
each repeat purchase becomes inactive for good with probability p (p varying as
Beta(a, b)); λ and p are independent. From each customer's (frequency x, recency
t_x, T) the four parameters are estimated by maximum likelihood.

Time units: ``recency``, ``T`` and the prediction horizon ``t`` are in the SAME unit
(the "period": days, weeks, months...), and ``alpha`` is in that unit too, so the
expected number of purchases per period of a new customer is ``r / alpha``. Fitting
on weeks and predicting with ``t`` in months gives wrong answers without any error.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "Counting Your Customers
   the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2),
   275-284 (eq. 6: likelihood; eq. 10: conditional expectation; CDNOW estimates
   r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4).
.. [2] Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2008), "Computing P(alive) Using
   the BG/NBD Model", http://brucehardie.com/notes/021/.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, gammaln, hyp2f1

from clv_xl.core.checks import ArrayLike, FloatArray, broadcast, finish
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models.customers import check_purchase_summary
from clv_xl.models.fitting import FitSummary, maximise_likelihood, require_penalizer, require_positive_parameters

__all__ = [
    "BgNbdParams",
    "expected_purchases",
    "fit_bgnbd",
    "log_likelihood",
    "probability_alive",
]

MODEL_NAME = "BG/NBD"

#: Time is rescaled so that the longest T is this many units while fitting (as lifetimes does).
_TIME_SCALE_TARGET = 10.0


@dataclass(frozen=True)
class BgNbdParams(FitSummary):
    """Fitted (or given) BG/NBD parameters.

    Attributes
    ----------
    r, alpha
        Shape and rate of the Gamma distribution of the purchase rate λ across
        customers; ``alpha`` is in the time unit of the data.
    a, b
        Parameters of the Beta distribution of the drop-out probability p.
    log_likelihood, customers, penalizer
        What the fit found (see :class:`clv_xl.models.fitting.FitSummary`).
    """

    r: float
    alpha: float
    a: float
    b: float

    def __post_init__(self) -> None:
        require_positive_parameters(MODEL_NAME, r=self.r, alpha=self.alpha, a=self.a, b=self.b)


#: A fitted mean dropout probability a / (a + b) below this: the data shows no customer
#: leaving, the fit runs a to 0, and expected purchases take the no-dropout limit where
#: the series stops giving finite numbers.
NO_DROPOUT_LIMIT = 1e-6


def _customer_log_likelihoods(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray, *, with_gradient: bool = True
) -> tuple[FloatArray, FloatArray | None]:
    """ℓ_i for every customer (eq. 6 of [1], in logs) and, optionally, ∂ℓ_i/∂(r, α, a, b)."""
    r, alpha, a, b = theta
    repeat = x > 0
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + age)
    a4 = np.where(repeat, np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x), -np.inf)
    mixed = np.logaddexp(a3, a4)
    ll = a1 + a2 + mixed
    if not with_gradient:
        return ll, None
    w3 = np.exp(a3 - mixed)
    w4 = np.exp(a4 - mixed)
    log_age, log_recency = np.log(alpha + age), np.log(alpha + t_x)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * log_age - w4 * log_recency
    d_alpha = r / alpha - (r + x) * (w3 / (alpha + age) + w4 / (alpha + t_x))
    d_ab = digamma(a + b) - digamma(a + b + x)
    d_a = d_ab + w4 / a
    d_b = d_ab + digamma(b + x) - digamma(b) - w4 / (b + np.maximum(x, 1) - 1)
    return ll, np.stack([d_r, d_alpha, d_a, d_b])


def log_likelihood(params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> float:  # noqa: N803
    """Log-likelihood of the customers' (frequency, recency, T) under ``params`` (eq. 6 of [1]).

    ``LL = Σ_i ln[ B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
    + δ(x>0) B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)) ]``
    """
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    theta = np.array([params.r, params.alpha, params.a, params.b])
    ll, _ = _customer_log_likelihoods(theta, x.ravel(), t_x.ravel(), age.ravel(), with_gradient=False)
    return float(ll.sum())


def fit_bgnbd(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - T as in the paper
    *,
    penalizer: float = 0.0,
) -> BgNbdParams:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    frequency, recency, T
        One value per customer (see :mod:`clv_xl.models.customers`), times in one
        unit (the period).
    penalizer
        L2 penalty coefficient, as lifetimes' ``penalizer_coef`` (default 0).

    Returns
    -------
    BgNbdParams
        r, alpha (in the time unit of the data), a, b and the log-likelihood.

    Raises
    ------
    ClvError
        ``#NUM!`` for a bad summary (naming the row), fewer than 2 customers, no
        customer with a repeat purchase, or a fit that does not converge.
    """
    penalty = require_penalizer(penalizer)
    x, t_x, age = (v.ravel() for v in check_purchase_summary(frequency, recency, T, locate=True))
    if x.size < 2:
        raise ClvError(ExcelErrorCode.NUM, "model_too_few_customers", model=MODEL_NAME, count=x.size, minimum=2)
    if not (x > 0).any():
        raise ClvError(ExcelErrorCode.NUM, "model_no_repeat_purchases", model=MODEL_NAME)
    # customers with the same (x, t_x, T) have the same likelihood: compute it once per distinct
    # summary, weighted by its count (with daily or weekly data most customers share one)
    distinct, counts = np.unique(np.column_stack([x, t_x, age]), axis=0, return_counts=True)
    ux, u_recency, u_age = distinct.T
    weights = counts / x.size
    scale = _TIME_SCALE_TARGET / float(age.max())
    scaled_recency, scaled_age = u_recency * scale, u_age * scale

    def mean_log_likelihood(theta: FloatArray) -> tuple[float, FloatArray]:
        ll, gradient = _customer_log_likelihoods(theta, ux, scaled_recency, scaled_age)
        return float(weights @ ll), gradient @ weights  # type: ignore[operator]

    r, scaled_alpha, a, b = maximise_likelihood(mean_log_likelihood, np.ones(4), penalizer=penalty, model=MODEL_NAME)
    theta = np.array([r, scaled_alpha / scale, a, b])
    ll, _ = _customer_log_likelihoods(theta, ux, u_recency, u_age, with_gradient=False)
    return BgNbdParams(
        *(float(v) for v in theta), log_likelihood=float(counts @ ll), customers=int(x.size), penalizer=penalty
    )


def _alive_odds_term(params: BgNbdParams, x: FloatArray, t_x: FloatArray, age: FloatArray) -> FloatArray:
    """δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x), computed in logs."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    repeat = x > 0
    log_term = np.log(a) - np.log(b + np.maximum(x, 1) - 1) + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x))
    return np.where(repeat, np.exp(log_term), 0.0)


def probability_alive(
    params: BgNbdParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Probability that a customer is still active at T (eq. 2 of [2]).

    ``P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))``

    A customer without repeat purchases is alive with probability 1 in this model
    (drop-out happens only after a repeat purchase).
    """
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    return finish(1.0 / (1.0 + _alive_odds_term(params, x, t_x, age)), "P_ALIVE")


def expected_purchases(
    params: BgNbdParams,
    t: ArrayLike,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Expected number of purchases in the next ``t`` periods (eq. 10 of [1]).

    ``E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1)
    · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
    / [1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)]``

    ``t`` is in the same time unit as recency, T and alpha. When the fit finds no
    customer leaving (mean dropout probability ``a/(a+b)`` below
    :data:`NO_DROPOUT_LIMIT`), a customer whose value the series cannot give gets the
    model's limit without dropout, the NBD model's ``t · (r+x)/(α+T)`` (Ehrenberg;
    Fader, Hardie and Lee 2005, section 2).

    Raises
    ------
    ClvError
        ``#NUM!`` when ``t`` is negative, or the summary is invalid.
    """
    (horizon,) = broadcast(t=t)
    if (horizon < 0).any():
        raise ClvError(
            ExcelErrorCode.NUM,
            "negative",
            argument="t",
            value=float(horizon[horizon < 0].ravel()[0]),
            mask=np.broadcast_to(horizon < 0, horizon.shape),
        )
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    horizon, x, t_x, age = np.broadcast_arrays(horizon, x, t_x, age)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    with np.errstate(divide="ignore", invalid="ignore"):
        z = horizon / (alpha + age + horizon)
        # ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z) rewritten with Euler's transformation
        # 2F1(A, B; C; z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z) as (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z):
        # the same number, but its series stays small for heavy buyers (x in the hundreds), where the
        # original overflows
        discounted_series = (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        numerator = (a + b + x - 1) / (a - 1) * (1 - discounted_series)
        result = numerator / (1 + _alive_odds_term(params, x, t_x, age))
    if a / (a + b) < NO_DROPOUT_LIMIT:
        # nobody leaves (p = 0 almost surely): the model's limit is the NBD model, whose
        # posterior purchase rate is (r+x)/(α+T); the series above can lose all precision there
        result = np.where(np.isfinite(result), result, horizon * (r + x) / (alpha + age))
    result = np.where(horizon == 0, 0.0, result)
    if not np.all(np.isfinite(result)):
        raise ClvError(ExcelErrorCode.NUM, "model_prediction_undefined", model=MODEL_NAME, mask=~np.isfinite(result))
    return finish(result, "PURCHASES_EXPECTED")
