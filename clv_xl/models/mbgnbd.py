"""The MBG/NBD model: the BG/NBD model in which a customer can also leave right after the first purchase.

Batislam, Denizel and Filiztekin (2007) keep the BG/NBD story (purchases at random
with rate λ ~ Gamma(r, α) while active; a dropout probability p ~ Beta(a, b)) but let
the customer drop out after EVERY purchase, the first one included, as corrected by
Wagner and Hoppe (2008). A customer who bought once and never again is then not
certainly active, which is what the BG/NBD model assumes and what makes its P(alive)
misleading for bases with many one-time buyers.

Time units: ``recency``, ``T``, the horizon ``t`` and ``alpha`` are in the SAME unit
(the "period").

References
----------
.. [1] Batislam, E. P., Denizel, M. and Filiztekin, A. (2007), "Empirical validation
   and comparison of models for customer base analysis", International Journal of
   Research in Marketing 24(3), 201-209 (Appendix A: likelihood, P(alive)).
.. [2] Wagner, U. and Hoppe, D. (2008), "Erratum on the MBG/NBD Model", International
   Journal of Research in Marketing 25(3), 225-226 (the conditional expectation).
.. [3] lifetimes' ``ModifiedBetaGeoFitter`` (the same formulas; used in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln

from clv_xl.core.checks import ArrayLike, FloatArray, finish
from clv_xl.models.bgnbd import purchases_while_alive
from clv_xl.models.customers import check_horizon, check_purchase_summary, require_finite_prediction
from clv_xl.models.fitting import FitSummary, fit_purchase_summaries, require_positive_parameters

__all__ = [
    "MODEL_NAME",
    "MbgNbdParams",
    "expected_purchases",
    "expected_purchases_new_customer",
    "fit_mbgnbd",
    "log_likelihood",
    "probability_alive",
]

MODEL_NAME = "MBG/NBD"


@dataclass(frozen=True)
class MbgNbdParams(FitSummary):
    """Fitted (or given) MBG/NBD parameters.

    Attributes
    ----------
    r, alpha
        Shape and rate of the Gamma distribution of the purchase rate λ across
        customers; ``alpha`` is in the time unit of the data.
    a, b
        Parameters of the Beta distribution of the dropout probability p (after
        every purchase, the first included).
    log_likelihood, customers, penalizer
        What the fit found (see :class:`clv_xl.models.fitting.FitSummary`).
    """

    r: float
    alpha: float
    a: float
    b: float

    def __post_init__(self) -> None:
        require_positive_parameters(MODEL_NAME, r=self.r, alpha=self.alpha, a=self.a, b=self.b)


def _log_dropout_odds(
    r: float, alpha: float, a: float, b: float, x: FloatArray, t_x: FloatArray, age: FloatArray
) -> FloatArray:
    """ln[a/(b+x) · ((α+T)/(α+t_x))^(r+x)]: the odds that the customer left at the last purchase."""
    return np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x))


def _customer_log_likelihoods(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray, with_gradient: bool = True
) -> tuple[FloatArray, FloatArray | None]:
    """ℓ_i for every customer ([1], Appendix A, in logs) and, optionally, ∂ℓ_i/∂(r, α, a, b)."""
    r, alpha, a, b = (float(v) for v in theta)
    odds = _log_dropout_odds(r, alpha, a, b, x, t_x, age)
    ll = (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + betaln(a, b + x + 1)
        - betaln(a, b)
        - (r + x) * np.log(alpha + age)
        + np.logaddexp(0.0, odds)
    )
    if not with_gradient:
        return ll, None
    left = expit(odds)  # the share of the likelihood in which the customer left at t_x
    log_age, log_recency = np.log(alpha + age), np.log(alpha + t_x)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - log_age + left * (log_age - log_recency)
    d_alpha = r / alpha - (r + x) / (alpha + age) + left * (r + x) * (1 / (alpha + age) - 1 / (alpha + t_x))
    d_ab = digamma(a + b) - digamma(a + b + x + 1)
    d_a = d_ab + left / a
    d_b = d_ab + digamma(b + x + 1) - digamma(b) - left / (b + x)
    return ll, np.stack([d_r, d_alpha, d_a, d_b])


def log_likelihood(params: MbgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> float:  # noqa: N803
    """Log-likelihood of the customers' (frequency, recency, T) under ``params`` ([1], Appendix A).

    ``LL = Σ_i ln[ B(a, b+x+1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
    · (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)) ]``
    """
    x, t_x, age = (v.ravel() for v in check_purchase_summary(frequency, recency, T))
    theta = np.array([params.r, params.alpha, params.a, params.b])
    ll, _ = _customer_log_likelihoods(theta, x, t_x, age, False)
    return float(ll.sum())


def fit_mbgnbd(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - T as in the paper
    *,
    penalizer: float = 0.0,
) -> MbgNbdParams:
    """Fit the MBG/NBD model by maximum likelihood, as :func:`clv_xl.models.bgnbd.fit_bgnbd` does.

    The same arguments (one value per customer, times in one unit; an optional L2
    ``penalizer`` as lifetimes' ``penalizer_coef``) and the same errors (``#NUM!``
    naming the bad row, fewer than 2 customers, no repeat purchase, no convergence);
    returns MbgNbdParams: r, alpha (in the time unit of the data), a, b, with the log-likelihood.
    """
    return fit_purchase_summaries(
        MbgNbdParams,
        _customer_log_likelihoods,
        frequency,
        recency,
        T,
        parameters=4,
        time_parameters=(1,),
        penalizer=penalizer,
        model=MODEL_NAME,
    )


def probability_alive(
    params: MbgNbdParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Probability that a customer is still active at T ([1], Appendix A, eq. 5).

    ``P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x))``

    for every customer, one-time buyers included (they may have left right after
    their first purchase).
    """
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    return finish(expit(-_log_dropout_odds(params.r, params.alpha, params.a, params.b, x, t_x, age)), "P_ALIVE")


def expected_purchases(
    params: MbgNbdParams,
    t: ArrayLike,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Expected number of purchases in the next ``t`` periods ([2]).

    ``E[Y(t) | x, t_x, T] = (a+b+x)/(a−1)
    · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive)``

    The bracket is the BG/NBD one with ``b + 1`` in place of ``b``, computed by
    :func:`clv_xl.models.bgnbd.purchases_while_alive` (stable for heavy buyers).

    Raises
    ------
    ClvError
        ``#NUM!`` when ``t`` is negative, or the summary is invalid.
    """
    horizon = check_horizon(t)
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    horizon, x, t_x, age = np.broadcast_arrays(horizon, x, t_x, age)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    numerator = purchases_while_alive(r, alpha, a, b + 1, horizon, x, age)
    with np.errstate(invalid="ignore"):
        result = numerator * expit(-_log_dropout_odds(r, alpha, a, b, x, t_x, age))
    return finish(require_finite_prediction(result, MODEL_NAME), "PURCHASES_EXPECTED")


def expected_purchases_new_customer(params: MbgNbdParams, t: ArrayLike) -> float | FloatArray:
    """Expected repeat purchases of a new customer in the ``t`` periods after their first ([1]).

    ``E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b+1; a+b; t/(α+t))]``

    the alive customer's expectation at x = 0, T = 0 times b/(a+b), the probability
    of not leaving right after the first purchase.

    Raises
    ------
    ClvError
        ``#NUM!`` when ``t`` is negative.
    """
    horizon = check_horizon(t)
    zero = np.zeros_like(horizon)
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    result = b / (a + b) * purchases_while_alive(r, alpha, a, b + 1, horizon, zero, zero)
    return finish(require_finite_prediction(result, MODEL_NAME), "expected purchases of a new customer")
