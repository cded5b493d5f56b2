"""From orders to every customer's predictions: the full CDNOW orders, and customers with refunded orders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_transactions

from clv_xl.core.summaries import customer_summary
from clv_xl.models.forecast import FORECAST_COLUMNS, forecast_customers
from clv_xl.models.purchase_models import fit_purchase_model, probability_alive


@pytest.fixture(scope="module")
def cdnow_forecast():  # type: ignore[no-untyped-def]
    return forecast_customers(cdnow_transactions(full=True), yearly_discount_rate=0.1)


def test_p_alive_agrees_with_a_year_without_purchases_on_the_full_cdnow_orders(cdnow_forecast) -> None:  # type: ignore[no-untyped-def]
    """The README's figure: on CDNOW's 23,570 customers (weeks, observed to 1998-06-30) the rule chooses
    Pareto/NBD, and "P(alive) < 0.5" agrees with "no purchase in the last 52 weeks" for 96.3 % of customers
    (target >= 90 %; BG/NBD, which calls every one-time buyer active, reaches 44 %)."""
    customers = cdnow_forecast.customers
    assert len(customers) == 23570 and cdnow_forecast.choice.key == "pareto"
    lost = (customers["T"] - customers["recency"]) >= 52
    agreement = float(((customers["probability_alive"] < 0.5) == lost).mean())
    assert agreement >= 0.90
    assert round(100 * agreement, 1) == 96.3
    columns = (customers["frequency"], customers["recency"], customers["T"])
    bgnbd = fit_purchase_model("bgnbd", *columns)
    bgnbd_agreement = float(((np.asarray(probability_alive(bgnbd, *columns)) < 0.5) == lost).mean())
    assert bgnbd_agreement < 0.5


def test_every_customer_has_every_prediction(cdnow_forecast) -> None:  # type: ignore[no-untyped-def]
    customers = cdnow_forecast.customers
    assert list(customers.columns) == [c for c in FORECAST_COLUMNS if c != "segment"]
    assert customers[["probability_alive", "expected_purchases", "expected_spend", "clv"]].notna().all().all()
    assert cdnow_forecast.choice.check is not None and cdnow_forecast.choice.check.holdout == 39
    assert cdnow_forecast.gamma_gamma is not None and cdnow_forecast.spend_problem is None


def test_a_customer_whose_second_order_was_refunded_is_still_predicted() -> None:
    """CDNOW sample plus a customer whose second order is cancelled by a refund of the same amount: the same
    P(alive) as any customer with that purchase history, a spend of the model's limit at 0, and a CLV."""
    orders = cdnow_transactions()
    extra = pd.DataFrame(
        {
            "customer_id": ["R1", "R1", "R1"],
            "date": pd.to_datetime(["1997-02-01", "1997-05-10", "1997-05-10"]),
            "amount": [40.0, 25.0, -25.0],
        }
    )
    both = pd.concat([orders, extra], ignore_index=True)
    forecast = forecast_customers(both, model="pareto")
    row = forecast.customers.set_index("customer_id").loc["R1"]
    assert row["frequency"] == 1 and row["monetary_value"] == 0
    summary = customer_summary(both, time_unit="weeks").set_index("customer_id").loc["R1"]
    expected = probability_alive(forecast.choice.params, summary["frequency"], summary["recency"], summary["T"])
    assert row["probability_alive"] == pytest.approx(float(expected), rel=1e-12)
    spend = forecast.gamma_gamma
    assert spend is not None
    assert row["expected_spend"] == pytest.approx(spend.p * spend.gamma / (spend.p + spend.q - 1), rel=1e-12)
    assert np.isfinite(row["clv"]) and row["clv"] > 0
