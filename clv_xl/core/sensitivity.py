"""What-if analysis of the CLV formula: how CLV moves when one driver changes.

Document ``000`` stresses that small changes in a component change CLV a lot; this
module computes CLV with each driver moved by a set of relative changes, the others
held at their base values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from clv_xl.core.checks import FloatArray
from clv_xl.core.formulas import clv_of_group

__all__ = ["DEFAULT_CHANGES", "DRIVERS", "ClvInputs", "WhatIf", "what_if"]

#: Relative changes of a driver shown by default: −20 %, −10 %, +10 %, +20 %.
DEFAULT_CHANGES: tuple[float, ...] = (-0.2, -0.1, 0.1, 0.2)

#: Drivers of :func:`clv_xl.core.formulas.clv` that a what-if moves, in display order.
DRIVERS: tuple[str, ...] = ("apv", "acl", "frequency", "margin", "cac")


@dataclass(frozen=True)
class ClvInputs:
    """The inputs of one CLV computation (see :func:`clv_xl.core.formulas.clv_of_group`).

    The APV of a base whose refunds exceed its sales is negative, and so is its CLV.
    """

    apv: float
    acl: float
    cac: float = 0.0
    frequency: float = 1.0
    margin: float = 1.0
    discount_rate: float = 0.0

    def clv(self) -> float:
        """CLV of these inputs, in €."""
        return float(clv_of_group(self.apv, self.acl, self.cac, self.frequency, self.margin, self.discount_rate))


@dataclass(frozen=True)
class WhatIf:
    """CLV for each driver (rows) and relative change (columns).

    ``values[i, j]`` is CLV with ``drivers[i]`` multiplied by ``1 + changes[j]``.
    """

    base: float
    drivers: tuple[str, ...]
    changes: tuple[float, ...]
    values: FloatArray

    def delta(self) -> FloatArray:
        """CLV change against the base, in €."""
        return self.values - self.base


def what_if(inputs: ClvInputs, changes: Sequence[float] = DEFAULT_CHANGES, drivers: Sequence[str] = DRIVERS) -> WhatIf:
    """CLV when each driver changes by each relative change, the others fixed.

    .. math:: CLV_{i,j} = CLV(x \\text{ with } x_i \\leftarrow x_i (1 + c_j))

    A margin moved above 100 % is capped at 1 (a margin cannot exceed revenue).

    Parameters
    ----------
    inputs
        Base values of the drivers.
    changes
        Relative changes, e.g. ``(-0.2, -0.1, 0.1, 0.2)``.
    drivers
        Names of the fields of :class:`ClvInputs` to move.

    Returns
    -------
    WhatIf
        One row per driver, one column per change, computed in one vectorised call.

    References
    ----------
    Document ``000``: "Piccoli cambiamenti nei componenti del CLV possono influire
    significativamente sul valore complessivo".
    """
    factors = 1.0 + np.asarray(changes, dtype=np.float64)
    base = {
        name: np.full((len(drivers), factors.size), getattr(inputs, name), dtype=np.float64)
        for name in ("apv", "acl", "cac", "frequency", "margin", "discount_rate")
    }
    for row, name in enumerate(drivers):
        base[name][row, :] = base[name][row, :] * factors
    base["margin"] = np.minimum(base["margin"], 1.0)
    values = clv_of_group(**base)
    return WhatIf(inputs.clv(), tuple(drivers), tuple(float(c) for c in changes), np.asarray(values))
