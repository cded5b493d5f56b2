"""Transactions for the report tests: a table small enough to check by hand, the sample orders, CDNOW."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cdnow_data import cdnow_transactions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hand_table() -> pd.DataFrame:
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


@pytest.fixture
def sample_table() -> pd.DataFrame:
    """The illustrative orders of the sample template (40 customers, 3 segments)."""
    from clv_xl.data import read_transactions

    return read_transactions(ROOT / "workbook_templates" / "en" / "clv_data_sample.xlsx").table


@pytest.fixture
def cdnow_table() -> pd.DataFrame:
    """The CDNOW orders (23,570 customers, no segment), a copy per test."""
    return cdnow_transactions().copy()
