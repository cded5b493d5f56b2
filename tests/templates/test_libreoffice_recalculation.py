"""The templates as a user without the add-in sees them: recalculated by LibreOffice.

Checked against: the documents' figures (29000 €, 38000 € of document 000 and the
other worked examples in :data:`clv_xl.examples.DOCUMENT_EXAMPLES`) and, for the
calculator, :mod:`clv_xl.core` on the same inputs. LibreOffice recalculates every
formula on load (isolated profile, ``OOXMLRecalcMode`` 0); it does not know the add-in's
functions, so every add-in cell must show the text that says the add-in is needed
(:data:`~clv_xl.templates.workbook_spec.ADDIN_MISSING`, not ``#NAME?``), and every
other cell must be free of errors.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from libreoffice import convert
from template_cells import addin_cells, all_templates, committed_path

from clv_xl import core
from clv_xl.examples import example
from clv_xl.i18n import Language
from clv_xl.templates.calculator import CALCULATOR_SHEET, CHANGES, DRIVERS, calculator_workbook
from clv_xl.templates.orders import SAMPLE_PARAMETERS, sample_orders, transactions_workbook
from clv_xl.templates.orders_layout import PARAMETERS_SHEET, TRANSACTIONS_SHEET, parameter_keys
from clv_xl.templates.workbook_spec import ADDIN_MISSING
from clv_xl.templates.worked_examples import EXAMPLE_SHEETS, worked_examples_workbook

pytestmark = pytest.mark.libreoffice

#: A calculator variant: yearly churn 20 % (lifespan 5 years) and an 8 % discount rate.
_VARIANT_INPUTS = {"B8": 0.2, "B11": 0.08}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, openpyxl.Workbook]:
    """Every committed template plus calculator variants, recalculated by one soffice call per language.

    The Italian files are recalculated by a LibreOffice with an Italian profile (``it-IT``:
    decimal comma, day-first dates), as an Italian user opens them. Keyed by file name
    (variants: ``variant-<language>.xlsx``); values read back with ``data_only=True``
    (LibreOffice's results).
    """
    work = tmp_path_factory.mktemp("libreoffice")
    recalculated: dict[str, openpyxl.Workbook] = {}
    for language, locale in (("en", "en-GB"), ("it", "it-IT")):
        files = [committed_path(spec, lang) for spec, lang in all_templates() if lang == language]
        workbook = openpyxl.load_workbook(committed_path(calculator_workbook(), language))
        sheet = workbook[CALCULATOR_SHEET(language)]
        for ref, value in _VARIANT_INPUTS.items():
            sheet[ref] = value
        variant = work / "in" / f"variant-{language}.xlsx"
        variant.parent.mkdir(exist_ok=True)
        workbook.save(variant)
        files.append(variant)
        outputs = convert(files, work / "out" / language, work, locale=locale)
        recalculated.update(
            {
                source.name: openpyxl.load_workbook(output, data_only=True)
                for source, output in zip(files, outputs, strict=True)
            }
        )
    return recalculated


def _value(workbook: openpyxl.Workbook, sheet: str, ref: str) -> object:
    return workbook[sheet][ref].value


@pytest.mark.parametrize("language", ["en", "it"])
def test_document_000_examples_give_29000_and_38000(recalculated, language: Language) -> None:  # type: ignore[no-untyped-def]
    # document 000: APV 10000 €, ACL 3, CAC 1000 € -> 29000 €; APV 20000 €, ACL 2, CAC 2000 € -> 38000 €
    workbook = recalculated[worked_examples_workbook().file_name(language)]
    assert _value(workbook, EXAMPLE_SHEETS[0].name(language), "C11") == 29000
    assert _value(workbook, EXAMPLE_SHEETS[1].name(language), "C11") == 38000


@pytest.mark.parametrize("language", ["en", "it"])
def test_every_worked_example_gives_the_documents_figure(recalculated, language: Language) -> None:  # type: ignore[no-untyped-def]
    # checked against: DOCUMENT_EXAMPLES' expected figures; the check cell says OK (no add-in)
    workbook = recalculated[worked_examples_workbook().file_name(language)]
    for sheet_spec in EXAMPLE_SHEETS:
        sheet = workbook[sheet_spec.name(language)]
        rows = {row[0].value: row for row in sheet.iter_rows(min_col=1, max_col=5) if row[0].value}
        for key in sheet_spec.keys:
            item = example(key)
            row = next(r for label, r in rows.items() if str(label).startswith(item.label(language)))
            label, addin, native, expected, check = (cell.value for cell in row)
            assert native == pytest.approx(item.expected, rel=1e-12), label
            assert expected == item.expected
            assert addin == ADDIN_MISSING(language)  # no add-in in LibreOffice: the cell says so
            assert check == ("OK (senza componente)" if language == "it" else "OK (no add-in)")


def _core_clv(lifespan: float, churn: float | None, discount: float, **changes: float) -> float:
    inputs = dict(apv=10000.0, acl=lifespan, cac=1000.0, frequency=1.0, margin=0.4, discount_rate=discount)
    for name, change in changes.items():
        inputs[name] = min(1.0, inputs[name] * (1 + change)) if name == "margin" else inputs[name] * (1 + change)
    return float(core.clv(**inputs))


@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize("variant", [False, True], ids=["document-003-inputs", "churn-and-discount"])
def test_calculator_results_and_what_if_match_the_core(recalculated, language: Language, variant: bool) -> None:  # type: ignore[no-untyped-def]
    # checked against: clv_xl.core on the calculator's inputs (document 003's margin example: CLV 11000 €)
    name = f"variant-{language}.xlsx" if variant else calculator_workbook().file_name(language)
    sheet = recalculated[name][CALCULATOR_SHEET(language)]
    lifespan = 5.0 if variant else 3.0
    discount = 0.08 if variant else 0.0
    gross = _core_clv(lifespan, None, discount) + 1000.0
    assert sheet["C14"].value == pytest.approx(lifespan)
    assert sheet["C15"].value == pytest.approx(10000.0)
    assert sheet["C16"].value == pytest.approx(gross, rel=1e-12)
    assert sheet["C17"].value == pytest.approx(gross - 1000.0, rel=1e-12)
    assert sheet["C18"].value == pytest.approx(float(core.ltv_cac_ratio(gross, 1000.0)), rel=1e-12)
    assert sheet["C19"].value == pytest.approx(float(core.cac_payback(1000.0, 10000.0 * 0.4)), rel=1e-12)
    if not variant:
        assert sheet["C17"].value == pytest.approx(example("003-margin").expected)
    # the tornado's table: how far CLV moves at the first and the last change, under their percentages
    assert (sheet["B32"].value, sheet["C32"].value) == ("-20%", "+20%")
    for offset, driver in enumerate(DRIVERS, start=1):
        assert sheet[f"A{32 + offset}"].value == driver.label(language)
        assert sheet[f"B{32 + offset}"].value == pytest.approx(sheet[f"B{22 + offset}"].value - sheet["C17"].value)
        assert sheet[f"C{32 + offset}"].value == pytest.approx(sheet[f"F{22 + offset}"].value - sheet["C17"].value)
    for offset, driver in enumerate(DRIVERS, start=1):
        row = 22 + offset
        for column, change in zip("BCDEF", CHANGES, strict=True):
            if driver.argument == "acl":
                expected = _core_clv(lifespan * (1 + change), None, discount)
            else:
                expected = _core_clv(lifespan, None, discount, **{driver.argument: change})
            assert sheet[f"{column}{row}"].value == pytest.approx(expected, rel=1e-12), (driver.label.en, change)


@pytest.mark.parametrize("language", ["en", "it"])
def test_sample_orders_and_parameters_survive_the_round_trip(recalculated, language: Language) -> None:  # type: ignore[no-untyped-def]
    # checked against: the generator's orders and SAMPLE_PARAMETERS
    workbook = recalculated[transactions_workbook(sample=True).file_name(language)]
    rows = list(workbook[TRANSACTIONS_SHEET(language)].iter_rows(min_row=2, values_only=True))
    orders = sample_orders()
    assert len(rows) == len(orders)
    first = rows[0]
    assert first[0] == orders[0].customer_id
    assert first[1].date() == orders[0].date if isinstance(first[1], dt.datetime) else first[1] == orders[0].date
    assert first[2] == pytest.approx(orders[0].amount)
    assert first[3] == orders[0].segment(language)
    parameters = {
        row[0]: row[1] for row in workbook[PARAMETERS_SHEET(language)].iter_rows(min_row=2, max_row=7, values_only=True)
    }
    assert list(parameters) == list(parameter_keys(language))
    assert parameters[parameter_keys(language)[0]] == SAMPLE_PARAMETERS["cac"]


def test_no_cell_is_an_error_and_every_addin_cell_says_it_needs_the_addin(recalculated) -> None:  # type: ignore[no-untyped-def]
    # no cell shows an error; every add-in cell of the templates (and of the calculator with churn and
    # discounting, where the add-in results feed other add-in cells) shows the text naming the add-in
    variants = [(calculator_workbook(), language, f"variant-{language}.xlsx") for language in ("en", "it")]
    for spec, language, name in [*((s, lang, s.file_name(lang)) for s, lang in all_templates()), *variants]:
        workbook = recalculated[name]
        errors = [
            (sheet.title, cell.coordinate, cell.value)
            for sheet in workbook
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("#") and cell.value.endswith(("!", "?", "A"))
        ]
        assert not errors, f"{name}: {errors}"
        cells = addin_cells(spec, language)
        if not cells:  # the orders workbooks hold no formula
            continue
        for cell in cells:
            value, twin = workbook[cell.sheet][cell.ref].value, workbook[cell.sheet][cell.twin].value
            # a number only where the formula does not reach the add-in (the lifespan without churn is ACL)
            assert value == ADDIN_MISSING(language) or value == twin, f"{name}: {cell.sheet}!{cell.ref} = {value!r}"
        assert ADDIN_MISSING(language) in {workbook[c.sheet][c.ref].value for c in cells}


def test_libreoffice_profile_always_recalculates(tmp_path: Path) -> None:
    from libreoffice import make_profile

    profile = make_profile(tmp_path / "profile")
    registry = (profile / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert "/org.openoffice.Office.Calc/Formula/Load" in registry and '<prop oor:name="OOXMLRecalcMode"' in registry


@pytest.mark.parametrize("language", ["en", "it"])
def test_predictive_native_formulas_match_the_models(recalculated, language: Language) -> None:  # type: ignore[no-untyped-def]
    # checked against: clv_xl.models (BG/NBD P(alive), Gamma-Gamma expected spend) on the same
    # customers and the parameters fitted when the workbook was made, as LibreOffice computes them
    import numpy as np

    from clv_xl.models import expected_average_spend, probability_alive
    from clv_xl.templates.predictive import CUSTOMERS_SHEET, illustrative_base, predictive_workbook

    base = illustrative_base()
    book = recalculated[predictive_workbook().file_name(language)]
    sheet = CUSTOMERS_SHEET(language)
    rows = range(2, 2 + base.frequency.size)
    p_alive = np.array([_value(book, sheet, f"G{r}") for r in rows], dtype=float)
    spend = np.array([_value(book, sheet, f"I{r}") for r in rows], dtype=float)
    np.testing.assert_allclose(p_alive, probability_alive(base.bgnbd, base.frequency, base.recency, base.T), rtol=1e-9)
    np.testing.assert_allclose(
        spend, expected_average_spend(base.gamma_gamma, base.frequency, base.monetary_value), rtol=1e-9
    )
    assert 0 < p_alive.min() and p_alive.max() <= 1
