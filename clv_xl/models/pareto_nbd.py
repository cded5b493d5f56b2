"""The Pareto/NBD model: purchases while alive, and a lifetime of random length.

Schmittlein, Morrison and Colombo (1987) assume that, while active, a customer buys at
random (a Poisson process of rate λ, λ varying across customers as Gamma(r, α)) and
stays active for an exponential time of rate μ (μ varying as Gamma(s, β)); λ and μ are
independent. Unlike the BG/NBD model, a customer can be lost without buying again:
someone who bought once long ago is probably gone. From each customer's (frequency x,
recency t_x, T) the four parameters are estimated by maximum likelihood.

Time units: recency, T, the horizon ``t``, ``alpha`` and ``beta`` are all in the SAME
unit (the "period"). The expected purchase rate of a new customer is ``r / alpha`` per
period; the expected lifetime is ``beta / (s − 1)`` periods when s > 1 (infinite
otherwise: a few customers never leave).

The hypergeometric terms
------------------------
The likelihood (eq. 18-20 of [2]) is usually written with two Gauss hypergeometric
functions ₂F₁ whose difference cancels badly (and which lifetimes evaluates at every
step of a gradient-free search). Here it is computed from the integral they come from:

``L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s · I ]``,
``I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ``

(the customer buys x times and dies at τ between t_x and T; [2], eq. 11 integrated
over λ and μ). In the variable ``u = ln(m + τ)``, with m the smaller of α and β, the
logarithm of the integrand is concave with a bounded curvature; after an exponential
change of variable that follows its slope at t_x, the integral is a bounded, monotone
function on [0, 1], which tanh-sinh (double exponential) quadrature integrates to
about 1e-12 with :data:`QUADRATURE_NODES` nodes, in logarithms (no overflow for heavy
buyers). The derivatives of I with respect to r, α, s, β are integrals of the same
kind, computed on the same nodes, which gives the analytic gradient the shared
optimiser (:mod:`clv_xl.models.fitting`) needs; P(alive) uses the same I.

References
----------
.. [1] Schmittlein, D. C., Morrison, D. G. and Colombo, R. (1987), "Counting Your
   Customers: Who Are They and What Will They Do Next?", Management Science 33(1), 1-24.
.. [2] Fader, P. S. and Hardie, B. G. S. (2005), "A Note on Deriving the Pareto/NBD
   Model and Related Expressions", http://brucehardie.com/notes/009/ (eq. 18-20:
   likelihood; eq. 22: P(alive); eq. 27: E[X(t)]; eq. 41: conditional expectation).
.. [3] Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: Using
   Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4),
   415-430 (CDNOW estimates r = 0.553, alpha = 10.578, s = 0.606, beta = 11.671).
.. [4] Takahasi, H. and Mori, M. (1974), "Double exponential formulas for numerical
   integration", Publ. RIMS Kyoto Univ. 9, 721-741 (tanh-sinh quadrature).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, expit, gammaln

from clv_xl.core.checks import ArrayLike, FloatArray, finish
from clv_xl.models.customers import check_horizon, check_purchase_summary, distinct_summaries
from clv_xl.models.fitting import FitSummary, fit_purchase_summaries, require_positive_parameters

__all__ = [
    "MODEL_NAME",
    "QUADRATURE_NODES",
    "ParetoNbdParams",
    "expected_purchases",
    "expected_purchases_new_customer",
    "fit_pareto_nbd",
    "log_likelihood",
    "probability_alive",
]

MODEL_NAME = "Pareto/NBD"


@dataclass(frozen=True)
class ParetoNbdParams(FitSummary):
    """Fitted (or given) Pareto/NBD parameters.

    Attributes
    ----------
    r, alpha
        Shape and rate of the Gamma distribution of the purchase rate λ across
        customers; ``alpha`` is in the time unit of the data.
    s, beta
        Shape and rate of the Gamma distribution of the dropout rate μ across
        customers; ``beta`` is in the time unit of the data.
    log_likelihood, customers, penalizer
        What the fit found (see :class:`clv_xl.models.fitting.FitSummary`).
    """

    r: float
    alpha: float
    s: float
    beta: float

    def __post_init__(self) -> None:
        require_positive_parameters(MODEL_NAME, r=self.r, alpha=self.alpha, s=self.s, beta=self.beta)


def _tanh_sinh_rule(half: int, step: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Nodes y on (0, 1), their complements 1 − y (exact near 1) and weights of tanh-sinh quadrature ([4])."""
    k = step * np.arange(-half, half + 1)
    z = np.pi * np.sinh(k)
    nodes = expit(z)
    complements = expit(-z)
    weights = step * np.pi * np.cosh(k) * nodes * complements  # dy/dk of y = 1 / (1 + e^(−π sinh k))
    return nodes, complements, weights


#: Nodes of the quadrature of I: 31 give about 1e-12 on the logarithm of I over the
#: parameters met in practice (checked against adaptive quadrature in the tests).
QUADRATURE_NODES = 31
_NODES, _COMPLEMENTS, _WEIGHTS = _tanh_sinh_rule((QUADRATURE_NODES - 1) // 2, 0.2)
#: Below this |slope × length| the exponential change of variable is the identity.
_LINEAR_LIMIT = 1e-8


#: Customers per block of the quadrature: a block's node arrays stay in the processor's
#: cache, which makes the whole computation about twice as fast as one pass over all.
_BLOCK = 4096


def _log_dropout_integral(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray, with_gradient: bool
) -> tuple[FloatArray, FloatArray | None]:
    """The logarithm of I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ per customer and, optionally, ∂ ln I/∂(r, α, s, β).

    −inf (and a zero gradient) where t_x = T. See the module's docstring for the method.
    """
    log_integral = np.full(x.shape, -np.inf)
    gradient = np.zeros((4, *x.shape))
    rows = np.flatnonzero(age > t_x)
    for start in range(0, rows.size, _BLOCK):
        block = rows[start : start + _BLOCK]
        log_integral[block], block_gradient = _log_dropout_integral_block(
            theta, x[block], t_x[block], age[block], with_gradient
        )
        if block_gradient is not None:
            gradient[:, block] = block_gradient
    return log_integral, gradient if with_gradient else None


def _log_dropout_integral_block(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray, with_gradient: bool
) -> tuple[FloatArray, FloatArray | None]:
    """:func:`_log_dropout_integral` for customers with t_x < T (one block)."""
    r, alpha, s, beta = (float(v) for v in theta)
    purchases = r + x
    dropout = s + 1.0
    alpha_is_smaller = alpha <= beta
    smaller, gap = (alpha, beta - alpha) if alpha_is_smaller else (beta, alpha - beta)
    # u = ln(m + τ): the integrand is exp(φ(u)), φ(u) = −(k1 − 1) u − k2 ln(gap + e^u), concave
    k1 = purchases if alpha_is_smaller else np.full_like(purchases, dropout)
    k2 = np.full_like(purchases, dropout) if alpha_is_smaller else purchases
    start = smaller + t_x
    u0 = np.log(start)
    length = np.log(smaller + age) - u0
    far_start = gap + start
    log_far_start = np.log(far_start)
    slope = (k1 - 1.0) + k2 * start / far_start  # c = −φ'(u0)
    linear = np.abs(slope * length) < _LINEAR_LIMIT
    rate = np.where(linear, 1.0, slope)
    # u − u0 = −ln((1 − y) + y e^(−c L)) / c maps y in [0, 1] onto [u0, u0 + L] with
    # du/dy = (1 − e^(−c L)) / c · e^(c (u − u0)); the integrand becomes
    # q(y) = exp(φ(u) − φ(u0) + c (u − u0)) ≤ 1 (φ lies below its tangent at u0)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        span = np.where(linear, length, -np.expm1(-rate * length) / rate)
        shift = np.multiply.outer(np.exp(-rate * length), _NODES)
        shift += _COMPLEMENTS
        np.log(shift, out=shift)
        shift *= (-1.0 / rate)[:, None]
        if linear.any():
            shift[linear] = np.multiply.outer(length[linear], _NODES)
        log_near = shift + u0[:, None]
        near = np.exp(log_near)  # m + τ at the nodes
        far = near + gap
        log_far = np.log(far)
        q = log_far - log_far_start[:, None]
        q *= -k2[:, None]
        q += shift * np.where(linear, 0.0, rate - (k1 - 1.0))[:, None]
        np.exp(q, out=q)
        q *= _WEIGHTS
        total = q.sum(axis=1)
        log_integral = -(k1 - 1.0) * u0 - k2 * log_far_start + np.log(span) + np.log(total)
    if not with_gradient:
        return log_integral, None
    q /= total[:, None]  # each node's share of I
    if alpha_is_smaller:
        log_alpha, log_beta, inverse_alpha, inverse_beta = log_near, log_far, 1.0 / near, 1.0 / far
    else:
        log_alpha, log_beta, inverse_alpha, inverse_beta = log_far, log_near, 1.0 / far, 1.0 / near
    gradient = np.stack(
        [
            -np.einsum("ij,ij->i", q, log_alpha),
            -purchases * np.einsum("ij,ij->i", q, inverse_alpha),
            -np.einsum("ij,ij->i", q, log_beta),
            -dropout * np.einsum("ij,ij->i", q, inverse_beta),
        ]
    )
    return log_integral, gradient


def _log_terms(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray, with_gradient: bool
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None]:
    """The logarithms of the "alive at T" term and of s · I, the constant A1, and ∂ ln I/∂θ."""
    r, alpha, s, beta = (float(v) for v in theta)
    log_integral, integral_gradient = _log_dropout_integral(theta, x, t_x, age, with_gradient)
    alive = -(r + x) * np.log(alpha + age) - s * np.log(beta + age)
    died = np.log(s) + log_integral
    constant = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    return alive, died, constant, integral_gradient


def _customer_log_likelihoods(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, age: FloatArray, with_gradient: bool = True
) -> tuple[FloatArray, FloatArray | None]:
    """ℓ_i for every customer (eq. 18 of [2], in logs) and, optionally, ∂ℓ_i/∂(r, α, s, β)."""
    r, alpha, s, beta = (float(v) for v in theta)
    alive, died, constant, integral_gradient = _log_terms(theta, x, t_x, age, with_gradient)
    mixed = np.logaddexp(alive, died)
    ll = constant + mixed
    if integral_gradient is None:
        return ll, None
    w_alive = np.exp(alive - mixed)
    w_died = np.exp(died - mixed)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w_alive * np.log(alpha + age) + w_died * integral_gradient[0]
    d_alpha = r / alpha - w_alive * (r + x) / (alpha + age) + w_died * integral_gradient[1]
    d_s = np.log(beta) - w_alive * np.log(beta + age) + w_died * (1.0 / s + integral_gradient[2])
    d_beta = s / beta - w_alive * s / (beta + age) + w_died * integral_gradient[3]
    return ll, np.stack([d_r, d_alpha, d_s, d_beta])


def _theta(params: ParetoNbdParams) -> FloatArray:
    return np.array([params.r, params.alpha, params.s, params.beta])


def log_likelihood(params: ParetoNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> float:  # noqa: N803
    """Log-likelihood of the customers' (frequency, recency, T) under ``params`` (eq. 18 of [2]).

    ``LL = Σ_i ln[ Γ(r+x) α^r β^s / Γ(r) · ( 1 / ((α+T)^(r+x) (β+T)^s)
    + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ) ]``
    """
    x, t_x, age = (v.ravel() for v in check_purchase_summary(frequency, recency, T))
    ll, _ = _customer_log_likelihoods(_theta(params), x, t_x, age, False)
    return float(ll.sum())


def fit_pareto_nbd(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - T as in the paper
    *,
    penalizer: float = 0.0,
) -> ParetoNbdParams:
    """Fit the Pareto/NBD model by maximum likelihood, as :func:`clv_xl.models.bgnbd.fit_bgnbd` does.

    The same arguments (one value per customer, times in one unit; an optional L2
    ``penalizer`` as lifetimes' ``penalizer_coef``) and the same errors (``#NUM!``
    naming the bad row, fewer than 2 customers, no repeat purchase, no convergence);
    returns ParetoNbdParams: r, alpha, s, beta (alpha and beta in the time unit of the data), with the log-likelihood.
    """
    return fit_purchase_summaries(
        ParetoNbdParams,
        _customer_log_likelihoods,
        frequency,
        recency,
        T,
        parameters=4,
        time_parameters=(1, 3),
        penalizer=penalizer,
        model=MODEL_NAME,
    )


def _probability_alive(params: ParetoNbdParams, x: FloatArray, t_x: FloatArray, age: FloatArray) -> FloatArray:
    """P(alive) of each customer, computed once per distinct (x, t_x, T)."""
    x, t_x, age = np.broadcast_arrays(x, t_x, age)
    distinct = distinct_summaries(x.ravel(), t_x.ravel(), age.ravel())
    alive, died, _, _ = _log_terms(_theta(params), distinct.x, distinct.t_x, distinct.age, False)
    return np.asarray(expit(alive - died))[distinct.inverse].reshape(x.shape)


def probability_alive(
    params: ParetoNbdParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Probability that a customer is still active at T (eq. 22 of [2]).

    ``P(alive | x, t_x, T) = 1 / (1 + s (α+T)^(r+x) (β+T)^s · I)``, with I the integral
    of the likelihood. A customer who bought once long ago is probably lost (unlike
    the BG/NBD model, where they count as active).
    """
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    return finish(_probability_alive(params, x, t_x, age), "P_ALIVE")


def _lifetime_share(s: float, horizon: FloatArray, base: FloatArray) -> FloatArray:
    """``[1 − (base/(base+t))^(s−1)] / (s−1)``, with its limit ``ln(1 + t/base)`` at s = 1."""
    log_ratio = np.log1p(horizon / base)
    if abs(s - 1.0) < 1e-12:
        return log_ratio
    return -np.expm1(-(s - 1.0) * log_ratio) / (s - 1.0)


def expected_purchases(
    params: ParetoNbdParams,
    t: ArrayLike,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Expected number of purchases in the next ``t`` periods (eq. 41 of [2]).

    ``E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)``

    (at s = 1 the bracket over s − 1 is its limit ln(1 + t/(β+T))). ``t`` is in the
    same time unit as recency, T, alpha and beta.

    Raises
    ------
    ClvError
        ``#NUM!`` when ``t`` is negative, or the summary is invalid.
    """
    horizon = check_horizon(t)
    x, t_x, age = check_purchase_summary(frequency, recency, T)
    alive = _probability_alive(params, x, t_x, age)  # once per customer, whatever the horizons
    rate = (params.r + x) / (params.alpha + age)
    share = _lifetime_share(params.s, horizon, params.beta + age)
    return finish(rate * (params.beta + age) * share * alive, "PURCHASES_EXPECTED")


def expected_purchases_new_customer(params: ParetoNbdParams, t: ArrayLike) -> float | FloatArray:
    """Expected repeat purchases of a new customer in the ``t`` periods after their first (eq. 27 of [2]).

    ``E[X(t)] = r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)]``

    Raises
    ------
    ClvError
        ``#NUM!`` when ``t`` is negative.
    """
    horizon = check_horizon(t)
    beta = np.full_like(horizon, params.beta)
    return finish(
        params.r / params.alpha * params.beta * _lifetime_share(params.s, horizon, beta),
        "expected purchases of a new customer",
    )
