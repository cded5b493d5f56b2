"""Evaluate a catalogue function on arguments shaped as Excel hands them.

This is the Excel-facing adapter between cell values and the core formulas, with no
xlwings in it so that the CLI and the tests use exactly what Excel uses.

Excel (through xlwings with ``ndim=2``) passes every argument as a list of rows: a
single cell is ``[[value]]``, a column ``[[v1], [v2], ...]``. Empty cells arrive as
None, Excel error cells as their text (``"#N/A"``), dates as ``datetime``.

Rules, the same in every function:

* arguments of equal shape, or a range and single cells, are computed in one call and
  the result has the shape of the range (Excel 365 spills it);
* each bad element gets a text that starts with the Excel error code and says what is
  wrong, e.g. ``"#DIV/0! purchases = 0"``; the other elements are computed;
* an empty cell in an optional argument takes the argument's default;
* nothing raises: an unexpected failure becomes a ``#VALUE!`` text too.

Functions that read other kinds of ranges (orders, fitted parameters) give their own
evaluator (:mod:`clv_xl.order_ranges`, :mod:`clv_xl.model_ranges`) built from the
pieces here: the argument-count check, single numbers, flat columns, and the
conversion of a computed table into the cells it spills.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.data.values import EXCEL_EPOCH, is_none
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.function_spec import Argument, CellEvaluator, CellResult, CellValue, ExcelFunction
from clv_xl.i18n import Language, message

__all__ = [
    "EXCEL_DAY_ZERO",
    "argument_count_text",
    "column_cells",
    "evaluate",
    "first_cell",
    "flat_cells",
    "read_numbers",
    "single_number",
    "table_evaluator",
    "to_cell",
    "to_rows",
    "value_error_text",
]

#: Day 0 of Excel's dates: spilled dates are serial numbers (the user formats the cells as dates).
EXCEL_DAY_ZERO = pd.Timestamp(EXCEL_EPOCH)


def to_rows(value: object) -> Sequence[Sequence[object]]:
    """Shape any argument as a sequence of rows (a 2-D table), without copying rows."""
    if isinstance(value, (list, tuple)):
        if not value:
            return [[]]
        if isinstance(value[0], (list, tuple)):
            return value
        return [value]
    return [[value]]


def flat_cells(raw: object) -> list[object]:
    """The cells of a range in reading order (a column: top to bottom)."""
    rows = to_rows(raw)
    if rows and len(rows[0]) == 1:
        return [row[0] if row else None for row in rows]
    return list(chain.from_iterable(rows))


def first_cell(raw: object) -> object:
    """The value of a single-cell argument: its first cell, or None for an empty range or a missing argument."""
    flat = flat_cells(raw) if isinstance(raw, (list, tuple)) else [raw]
    return flat[0] if flat else None


def value_error_text(key: str, language: Language, **params: object) -> str:
    """A ``#VALUE!`` cell text: the localised code, then the message ``key``."""
    return f"{ExcelErrorCode.VALUE.localised(language)} {message(key, language, **params)}"


def argument_count_text(function: ExcelFunction, given: int, language: Language) -> str | None:
    """The ``#VALUE!`` text when ``given`` arguments are too few or too many for ``function``, else None."""
    expected = len(function.arguments)
    required = sum(1 for a in function.arguments if not a.optional)
    if required <= given <= expected:
        return None
    return value_error_text("argument_count", language, function=function.name, expected=expected, given=given)


def single_number(raw: object, name: str, default: float | None = None) -> float:
    """One number from a single-cell argument; an empty cell takes ``default``.

    Raises
    ------
    ClvError
        ``#VALUE!`` when the cell is empty without a default, or holds no number.
    """
    value = first_cell(raw)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is not None:
            return default
        raise ClvError(ExcelErrorCode.VALUE, "empty", argument=name)
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        return float(value)
    raise ClvError(ExcelErrorCode.VALUE, "not_a_number", argument=name, value=value)


def _cell_problem(argument: Argument, value: object) -> tuple[float, ClvError | None]:
    """Read one cell as a number, or say why it is not one."""
    if isinstance(value, bool):
        return 0.0, ClvError(ExcelErrorCode.VALUE, "boolean", argument=argument.name, value=str(value).upper())
    if isinstance(value, numbers.Real):
        number = float(value)
        if np.isnan(number):
            return 0.0, ClvError(ExcelErrorCode.VALUE, "nan", argument=argument.name)
        if np.isinf(number):
            return 0.0, ClvError(ExcelErrorCode.NUM, "infinite", argument=argument.name)
        return number, None
    if value is None or (isinstance(value, str) and not value.strip()):
        if isinstance(argument.default, float):
            return argument.default, None
        return 0.0, ClvError(ExcelErrorCode.VALUE, "empty", argument=argument.name)
    if isinstance(value, str):
        code = ExcelErrorCode.from_text(value)
        if code is not None:
            return 0.0, ClvError(code, "cell_error", argument=argument.name, value=value.strip())
        return 0.0, ClvError(ExcelErrorCode.VALUE, "not_a_number", argument=argument.name, value=value)
    if isinstance(value, (dt.date, dt.datetime, dt.time, np.datetime64)):
        return 0.0, ClvError(ExcelErrorCode.VALUE, "date", argument=argument.name)
    return 0.0, ClvError(ExcelErrorCode.VALUE, "not_a_number", argument=argument.name, value=str(value))


def _read_argument(
    argument: Argument, raw: object, language: Language
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.object_]]:
    """Numbers of one argument and, where a cell is bad, the text it produces."""
    rows = to_rows(raw)
    width = len(rows[0])
    if width == 0 or any(not isinstance(row, (list, tuple)) or len(row) != width for row in rows):
        empty = ClvError(ExcelErrorCode.VALUE, "empty_range", argument=argument.name)
        return np.zeros((1, 1)), np.array([[empty.excel_text(language)]], dtype=object)
    flat = list(chain.from_iterable(rows))
    shape = (len(rows), width)
    texts = np.full(len(flat), None, dtype=object)
    if all(type(cell) is float for cell in flat):
        fast = np.fromiter(flat, dtype=np.float64, count=len(flat))
        if np.isfinite(fast).all():
            return fast.reshape(shape), texts.reshape(shape)
    numbers_read = np.empty(len(flat), dtype=np.float64)
    for position, cell in enumerate(flat):
        number, problem = _cell_problem(argument, cell)
        numbers_read[position] = number
        if problem is not None:
            texts[position] = problem.excel_text(language)
    return numbers_read.reshape(shape), texts.reshape(shape)


def read_numbers(
    argument: Argument, raw: object, language: Language
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.object_]]:
    """Read one argument as a 2-D table of numbers, for functions with their own evaluator.

    Returns the numbers and, of the same shape, None where a cell was read or the
    cell's error text (``#VALUE! apv: "abc" is not a number``) where it was not; an
    empty cell of an optional argument takes its default.
    """
    return _read_argument(argument, raw, language)


def _shape_error(function: ExcelFunction, shapes: Sequence[tuple[int, ...]], language: Language) -> str:
    described = ", ".join(f"{a.name} {r}×{c}" for a, (r, c) in zip(function.arguments, shapes, strict=True))
    return value_error_text("shapes", language, shapes=described)


def evaluate(function: ExcelFunction, raw_arguments: Sequence[object], language: Language = "en") -> CellResult:
    """Compute ``function`` on Excel-shaped arguments; never raises.

    Parameters
    ----------
    function
        The catalogue entry.
    raw_arguments
        One value per argument, as xlwings passes them; missing trailing optional
        arguments may be left out. Functions with their own ``evaluator`` get the
        arguments unchanged.
    language
        Language of the error texts.

    Returns
    -------
    float, str or list of lists
        A single value for single-cell input; otherwise a table of the broadcast shape
        whose elements are numbers or error texts.
    """
    try:
        # an overflow is reported by the formulas (clv_xl.core.checks.finish), not warned about
        with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
            if function.evaluator is not None:
                return function.evaluator(function, raw_arguments, language)
            return _evaluate(function, raw_arguments, language)
    except Exception as unexpected:  # noqa: BLE001 - a cell must never show a traceback
        return value_error_text("unexpected", language, function=function.name, value=unexpected)


def _evaluate(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
    problem = argument_count_text(function, len(raw_arguments), language)
    if problem is not None:
        return problem
    expected = len(function.arguments)
    padded = list(raw_arguments) + [None] * (expected - len(raw_arguments))
    read = [_read_argument(argument, raw, language) for argument, raw in zip(function.arguments, padded, strict=True)]
    try:
        shape = np.broadcast_shapes(*(values.shape for values, _ in read))
    except ValueError:
        return _shape_error(function, [values.shape for values, _ in read], language)

    texts = np.full(shape, None, dtype=object)
    for _, argument_texts in read:
        first_problem = is_none(texts) & ~is_none(np.broadcast_to(argument_texts, shape))
        texts[first_problem] = np.broadcast_to(argument_texts, shape)[first_problem]
    columns = {
        a.name: np.broadcast_to(values, shape).ravel() for a, (values, _) in zip(function.arguments, read, strict=True)
    }

    flat_texts = texts.ravel()
    results = np.zeros(flat_texts.size, dtype=np.float64)
    pending = np.flatnonzero(is_none(flat_texts))
    while pending.size:
        try:
            computed = function.compute(**{name: column[pending] for name, column in columns.items()})
        except ClvError as error:
            failed = pending if error.mask is None else pending[np.asarray(error.mask).ravel()]
            texts_of_failed = error.element_texts(language)
            if len(texts_of_failed) != failed.size:
                texts_of_failed = [error.excel_text(language)] * failed.size
            flat_texts[failed] = np.array(texts_of_failed, dtype=object)
            pending = np.setdiff1d(pending, failed, assume_unique=True)
            continue
        results[pending] = np.asarray(computed, dtype=np.float64)
        break

    if shape == (1, 1):
        return flat_texts[0] if flat_texts[0] is not None else float(results[0])
    has_text = ~is_none(flat_texts)
    if not has_text.any():
        return results.reshape(shape).tolist()
    table = results.astype(object)
    table[has_text] = flat_texts[has_text]
    return table.reshape(shape).tolist()


# ---------------------------------------------------------------- spilled tables


def to_cell(value: object) -> CellValue:
    """A computed value as a cell: dates as Excel serial numbers, numbers as floats, the rest as text."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return float((pd.Timestamp(value) - EXCEL_DAY_ZERO) / pd.Timedelta(days=1))
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        return float(value)
    return "" if value is None else str(value)


def column_cells(column: pd.Series) -> list[CellValue]:
    """A DataFrame column as cells, converted as :func:`to_cell` does, a whole column at a time."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return ((column - EXCEL_DAY_ZERO) / pd.Timedelta(days=1)).tolist()
    if pd.api.types.is_numeric_dtype(column):
        return column.astype(np.float64).tolist()
    return [to_cell(value) for value in column]


def table_evaluator(
    render: Callable[[Any, Language], list[list[CellValue]]],
    describe_error: Callable[[ClvError, Language], str] = ClvError.excel_text,
) -> CellEvaluator:
    """Evaluator of a function that computes a table from its raw ranges and spills it.

    ``function.compute`` gets the arguments as Excel hands them; ``render`` turns what
    it returns (a DataFrame, or a result object) into labelled rows in the user's
    language; a :class:`ClvError` becomes the one text ``describe_error`` writes.
    """

    def evaluator(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
        problem = argument_count_text(function, len(raw_arguments), language)
        if problem is not None:
            return problem
        try:
            frame = function.compute(*raw_arguments)
        except ClvError as error:
            return describe_error(error, language)
        return render(frame, language)

    return evaluator
