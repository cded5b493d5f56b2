"""What each template holds, read back from the committed files with openpyxl.

Checked against: the issue's requirements (named, validated inputs with messages; the
LTV:CAC flag below 3; a native what-if chart; an Excel table with the agreed headers;
the agreed parameter keys) and the documents' examples as data.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from template_cells import committed_path

from clv_xl.examples import DOCUMENT_EXAMPLES, example
from clv_xl.excel_formulas import addin_or_notice
from clv_xl.i18n import Language, Text
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
from clv_xl.templates.workbook_spec import ADDIN_MISSING, Cell
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
    # the add-in call, showing a text instead of #NAME? where the add-in is not loaded
    assert sheet["B11"].value == addin_or_notice("=CLV(B5,B6,B7)", ADDIN_MISSING(language))
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
    # the tornado: one horizontal bar per driver for the first and the last change, read from the table
    # of CLV changes below the what-if table (its rows name the drivers of the what-if table)
    (chart,) = sheet._charts
    assert (chart.tagname, chart.type, chart.overlap) == ("barChart", "bar", 100)
    first, last = 33, 33 + len(DRIVERS) - 1
    assert [s.val.numRef.f for s in chart.series] == [
        f"'{sheet.title}'!$B${first}:$B${last}",
        f"'{sheet.title}'!$C${first}:$C${last}",
    ]
    assert [s.tx.strRef.f for s in chart.series] == [f"'{sheet.title}'!$B$32", f"'{sheet.title}'!$C$32"]
    assert [sheet[f"A{first + i}"].value for i in range(len(DRIVERS))] == [f"=A{23 + i}" for i in range(len(DRIVERS))]
    assert sheet[f"B{first}"].value == "=B23-$C$17" and sheet[f"C{first}"].value == "=F23-$C$17"


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
    assert parameter_keys("it") == (
        "CAC",
        "margine",
        "tasso_attualizzazione",
        "fine_osservazione",
        "valuta",
        "abbandono_annuo",
    )
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


def _is_day_first(number_format: str) -> bool:
    """A date format that shows the day, then the month, then the year (dd/mm/yyyy)."""
    letters = [c for c in number_format.lower() if c in "dmy"]
    first = {kind: letters.index(kind) for kind in "dmy" if kind in letters}
    return set(first) == set("dmy") and first["d"] < first["m"] < first["y"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_date_cell_of_every_workbook_shows_a_date_as_its_readers_write_it(language: Language) -> None:
    # checked against: the Italian way of writing dates (31/01/2024); English files keep 2024-01-31
    from openpyxl.styles.numbers import is_date_format

    from clv_xl.templates import templates

    dated = 0
    for spec in templates():
        workbook = openpyxl.load_workbook(committed_path(spec, language))
        for sheet in workbook:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, date) or is_date_format(cell.number_format):
                        dated += 1
                        where = f"{spec.file_name(language)} {sheet.title}!{cell.coordinate}"
                        assert is_date_format(cell.number_format), where
                        if language == "it":
                            assert _is_day_first(cell.number_format), (where, cell.number_format)
                        else:
                            assert cell.number_format == "yyyy-mm-dd", where
    assert dated > 150  # the sample's orders, the observation end, the empty templates' first rows


def test_the_day_first_check_can_fail() -> None:
    assert _is_day_first("dd/mm/yyyy") and not _is_day_first("yyyy-mm-dd") and not _is_day_first("mm/dd/yyyy")


def _texts(language: Language) -> list[tuple[str, str]]:
    """Every text a reader of the templates meets: cells (not formulas) and data validation messages."""
    from clv_xl.templates import templates

    found = []
    for spec in templates():
        workbook = openpyxl.load_workbook(committed_path(spec, language))
        for sheet in workbook:
            where = f"{spec.file_name(language)} {sheet.title}"
            found.append((where, sheet.title))
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and not cell.value.startswith("="):
                        found.append((f"{where}!{cell.coordinate}", cell.value))
            for rule in sheet.data_validations.dataValidation:
                found += [
                    (f"{where} validation {part} {rule.sqref}", text)
                    for part, text in (("title", rule.promptTitle), ("prompt", rule.prompt), ("error", rule.error))
                ]
    return found


def test_the_italian_templates_use_the_words_an_italian_owner_reads_right() -> None:
    from test_i18n import ISO_DATE, MISREAD

    texts = _texts("it")
    wrong = [(w, p) for w, t in texts for p in MISREAD if re.search(p, t or "", re.IGNORECASE)]
    assert not wrong, wrong
    assert not [(w, t) for w, t in texts if ISO_DATE.search(t or "")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_validation_titles_are_whole_words_that_fit_excel(language: Language) -> None:
    # Excel keeps 32 characters of a title: every title fits as written, and the builder refuses a longer
    # one instead of cutting a word ("ACL: durata media del cliente, a")
    from clv_xl.templates import templates
    from clv_xl.templates.builder import render
    from clv_xl.templates.workbook_spec import Validation

    titles = [text for where, text in _texts(language) if " validation title " in where and text]
    assert len(titles) > 20 and all(len(title) <= 32 for title in titles)
    spec = templates()[1]
    sheet = spec.sheets[1]
    long_title = Validation("decimal", "between", "0", "1", Text("x" * 33, "x" * 33), Text("a", "a"), Text("b", "b"))
    broken = replace(spec, sheets=(replace(sheet, cells=(*sheet.cells, Cell("H1", 1.0, validation=long_title))),))
    with pytest.raises(ValueError, match="longer than 32"):
        render(broken, language)


def test_the_orders_template_accepts_refunds() -> None:
    # the README and the reader count a negative amount as a refund: the validation must let it in
    for language in LANGUAGES:
        sheet = openpyxl.load_workbook(committed_path(transactions_workbook(), language))[TRANSACTIONS_SHEET(language)]
        (amount,) = [v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith("C2")]
        assert (amount.type, amount.operator) == ("decimal", "between")
        assert float(amount.formula1) < -1e6 and float(amount.formula2) > 1e6


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sheet_prints_on_a4_one_page_wide_with_its_header_repeated(language: Language) -> None:
    from clv_xl.templates import templates

    for spec in templates():
        workbook = openpyxl.load_workbook(committed_path(spec, language))
        for sheet in workbook:
            assert int(sheet.page_setup.paperSize) == 9, sheet.title  # 9: A4
            assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        for name in (TRANSACTIONS_SHEET(language), "Clienti" if language == "it" else "Customers"):
            if name in workbook.sheetnames:
                assert workbook[name].print_title_rows == "$1:$1", name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_predictive_customers_read_as_counts_and_percentages(language: Language) -> None:
    from clv_xl.templates.predictive import CUSTOMERS_SHEET, predictive_workbook

    sheet = openpyxl.load_workbook(committed_path(predictive_workbook(), language))[CUSTOMERS_SHEET(language)]
    assert sheet["B2"].number_format == "#,##0"  # repeat purchases: a count, not 0,00
    assert sheet["F2"].number_format == sheet["G2"].number_format == "0%"  # probability alive
    assert sheet.row_dimensions[1].height and sheet.row_dimensions[1].height >= 45  # headers inside their row
    if language == "it":
        assert [sheet[f"{c}1"].value.split(" (")[0] for c in "BCD"] == [
            "Acquisti ripetuti",
            "Settimane dal primo all'ultimo acquisto",
            "Settimane dal primo acquisto",
        ]
