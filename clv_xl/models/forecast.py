"""From a list of orders to every customer's predictions, in one call.

The per-customer summary of the orders (:func:`clv_xl.core.summaries.customer_summary`,
in the chosen time unit), the purchase model chosen by the stated rule
(:func:`clv_xl.models.choice.choose_purchase_model`), Gamma-Gamma for the spend, and
for EVERY customer: probability of being active, expected purchases and predicted
value over the horizon (:func:`clv_xl.models.clv.fit_and_predict_clv`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from clv_xl.core.summaries import DAYS_PER_YEAR, TIME_UNITS, TimeUnit, customer_summary
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models.choice import ModelChoice, choose_purchase_model
from clv_xl.models.clv import fit_and_predict_clv, period_rate
from clv_xl.models.gamma_gamma import GammaGammaParams
from clv_xl.models.purchase_models import ModelKey

__all__ = ["FORECAST_COLUMNS", "CustomerForecast", "forecast_customers"]

#: Columns of :attr:`CustomerForecast.customers`, in order (``segment`` only when the orders have one).
FORECAST_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "segment",
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "probability_alive",
    "expected_purchases",
    "expected_spend",
    "clv",
)


@dataclass(frozen=True)
class CustomerForecast:
    """Every customer's predictions and the models they come from.

    Attributes
    ----------
    choice
        The purchase model, its parameters fitted on all the orders, the rule that chose
        it and why (:class:`clv_xl.models.choice.ModelChoice`; its ``check`` is the
        holdout check with the tracking series when the orders span enough time).
    gamma_gamma
        The spend model's parameters; None when it could not be fitted.
    spend_problem
        Why the spend model could not be fitted, else None (expected spend and CLV are
        then NaN, the purchase predictions are still there).
    time_unit, horizon
        The periods of the summaries and the number of them predicted.
    customers
        One row per customer, every customer, sorted by ``customer_id``, with the
        columns :data:`FORECAST_COLUMNS`: the summary (frequency, recency, T,
        monetary_value in ``time_unit``), ``probability_alive`` (now),
        ``expected_purchases`` (in the horizon), ``expected_spend`` (per purchase) and
        ``clv`` (the horizon's discounted value times the margin).
    """

    choice: ModelChoice
    gamma_gamma: GammaGammaParams | None
    spend_problem: ClvError | None
    time_unit: TimeUnit
    horizon: float
    customers: pd.DataFrame


def forecast_customers(
    transactions: pd.DataFrame,
    *,
    horizon: float = 52.0,
    time_unit: TimeUnit = "weeks",
    yearly_discount_rate: float = 0.0,
    margin: float = 1.0,
    model: ModelKey | Literal["auto"] = "auto",
    holdout: int | None = None,
    observation_end: object = None,
    penalizer: float = 0.0,
    summary: pd.DataFrame | None = None,
) -> CustomerForecast:
    """Predictions for every customer of a list of orders.

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date``, ``amount`` and optionally ``segment`` (as
        :func:`clv_xl.data.read_transactions` returns them).
    horizon
        Number of future periods of ``time_unit`` (default 52 weeks).
    time_unit
        ``"days"``, ``"weeks"`` (default) or ``"months"``.
    yearly_discount_rate
        YEARLY discount rate, converted to the period with :func:`clv_xl.models.period_rate`
        (365.25 / 7 weeks, 365.25 days or 12 months a year).
    margin
        Share of the spend that is profit, 0 to 1 (default 1: revenue).
    model, holdout
        The purchase model (``"auto"``: the stated rule) and the holdout of the check
        (see :func:`clv_xl.models.choice.choose_purchase_model`).
    observation_end
        End of the observed period (default: the day of the last order).
    penalizer
        L2 penalty of every fit.
    summary
        The :func:`clv_xl.core.summaries.customer_summary` of the transactions in
        ``time_unit`` up to ``observation_end``, when the caller has it already.

    Raises
    ------
    ClvError
        When no purchase model can be fitted, or an argument is invalid (e.g. a
        negative discount rate).
    """
    if not yearly_discount_rate >= 0:
        raise ClvError(ExcelErrorCode.NUM, "negative", argument="discount_rate", value=float(yearly_discount_rate))
    if summary is None:
        summary = customer_summary(transactions, time_unit=time_unit, observation_end=observation_end)
    choice = choose_purchase_model(
        transactions,
        time_unit=time_unit,
        model=model,
        holdout=holdout,
        observation_end=observation_end,
        penalizer=penalizer,
        summary=summary,
    )
    forecast = fit_and_predict_clv(
        summary["frequency"],
        summary["recency"],
        summary["T"],
        summary["monetary_value"],
        horizon=horizon,
        discount_rate=period_rate(yearly_discount_rate, DAYS_PER_YEAR / TIME_UNITS[time_unit]),
        margin=margin,
        penalizer=penalizer,
        model=choice.params,
    )
    prediction = forecast.prediction
    kept = [c for c in FORECAST_COLUMNS if c in summary.columns]
    customers = summary[kept].copy()
    customers["probability_alive"] = prediction.probability_alive
    customers["expected_purchases"] = prediction.expected_purchases
    customers["expected_spend"] = prediction.expected_spend
    customers["clv"] = prediction.clv
    customers.attrs.update(summary.attrs)
    return CustomerForecast(choice, forecast.gamma_gamma, forecast.spend_problem, time_unit, horizon, customers)
