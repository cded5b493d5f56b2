"""The Gamma-Gamma model against the published CDNOW estimates, hand-computed values and simulated data."""

from __future__ import annotations

import numpy as np
import pytest
from cdnow_data import cdnow_summary

from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models import BgNbdParams, GammaGammaParams, simulate_customers
from clv_xl.models.gamma_gamma import _customer_log_likelihoods, expected_average_spend, fit_gamma_gamma, log_likelihood

# Fader and Hardie, note 025: the CDNOW estimates
PUBLISHED = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)


@pytest.fixture(scope="module")
def cdnow_fit() -> GammaGammaParams:
    data = cdnow_summary()
    return fit_gamma_gamma(data["frequency"], data["monetary_value"])


def test_fit_reproduces_the_published_cdnow_estimates(cdnow_fit: GammaGammaParams) -> None:
    # published CDNOW estimate (note 025): p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat customers.
    # The exact maximum has gamma = 15.4477 (lifetimes finds the same); the note's Solver run stopped at
    # 15.44, a log-likelihood 0.0015 lower, so gamma is checked to within one unit of its last digit.
    assert cdnow_fit.customers == 946
    assert round(cdnow_fit.p, 2) == 6.25
    assert round(cdnow_fit.q, 2) == 3.74
    assert cdnow_fit.gamma == pytest.approx(15.44, abs=0.01)
    data = cdnow_summary()
    at_published = log_likelihood(PUBLISHED, data["frequency"], data["monetary_value"])
    assert at_published <= cdnow_fit.log_likelihood < at_published + 0.01


def test_expected_spend_hand_computed() -> None:
    # hand-computed with the published parameters: (p*gamma + p*x*m) / (p*x + q - 1)
    # customer 1 of CDNOW, x = 2, m = 22.35: (96.5 + 279.375) / 15.24 = 24.66371...
    assert expected_average_spend(PUBLISHED, 2, 22.35) == pytest.approx(375.875 / 15.24, rel=1e-12)
    # no repeat purchase: the population mean p*gamma/(q - 1) = 96.5 / 2.74 = 35.2189...
    assert expected_average_spend(PUBLISHED, 0, 0) == pytest.approx(96.5 / 2.74, rel=1e-12)


def test_expected_spend_moves_from_the_population_mean_towards_the_customer_mean() -> None:
    # model property: the more repeat purchases, the more weight on the customer's own average
    spend = np.asarray(expected_average_spend(PUBLISHED, [1, 5, 50, 500], 100.0))
    assert np.all(np.diff(spend) > 0) and spend[-1] == pytest.approx(100.0, rel=0.01)


def test_analytic_gradient_matches_finite_differences() -> None:
    # calculus check of the gradient the optimiser uses, on the first CDNOW repeat customers
    data = cdnow_summary()
    repeat = data[data["frequency"] > 0].iloc[:50]
    x, m = repeat["frequency"].to_numpy(dtype=float), repeat["monetary_value"].to_numpy(dtype=float)
    theta = np.array([6.0, 3.5, 15.0])
    _, gradient = _customer_log_likelihoods(theta, x, m)
    for k in range(3):
        shift = np.zeros(3)
        shift[k] = 1e-6 * theta[k]
        up, _ = _customer_log_likelihoods(theta + shift, x, m)
        down, _ = _customer_log_likelihoods(theta - shift, x, m)
        np.testing.assert_allclose(gradient[k], (up - down) / (2 * shift[k]), rtol=1e-5, atol=1e-8)


def test_fit_recovers_the_parameters_of_simulated_customers() -> None:
    # simulated data (fixed seed): p and gamma are strongly correlated in this model, so each is checked
    # to 15 % and the population mean spend p*gamma/(q-1), which the data pin down, to 3 %
    true = GammaGammaParams(p=6.0, q=4.0, gamma=15.0)
    rng = np.random.default_rng(20261122)
    customers = simulate_customers(BgNbdParams(r=0.8, alpha=5.0, a=1.2, b=3.5), true, rng.uniform(40, 80, 30_000), rng)
    fitted = fit_gamma_gamma(customers.frequency, customers.monetary_value)
    for name in ("p", "q", "gamma"):
        assert getattr(fitted, name) == pytest.approx(getattr(true, name), rel=0.15), name
    assert fitted.p * fitted.gamma / (fitted.q - 1) == pytest.approx(30.0, rel=0.03)


def test_too_few_repeat_customers_cannot_be_fitted() -> None:
    with pytest.raises(ClvError, match="at least 2 customers with repeat purchases") as caught:
        fit_gamma_gamma([0, 3, 0], [0, 20.0, 0])
    assert caught.value.code is ExcelErrorCode.NUM


def test_zero_spend_of_a_repeat_customer_names_the_row() -> None:
    with pytest.raises(ClvError, match="monetary_value, row 3: must be greater than 0"):
        fit_gamma_gamma([1, 0, 2], [10.0, 0, 0])


def test_infinite_population_mean_is_an_error() -> None:
    with pytest.raises(ClvError, match="q = 0.9 is not greater than 1"):
        expected_average_spend(GammaGammaParams(p=1, q=0.9, gamma=1), 1, 10)
