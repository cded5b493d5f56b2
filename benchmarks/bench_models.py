"""Benchmark: fitting and predicting with clv_xl's BG/NBD and Gamma-Gamma against lifetimes.

The baseline is lifetimes (``BetaGeoFitter``, ``GammaGammaFitter``), measured in the
same run on the same data: the CDNOW sample of the paper (2,357 customers, weeks) and
80,000 customers simulated from the CDNOW estimates. For each step the script prints
both times, the ratio, and the largest difference between the two results, so a speed
gain never hides a different answer.

The CLV step compares like with like: lifetimes' ``customer_lifetime_value`` with
``freq="M"`` steps one unit of the data's time at a time and discounts each step's
purchases at its end, which is clv_xl's ``predict_clv`` definition.

lifetimes is not a dependency of clv_xl; install it in the environment that runs this
script (``pip install lifetimes``). Run by hand from the project root::

    python benchmarks/bench_models.py [customers]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from timing import best_time

from clv_xl.models import (
    BgNbdParams,
    GammaGammaParams,
    expected_average_spend,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    period_rate,
    predict_clv,
    probability_alive,
    simulate_customers,
)

CDNOW = Path(__file__).parent.parent / "tests" / "datasets"
HORIZON = 52  # periods (weeks) of the CLV
DISCOUNT = period_rate(0.10, 52)  # 10 % a year, per week


def report(step: str, ours: float, theirs: float, difference: float) -> None:
    print(
        f"  {step:<30} clv_xl {ours * 1000:9.1f} ms   lifetimes {theirs * 1000:9.1f} ms   "
        f"ratio {theirs / ours:6.1f}x   max |difference| {difference:.2e}"
    )


def cdnow() -> pd.DataFrame:
    purchases = pd.read_csv(CDNOW / "cdnow_customers_summary.csv")
    spend = pd.read_csv(CDNOW / "cdnow_customers_summary_with_transactions.csv")
    return purchases.assign(monetary_value=spend["zbar"])


def simulated(customers: int) -> pd.DataFrame:
    rng = np.random.default_rng(20261122)
    people = simulate_customers(
        BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426),
        GammaGammaParams(p=6.25, q=3.74, gamma=15.44),
        rng.uniform(1, 39, customers).round(2),
        rng,
    )
    return pd.DataFrame(
        {
            "frequency": people.frequency,
            "recency": people.recency.round(2),
            "T": people.T,
            "monetary_value": people.monetary_value,
        }
    )


def compare(name: str, data: pd.DataFrame) -> None:
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    f, r, t, m = (data[c] for c in ("frequency", "recency", "T", "monetary_value"))
    repeat = f > 0
    print(f"{name}: {len(data):,} customers ({int(repeat.sum()):,} with repeat purchases)")

    ours, bgnbd = best_time(lambda: fit_bgnbd(f, r, t))
    theirs, bgf = best_time(lambda: BetaGeoFitter().fit(f, r, t))
    lifetimes_bgnbd = bgf.params_[["r", "alpha", "a", "b"]].to_numpy()
    ours_bgnbd = np.array([bgnbd.r, bgnbd.alpha, bgnbd.a, bgnbd.b])
    report("BG/NBD fit", ours, theirs, float(np.max(np.abs(ours_bgnbd - lifetimes_bgnbd))))
    print(
        f"    clv_xl    r, alpha, a, b = {bgnbd.r:.4f}, {bgnbd.alpha:.4f}, {bgnbd.a:.4f}, {bgnbd.b:.4f}"
        f"   LL {bgnbd.log_likelihood:.2f}"
    )
    print("    lifetimes r, alpha, a, b = " + ", ".join(f"{v:.4f}" for v in lifetimes_bgnbd))

    ours, gamma_gamma = best_time(lambda: fit_gamma_gamma(f, m))
    theirs, ggf = best_time(lambda: GammaGammaFitter().fit(f[repeat], m[repeat]))
    lifetimes_gg = ggf.params_[["p", "q", "v"]].to_numpy()
    report(
        "Gamma-Gamma fit",
        ours,
        theirs,
        float(np.max(np.abs([gamma_gamma.p, gamma_gamma.q, gamma_gamma.gamma] - lifetimes_gg))),
    )
    print(f"    clv_xl    p, q, gamma = {gamma_gamma.p:.4f}, {gamma_gamma.q:.4f}, {gamma_gamma.gamma:.4f}")
    print("    lifetimes p, q, gamma = " + ", ".join(f"{v:.4f}" for v in lifetimes_gg))

    # predictions with each library's own fitted parameters (equal to ~1e-6, see above)
    ours, mine = best_time(lambda: expected_purchases(bgnbd, 39, f, r, t))
    theirs, other = best_time(lambda: bgf.conditional_expected_number_of_purchases_up_to_time(39, f, r, t))
    report("expected purchases (39)", ours, theirs, float(np.max(np.abs(mine - np.asarray(other)))))

    ours, mine = best_time(lambda: probability_alive(bgnbd, f, r, t))
    theirs, other = best_time(lambda: bgf.conditional_probability_alive(f, r, t))
    report("probability alive", ours, theirs, float(np.max(np.abs(mine - np.asarray(other)))))

    ours, mine = best_time(lambda: expected_average_spend(gamma_gamma, f, m))
    theirs, other = best_time(lambda: ggf.conditional_expected_average_profit(f, m))
    report("expected spend", ours, theirs, float(np.max(np.abs(mine - np.asarray(other)))))

    ours, mine = best_time(lambda: predict_clv(bgnbd, gamma_gamma, f, r, t, m, horizon=HORIZON, discount_rate=DISCOUNT))
    theirs, other = best_time(
        lambda: ggf.customer_lifetime_value(bgf, f, r, t, m, time=HORIZON, discount_rate=DISCOUNT, freq="M"), repeats=1
    )
    relative = np.abs(mine.clv - np.asarray(other)) / np.maximum(np.abs(np.asarray(other)), 1e-9)
    report(f"CLV ({HORIZON} periods)", ours, theirs, float(np.max(np.abs(mine.clv - np.asarray(other)))))
    print(f"    largest relative CLV difference {relative.max():.2e} (each library predicts with its own fit)")
    print()


def main(customers: int = 80_000) -> None:
    warnings.simplefilter("ignore")  # lifetimes' pandas deprecation warnings, in this script only
    compare("CDNOW sample (weeks)", cdnow())
    compare("simulated from the CDNOW estimates", simulated(customers))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 80_000)
