"""Fixtures of the report tests: orders (tests/report_set.py) and the session's written reports."""

from __future__ import annotations

import pandas as pd
import pytest
from cdnow_data import cdnow_transactions
from report_set import ReportSet, hand_orders, make_report_set, recalculate, sample_orders


@pytest.fixture
def hand_table() -> pd.DataFrame:
    """Three customers in two segments, observed to 2024-12-31 (figures in report_set.hand_orders)."""
    return hand_orders()


@pytest.fixture
def sample_table() -> pd.DataFrame:
    return sample_orders()


@pytest.fixture
def cdnow_table() -> pd.DataFrame:
    """The CDNOW orders (23,570 customers, no segment), a copy per test."""
    return cdnow_transactions(full=True).copy()


@pytest.fixture(scope="session")
def report_set(tmp_path_factory: pytest.TempPathFactory) -> ReportSet:
    """The reports of tests/report_set.py, written once per session."""
    return make_report_set(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="session")
def recalculated_set(report_set: ReportSet) -> ReportSet:
    """The same reports, also recalculated by LibreOffice once per session (``recalculated``, by file stem)."""
    if not report_set.recalculated:
        recalculate(report_set)
    return report_set
