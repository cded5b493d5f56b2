"""What each template holds, read back from the committed files with openpyxl.

Checked against: the issue's requirements (named, validated inputs with messages; the
LTV:CAC flag below 3; a native what-if chart; an Excel table with the agreed headers;
the agreed parameter keys) and the documents' examples as data.
"""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from template_cells import committed_path

from clv_xl.examples import DOCUMENT_EXAMPLES, example
from clv_xl.i18n import Language
from clv_xl.templates.builder import EURO_FORMAT
from clv_xl.templates.calculator import CALCULATOR_SHEET, DRIVERS, INPUTS, calculator_workbook
from clv_xl.templates.orders import OBSERVATION_END, OBSERVATION_START, sample_orders, transactions_workbook
from clv_xl.templates.orders_layout import (
    PARAMETERS_SHEET,
    TRANSACTIONS_SHEET,
    TRANSACTIONS_TABLE,
    parameter_keys,
    transaction_headers,
)
from clv_xl.templates.worked_examples import EXAMPLE_SHEETS, worked_examples_workbook

LANGUAGES: tuple[Language, ...] = ("en", "it")


def test_linked_steps_of_document_002_use_the_results_they_name() -> None:
    # the chain of document 002's method: each linked argument equals the earlier step's figure
    linked = [(e, i, e.source_of(i)) for e in DOCUMENT_EXAMPLES for i in range(len(e.arguments)) if e.source_of(i)]
    assert len(linked) == 4
    for item, index, source in linked:
        assert item.arguments[index] == example(source).expected  # type: ignore[arg-type]


def test_every_document_example_has_a_sheet() -> None:
    shown = [key for sheet in EXAMPLE_SHEETS for key in sheet.keys]
    assert sorted(shown) == sorted(e.key for e in DOCUMENT_EXAMPLES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_worked_example_1_uses_the_addin_beside_a_native_formula(language: Language) -> None:
    sheet = openpyxl.load_workbook(committed_path(worked_examples_workbook(), language))[
        EXAMPLE_SHEETS[0].name(language)
    ]
    assert [sheet[r].value for r in ("B5", "B6", "B7")] == [10000, 3, 1000]
    assert sheet["B11"].value == "=CLV(B5,B6,B7)"
    assert sheet["C11"].value == "=B5*B6-B7"
    assert sheet["D11"].value == 29000
    assert sheet["C11"].number_format == EURO_FORMAT
    assert sheet["E11"].value.startswith("=IF(ISNUMBER(B11)")


@pytest.mark.parametrize("language", LANGUAGES)
def test_calculator_inputs_are_named_validated_and_explained(language: Language) -> None:
    workbook = openpyxl.load_workbook(committed_path(calculator_workbook(), language))
    sheet = workbook[CALCULATOR_SHEET(language)]
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    for item in INPUTS:
        name = workbook.defined_names[item.name]
        ((sheet_title, ref),) = list(name.destinations)
        assert sheet_title == sheet.title
        cell = ref.replace("$", "")
        rule = validations[cell]
        assert rule.prompt == item.help(language) and rule.showInputMessage
        assert rule.error and rule.showErrorMessage
        if item.style == "input_rate":
            assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("decimal", "between", "0", "1")
        else:
            assert (rule.type, rule.operator, rule.formula1) == ("decimal", "greaterThanOrEqual", "0")


@pytest.mark.parametrize("language", LANGUAGES)
def test_calculator_flags_ltv_cac_below_3_and_charts_the_what_if(language: Language) -> None:
    sheet = openpyxl.load_workbook(committed_path(calculator_workbook(), language))[CALCULATOR_SHEET(language)]
    assert sheet["A18"].value == "LTV:CAC"
    rules = [(str(cf.sqref), rule) for cf in sheet.conditional_formatting for rule in cf.rules]
    assert [(ref, rule.type, rule.formula) for ref, rule in rules] == [
        ("B18:C18", "expression", ["AND(ISNUMBER(B18),B18<3)"])
    ]
    assert [sheet[f"{c}22"].value for c in "BCDEF"] == [-0.2, -0.1, 0, 0.1, 0.2]
    assert [sheet[f"A{23 + i}"].value for i in range(len(DRIVERS))] == [d.label(language) for d in DRIVERS]
    (chart,) = sheet._charts
    assert len(chart.series) == len(DRIVERS)
    assert chart.series[0].val.numRef.f == f"'{sheet.title}'!$B$23:$F$23"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sample", [False, True], ids=["empty", "sample"])
def test_transactions_workbook_follows_the_shared_layout(language: Language, sample: bool) -> None:
    # checked against: the names in clv_xl.templates.orders_layout, which the transactions reader uses
    workbook = openpyxl.load_workbook(committed_path(transactions_workbook(sample), language))
    sheet = workbook[TRANSACTIONS_SHEET(language)]
    assert tuple(c.value for c in sheet[1]) == transaction_headers(language)
    table = sheet.tables[TRANSACTIONS_TABLE(language)]
    rows = len(sample_orders()) if sample else 1
    assert table.ref == f"A1:D{rows + 1}"
    assert [c.name for c in table.tableColumns] == list(transaction_headers(language))
    kinds = {str(v.sqref).split(":")[0]: v.type for v in sheet.data_validations.dataValidation}
    assert kinds == {"A2": "textLength", "B2": "date", "C2": "decimal", "D2": "textLength"}
    parameters = workbook[PARAMETERS_SHEET(language)]
    keys = [parameters[f"A{row}"].value for row in range(2, 8)]
    assert keys == list(parameter_keys(language))
    # nothing but key and value on a parameter row (a reader may take the next filled cell as the value)
    assert all(parameters.cell(row, column).value is None for row in range(2, 8) for column in range(3, 6))
    prompts = [v.prompt for v in parameters.data_validations.dataValidation]
    assert len(prompts) == 6 and all(prompts)


def test_parameter_keys_are_the_agreed_ones() -> None:
    # the keys and names the transactions reader was given
    assert parameter_keys("en") == ("cac", "margin", "discount_rate", "observation_end", "currency", "annual_churn")
    assert parameter_keys("it") == ("CAC", "margine", "tasso_sconto", "fine_osservazione", "valuta", "abbandono_annuo")
    assert transaction_headers("en") == ("customer_id", "date", "amount", "segment")
    assert transaction_headers("it") == ("id_cliente", "data", "importo", "segmento")
    assert (PARAMETERS_SHEET.en, PARAMETERS_SHEET.it) == ("Parameters", "Parametri")


def test_sample_orders_are_fixed_and_plausible() -> None:
    # fixed seed: the same orders every time; 40 customers in 3 segments over two years
    orders = sample_orders()
    assert orders == sample_orders()
    assert orders != sample_orders(seed=1)
    assert len({o.customer_id for o in orders}) == 40
    assert len({o.segment.en for o in orders}) == 3
    assert all(OBSERVATION_START <= o.date <= OBSERVATION_END for o in orders)
    assert min(o.date for o in orders) < date(2024, 3, 1) and max(o.date for o in orders) > date(2025, 10, 1)
    assert all(o.amount > 0 for o in orders)
    repeaters = {o.customer_id for o in orders} - {
        o.customer_id for o in orders if [p.customer_id for p in orders].count(o.customer_id) == 1
    }
    assert len(repeaters) >= 20  # most customers buy again: the report's models need repeat purchases
    assert [o.date for o in orders] == sorted(o.date for o in orders)
