"""The maximum-likelihood optimiser shared by the models.

Each model gives its mean log-likelihood per customer and its gradient as functions
of the parameters; :func:`maximise_likelihood` searches the logarithms of the
parameters (so they stay positive) with BFGS and the analytic gradient, adds the
optional L2 penalty, and checks that the search really converged.

The penalty is the one of lifetimes' ``penalizer_coef``: the objective minimised is

    −(1/N) Σ_i ℓ_i(θ) + penalizer × Σ_k θ_k²

so the same coefficient means the same thing in both (lifetimes also fits the BG/NBD
model with time rescaled so that the longest T is 10, as :mod:`clv_xl.models.bgnbd`
does). A small penalizer (0.001 to 0.1) stabilises fits on small data sets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from clv_xl.core.checks import FloatArray
from clv_xl.errors import ClvError, ExcelErrorCode

__all__ = [
    "FitSummary",
    "LikelihoodAndGradient",
    "maximise_likelihood",
    "require_penalizer",
    "require_positive_parameters",
]

#: Mean log-likelihood per customer and its gradient with respect to the parameters.
LikelihoodAndGradient = Callable[[FloatArray], tuple[float, FloatArray]]

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

    def objective(log_theta: FloatArray) -> tuple[float, FloatArray]:
        theta = np.exp(log_theta)
        value, gradient = mean_log_likelihood(theta)
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return np.inf, np.zeros_like(theta)
        penalty = penalizer * float(np.sum(theta**2))
        return -value + penalty, (-gradient + 2 * penalizer * theta) * theta

    with np.errstate(all="ignore"):
        result = minimize(objective, np.log(start), jac=True, method="BFGS", options={"gtol": 1e-8, "maxiter": 2000})
        theta = np.exp(result.x)
        largest_gradient = float(np.max(np.abs(result.jac))) if np.all(np.isfinite(result.jac)) else np.inf
    converged = result.success or largest_gradient < _GRADIENT_TOLERANCE
    if not converged or not np.all(np.isfinite(theta)) or not np.isfinite(result.fun):
        raise ClvError(ExcelErrorCode.NUM, "model_not_converged", model=model, reason=str(result.message))
    return theta
