"""The CLV report as pure data: what it shows, with no Excel and no files.

A :class:`ReportModel` holds the headline KPIs, the per-segment table, the customers
ranked by value, the distribution of customer value, revenue by month and the
what-if of CLV. Renderers (:mod:`clv_xl.report.xlsx` for a new workbook,
:mod:`clv_xl.report.live` for the open Excel workbook) only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from clv_xl.core.sensitivity import ClvInputs, WhatIf
from clv_xl.i18n import Language, Text

__all__ = ["Column", "Kpi", "ReportModel", "ReportParameters", "TableData", "ValueKind"]

#: How a value is shown: a count, an amount of money, a plain number, years, a share.
ValueKind = Literal["count", "money", "number", "years", "percent", "date", "text"]


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
    """One headline figure."""

    key: str
    label: Text
    value: float
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
    """A table of the report: columns described once, rows in a DataFrame."""

    name: str
    title: Text
    columns: tuple[Column, ...]
    rows: pd.DataFrame

    def __post_init__(self) -> None:
        missing = [c.key for c in self.columns if c.key not in self.rows.columns]
        if missing:
            raise ValueError(f"table {self.name}: missing columns {missing}")


@dataclass(frozen=True)
class ReportModel:
    """Everything the CLV report shows."""

    parameters: ReportParameters
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    kpis: tuple[Kpi, ...]
    clv_inputs: ClvInputs
    what_if: WhatIf
    segments: TableData
    customers: TableData
    value_distribution: TableData
    revenue_by_month: TableData
    #: Customers likely lost (BG/NBD probability alive below 50 %) ranked by past revenue;
    #: None when the predictive models could not be fitted (see ``prediction_note``).
    at_risk: TableData | None = None
    #: Why there are no predictions, when there are none.
    prediction_note: Text | None = None

    def kpi(self, key: str) -> Kpi:
        """The KPI with this key."""
        for kpi in self.kpis:
            if kpi.key == key:
                return kpi
        raise KeyError(key)
