"""Orders for the report tests (a table small enough to check by hand, the sample orders, CDNOW, awkward data)
and the session's set of written reports (recalculated by LibreOffice once, for the tests that need it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from cdnow_data import cdnow_transactions

ROOT = Path(__file__).resolve().parents[1]


def hand_orders() -> pd.DataFrame:
    """Three customers in two segments, observed to 2024-12-31.

    A (North): 2024-01-10 100 €, 2024-07-10 300 €  -> 2 orders, 400 €
    B (North): 2024-03-01 200 €                     -> 1 order, 200 €
    C (South): 2024-02-01 50 € twice, 2024-12-01 100 € -> 3 orders, 200 €
    """
    return pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "C", "C", "C"],
            "date": pd.to_datetime(
                ["2024-01-10", "2024-07-10", "2024-03-01", "2024-02-01", "2024-02-01", "2024-12-01"]
            ),
            "amount": [100.0, 300.0, 200.0, 50.0, 50.0, 100.0],
            "segment": ["North", "North", "North", "South", "South", "South"],
        }
    )


def sample_orders() -> pd.DataFrame:
    """The illustrative orders of the sample template (40 customers, 3 segments)."""
    from clv_xl.data import read_transactions

    return read_transactions(ROOT / "workbook_templates" / "en" / "clv_data_sample.xlsx").table


def awkward_orders() -> pd.DataFrame:
    """The sample orders with what Excel cannot hold as is: a segment name of 50,000 characters,
    a customer whose refunds exceed their purchases (no forecast for them), an id that looks like a formula."""
    table = sample_orders()
    table["segment"] = table["segment"].astype(object)
    table.loc[table["segment"] == "Online", "segment"] = "Online " + "x" * 50_000
    refunds = pd.DataFrame(
        {
            "customer_id": ["=1+1"] * 3,
            "date": pd.to_datetime(["2024-05-01", "2024-09-01", "2025-03-01"]),
            "amount": [80.0, -120.0, -40.0],
            "segment": ["Retail"] * 3,
        }
    )
    return pd.concat([table[refunds.columns], refunds], ignore_index=True)


#: The reports every session writes: orders, parameters, and the new assumptions a user types in (or None).
REPORTS: dict[str, tuple[str, dict[str, object], dict[str, float] | None]] = {
    "hand": (
        "hand",
        {"cac": 100.0, "margin": 0.5, "annual_churn": 0.25, "observation_end": pd.Timestamp("2024-12-31")},
        {"cac": 40.0, "margin": 0.6, "annual_churn": 0.5},
    ),
    "sample": (
        "sample",
        {"cac": 150.0, "margin": 0.35, "discount_rate": 0.08, "language": "it"},
        {"cac": 60.0, "margin": 0.5, "annual_churn": 0.3},
    ),
    # CDNOW as the command line makes it by default (CAC 0: no LTV:CAC), then with CAC 20 and margin 30 %
    "cdnow": ("cdnow", {}, {"cac": 20.0, "margin": 0.3}),
    "cdnow_cac": ("cdnow", {"cac": 20.0, "margin": 0.3, "language": "it"}, None),
    # no CAC, no margin: the ratios have no value
    "awkward": ("awkward", {"cac": 0.0, "margin": 0.0, "currency": "USD"}, None),
}
#: The defined names of the assumption cells a user edits.
ASSUMPTION_NAMES = {
    "cac": "Report_CAC",
    "margin": "Report_Margin",
    "annual_churn": "Report_Churn",
    "discount_rate": "Report_Discount",
}
#: The awkward report is written as if a sheet held this many data rows (Excel: 1,048,572 below the heading).
AWKWARD_ROWS_THAT_FIT = 12


@dataclass
class ReportSet:
    """The session's reports: as written, their inputs, and LibreOffice's recalculation of each file."""

    folder: Path
    written: dict[str, Path] = field(default_factory=dict)
    orders: dict[str, pd.DataFrame] = field(default_factory=dict)
    parameters: dict[str, dict[str, object]] = field(default_factory=dict)
    edited: dict[str, Path] = field(default_factory=dict)
    expected: dict[str, Path] = field(default_factory=dict)
    recalculated: dict[str, Path] = field(default_factory=dict)


def _edit(source: Path, target: Path, changes: dict[str, float]) -> None:
    """What a user does: type new values into the assumption cells of a copy, and save it."""
    from report_files import defined_name, set_cell

    current = source
    for index, (key, value) in enumerate(changes.items()):
        step = target if index == len(changes) - 1 else target.with_name(f"{target.stem}-{index}.xlsx")
        set_cell(current, step, defined_name(source, ASSUMPTION_NAMES[key]), value)
        current = step


def make_report_set(folder: Path) -> ReportSet:
    """Every report of :data:`REPORTS`, the users' edited copies and the core's reports for the edits."""
    from unittest import mock

    from clv_xl.report import excel_limits
    from clv_xl.report.build import build_report
    from clv_xl.report.model import ReportParameters
    from clv_xl.report.sheet_layout import FIRST_DATA_ROW
    from clv_xl.report.xlsx import write_report

    found = ReportSet(folder)
    orders = {
        "hand": hand_orders(),
        "sample": sample_orders(),
        "cdnow": cdnow_transactions(full=True),
        "awkward": awkward_orders(),
    }
    for name, (source, parameters, changes) in REPORTS.items():
        limit = FIRST_DATA_ROW + AWKWARD_ROWS_THAT_FIT if name == "awkward" else excel_limits.MAX_ROWS
        with mock.patch.object(excel_limits, "MAX_ROWS", limit):
            model = build_report(orders[source], ReportParameters(**parameters))  # type: ignore[arg-type]
            found.written[name] = write_report(model, found.folder / f"{name}.xlsx")
        found.orders[name], found.parameters[name] = orders[source], parameters
        if changes is not None:
            found.edited[name] = found.folder / f"{name}_edited.xlsx"
            _edit(found.written[name], found.edited[name], changes)
            new = ReportParameters(**{**parameters, **changes})  # type: ignore[arg-type]
            found.expected[name] = write_report(
                build_report(orders[source], new), found.folder / f"{name}_expected.xlsx"
            )
    # a new discount rate: the CLV chain follows, the forecast does not
    found.edited["sample_discount"] = found.folder / "sample_discount_edited.xlsx"
    _edit(found.written["sample"], found.edited["sample_discount"], {"discount_rate": 0.12})
    new = ReportParameters(**{**REPORTS["sample"][1], "discount_rate": 0.12})  # type: ignore[arg-type]
    found.expected["sample_discount"] = write_report(
        build_report(orders["sample"], new), found.folder / "sample_discount_expected.xlsx"
    )
    return found


def recalculate(reports: ReportSet) -> None:
    """LibreOffice's recalculation of every written and edited report, in one call (soffice's start is slow)."""
    from libreoffice import convert

    outputs = convert(
        [*reports.written.values(), *reports.edited.values()],
        reports.folder / "recalculated",
        reports.folder,
        timeout=900,
    )
    for path in outputs:
        reports.recalculated[path.stem] = path
