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

from clv_xl.core.checks import ArrayLike, FloatArray, finish
from clv_xl.models.customers import check_horizon, check_purchase_summary, require_finite_prediction
from clv_xl.models.fitting import FitSummary, fit_purchase_summaries, require_positive_parameters

__all__ = [
    "NO_DROPOUT_LIMIT",
    "BgNbdParams",
    "expected_purchases",
    "expected_purchases_new_customer",
    "fit_bgnbd",
    "log_likelihood",
    "probability_alive",
    "purchases_while_alive",
]

MODEL_NAME = "BG/NBD"


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
    theta: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray, with_gradient: bool = True
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
    return fit_purchase_summaries(
        BgNbdParams,
        _customer_log_likelihoods,
        frequency,
        recency,
        T,
        parameters=4,
        time_parameters=(1,),
        penalizer=penalizer,
        model=MODEL_NAME,
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


def purchases_while_alive(
    r: float,
    alpha: float,
    a: float,
    b: float,
    horizon: FloatArray,
    x: FloatArray,
    age: FloatArray,
) -> FloatArray:
    """Expected purchases in the next ``t`` periods of a customer who is alive now (the numerator of eq. 10 of [1]).

    ``(a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]``

    computed through Euler's transformation ``₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z)``
    as ``(a+b+x−1)/(a−1) · [1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z)]``: the same number,
    but its series stays small for heavy buyers (x in the hundreds), where the original
    overflows. The MBG/NBD model's numerator is this one with ``b + 1`` in place of ``b``
    (:mod:`clv_xl.models.mbgnbd`). When the mean dropout probability ``a/(a+b)`` is below
    :data:`NO_DROPOUT_LIMIT`, values the series cannot give take the limit without
    dropout, the NBD model's ``t · (r+x)/(α+T)`` (Ehrenberg; [1], section 2).

    Not checked: the callers check their arguments. NaN or infinity where undefined.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = horizon / (alpha + age + horizon)
        discounted_series = (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        result = (a + b + x - 1) / (a - 1) * (1 - discounted_series)
    if a / (a + b) < NO_DROPOUT_LIMIT:
        # nobody leaves (p = 0 almost surely): the model's limit is the NBD model, whose
        # posterior purchase rate is (r+x)/(α+T); the series above can lose all precision there
        result = np.where(np.isfinite(result), result, horizon * (r + x) / (alpha + age))
    return np.where(horizon == 0, 0.0, result)


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

    ``t`` is in the same time unit as recency, T and alpha. The numerator is
    :func:`purchases_while_alive` (see there for the stable form and the limit when no
    customer leaves).

    Raises
    ------
    ClvError
        ``#NUM!`` when ``t`` is negative, or the summary is invalid.
    """
    horizon = check_horizon(t)
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    horizon, x, t_x, age = np.broadcast_arrays(horizon, x, t_x, age)
    numerator = purchases_while_alive(params.r, params.alpha, params.a, params.b, horizon, x, age)
    with np.errstate(invalid="ignore"):
        result = numerator / (1 + _alive_odds_term(params, x, t_x, age))
    return finish(require_finite_prediction(result, MODEL_NAME), "PURCHASES_EXPECTED")


def expected_purchases_new_customer(params: BgNbdParams, t: ArrayLike) -> float | FloatArray:
    """Expected repeat purchases of a new customer in the ``t`` periods after their first (eq. 7 of [1]).

    ``E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]``

    the numerator of eq. 10 at x = 0 and T = 0 (a new customer is alive). Summed over a
    cohort's customers by the time since their first purchase it gives the tracking
    curve of cumulative repeat purchases ([1], Figure 3).

    Raises
    ------
    ClvError
        ``#NUM!`` when ``t`` is negative.
    """
    horizon = check_horizon(t)
    zero = np.zeros_like(horizon)
    result = purchases_while_alive(params.r, params.alpha, params.a, params.b, horizon, zero, zero)
    return finish(require_finite_prediction(result, MODEL_NAME), "expected purchases of a new customer")
