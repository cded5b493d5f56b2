"""A small transactions table whose report figures are computed by hand in the tests."""

from __future__ import annotations

import pandas as pd
import pytest


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
