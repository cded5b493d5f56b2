"""A check of the purchase models on the user's own orders: fit on the past, predict the last periods.

The orders are split at a calibration end: each model is fitted on the orders up to
it and predicts each customer's purchases in the holdout, the periods after it, which
are then compared with what the customers really did. This is the check of Fader,
Hardie and Lee (2005), section 4 (CDNOW: 39 weeks of calibration, 39 of holdout; the
2,357 customers made 1,788 repeat purchases in the holdout).

Purchases are counted as :func:`clv_xl.core.summaries.customer_summary` counts them:
distinct purchase periods of the time unit (two orders in one week are one purchase
with weekly periods). The split follows lifetimes' ``calibration_and_holdout_data``,
the reference definition:

* calibration: the orders up to and including the calibration end day, summarised
  with the calibration end as observation end (frequency, recency, T);
* holdout: for each customer of the calibration, the number of distinct periods with
  an order after the calibration end day, up to and including the holdout end day;
  customers whose first order is in the holdout are left out (the models predict
  existing customers);
* duration: period of the holdout end − period of the calibration end.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "Counting Your Customers
   the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2),
   275-284 (section 4, Figure 3: cumulative repeat purchases, actual and predicted).
.. [2] lifetimes, ``lifetimes.utils.calibration_and_holdout_data``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.core.checks import FloatArray, customer_keys
from clv_xl.core.summaries import TIME_UNIT_NAMES, TIME_UNITS, TimeUnit, customer_summary, period_index, period_start
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import date_text
from clv_xl.models.customers import distinct_summaries
from clv_xl.models.purchase_models import (
    MODEL_KEYS,
    PURCHASE_MODELS,
    ModelKey,
    PurchaseParams,
    expected_purchases,
    expected_purchases_new_customer,
)

__all__ = [
    "HOLDOUT_COLUMNS",
    "MAXIMUM_DEFAULT_HOLDOUT_DAYS",
    "MINIMUM_HOLDOUT_DAYS",
    "HoldoutCheck",
    "ModelCheck",
    "calibration_and_holdout",
    "default_holdout",
    "holdout_check",
]

#: Columns of :func:`calibration_and_holdout` (lifetimes' names).
HOLDOUT_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "frequency_cal",
    "recency_cal",
    "T_cal",
    "monetary_value_cal",
    "frequency_holdout",
    "duration_holdout",
)
#: The default holdout is at most a year: the horizon the report forecasts.
MAXIMUM_DEFAULT_HOLDOUT_DAYS = 364
#: A holdout shorter than four weeks says little: without one given, the check needs
#: orders spanning at least twice this.
MINIMUM_HOLDOUT_DAYS = 28

_ONE_DAY = pd.Timedelta(days=1)


def _period_of(day: pd.Timestamp, time_unit: str) -> int:
    return int(period_index(np.array([day.to_datetime64()], dtype="datetime64[ns]"), time_unit)[0])


def _days(transactions: pd.DataFrame) -> np.ndarray:
    return transactions["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def calibration_and_holdout(
    transactions: pd.DataFrame,
    *,
    calibration_end: object,
    holdout_end: object = None,
    time_unit: TimeUnit = "weeks",
) -> pd.DataFrame:
    """Each calibration customer's summary up to ``calibration_end`` and purchases after it.

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date``, ``amount`` (as
        :func:`clv_xl.data.read_transactions` returns them).
    calibration_end, holdout_end
        Last days of the calibration and of the holdout (dates; default holdout end:
        the day of the last order).
    time_unit
        ``"days"``, ``"weeks"`` or ``"months"``: the periods purchases are counted in.

    Returns
    -------
    pandas.DataFrame
        One row per customer with an order up to the calibration end, sorted by
        ``customer_id``: the columns :data:`HOLDOUT_COLUMNS` (``duration_holdout`` in
        periods, the same for all). ``attrs``: ``calibration_end``, ``holdout_end``,
        ``time_unit``.

    Raises
    ------
    ClvError
        ``#VALUE!`` when no order is on or before the calibration end, or the holdout
        end is not after the calibration end.
    """
    return _split(transactions, calibration_end, holdout_end, time_unit)[0]


def _split(
    transactions: pd.DataFrame, calibration_end: object, holdout_end: object, time_unit: TimeUnit
) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """:func:`calibration_and_holdout`, and each order's customer as a row of it (−1: not a calibration customer)."""
    days = _days(transactions)
    calibration_day = pd.Timestamp(calibration_end).normalize()
    end_day = pd.Timestamp(days.max() if holdout_end is None else holdout_end).normalize()
    if end_day <= calibration_day:
        raise ClvError(
            ExcelErrorCode.VALUE,
            "holdout_end_before_calibration",
            value=date_text(end_day.date()),
            limit=date_text(calibration_day.date()),
        )
    in_calibration = days <= calibration_day.to_datetime64()
    if not in_calibration.any():
        raise ClvError(
            ExcelErrorCode.VALUE,
            "holdout_no_calibration",
            value=date_text(calibration_day.date()),
            first=date_text(pd.Timestamp(days.min()).date()),
        )
    calibration = customer_summary(
        transactions.loc[in_calibration], time_unit=time_unit, observation_end=calibration_day
    )
    # every order's customer as a row of the calibration summary (both sorted by id, as customer_summary sorts)
    everyone, _ = pd.factorize(customer_keys(transactions), sort=True)
    present = np.zeros(int(everyone.max()) + 1, dtype=bool)
    present[everyone[in_calibration]] = True
    rows = np.where(present, np.cumsum(present) - 1, -1)[everyone]
    later = (~in_calibration) & (days <= end_day.to_datetime64())
    codes = rows[later]
    periods = period_index(days[later], time_unit)
    known = codes >= 0
    frequency_holdout = np.zeros(len(calibration))
    if known.any():
        lowest = int(periods.min())
        span = int(periods.max()) - lowest + 1
        pairs = pd.unique(codes[known].astype(np.int64) * span + (periods[known] - lowest))
        frequency_holdout = np.bincount(pairs // span, minlength=len(calibration)).astype(np.float64)
    duration = _period_of(end_day, time_unit) - _period_of(calibration_day, time_unit)
    table = pd.DataFrame(
        {
            "customer_id": calibration["customer_id"],
            "frequency_cal": calibration["frequency"],
            "recency_cal": calibration["recency"],
            "T_cal": calibration["T"],
            "monetary_value_cal": calibration["monetary_value"],
            "frequency_holdout": frequency_holdout,
            "duration_holdout": float(duration),
        }
    )
    table.attrs.update(calibration_end=calibration_day, holdout_end=end_day, time_unit=time_unit)
    return table, rows


def _periods_in(days: float, time_unit: str) -> int:
    return math.ceil(days / TIME_UNITS[time_unit] - 1e-9)


def default_holdout(
    transactions: pd.DataFrame, *, time_unit: TimeUnit = "weeks", observation_end: object = None
) -> int:
    """The holdout used when none is given: half the periods the orders span, at most a year.

    Half, as Fader, Hardie and Lee's CDNOW check (39 weeks of 78); at most
    :data:`MAXIMUM_DEFAULT_HOLDOUT_DAYS` (52 weeks, 364 days or 11 months), the
    horizon the report forecasts. 0 when the orders span less than twice
    :data:`MINIMUM_HOLDOUT_DAYS`: too short a time for a check.
    """
    days = _days(transactions)
    end = pd.Timestamp(days.max() if observation_end is None else observation_end).normalize()
    span = _period_of(end, time_unit) - _period_of(pd.Timestamp(days.min()), time_unit)
    holdout = min(span // 2, int(MAXIMUM_DEFAULT_HOLDOUT_DAYS // TIME_UNITS[time_unit]))
    return holdout if holdout >= _periods_in(MINIMUM_HOLDOUT_DAYS, time_unit) else 0


def _calibration_end(end: pd.Timestamp, holdout: int, time_unit: str) -> pd.Timestamp:
    """The holdout end minus ``holdout`` periods (weeks of 7 days, calendar months)."""
    if time_unit == "months":
        return end - pd.DateOffset(months=holdout)
    return end - pd.Timedelta(days=holdout * TIME_UNITS[time_unit])


@dataclass(frozen=True)
class ModelCheck:
    """One model's result in the holdout check.

    Attributes
    ----------
    key, name
        The model (``"pareto"``, ``"Pareto/NBD"``).
    params
        Its parameters fitted on the calibration period; None when the fit failed.
    problem
        Why the fit failed (e.g. it did not converge), else None.
    predicted
        Predicted holdout purchases of the calibration customers, in total (NaN on failure).
    mae
        Mean absolute error per customer, |predicted − actual| averaged over them.
    per_customer
        Each calibration customer's predicted holdout purchases (empty on failure).
    """

    key: ModelKey
    name: str
    params: PurchaseParams | None
    problem: ClvError | None
    predicted: float
    mae: float
    per_customer: FloatArray


@dataclass(frozen=True)
class HoldoutCheck:
    """The holdout check of the purchase models on one list of orders.

    Attributes
    ----------
    calibration_end, holdout_end
        Last days of the calibration and of the holdout.
    time_unit, holdout
        The periods purchases are counted in, and the holdout's length in them.
    customers
        Customers with an order up to the calibration end (the ones predicted).
    actual
        Their purchases in the holdout (distinct purchase periods), in total.
    summary
        One row per calibration customer (see :func:`calibration_and_holdout`).
    models
        One result per model, in the order asked.

    The tracking series ([1], Figure 3) is computed when asked for, by :meth:`tracking`.
    """

    calibration_end: pd.Timestamp
    holdout_end: pd.Timestamp
    time_unit: TimeUnit
    holdout: int
    customers: int
    actual: float
    summary: pd.DataFrame
    models: tuple[ModelCheck, ...]
    _actual: pd.DataFrame = field(repr=False, compare=False)
    _first_periods: FloatArray = field(repr=False, compare=False)
    _calibration_period: int = field(repr=False, compare=False)
    _expected: dict[ModelKey, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def tracking(self, models: Sequence[ModelKey] | None = None) -> pd.DataFrame:
        """Cumulative repeat purchases of the calibration customers, period by period ([1], Figure 3).

        Parameters
        ----------
        models
            The models whose expectations to add (default: every model of the check);
            each is computed once, when first asked for.

        Returns
        -------
        pandas.DataFrame
            One row per period from the period of the first order to the holdout end:
            ``period_start`` (date), ``holdout`` (True after the calibration end),
            ``actual`` (cumulative repeat purchases, counted as the check counts
            them); per model fitted, ``<key>`` (its expectation for customers with
            these first-purchase periods: Σ_i E[X(k − s_i)]) and ``<key>_from_history``
            (NaN up to the calibration end, then the calibration's repeat purchases
            plus Σ_i E[Y(k − calibration end) | x_i, t_x_i, T_i]; at the holdout end that
            total plus ``predicted``, so the chart ends on the check's figures).
        """
        table = self._actual.copy()
        wanted = [m for m in self.models if m.params is not None and (models is None or m.key in models)]
        for check in wanted:
            if check.key not in self._expected:
                self._expected[check.key] = self._expectations(check)
            table[[check.key, f"{check.key}_from_history"]] = self._expected[check.key].to_numpy()
        return table

    def _expectations(self, check: ModelCheck) -> pd.DataFrame:
        assert check.params is not None
        length, start = len(self._actual), self._calibration_period
        new_customer = np.asarray(expected_purchases_new_customer(check.params, np.arange(length, dtype=float)))
        from_history = np.full(length, np.nan)
        columns = (self.summary[c].to_numpy(dtype=np.float64) for c in ("frequency_cal", "recency_cal", "T_cal"))
        x, t_x, age = columns
        from_history[start:] = float(x.sum()) + _expected_totals(check.params, length - start, x, t_x, age)
        return pd.DataFrame(
            {"expected": np.convolve(self._first_periods, new_customer)[:length], "history": from_history}
        )

    def records(self) -> list[dict[str, object]]:
        """One plain record per model, as ``clv-xl check --json`` prints them.

        Keys ``model`` (``bgnbd``, ``mbgnbd``, ``pareto``), ``calibration_end`` and
        ``holdout_end`` (ISO dates), ``customers``, ``actual``, ``predicted``, ``mae``
        (None when the fit failed).
        """
        return [
            {
                "model": check.key,
                "calibration_end": self.calibration_end.date().isoformat(),
                "holdout_end": self.holdout_end.date().isoformat(),
                "customers": self.customers,
                "actual": self.actual,
                "predicted": None if check.problem else check.predicted,
                "mae": None if check.problem else check.mae,
            }
            for check in self.models
        ]


def holdout_check(
    transactions: pd.DataFrame,
    *,
    holdout: int | float | str | None = None,
    time_unit: TimeUnit = "weeks",
    models: Sequence[ModelKey] = MODEL_KEYS,
    observation_end: object = None,
    penalizer: float = 0.0,
) -> HoldoutCheck:
    """Fit each model on the orders up to (end − holdout) and compare its predictions with the holdout.

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date``, ``amount``.
    holdout
        Length of the holdout in periods of ``time_unit`` (a whole number >= 1);
        default :func:`default_holdout`. Weeks are 7 days, months calendar months
        (CDNOW, ending 1998-06-30: 39 weeks put the calibration end on 1997-09-30).
    time_unit
        ``"days"``, ``"weeks"`` or ``"months"``.
    models
        The models to check (default all three).
    observation_end
        The holdout end (default: the day of the last order).
    penalizer
        L2 penalty of the fits (see :mod:`clv_xl.models.fitting`).

    Returns
    -------
    HoldoutCheck
        Per model: its fit, predicted holdout purchases and mean absolute error per
        customer; the actual holdout purchases; the tracking series.

    Raises
    ------
    ClvError
        ``#VALUE!`` when the holdout is not a whole number >= 1, leaves no order in
        the calibration (the holdout is as long as the orders or longer), or is not
        given and the orders span too little time for the default one. A model that
        cannot be fitted does not raise: its :class:`ModelCheck` says why.
    """
    days = _days(transactions)
    end = pd.Timestamp(days.max() if observation_end is None else observation_end).normalize()
    first = pd.Timestamp(days.min())
    span = _period_of(end, time_unit) - _period_of(first, time_unit)
    unit = TIME_UNIT_NAMES[time_unit]
    if holdout is None:
        periods = default_holdout(transactions, time_unit=time_unit, observation_end=end)
        if periods == 0:
            minimum = 2 * _periods_in(MINIMUM_HOLDOUT_DAYS, time_unit)
            raise ClvError(ExcelErrorCode.VALUE, "holdout_too_short", span=span, unit=unit, minimum=minimum)
    else:
        try:
            number = float(holdout)
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(holdout, bool) or not number.is_integer() or number < 1:
            raise ClvError(ExcelErrorCode.VALUE, "holdout_periods", value=holdout, span=span, unit=unit)
        periods = int(number)
    calibration_end = _calibration_end(end, periods, time_unit)
    if calibration_end < first:
        raise ClvError(
            ExcelErrorCode.VALUE,
            "holdout_too_long",
            value=periods,
            span=span,
            unit=unit,
            first=date_text(first.date()),
            last=date_text(end.date()),
        )
    summary, rows = _split(transactions, calibration_end, end, time_unit)
    x, t_x, age = (summary[c].to_numpy(dtype=np.float64) for c in ("frequency_cal", "recency_cal", "T_cal"))
    actual = summary["frequency_holdout"].to_numpy(dtype=np.float64)
    duration = float(summary["duration_holdout"].iloc[0])
    results = []
    for key in models:
        model = PURCHASE_MODELS[key]
        try:
            params = model.fit(x, t_x, age, penalizer=penalizer)
            predicted = np.asarray(expected_purchases(params, duration, x, t_x, age), dtype=np.float64)
        except ClvError as error:
            results.append(ModelCheck(key, model.name, None, error, math.nan, math.nan, np.empty(0)))
            continue
        mae = float(np.mean(np.abs(predicted - actual)))
        results.append(ModelCheck(key, model.name, params, None, float(predicted.sum()), mae, predicted))
    actual_series, first_periods, calibration_period = _actual_tracking(transactions, summary, rows, time_unit)
    return HoldoutCheck(
        calibration_end=pd.Timestamp(calibration_end),
        holdout_end=end,
        time_unit=time_unit,
        holdout=periods,
        customers=len(summary),
        actual=float(actual.sum()),
        summary=summary,
        models=tuple(results),
        _actual=actual_series,
        _first_periods=first_periods,
        _calibration_period=calibration_period,
    )


def _actual_tracking(
    transactions: pd.DataFrame, summary: pd.DataFrame, rows: npt.NDArray[np.int64], time_unit: str
) -> tuple[pd.DataFrame, FloatArray, int]:
    """The actual series of :meth:`HoldoutCheck.tracking`, the customers per first period, the calibration's period.

    Periods are counted from the period of the first order of the calibration customers.
    """
    calibration_day = pd.Timestamp(summary.attrs["calibration_end"])
    end_day = pd.Timestamp(summary.attrs["holdout_end"])
    days = _days(transactions)
    kept = (rows >= 0) & (days <= end_day.to_datetime64())
    codes, days = rows[kept], days[kept]
    periods = period_index(days, time_unit)
    first_period = np.full(len(summary), np.iinfo(np.int64).max)
    np.minimum.at(first_period, codes, periods)
    start = int(first_period.min())
    last = _period_of(end_day, time_unit)
    length = last - start + 1
    calibration_period = _period_of(calibration_day, time_unit) - start
    in_holdout = days > calibration_day.to_datetime64()
    # distinct (customer, period) pairs, separately in calibration and holdout (as the check counts them)
    pairs = pd.unique(codes.astype(np.int64) * (2 * length) + (periods - start) * 2 + in_holdout)
    customer, rest = pairs // (2 * length), pairs % (2 * length)
    offset, holdout_pair = rest // 2, rest % 2 == 1
    repeat = holdout_pair | (offset + start != first_period[customer])
    actual = np.cumsum(np.bincount(offset[repeat], minlength=length)).astype(np.float64)
    table = pd.DataFrame(
        {
            "period_start": period_start(np.arange(start, last + 1), time_unit).astype("datetime64[ns]"),
            "holdout": np.arange(length) > calibration_period,
            "actual": actual,
        }
    )
    return table, np.bincount(first_period - start, minlength=length).astype(np.float64), calibration_period


def _expected_totals(params: PurchaseParams, steps: int, x: FloatArray, t_x: FloatArray, age: FloatArray) -> FloatArray:
    """Σ_i E[Y(h) | x_i, t_x_i, T_i] for h = 0, 1, ..., steps − 1 (once per distinct summary)."""
    distinct = distinct_summaries(x, t_x, age)
    horizons = np.arange(steps, dtype=np.float64)[:, None]
    columns = (distinct.x[None, :], distinct.t_x[None, :], distinct.age[None, :])
    expected = np.asarray(expected_purchases(params, horizons, *columns), dtype=np.float64)
    return expected @ distinct.counts
