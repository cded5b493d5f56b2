"""The maximum-likelihood optimiser shared by the models.

Each model gives its mean log-likelihood per customer and its gradient as functions
of the parameters; :func:`maximise_likelihood` searches the logarithms of the
parameters (so they stay positive) with BFGS and the analytic gradient, adds the
optional L2 penalty, and checks that the search really converged.

The penalty is the one of lifetimes' ``penalizer_coef``: the objective minimised is

    −(1/N) Σ_i ℓ_i(θ) + penalizer × Σ_k θ_k²

so the same coefficient means the same thing in both (lifetimes also fits the purchase
models with time rescaled so that the longest T is 10, as :func:`fit_purchase_summaries`
does). A small penalizer (0.001 to 0.1) stabilises fits on small data sets.

The three purchase models (BG/NBD, MBG/NBD, Pareto/NBD) are fitted the same way by
:func:`fit_purchase_summaries`: customers with the same (frequency, recency, T) have
the same likelihood, so it is computed once per distinct summary and weighted by its
count (with weekly data most customers share one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from scipy.optimize import minimize

from clv_xl.core.checks import ArrayLike, FloatArray
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import Text
from clv_xl.models.customers import check_purchase_summary, distinct_summaries

__all__ = [
    "CustomerLogLikelihoods",
    "FitSummary",
    "LikelihoodAndGradient",
    "fit_purchase_summaries",
    "maximise_likelihood",
    "require_penalizer",
    "require_positive_parameters",
]

#: Mean log-likelihood per customer and its gradient with respect to the parameters.
LikelihoodAndGradient = Callable[[FloatArray], tuple[float, FloatArray]]

#: Each customer's log-likelihood ℓ_i and, when asked, ∂ℓ_i/∂θ (one row per parameter)
#: under a purchase model, from θ and the summaries (x, t_x, T).
CustomerLogLikelihoods = Callable[
    [FloatArray, FloatArray, FloatArray, FloatArray, bool], tuple[FloatArray, FloatArray | None]
]

#: Time is rescaled so that the longest T is this many units while fitting (as lifetimes does).
TIME_SCALE_TARGET = 10.0

#: Largest gradient (of the mean objective, in log-parameters) accepted as converged
#: when BFGS stops on "precision loss" at the optimum, which it often does.
_GRADIENT_TOLERANCE = 1e-4


@dataclass(frozen=True, kw_only=True)
class FitSummary:
    """What a fit adds to a model's parameters (keyword-only fields of every parameter class).

    Attributes
    ----------
    log_likelihood
        Log-likelihood of the data at the parameters, without the penalty; NaN when
        the parameters were given rather than fitted.
    customers
        Number of customers the model was fitted on (0 when given).
    penalizer
        The L2 penalty coefficient used in the fit.
    """

    log_likelihood: float = float("nan")
    customers: int = 0
    penalizer: float = 0.0


def require_positive_parameters(model: str, **parameters: float) -> None:
    """Model parameters must be finite and > 0, else ``#NUM!``."""
    for name, value in parameters.items():
        if not np.isfinite(value) or value <= 0:
            raise ClvError(ExcelErrorCode.NUM, "model_parameter", argument=name, model=model, value=float(value))


def require_penalizer(penalizer: float) -> float:
    """The penalizer as a float, or ``#NUM!`` when it is negative or not finite."""
    value = float(penalizer)
    if not np.isfinite(value) or value < 0:
        raise ClvError(ExcelErrorCode.NUM, "negative", argument="penalizer", value=value)
    return value


def maximise_likelihood(
    mean_log_likelihood: LikelihoodAndGradient,
    start: FloatArray,
    *,
    penalizer: float,
    model: str,
) -> FloatArray:
    """Parameters that maximise the (penalised) mean log-likelihood.

    Parameters
    ----------
    mean_log_likelihood
        ``θ -> (mean ℓ(θ), ∂ mean ℓ / ∂θ)`` for positive parameters θ.
    start
        Positive starting parameters.
    penalizer
        L2 penalty coefficient (0 for the plain maximum-likelihood estimate).
    model
        Name of the model, for the error message.

    Returns
    -------
    numpy.ndarray
        The fitted parameters θ (positive).

    Raises
    ------
    ClvError
        ``#NUM!`` (``model_not_converged``) when the search fails or ends at
        parameters that are not finite.
    """
    best = _BestPoint()

    def objective(log_theta: FloatArray) -> tuple[float, FloatArray]:
        theta = np.exp(log_theta)
        value, gradient = mean_log_likelihood(theta)
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return np.inf, np.zeros_like(theta)
        penalty = penalizer * float(np.sum(theta**2))
        value, gradient = -value + penalty, (-gradient + 2 * penalizer * theta) * theta
        best.track(log_theta, value, gradient)
        return value, gradient

    with np.errstate(all="ignore"):
        try:
            result = minimize(
                objective, np.log(start), jac=True, method="BFGS", options={"gtol": 1e-8, "maxiter": 2000}
            )
            found, value, slope, message = result.x, result.fun, result.jac, result.message
            success = bool(result.success)
        except _Stalled:
            found, value, slope, message = best.x, best.value, best.gradient, "stalled"
            success = True
        theta = np.exp(found)
        largest_gradient = float(np.max(np.abs(slope))) if np.all(np.isfinite(slope)) else np.inf
    converged = success or largest_gradient < _GRADIENT_TOLERANCE
    if not converged or not np.all(np.isfinite(theta)) or not np.isfinite(value):
        raise ClvError(ExcelErrorCode.NUM, "model_not_converged", model=model, reason=_search_stopped(message))
    return theta


#: The search stops when the objective has not improved, relative to its size, by more than
#: :data:`_STALL_TOLERANCE` in :data:`_STALL_EVALUATIONS` evaluations while the best point's
#: gradient is within :data:`_GRADIENT_TOLERANCE`: the maximum is reached as closely as the
#: arithmetic allows. BFGS would otherwise go on searching its line in vain (then stop on
#: "precision loss" at the same point, which is accepted as converged), or walk along a
#: ridge where the likelihood no longer changes (Pareto/NBD on a base whose customers all
#: leave at one rate: s and beta grow together without end, their ratio fixed).
_STALL_EVALUATIONS = 6
_STALL_TOLERANCE = 1e-12


class _Stalled(Exception):
    """Raised by the objective to end a search that no longer improves (see :data:`_STALL_EVALUATIONS`)."""


@dataclass
class _BestPoint:
    """The best point of a search so far, and for how many evaluations it has not improved."""

    value: float = np.inf
    x: FloatArray = field(default_factory=lambda: np.empty(0))
    gradient: FloatArray = field(default_factory=lambda: np.full(1, np.inf))
    since: int = 0

    def track(self, log_theta: FloatArray, value: float, gradient: FloatArray) -> None:
        """Remember a point if it is the best; raise :class:`_Stalled` when the search has stopped improving."""
        improved = value < self.value - _STALL_TOLERANCE * max(1.0, abs(value))
        if value < self.value:  # better, if only by rounding: keep it
            self.value, self.x, self.gradient = value, log_theta.copy(), gradient.copy()
        self.since = 0 if improved else self.since + 1
        if self.since >= _STALL_EVALUATIONS and float(np.max(np.abs(self.gradient))) < _GRADIENT_TOLERANCE:
            raise _Stalled


#: Why scipy's BFGS search stopped, in both languages (its messages are English only).
_STOPPED = {
    "Maximum number of function evaluations has been exceeded.": Text("too many evaluations", "troppe valutazioni"),
    "Maximum number of iterations has been exceeded.": Text("too many iterations", "troppe iterazioni"),
    "Desired error not necessarily achieved due to precision loss.": Text(
        "the search lost precision before the maximum", "la ricerca ha perso precisione prima del massimo"
    ),
    "NaN result encountered.": Text("a value that is not a number", "un valore che non è un numero"),
    "stalled": Text("the search stopped improving", "la ricerca ha smesso di migliorare"),
}


def _search_stopped(reason: object) -> Text:
    """Why the search stopped, as :data:`_STOPPED` says it (an unknown reason as scipy wrote it)."""
    text = str(reason)
    return _STOPPED.get(text, Text(text, text))


#: The parameter class of the model being fitted.
Params = TypeVar("Params", bound=FitSummary)


def fit_purchase_summaries(
    params_type: type[Params],
    customer_log_likelihoods: CustomerLogLikelihoods,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - T as in the papers
    *,
    parameters: int,
    time_parameters: Sequence[int],
    penalizer: float,
    model: str,
) -> Params:
    """Fit a purchase model on per-customer summaries by maximum likelihood.

    The likelihood is computed once per distinct (x, t_x, T), weighted by its count;
    time is rescaled so that the longest T is :data:`TIME_SCALE_TARGET` while the
    search runs (the parameters ``time_parameters``, rates in the time unit such as
    alpha and beta, are scaled back afterwards); the search starts from θ = 1.

    Parameters
    ----------
    params_type
        The model's parameter class, built from θ (in order) and what the fit found.
    customer_log_likelihoods
        The model's ``(θ, x, t_x, T, with_gradient) -> (ℓ_i, ∂ℓ_i/∂θ)``.
    frequency, recency, T
        One value per customer (see :mod:`clv_xl.models.customers`).
    parameters
        Number of parameters in θ.
    time_parameters
        Indices in θ of the parameters measured in the time unit.
    penalizer
        L2 penalty coefficient (see :func:`maximise_likelihood`).
    model
        Name of the model, for the messages.

    Raises
    ------
    ClvError
        ``#NUM!`` for a bad summary (naming the row), a negative penalizer, fewer
        than 2 customers, no customer with a repeat purchase, or no convergence.
    """
    penalty = require_penalizer(penalizer)
    x, t_x, age = (v.ravel() for v in check_purchase_summary(frequency, recency, T, locate=True))
    if x.size < 2:
        raise ClvError(ExcelErrorCode.NUM, "model_too_few_customers", model=model, count=x.size, minimum=2)
    if not (x > 0).any():
        raise ClvError(ExcelErrorCode.NUM, "model_no_repeat_purchases", model=model)
    distinct = distinct_summaries(x, t_x, age)
    ux, u_recency, u_age, counts = distinct.x, distinct.t_x, distinct.age, distinct.counts
    weights = counts / x.size
    scale = TIME_SCALE_TARGET / float(age.max())
    scaled_recency, scaled_age = u_recency * scale, u_age * scale

    def mean_log_likelihood(theta: FloatArray) -> tuple[float, FloatArray]:
        ll, gradient = customer_log_likelihoods(theta, ux, scaled_recency, scaled_age, True)
        return float(weights @ ll), gradient @ weights  # type: ignore[operator]

    theta = maximise_likelihood(mean_log_likelihood, np.ones(parameters), penalizer=penalty, model=model)
    theta[list(time_parameters)] /= scale
    ll, _ = customer_log_likelihoods(theta, ux, u_recency, u_age, False)
    return params_type(
        *(float(v) for v in theta), log_likelihood=float(counts @ ll), customers=int(x.size), penalizer=penalty
    )
