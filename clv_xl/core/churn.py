"""Yearly churn and lifespan estimated from the orders, and which lifespan a CLV uses.

Document 002 defines the lifespan as the years a customer keeps buying, and computes
it as 1 / yearly churn. Few owners know their churn, so it is estimated from the
orders, by consecutive 12-month windows:

* take a reference day d; the customers ACTIVE at d are those with an order in the
  12 months up to d (or since the first order of the data, when the data starts
  later); the LOST among them are those with no order at all in the 12 months after d;
* reference days are the observation end minus 12, 24, 36 ... months, as long as the
  12 months before d hold at least :data:`MINIMUM_BASE_MONTHS` months of data: the
  orders must span at least 12 + 3 = 15 months;
* yearly churn = Σ lost / Σ active over the windows, lifespan = 1 / churn;
* its uncertainty: the 95 % Wilson interval of that proportion (approximate when the
  windows share customers), and the lifespan's interval 1 / high to 1 / low.

"Lost" means no purchase for 12 months, the definition the report uses for a customer
"likely lost", and the one a shop owner would check by hand. A customer who buys less
than once a year counts as lost although they may come back, so on a base of rare
buyers the churn is overstated (the lifespan understated).

:func:`choose_lifespan` applies the order of precedence of the report and
``CLV_SUMMARY``: the churn the user gives; else the estimate, when the orders span
enough time and enough customers (at least :data:`MINIMUM_CUSTOMERS`); else the
observed average tenure of the customers, which is only a LOWER BOUND of the
lifespan (a customer still buying counts only the years seen so far).

References
----------
Document 002 (lifespan = 1 / churn); Wilson, E. B. (1927), "Probable Inference, the
Law of Succession, and Statistical Inference", JASA 22(158), 209-212; Gupta, S. and
Lehmann, D. R. (2005), "Managing Customers as Investments" (retention measured
between consecutive years).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from clv_xl.core import formulas
from clv_xl.core.checks import customer_keys
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import LANGUAGES, Text, date_text, message, number_text

__all__ = [
    "CHURN_METHOD",
    "MINIMUM_BASE_MONTHS",
    "MINIMUM_CUSTOMERS",
    "ChurnEstimate",
    "ChurnWindow",
    "Lifespan",
    "LifespanSource",
    "choose_lifespan",
    "estimate_churn",
    "estimate_churn_by_group",
]

#: The 12 months before the first reference day must hold at least this many months of data.
MINIMUM_BASE_MONTHS = 3
#: Fewer active customers than this (over all windows) give no estimate.
MINIMUM_CUSTOMERS = 30
#: z of the 95 % interval.
_Z95 = 1.959963984540054

#: The method, in words, wherever the figure is shown.
CHURN_METHOD = Text(
    "estimated from the orders by 12-month windows: of the customers who bought in the 12 months before a day, "
    "the share who bought nothing in the 12 months after it",
    "stimato dagli ordini con finestre di 12 mesi: dei clienti che hanno acquistato nei 12 mesi prima di un "
    "giorno, la quota che non ha acquistato nulla nei 12 mesi successivi",
)


@dataclass(frozen=True)
class ChurnWindow:
    """One reference day of the estimate.

    Attributes
    ----------
    start, reference, end
        First day of the 12 months before (or of the data), the reference day d, last
        day of the 12 months after it.
    customers, lost
        Customers active at d, and those of them with no order in the 12 months after.
    """

    start: pd.Timestamp
    reference: pd.Timestamp
    end: pd.Timestamp
    customers: int
    lost: int


@dataclass(frozen=True)
class ChurnEstimate:
    """A yearly churn estimated from the orders, with the data it rests on.

    Attributes
    ----------
    churn
        Yearly churn, 0 to 1; NaN when it cannot be measured (``problem`` says why).
    low, high
        95 % Wilson interval of the churn (NaN when not measured).
    customers, lost
        Active customers and lost ones, summed over the windows.
    windows
        The reference days, most recent first.
    first_order, observation_end
        The period the orders span.
    problem
        Why the churn cannot be measured (too short a span, too few customers, nobody
        lost), else None.
    """

    churn: float
    low: float
    high: float
    customers: int
    lost: int
    windows: tuple[ChurnWindow, ...]
    first_order: pd.Timestamp
    observation_end: pd.Timestamp
    problem: ClvError | None

    @property
    def measured(self) -> bool:
        """True when the churn could be measured."""
        return self.problem is None

    @property
    def lifespan_years(self) -> float:
        """1 / churn, in years (document 002); NaN when not measured."""
        return 1.0 / self.churn if self.measured else math.nan

    @property
    def lifespan_interval(self) -> tuple[float, float]:
        """The lifespan's 95 % interval in years: (1 / high, 1 / low); infinite when low is 0."""
        if not self.measured:
            return math.nan, math.nan
        return 1.0 / self.high, (1.0 / self.low if self.low > 0 else math.inf)

    @property
    def years_observed(self) -> float:
        """Years from the first order to the observation end (both days included)."""
        return ((self.observation_end - self.first_order).days + 1) / 365.25

    def description(self) -> Text:
        """What the figure rests on, in one sentence (e.g. for the report's note)."""
        if self.problem is not None:
            return Text(self.problem.message("en"), self.problem.message("it"))
        days = ", ".join(w.reference.date().isoformat() for w in self.windows)
        days_it = ", ".join(date_text(w.reference.date()).it for w in self.windows)
        texts = {
            language: message(
                "churn_estimate",
                language,
                churn=number_text(100 * self.churn, 1),
                low=number_text(100 * self.low, 1),
                high=number_text(100 * self.high, 1),
                lost=number_text(self.lost),
                customers=number_text(self.customers),
                days=days if language == "en" else days_it,
            )
            for language in LANGUAGES
        }
        return Text(texts["en"], texts["it"])


def _wilson(lost: int, customers: int) -> tuple[float, float]:
    """95 % Wilson score interval of the proportion lost / customers."""
    share = lost / customers
    centre = share + _Z95**2 / (2 * customers)
    spread = _Z95 * math.sqrt(share * (1 - share) / customers + _Z95**2 / (4 * customers**2))
    denominator = 1 + _Z95**2 / customers
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def _reference_days(first: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    days: list[pd.Timestamp] = []
    step = 1
    while True:
        reference = end - pd.DateOffset(years=step)
        if reference < first + pd.DateOffset(months=MINIMUM_BASE_MONTHS) - pd.Timedelta(days=1):
            return days
        days.append(pd.Timestamp(reference))
        step += 1


def estimate_churn_by_group(
    transactions: pd.DataFrame,
    groups: Mapping[object, str] | None = None,
    *,
    observation_end: object = None,
) -> dict[str | None, ChurnEstimate]:
    """The yearly churn of all the customers (key None) and of each group of them.

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date`` (as :func:`clv_xl.data.read_transactions`
        returns them); orders after ``observation_end`` are left out.
    groups
        Customer id -> group name (e.g. the segment of each customer's first order);
        None for the whole base only.
    observation_end
        The last day observed (default: the day of the last order).

    Returns
    -------
    dict
        ``None`` -> the estimate of the whole base; each group -> its own estimate
        (the windows are the same: the data's first order and the observation end).
    """
    days = transactions["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    end = pd.Timestamp(days.max() if observation_end is None else observation_end).normalize()
    kept = days <= end.to_datetime64()
    days = days[kept]
    ids = customer_keys(transactions)[kept]
    if days.size == 0:
        raise ClvError(ExcelErrorCode.VALUE, "tx_no_customers", value=end.date().isoformat())
    codes, uniques = pd.factorize(ids)
    first = pd.Timestamp(days.min())
    names: list[str | None] = [None]
    member = np.zeros(len(uniques), dtype=np.int64)
    if groups is not None:
        labels = pd.Series(uniques).map(groups).fillna("").astype(str).to_numpy()
        group_codes, group_names = pd.factorize(labels, sort=True)
        member = group_codes + 1
        names += [str(n) for n in group_names]
    counts = {"customers": np.zeros((len(names), 0), dtype=np.int64), "lost": np.zeros((len(names), 0), np.int64)}
    windows: list[tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]] = []
    for reference in _reference_days(first, end):
        start = max(first, reference - pd.DateOffset(years=1) + pd.Timedelta(days=1))
        after = reference + pd.DateOffset(years=1)
        before_mask = (days >= start.to_datetime64()) & (days <= reference.to_datetime64())
        after_mask = (days > reference.to_datetime64()) & (days <= after.to_datetime64())
        active = np.bincount(codes[before_mask], minlength=len(uniques)) > 0
        retained = np.bincount(codes[after_mask], minlength=len(uniques)) > 0
        lost = active & ~retained
        per_group_active = np.bincount(member[active], minlength=len(names))
        per_group_lost = np.bincount(member[lost], minlength=len(names))
        per_group_active[0], per_group_lost[0] = int(active.sum()), int(lost.sum())
        counts["customers"] = np.column_stack([counts["customers"], per_group_active])
        counts["lost"] = np.column_stack([counts["lost"], per_group_lost])
        windows.append((start, reference, after))
    return {
        name: _estimate(counts["customers"][row], counts["lost"][row], windows, first, end)
        for row, name in enumerate(names)
    }


def estimate_churn(transactions: pd.DataFrame, *, observation_end: object = None) -> ChurnEstimate:
    """The yearly churn of a customer base, estimated from its orders (see the module's docstring).

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date``.
    observation_end
        The last day observed (default: the day of the last order).

    Returns
    -------
    ChurnEstimate
        The churn, its interval and the windows it rests on; when it cannot be
        measured, NaN and the reason (:attr:`ChurnEstimate.problem`): never raises for
        a short or small base.

    Raises
    ------
    ClvError
        ``#VALUE!`` when no order is on or before the observation end.
    """
    return estimate_churn_by_group(transactions, observation_end=observation_end)[None]


def _estimate(
    active: np.ndarray,
    lost: np.ndarray,
    windows: list[tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]],
    first: pd.Timestamp,
    end: pd.Timestamp,
) -> ChurnEstimate:
    customers, lost_total = int(active.sum()), int(lost.sum())
    described = tuple(
        ChurnWindow(start, reference, after, int(a), int(b))
        for (start, reference, after), a, b in zip(windows, active, lost, strict=True)
    )
    problem = None
    if not windows:
        months = ((end - first).days + 1) / (365.25 / 12)
        problem = ClvError(
            ExcelErrorCode.NA,
            "churn_too_short",
            months=number_text(months, 1),
            first=date_text(first.date()),
            last=date_text(end.date()),
            minimum=12 + MINIMUM_BASE_MONTHS,
        )
    elif customers < MINIMUM_CUSTOMERS:
        problem = ClvError(
            ExcelErrorCode.NA,
            "churn_too_few",
            count=customers,
            date=date_text(windows[0][1].date()),
            minimum=MINIMUM_CUSTOMERS,
        )
    elif lost_total == 0:
        problem = ClvError(ExcelErrorCode.NA, "churn_none_lost", count=customers, date=date_text(windows[0][1].date()))
    if problem is not None:
        return ChurnEstimate(math.nan, math.nan, math.nan, customers, lost_total, described, first, end, problem)
    low, high = _wilson(lost_total, customers)
    return ChurnEstimate(lost_total / customers, low, high, customers, lost_total, described, first, end, None)


#: Where a lifespan comes from: the user's churn, the churn estimated from the orders, the observed tenure.
LifespanSource = Literal["churn", "estimate", "tenure"]


@dataclass(frozen=True)
class Lifespan:
    """The lifespan a CLV uses, and where it comes from.

    Attributes
    ----------
    years
        The lifespan in years.
    source
        ``"churn"`` (1 / the churn the user gave), ``"estimate"`` (1 / the churn
        estimated from the orders) or ``"tenure"`` (the observed average tenure).
    churn
        The yearly churn used (NaN for the tenure).
    lower_bound
        True for the observed tenure: the real lifespan is longer.
    estimate
        The estimate considered (also when it could not be used), if any.
    """

    years: float
    source: LifespanSource
    churn: float
    lower_bound: bool
    estimate: ChurnEstimate | None

    def label(self) -> Text:
        """Where the lifespan comes from, in a few words (``1 / yearly churn you gave`` ...)."""
        return _SOURCE_LABELS[self.source]


_SOURCE_LABELS: Mapping[LifespanSource, Text] = {
    "churn": Text("1 / the yearly churn you gave", "1 / l'abbandono annuo indicato da te"),
    "estimate": Text(
        "1 / the yearly churn estimated from the orders (12-month windows)",
        "1 / l'abbandono annuo stimato dagli ordini (finestre di 12 mesi)",
    ),
    "tenure": Text(
        "observed average tenure: a lower bound (the orders do not show the yearly churn)",
        "permanenza media osservata: un limite inferiore (gli ordini non mostrano l'abbandono annuo)",
    ),
}


def choose_lifespan(annual_churn: float | None, estimate: ChurnEstimate | None, tenure_years: float) -> Lifespan:
    """The lifespan by the order of precedence: the user's churn, else the estimate, else the tenure.

    Parameters
    ----------
    annual_churn
        The yearly churn the user gave (0 < churn <= 1), or None.
    estimate
        The churn estimated from the orders (:func:`estimate_churn`), or None; used
        when measured.
    tenure_years
        The customers' observed average tenure in years (last minus first purchase).

    Raises
    ------
    ClvError
        ``#NUM!`` for a given churn outside (0, 1] (:func:`clv_xl.core.formulas.lifespan_from_churn`).
    """
    if annual_churn is not None:
        years = float(formulas.lifespan_from_churn(annual_churn))
        return Lifespan(years, "churn", float(annual_churn), False, estimate)
    if estimate is not None and estimate.measured:
        return Lifespan(estimate.lifespan_years, "estimate", estimate.churn, False, estimate)
    return Lifespan(float(tenure_years), "tenure", math.nan, True, estimate)
