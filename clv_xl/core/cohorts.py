"""Cohorts of customers by the period of their first purchase: retention and revenue per customer.

A cohort is the customers whose first purchase fell in one calendar period (month by
default, or quarter, or year). For each cohort and each k = 0, 1, 2 ... periods after
its own:

* ``retention``: the share of the cohort's customers with at least one order in
  period k (k = 0 is 100 %: the period of their first purchase);
* ``revenue_per_customer``: the cohort's revenue from period 0 to period k (refunds
  subtract), divided by the cohort's customers.

A period that has not started by the observation end cannot be observed: its cells are
NaN, never 0 (a young cohort has no "month 12" yet). The last observed period may be
partly observed (up to the observation end); ``attrs["last_period_complete"]`` says
whether it is.

References
----------
Fader, P. S. and Hardie, B. G. S. (2007), "How to Project Customer Retention", Journal
of Interactive Marketing 21(1), 76-90 (retention curves of a cohort, and why they
flatten: the customers who stay are the loyal ones); document 002 (the lifespan, the
years a customer keeps buying).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.core.checks import customer_keys
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import Text

__all__ = [
    "COHORT_PERIODS",
    "COHORT_PERIOD_NAMES",
    "CohortPeriod",
    "CohortTables",
    "cohort_period",
    "cohort_tables",
]

CohortPeriod = Literal["month", "quarter", "year"]
COHORT_PERIODS: tuple[CohortPeriod, ...] = ("month", "quarter", "year")
#: Singular names of the periods, for labels ("month 3", "mese 3").
COHORT_PERIOD_NAMES: Mapping[CohortPeriod, Text] = MappingProxyType(
    {"month": Text("month", "mese"), "quarter": Text("quarter", "trimestre"), "year": Text("year", "anno")}
)
_ALIASES: Mapping[str, CohortPeriod] = MappingProxyType(
    {
        "month": "month",
        "months": "month",
        "monthly": "month",
        "m": "month",
        "mese": "month",
        "mesi": "month",
        "mensile": "month",
        "quarter": "quarter",
        "quarters": "quarter",
        "quarterly": "quarter",
        "q": "quarter",
        "trimestre": "quarter",
        "trimestri": "quarter",
        "trimestrale": "quarter",
        "year": "year",
        "years": "year",
        "yearly": "year",
        "y": "year",
        "anno": "year",
        "anni": "year",
        "annuale": "year",
    }
)


def cohort_period(value: object) -> CohortPeriod:
    """The period a text names (``"month"``, ``"trimestre"``, ``"anno"`` ...); empty means month.

    Raises
    ------
    ClvError
        ``#VALUE!`` for a text that names no period.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return "month"
    found = _ALIASES.get(str(value).strip().lower())
    if found is None:
        known = ", ".join(f"{p}/{COHORT_PERIOD_NAMES[p].it}" for p in COHORT_PERIODS)
        raise ClvError(ExcelErrorCode.VALUE, "cohort_period", argument="period", value=value, known=known)
    return found


def _period_index(dates: npt.NDArray[np.datetime64], period: CohortPeriod) -> npt.NDArray[np.int64]:
    """Calendar months, quarters or years since 1970 (consecutive periods differ by 1)."""
    months = dates.astype("datetime64[M]").astype(np.int64)
    if period == "month":
        return months
    if period == "quarter":
        return months // 3
    return months // 12


def _period_start(index: npt.NDArray[np.int64], period: CohortPeriod) -> pd.DatetimeIndex:
    months = index * {"month": 1, "quarter": 3, "year": 12}[period]
    return pd.DatetimeIndex(months.astype("datetime64[M]").astype("datetime64[ns]"))


@dataclass(frozen=True)
class CohortTables:
    """Retention and cumulative revenue per customer of each cohort.

    Attributes
    ----------
    period
        ``"month"``, ``"quarter"`` or ``"year"``.
    customers
        Customers per cohort, indexed by the cohort's first day (a Timestamp).
    retention
        Rows: cohorts (same index); columns: k = 0, 1, ... (periods after the
        cohort's own); values: share of the cohort's customers with an order in period
        k, from 0 to 1; NaN where period k has not started by the observation end.
    active
        The numbers of customers behind ``retention`` (NaN where unobservable).
    revenue_per_customer
        Cumulative revenue of the cohort up to and including period k, divided by its
        customers (NaN where unobservable).
    observation_end
        The last day observed.
    last_period_complete
        True when the observation end is the last day of its period.
    """

    period: CohortPeriod
    customers: pd.Series
    retention: pd.DataFrame
    active: pd.DataFrame
    revenue_per_customer: pd.DataFrame
    observation_end: pd.Timestamp
    last_period_complete: bool


def cohort_tables(
    transactions: pd.DataFrame,
    *,
    period: CohortPeriod = "month",
    observation_end: object = None,
) -> CohortTables:
    """Cohorts by period of first purchase: size, retention and cumulative revenue per customer.

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date``, ``amount`` (as :func:`clv_xl.data.read_transactions`
        returns them); every row is an order (a refund counts as activity, and
        subtracts from revenue).
    period
        ``"month"`` (default), ``"quarter"`` or ``"year"``.
    observation_end
        Last day observed (default: the day of the last order); later orders are left out.

    Returns
    -------
    CohortTables
        One row per cohort, oldest first (see :class:`CohortTables`).

    Raises
    ------
    ClvError
        ``#VALUE!`` for an unknown period or no order on or before the observation end.
    """
    period = cohort_period(period)
    days = transactions["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    end = pd.Timestamp(days.max() if observation_end is None else observation_end).normalize()
    kept = days <= end.to_datetime64()
    if not kept.any():
        raise ClvError(ExcelErrorCode.VALUE, "tx_no_customers", value=end.date().isoformat())
    codes, _ = pd.factorize(customer_keys(transactions)[kept])
    periods = _period_index(days[kept], period)
    amounts = transactions["amount"].to_numpy(dtype=np.float64)[kept]
    customers = int(codes.max()) + 1
    first = np.full(customers, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, periods)
    oldest = int(first.min())
    last = int(_period_index(np.array([end.to_datetime64()], dtype="datetime64[D]"), period)[0])
    cohorts = last - oldest + 1
    cohort_of = first - oldest  # per customer
    k = periods - first[codes]  # per order: periods after the customer's first
    sizes = np.bincount(cohort_of, minlength=cohorts)
    # distinct (customer, k) pairs: the customer was active in period k
    pairs = pd.unique(codes.astype(np.int64) * cohorts + k)
    active_customer, active_k = pairs // cohorts, pairs % cohorts
    active = np.zeros((cohorts, cohorts))
    np.add.at(active, (cohort_of[active_customer], active_k), 1.0)
    revenue = np.zeros((cohorts, cohorts))
    np.add.at(revenue, (cohort_of[codes], k), amounts)
    observable = np.add.outer(np.arange(cohorts), np.arange(cohorts)) < cohorts  # cohort c + k <= last
    with_customers = sizes > 0
    active = np.where(observable, active, np.nan)[with_customers]
    revenue = np.where(observable, np.cumsum(revenue, axis=1), np.nan)[with_customers]
    sizes = sizes[with_customers]
    index = _period_start(np.flatnonzero(with_customers) + oldest, period)
    index.name = "cohort"
    columns = pd.RangeIndex(cohorts, name="k")
    next_start = _period_start(np.array([last + 1]), period)[0]
    return CohortTables(
        period=period,
        customers=pd.Series(sizes, index=index, name="customers"),
        retention=pd.DataFrame(active / sizes[:, None], index=index, columns=columns),
        active=pd.DataFrame(active, index=index, columns=columns),
        revenue_per_customer=pd.DataFrame(revenue / sizes[:, None], index=index, columns=columns),
        observation_end=end,
        last_period_complete=bool(end + pd.Timedelta(days=1) == next_start),
    )
