"""Per-customer summary and document 002's figures, checked against hand-computed tables.

The transactions below are small enough to compute every figure by hand; the expected
values are written out with the arithmetic in the comments.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from clv_xl.core.sensitivity import ClvInputs, what_if
from clv_xl.core.summaries import TOTAL, customer_summary, segment_figures
from clv_xl.errors import ClvError
from clv_xl.models import fit_and_predict_clv


def _transactions(with_segments: bool = False) -> pd.DataFrame:
    # 2024-01-01 is a Monday: weeks are Jan 1-7, 8-14, 15-21, 22-28, Jan 29-Feb 4, Feb 5-11
    table = pd.DataFrame(
        [
            ("A", "2024-01-01 09:00", 100.0, "retail"),
            ("A", "2024-01-01 17:30", 50.0, "retail"),  # same day: one purchase period
            ("A", "2024-01-11", 30.0, "web"),  # later segment ignored: A is "retail"
            ("A", "2024-01-31", -20.0, "retail"),  # a refund
            ("B", "2024-01-06", 200.0, "retail"),
            ("C", "2024-01-21", 10.0, "web"),
            ("C", "2024-02-10", 40.0, "retail"),
        ],
        columns=["customer_id", "date", "amount", "segment"],
    )
    table["date"] = pd.to_datetime(table["date"], format="ISO8601")
    return table if with_segments else table.drop(columns="segment")


def _by_customer(summary: pd.DataFrame) -> dict[str, tuple[float, ...]]:
    columns = ["frequency", "recency", "T", "monetary_value"]
    return {row.customer_id: tuple(getattr(row, c) for c in columns) for row in summary.itertuples()}


def test_daily_summary_follows_lifetimes_definitions_hand_computed() -> None:
    """Hand-computed: frequency = distinct days - 1, recency/T in days, monetary = mean of repeat days."""
    summary = customer_summary(_transactions(), observation_end="2024-01-31")
    # A: days Jan 1 (150), Jan 11 (30), Jan 31 (-20): frequency 2, recency 30, T 30, monetary (30 - 20) / 2
    # B: one day, Jan 6: T = 31 - 6 = 25; C: Feb 10 is after the end and left out: T = 31 - 21 = 10
    assert _by_customer(summary) == {
        "A": (2.0, 30.0, 30.0, 5.0),
        "B": (0.0, 0.0, 25.0, 0.0),
        "C": (0.0, 0.0, 10.0, 0.0),
    }
    a = summary.set_index("customer_id").loc["A"]
    assert (a["orders"], a["revenue"], a["average_order_value"], a["tenure"]) == (4, 160.0, 40.0, 30.0 - 9 / 24)
    assert summary.attrs["observation_end"] == pd.Timestamp("2024-01-31")


def test_weekly_summary_counts_calendar_weeks_hand_computed() -> None:
    """Hand-computed with Monday-to-Sunday weeks, as lifetimes' freq="W" (pandas W-SUN periods)."""
    summary = customer_summary(_transactions(), time_unit="weeks", observation_end="2024-02-03")
    # end in week 5. A: weeks 1, 2, 5 -> frequency 2, recency 4, T 4. B: week 1 -> T 4. C: week 3 -> T 2
    assert _by_customer(summary) == {
        "A": (2.0, 4.0, 4.0, 5.0),
        "B": (0.0, 0.0, 4.0, 0.0),
        "C": (0.0, 0.0, 2.0, 0.0),
    }


def test_monthly_summary_counts_calendar_months_hand_computed() -> None:
    """Hand-computed with calendar months; the default end is the last transaction (Feb 10)."""
    summary = customer_summary(_transactions(), time_unit="months")
    # A and B bought in January only: T = 1 month. C: January (10) and February (40)
    assert _by_customer(summary) == {
        "A": (0.0, 0.0, 1.0, 0.0),
        "B": (0.0, 0.0, 1.0, 0.0),
        "C": (1.0, 1.0, 1.0, 40.0),
    }


def test_segment_of_a_customer_is_that_of_the_first_transaction() -> None:
    """Hand-checked: A's later "web" order does not move A out of "retail"; C is "web"."""
    summary = customer_summary(_transactions(with_segments=True))
    assert dict(zip(summary["customer_id"], summary["segment"], strict=False)) == {
        "A": "retail",
        "B": "retail",
        "C": "web",
    }


def test_ids_are_text_and_sorted_as_text() -> None:
    """Leading zeros survive the summary; the order is that of the text (as lifetimes sorts ids)."""
    table = _transactions()
    table["customer_id"] = table["customer_id"].map({"A": "00010", "B": "0002", "C": "1"})
    assert list(customer_summary(table)["customer_id"]) == ["00010", "0002", "1"]


def test_document_002_chain_per_segment_hand_computed() -> None:
    """Document 002's chain on the table above (end Feb 10: 41 days observed), CAC 10, worked by hand."""
    figures = segment_figures(customer_summary(_transactions(with_segments=True)), cac=10.0)
    years = 41 / 365.25
    retail, web, total = figures.loc["retail"], figures.loc["web"], figures.loc[TOTAL]
    # retail = A and B: 5 purchases, revenue 160 + 200 = 360, APV 72, rate 2.5, tenures 30 and 0 days
    assert (retail["customers"], retail["purchases"], retail["revenue"]) == (2, 5, 360.0)
    assert retail["apv"] == pytest.approx(72.0)
    assert retail["repeat_rate"] == pytest.approx(2.5)
    assert retail["years_observed"] == pytest.approx(years)
    assert retail["customer_value_per_year"] == pytest.approx(72 * 2.5 / years)
    # A's tenure: Jan 1 09:00 to Jan 31 00:00 = 29.625 days; B's 0
    assert retail["lifespan_years"] == pytest.approx(29.625 / 2 / 365.25)
    assert retail["clv"] == pytest.approx(72 * 2.5 * 29.625 / 2 / 41 - 10)
    # web = C: 2 purchases, 50, Jan 21 to Feb 10 = 20 days
    assert web["clv"] == pytest.approx(25 * 2 * 20 / 41 - 10)
    # the whole base: 3 customers, 7 purchases, 410
    assert (total["customers"], total["purchases"], total["revenue"]) == (3, 7, 410.0)
    assert total["clv"] == pytest.approx(410 / 3 * (29.625 + 20) / 3 / 41 - 10)
    assert total["clv_weighted_average"] == pytest.approx((2 * retail["clv"] + web["clv"]) / 3)
    assert list(figures["lifespan_from"]) == ["tenure"] * 3


def test_segments_add_up_to_the_total() -> None:
    """Customers, purchases and revenue of the segments sum to the whole base (random transactions)."""
    rng = np.random.default_rng(7)
    n = 5000
    table = pd.DataFrame(
        {
            "customer_id": rng.integers(0, 700, n).astype(str),
            "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "amount": rng.gamma(2.0, 40.0, n).round(2),
            "segment": rng.choice(["nord", "centro", "sud"], n),
        }
    )
    figures = segment_figures(customer_summary(table))
    segments = figures.drop(index=TOTAL)
    for column in ("customers", "purchases", "revenue"):
        assert segments[column].sum() == pytest.approx(figures.loc[TOTAL, column])
    assert figures.loc[TOTAL, "revenue"] == pytest.approx(table["amount"].sum())


def test_a_segment_of_refunds_only_is_shown_with_its_negative_value() -> None:
    """A segment whose customers only returned goods (D: -50 € and -20 €, Jan 21 to Feb 10) stopped
    every report ("apv must not be negative"). Its chain, by hand: APV -35, 2 purchases, value
    per year -35 × 2 / (41 / 365.25), CLV that × margin × 20 days − CAC; the others are unchanged."""
    table = _transactions(with_segments=True)
    returns = pd.DataFrame(
        {
            "customer_id": ["D", "D"],
            "date": pd.to_datetime(["2024-01-21", "2024-02-10"]),
            "amount": [-50.0, -20.0],
            "segment": ["returns", "returns"],
        }
    )
    figures = segment_figures(customer_summary(pd.concat([table, returns], ignore_index=True)), cac=10.0, margin=0.4)
    years = 41 / 365.25
    refunds = figures.loc["returns"]
    assert (refunds["customers"], refunds["purchases"], refunds["revenue"], refunds["apv"]) == (1, 2, -70.0, -35.0)
    assert refunds["customer_value_per_year"] == pytest.approx(-35 * 2 / years)
    assert refunds["clv"] == pytest.approx(-35 * 2 / years * 0.4 * 20 / 365.25 - 10)
    reference = segment_figures(customer_summary(table), cac=10.0, margin=0.4)
    pd.testing.assert_series_equal(figures.loc["retail"], reference.loc["retail"])
    assert figures.loc[TOTAL, "revenue"] == pytest.approx(410.0 - 70.0)


def test_a_base_of_refunds_only_has_negative_figures_and_a_what_if() -> None:
    """Every group negative, the total too: the chain and the what-if (document 000) still compute,
    each value the mirror of the same base with the signs turned."""
    table = _transactions()
    mirrored = table.assign(amount=-table["amount"].abs())
    positive = table.assign(amount=table["amount"].abs())
    negative_total = segment_figures(customer_summary(mirrored), margin=0.5).loc[TOTAL]
    positive_total = segment_figures(customer_summary(positive), margin=0.5).loc[TOTAL]
    for column in ("revenue", "apv", "customer_value_per_year", "clv"):
        assert negative_total[column] == pytest.approx(-positive_total[column])
    inputs = ClvInputs(apv=-20.0, acl=2.0, cac=5.0, frequency=3.0, margin=0.5)
    table_of_changes = what_if(inputs)
    assert table_of_changes.base == pytest.approx(-20 * 3 * 0.5 * 2 - 5)
    assert table_of_changes.values[0, 0] == pytest.approx(-20 * 0.8 * 3 * 0.5 * 2 - 5)


def test_churn_gives_the_lifespan_and_clv_uses_margin_and_discount() -> None:
    """Lifespan = 1 / churn (0.25 -> 4 years); CLV = value × margin × A(4, 10 %) − CAC, by hand."""
    figures = segment_figures(
        customer_summary(_transactions()), cac=10.0, margin=0.5, discount_rate=0.1, annual_churn=0.25
    )
    total = figures.loc[TOTAL]
    annuity = (1 - 1.1**-4) / 0.1
    assert total["lifespan_years"] == 4.0
    assert total["lifespan_from"] == "churn"
    assert total["clv"] == pytest.approx(410 / 3 / (41 / 365.25) * 0.5 * annuity - 10)
    assert list(figures.index) == [TOTAL]


def test_cac_per_segment() -> None:
    """A mapping gives each segment its CAC; the total uses their customer-weighted average."""
    figures = segment_figures(customer_summary(_transactions(with_segments=True)), cac={"retail": 10, "web": 40})
    assert figures.loc["web", "cac"] == 40
    assert figures.loc[TOTAL, "cac"] == pytest.approx((2 * 10 + 40) / 3)


def test_unknown_time_unit_and_empty_period_are_errors() -> None:
    """A time unit other than days/weeks/months, or an end before every purchase, is a #VALUE! error."""
    with pytest.raises(ClvError, match="years"):
        customer_summary(_transactions(), time_unit="years")  # type: ignore[arg-type]
    with pytest.raises(ClvError, match="2023-12-31"):
        customer_summary(_transactions(), observation_end="2023-12-31")


def test_summary_feeds_the_predictive_models() -> None:
    """The summary's columns go straight into fit_and_predict_clv (400 random customers, weeks)."""
    rng = np.random.default_rng(3)
    customers = np.repeat(np.arange(400), rng.integers(1, 8, 400))
    table = pd.DataFrame(
        {
            "customer_id": customers.astype(str),
            "date": pd.Timestamp("2023-01-02") + pd.to_timedelta(rng.integers(0, 365, customers.size), unit="D"),
            "amount": rng.gamma(3.0, 20.0, customers.size).round(2),
        }
    )
    summary = customer_summary(table, time_unit="weeks")
    forecast = fit_and_predict_clv(
        summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"], horizon=52
    )
    assert forecast.prediction.clv.shape == (400,)
    assert np.isfinite(forecast.prediction.clv).all() and (forecast.prediction.clv > 0).all()


@pytest.mark.parametrize(("time_unit", "freq"), [("days", "D"), ("weeks", "W")])
def test_identical_to_lifetimes(time_unit: str, freq: str) -> None:
    """lifetimes' own summary_data_from_transaction_data on 3,000 random orders.

    lifetimes is a test dependency only (the reference); benchmarks/bench_customer_summary.py
    compares a million orders.
    """
    import lifetimes.utils as utils

    rng = np.random.default_rng(12)
    n = 3000
    table = pd.DataFrame(
        {
            "customer_id": np.char.add("K", rng.integers(0, 400, n).astype(str)).astype(object),
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 500 * 24, n), unit="h"),
            "amount": rng.gamma(2.0, 30.0, n).round(2),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifetimes' deprecation warnings under pandas 3
        theirs = utils.summary_data_from_transaction_data(
            table, "customer_id", "date", "amount", freq=freq, observation_period_end="2024-03-31"
        )
    ours = customer_summary(table, time_unit=time_unit, observation_end="2024-03-31").set_index("customer_id")
    ours = ours.loc[theirs.index]
    for column in ("frequency", "recency", "T"):
        assert np.array_equal(ours[column].to_numpy(), theirs[column].to_numpy()), column
    assert np.allclose(ours["monetary_value"], theirs["monetary_value"], rtol=1e-12)


def test_the_lifespan_follows_the_order_of_precedence_per_segment() -> None:
    """CDNOW split into two segments: with the churn estimates each group's lifespan is 1 / its own estimated
    churn (lifespan_from "estimate"); a churn the user gives wins; without either, the observed tenure.
    Fails if segment_figures ignores the estimates or applies them to the wrong group."""
    from cdnow_data import cdnow_transactions

    from clv_xl.core.churn import estimate_churn_by_group

    orders = cdnow_transactions(full=True)
    orders = orders.assign(segment=np.where(orders["customer_id"].str[-1].isin(list("02468")), "even", "odd"))
    summary = customer_summary(orders)
    estimates = estimate_churn_by_group(orders, dict(zip(summary["customer_id"], summary["segment"], strict=True)))
    figures = segment_figures(summary, churn_estimates=estimates)
    for group, key in (("even", "even"), ("odd", "odd"), (TOTAL, None)):
        assert figures.loc[group, "lifespan_from"] == "estimate"
        assert figures.loc[group, "annual_churn"] == estimates[key].churn
        assert figures.loc[group, "lifespan_years"] == pytest.approx(1 / estimates[key].churn)
    given = segment_figures(summary, churn_estimates=estimates, annual_churn=0.5)
    assert set(given["lifespan_from"]) == {"churn"} and set(given["lifespan_years"]) == {2.0}
    plain = segment_figures(summary)
    assert set(plain["lifespan_from"]) == {"tenure"} and plain["annual_churn"].isna().all()
