"""The choice of the purchase model by the stated rule, on CDNOW and on bases where the rule must fall back."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_transactions

from clv_xl.core.summaries import customer_summary
from clv_xl.errors import ClvError
from clv_xl.models.choice import choose_purchase_model
from clv_xl.models.holdout import holdout_check
from clv_xl.models.purchase_models import bic, fit_purchase_model


def test_cdnow_chooses_pareto_nbd_by_the_holdout_error() -> None:
    """On the CDNOW sample the default holdout is 39 weeks, and Pareto/NBD predicts it best (0.719 against
    0.731 MBG/NBD and 0.762 BG/NBD, the figures of holdout_check): the reason says so, in both languages."""
    orders = cdnow_transactions()
    choice = choose_purchase_model(orders)
    check = holdout_check(orders, holdout=39)
    assert choice.key == "pareto" and choice.rule == "holdout"
    assert [c.holdout_mae for c in choice.candidates] == pytest.approx([m.mae for m in check.models])
    assert choice.reason.en == (
        "Pareto/NBD: the smallest mean error per customer over a holdout of 39 weeks at the end of the orders, "
        "which the fit did not see (Pareto/NBD 0.719; MBG/NBD 0.731; BG/NBD 0.762)"
    )
    assert "(Pareto/NBD 0,719; MBG/NBD 0,731; BG/NBD 0,762)" in choice.reason.it
    # the parameters are those of a fit on ALL the orders, not on the calibration period
    summary = customer_summary(orders, time_unit="weeks")
    full = fit_purchase_model("pareto", summary["frequency"], summary["recency"], summary["T"])
    assert choice.params == full
    assert choice.candidates[2].bic == pytest.approx(bic(full))
    # the others were only fitted on the calibration period: the holdout decided
    assert [c.params is None for c in choice.candidates] == [True, True, False]


def _short_base(seed: int = 3, customers: int = 400, days: int = 42) -> pd.DataFrame:
    """Six weeks of orders (too short for a holdout): customers who buy at their own rate until they leave."""
    rng = np.random.default_rng(seed)
    rows = []
    for customer in range(customers):
        day = float(rng.uniform(0, days / 2))
        rate = rng.gamma(0.7, 1 / 8)  # purchases per day, varying across customers
        leaves = day + rng.exponential(30.0)
        while day < min(days, leaves):
            rows.append((f"C{customer}", int(day)))
            day += rng.exponential(1 / rate)
    frame = pd.DataFrame(rows, columns=["customer_id", "day"])
    return pd.DataFrame(
        {
            "customer_id": frame["customer_id"],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(frame["day"], unit="D"),
            "amount": 20.0,
        }
    )


def test_too_short_a_span_chooses_the_lowest_bic() -> None:
    """Six weeks: no holdout; the model with the lowest BIC on all the orders, which the reason names."""
    orders = _short_base()
    choice = choose_purchase_model(orders)
    assert choice.rule == "bic" and choice.check is None
    fitted = [c for c in choice.candidates if c.params is not None]
    assert choice.key == min(fitted, key=lambda c: c.bic).key
    assert all(math.isnan(c.holdout_mae) for c in choice.candidates)
    assert "the lowest BIC on all the orders" in choice.reason.en
    assert "il BIC più basso su tutti gli ordini" in choice.reason.it


def test_a_named_model_is_used_as_given() -> None:
    orders = _short_base()
    choice = choose_purchase_model(orders, model="mbgnbd")
    assert (choice.key, choice.rule, choice.name) == ("mbgnbd", "given", "MBG/NBD")
    assert choice.reason.it == "MBG/NBD: il modello scelto da te"


def test_no_model_can_be_fitted_on_one_time_buyers() -> None:
    """All one-time buyers: a #NUM! error naming each model's reason, never a silent fit."""
    orders = pd.DataFrame(
        {"customer_id": [f"C{i}" for i in range(40)], "date": pd.date_range("2024-01-01", periods=40), "amount": 5.0}
    )
    with pytest.raises(ClvError, match="no purchase model could be fitted: BG/NBD cannot be fitted: no customer"):
        choose_purchase_model(orders)


def _one_rate_base(seed: int) -> pd.DataFrame:
    """200 customers over six weeks who all buy at one and the same rate: no heterogeneity to fit."""
    rng = np.random.default_rng(seed)
    rows = []
    for customer in range(200):
        day = rng.integers(0, 20)
        rows.append((f"C{customer}", day))
        for _ in range(rng.poisson(1.0)):
            day = min(41, day + rng.integers(1, 15))
            rows.append((f"C{customer}", day))
    frame = pd.DataFrame(rows, columns=["customer_id", "day"])
    return pd.DataFrame(
        {
            "customer_id": frame["customer_id"],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(frame["day"], unit="D"),
            "amount": 20.0,
        }
    )


def test_models_that_do_not_converge_are_left_out_and_named() -> None:
    """On a base without heterogeneity MBG/NBD's and Pareto/NBD's searches do not converge: BG/NBD is the only
    model left, and the reason says which did not converge, in both languages (never a silent fit)."""
    choice = choose_purchase_model(_one_rate_base(1))
    assert (choice.key, choice.rule) == ("bgnbd", "only")
    failed = [c for c in choice.candidates if c.problem is not None]
    assert [c.key for c in failed] == ["mbgnbd", "pareto"]
    assert choice.reason.en.startswith("BG/NBD: the only model that could be fitted (MBG/NBD: the fit did not converge")
    assert "Pareto/NBD: la stima non converge" in choice.reason.it


def test_a_large_base_is_checked_on_a_fixed_sample_and_fitted_on_all() -> None:
    """With more customers than the sample (here a sample of 800 of the CDNOW sample's 2,357), the holdout check
    runs on 800 customers with all their orders, drawn the same whatever the row order; the chosen model is
    fitted on ALL the customers, and the reason names the sample in both languages. Fails when the sample
    changes with the order of the rows, loses a sampled customer's orders, or the fit uses the sample."""
    from clv_xl.models.choice import sample_customers

    orders = cdnow_transactions()
    choice = choose_purchase_model(orders, sample=800)
    shuffled = choose_purchase_model(orders.sample(frac=1.0, random_state=7), sample=800)
    assert choice.sample == shuffled.sample == 800 and choice.check is not None and shuffled.check is not None
    assert choice.key == shuffled.key and choice.params == shuffled.params
    sampled = sample_customers(orders, 800)
    assert sampled["customer_id"].nunique() == 800
    assert len(sampled) == orders["customer_id"].isin(sampled["customer_id"]).sum()  # all their orders
    assert choice.check.customers == holdout_check(sampled, holdout=39).customers <= 800
    summary = customer_summary(orders, time_unit="weeks")
    full = fit_purchase_model(choice.key, summary["frequency"], summary["recency"], summary["T"])
    assert choice.params == full and full.customers == 2357
    assert choice.reason.en.endswith("; checked on a fixed sample of 800 of the 2,357 customers, then fitted on all")
    assert choice.reason.it.endswith("; verifica su un campione fisso di 800 clienti su 2.357, poi stima su tutti")
    assert choose_purchase_model(orders).sample is None  # 2,357 customers: all of them are checked


def test_when_no_model_can_be_checked_the_bic_decides_and_says_why() -> None:
    """Orders long enough for a holdout, but too few customers before it for any fit to converge (the sample
    template's 40 customers): the lowest BIC on all the orders, and the reason says the check failed, not that
    the orders were too short, without advising a penalizer the choice does not take."""
    from report_set import sample_orders

    choice = choose_purchase_model(sample_orders())
    assert choice.rule == "bic" and choice.check is not None
    assert "no model could be checked on a holdout of 50 weeks" in choice.reason.en
    assert (
        "non è stato possibile verificare alcun modello su un periodo di verifica di 50 settimane" in choice.reason.it
    )
    assert "too little time" not in choice.reason.en and "penalizer" not in choice.reason.en + choice.reason.it
