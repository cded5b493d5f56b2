"""The simulator against the BG/NBD's closed-form distribution of repeat purchases (paper, eqs. 8-9)."""

from __future__ import annotations

import numpy as np
from scipy.special import hyp2f1

from clv_xl.models import BgNbdParams, GammaGammaParams, simulate_customers

BGNBD = BgNbdParams(r=0.8, alpha=5.0, a=1.2, b=3.5)
GAMMA_GAMMA = GammaGammaParams(p=6.0, q=4.0, gamma=15.0)


def test_share_without_repeat_purchases_and_mean_frequency_match_the_model() -> None:
    # Fader, Hardie and Lee (2005): P(X(t) = 0) = (alpha / (alpha + t))^r, and eq. 9
    # E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]
    t, n = 52.0, 200_000
    customers = simulate_customers(BGNBD, GAMMA_GAMMA, np.full(n, t), np.random.default_rng(5))
    r, alpha, a, b = BGNBD.r, BGNBD.alpha, BGNBD.a, BGNBD.b
    none = (alpha / (alpha + t)) ** r
    mean = (a + b - 1) / (a - 1) * (1 - none * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    assert abs(np.mean(customers.frequency == 0) - none) < 4 * np.sqrt(none * (1 - none) / n)
    assert abs(customers.frequency.mean() - mean) < 4 * customers.frequency.std() / np.sqrt(n)


def test_summary_is_consistent() -> None:
    # the contract of the per-customer summary: whole frequencies, 0 <= recency <= T, spend only with repeats
    customers = simulate_customers(BGNBD, GAMMA_GAMMA, np.linspace(10, 60, 5000), np.random.default_rng(6))
    repeat = customers.frequency > 0
    assert np.all(customers.frequency == np.round(customers.frequency))
    assert np.all((customers.recency >= 0) & (customers.recency <= customers.T))
    assert np.all(customers.recency[~repeat] == 0) and np.all(customers.monetary_value[~repeat] == 0)
    assert np.all(customers.monetary_value[repeat] > 0)
