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


def lifetimes_datasets() -> Path:
    """The folder of lifetimes' datasets, found without importing lifetimes (its import warns under pandas 3)."""
    from importlib.util import find_spec

    spec = find_spec("lifetimes")
    assert spec is not None and spec.origin is not None, "lifetimes (a test dependency) is not installed"
    return Path(spec.origin).parent / "datasets"


@cache
def cdnow_transactions(*, full: bool = False) -> pd.DataFrame:
    """CDNOW's orders as clv_xl reads them (customer_id, date, amount), read from the lifetimes package.

    ``full=False``: the sample of Fader, Hardie and Lee (2005), 2,357 customers, 6,919 orders
    (``CDNOW_sample.txt``); ``full=True``: all 23,570 customers who first bought in 1997-Q1,
    69,659 orders (``CDNOW_master.txt``). Both run from 1997-01-01 to 1998-06-30. Not copied
    into the project: read where lifetimes (a test dependency) installs them; customer ids
    keep their leading zeros.
    """
    folder = lifetimes_datasets()
    if full:
        raw = pd.read_csv(folder / "CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str, "date": str})
        amounts = raw["dollar_value"]
    else:
        names = ["customer_id", "sample_id", "date", "cds", "amount"]
        raw = pd.read_csv(folder / "CDNOW_sample.txt", sep=r"\s+", header=None, names=names, dtype=str)
        amounts = raw["amount"]
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype(object),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": amounts.astype(float),
        }
    )
