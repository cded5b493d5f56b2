"""Argument checks shared by the core formulas.

The formulas accept scalars or array-likes, broadcast them together (numpy rules) and
check their domain element-wise. A failed check raises :class:`clv_xl.errors.ClvError`
with a mask of the offending elements, so callers that work on ranges can isolate them.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.errors import ClvError, ExcelErrorCode

__all__ = [
    "ArrayLike",
    "FloatArray",
    "Number",
    "broadcast",
    "customer_keys",
    "finish",
    "require",
    "require_divisor",
    "require_non_negative",
    "require_rate",
]

Number = float | int
FloatArray = npt.NDArray[np.float64]
ArrayLike = Number | npt.ArrayLike


def _to_float_array(name: str, value: ArrayLike) -> FloatArray:
    """Convert ``value`` to a float array, refusing what is not a real number."""
    if isinstance(value, (bool, np.bool_)):
        raise ClvError(ExcelErrorCode.VALUE, "boolean", argument=name, value=value)
    if isinstance(value, numbers.Real):
        array = np.asarray(float(value))
    else:
        raw = np.asarray(value)
        if raw.dtype == np.bool_:
            raise ClvError(ExcelErrorCode.VALUE, "boolean", argument=name, value="TRUE/FALSE")
        if raw.size == 0:
            raise ClvError(ExcelErrorCode.VALUE, "empty_range", argument=name)
        try:
            array = raw.astype(np.float64)
        except (TypeError, ValueError):
            bad = next(v for v in raw.ravel() if not _is_real(v))
            raise ClvError(ExcelErrorCode.VALUE, "not_a_number", argument=name, value=str(bad)) from None
        if raw.dtype == object and any(isinstance(v, (bool, np.bool_)) for v in raw.ravel()):
            raise ClvError(ExcelErrorCode.VALUE, "boolean", argument=name, value="TRUE/FALSE")
    nan = np.isnan(array)
    if nan.any():
        raise ClvError(ExcelErrorCode.VALUE, "nan", argument=name, mask=nan)
    infinite = np.isinf(array)
    if infinite.any():
        raise ClvError(ExcelErrorCode.NUM, "infinite", argument=name, mask=infinite)
    return array


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def broadcast(**arguments: ArrayLike) -> tuple[FloatArray, ...]:
    """Convert the arguments to float arrays and broadcast them to one shape.

    Raises
    ------
    ClvError
        ``#VALUE!`` when an argument is not numeric or the shapes do not broadcast,
        ``#NUM!`` when an argument is infinite.
    """
    arrays = [_to_float_array(name, value) for name, value in arguments.items()]
    try:
        return tuple(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in zip(arguments, arrays, strict=True))
        raise ClvError(ExcelErrorCode.VALUE, "shapes", shapes=shapes) from None


def require(
    name: str,
    values: FloatArray,
    is_valid: Callable[[FloatArray], npt.NDArray[np.bool_]],
    code: ExcelErrorCode,
    key: str,
    **params: float | FloatArray,
) -> None:
    """Raise :class:`ClvError` if ``is_valid(values)`` is False anywhere.

    The error names the first offending value and carries the mask of all of them.
    """
    bad = ~is_valid(values)
    if bad.any():
        element_params = {"value": values[bad]}
        element_params.update({k: np.broadcast_to(v, values.shape)[bad] for k, v in params.items()})
        first = {k: float(v[0]) for k, v in element_params.items()}
        raise ClvError(code, key, argument=name, mask=bad, element_params=element_params, **first)


def require_non_negative(name: str, values: FloatArray) -> None:
    """``values >= 0``, else ``#NUM!``."""
    require(name, values, lambda v: v >= 0, ExcelErrorCode.NUM, "negative")


def require_divisor(name: str, values: FloatArray) -> None:
    """A count or amount we divide by: ``0`` gives ``#DIV/0!``, a negative ``#NUM!``."""
    require(name, values, lambda v: v != 0, ExcelErrorCode.DIV0, "zero_divisor")
    require(name, values, lambda v: v > 0, ExcelErrorCode.NUM, "not_positive")


def require_rate(name: str, values: FloatArray) -> None:
    """A rate or share between 0 and 1 inclusive, else ``#NUM!``."""
    require(name, values, lambda v: (v >= 0) & (v <= 1), ExcelErrorCode.NUM, "rate_range")


def finish(result: FloatArray, name: str) -> float | FloatArray:
    """The result of a formula: a Python float for a 0-d result, the array otherwise; never ±infinity.

    Every input is finite (:func:`broadcast` refuses infinity), yet a product or a quotient
    of finite numbers can overflow: ``CLV(1e308, 10, 0)``, ``LIFESPAN(5e-324)``. Such an
    element would show as ``inf`` in a cell, or spoil every sum it enters; it is refused
    here, once for every formula, naming the result.

    Parameters
    ----------
    result
        The computed values.
    name
        What they are, as the user knows it (``"CLV"``, ``"LIFESPAN"``), for the message.

    Raises
    ------
    ClvError
        ``#NUM!`` ``overflow``, with the mask of the elements that are not finite.
    """
    finite = np.isfinite(result)
    if not finite.all():
        raise ClvError(ExcelErrorCode.NUM, "overflow", argument=name, mask=~finite)
    if result.ndim == 0:
        return float(result)
    return result


def customer_keys(transactions: pd.DataFrame) -> npt.NDArray[np.generic]:
    """The ``customer_id`` column as an array for :func:`pandas.factorize`: integers as they are, else objects.

    Ids read from a file are texts (Python objects). A caller that factorizes the ids
    once may pass the orders on with the codes (integers) as ``customer_id``: these are
    then factorized as integers, ten times faster than texts (the report does so, see
    :func:`clv_xl.report.build.build_report`); turned into objects they would lose that.
    """
    column = transactions["customer_id"]
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.to_numpy(dtype=np.int64)
    return column.to_numpy(dtype=object)
