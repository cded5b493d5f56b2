"""The three purchase models side by side: BG/NBD, MBG/NBD and Pareto/NBD.

Each model lives in its own module (:mod:`~clv_xl.models.bgnbd`,
:mod:`~clv_xl.models.mbgnbd`, :mod:`~clv_xl.models.pareto_nbd`); this one lists them
(:data:`PURCHASE_MODELS`, keyed ``"bgnbd"``, ``"mbgnbd"``, ``"pareto"``) and gives the
predictions for fitted parameters of any of them (:func:`probability_alive`,
:func:`expected_purchases`, :func:`expected_purchases_new_customer`): the parameter
class says which model it is.

All three describe a customer by (frequency, recency, T) in one time unit and predict
the purchases of the next periods and the probability of being active; they differ in
how a customer leaves:

* BG/NBD (Fader, Hardie and Lee 2005): possibly after each REPEAT purchase, so a
  customer who never bought again counts as active;
* MBG/NBD (Batislam, Denizel and Filiztekin 2007): possibly after each purchase, the
  first one included;
* Pareto/NBD (Schmittlein, Morrison and Colombo 1987): at any moment (an exponential
  lifetime).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from clv_xl.core.checks import ArrayLike, FloatArray
from clv_xl.models import bgnbd, mbgnbd, pareto_nbd
from clv_xl.models.bgnbd import BgNbdParams
from clv_xl.models.mbgnbd import MbgNbdParams
from clv_xl.models.pareto_nbd import ParetoNbdParams

__all__ = [
    "MODEL_KEYS",
    "PURCHASE_MODELS",
    "ModelKey",
    "PurchaseModel",
    "PurchaseParams",
    "bic",
    "expected_purchases",
    "expected_purchases_new_customer",
    "fit_purchase_model",
    "model_key",
    "probability_alive",
    "purchase_model",
]

#: Fitted (or given) parameters of any of the three purchase models.
PurchaseParams = BgNbdParams | MbgNbdParams | ParetoNbdParams
#: Short names of the purchase models, as the command line and the Excel functions take them.
ModelKey = Literal["bgnbd", "mbgnbd", "pareto"]
MODEL_KEYS: tuple[ModelKey, ...] = ("bgnbd", "mbgnbd", "pareto")


@dataclass(frozen=True)
class PurchaseModel:
    """One purchase model: its names, parameters and functions.

    Attributes
    ----------
    key, name
        Short name (``"pareto"``) and the name shown to users (``"Pareto/NBD"``).
    params_type, parameter_names
        Its parameter class and the names of the parameters, in order.
    fit
        ``fit(frequency, recency, T, *, penalizer=0.0) -> params``.
    probability_alive, expected_purchases, expected_purchases_new_customer
        The model's functions (see its module).
    """

    key: ModelKey
    name: str
    params_type: type[PurchaseParams]
    parameter_names: tuple[str, str, str, str]
    fit: Callable[..., PurchaseParams]
    probability_alive: Callable[..., float | FloatArray]
    expected_purchases: Callable[..., float | FloatArray]
    expected_purchases_new_customer: Callable[..., float | FloatArray]


PURCHASE_MODELS: Mapping[ModelKey, PurchaseModel] = MappingProxyType(
    {
        "bgnbd": PurchaseModel(
            "bgnbd",
            bgnbd.MODEL_NAME,
            BgNbdParams,
            ("r", "alpha", "a", "b"),
            bgnbd.fit_bgnbd,
            bgnbd.probability_alive,
            bgnbd.expected_purchases,
            bgnbd.expected_purchases_new_customer,
        ),
        "mbgnbd": PurchaseModel(
            "mbgnbd",
            mbgnbd.MODEL_NAME,
            MbgNbdParams,
            ("r", "alpha", "a", "b"),
            mbgnbd.fit_mbgnbd,
            mbgnbd.probability_alive,
            mbgnbd.expected_purchases,
            mbgnbd.expected_purchases_new_customer,
        ),
        "pareto": PurchaseModel(
            "pareto",
            pareto_nbd.MODEL_NAME,
            ParetoNbdParams,
            ("r", "alpha", "s", "beta"),
            pareto_nbd.fit_pareto_nbd,
            pareto_nbd.probability_alive,
            pareto_nbd.expected_purchases,
            pareto_nbd.expected_purchases_new_customer,
        ),
    }
)

#: Texts that name a model (compared without case, spaces, "/", "-" and "_").
_ALIASES: Mapping[str, ModelKey] = MappingProxyType(
    {
        "bgnbd": "bgnbd",
        "mbgnbd": "mbgnbd",
        "pareto": "pareto",
        "paretonbd": "pareto",
        "pnbd": "pareto",
    }
)


def model_key(text: object) -> ModelKey | None:
    """The model a text names (``"Pareto/NBD"``, ``"pareto"``, ``"MBG/NBD"``, ``"bgnbd"`` ...), else None."""
    if not isinstance(text, str):
        return None
    cleaned = "".join(c for c in text.strip().lower() if c not in " /-_")
    return _ALIASES.get(cleaned)


def purchase_model(which: ModelKey | PurchaseParams) -> PurchaseModel:
    """The model of a key or of fitted parameters."""
    if isinstance(which, str):
        return PURCHASE_MODELS[which]
    for model in PURCHASE_MODELS.values():
        if type(which) is model.params_type:
            return model
    raise TypeError(f"not the parameters of a purchase model: {which!r}")


def fit_purchase_model(
    key: ModelKey,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803 - T as in the papers
    *,
    penalizer: float = 0.0,
) -> PurchaseParams:
    """Fit the model ``key`` by maximum likelihood (see the model's ``fit_...`` function)."""
    return PURCHASE_MODELS[key].fit(frequency, recency, T, penalizer=penalizer)


def probability_alive(
    params: PurchaseParams,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Probability that each customer is still active at T, under the model of ``params``."""
    return purchase_model(params).probability_alive(params, frequency, recency, T)


def expected_purchases(
    params: PurchaseParams,
    t: ArrayLike,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,  # noqa: N803
) -> float | FloatArray:
    """Expected purchases of each customer in the next ``t`` periods, under the model of ``params``."""
    return purchase_model(params).expected_purchases(params, t, frequency, recency, T)


def expected_purchases_new_customer(params: PurchaseParams, t: ArrayLike) -> float | FloatArray:
    """Expected repeat purchases of a new customer in the ``t`` periods after the first, under ``params``' model."""
    return purchase_model(params).expected_purchases_new_customer(params, t)


def bic(params: PurchaseParams) -> float:
    """Bayesian information criterion of a fit: ``k ln N − 2 LL`` (k = 4 parameters, N customers).

    Lower is better. The three models have four parameters each, so on the same
    customers the BIC ranks them as their log-likelihoods do (Schwarz 1978).
    """
    return 4 * math.log(max(params.customers, 1)) - 2 * params.log_likelihood
