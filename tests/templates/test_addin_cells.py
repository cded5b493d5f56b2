"""Every add-in cell of every template, evaluated and compared with its native twin.

Checked against: the native Excel formula beside each add-in cell, both evaluated by
the ``formulas`` package (a Python spreadsheet engine) with the clv_xl functions
registered under their Excel names through the same code path the add-in uses
(:func:`clv_xl.cells.evaluate`). No cell is left out: the templates use no syntax the
engine cannot read (no structured references, no ``_xlfn`` functions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import formulas
import numpy as np
import pytest
import schedula
from formulas.functions import wrap_ranges_func
from formulas.tokens.operand import Error, XlError
from template_cells import addin_cells, all_templates, committed_path

from clv_xl import core
from clv_xl.catalogue import FUNCTIONS
from clv_xl.cells import evaluate
from clv_xl.function_spec import ExcelFunction
from clv_xl.templates.calculator import CALCULATOR_SHEET, calculator_workbook
from clv_xl.templates.predictive import STORED_DIGITS
from clv_xl.templates.workbook_spec import ADDIN_MISSING


def _excel_shaped(value: object) -> object:
    """A formulas argument as Excel hands it to the add-in: rows of cells, None for empty."""
    array = np.asarray(value, dtype=object)
    if array.ndim == 0:
        array = array.reshape(1, 1)
    return [[_excel_cell(cell) for cell in row] for row in array.tolist()]


def _excel_cell(cell: object) -> object:
    if cell is schedula.EMPTY or cell == "":
        return None
    if isinstance(cell, XlError):
        return str(cell)  # error cells reach the add-in as their text ("#N/A"), as xlwings' err_to_str does
    return cell


def _as_excel_function(function: ExcelFunction) -> Callable[..., object]:
    def excel_function(*arguments: object) -> object:
        result = evaluate(function, [_excel_shaped(a) for a in arguments], "en")
        if isinstance(result, str):
            return Error.errors["#VALUE!"]  # the add-in's error text, as an error the engine propagates
        if isinstance(result, list):
            return np.asarray(result, dtype=object)
        return result

    return excel_function


@contextmanager
def _registered(make: Callable[[ExcelFunction], Callable[..., object]]) -> Iterator[None]:
    """The clv_xl functions under their Excel names, as ``make`` builds them, for the time of the block."""
    table = formulas.get_functions()
    before = {f.name: table.get(f.name) for f in FUNCTIONS}
    for function in FUNCTIONS:
        table[function.name] = wrap_ranges_func(make(function))
    try:
        yield
    finally:
        for name, previous in before.items():
            if previous is None:
                table.pop(name, None)
            else:
                table[name] = previous


@pytest.fixture(scope="module", autouse=True)
def registered_functions() -> Iterator[None]:
    """The clv_xl functions under their Excel names, for this module only."""
    with _registered(_as_excel_function):
        yield


def _failing_with(code: str) -> Callable[[ExcelFunction], Callable[..., object]]:
    """Functions that give the error ``code``: ``#NAME?`` is what a spreadsheet without the add-in gives."""
    return lambda function: lambda *arguments: Error.errors[code]


def _calculate(path: Path, inputs: dict[str, float] | None = None) -> dict[str, object]:
    """Every cell's value by ``'SHEET'!REF`` (upper case), after the engine's calculation."""
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate(inputs={f"'[{path.name}]{key.upper()}": value for key, value in (inputs or {}).items()})
    values: dict[str, object] = {}
    for key, value in solution.items():
        address = key.split("]", 1)[1] if "]" in key else key
        raw = getattr(value, "value", value)
        values[address.upper()] = np.asarray(raw, dtype=object).ravel()[0] if np.size(raw) else None
    return values


def _cell(values: dict[str, object], sheet: str, ref: str) -> object:
    return values[f"{sheet}'!{ref}".upper()]


_WITH_ADDIN = [
    pytest.param(spec, language, id=f"{language}-{spec.file_name(language)}")
    for spec, language in all_templates()
    if addin_cells(spec, language)
]


@pytest.mark.parametrize(("spec", "language"), _WITH_ADDIN)
def test_every_addin_cell_equals_its_native_twin(spec, language) -> None:  # type: ignore[no-untyped-def]
    path = committed_path(spec, language)
    values = _calculate(path)
    cells = addin_cells(spec, language)
    assert cells
    for cell in cells:
        addin = _cell(values, cell.sheet, cell.ref)
        native = _cell(values, cell.sheet, cell.twin)
        assert isinstance(addin, float | int), f"{cell.sheet}!{cell.ref} {cell.formula} gave {addin!r}"
        assert addin == pytest.approx(native, rel=_tolerance(cell.formula)), f"{cell.sheet}!{cell.ref} {cell.formula}"


@pytest.mark.parametrize(("spec", "language"), _WITH_ADDIN)
def test_without_the_addin_every_addin_cell_says_it_is_needed(spec, language) -> None:  # type: ignore[no-untyped-def]
    # checked against: ADDIN_MISSING, with every clv_xl function giving #NAME? as in a spreadsheet
    # without the add-in; a cell whose formula does not reach the add-in (the lifespan without churn)
    # shows its twin's number
    with _registered(_failing_with("#NAME?")):
        values = _calculate(committed_path(spec, language))
    shown = []
    for cell in addin_cells(spec, language):
        value = _cell(values, cell.sheet, cell.ref)
        assert value == ADDIN_MISSING(language) or value == _cell(values, cell.sheet, cell.twin), (cell, value)
        shown.append(value)
    assert ADDIN_MISSING(language) in shown


def test_an_error_of_the_addin_itself_is_not_hidden_behind_the_notice() -> None:
    # checked against: the error the functions give (#VALUE!); only #NAME? means "no add-in"
    spec = calculator_workbook()
    with _registered(_failing_with("#VALUE!")):
        values = _calculate(committed_path(spec, "en"))
    sheet = CALCULATOR_SHEET("en")
    shown = {cell.ref: _cell(values, sheet, cell.ref) for cell in addin_cells(spec, "en")}
    assert str(shown["B17"]) == "#VALUE!" and ADDIN_MISSING("en") not in map(str, shown.values())


#: Functions whose result is a fitted optimum: the twin is the optimum stored when the
#: template was generated, rounded to STORED_DIGITS significant digits (another scipy or
#: BLAS build reaches the same optimum only to about 1e-7).
_FITTED = ("BGNBD_FIT", "GAMMAGAMMA_FIT", "CLV_PREDICT")


def _tolerance(formula: str) -> float:
    """1e-12 for closed formulas; the stored rounding (half a unit of the last digit kept) for refits."""
    return 10.0 ** (1 - STORED_DIGITS) if any(name in formula.upper() for name in _FITTED) else 1e-12


def test_every_template_with_addin_formulas_is_covered() -> None:
    # the worked examples and the calculator, in both languages
    assert {p.id for p in _WITH_ADDIN} == {
        "en-clv_examples.xlsx",
        "en-clv_calculator.xlsx",
        "it-esempi_clv.xlsx",
        "it-calcolatore_clv.xlsx",
        "en-clv_predictive.xlsx",
        "it-clv_predittivo.xlsx",
    }


@pytest.mark.parametrize("language", ["en", "it"])
def test_calculator_with_churn_and_discounting_matches_the_core(language) -> None:  # type: ignore[no-untyped-def]
    # checked against: clv_xl.core formulas on the same inputs (yearly churn 20 % -> 5 years, 8 % discount)
    spec = calculator_workbook()
    path = committed_path(spec, language)
    sheet = CALCULATOR_SHEET(language)
    inputs = {f"{sheet}'!B8": 0.2, f"{sheet}'!B11": 0.08}
    values = _calculate(path, inputs)
    gross = core.clv(10000.0, 5.0, 0.0, 1.0, 0.4, 0.08)
    assert _cell(values, sheet, "C14") == pytest.approx(5.0)
    assert _cell(values, sheet, "C17") == pytest.approx(gross - 1000.0, rel=1e-12)
    assert _cell(values, sheet, "B17") == pytest.approx(gross - 1000.0, rel=1e-12)
    assert _cell(values, sheet, "C18") == pytest.approx(gross / 1000.0, rel=1e-12)
    for cell in addin_cells(spec, language):
        assert _cell(values, sheet, cell.ref) == pytest.approx(_cell(values, sheet, cell.twin), rel=1e-12)
