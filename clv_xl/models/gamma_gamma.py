"""The Gamma-Gamma model: how much a customer spends per purchase.

Fader and Hardie's note 025 assumes that the value of each purchase of a customer is
Gamma(p, ν) around the customer's own mean, that ν varies across customers as
Gamma(q, γ), and that spend is independent of how often a customer buys (check it:
the correlation between frequency and monetary_value of the repeat customers should
be close to 0). Only customers with at least one repeat purchase are fitted, on the
average value of their repeat purchases.

Money is in the currency of the data (€); the model has no time unit.

References
----------
.. [1] Fader, P. S. and Hardie, B. G. S. (2013), "The Gamma-Gamma Model of Monetary
   Value", http://brucehardie.com/notes/025/ (eq. 1a: likelihood; eq. 5:
   conditional expectation; CDNOW estimates p = 6.25, q = 3.74, γ = 15.44).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln

from clv_xl.core.checks import ArrayLike, FloatArray, broadcast, finish
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models.customers import check_spend_summary
from clv_xl.models.fitting import FitSummary, maximise_likelihood, require_penalizer, require_positive_parameters

__all__ = ["GammaGammaParams", "expected_average_spend", "fit_gamma_gamma", "log_likelihood"]

MODEL_NAME = "Gamma-Gamma"


@dataclass(frozen=True)
class GammaGammaParams(FitSummary):
    """Fitted (or given) Gamma-Gamma parameters.

    Attributes
    ----------
    p
        Shape of the Gamma distribution of one purchase's value around the customer's mean.
    q, gamma
        Shape and rate of the Gamma distribution of ν across customers; the mean
        spend per purchase in the population is ``p·gamma/(q−1)`` (for q > 1).
    log_likelihood, customers, penalizer
        What the fit found (see :class:`clv_xl.models.fitting.FitSummary`).
    """

    p: float
    q: float
    gamma: float

    def __post_init__(self) -> None:
        require_positive_parameters(MODEL_NAME, p=self.p, q=self.q, gamma=self.gamma)


def _customer_log_likelihoods(theta: FloatArray, x: FloatArray, m: FloatArray) -> tuple[FloatArray, FloatArray]:
    """ℓ_i of every repeat customer (eq. 1a of [1], in logs) and ∂ℓ_i/∂(p, q, γ)."""
    p, q, gamma = theta
    px = p * x
    log_total = np.log(gamma + x * m)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_total
    )
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - log_total)
    d_q = digamma(px + q) - digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (gamma + x * m)
    return ll, np.stack([d_p, d_q, d_gamma])


def _repeat_customers(frequency: ArrayLike, monetary_value: ArrayLike, locate: bool) -> tuple[FloatArray, FloatArray]:
    x, m = (v.ravel() for v in check_spend_summary(frequency, monetary_value, locate=locate))
    repeat = x > 0
    return x[repeat], m[repeat]


def log_likelihood(params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike) -> float:
    """Log-likelihood of the repeat customers' average spend under ``params`` (eq. 1a of [1]).

    ``ℓ = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + x m)``
    summed over customers with x > 0 (m: average value of their repeat purchases).
    """
    x, m = _repeat_customers(frequency, monetary_value, locate=False)
    ll, _ = _customer_log_likelihoods(np.array([params.p, params.q, params.gamma]), x, m)
    return float(ll.sum())


def fit_gamma_gamma(frequency: ArrayLike, monetary_value: ArrayLike, *, penalizer: float = 0.0) -> GammaGammaParams:
    """Fit the Gamma-Gamma model by maximum likelihood on the customers with frequency > 0.

    Parameters
    ----------
    frequency
        Repeat purchases per customer; customers with 0 are left out of the fit.
    monetary_value
        Average value of each customer's repeat purchases (> 0 where frequency > 0).
    penalizer
        L2 penalty coefficient, as lifetimes' ``penalizer_coef`` (default 0).

    Raises
    ------
    ClvError
        ``#NUM!`` for a bad summary (naming the row), fewer than 2 repeat
        customers, or a fit that does not converge.
    """
    penalty = require_penalizer(penalizer)
    x, m = _repeat_customers(frequency, monetary_value, locate=True)
    if x.size < 2:
        raise ClvError(ExcelErrorCode.NUM, "model_too_few_repeat_customers", model=MODEL_NAME, count=x.size, minimum=2)

    # the terms of (p, q) alone depend on x only: computed once per distinct frequency, and
    # the logarithms of x and m once for the whole search
    frequencies, position = np.unique(x, return_inverse=True)
    counts = np.bincount(position).astype(np.float64)
    log_x, log_m = np.log(x), np.log(m)
    constant = float(np.mean(x * (log_m + log_x)))  # the mean of px·(ln m + ln x), divided by p
    mean_log_m = float(np.mean(log_m))
    spent = x * m

    def mean_log_likelihood(theta: FloatArray) -> tuple[float, FloatArray]:
        p, q, gamma = (float(v) for v in theta)
        shape = p * frequencies + q  # px + q per distinct x
        log_total = np.log(gamma + spent)
        weighted = counts / x.size
        ll_x = gammaln(shape) - gammaln(p * frequencies) - gammaln(q)
        d_shape = digamma(shape)
        per_x = np.bincount(position, weights=log_total, minlength=frequencies.size)  # Σ ln(γ + x m) by x
        mean_ll = (
            float(weighted @ ll_x)
            + q * np.log(gamma)
            + p * constant
            - mean_log_m
            - float((frequencies * p + q) @ per_x) / x.size
        )
        d_p = float(
            (frequencies * (d_shape - digamma(p * frequencies))) @ weighted + constant - (frequencies @ per_x) / x.size
        )
        d_q = float(weighted @ d_shape) - float(digamma(q)) + np.log(gamma) - float(per_x.sum()) / x.size
        d_gamma = q / gamma - float(np.mean((p * x + q) / (gamma + spent)))
        return mean_ll, np.array([d_p, d_q, d_gamma])

    theta = maximise_likelihood(mean_log_likelihood, np.ones(3), penalizer=penalty, model=MODEL_NAME)
    ll, _ = _customer_log_likelihoods(theta, x, m)
    return GammaGammaParams(
        *(float(v) for v in theta), log_likelihood=float(ll.sum()), customers=int(x.size), penalizer=penalty
    )


def expected_average_spend(
    params: GammaGammaParams,
    frequency: ArrayLike,
    monetary_value: ArrayLike,
    *,
    clip_at_zero: bool = False,
) -> float | FloatArray:
    """Expected average value of a customer's future purchases (eq. 5 of [1]).

    ``E[M | x, m] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m = (pγ + p x m)/(px + q − 1)``

    a weighted mean of the population mean ``pγ/(q−1)`` and the customer's own
    average ``m``; a customer without repeat purchases gets the population mean.

    Parameters
    ----------
    params
        Fitted Gamma-Gamma parameters.
    frequency, monetary_value
        Repeat purchases and the average value of the repeat purchases.
    clip_at_zero
        The model describes positive spends only. By default an average of 0 or less
        for a customer with repeat purchases is an error; with ``clip_at_zero`` it
        counts as 0 (their repeat orders were refunded or free), which gives
        ``pγ/(px+q−1)``: the model's limit as the average falls to 0, below the
        population mean and lower with each such purchase.

    Raises
    ------
    ClvError
        ``#NUM!`` when q <= 1 (the population mean spend is infinite) or the summary
        is invalid.
    """
    if params.q <= 1:
        raise ClvError(ExcelErrorCode.NUM, "model_infinite_spend", argument="q", value=params.q)
    if clip_at_zero:
        x, m = broadcast(frequency=frequency, monetary_value=monetary_value)
        x, m = check_spend_summary(x, np.maximum(m, 0.0), positive=False)
    else:
        x, m = check_spend_summary(frequency, monetary_value)
    p, q, gamma = params.p, params.q, params.gamma
    return finish((p * gamma + p * x * m) / (p * x + q - 1), "SPEND_EXPECTED")
