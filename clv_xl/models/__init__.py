"""Predictive CLV models: three purchase models (purchases, probability alive) and Gamma-Gamma (spend).

Pure computation on a per-customer summary (frequency, recency, T, monetary_value;
see :mod:`clv_xl.models.customers` for the definitions and the time unit), fitted by
maximum likelihood on a shared optimiser (:mod:`clv_xl.models.fitting`). One model
per module:

* :mod:`clv_xl.models.bgnbd` — BG/NBD, Fader, Hardie and Lee (2005);
* :mod:`clv_xl.models.mbgnbd` — MBG/NBD, Batislam, Denizel and Filiztekin (2007);
* :mod:`clv_xl.models.pareto_nbd` — Pareto/NBD, Schmittlein, Morrison and Colombo (1987);
* :mod:`clv_xl.models.purchase_models` — the three side by side, predictions for any;
* :mod:`clv_xl.models.gamma_gamma` — Fader and Hardie, note 025;
* :mod:`clv_xl.models.clv` — predicted CLV over a horizon from a purchase model and Gamma-Gamma;
* :mod:`clv_xl.models.holdout` — the check of the purchase models on the user's own orders;
* :mod:`clv_xl.models.choice` — which purchase model to use, by a stated rule;
* :mod:`clv_xl.models.forecast` — from orders to every customer's predictions, in one call;
* :mod:`clv_xl.models.simulate` — customers simulated from known parameters.
"""

from clv_xl.models.bgnbd import BgNbdParams, fit_bgnbd
from clv_xl.models.clv import ClvForecast, ClvPrediction, fit_and_predict_clv, period_rate, predict_clv
from clv_xl.models.gamma_gamma import GammaGammaParams, expected_average_spend, fit_gamma_gamma
from clv_xl.models.mbgnbd import MbgNbdParams, fit_mbgnbd
from clv_xl.models.pareto_nbd import ParetoNbdParams, fit_pareto_nbd
from clv_xl.models.purchase_models import (
    MODEL_KEYS,
    PURCHASE_MODELS,
    ModelKey,
    PurchaseParams,
    expected_purchases,
    expected_purchases_new_customer,
    fit_purchase_model,
    probability_alive,
)
from clv_xl.models.simulate import SimulatedCustomers, simulate_customers

__all__ = [
    "MODEL_KEYS",
    "PURCHASE_MODELS",
    "BgNbdParams",
    "ClvForecast",
    "ClvPrediction",
    "GammaGammaParams",
    "MbgNbdParams",
    "ModelKey",
    "ParetoNbdParams",
    "PurchaseParams",
    "SimulatedCustomers",
    "expected_average_spend",
    "expected_purchases",
    "expected_purchases_new_customer",
    "fit_and_predict_clv",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "fit_mbgnbd",
    "fit_pareto_nbd",
    "fit_purchase_model",
    "period_rate",
    "predict_clv",
    "probability_alive",
    "simulate_customers",
]
