"""The report model on a hand-checked table (tests/report/conftest.py) and on the sample orders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_transactions

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


# --- the forecast (the purchase model of the stated rule, and Gamma-Gamma) ------------------------------


def test_predictions_are_the_chosen_model_per_customer_as_lifetimes_computes_them() -> None:
    """The report's model is the one the stated rule chooses on the same orders (on the CDNOW sample Pareto/NBD,
    by its error over the 39-week holdout), with its reason; and every
    customer's P(alive), purchases expected in 52 weeks and predicted revenue are that model's, as lifetimes'
    ParetoNBDFitter and GammaGammaFitter compute them with the report's parameters (revenue = expected spend ×
    the expected purchases of each week discounted at 10 % a year, 365.25 / 7 weeks a year); the fit is a maximum
    (lifetimes' own search finds no higher likelihood). Fails when the report predicts with another model, other
    parameters, another time unit or discounting, or multiplies the revenue by the margin twice."""
    import warnings

    from clv_xl.core.summaries import customer_summary
    from clv_xl.models.choice import choose_purchase_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import GammaGammaFitter, ParetoNBDFitter

    orders = cdnow_transactions()
    report = model(orders, annual_churn=None, discount_rate=0.1, observation_end=None)
    weekly = customer_summary(orders, time_unit="weeks")
    choice = choose_purchase_model(orders, summary=weekly)
    forecast = report.purchase_model
    assert forecast is not None and choice.key == "pareto" and choice.rule == "holdout"
    assert forecast.name == choice.name == "Pareto/NBD" and forecast.reason == choice.reason
    assert forecast.spend_model == "Gamma-Gamma" and forecast.horizon_weeks == 52 and forecast.discount_rate == 0.1
    parameters = forecast.parameters
    x, t_x, age, spend = (weekly[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T", "monetary_value"))
    purchases = ParetoNBDFitter()
    purchases.params_ = pd.Series({name: parameters[name] for name in ("r", "alpha", "s", "beta")})
    spend_model = GammaGammaFitter()
    spend_model.params_ = pd.Series({"p": parameters["p"], "q": parameters["q"], "v": parameters["gamma"]})
    weekly_rate = 1.1 ** (7 / 365.25) - 1
    cumulative = np.array(
        [np.zeros_like(x)]
        + [purchases.conditional_expected_number_of_purchases_up_to_time(t, x, t_x, age) for t in range(1, 53)]
    )
    discounted = (np.diff(cumulative, axis=0) / (1 + weekly_rate) ** np.arange(1, 53)[:, None]).sum(axis=0)
    revenue = (
        spend_model.conditional_expected_average_profit(weekly["frequency"], weekly["monetary_value"]) * discounted
    )

    rows = report.customers.rows.set_index("customer_id").loc[weekly["customer_id"]]
    np.testing.assert_allclose(rows["p_alive"], purchases.conditional_probability_alive(x, t_x, age), rtol=1e-9)
    np.testing.assert_allclose(rows["expected_purchases"], cumulative[52], rtol=1e-8)
    np.testing.assert_allclose(rows["predicted_revenue"], revenue, rtol=1e-8)
    np.testing.assert_allclose(rows["predicted_value"], rows["predicted_revenue"] * 0.5, rtol=1e-12)
    assert report.kpi("predicted_value").value == pytest.approx(float(np.mean(revenue)) * 0.5, rel=1e-8)
    assert spend.min() >= 0  # no refund customer here: lifetimes' formula applies as is

    def log_likelihood(fitter: ParetoNBDFitter) -> float:
        names = ["r", "alpha", "s", "beta"]
        return float(ParetoNBDFitter._conditional_log_likelihood(fitter.params_[names].to_numpy(), x, t_x, age).sum())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.random.seed(20261202)  # lifetimes starts its Nelder-Mead search from random parameters
        theirs = ParetoNBDFitter().fit(x, t_x, age)
    assert log_likelihood(purchases) >= log_likelihood(theirs) - 1e-6


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


# --- the lifespan from the churn, the cohorts and the tracking series (issue 12 in the report) ---------------


def test_the_cdnow_lifespan_is_one_over_the_churn_counted_by_hand(cdnow_table: pd.DataFrame) -> None:
    """On CDNOW's orders the lifespan comes from the churn estimated from the orders, not the tenure: one window at
    1997-06-30 (the data start 18 months before the end); the customers with an order in the 12 months up to it,
    the lost ones among them with none in the 12 months after, counted here with pandas; lifespan = 1 / churn.
    The tenure (0.4 years) would be a lower bound. Fails when the report falls back to the tenure, or estimates
    the churn otherwise."""
    report = model(cdnow_table, annual_churn=None, observation_end=None, cac=0.0, margin=1.0)
    reference = pd.Timestamp("1997-06-30")
    before = cdnow_table[cdnow_table["date"] <= reference]["customer_id"].unique()
    after = cdnow_table[cdnow_table["date"] > reference]["customer_id"].unique()
    churn = 1 - len(np.intersect1d(before, after)) / len(before)
    assert report.lifespan.source == "estimate" and not report.lifespan.from_churn
    assert report.lifespan.churn == pytest.approx(churn, rel=1e-12)
    assert report.kpi("churn_estimated").value == pytest.approx(churn, rel=1e-12)
    assert report.kpi("lifespan_estimated").value == report.kpi("lifespan").value == pytest.approx(1 / churn)
    tenure = (cdnow_table.groupby("customer_id")["date"].agg(lambda d: (d.max() - d.min()).days).mean()) / 365.25
    assert tenure == pytest.approx(0.4, abs=0.05) and report.lifespan.years > 3 * tenure
    # the method named wherever the figure is shown: the KPI's help, How to read, the segments table
    assert report.kpi("lifespan_estimated").help.en.startswith("1 / the churn above; 95 % interval 1.53 to 1.56")
    assert "15,238 of the 23,570 customers active on 1997-06-30" in report.lifespan.basis.en
    assert "15.238 su 23.570 clienti attivi al 30/06/1997" in report.lifespan.basis.it
    (row,) = report.segments.rows.to_dict("records")
    assert row["lifespan_basis"] == "1 / churn of 23,570 customers; 95 %: 1.53–1.56"
    assert row["churn_estimated"] == pytest.approx(churn) and row["lifespan_estimated"] == pytest.approx(1 / churn)


def test_a_churn_you_give_comes_first_then_the_estimate_per_segment(sample_table: pd.DataFrame) -> None:
    """The order of precedence per segment: your churn for the lifespan used; the estimate (or the tenure, a
    lower bound, when the orders cannot measure the churn: 28 customers active a year before the end, under 30)
    beside it, with the reason. Fails when the estimated column takes your churn, or a segment loses its reason."""
    given = model(sample_table, annual_churn=0.25, observation_end=None)
    rows = given.segments.rows.set_index("segment")
    assert (rows["lifespan_years"] == 4.0).all() and given.lifespan.from_churn
    assert (rows["lifespan_estimated"] < 4.0).all() and rows["churn_estimated"].isna().all()
    assert set(rows["lifespan_basis"]) == {"tenure, a lower bound: under 30 active customers"}
    assert given.lifespan.source == "tenure" and "only 28 customers bought" in given.lifespan.basis.en


def test_cohort_shares_equal_a_pandas_count_and_unreached_months_are_empty(cdnow_table: pd.DataFrame) -> None:
    """The heat map's shares: for each month of first purchase, the share of its customers with an order k months
    later, counted here with pandas periods; months a cohort has not reached by the end are NaN (empty), never 0.
    Fails when a share is computed over another base, a month is shifted, or an unreached month shows 0."""
    report = model(cdnow_table, annual_churn=None, observation_end=None)
    assert report.cohorts is not None
    rows = report.cohorts.rows
    month = cdnow_table["date"].dt.to_period("M")
    first = month.groupby(cdnow_table["customer_id"]).transform("min")
    k = (month - first).apply(lambda offset: offset.n)
    active = pd.DataFrame({"customer": cdnow_table["customer_id"], "first": first, "k": k}).drop_duplicates()
    sizes = active[active["k"] == 0].groupby("first").size()
    shares = active.groupby(["first", "k"]).size().unstack() / sizes.to_numpy()[:, None]
    assert list(rows["cohort"]) == ["Jan 1997", "Feb 1997", "Mar 1997"]
    assert list(rows["customers"]) == list(sizes)
    last = pd.Period("1998-06", "M")
    for index, start in enumerate(sizes.index):
        for column in range(18):
            got = rows[f"k{column}"].iloc[index]
            if start + column > last:
                assert np.isnan(got), (start, column)
            else:
                assert got == pytest.approx(shares.loc[start].get(column, 0.0), rel=1e-12), (start, column)
    assert report.cohorts.column("k3").label.it == "Mese 3" and report.cohorts.column("k3").kind == "percent"


def test_tracking_series_are_actual_repeat_purchases_and_lifetimes_expectation() -> None:
    """Fader, Hardie and Lee (2005), Figure 3, on the CDNOW sample: week by week, the cumulative repeat purchases
    (distinct purchase weeks after each customer's first, counted here with pandas) and the chosen model's
    expectation, fitted on the 39 calibration weeks only: Σ_s n_s E[X(k − s)] with lifetimes' ParetoNBDFitter fitted
    on lifetimes' own split (to its optimiser's tolerance). Fails when the series count purchases otherwise, use the
    model fitted on all the orders, or shift the weeks."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import ParetoNBDFitter
        from lifetimes.utils import calibration_and_holdout_data

    orders = cdnow_transactions()
    report = model(orders, annual_churn=None, observation_end=None)
    assert report.tracking is not None and report.purchase_model is not None
    assert report.purchase_model.check is not None
    assert report.purchase_model.check.calibration_end == pd.Timestamp("1997-09-30")
    rows = report.tracking.rows
    weeks = orders["date"].dt.to_period("W-SUN")
    purchases = pd.DataFrame({"customer": orders["customer_id"], "week": weeks}).drop_duplicates()
    first_week = purchases.groupby("customer")["week"].transform("min")
    repeat = purchases[purchases["week"] != first_week].groupby("week").size()
    span = pd.period_range(weeks.min(), weeks.max(), freq="W-SUN")
    actual = repeat.reindex(span, fill_value=0).cumsum()
    assert list(rows["period"]) == list(span.start_time)
    np.testing.assert_array_equal(rows["actual"], actual.to_numpy(dtype=float))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        split = calibration_and_holdout_data(
            orders, "customer_id", "date", "1997-09-30", "1998-06-30", freq="W", monetary_value_col="amount"
        )
        np.random.seed(20261202)  # lifetimes starts its Nelder-Mead search from random parameters
        fitter = ParetoNBDFitter().fit(split["frequency_cal"], split["recency_cal"], split["T_cal"])
        new_customer = fitter.expected_number_of_purchases_up_to_time(np.arange(len(span), dtype=float))
    starts = purchases.groupby("customer")["week"].min().value_counts().reindex(span, fill_value=0).to_numpy()
    expected = np.convolve(starts, np.asarray(new_customer))[: len(span)]
    np.testing.assert_allclose(rows["predicted"], expected, rtol=2e-3, atol=1e-6)


def test_when_only_the_spend_model_fails_the_probabilities_stay_and_the_value_says_why() -> None:
    """Every repeat order of the CDNOW sample refunded (negative amounts): the spend model has no customer with a
    positive average to fit, the purchase model still does. The report keeps each customer's P(alive), expected
    purchases, risk and the customers likely lost, leaves the predicted revenue, value and total out (never a
    0 that looks like a forecast), and the first sheet says why. Fails when a missing spend becomes 0 € or the
    whole forecast is dropped."""
    from clv_xl.report.sheet_layout import report_sheet_blocks

    orders = cdnow_transactions().copy()
    first_day = orders.groupby("customer_id")["date"].transform("min")
    orders.loc[orders["date"] > first_day, "amount"] *= -1
    report = model(orders, annual_churn=None, observation_end=None)
    forecast = report.purchase_model
    assert forecast is not None and forecast.spend_problem is not None
    assert "Gamma-Gamma" in forecast.spend_problem.en
    rows = report.customers.rows
    assert rows[["p_alive", "expected_purchases"]].notna().all().all() and "predicted_revenue" not in rows
    assert {"predicted_revenue", "predicted_value", "total_value"}.isdisjoint(c.key for c in report.customers.columns)
    assert not report.has_kpi("predicted_value") and report.kpi("likely_lost").value == (rows["p_alive"] < 0.5).sum()
    assert "likely_lost" in report.segments.rows and "total_value" not in report.segments.rows
    lines = [cell for block in report_sheet_blocks(report, {}, []) for row in block.values for cell in row]
    assert any(
        isinstance(cell, str) and cell.startswith("No predicted value: the spend model (Gamma-Gamma)") for cell in lines
    )
