"""Fitted model parameters and customer columns given as Excel ranges.

The machinery behind the model functions of the catalogue
(:mod:`clv_xl.catalogue.model_functions`): the fit functions read whole columns of
customers and spill a labelled table of parameters (:func:`fit_evaluator`); the
prediction functions take that table (a range) as their first argument and compute
element-wise on the customer ranges, like every other function (:func:`with_parameters`).

The table of a purchase model's fit (BGNBD_FIT, MBGNBD_FIT, PARETO_NBD_FIT) ends with
a row naming the model, so that P_ALIVE and PURCHASES_EXPECTED know which model the
parameters belong to (:func:`purchase_params_from_range`); a range without it (four
numbers typed by hand) is read as BG/NBD, or as Pareto/NBD when labelled s and beta.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from itertools import chain

from clv_xl import cells
from clv_xl.core.checks import FloatArray
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.function_spec import CellEvaluator, CellResult, ExcelFunction
from clv_xl.i18n import Language, Text, message
from clv_xl.models import (
    PURCHASE_MODELS,
    GammaGammaParams,
    PurchaseParams,
    expected_average_spend,
    expected_purchases,
)
from clv_xl.models.purchase_models import ModelKey, model_key, purchase_model

__all__ = [
    "FIT_FUNCTIONS",
    "MODEL_LABEL",
    "fit_evaluator",
    "gamma_gamma_from_range",
    "parameter_table",
    "purchase_params_from_range",
    "purchases_of_params",
    "read_parameters",
    "spend_of_params",
    "with_parameters",
]

_LOG_LIKELIHOOD = Text("log-likelihood", "log-verosimiglianza")
_CUSTOMERS = Text("customers", "clienti")
#: Label of the row that names the model in a fit's table.
MODEL_LABEL = Text("model", "modello")
_GAMMA_GAMMA_NAMES = ("p", "q", "gamma")
_SYMBOLS = {"α": "alpha", "γ": "gamma", "β": "beta"}
#: The Excel function that fits each purchase model.
FIT_FUNCTIONS: dict[ModelKey, str] = {"bgnbd": "BGNBD_FIT", "mbgnbd": "MBGNBD_FIT", "pareto": "PARETO_NBD_FIT"}


def parameter_table(params: PurchaseParams | GammaGammaParams, language: Language) -> list[list[float | str]]:
    """The labelled table a fit function spills.

    One row per parameter, then the log-likelihood and the customers; a purchase
    model's table ends with the model's name (``model | Pareto/NBD``).
    """
    names = _GAMMA_GAMMA_NAMES if isinstance(params, GammaGammaParams) else purchase_model(params).parameter_names
    rows: list[list[float | str]] = [[name, float(getattr(params, name))] for name in names]
    rows.append([_LOG_LIKELIHOOD(language), params.log_likelihood])
    rows.append([_CUSTOMERS(language), float(params.customers)])
    if not isinstance(params, GammaGammaParams):
        rows.append([MODEL_LABEL(language), purchase_model(params).name])
    return rows


def _is_number(cell: object) -> bool:
    return isinstance(cell, numbers.Real) and not isinstance(cell, bool)


def _raise_error_cell(flat: Sequence[object], argument: str) -> None:
    """An error text in the range (a failed fit) becomes the error of the argument, with its code."""
    for cell in flat:
        if isinstance(cell, str) and cell.strip().startswith("#"):
            code = ExcelErrorCode.from_text(cell.strip().split(" ", 1)[0]) or ExcelErrorCode.VALUE
            raise ClvError(code, "cell_error", argument=argument, value=cell.strip())


def read_parameters(raw: object, names: Sequence[str], *, argument: str, function: str) -> dict[str, float]:
    """Model parameters from a range, as spilled by a fit function or typed by hand.

    Accepted: a labelled table (each name in a cell with its value to the right or
    below, any order, other rows ignored), or just the numbers in the order of
    ``names`` (in a row or a column), exactly as many as ``names``: the values of a
    fit's table without their labels (the log-likelihood and the customers after the
    parameters) are refused, not guessed at.

    Raises
    ------
    ClvError
        The code of an error text found in the range (a failed fit), else
        ``#VALUE!`` when the parameters cannot be found (``model_parameters_range``)
        or unlabelled numbers are not as many as ``names`` (``model_parameters_count``).
    """
    rows = cells.to_rows(raw)
    flat = list(chain.from_iterable(rows))
    _raise_error_cell(flat, argument)
    found: dict[str, float] = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if not isinstance(cell, str):
                continue
            name = _SYMBOLS.get(cell.strip(), cell.strip().lower())
            if name not in names:
                continue
            right = row[j + 1] if j + 1 < len(row) else None
            below = rows[i + 1][j] if i + 1 < len(rows) and j < len(rows[i + 1]) else None
            value = right if _is_number(right) else below
            if _is_number(value):
                found[name] = float(value)  # type: ignore[arg-type]
    if not found:
        values = [float(cell) for cell in flat if _is_number(cell)]  # type: ignore[arg-type]
        if len(values) == len(names):
            found = dict(zip(names, values, strict=True))
        elif values:
            raise ClvError(
                ExcelErrorCode.VALUE,
                "model_parameters_count",
                argument=argument,
                names=", ".join(names),
                function=function,
                expected=len(names),
                count=len(values),
            )
    if set(found) != set(names):
        shown = ", ".join(f"{k} = {v:g}" for k, v in found.items()) or "-"
        raise ClvError(
            ExcelErrorCode.VALUE,
            "model_parameters_range",
            argument=argument,
            names=", ".join(names),
            function=function,
            found=shown,
        )
    return found


def _model_of_range(rows: Sequence[Sequence[object]]) -> ModelKey:
    """The model of a range of parameters: a cell naming it, else Pareto/NBD if labelled s and beta, else BG/NBD.

    Raises
    ------
    ClvError
        ``#VALUE!`` when the row labelled "model" names no known model.
    """
    texts = [cell.strip() for cell in chain.from_iterable(rows) if isinstance(cell, str)]
    for text in texts:
        key = model_key(text)
        if key is not None:
            return key
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and cell.strip().lower() in (MODEL_LABEL.en, MODEL_LABEL.it):
                right = row[j + 1] if j + 1 < len(row) else None
                below = rows[i + 1][j] if i + 1 < len(rows) and j < len(rows[i + 1]) else None
                shown = right if right not in (None, "") else below
                if shown not in (None, ""):
                    raise ClvError(ExcelErrorCode.VALUE, "model_range_unknown", argument="params", value=shown)
    labels = {_SYMBOLS.get(text, text.lower()) for text in texts}
    return "pareto" if {"s", "beta"} <= labels else "bgnbd"


def purchase_params_from_range(raw: object) -> PurchaseParams:
    """A purchase model's parameters from the range of a ``params`` argument.

    The model is the one the range names (the last row of a fit's table), else
    Pareto/NBD when the range is labelled s and beta, else BG/NBD (four numbers in
    order: r, alpha, a, b); the values are read by :func:`read_parameters`.
    """
    rows = cells.to_rows(raw)
    _raise_error_cell(list(chain.from_iterable(rows)), "params")
    key = _model_of_range(rows)
    model = PURCHASE_MODELS[key]
    values = read_parameters(raw, model.parameter_names, argument="params", function=FIT_FUNCTIONS[key])
    return model.params_type(*(values[name] for name in model.parameter_names))


def gamma_gamma_from_range(raw: object) -> GammaGammaParams:
    """Gamma-Gamma parameters from the range of a ``gg_params`` argument (see :func:`read_parameters`)."""
    values = read_parameters(raw, _GAMMA_GAMMA_NAMES, argument="gg_params", function="GAMMAGAMMA_FIT")
    return GammaGammaParams(p=values["p"], q=values["q"], gamma=values["gamma"])


def with_parameters(reader: Callable[[object], PurchaseParams | GammaGammaParams]) -> CellEvaluator:
    """Evaluator: read the first argument as fitted parameters, the others element-wise."""

    def evaluator(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
        problem = cells.argument_count_text(function, len(raw_arguments), language)
        if problem is not None:
            return problem
        try:
            params = reader(raw_arguments[0])
        except ClvError as error:
            return error.excel_text(language)
        element_wise = replace(
            function, compute=partial(function.compute, params), arguments=function.arguments[1:], evaluator=None
        )
        return cells.evaluate(element_wise, raw_arguments[1:], language)

    return evaluator


def _customer_columns(
    function: ExcelFunction, raw_arguments: Sequence[object], language: Language
) -> tuple[list[FloatArray], float] | str:
    """The customer ranges of a fit as flat columns, and the penalizer; or the error text.

    The last argument is the optional penalizer. Rows where every customer cell is
    empty are skipped (a column selected beyond the data); any other bad cell makes
    the fit fail with its text and its row.
    """
    problem = cells.argument_count_text(function, len(raw_arguments), language)
    if problem is not None:
        return problem
    *customer_arguments, penalizer_argument = function.arguments
    flat = [list(chain.from_iterable(cells.to_rows(raw))) for raw in raw_arguments[: len(customer_arguments)]]
    sizes = {len(column) for column in flat}
    if len(sizes) != 1:
        described = ", ".join(f"{a.name} {len(c)}" for a, c in zip(customer_arguments, flat, strict=True))
        return cells.value_error_text("model_customer_ranges", language, sizes=described)
    filled = [i for i, row in enumerate(zip(*flat, strict=True)) if any(c is not None and c != "" for c in row)]
    columns: list[FloatArray] = []
    for customer_argument, column in zip(customer_arguments, flat, strict=True):
        values, texts = cells.read_numbers(customer_argument, [[column[i]] for i in filled] or [[None]], language)
        bad = [position for position, text in enumerate(texts.ravel()) if text is not None]
        if bad:
            row = filled[bad[0]] + 1 if filled else 1
            return message("model_cell_row", language, text=texts.ravel()[bad[0]], row=row)
        columns.append(values.ravel())
    raw_penalizer = raw_arguments[len(customer_arguments)] if len(raw_arguments) > len(customer_arguments) else None
    penalizer, texts = cells.read_numbers(penalizer_argument, raw_penalizer, language)
    if texts.ravel()[0] is not None:
        return str(texts.ravel()[0])
    return columns, float(penalizer.ravel()[0])


def fit_evaluator(fit: Callable[..., PurchaseParams | GammaGammaParams]) -> CellEvaluator:
    """Evaluator: fit a model on customer columns and spill the labelled parameter table."""

    def evaluator(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
        read = _customer_columns(function, raw_arguments, language)
        if isinstance(read, str):
            return read
        columns, penalizer = read
        try:
            params = fit(*columns, penalizer=penalizer)
        except ClvError as error:
            return error.excel_text(language)
        return parameter_table(params, language)

    return evaluator


def purchases_of_params(
    params: PurchaseParams,
    horizon: FloatArray,
    frequency: FloatArray,
    recency: FloatArray,
    T: FloatArray,  # noqa: N803
) -> float | FloatArray:
    """PURCHASES_EXPECTED's computation, with the argument names Excel shows."""
    return expected_purchases(params, horizon, frequency, recency, T)


def spend_of_params(
    gg_params: GammaGammaParams, frequency: FloatArray, monetary_value: FloatArray
) -> float | FloatArray:
    """SPEND_EXPECTED's computation, with the argument names Excel shows."""
    return expected_average_spend(gg_params, frequency, monetary_value)
