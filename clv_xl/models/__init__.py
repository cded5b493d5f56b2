"""Predictive CLV models: BG/NBD (purchases, probability alive) and Gamma-Gamma (spend).

Pure computation on a per-customer summary (frequency, recency, T, monetary_value;
see :mod:`clv_xl.models.customers` for the definitions and the time unit), fitted by
maximum likelihood. One model per module:

* :mod:`clv_xl.models.bgnbd` — Fader, Hardie and Lee (2005);
* :mod:`clv_xl.models.gamma_gamma` — Fader and Hardie, note 025;
* :mod:`clv_xl.models.clv` — predicted CLV over a horizon from both;
* :mod:`clv_xl.models.simulate` — customers simulated from known parameters.
"""

from clv_xl.models.bgnbd import BgNbdParams, expected_purchases, fit_bgnbd, probability_alive
from clv_xl.models.clv import ClvForecast, ClvPrediction, fit_and_predict_clv, period_rate, predict_clv
from clv_xl.models.gamma_gamma import GammaGammaParams, expected_average_spend, fit_gamma_gamma
from clv_xl.models.simulate import SimulatedCustomers, simulate_customers

__all__ = [
    "BgNbdParams",
    "ClvForecast",
    "ClvPrediction",
    "GammaGammaParams",
    "SimulatedCustomers",
    "expected_average_spend",
    "expected_purchases",
    "fit_and_predict_clv",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "period_rate",
    "predict_clv",
    "probability_alive",
    "simulate_customers",
]
