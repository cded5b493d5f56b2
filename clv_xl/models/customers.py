"""The per-customer summary the models read, and its checks.

Both models describe each customer by a summary of their purchases in a calibration
period, all times in ONE unit of your choice (days, weeks, months: the "period"):

``frequency``
    number of REPEAT purchases: all purchases minus the first one (a whole number
    >= 0). Several purchases on the same day usually count as one (lifetimes'
    daily summaries do so); times may have decimals (CDNOW: days stated in weeks).
``recency``
    time from the first purchase to the last one, in periods (0 when frequency is 0).
``T``
    time from the first purchase to the end of the calibration period, in periods
    (the customer's "age"); ``recency <= T``. T = 0 is a customer first seen in the
    last period: the models give them a new customer's predictions.
``monetary_value``
    average value of the REPEAT purchases (the first purchase left out), for the
    Gamma-Gamma model; > 0 for customers with frequency > 0.

A failed check raises :class:`clv_xl.errors.ClvError` with the mask of the offending
customers. With ``locate=True`` (used by the fits, which read whole columns) the
message also names the customer's row, counting from 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from clv_xl.core.checks import ArrayLike, FloatArray, broadcast
from clv_xl.errors import ClvError, ExcelErrorCode

__all__ = [
    "DistinctSummaries",
    "check_horizon",
    "check_purchase_summary",
    "check_spend_summary",
    "require_customers",
    "distinct_summaries",
    "require_finite_prediction",
]


def require_customers(
    name: str,
    values: FloatArray,
    is_valid: Callable[[FloatArray], npt.NDArray[np.bool_]],
    code: ExcelErrorCode,
    key: str,
    *,
    locate: bool,
    limit: FloatArray | None = None,
) -> None:
    """Raise :class:`ClvError` if ``is_valid(values)`` is False for some customer.

    With ``locate`` the message key gets the suffix ``_row`` and names the first
    offending row (1-based); ``limit`` fills a ``{limit}`` placeholder.
    """
    bad = ~is_valid(values)
    if not bad.any():
        return
    element_params: dict[str, FloatArray] = {"value": values[bad]}
    if limit is not None:
        element_params["limit"] = np.broadcast_to(limit, values.shape)[bad]
    if locate:
        element_params["row"] = (np.flatnonzero(bad.ravel()) + 1).astype(np.float64)
        key += "_row"
    first = {k: float(v[0]) for k, v in element_params.items()}
    raise ClvError(code, key, argument=name, mask=bad, element_params=element_params, **first)


def _whole(values: FloatArray) -> npt.NDArray[np.bool_]:
    return (values >= 0) & (values == np.round(values))


def check_purchase_summary(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    *,
    locate: bool = False,  # noqa: N803 - T as in the paper
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Check (frequency, recency, T) and return them as broadcast float arrays.

    Raises
    ------
    ClvError
        ``#NUM!`` when frequency is not a whole number >= 0, recency or T is
        negative, recency > T, or recency is not 0 for a customer without
        repeat purchases; ``#VALUE!`` for non-numbers or unequal shapes.
    """
    x, t_x, age = broadcast(frequency=frequency, recency=recency, T=T)
    require_customers("frequency", x, _whole, ExcelErrorCode.NUM, "model_whole_number", locate=locate)
    require_customers("recency", t_x, lambda v: v >= 0, ExcelErrorCode.NUM, "model_negative", locate=locate)
    require_customers("T", age, lambda v: v >= 0, ExcelErrorCode.NUM, "model_negative", locate=locate)
    require_customers(
        "recency", t_x, lambda v: v <= age, ExcelErrorCode.NUM, "model_recency_after_T", locate=locate, limit=age
    )
    require_customers(
        "recency", t_x, lambda v: (x > 0) | (v == 0), ExcelErrorCode.NUM, "model_recency_without_repeat", locate=locate
    )
    return x, t_x, age


def check_spend_summary(
    frequency: ArrayLike, monetary_value: ArrayLike, *, locate: bool = False, positive: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Check (frequency, monetary_value) and return them as broadcast float arrays.

    ``monetary_value`` must be >= 0, and > 0 where frequency > 0 unless ``positive``
    is False (it is not used for customers without repeat purchases).
    """
    x, m = broadcast(frequency=frequency, monetary_value=monetary_value)
    require_customers("frequency", x, _whole, ExcelErrorCode.NUM, "model_whole_number", locate=locate)
    require_customers("monetary_value", m, lambda v: v >= 0, ExcelErrorCode.NUM, "model_negative", locate=locate)
    if positive:
        require_customers(
            "monetary_value",
            m,
            lambda v: (x == 0) | (v > 0),
            ExcelErrorCode.NUM,
            "model_spend_not_positive",
            locate=locate,
        )
    return x, m


def check_horizon(t: ArrayLike) -> FloatArray:
    """The prediction horizon ``t`` as a float array, or ``#NUM!`` when some value is negative."""
    (horizon,) = broadcast(t=t)
    if (horizon < 0).any():
        raise ClvError(
            ExcelErrorCode.NUM,
            "negative",
            argument="t",
            value=float(horizon[horizon < 0].ravel()[0]),
            mask=np.broadcast_to(horizon < 0, horizon.shape),
        )
    return horizon


def require_finite_prediction(result: FloatArray, model: str) -> FloatArray:
    """``result`` unchanged, or ``#NUM!`` (with the mask of the customers) where it is not finite."""
    if not np.all(np.isfinite(result)):
        raise ClvError(ExcelErrorCode.NUM, "model_prediction_undefined", model=model, mask=~np.isfinite(result))
    return result


@dataclass(frozen=True)
class DistinctSummaries:
    """The distinct (frequency, recency, T) of a set of customers.

    Customers with the same summary have the same likelihood and predictions: the
    models compute them once per distinct summary. ``x[inverse]`` gives back each
    customer's frequency (and so on); ``counts`` says how many customers share each.
    """

    x: FloatArray
    t_x: FloatArray
    age: FloatArray
    counts: npt.NDArray[np.int64]
    inverse: npt.NDArray[np.int64]


def distinct_summaries(x: FloatArray, t_x: FloatArray, age: FloatArray) -> DistinctSummaries:
    """The distinct summaries of flat arrays, sorted, with counts and the inverse map (a lexicographic sort).

    The same result as ``numpy.unique(..., axis=0)``, ten times faster on 80,000 customers.
    """
    order = np.lexsort((age, t_x, x))
    sx, st, sa = x[order], t_x[order], age[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = (sx[1:] != sx[:-1]) | (st[1:] != st[:-1]) | (sa[1:] != sa[:-1])
    group = np.cumsum(new) - 1
    inverse = np.empty(order.size, dtype=np.int64)
    inverse[order] = group
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, order.size))
    return DistinctSummaries(sx[starts], st[starts], sa[starts], counts, inverse)
