"""The report model on a hand-checked table (tests/report/conftest.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clv_xl.report.build import ALL_CUSTOMERS, build_report
from clv_xl.report.model import ReportParameters

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
    assert report.kpi("apv").value == pytest.approx(800 / 6)
    assert report.kpi("repeat_rate").value == pytest.approx(2.0)
    assert report.kpi("customer_value").value == pytest.approx(value_per_year)
    assert report.kpi("lifespan").value == pytest.approx(4.0)  # 1 / 25 % churn
    # document 000's formula with margin: value x margin x lifespan - CAC
    assert report.kpi("clv").value == pytest.approx(value_per_year * 0.5 * 4 - 100)
    assert report.kpi("ltv_cac").value == pytest.approx(value_per_year * 0.5 * 4 / 100)
    assert report.kpi("cac_payback").value == pytest.approx(12 * 100 / (value_per_year * 0.5))


def test_observed_tenure_is_the_lifespan_without_churn(hand_table: pd.DataFrame) -> None:
    # tenures: A 182 days, B 0, C 304 days -> mean 162 days
    report = model(hand_table, annual_churn=None)
    assert report.kpi("lifespan").value == pytest.approx(162 / 365.25)


def test_segments_add_up_to_the_whole_base(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).segments.rows.set_index("segment")
    assert list(rows.index) == ["North", "South", ALL_CUSTOMERS.en]
    for column in ("customers", "purchases", "revenue"):
        assert rows.loc["North", column] + rows.loc["South", column] == rows.loc[ALL_CUSTOMERS.en, column]
    assert rows.loc["North", "revenue"] == 600 and rows.loc["South", "purchases"] == 3


def test_weighted_segment_average(hand_table: pd.DataFrame) -> None:
    report = model(hand_table)
    rows = report.segments.rows.set_index("segment")
    expected = (2 * rows.loc["North", "clv"] + 1 * rows.loc["South", "clv"]) / 3  # weights: customers
    assert report.kpi("clv_segments").value == pytest.approx(expected)


def test_customers_ranked_by_revenue_ties_by_id(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).customers.rows
    assert list(rows["customer_id"]) == ["A", "B", "C"]
    assert list(rows["rank"]) == [1, 2, 3]
    assert list(rows["revenue"]) == [400, 200, 200]
    assert rows["share_of_revenue"].sum() == pytest.approx(1.0)
    # value per year: revenue over the years since the first purchase (A: 357 days)
    assert rows.loc[0, "value_per_year"] == pytest.approx(400 / YEARS)


def test_revenue_by_month_adds_up_to_revenue(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).revenue_by_month.rows
    assert list(rows["month"].dt.strftime("%Y-%m")) == ["2024-01", "2024-02", "2024-03", "2024-07", "2024-12"]
    assert list(rows["revenue"]) == [100, 100, 200, 300, 100]


def test_value_distribution_counts_every_customer(hand_table: pd.DataFrame) -> None:
    rows = model(hand_table).value_distribution.rows
    assert rows["customers"].sum() == 3
    assert rows["bin"].iloc[-1].startswith("≥")


def test_what_if_base_is_the_clv_kpi(hand_table: pd.DataFrame) -> None:
    report = model(hand_table)
    assert report.what_if.base == pytest.approx(report.kpi("clv").value)
    apv_row = report.what_if.values[report.what_if.drivers.index("apv")]
    # CLV is linear in APV: +10 % APV adds 10 % of the gross value
    gross = report.kpi("clv").value + 100
    assert apv_row[report.what_if.changes.index(0.1)] == pytest.approx(report.kpi("clv").value + 0.1 * gross)


def test_italian_labels(hand_table: pd.DataFrame) -> None:
    report = model(hand_table, language="it")
    assert report.kpi("clv").label.it == "Valore del cliente nel tempo (CLV)"
    assert report.segments.rows["segment"].iloc[-1] == "Tutti i clienti"
    assert report.value_distribution.rows["bin"].iloc[0].endswith("€")


def test_no_segment_column(hand_table: pd.DataFrame) -> None:
    report = model(hand_table.drop(columns="segment"))
    assert list(report.segments.rows["segment"]) == [ALL_CUSTOMERS.en]
    assert (report.customers.rows["segment"] == "").all()
    with pytest.raises(KeyError):
        report.kpi("clv_segments")
    assert np.isfinite(report.kpi("clv").value)


# --- the predictive section (issue: BG/NBD and Gamma-Gamma in the report) ---------------------


@pytest.fixture
def sample_table() -> pd.DataFrame:
    """The illustrative orders of the sample template (40 customers, 3 segments)."""
    from pathlib import Path

    from clv_xl.data import read_transactions

    root = Path(__file__).resolve().parents[2]
    return read_transactions(root / "workbook_templates" / "en" / "clv_data_sample.xlsx").table


def test_predictions_are_the_models_on_weekly_summaries(sample_table: pd.DataFrame) -> None:
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
    np.testing.assert_allclose(rows["predicted_clv"], forecast.prediction.clv, rtol=1e-12)
    assert report.kpi("predicted_clv").value == pytest.approx(forecast.prediction.clv.mean())


def test_customers_likely_lost_ranked_by_past_revenue(sample_table: pd.DataFrame) -> None:
    report = model(sample_table, observation_end=None)
    assert report.at_risk is not None
    at_risk = report.at_risk.rows
    assert (at_risk["p_alive"] < 0.5).all()
    assert list(at_risk["revenue"]) == sorted(at_risk["revenue"], reverse=True)
    everyone = report.customers.rows
    assert len(at_risk) == int((everyone["p_alive"] < 0.5).sum()) == report.kpi("likely_lost").value
    segments = report.segments.rows.set_index("segment")
    assert segments["likely_lost"].iloc[:-1].sum() == segments.loc[ALL_CUSTOMERS.en, "likely_lost"]


def test_models_that_cannot_be_fitted_leave_a_note(hand_table: pd.DataFrame) -> None:
    # three customers are too few for BG/NBD: the report says so instead of predicting
    report = model(hand_table)
    assert report.at_risk is None
    assert report.prediction_note is not None
    assert report.prediction_note.en == "too few customers for a forecast (3; at least 20)"
    assert report.prediction_note.it == "troppo pochi clienti per una previsione (3; almeno 20)"
    assert "p_alive" not in report.customers.rows.columns
