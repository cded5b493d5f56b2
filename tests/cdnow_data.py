"""The CDNOW summaries of tests/datasets, read once (see tests/datasets/README.md for their origin)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent / "datasets"


@cache
def cdnow_summary() -> pd.DataFrame:
    """2,357 customers: frequency, recency, T in weeks, and monetary_value (average repeat spend, $)."""
    purchases = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    spend = pd.read_csv(DATA / "cdnow_customers_summary_with_transactions.csv")
    assert (purchases["ID"] == spend["ID"]).all() and (purchases["frequency"] == spend["x"]).all()
    return purchases.assign(monetary_value=spend["zbar"])
