"""The three purchase models side by side: names as users write them, dispatch by parameter class, BIC."""

from __future__ import annotations

import math

import pytest
from cdnow_data import cdnow_summary

from clv_xl.models import bgnbd, mbgnbd, pareto_nbd
from clv_xl.models.purchase_models import (
    MODEL_KEYS,
    PURCHASE_MODELS,
    bic,
    expected_purchases,
    fit_purchase_model,
    model_key,
    probability_alive,
    purchase_model,
)


@pytest.mark.parametrize(
    ("text", "key"),
    [("BG/NBD", "bgnbd"), ("bgnbd", "bgnbd"), (" MBG/NBD ", "mbgnbd"), ("Pareto/NBD", "pareto"), ("pareto", "pareto")],
)
def test_model_names_as_users_write_them(text: str, key: str) -> None:
    assert model_key(text) == key


def test_names_that_are_not_models() -> None:
    assert [model_key(t) for t in ("model", "BG/NBD r", "bg", "", 3.0)] == [None] * 5


def test_each_model_is_dispatched_to_its_own_formulas() -> None:
    """The same customer under each model's parameters: the generic functions give the model module's values."""
    modules = {"bgnbd": bgnbd, "mbgnbd": mbgnbd, "pareto": pareto_nbd}
    params = {
        "bgnbd": bgnbd.BgNbdParams(0.243, 4.414, 0.793, 2.426),
        "mbgnbd": mbgnbd.MbgNbdParams(0.525, 6.183, 0.891, 1.614),
        "pareto": pareto_nbd.ParetoNbdParams(0.553, 10.578, 0.606, 11.671),
    }
    assert tuple(PURCHASE_MODELS) == MODEL_KEYS
    for key in MODEL_KEYS:
        module, p = modules[key], params[key]
        assert purchase_model(p).key == key and purchase_model(key).name == module.MODEL_NAME
        assert probability_alive(p, 0, 0, 30) == module.probability_alive(p, 0, 0, 30)
        assert expected_purchases(p, 39, 2, 30.43, 38.86) == module.expected_purchases(p, 39, 2, 30.43, 38.86)


def test_bic_is_four_parameters_against_the_likelihood() -> None:
    """BIC = 4 ln N − 2 LL (Schwarz 1978) on CDNOW's 2,357 customers."""
    data = cdnow_summary()
    fit = fit_purchase_model("bgnbd", data["frequency"], data["recency"], data["T"])
    assert bic(fit) == pytest.approx(4 * math.log(2357) + 2 * 9582.4, abs=0.1)
