"""The MBG/NBD model against lifetimes' ModifiedBetaGeoFitter, customer by customer, and its own identities."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from cdnow_data import cdnow_summary

from clv_xl.errors import ClvError
from clv_xl.models.mbgnbd import (
    MbgNbdParams,
    _customer_log_likelihoods,
    expected_purchases,
    expected_purchases_new_customer,
    fit_mbgnbd,
    log_likelihood,
    probability_alive,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from lifetimes import ModifiedBetaGeoFitter


def _columns() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    data = cdnow_summary()
    return tuple(data[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))  # type: ignore[return-value]


@pytest.fixture(scope="module")
def fitted() -> tuple[MbgNbdParams, ModifiedBetaGeoFitter]:
    x, t_x, age = _columns()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter = ModifiedBetaGeoFitter().fit(x, t_x, age)
    return fit_mbgnbd(x, t_x, age), fitter


def test_fit_equals_lifetimes_on_cdnow(fitted: tuple[MbgNbdParams, ModifiedBetaGeoFitter]) -> None:
    """r, alpha, a, b as lifetimes finds them on the CDNOW sample (0.525, 6.183, 0.891, 1.614), and the same LL."""
    ours, fitter = fitted
    theirs = fitter.params_[["r", "alpha", "a", "b"]].to_numpy()
    np.testing.assert_allclose([ours.r, ours.alpha, ours.a, ours.b], theirs, rtol=1e-4)
    assert [round(v, 3) for v in (ours.r, ours.alpha, ours.a, ours.b)] == [0.525, 6.183, 0.891, 1.614]
    x, t_x, age = _columns()
    assert log_likelihood(ours, x, t_x, age) == pytest.approx(ours.log_likelihood, rel=1e-12)
    assert ours.customers == 2357


def test_predictions_equal_lifetimes_per_customer(fitted: tuple[MbgNbdParams, ModifiedBetaGeoFitter]) -> None:
    """With lifetimes' parameters: P(alive), E[Y(39)] and E[X(t)] of every CDNOW customer to 1e-10."""
    _, fitter = fitted
    same = MbgNbdParams(*fitter.params_[["r", "alpha", "a", "b"]].to_numpy())
    x, t_x, age = _columns()
    np.testing.assert_allclose(probability_alive(same, x, t_x, age), fitter.conditional_probability_alive(x, t_x, age))
    np.testing.assert_allclose(
        expected_purchases(same, 39, x, t_x, age),
        fitter.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, age),
        rtol=1e-10,
    )
    weeks = np.arange(0, 80.0)
    np.testing.assert_allclose(
        expected_purchases_new_customer(same, weeks), fitter.expected_number_of_purchases_up_to_time(weeks), rtol=1e-10
    )


def test_gradient_equals_finite_differences() -> None:
    """The analytic gradient of every customer's ℓ_i against central differences."""
    x, t_x, age = _columns()
    point = np.array([0.5, 5.0, 0.7, 1.3])
    _, gradient = _customer_log_likelihoods(point, x, t_x, age, True)
    assert gradient is not None
    for k in range(4):
        up, down = point.copy(), point.copy()
        up[k] += 1e-6
        down[k] -= 1e-6
        numeric = (
            _customer_log_likelihoods(up, x, t_x, age, False)[0]
            - _customer_log_likelihoods(down, x, t_x, age, False)[0]
        ) / 2e-6
        np.testing.assert_allclose(gradient[k], numeric, rtol=1e-5, atol=1e-7)


def test_one_time_buyers_may_have_left(fitted: tuple[MbgNbdParams, ModifiedBetaGeoFitter]) -> None:
    """The difference with BG/NBD: a customer without repeat purchases is alive with probability b/(a+b) at
    most (they may have left right after the first), less the longer ago they bought."""
    params, _ = fitted
    fresh = float(probability_alive(params, 0, 0, 0))
    assert fresh == pytest.approx(params.b / (params.a + params.b))
    assert float(probability_alive(params, 0, 0, 70)) < fresh < 1


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ClvError, match="MBG/NBD needs at least 2 customers, got 1"):
        fit_mbgnbd([2], [10], [20])
    with pytest.raises(ClvError, match="recency, row 2: must not be negative"):
        fit_mbgnbd([1, 2], [3, -4], [10, 10])
