"""From validated transactions to per-customer and per-segment figures. Pure: no I/O.

Input: a table with one row per transaction and the columns ``customer_id`` (text),
``date`` (datetime64), ``amount`` (float; a negative amount is a refund) and
optionally ``segment`` (text), as :func:`clv_xl.data.read_transactions` returns it.

Two results:

* :func:`customer_summary`: one row per customer: orders, first and last purchase,
  revenue, average order value, tenure, and the inputs of the predictive models
  (frequency, recency, T, monetary value) with the definitions of the lifetimes
  library, so the table feeds :func:`clv_xl.models.fit_and_predict_clv` directly;
* :func:`segment_figures`: document 002's chain (APV, repeat rate, customer value,
  lifespan, CLV) for each segment and for the whole base.

Everything is vectorised (``bincount``, ``minimum.at``, hashing; no sort of the
transactions): a million transactions take about a quarter of a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.core import formulas
from clv_xl.core.checks import customer_keys
from clv_xl.core.churn import ChurnEstimate, choose_lifespan
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import Text

__all__ = [
    "DAYS_PER_YEAR",
    "SEGMENT_COLUMNS",
    "SUMMARY_COLUMNS",
    "TIME_UNITS",
    "TIME_UNIT_NAMES",
    "TOTAL",
    "TimeUnit",
    "customer_summary",
    "period_index",
    "period_start",
    "segment_figures",
]

TimeUnit = Literal["days", "weeks", "months"]
#: Length of each time unit in days (months: the average month), for ``tenure``.
TIME_UNITS: Mapping[str, float] = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12}
#: The time units as a user reads them (plural), in messages and labels.
TIME_UNIT_NAMES: Mapping[str, Text] = {
    "days": Text("days", "giorni"),
    "weeks": Text("weeks", "settimane"),
    "months": Text("months", "mesi"),
}
#: Days in the average year, to state tenures and the observed period in years.
DAYS_PER_YEAR = 365.25
#: Label of the whole-base row of :func:`segment_figures`.
TOTAL = "(total)"

#: Columns of :func:`customer_summary`, in order (``segment`` only when the input has one).
SUMMARY_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "segment",
    "orders",
    "first_purchase",
    "last_purchase",
    "revenue",
    "average_order_value",
    "tenure",
    "frequency",
    "recency",
    "T",
    "monetary_value",
)
#: Columns of :func:`segment_figures`, in order.
SEGMENT_COLUMNS: tuple[str, ...] = (
    "customers",
    "purchases",
    "revenue",
    "apv",
    "repeat_rate",
    "years_observed",
    "purchases_per_year",
    "customer_value_per_year",
    "lifespan_years",
    "lifespan_from",
    "annual_churn",
    "cac",
    "margin",
    "discount_rate",
    "clv",
    "clv_weighted_average",
)

_UNIX_MONDAY_OFFSET = 3  # 1970-01-01 was a Thursday; weeks start on Monday as pandas' "W" periods


def _check_time_unit(time_unit: str) -> None:
    if time_unit not in TIME_UNITS:
        raise ClvError(
            ExcelErrorCode.VALUE, "tx_time_unit", argument="time_unit", value=time_unit, units=", ".join(TIME_UNITS)
        )


def period_index(dates: npt.NDArray[np.datetime64], time_unit: str) -> npt.NDArray[np.int64]:
    """Index of the calendar period of each date: day, Monday-to-Sunday week, or month.

    Days since 1970-01-01, weeks since the week of 1970-01-01 (weeks start on Monday, as
    pandas' ``"W"`` periods), months since January 1970: consecutive periods differ by 1.
    """
    days = dates.astype("datetime64[D]").astype(np.int64)
    if time_unit == "days":
        return days
    if time_unit == "weeks":
        return (days + _UNIX_MONDAY_OFFSET) // 7
    return dates.astype("datetime64[M]").astype(np.int64)


def period_start(index: npt.NDArray[np.int64] | int, time_unit: str) -> npt.NDArray[np.datetime64]:
    """The first day of the periods of :func:`period_index` (inverse of it on period starts)."""
    values = np.asarray(index, dtype=np.int64)
    if time_unit == "days":
        return values.astype("datetime64[D]")
    if time_unit == "weeks":
        return (values * 7 - _UNIX_MONDAY_OFFSET).astype("datetime64[D]")
    return values.astype("datetime64[M]").astype("datetime64[D]")


def customer_summary(
    transactions: pd.DataFrame,
    *,
    time_unit: TimeUnit = "days",
    observation_end: object = None,
) -> pd.DataFrame:
    """One row per customer: purchases, revenue, tenure and the predictive models' inputs.

    Transactions after the period of ``observation_end`` are left out (as lifetimes
    does), so the figures describe the observed period only.

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date``, ``amount`` and optionally ``segment``.
    time_unit
        ``"days"``, ``"weeks"`` (calendar weeks, Monday to Sunday) or ``"months"``
        (calendar months) for ``tenure``, ``frequency``, ``recency`` and ``T``.
    observation_end
        The end of the observed period (a date, or anything ``pandas.Timestamp``
        reads). Default: the date of the last transaction.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``customer_id``, with the columns

        ``customer_id``; ``segment`` (when the input has one: the segment of the
        customer's first transaction); ``orders`` (transactions, refunds included);
        ``first_purchase``, ``last_purchase`` (dates); ``revenue`` (sum of the
        amounts: refunds subtract); ``average_order_value`` (revenue / orders);
        ``tenure`` (last minus first purchase, in ``time_unit``: days / 1, 7 or
        30.44); and the inputs of :mod:`clv_xl.models`, exactly as
        ``lifetimes.utils.summary_data_from_transaction_data`` with ``freq`` =
        ``"D"``/``"W"`` defines them:

        ``frequency`` = distinct purchase periods − 1 (purchases in the same day,
        week or month count once); ``recency`` = last purchase period − first
        purchase period; ``T`` = period of ``observation_end`` − first purchase
        period; ``monetary_value`` = mean over the repeat periods (all but the
        first) of the period's total amount, 0 without repeat periods.

        ``attrs`` holds ``observation_end`` (Timestamp) and ``time_unit``.

    Raises
    ------
    ClvError
        ``#VALUE!`` for an unknown time unit or no transaction on or before
        ``observation_end``.

    References
    ----------
    Fader, Hardie and Lee (2005), "Counting your customers the easy way"; the
    lifetimes library, ``lifetimes.utils.summary_data_from_transaction_data``.
    """
    _check_time_unit(time_unit)
    dates = transactions["date"].to_numpy(dtype="datetime64[ns]")
    end = pd.Timestamp(dates.max()) if observation_end is None else pd.Timestamp(observation_end)
    periods = period_index(dates, time_unit)
    end_period = int(period_index(np.array([end.to_datetime64()], dtype="datetime64[ns]"), time_unit)[0])
    kept = periods <= end_period
    if not kept.any():
        raise ClvError(ExcelErrorCode.VALUE, "tx_no_customers", value=end.date().isoformat())
    codes, ids = pd.factorize(customer_keys(transactions)[kept], sort=True)
    dates, periods = dates[kept], periods[kept]
    amounts = transactions["amount"].to_numpy(dtype=np.float64)[kept]
    customers = len(ids)

    # per customer, without sorting the transactions: counts and sums by bincount,
    # first and last dates by minimum.at / maximum.at
    orders = np.bincount(codes, minlength=customers)
    revenue = np.bincount(codes, weights=amounts, minlength=customers)
    nanoseconds = dates.astype(np.int64)
    first_ns = np.full(customers, np.iinfo(np.int64).max)
    last_ns = np.full(customers, np.iinfo(np.int64).min)
    np.minimum.at(first_ns, codes, nanoseconds)
    np.maximum.at(last_ns, codes, nanoseconds)
    first_date, last_date = first_ns.astype("datetime64[ns]"), last_ns.astype("datetime64[ns]")
    first_period, last_period = period_index(first_date, time_unit), period_index(last_date, time_unit)

    # purchase periods: distinct (customer, period) pairs; the first period's amount
    lowest = int(periods.min())
    span = int(periods.max()) - lowest + 1
    pairs = pd.unique(codes.astype(np.int64) * span + (periods - lowest))
    distinct_periods = np.bincount(pairs // span, minlength=customers)
    in_first_period = periods == first_period[codes]
    first_period_amount = np.bincount(codes[in_first_period], weights=amounts[in_first_period], minlength=customers)
    frequency = distinct_periods - 1
    monetary_value = np.where(frequency > 0, (revenue - first_period_amount) / np.maximum(frequency, 1), 0.0)

    elapsed_days = (last_date - first_date) / np.timedelta64(1, "D")
    summary = pd.DataFrame({"customer_id": pd.Series(ids, dtype=object)})
    if "segment" in transactions.columns:
        # the segment of each customer's first transaction (the earliest row of the earliest date)
        first_rows = np.flatnonzero(nanoseconds == first_ns[codes])
        first_row = np.full(customers, len(codes))
        np.minimum.at(first_row, codes[first_rows], first_rows)
        segments = transactions["segment"].to_numpy(dtype=object)[kept]
        summary["segment"] = pd.Series(segments[first_row], dtype=object)
    summary["orders"] = orders.astype(np.int64)
    summary["first_purchase"] = first_date
    summary["last_purchase"] = last_date
    summary["revenue"] = revenue
    summary["average_order_value"] = revenue / orders
    summary["tenure"] = elapsed_days / TIME_UNITS[time_unit]
    summary["frequency"] = frequency.astype(np.float64)
    summary["recency"] = (last_period - first_period).astype(np.float64)
    summary["T"] = (end_period - first_period).astype(np.float64)
    summary["monetary_value"] = monetary_value
    summary.attrs.update(observation_end=end, time_unit=time_unit)
    return summary


def _per_segment(value: float | Mapping[str, float] | None, segment: str, name: str) -> float | None:
    if isinstance(value, Mapping):
        if segment not in value:
            raise ClvError(ExcelErrorCode.VALUE, "empty", argument=f"{name}[{segment}]")
        return float(value[segment])
    return None if value is None else float(value)


def segment_figures(
    summary: pd.DataFrame,
    *,
    cac: float | Mapping[str, float] = 0.0,
    margin: float = 1.0,
    discount_rate: float = 0.0,
    annual_churn: float | Mapping[str, float] | None = None,
    observation_end: object = None,
    years_observed: float | None = None,
    churn_estimates: Mapping[str | None, ChurnEstimate] | None = None,
) -> pd.DataFrame:
    """Document 002's figures for each segment and for the whole base.

    For a group of customers (a segment, or all of them), over the observed period:

    * ``customers``, ``purchases`` (orders), ``revenue``;
    * ``apv`` = revenue / purchases; ``repeat_rate`` = purchases / customers;
    * ``years_observed`` = (observation end − first transaction of the base + 1 day)
      / 365.25, the same for every group (give ``years_observed`` to override);
    * ``purchases_per_year`` = repeat rate / years observed;
      ``customer_value_per_year`` = APV × purchases per year;
    * ``lifespan_years`` by the order of precedence of
      :func:`clv_xl.core.churn.choose_lifespan`: 1 / the ``annual_churn`` the user
      gives (``lifespan_from`` = ``"churn"``); else 1 / the group's churn estimated
      from the orders when ``churn_estimates`` measured it (``"estimate"``); else
      the observed average tenure (last minus first purchase, in years) of the
      group's customers (``"tenure"``), which counts only the years seen so far: a
      LOWER BOUND of the lifespan. ``annual_churn``: the yearly churn used (NaN for
      the tenure);
    * ``clv`` = customer value per year × margin × A(lifespan, discount rate) − CAC
      (:func:`clv_xl.core.formulas.clv_of_group`, with A the annuity factor). A group
      whose refunds exceed its sales (say a segment of returns only) has a negative
      APV, customer value and CLV: shown, never a reason to stop;
    * ``clv_weighted_average``: on the total row, the average of the segments' CLV
      weighted by their customers (document 002: compute per segment, then weigh);
      on a segment row, its own CLV.

    Parameters
    ----------
    summary
        The result of :func:`customer_summary` (its ``attrs`` give the observation end).
    cac, annual_churn
        One value for every group, or a mapping segment -> value (the total row then
        uses the customer-weighted average of the segments' values).
    margin, discount_rate
        Gross margin (0..1) and yearly discount rate, as in :func:`clv_xl.core.formulas.clv`.
    churn_estimates
        The churn estimated from the orders per segment, the whole base under the key
        None (:func:`clv_xl.core.churn.estimate_churn_by_group`); default none (the
        tenure is used when no churn is given).
    observation_end
        Overrides ``summary.attrs["observation_end"]`` (default: last purchase).
    years_observed
        Overrides the length of the observed period, in years.

    Returns
    -------
    pandas.DataFrame
        Indexed by segment (no segment rows when the summary has no ``segment``
        column), then the row :data:`TOTAL` for the whole base; columns
        :data:`SEGMENT_COLUMNS`. Customers, purchases and revenue of the segments add
        up to the total.

    Raises
    ------
    ClvError
        From :mod:`clv_xl.core.formulas` (e.g. a margin above 1, a churn of 0).

    References
    ----------
    Document 002 (APV, repeat rate, customer value, lifespan, CLV per segment).
    """
    end = pd.Timestamp(
        observation_end
        if observation_end is not None
        else summary.attrs.get("observation_end", summary["last_purchase"].max())
    )
    if years_observed is None:
        start = pd.Timestamp(summary["first_purchase"].min())
        years_observed = ((end.normalize() - start.normalize()).days + 1) / DAYS_PER_YEAR
    tenure_years = (summary["last_purchase"] - summary["first_purchase"]).dt.total_seconds() / 86_400 / DAYS_PER_YEAR
    frame = pd.DataFrame({"orders": summary["orders"], "revenue": summary["revenue"], "tenure_years": tenure_years})
    groups: list[tuple[str, pd.DataFrame]] = []
    if "segment" in summary.columns:
        groups = [(str(name), rows) for name, rows in frame.groupby(summary["segment"].to_numpy(), sort=True)]
    rows: dict[str, dict[str, object]] = {}
    for name, rows_of_group in groups:
        rows[name] = _figures(
            rows_of_group,
            years_observed,
            _per_segment(cac, name, "cac") or 0.0,
            margin,
            discount_rate,
            _per_segment(annual_churn, name, "annual_churn"),
            None if churn_estimates is None else churn_estimates.get(name),
        )
    weights = np.array([rows[name]["customers"] for name, _ in groups], dtype=np.float64)

    def weighted(column: str) -> float:
        return float(np.average([rows[name][column] for name, _ in groups], weights=weights))

    total_cac = weighted("cac") if isinstance(cac, Mapping) and groups else float(cac)  # type: ignore[arg-type]
    if isinstance(annual_churn, Mapping):
        total_churn: float | None = 1.0 / weighted("lifespan_years") if groups else None
    else:
        total_churn = annual_churn
    total_estimate = None if churn_estimates is None else churn_estimates.get(None)
    rows[TOTAL] = _figures(frame, years_observed, total_cac, margin, discount_rate, total_churn, total_estimate)
    rows[TOTAL]["clv_weighted_average"] = weighted("clv") if groups else rows[TOTAL]["clv"]
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=list(SEGMENT_COLUMNS))
    table.index.name = "segment"
    return table


def _figures(
    group: pd.DataFrame,
    years_observed: float,
    cac: float,
    margin: float,
    discount_rate: float,
    annual_churn: float | None,
    estimate: ChurnEstimate | None = None,
) -> dict[str, object]:
    """Document 002's chain for one group of customers."""
    customers = len(group)
    purchases = int(group["orders"].sum())
    revenue = float(group["revenue"].sum())
    apv = float(formulas.apv(revenue, purchases))
    repeat_rate = float(formulas.repeat_rate(purchases, customers))
    purchases_per_year = repeat_rate / years_observed
    chosen = choose_lifespan(annual_churn, estimate, float(group["tenure_years"].mean()))
    lifespan = chosen.years
    # refunds above sales make the APV, and so the value and CLV, negative: shown, not refused
    clv = float(formulas.clv_of_group(apv, lifespan, cac, purchases_per_year, margin, discount_rate))
    return {
        "customers": customers,
        "purchases": purchases,
        "revenue": revenue,
        "apv": apv,
        "repeat_rate": repeat_rate,
        "years_observed": years_observed,
        "purchases_per_year": purchases_per_year,
        "customer_value_per_year": apv * purchases_per_year,  # formulas.customer_value, of any sign
        "lifespan_years": lifespan,
        "lifespan_from": chosen.source,
        "annual_churn": chosen.churn,
        "cac": cac,
        "margin": margin,
        "discount_rate": discount_rate,
        "clv": clv,
        "clv_weighted_average": clv,
    }
