"""The holdout check against lifetimes' calibration_and_holdout_data and the published CDNOW figure (1,788)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_transactions

from clv_xl.core.summaries import period_index
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.models.holdout import calibration_and_holdout, default_holdout, holdout_check
from clv_xl.models.purchase_models import expected_purchases_new_customer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from lifetimes.utils import calibration_and_holdout_data


@pytest.fixture(scope="module")
def cdnow_check():  # type: ignore[no-untyped-def]
    return holdout_check(cdnow_transactions(), holdout=39, time_unit="weeks")


def test_cdnow_39_weeks_gives_the_published_1788(cdnow_check) -> None:  # type: ignore[no-untyped-def]
    """Fader, Hardie and Lee (2005): calibration to 1997-09-30, 2,357 customers, 1,788 repeat purchases in the
    39-week holdout. Fails if the split day, the counting of purchase periods or the customers differ."""
    assert cdnow_check.calibration_end == pd.Timestamp("1997-09-30")
    assert cdnow_check.holdout_end == pd.Timestamp("1998-06-30")
    assert cdnow_check.customers == 2357
    assert cdnow_check.actual == 1788
    assert [m.key for m in cdnow_check.models] == ["bgnbd", "mbgnbd", "pareto"]
    records = cdnow_check.records()
    assert set(records[0]) == {"model", "calibration_end", "holdout_end", "customers", "actual", "predicted", "mae"}
    assert records[2]["calibration_end"] == "1997-09-30" and records[2]["model"] == "pareto"


def test_errors_equal_lifetimes_fits_on_the_same_split(cdnow_check) -> None:  # type: ignore[no-untyped-def]
    """Each model's predicted total and mean absolute error, recomputed from lifetimes' own fit on lifetimes'
    own split, agree to 0.1 % (the fits agree to lifetimes' optimiser tolerance)."""
    from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

    orders = cdnow_transactions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        split = calibration_and_holdout_data(
            orders, "customer_id", "date", "1997-09-30", "1998-06-30", freq="W", monetary_value_col="amount"
        )
        columns = (split["frequency_cal"], split["recency_cal"], split["T_cal"])
        np.random.seed(20261202)  # lifetimes starts its Pareto/NBD search from random parameters
        for check, fitter in zip(
            cdnow_check.models, (BetaGeoFitter(), ModifiedBetaGeoFitter(), ParetoNBDFitter()), strict=True
        ):
            fitter.fit(*columns)
            predicted = fitter.conditional_expected_number_of_purchases_up_to_time(39, *columns)
            assert check.predicted == pytest.approx(predicted.sum(), rel=1e-3), check.name
            mae = np.abs(predicted - split["frequency_holdout"]).mean()
            assert check.mae == pytest.approx(mae, rel=1e-3), check.name


@pytest.mark.parametrize(("unit", "freq", "end"), [("weeks", "W", "1997-09-30"), ("days", "D", "1997-12-31")])
def test_split_equals_lifetimes_calibration_and_holdout_data(unit: str, freq: str, end: str) -> None:
    """Every customer's frequency, recency, T (calibration) and purchases and duration (holdout) equal
    lifetimes' reference definition (read with a monetary column: lifetimes 0.11 fails without one on pandas 3)."""
    orders = cdnow_transactions()
    ours = calibration_and_holdout(orders, calibration_end=end, time_unit=unit).set_index("customer_id")  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = calibration_and_holdout_data(
            orders, "customer_id", "date", end, "1998-06-30", freq=freq, monetary_value_col="amount"
        )
    theirs = theirs.loc[ours.index]
    for column in ("frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"):
        np.testing.assert_array_equal(ours[column].to_numpy(float), theirs[column].to_numpy(float), err_msg=column)
    np.testing.assert_allclose(ours["monetary_value_cal"], theirs["monetary_value_cal"], rtol=1e-12)


def test_tracking_series_equals_an_independent_count(cdnow_check) -> None:  # type: ignore[no-untyped-def]
    """Figure 3 of Fader, Hardie and Lee (2005), week by week: the actual cumulative repeat purchases counted
    again with pandas, the model's expectation summed customer by customer, and both ends tied to the check."""
    tracking = cdnow_check.tracking()
    orders = cdnow_transactions()
    weeks = period_index(orders["date"].to_numpy(dtype="datetime64[ns]"), "weeks")
    calibration = orders["date"] <= "1997-09-30"
    pairs = pd.DataFrame({"customer": orders["customer_id"], "week": weeks, "holdout": ~calibration}).drop_duplicates()
    first = pairs.groupby("customer")["week"].transform("min")
    repeat = pairs[pairs["holdout"] | (pairs["week"] != first)]
    counted = repeat.groupby("week").size().reindex(range(weeks.min(), weeks.max() + 1), fill_value=0).cumsum()
    np.testing.assert_array_equal(tracking["actual"].to_numpy(), counted.to_numpy())
    total_calibration = cdnow_check.summary["frequency_cal"].sum()
    assert tracking["actual"].iloc[-1] == total_calibration + cdnow_check.actual
    assert tracking["holdout"].sum() == 39
    assert tracking["period_start"].iloc[0] == pd.Timestamp("1996-12-30")  # the Monday of 1997-01-01's week
    starts = pd.Series(weeks).groupby(orders["customer_id"].to_numpy()).min().to_numpy() - weeks.min()
    for check in cdnow_check.models:
        for k in (10, 38, 78):
            ages = k - starts[starts <= k]
            expected = np.sum(expected_purchases_new_customer(check.params, ages.astype(float)))
            assert tracking[check.key].iloc[k] == pytest.approx(expected, rel=1e-12)
        history = tracking[f"{check.key}_from_history"]
        assert history.iloc[:39].isna().all() and history.iloc[39] == total_calibration
        assert history.iloc[-1] == pytest.approx(total_calibration + check.predicted, rel=1e-12)


def test_default_holdout_is_half_the_span_at_most_a_year() -> None:
    """CDNOW spans 78 weeks: 39 by default (Fader, Hardie and Lee's split); 545 days: 272; 17 months: 8."""
    orders = cdnow_transactions()
    assert default_holdout(orders, time_unit="weeks") == 39
    assert default_holdout(orders, time_unit="days") == 272
    assert default_holdout(orders, time_unit="months") == 8
    long = pd.concat([orders, orders.assign(date=orders["date"] + pd.DateOffset(years=3))])
    assert default_holdout(long, time_unit="weeks") == 52


def _orders(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"customer_id": [r[0] for r in rows], "date": pd.to_datetime([r[1] for r in rows]), "amount": 10.0}
    )


def test_bad_holdouts_are_clear_errors_in_both_languages() -> None:
    """A holdout longer than the data, not whole, or a span too short for the default: #VALUE! with the reason."""
    orders = cdnow_transactions()
    with pytest.raises(ClvError) as caught:
        holdout_check(orders, holdout=100)
    assert caught.value.code is ExcelErrorCode.VALUE
    assert caught.value.message("en") == (
        "a holdout of 100 weeks is as long as the orders or longer: they span 78 weeks, from 1997-01-01 to "
        "1998-06-30; choose a shorter holdout"
    )
    assert "coprono 78 settimane, dal 01/01/1997 al 30/06/1998" in caught.value.message("it")
    for bad in (0, 2.5, "abc", True):
        with pytest.raises(ClvError, match="the holdout must be a whole number of weeks from 1 up"):
            holdout_check(orders, holdout=bad)  # type: ignore[arg-type]
    one_day = _orders([("A", "2024-01-05"), ("B", "2024-01-05"), ("A", "2024-01-05")])
    with pytest.raises(ClvError, match="the orders span 0 weeks: too little for a check"):
        holdout_check(one_day)
    with pytest.raises(ClvError, match="a holdout of 1 weeks is as long as the orders or longer"):
        holdout_check(one_day, holdout=1)


def test_a_model_that_cannot_be_fitted_says_why_and_the_others_still_run() -> None:
    """Only one-time buyers before the calibration end: every model says so instead of predicting."""
    rows = [(f"C{i}", f"2024-01-{1 + i % 20:02d}") for i in range(30)] + [("C1", "2024-04-01")]
    result = holdout_check(_orders(rows), holdout=4)
    assert result.actual == 1
    for check in result.models:
        assert check.problem is not None and np.isnan(check.predicted)
        assert "no customer made a repeat purchase" in check.problem.message("en")
    assert all(record["predicted"] is None for record in result.records())
