"""The report model on a hand-checked table (tests/report/conftest.py) and on the sample orders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clv_xl.report.build import (
    ACTIVE_FROM,
    ALL_CUSTOMERS,
    LIKELY_LOST_BELOW,
    MAX_DISTRIBUTION_BINS,
    build_report,
    value_bins,
)
from clv_xl.report.model import ReportParameters, currency_symbol

END = pd.Timestamp("2024-12-31")
# observed period: 2024-01-10 to 2024-12-31 inclusive = 357 days
YEARS = 357 / 365.25


def model(table: pd.DataFrame, **parameters: object):  # type: ignore[no-untyped-def]
    defaults: dict[str, object] = {"cac": 100.0, "margin": 0.5, "annual_churn": 0.25, "observation_end": END}
    return build_report(table, ReportParameters(**{**defaults, **parameters}))  # type: ignore[arg-type]


def test_headline_kpis_by_hand(hand_table: pd.DataFrame) -> None:
    report = model(hand_table)
    value_per_year = (800 / 3) / YEARS  # APV x repeat rate = revenue / customers, per observed year
    assert report.kpi("customers").value == 3
    assert report.kpi("purchases").value == 6
    assert report.kpi("revenue").value == 800
    assert report.kpi("years_observed").value == pytest.approx(YEARS)
    assert report.kpi("apv").value == pytest.approx(800 / 6)
    assert report.kpi("repeat_rate").value == pytest.approx(2.0)
    assert report.kpi("purchases_per_year").value == pytest.approx(2.0 / YEARS)
    assert report.kpi("customer_value").value == pytest.approx(value_per_year)
    assert report.kpi("lifespan").value == pytest.approx(4.0)  # 1 / 25 % churn
    # the method's formula with margin: value x margin x lifespan - CAC
    assert report.kpi("clv").value == pytest.approx(value_per_year * 0.5 * 4 - 100)
    assert report.kpi("ltv_cac").value == pytest.approx(value_per_year * 0.5 * 4 / 100)
    assert report.kpi("cac_payback").value == pytest.approx(12 * 100 / (value_per_year * 0.5))
    # what an average customer has brought so far: 800 € / 3 customers x 50 % margin
    assert report.kpi("historic_value").value == pytest.approx(800 / 3 * 0.5)


def test_ratios_without_a_cac_or_a_margin_have_no_value(hand_table: pd.DataFrame) -> None:
    """LTV:CAC without a CAC, payback without a margin: None (the report shows why), never NaN or infinity."""
    assert model(hand_table, cac=0.0).kpi("ltv_cac").value is None
    assert model(hand_table, cac=0.0).kpi("cac_payback").value is None
    assert model(hand_table, margin=0.0).kpi("cac_payback").value is None


def test_the_estimated_lifespan_is_the_observed_tenure_and_churn_replaces_it(hand_table: pd.DataFrame) -> None:
    # tenures: A 182 days, B 0, C 304 days -> mean 162 days
    without = model(hand_table, annual_churn=None)
    assert without.kpi("lifespan").value == pytest.approx(162 / 365.25)
    assert without.lifespan.estimated_years == without.lifespan.years and not without.lifespan.from_churn
    with_churn = model(hand_table)
    assert with_churn.lifespan.years == 4.0 and with_churn.lifespan.from_churn
    assert with_churn.kpi("lifespan_estimated").value == pytest.approx(162 / 365.25)
    assert "tenure" in with_churn.lifespan.method.en


def test_segments_add_up_to_the_whole_base(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).segments.rows.set_index("segment")
    assert list(rows.index) == ["North", "South", ALL_CUSTOMERS.en]
    for column in ("customers", "purchases", "revenue"):
        assert rows.loc["North", column] + rows.loc["South", column] == rows.loc[ALL_CUSTOMERS.en, column]
    assert rows.loc["North", "revenue"] == 600 and rows.loc["South", "purchases"] == 3
    # value so far per customer: North 600 € / 2 customers x 50 %
    assert rows.loc["North", "historic_value"] == pytest.approx(150)
    # tenure of the segment's customers (North: A 182 days, B 0), whatever the churn used
    assert rows.loc["North", "lifespan_estimated"] == pytest.approx(91 / 365.25)
    assert rows.loc["North", "lifespan_years"] == 4.0


def test_weighted_segment_average(hand_table: pd.DataFrame) -> None:
    report = model(hand_table)
    rows = report.segments.rows.set_index("segment")
    expected = (2 * rows.loc["North", "clv"] + 1 * rows.loc["South", "clv"]) / 3  # weights: customers
    assert report.kpi("clv_segments").value == pytest.approx(expected)


def test_customers_without_a_forecast_ranked_by_revenue(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).customers.rows
    assert list(rows["customer_id"]) == ["A", "B", "C"]
    assert list(rows["rank"]) == [1, 2, 3]
    assert list(rows["revenue"]) == [400, 200, 200]
    assert list(rows["historic_value"]) == [200, 100, 100]
    # value per year: revenue over the years since the first purchase (A: 357 days)
    assert rows.loc[0, "value_per_year"] == pytest.approx(400 / YEARS)
    # days since the last order, to 2024-12-31: A 2024-07-10 -> 174, B 2024-03-01 -> 305, C 2024-12-01 -> 30
    assert list(rows["days_since_last"]) == [174, 305, 30]


def test_revenue_by_month_adds_up_to_revenue(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).revenue_by_month.rows
    assert list(rows["month"].dt.strftime("%Y-%m")) == ["2024-01", "2024-02", "2024-03", "2024-07", "2024-12"]
    assert list(rows["revenue"]) == [100, 100, 200, 300, 100]


def test_value_distribution_counts_every_customer_once(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).value_distribution.rows
    assert rows["customers"].sum() == 3
    assert rows["bin"].iloc[0].startswith("<") and rows["bin"].iloc[-1].startswith("≥")


def test_value_bins_spread_customers_on_a_1_2_5_scale() -> None:
    """Values spanning four orders of magnitude get 1-2-5 edges; a narrow range gets equal round steps."""
    rng = np.random.default_rng(7)
    wide = rng.lognormal(5, 1.5, 10_000)
    edges = value_bins(wide)
    assert len(edges) + 1 <= MAX_DISTRIBUTION_BINS
    mantissas = {round(e / 10 ** np.floor(np.log10(e)), 6) for e in edges}
    assert mantissas <= {1.0, 2.0, 5.0}
    counts = np.histogram(wide, [-np.inf, *edges, np.inf])[0]
    assert counts.max() < 0.5 * wide.size  # no bin holds most customers
    narrow = value_bins(np.linspace(120, 380, 50))
    steps = np.diff(narrow)
    assert np.allclose(steps, steps[0]) and len(narrow) >= 4
    assert value_bins(np.array([-5.0, 0.0])) == []


def test_what_if_base_is_the_clv_kpi(hand_table: pd.DataFrame) -> None:
    report = model(hand_table)
    assert report.what_if.base == pytest.approx(report.kpi("clv").value)
    assert report.what_if.changes == (-0.2, 0.2)
    apv_row = report.what_if.values[report.what_if.drivers.index("apv")]
    # CLV is linear in APV: +20 % APV adds 20 % of the gross value
    gross = report.kpi("clv").value + 100
    assert apv_row[1] == pytest.approx(report.kpi("clv").value + 0.2 * gross)


def test_italian_labels(hand_table: pd.DataFrame) -> None:
    report = model(hand_table, language="it", currency="EUR")
    assert report.kpi("clv").label.it == "CLV, intera clientela (metodo passo per passo)"
    assert report.kpi("cac_payback").label.it == "Mesi per recuperare il CAC"
    assert report.segments.rows["segment"].iloc[-1] == "Tutti i clienti"
    assert report.value_distribution.rows["bin"].iloc[0].endswith("€")


def test_currency_labels() -> None:
    assert currency_symbol("EUR") == "€" and currency_symbol("usd") == "$" and currency_symbol("CHF") == "CHF"
    # a quote would end the number format's text: it is dropped; an empty currency is the default
    assert currency_symbol('R"$') == "R$" and currency_symbol("") == "€"


def test_no_segment_column(hand_table: pd.DataFrame) -> None:
    report = model(hand_table.drop(columns="segment"))
    assert list(report.segments.rows["segment"]) == [ALL_CUSTOMERS.en]
    assert (report.customers.rows["segment"] == "").all()
    assert "segment" not in [c.key for c in report.customers.columns]  # no column of blanks
    assert not report.has_kpi("clv_segments")
    assert np.isfinite(report.kpi("clv").value)


# --- the forecast (BG/NBD and Gamma-Gamma) ---------------------------------------------------


def test_predictions_are_the_models_on_weekly_summaries(sample_table: pd.DataFrame) -> None:
    """Predicted revenue = lifetimes-style CLV with margin 1; predicted value = × margin (linear in the margin)."""
    from clv_xl.core.summaries import customer_summary
    from clv_xl.models import fit_and_predict_clv, period_rate

    report = model(sample_table, annual_churn=None, discount_rate=0.1, observation_end=None)
    weekly = customer_summary(sample_table, time_unit="weeks")
    forecast = fit_and_predict_clv(
        weekly["frequency"],
        weekly["recency"],
        weekly["T"],
        weekly["monetary_value"],
        horizon=52,
        discount_rate=period_rate(0.1, 52),
        margin=0.5,
        penalizer=0.001,
    )
    rows = report.customers.rows.set_index("customer_id").loc[weekly["customer_id"]]
    np.testing.assert_allclose(rows["p_alive"], forecast.prediction.probability_alive, rtol=1e-12)
    np.testing.assert_allclose(rows["predicted_value"], forecast.prediction.clv, rtol=1e-9)
    np.testing.assert_allclose(rows["predicted_revenue"] * 0.5, forecast.prediction.clv, rtol=1e-9)
    assert report.kpi("predicted_value").value == pytest.approx(forecast.prediction.clv.mean())
    assert report.purchase_model is not None
    assert report.purchase_model.name == "BG/NBD" and report.purchase_model.spend_model == "Gamma-Gamma"
    assert report.purchase_model.horizon_weeks == 52 and report.purchase_model.discount_rate == 0.1
    assert report.purchase_model.parameters["r"] == pytest.approx(forecast.bgnbd.r)


def test_historic_predicted_and_total_value_reconcile(sample_table: pd.DataFrame) -> None:
    """Per customer and on average: total = so far + predicted; so far = revenue × margin."""
    report = model(sample_table, observation_end=None, margin=0.35)
    rows = report.customers.rows
    np.testing.assert_allclose(rows["historic_value"], rows["revenue"] * 0.35)
    np.testing.assert_allclose(rows["total_value"], rows["historic_value"] + rows["predicted_value"])
    assert report.kpi("historic_value").value == pytest.approx(rows["historic_value"].mean())
    assert report.kpi("predicted_value").value == pytest.approx(rows["predicted_value"].mean())
    assert report.kpi("total_value").value == pytest.approx(
        report.kpi("historic_value").value + report.kpi("predicted_value").value
    )
    # most valuable first
    assert list(rows["total_value"]) == sorted(rows["total_value"], reverse=True)
    segments = report.segments.rows.set_index("segment")
    assert segments.loc[ALL_CUSTOMERS.en, "total_value"] == pytest.approx(report.kpi("total_value").value)


def test_risk_bands_and_the_at_risk_sheet_come_from_the_same_model(sample_table: pd.DataFrame) -> None:
    report = model(sample_table, observation_end=None)
    rows = report.customers.rows
    lost = rows["p_alive"] < LIKELY_LOST_BELOW
    risky = (rows["p_alive"] >= LIKELY_LOST_BELOW) & (rows["p_alive"] < ACTIVE_FROM)
    assert (rows.loc[lost, "risk"] == "likely lost").all()
    assert (rows.loc[risky, "risk"] == "at risk").all()
    assert (rows.loc[rows["p_alive"] >= ACTIVE_FROM, "risk"] == "active").all()
    assert report.kpi("likely_lost").value == lost.sum() > 0
    assert report.kpi("at_risk").value == risky.sum() > 0
    assert report.at_risk is not None
    at_risk = report.at_risk.rows
    assert len(at_risk) == lost.sum() + risky.sum()
    assert list(at_risk["value_at_stake"]) == sorted(at_risk["value_at_stake"], reverse=True)
    np.testing.assert_allclose(at_risk["value_at_stake"], at_risk["value_per_year"] * 0.5)
    segments = report.segments.rows.set_index("segment")
    assert segments["likely_lost"].iloc[:-1].sum() == segments.loc[ALL_CUSTOMERS.en, "likely_lost"] == lost.sum()


def test_models_that_cannot_be_fitted_leave_a_note(hand_table: pd.DataFrame) -> None:
    # three customers are too few for BG/NBD: the report says so instead of predicting
    report = model(hand_table)
    assert report.at_risk is None and report.purchase_model is None
    assert report.prediction_note is not None
    assert report.prediction_note.en == "too few customers for a forecast (3; at least 20)"
    assert report.prediction_note.it == "troppo pochi clienti per una previsione (3; almeno 20)"
    assert "p_alive" not in report.customers.rows.columns
    assert not report.has_kpi("predicted_value") and not report.has_kpi("likely_lost")
