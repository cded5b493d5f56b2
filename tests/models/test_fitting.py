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
