"""Customers simulated from known BG/NBD and Gamma-Gamma parameters.

Used to check that the fits recover the parameters they were given, and to build
large data sets for benchmarks. Pure: the caller passes the random generator.

The simulation follows the models' stories exactly, vectorised over customers:

* λ ~ Gamma(r, rate α) and p ~ Beta(a, b) per customer;
* purchases after the first one arrive as a Poisson process of rate λ, so their
  number in (0, T] is N ~ Poisson(λT); after each repeat purchase the customer drops
  out with probability p, so the number of repeat purchases made before dropping
  out is D ~ Geometric(p) and ``frequency = min(N, D)``;
* given N = n arrivals, their times are ordered uniforms on (0, T], so the time of
  the x-th one is ``recency = T · Beta(x, n − x + 1)``;
* ν ~ Gamma(q, rate γ) per customer and each purchase value ~ Gamma(p, rate ν), so
  the average of x purchase values is Gamma(p·x, rate ν·x).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clv_xl.core.checks import ArrayLike, FloatArray
from clv_xl.models.bgnbd import BgNbdParams
from clv_xl.models.gamma_gamma import GammaGammaParams

__all__ = ["SimulatedCustomers", "simulate_customers"]


@dataclass(frozen=True)
class SimulatedCustomers:
    """The per-customer summary of simulated customers (one value per customer)."""

    frequency: FloatArray
    recency: FloatArray
    T: FloatArray  # noqa: N815 - T as in the paper
    monetary_value: FloatArray


def simulate_customers(
    bgnbd: BgNbdParams,
    gamma_gamma: GammaGammaParams,
    T: ArrayLike,  # noqa: N803 - T as in the paper
    rng: np.random.Generator,
) -> SimulatedCustomers:
    """Simulate one customer per element of ``T`` (their calibration-period lengths)."""
    age = np.asarray(T, dtype=np.float64).ravel()
    n = age.size
    rate = rng.gamma(bgnbd.r, 1.0 / bgnbd.alpha, n)
    dropout = rng.beta(bgnbd.a, bgnbd.b, n)
    arrivals = rng.poisson(rate * age)
    before_dropout = rng.geometric(np.clip(dropout, 1e-300, 1.0))
    frequency = np.minimum(arrivals, before_dropout)
    repeat = frequency > 0
    recency = np.zeros(n)
    recency[repeat] = age[repeat] * rng.beta(frequency[repeat], arrivals[repeat] - frequency[repeat] + 1)
    nu = rng.gamma(gamma_gamma.q, 1.0 / gamma_gamma.gamma, n)
    monetary = np.zeros(n)
    monetary[repeat] = rng.gamma(gamma_gamma.p * frequency[repeat], 1.0 / (nu[repeat] * frequency[repeat]))
    return SimulatedCustomers(frequency.astype(np.float64), recency, age, monetary)
