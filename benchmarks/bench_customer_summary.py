"""Benchmark: the per-customer summary of 1,000,000 transactions against lifetimes.

The baseline is ``lifetimes.utils.summary_data_from_transaction_data`` (lifetimes
0.11.3), measured in the same run on the same synthetic transactions: 1,000,000
orders of about 80,000 customers over two years, with times of day, fixed seed. For
each time unit (days: ``freq="D"``, weeks: ``freq="W"``) the script checks that
frequency, recency, T and monetary_value are identical for every customer, then
prints both times (best of 3) and the ratio.

lifetimes is not a dependency of clv_xl; install it in the environment that runs this
script (``pip install lifetimes``). Run by hand from the project root::

    python benchmarks/bench_customer_summary.py [transactions]
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
from timing import best_time

from clv_xl.core.summaries import customer_summary

SEED = 20240601
CUSTOMERS = 80_000


def synthetic_transactions(count: int) -> pd.DataFrame:
    """``count`` orders: customer ids as text, dates over 2023-2024 with times, amounts in €."""
    rng = np.random.default_rng(SEED)
    # uneven activity: a few heavy buyers, many one-off customers
    weights = rng.gamma(1.5, 1.0, CUSTOMERS)
    customers = rng.choice(CUSTOMERS, size=count, p=weights / weights.sum())
    seconds = rng.integers(0, 730 * 86_400, count)
    return pd.DataFrame(
        {
            "customer_id": np.char.add("C", np.char.zfill(customers.astype(str), 6)).astype(object),
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(seconds, unit="s"),
            "amount": np.round(rng.gamma(2.0, 35.0, count), 2),
        }
    )


def main(count: int) -> None:
    from lifetimes.utils import summary_data_from_transaction_data

    transactions = synthetic_transactions(count)
    print(f"{len(transactions):,} transactions, {transactions['customer_id'].nunique():,} customers")
    for unit, freq in (("days", "D"), ("weeks", "W")):
        ours_time, ours = best_time(lambda: customer_summary(transactions, time_unit=unit))  # noqa: B023
        theirs_time, theirs = best_time(
            lambda: summary_data_from_transaction_data(  # noqa: B023
                transactions,
                "customer_id",
                "date",
                "amount",
                freq=freq,  # noqa: B023
            )
        )
        ours = ours.set_index("customer_id").loc[theirs.index]
        identical = {
            column: bool(np.array_equal(ours[column].to_numpy(), theirs[column].to_numpy()))
            for column in ("frequency", "recency", "T")
        }
        money = float(np.max(np.abs(ours["monetary_value"].to_numpy() - theirs["monetary_value"].to_numpy())))
        print(
            f"  {unit:<6} clv_xl {ours_time:6.2f} s   lifetimes {theirs_time:6.2f} s   "
            f"ratio {theirs_time / ours_time:5.1f}x   identical {identical}   "
            f"monetary_value max difference {money:.1e}"
        )


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # lifetimes' deprecation warnings under pandas 3
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
