"""Benchmark: fitting and predicting with clv_xl's purchase models and Gamma-Gamma against lifetimes.

The baseline is lifetimes (``BetaGeoFitter``, ``ModifiedBetaGeoFitter``,
``ParetoNBDFitter``, ``GammaGammaFitter``), measured in the same run on the same data:
the CDNOW sample of the paper (2,357 customers, weeks), 80,000 customers simulated from
the CDNOW estimates, and for the Pareto/NBD and MBG/NBD fits the full CDNOW orders
(23,570 customers, ``CDNOW_master.txt`` of the lifetimes package) summarised in weeks
and in days. For each step the script prints both times, the ratio, and the largest
difference between the two results, so a speed gain never hides a different answer.

The CLV step compares like with like: lifetimes' ``customer_lifetime_value`` with
``freq="M"`` steps one unit of the data's time at a time and discounts each step's
purchases at its end, which is clv_xl's ``predict_clv`` definition.

lifetimes is not a dependency of clv_xl; install it in the environment that runs this
script (``pip install lifetimes``). Run by hand from the project root::

    python benchmarks/bench_models.py [customers]

lifetimes' ``ParetoNBDFitter`` starts from random parameters: the script seeds numpy's
generator so that its time and result are the same from run to run.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from timing import best_time

from clv_xl.core.summaries import customer_summary
from clv_xl.models import (
    BgNbdParams,
    GammaGammaParams,
    MbgNbdParams,
    ParetoNbdParams,
    expected_average_spend,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
    fit_pareto_nbd,
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


def cdnow_orders() -> pd.DataFrame:
    """The full CDNOW orders (23,570 customers), as lifetimes ships them."""
    import lifetimes

    raw = pd.read_csv(
        Path(lifetimes.__file__).parent / "datasets" / "CDNOW_master.txt",
        sep=r"\s+",
        dtype={"customer_id": str, "date": str},
    )
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype(object),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["dollar_value"].astype(float),
        }
    )


def compare_new_models(name: str, data: pd.DataFrame) -> None:
    """Pareto/NBD and MBG/NBD fits and predictions against lifetimes (one run each: lifetimes' fits are slow)."""
    from lifetimes import ModifiedBetaGeoFitter, ParetoNBDFitter

    f, r, t = (data[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    distinct = len(np.unique(np.column_stack([f, r, t]), axis=0))
    print(f"{name}: {len(data):,} customers ({distinct:,} distinct summaries)")
    for label, fit, fitter, names, params_type in (
        ("Pareto/NBD fit", fit_pareto_nbd, ParetoNBDFitter, ("r", "alpha", "s", "beta"), ParetoNbdParams),
        ("MBG/NBD fit", fit_mbgnbd, ModifiedBetaGeoFitter, ("r", "alpha", "a", "b"), MbgNbdParams),
    ):
        ours, params = best_time(lambda fit=fit: fit(f, r, t), repeats=1)
        np.random.seed(20261202)
        theirs, other = best_time(lambda fitter=fitter: fitter().fit(f, r, t), repeats=1)
        values = np.array([getattr(params, n) for n in names])
        other_values = other.params_[list(names)].to_numpy()
        report(label, ours, theirs, float(np.max(np.abs(values - other_values) / other_values)))
        print(
            f"    clv_xl    {', '.join(names)} = "
            + ", ".join(f"{v:.4f}" for v in values)
            + f"   LL {params.log_likelihood:.2f}"
        )
        print(f"    lifetimes {', '.join(names)} = " + ", ".join(f"{v:.4f}" for v in other_values))
        same = params_type(*other_values)
        ours, mine = best_time(lambda same=same: probability_alive(same, f, r, t))
        theirs, their = best_time(lambda other=other: other.conditional_probability_alive(f, r, t))
        report("  probability alive", ours, theirs, float(np.max(np.abs(mine - np.asarray(their)))))
    print("  (fit: largest relative difference of the parameters; predictions: with lifetimes' parameters)")
    print()


def row_limit_orders(rows: int = 1_048_575, customers: int = 80_000) -> pd.DataFrame:
    """The orders of ``bench_report.py`` (same seed and draws), as a DataFrame instead of a workbook."""
    rng = np.random.default_rng(20261122)
    who = rng.integers(1, customers + 1, rows)
    first_day = rng.integers(0, 2 * 365, customers + 1)
    last_day = np.minimum(first_day + rng.exponential(365.0, customers + 1).astype(np.int64), 3 * 365 - 1)
    days = first_day[who] + (rng.random(rows) * (last_day[who] - first_day[who] + 1)).astype(np.int64)
    amounts = rng.gamma(2.0, 60.0, rows).round(2)
    return pd.DataFrame(
        {
            "customer_id": pd.Series([f"C{c:06d}" for c in who], dtype=object),
            "date": np.datetime64("2022-01-01") + days.astype("timedelta64[D]"),
            "amount": amounts,
        }
    )


def analytics_at_the_row_limit() -> None:
    """What the new analytics cost on the report benchmark's orders (1,048,575 rows, 80,000 customers)."""
    from clv_xl.core.churn import estimate_churn
    from clv_xl.core.cohorts import cohort_tables
    from clv_xl.models.forecast import forecast_customers

    orders = row_limit_orders()
    print(f"the report benchmark's orders: {len(orders):,} rows, {orders['customer_id'].nunique():,} customers")
    steps = (
        ("weekly customer summary", lambda: customer_summary(orders, time_unit="weeks")),
        ("yearly churn (12-month windows)", lambda: estimate_churn(orders)),
        ("monthly cohort tables", lambda: cohort_tables(orders)),
        ("forecast, model given (BG/NBD)", lambda: forecast_customers(orders, model="bgnbd", penalizer=0.001)),
        ("forecast, model given (Pareto/NBD)", lambda: forecast_customers(orders, model="pareto", penalizer=0.001)),
        ("forecast, lowest BIC (holdout=0)", lambda: forecast_customers(orders, holdout=0, penalizer=0.001)),
        ("forecast, holdout check (auto)", lambda: forecast_customers(orders, penalizer=0.001)),
    )
    result = None
    for label, action in steps:
        seconds, result = best_time(action, repeats=1)
        print(f"  {label:<36} {seconds:6.2f} s")
    assert result is not None and result.choice.check is not None
    seconds, _ = best_time(lambda: result.choice.check.tracking([result.choice.key]), repeats=1)
    print(f"  {'tracking series of the chosen model':<36} {seconds:6.2f} s   ({result.choice.reason.en})")
    print()


def main(customers: int = 80_000) -> None:
    warnings.simplefilter("ignore")  # lifetimes' pandas deprecation warnings, in this script only
    compare("CDNOW sample (weeks)", cdnow())
    compare("simulated from the CDNOW estimates", simulated(customers))
    compare_new_models("CDNOW sample (weeks)", cdnow())
    orders = cdnow_orders()
    compare_new_models("CDNOW, all orders (weeks)", customer_summary(orders, time_unit="weeks"))
    compare_new_models("CDNOW, all orders (days)", customer_summary(orders, time_unit="days"))
    analytics_at_the_row_limit()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 80_000)
