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


def cdnow_master_path() -> Path:
    """lifetimes' ``datasets/CDNOW_master.txt``, found without importing lifetimes (its import warns under pandas 3)."""
    from importlib.util import find_spec

    spec = find_spec("lifetimes")
    assert spec is not None and spec.origin is not None, "lifetimes (a test dependency) is not installed"
    return Path(spec.origin).parent / "datasets" / "CDNOW_master.txt"


@cache
def cdnow_transactions() -> pd.DataFrame:
    """The CDNOW orders behind those summaries: 69,659 orders of 23,570 customers, 1997-01-01 to 1998-06-30.

    ``CDNOW_master.txt`` of lifetimes' datasets (a test dependency), as the transactions
    table clv_xl reads: ``customer_id`` (text, leading zeros kept), ``date``, ``amount`` ($).
    """
    raw = pd.read_csv(cdnow_master_path(), sep=r"\s+", dtype={"customer_id": str, "date": str})
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype(object),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["dollar_value"].astype("float64"),
        }
    )
