"""The README's whole-column examples on the orders template itself, whose row 1 is the header.

``=APV(C:C)``, ``=REPEAT_RATE(A:A)`` and ``=CLV_SUMMARY(A:A, B:B, C:C, 35, D:D)`` on the
sample orders template (``workbook_templates/*/clv_data_sample.xlsx``,
``dati_clv_esempio.xlsx``). Before, the header in row 1 made APV and CLV_SUMMARY an error
("amount" is not an amount) and REPEAT_RATE silently wrong (the header counted as one
more order of one more customer).

Checked against the ``formulas`` spreadsheet engine's own functions on the same cells of
a copy of the template (AVERAGE, COUNTA, SUM, SUMIF, COUNTIF), with the clv_xl functions
registered through :func:`clv_xl.cells.evaluate` as the add-in calls them, on ranges from
row 1 (the header) down past the data, as a whole column is; the engine takes minutes
over a real ``A:A``, so the whole column of 1,048,576 cells is then handed to the
functions through xlwings' ``call_udf`` as Excel hands it, and must give the same.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import formulas
import numpy as np
import openpyxl
import pytest
import schedula
import xlwings.udfs
from formulas.functions import wrap_ranges_func
from formulas.tokens.operand import Error, XlError
from openpyxl.worksheet.formula import ArrayFormula
from windows_stand_ins import MISSING_ARGUMENT

from clv_xl.catalogue import FUNCTIONS
from clv_xl.cells import evaluate
from clv_xl.function_spec import ExcelFunction
from clv_xl.i18n import Language
from clv_xl.order_ranges import SUMMARY_LABELS
from clv_xl.templates.orders import transactions_workbook
from clv_xl.templates.orders_layout import TRANSACTIONS_SHEET, transaction_headers

TEMPLATES = Path(__file__).resolve().parents[2] / "workbook_templates"
#: Rows of the ranges given to the engine: the header, the data and blank rows below, as in A:A.
DOWN_TO = 2000
EXCEL_ROWS = 1_048_576


def _as_cells(value: object) -> list[list[object]]:
    """An engine range as Excel hands it to the add-in: rows of cells, None when empty, errors as text."""
    array = np.asarray(value, dtype=object)
    rows = array.reshape(1, 1) if array.ndim == 0 else array
    return [
        [None if c is schedula.EMPTY or c == "" else str(c) if isinstance(c, XlError) else c for c in row]
        for row in rows.tolist()
    ]


def _engine_function(function: ExcelFunction) -> object:
    """``function`` as the engine calls it: through :func:`evaluate`, an error text as ``#VALUE!``."""

    def computed(*arguments: object) -> object:
        result = evaluate(function, [_as_cells(a) for a in arguments], "en")
        if isinstance(result, str):
            return Error.errors["#VALUE!"]
        return np.asarray(result, dtype=object) if isinstance(result, list) else result

    return wrap_ranges_func(computed)


@pytest.fixture(scope="module", autouse=True)
def clv_functions_in_the_engine() -> Iterator[None]:
    """The clv_xl functions under their Excel names, for this module only (the table restored after)."""
    with mock.patch.dict(formulas.get_functions(), {f.name: _engine_function(f) for f in FUNCTIONS}):
        yield


def _sample(language: Language) -> Path:
    return TEMPLATES / language / transactions_workbook(sample=True).file_name(language)


def _calculated(path: Path, sheet: str) -> dict[str, np.ndarray]:
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    found: dict[str, np.ndarray] = {}
    for key, value in solution.items():
        if f"]{sheet.upper()}'!" in key.upper():
            found[key.upper().split("!", 1)[1]] = np.asarray(getattr(value, "value", value), dtype=object)
    return found


def _same_cells(found: object, expected: np.ndarray) -> None:
    for row, expected_row in zip(found, expected.tolist(), strict=True):  # type: ignore[call-overload]
        for cell, expected_cell in zip(row, expected_row, strict=True):
            if isinstance(expected_cell, str):
                assert cell == expected_cell
            else:
                assert cell == pytest.approx(float(expected_cell), rel=1e-12)


@pytest.mark.parametrize("language", ["en", "it"])
def test_whole_column_examples_give_the_answers_of_the_data(tmp_path: Path, language: Language) -> None:
    source = _sample(language)
    orders = TRANSACTIONS_SHEET(language)
    data = list(openpyxl.load_workbook(source)[orders].iter_rows(values_only=True))
    header, rows = data[0], [row for row in data[1:] if any(cell is not None for cell in row)]
    assert tuple(header) == transaction_headers(language)  # row 1 is the header
    segments = sorted({row[3] for row in rows})
    path = tmp_path / source.name
    shutil.copy(source, path)
    book = openpyxl.load_workbook(path)
    check = book.create_sheet("Check")
    column = {letter: f"'{orders}'!{letter}1:{letter}{DOWN_TO}" for letter in "ABCD"}
    check["A1"], check["B1"] = f"=APV({column['C']})", f"=AVERAGE({column['C']})"
    check["A2"], check["B2"] = f"=REPEAT_RATE({column['A']})", f"=COUNTA({column['A']})-1"
    check["B3"] = f"=SUM({column['C']})"
    for index, segment in enumerate(segments):
        check.cell(4, 2 + index, f'=SUMIF({column["D"]},"{segment}",{column["C"]})')
        check.cell(5, 2 + index, f'=COUNTIF({column["D"]},"{segment}")')
    summary = f"=CLV_SUMMARY({column['A']},{column['B']},{column['C']},35,{column['D']})"
    last_row = 10 + len(SUMMARY_LABELS)  # a heading row, then one row per figure
    check["A10"] = ArrayFormula(f"A10:{chr(ord('A') + len(segments) + 1)}{last_row}", summary)
    book.save(path)
    values = _calculated(path, "Check")
    number = {key: float(value.item()) for key, value in values.items() if value.size == 1}
    distinct = len({row[0] for row in rows})

    assert number["A1"] == pytest.approx(number["B1"], rel=1e-12)  # APV = AVERAGE of the amounts
    assert number["B2"] == len(rows)
    assert number["A2"] == pytest.approx(len(rows) / distinct, rel=1e-12)
    spilled = next(value for key, value in values.items() if key.startswith("A10"))
    line = {label: position for position, label in enumerate(spilled[:, 0])}
    assert list(spilled[0, 1:-1]) == segments
    assert spilled[line["customers"], -1] == distinct
    assert spilled[line["purchases"], -1] == len(rows)
    assert float(spilled[line["revenue"], -1]) == pytest.approx(number["B3"])
    for index in range(len(segments)):
        assert float(spilled[line["revenue"], 1 + index]) == pytest.approx(number[f"{chr(ord('B') + index)}4"])
        assert spilled[line["purchases"], 1 + index] == number[f"{chr(ord('B') + index)}5"]

    if language == "en":
        return  # the whole column below takes seconds: once, with the Italian headers, is enough
    # the same cells as Excel hands a whole column (A:A) to the add-in: 1,048,576 rows
    blank = ((None,),) * (EXCEL_ROWS - len(rows) - 1)
    whole = [tuple((row[i],) for row in [header, *rows]) + blank for i in range(4)]
    assert _udf("APV", whole[2], MISSING_ARGUMENT) == [[pytest.approx(number["A1"], rel=1e-12)]]
    assert _udf("REPEAT_RATE", whole[0], MISSING_ARGUMENT) == [[number["A2"]]]
    _same_cells(_udf("CLV_SUMMARY", whole[0], whole[1], whole[2], 35.0, whole[3]), spilled)


def _udf(name: str, *arguments: object) -> object:
    return xlwings.udfs.call_udf("clv_xl.udfs", name, arguments, None, None)
