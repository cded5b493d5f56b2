"""The shared optimiser: convergence on a known maximum, and a clear error when there is none."""

from __future__ import annotations

import numpy as np
import pytest

from clv_xl.core.checks import FloatArray
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models.fitting import maximise_likelihood


def _peaked_at_2_and_5(theta: FloatArray) -> tuple[float, FloatArray]:
    # hand-made likelihood with its maximum at theta = (2, 5)
    target = np.array([2.0, 5.0])
    return float(-np.sum((theta - target) ** 2)), -2 * (theta - target)


def _growing_forever(theta: FloatArray) -> tuple[float, FloatArray]:
    # no maximum: the likelihood grows without bound with theta[0]
    return float(theta[0] ** 2), np.array([2 * theta[0], 0.0])


def test_finds_a_known_maximum() -> None:
    found = maximise_likelihood(_peaked_at_2_and_5, np.ones(2), penalizer=0.0, model="test")
    np.testing.assert_allclose(found, [2.0, 5.0], rtol=1e-6)


def test_penalty_pulls_the_maximum_towards_zero() -> None:
    # hand-computed: maximise -(t-2)^2 - c t^2 -> t = 2 / (1 + c); with c = 1, (1, 2.5)
    found = maximise_likelihood(_peaked_at_2_and_5, np.ones(2), penalizer=1.0, model="test")
    np.testing.assert_allclose(found, [1.0, 2.5], rtol=1e-6)


def test_no_maximum_is_a_clear_error() -> None:
    with pytest.raises(ClvError, match="test: the fit did not converge") as caught:
        maximise_likelihood(_growing_forever, np.ones(2), penalizer=0.0, model="test")
    assert caught.value.code is ExcelErrorCode.NUM
    assert "riprova con un penalizer" in caught.value.message("it")


def _quantised_ridge(theta: FloatArray) -> tuple[float, FloatArray]:
    # maximum at theta[0] = 2 along a ridge that rises ever more slowly with theta[1], its value known to 1e-9
    # only: the likelihood stops changing long before the gradient vanishes (Pareto/NBD on a base where every
    # customer leaves at one rate: s and beta grow together, the likelihood no longer moves)
    value = round(-((theta[0] - 2.0) ** 2) - 1e-3 / theta[1], 9)
    return float(value), np.array([-2.0 * (theta[0] - 2.0), 1e-3 / theta[1] ** 2])


def test_a_search_that_stops_improving_ends_there() -> None:
    """The search ends six evaluations after its last improvement (here BFGS alone went on with its line search
    for 75 evaluations, then stopped on "precision loss" at the same point), and returns the best point, at the
    maximum as closely as the likelihood's precision shows it. Fails when the rule ends a search before it
    stalls, returns another point than the best, or never stops it."""
    evaluations: list[float] = []

    def counted(theta: FloatArray) -> tuple[float, FloatArray]:
        value, gradient = _quantised_ridge(theta)
        evaluations.append(value)
        return value, gradient

    found = maximise_likelihood(counted, np.ones(2), penalizer=0.0, model="test")
    assert found[0] == pytest.approx(2.0, abs=1e-4) and _quantised_ridge(found)[0] == max(evaluations) == 0.0
    last_improvement = max(i for i, v in enumerate(evaluations) if v > max(evaluations[:i], default=-np.inf) + 1e-12)
    assert len(evaluations) - 1 - last_improvement == 6


def test_the_stop_rule_leaves_a_normal_search_alone() -> None:
    """On a likelihood with a maximum, the search ends on BFGS's own gradient test, at the maximum to 1e-8."""
    found = maximise_likelihood(_peaked_at_2_and_5, np.array([0.3, 40.0]), penalizer=0.0, model="test")
    np.testing.assert_allclose(found, [2.0, 5.0], rtol=1e-8)
