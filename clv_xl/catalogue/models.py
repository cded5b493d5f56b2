"""Catalogue entries of the predictive models (BG/NBD and Gamma-Gamma).

The fit functions read whole columns of customers and spill a labelled table of
parameters; the prediction functions take that table (a range) as their first
argument and compute element-wise on the customer ranges, like every other function.
Both need their own evaluators, defined here on top of :mod:`clv_xl.cells`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING

# imported as a module: clv_xl.cells imports the catalogue, which imports this module
from clv_xl import cells
from clv_xl.catalogue.spec import CellEvaluator, ExcelFunction, Text, argument
from clv_xl.core.checks import FloatArray
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import Language, message
from clv_xl.models import (
    BgNbdParams,
    GammaGammaParams,
    expected_average_spend,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    probability_alive,
)

if TYPE_CHECKING:
    from clv_xl.cells import CellResult

__all__ = ["MODEL_FUNCTIONS", "parameter_table", "read_parameters"]

_LOG_LIKELIHOOD = Text("log-likelihood", "log-verosimiglianza")
_CUSTOMERS = Text("customers", "clienti")
_BGNBD_NAMES = ("r", "alpha", "a", "b")
_GAMMA_GAMMA_NAMES = ("p", "q", "gamma")
_SYMBOLS = {"α": "alpha", "γ": "gamma"}


def parameter_table(params: BgNbdParams | GammaGammaParams, language: Language) -> list[list[float | str]]:
    """The labelled table a fit function spills: one row per parameter, then LL and customers."""
    names = _BGNBD_NAMES if isinstance(params, BgNbdParams) else _GAMMA_GAMMA_NAMES
    rows: list[list[float | str]] = [[name, float(getattr(params, name))] for name in names]
    rows.append([_LOG_LIKELIHOOD(language), params.log_likelihood])
    rows.append([_CUSTOMERS(language), float(params.customers)])
    return rows


def _is_number(cell: object) -> bool:
    return isinstance(cell, numbers.Real) and not isinstance(cell, bool)


def read_parameters(raw: object, names: Sequence[str], *, argument: str, function: str) -> dict[str, float]:
    """Model parameters from a range, as spilled by a fit function or typed by hand.

    Accepted: a labelled table (each name in a cell with its value to the right or
    below, any order, other rows ignored), or just the numbers in the order of
    ``names`` (in a row or a column; extra numbers after them are ignored).

    Raises
    ------
    ClvError
        The code of an error text found in the range (a failed fit), else
        ``#VALUE!`` when the parameters cannot be found.
    """
    rows = cells.to_rows(raw)
    flat = list(chain.from_iterable(rows))
    for cell in flat:
        if isinstance(cell, str) and cell.strip().startswith("#"):
            code = ExcelErrorCode.from_text(cell.strip().split(" ", 1)[0]) or ExcelErrorCode.VALUE
            raise ClvError(code, "cell_error", argument=argument, value=cell.strip())
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
        if len(values) >= len(names):
            found = dict(zip(names, values, strict=True))
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


def _bgnbd_from_range(raw: object) -> BgNbdParams:
    values = read_parameters(raw, _BGNBD_NAMES, argument="params", function="BGNBD_FIT")
    return BgNbdParams(r=values["r"], alpha=values["alpha"], a=values["a"], b=values["b"])


def _gamma_gamma_from_range(raw: object) -> GammaGammaParams:
    values = read_parameters(raw, _GAMMA_GAMMA_NAMES, argument="gg_params", function="GAMMAGAMMA_FIT")
    return GammaGammaParams(p=values["p"], q=values["q"], gamma=values["gamma"])


def _argument_count_text(function: ExcelFunction, given: int, language: Language) -> str | None:
    required = sum(1 for a in function.arguments if not a.optional)
    if required <= given <= len(function.arguments):
        return None
    text = message("argument_count", language, function=function.name, expected=len(function.arguments), given=given)
    return f"{ExcelErrorCode.VALUE.localised(language)} {text}"


def _with_parameters(reader: Callable[[object], BgNbdParams | GammaGammaParams]) -> CellEvaluator:
    """Evaluator: read the first argument as fitted parameters, the others element-wise."""

    def evaluator(function: ExcelFunction, raw_arguments: Sequence[object], language: Language) -> CellResult:
        problem = _argument_count_text(function, len(raw_arguments), language)
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
    problem = _argument_count_text(function, len(raw_arguments), language)
    if problem is not None:
        return problem
    *customer_arguments, penalizer_argument = function.arguments
    flat = [list(chain.from_iterable(cells.to_rows(raw))) for raw in raw_arguments[: len(customer_arguments)]]
    sizes = {len(column) for column in flat}
    if len(sizes) != 1:
        described = ", ".join(f"{a.name} {len(c)}" for a, c in zip(customer_arguments, flat, strict=True))
        text = message("model_customer_ranges", language, sizes=described)
        return f"{ExcelErrorCode.VALUE.localised(language)} {text}"
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


def _fit_evaluator(fit: Callable[..., BgNbdParams | GammaGammaParams]) -> CellEvaluator:
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
        return parameter_table(params, language)  # type: ignore[return-value]

    return evaluator


def _purchases(
    params: BgNbdParams, horizon: FloatArray, frequency: FloatArray, recency: FloatArray, T: FloatArray
) -> float | FloatArray:  # noqa: N803
    return expected_purchases(params, horizon, frequency, recency, T)


def _spend(gg_params: GammaGammaParams, frequency: FloatArray, monetary_value: FloatArray) -> float | FloatArray:
    return expected_average_spend(gg_params, frequency, monetary_value)


_FREQUENCY = argument(
    "frequency",
    "Repeat purchases of each customer in the calibration period (all purchases minus the first).",
    "Acquisti ripetuti di ogni cliente nel periodo di stima (tutti gli acquisti meno il primo).",
)
_RECENCY = argument(
    "recency",
    "Time from each customer's first to last purchase, in periods (0 without repeat purchases).",
    "Tempo dal primo all'ultimo acquisto di ogni cliente, in periodi (0 senza acquisti ripetuti).",
)
_AGE = argument(
    "T",
    "Time from each customer's first purchase to the end of the calibration period, in the same periods.",
    "Tempo dal primo acquisto di ogni cliente alla fine del periodo di stima, negli stessi periodi.",
)
_MONETARY = argument(
    "monetary_value",
    "Average value of each customer's repeat purchases, € (the first purchase left out).",
    "Valore medio degli acquisti ripetuti di ogni cliente, € (escluso il primo acquisto).",
)
_PENALIZER = argument(
    "penalizer",
    "L2 penalty that stabilises small data sets, e.g. 0.01. Default 0 (plain maximum likelihood).",
    "Penalità L2 che stabilizza dati scarsi, es. 0,01. Predefinito 0 (massima verosimiglianza).",
    0.0,
)
_PARAMS = argument(
    "params",
    "The BG/NBD parameters: the range spilled by BGNBD_FIT (labels r, alpha, a, b), or r, alpha, a, b in order.",
    "I parametri BG/NBD: l'intervallo restituito da BGNBD_FIT (etichette r, alpha, a, b), o r, alpha, a, b in ordine.",
)
_GG_PARAMS = argument(
    "gg_params",
    "The Gamma-Gamma parameters: the range spilled by GAMMAGAMMA_FIT (labels p, q, gamma), or p, q, gamma in order.",
    "I parametri Gamma-Gamma: l'intervallo restituito da GAMMAGAMMA_FIT (etichette p, q, gamma), o p, q, gamma.",
)
_BGNBD_SOURCE = Text(
    'Fader, Hardie and Lee (2005), "Counting your customers the easy way", Marketing Science 24(2).',
    'Fader, Hardie e Lee (2005), "Counting your customers the easy way", Marketing Science 24(2).',
)
_GAMMA_GAMMA_SOURCE = Text(
    'Fader and Hardie, "The Gamma-Gamma model of monetary value" (note 025, 2013).',
    'Fader e Hardie, "The Gamma-Gamma model of monetary value" (nota 025, 2013).',
)
_TIME_UNITS = Text(
    "recency, T and the horizon must be in the period the model was fitted in (e.g. weeks).",
    "recency, T e l'orizzonte devono essere nel periodo usato per la stima (es. settimane).",
)

MODEL_FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="BGNBD_FIT",
        compute=fit_bgnbd,
        arguments=(_FREQUENCY, _RECENCY, _AGE, _PENALIZER),
        summary=Text(
            "Fits the BG/NBD purchase model; spills r, alpha, a, b, the log-likelihood and the customers.",
            "Stima il modello di acquisto BG/NBD; restituisce r, alpha, a, b, la log-verosimiglianza e i clienti.",
        ),
        formula="max Σ ln L(r, α, a, b | x, t_x, T)",
        source=_BGNBD_SOURCE,
        extra_help=Text(
            "One row per customer; empty rows are skipped. On the CDNOW sample (weeks): "
            "r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood −9582.4.",
            "Una riga per cliente; le righe vuote sono ignorate. Sul campione CDNOW (settimane): "
            "r = 0,243, alpha = 4,414, a = 0,793, b = 2,426, log-verosimiglianza −9582,4.",
        ),
        evaluator=_fit_evaluator(fit_bgnbd),
    ),
    ExcelFunction(
        name="GAMMAGAMMA_FIT",
        compute=fit_gamma_gamma,
        arguments=(_FREQUENCY, _MONETARY, _PENALIZER),
        summary=Text(
            "Fits the Gamma-Gamma spend model on the customers with repeat purchases; spills p, q, gamma, "
            "the log-likelihood and the customers fitted.",
            "Stima il modello di spesa Gamma-Gamma sui clienti con acquisti ripetuti; restituisce p, q, gamma, "
            "la log-verosimiglianza e i clienti usati.",
        ),
        formula="max Σ_{x>0} ln L(p, q, γ | x, m)",
        source=_GAMMA_GAMMA_SOURCE,
        extra_help=Text(
            "Assumes spend does not depend on purchase frequency. On the CDNOW sample: p = 6.25, q = 3.74, "
            "gamma = 15.44 (946 repeat customers).",
            "Presuppone che la spesa non dipenda dalla frequenza di acquisto. Sul campione CDNOW: p = 6,25, "
            "q = 3,74, gamma = 15,44 (946 clienti ripetuti).",
        ),
        evaluator=_fit_evaluator(fit_gamma_gamma),
    ),
    ExcelFunction(
        name="PURCHASES_EXPECTED",
        compute=_purchases,
        arguments=(
            _PARAMS,
            argument(
                "horizon",
                "Number of future periods, in the time unit of recency and T (e.g. 39 weeks).",
                "Numero di periodi futuri, nell'unità di recency e T (es. 39 settimane).",
            ),
            _FREQUENCY,
            _RECENCY,
            _AGE,
        ),
        summary=Text(
            "Expected purchases of each customer in the next horizon periods (BG/NBD).",
            "Acquisti attesi di ogni cliente nei prossimi periodi dell'orizzonte (BG/NBD).",
        ),
        formula="E[Y(t) | x, t_x, T], Fader, Hardie, Lee (2005) (10)",
        source=_BGNBD_SOURCE,
        extra_help=Text(
            _TIME_UNITS.en + " CDNOW: frequency 2, recency 30.43, T 38.86, horizon 39 gives 1.226.",
            _TIME_UNITS.it + " CDNOW: frequency 2, recency 30,43, T 38,86, orizzonte 39 dà 1,226.",
        ),
        evaluator=_with_parameters(_bgnbd_from_range),
    ),
    ExcelFunction(
        name="P_ALIVE",
        compute=probability_alive,
        arguments=(_PARAMS, _FREQUENCY, _RECENCY, _AGE),
        summary=Text(
            "Probability that each customer is still active (BG/NBD).",
            "Probabilità che ogni cliente sia ancora attivo (BG/NBD).",
        ),
        formula="P(alive) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))",
        source=_BGNBD_SOURCE,
        extra_help=Text(
            _TIME_UNITS.en + " A customer without repeat purchases counts as active.",
            _TIME_UNITS.it + " Un cliente senza acquisti ripetuti è considerato attivo.",
        ),
        evaluator=_with_parameters(_bgnbd_from_range),
    ),
    ExcelFunction(
        name="SPEND_EXPECTED",
        compute=_spend,
        arguments=(_GG_PARAMS, _FREQUENCY, _MONETARY),
        summary=Text(
            "Expected value of each customer's future purchases, € per purchase (Gamma-Gamma).",
            "Valore atteso dei futuri acquisti di ogni cliente, € per acquisto (Gamma-Gamma).",
        ),
        formula="E[M | x, m] = (p·γ + p·x·m) / (p·x + q − 1)",
        source=_GAMMA_GAMMA_SOURCE,
        extra_help=Text(
            "A customer without repeat purchases gets the average of all customers, p·γ/(q−1).",
            "Un cliente senza acquisti ripetuti riceve la media di tutti i clienti, p·γ/(q−1).",
        ),
        evaluator=_with_parameters(_gamma_gamma_from_range),
    ),
)
