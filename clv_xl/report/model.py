"""The CLV report as pure data: what it shows, with no Excel and no files.

A :class:`ReportModel` holds the headline figures, the per-segment table, the
customers ranked by value, the distribution of customer value, revenue by month, the
what-if of CLV, and what the forecast rests on (the purchase model and the lifespan,
each with how it was chosen). The renderer (:mod:`clv_xl.report.xlsx`) only lays it
out; :mod:`clv_xl.report.sheet_layout` says where and with which formulas.

Three values of a customer, reconciled:

* **value so far** (historic): the revenue a customer has brought, × margin;
* **predicted value**: the purchase model's forecast of the next weeks, × margin,
  discounted;
* **total value** = value so far + predicted value;

and beside them the step-by-step method's **CLV** (value per year × margin ×
lifespan − CAC), for the whole base and per segment then weighted by customers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from clv_xl.core.sensitivity import ClvInputs, WhatIf
from clv_xl.i18n import Language, Text

__all__ = [
    "Column",
    "HoldoutSummary",
    "Kpi",
    "Lifespan",
    "PurchaseModel",
    "ReportModel",
    "ReportParameters",
    "TableData",
    "ValueKind",
    "currency_symbol",
]

#: How a value is shown: a count, an amount of money, a plain number, years, a share, a date, text.
ValueKind = Literal["count", "money", "number", "years", "percent", "date", "days", "text"]


#: Symbols of common currency codes; any other code is shown as written.
CURRENCY_SYMBOLS: Mapping[str, str] = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF"}
#: A currency label longer than this is cut (it is a label, not a text).
MAX_CURRENCY_LENGTH = 8


def currency_symbol(currency: str) -> str:
    """How amounts in ``currency`` are labelled: ``"EUR"`` -> ``"€"``; another code as written (8 characters)."""
    code = "".join(ch for ch in currency.strip() if ch.isprintable() and ch != '"')[:MAX_CURRENCY_LENGTH]
    return CURRENCY_SYMBOLS.get(code.upper(), code or "€")


@dataclass(frozen=True)
class ReportParameters:
    """The user's assumptions: they come from the workbook's parameters sheet or options."""

    cac: float = 0.0
    margin: float = 1.0
    discount_rate: float = 0.0
    currency: str = "EUR"
    language: Language = "en"
    annual_churn: float | None = None
    observation_end: pd.Timestamp | None = None


@dataclass(frozen=True)
class Kpi:
    """One headline figure.

    ``value`` is a number, or None when the figure does not exist for this data (e.g.
    LTV:CAC without a CAC); ``help`` says in one line where it comes from.
    """

    key: str
    label: Text
    value: float | None
    kind: ValueKind
    help: Text = field(default=Text("", ""))


@dataclass(frozen=True)
class Column:
    """A column of a report table: the DataFrame column it shows and its label."""

    key: str
    label: Text
    kind: ValueKind


@dataclass(frozen=True)
class TableData:
    """A table of the report: columns described once, rows in a DataFrame.

    ``note`` is one line that explains the table, shown under its title.
    """

    name: str
    title: Text
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    note: Text = field(default=Text("", ""))

    def __post_init__(self) -> None:
        missing = [c.key for c in self.columns if c.key not in self.rows.columns]
        if missing:
            raise ValueError(f"table {self.name}: missing columns {missing}")

    def column(self, key: str) -> Column:
        """The column with this key."""
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Lifespan:
    """How long a customer keeps buying, in years, and how that was found.

    ``estimated_years`` is what the orders say, by the order of precedence of
    :func:`clv_xl.core.churn.choose_lifespan` without a churn of yours: 1 / the yearly
    churn estimated from the orders (``source`` ``"estimate"``) when they span enough
    time and customers, else the customers' observed average tenure (``"tenure"``), a
    lower bound. ``years`` is what the CLV uses: 1 / the yearly churn you gave
    (``from_churn``), else the estimate. ``method`` names the method in a few words,
    ``basis`` says what the estimate rests on (customers, days, its interval) or why
    the churn could not be measured; ``churn`` and ``interval`` are the estimated
    yearly churn and the lifespan's 95 % interval in years (NaN for the tenure).
    """

    years: float
    estimated_years: float
    method: Text
    from_churn: bool
    source: Literal["estimate", "tenure"] = "tenure"
    basis: Text = field(default=Text("", ""))
    churn: float = math.nan
    interval: tuple[float, float] = (math.nan, math.nan)


@dataclass(frozen=True)
class PurchaseModel:
    """The purchase model behind the predictions, and why it was chosen.

    ``name`` is the model of purchases and of the probability that a customer is still
    active (e.g. ``"Pareto/NBD"``), ``reason`` why the rule chose it (its figures);
    ``spend_model`` the model of the value of a purchase, ``spend_problem`` why it
    could not be fitted (then there is no predicted revenue); ``discount_rate`` the
    yearly rate the predictions were discounted at, when the report was made;
    ``parameters`` the fitted parameters, for the record; ``check`` what the holdout
    check behind the tracking chart rests on, when one was made.
    """

    name: str
    reason: Text
    spend_model: str
    horizon_weeks: int
    discount_rate: float
    parameters: Mapping[str, float] = field(default_factory=dict)
    spend_problem: Text | None = None
    check: HoldoutSummary | None = None


@dataclass(frozen=True)
class HoldoutSummary:
    """The holdout check of the chosen model, as the report states it.

    The model was fitted on the orders up to ``calibration_end`` and predicted the
    repeat purchases of its ``customers`` up to ``holdout_end``; ``sample`` is the
    number of customers of the sample the check was made on, None when on all.
    """

    calibration_end: pd.Timestamp
    holdout_end: pd.Timestamp
    customers: int
    sample: int | None = None


@dataclass(frozen=True)
class ReportModel:
    """Everything the CLV report shows.

    ``customers`` is every customer, most valuable first (total value, or revenue when
    there is no forecast). Two tables are shown when given (the predictive models supply
    them; None leaves them out):

    * ``cohorts``: one row per first-purchase cohort; its first column the cohort's
      label (text), then any columns, and the columns of kind ``"percent"`` (the share
      of the cohort still buying, period by period; NaN where not yet observed) are
      drawn as a heat map on a sheet of their own (a first such column of 100 % only,
      period 0, is shown uncoloured);
    * ``tracking``: one row per period, columns ``period`` (date), ``actual`` and
      ``predicted`` (numbers: repeat purchases seen and forecast), drawn as a line chart
      on the first sheet.
    """

    parameters: ReportParameters
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    kpis: tuple[Kpi, ...]
    clv_inputs: ClvInputs
    what_if: WhatIf
    lifespan: Lifespan
    segments: TableData
    customers: TableData
    value_distribution: TableData
    revenue_by_month: TableData
    #: The purchase model of the predictions; None when there are none (see ``prediction_note``).
    purchase_model: PurchaseModel | None = None
    #: Customers at risk or likely lost, by value at stake; None without predictions.
    at_risk: TableData | None = None
    #: Why there are no predictions, when there are none.
    prediction_note: Text | None = None
    #: First-purchase cohorts (rows) by period since (columns): the share still buying.
    cohorts: TableData | None = None
    #: Actual and predicted repeat purchases per period, to see how well the model tracks.
    tracking: TableData | None = None
    #: Lines the report adds to its first sheet, under the title.
    notes: tuple[Text, ...] = ()

    def kpi(self, key: str) -> Kpi:
        """The KPI with this key."""
        for kpi in self.kpis:
            if kpi.key == key:
                return kpi
        raise KeyError(key)

    def has_kpi(self, key: str) -> bool:
        """Whether the report shows the KPI ``key``."""
        return any(kpi.key == key for kpi in self.kpis)
