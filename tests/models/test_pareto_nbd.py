"""The Pareto/NBD model against the published CDNOW estimates, lifetimes' ParetoNBDFitter and adaptive quadrature.

lifetimes computes the likelihood with scipy's hypergeometric function (note 009, eq. 18-20);
clv_xl with the integral those functions come from, by tanh-sinh quadrature. Agreement of
the two, customer by customer, over parameters far from CDNOW's, is what these tests check.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from cdnow_data import cdnow_summary
from scipy.integrate import quad

from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models.pareto_nbd import (
    ParetoNbdParams,
    _customer_log_likelihoods,
    _log_dropout_integral,
    expected_purchases,
    expected_purchases_new_customer,
    fit_pareto_nbd,
    log_likelihood,
    probability_alive,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from lifetimes import ParetoNBDFitter

# Fader, Hardie and Lee (2005), "RFM and CLV", the CDNOW sample: r, alpha, s, beta (LL -9595.0)
PUBLISHED = ParetoNbdParams(r=0.553, alpha=10.578, s=0.606, beta=11.671)
#: Parameter sets far apart: alpha above and below beta, heavy and light buyers, short and long lives.
PARAMETER_SETS = [
    (0.553, 10.578, 0.606, 11.671),
    (0.553, 10.578, 0.606, 1.0),
    (0.553, 1.0, 0.606, 50.0),
    (2.0, 0.5, 0.1, 0.1),
    (0.1, 30.0, 3.0, 0.5),
    (5.0, 1.0, 5.0, 100.0),
    (0.05, 0.01, 0.05, 0.01),
]


def _columns() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    data = cdnow_summary()
    return tuple(data[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))  # type: ignore[return-value]


@pytest.fixture(scope="module")
def cdnow_fit() -> ParetoNbdParams:
    return fit_pareto_nbd(*_columns())


def test_fit_reproduces_the_published_cdnow_estimates(cdnow_fit: ParetoNbdParams) -> None:
    """Published CDNOW estimates r 0.553, alpha 10.578, s 0.606, beta 11.671, LL -9595.0.

    The published beta is 11.671; the exact maximum (clv_xl and lifetimes alike) is at 11.668, with a
    log-likelihood above the published point's: beta is checked to 0.005. Fails if the likelihood
    or its gradient is wrong anywhere the optimiser goes.
    """
    assert round(cdnow_fit.r, 3) == 0.553
    assert round(cdnow_fit.alpha, 3) == 10.578
    assert round(cdnow_fit.s, 3) == 0.606
    assert cdnow_fit.beta == pytest.approx(11.671, abs=0.005)
    assert cdnow_fit.customers == 2357
    at_published = log_likelihood(PUBLISHED, *_columns())
    assert at_published == pytest.approx(-9595.0, abs=0.05)
    assert at_published <= cdnow_fit.log_likelihood < at_published + 0.01


@pytest.mark.parametrize("theta", PARAMETER_SETS)
def test_each_customers_likelihood_equals_lifetimes_hypergeometric_form(theta: tuple[float, ...]) -> None:
    """ℓ_i of every CDNOW customer equals lifetimes' 2F1 form (note 009, eq. 18-20) to 1e-7.

    Fails if the integral, its change of variable or the quadrature weights are wrong.
    """
    x, t_x, age = _columns()
    ours, _ = _customer_log_likelihoods(np.array(theta), x, t_x, age, False)
    with np.errstate(all="ignore"):
        theirs = ParetoNBDFitter._conditional_log_likelihood(theta, x, t_x, age)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-7)


def _integral_by_adaptive_quadrature(theta: tuple[float, ...], x: float, t_x: float, age: float) -> float:
    r, alpha, s, beta = theta
    peak = -(r + x) * np.log(alpha + t_x) - (s + 1) * np.log(beta + t_x)

    def integrand(tau: float) -> float:
        return float(np.exp(-(r + x) * np.log(alpha + tau) - (s + 1) * np.log(beta + tau) - peak))

    value, _ = quad(integrand, t_x, age, epsabs=0, epsrel=1e-13, limit=500)
    return float(peak + np.log(value))


@pytest.mark.parametrize("theta", PARAMETER_SETS)
def test_the_integral_equals_adaptive_quadrature_for_light_and_heavy_buyers(theta: tuple[float, ...]) -> None:
    """ln ∫ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ to 1e-7 against scipy's adaptive quad, up to 1,000 purchases.

    Heavy buyers are where the textbook 2F1 form overflows; fails if the log-space quadrature loses them.
    """
    x = np.array([0.0, 1, 5, 50, 300, 1000, 300, 2])
    t_x = np.array([0.0, 0.5, 30, 38, 38.5, 2, 10, 0.01])
    age = np.full(x.size, 39.0)
    ours, _ = _log_dropout_integral(np.array(theta), x, t_x, age, False)
    expected = [_integral_by_adaptive_quadrature(theta, *row) for row in zip(x, t_x, age, strict=True)]
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-7)


@pytest.mark.parametrize("theta", PARAMETER_SETS[:4])
def test_gradient_equals_finite_differences(theta: tuple[float, ...]) -> None:
    """The analytic gradient of every customer's ℓ_i against central differences (fails on a wrong derivative)."""
    x, t_x, age = _columns()
    point = np.array(theta)
    _, gradient = _customer_log_likelihoods(point, x, t_x, age, True)
    assert gradient is not None
    for k in range(4):
        step = 1e-6 * point[k]
        up, down = point.copy(), point.copy()
        up[k] += step
        down[k] -= step
        numeric = (
            _customer_log_likelihoods(up, x, t_x, age, False)[0]
            - _customer_log_likelihoods(down, x, t_x, age, False)[0]
        ) / (2 * step)
        np.testing.assert_allclose(gradient[k], numeric, rtol=1e-4, atol=1e-6)


def test_fit_and_predictions_equal_lifetimes_per_customer(cdnow_fit: ParetoNbdParams) -> None:
    """Against lifetimes' ParetoNBDFitter on CDNOW: the same fit (to lifetimes' own tolerance) and, with the
    same parameters, the same P(alive), expected purchases in 39 weeks and E[X(t)] for every customer."""
    x, t_x, age = _columns()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.random.seed(20261202)  # lifetimes starts its Nelder-Mead search from random parameters
        fitter = ParetoNBDFitter().fit(x, t_x, age)
    theirs = fitter.params_[["r", "alpha", "s", "beta"]].to_numpy()
    np.testing.assert_allclose([cdnow_fit.r, cdnow_fit.alpha, cdnow_fit.s, cdnow_fit.beta], theirs, rtol=5e-4)
    same = ParetoNbdParams(*theirs)
    np.testing.assert_allclose(probability_alive(same, x, t_x, age), fitter.conditional_probability_alive(x, t_x, age))
    np.testing.assert_allclose(
        expected_purchases(same, 39, x, t_x, age),
        fitter.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, age),
        rtol=1e-8,
    )
    weeks = np.arange(0, 80.0)
    np.testing.assert_allclose(
        expected_purchases_new_customer(same, weeks), fitter.expected_number_of_purchases_up_to_time(weeks), rtol=1e-12
    )


def test_a_customer_who_bought_once_long_ago_is_probably_lost(cdnow_fit: ParetoNbdParams) -> None:
    """Unlike BG/NBD, a one-time buyer of 70 weeks ago is unlikely to be active; one of last week likely is."""
    assert probability_alive(cdnow_fit, 0, 0, 70.0) < 0.3
    assert probability_alive(cdnow_fit, 0, 0, 1.0) > 0.8
    # a customer who just bought is alive for sure
    assert probability_alive(cdnow_fit, 5, 30, 30) == pytest.approx(1.0)


def test_expected_purchases_limits() -> None:
    """Horizon 0 gives 0; s = 1 takes the logarithmic limit (continuous in s); a new customer (T = 0) is alive."""
    params = ParetoNbdParams(r=0.5, alpha=10.0, s=1.0, beta=12.0)
    assert expected_purchases(params, 0.0, 3, 20, 30) == 0.0
    near = [ParetoNbdParams(r=0.5, alpha=10.0, s=1.0 + d, beta=12.0) for d in (-1e-7, 1e-7)]
    at_one = expected_purchases(params, 39.0, 3, 20, 30)
    assert [expected_purchases(p, 39.0, 3, 20, 30) for p in near] == pytest.approx([at_one, at_one], rel=1e-6)
    assert probability_alive(params, 0, 0, 0) == 1.0
    assert expected_purchases(params, 39.0, 0, 0, 0) == pytest.approx(
        float(expected_purchases_new_customer(params, 39.0))
    )


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ClvError, match="Pareto/NBD needs at least 2 customers, got 1"):
        fit_pareto_nbd([2], [10], [20])
    with pytest.raises(ClvError, match="no customer made a repeat purchase") as caught:
        fit_pareto_nbd([0, 0], [0, 0], [5, 6])
    assert caught.value.code is ExcelErrorCode.NUM
    with pytest.raises(ClvError, match="t must not be negative"):
        expected_purchases(PUBLISHED, -1, 1, 2, 3)
    with pytest.raises(ClvError, match="Pareto/NBD parameter beta must be a number greater than 0"):
        ParetoNbdParams(r=1, alpha=1, s=1, beta=0)
