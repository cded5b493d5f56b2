"""The report workbook as written, read back with openpyxl and recalculated by LibreOffice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from libreoffice import convert

from clv_xl.report.build import build_report
from clv_xl.report.model import ReportParameters
from clv_xl.report.sheet_layout import SHEETS
from clv_xl.report.xlsx import write_report

INJECTIONS = ['=HYPERLINK("http://example.com","x")', "+39 0422 360265", "-1+1", "@SUM(A1)", "=1+1"]


@pytest.fixture
def report_path(hand_table: pd.DataFrame, tmp_path: Path) -> Path:
    table = hand_table.copy()
    table["customer_id"] = ["A", "A", INJECTIONS[0], INJECTIONS[1], INJECTIONS[1], INJECTIONS[1]]
    table["segment"] = ["North", "North", "North", INJECTIONS[4], INJECTIONS[4], INJECTIONS[4]]
    parameters = ReportParameters(cac=100.0, margin=0.5, annual_churn=0.25, observation_end=pd.Timestamp("2024-12-31"))
    return write_report(build_report(table, parameters), tmp_path / "report.xlsx")


def test_sheets_tables_and_charts(report_path: Path) -> None:
    book = openpyxl.load_workbook(report_path)
    assert book.sheetnames == [SHEETS[k].en for k in ("report", "segments", "customers", "chart_data")]
    assert book.active.title == SHEETS["report"].en
    report = book[SHEETS["report"].en]
    assert len(report._charts) == 4  # CLV by segment, value distribution, revenue by month, what-if
    kinds = sorted(type(chart).__name__ for chart in report._charts)
    assert kinds == ["BarChart", "BarChart", "BarChart", "LineChart"]
    customers = book[SHEETS["customers"].en]
    assert list(customers.tables) == ["Customers"]
    assert customers.tables["Customers"].ref == "A1:J4"
    assert customers.freeze_panes == "A2"
    assert list(book[SHEETS["segments"].en].tables) == ["Segments"]


def test_print_setup_a4_landscape_fit_to_width(report_path: Path) -> None:
    book = openpyxl.load_workbook(report_path)
    for name in ("report", "segments", "customers"):
        sheet = book[SHEETS[name].en]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.page_setup.fitToWidth in (None, 1)  # 1 page wide (1 is the file format's default)


def test_user_texts_are_written_as_text_never_as_formulas(report_path: Path) -> None:
    book = openpyxl.load_workbook(report_path)
    customers = book[SHEETS["customers"].en]
    ids = [customers.cell(row, 2) for row in range(2, 5)]
    assert {cell.value for cell in ids} == {"A", INJECTIONS[0], INJECTIONS[1]}
    assert all(cell.data_type == "s" for cell in ids)
    segments = [customers.cell(row, 3) for row in range(2, 5)]
    assert all(cell.data_type == "s" for cell in segments)
    assert INJECTIONS[4] in {cell.value for cell in segments}


def test_kpis_are_live_formulas_over_the_assumptions(report_path: Path) -> None:
    book = openpyxl.load_workbook(report_path)
    assert {"Report_CAC", "Report_Margin", "Report_Discount", "Report_CLV"} <= set(book.defined_names)
    report = book[SHEETS["report"].en]
    formulas = [cell.value for row in report.iter_rows() for cell in row if cell.data_type == "f"]
    assert any("Report_CustomerValue*Report_Margin" in f for f in formulas)


@pytest.mark.libreoffice
@pytest.mark.filterwarnings("ignore:Unable to read chart")  # openpyxl reading LibreOffice's chart XML
def test_libreoffice_recalculates_every_formula_to_python_figures(report_path: Path, tmp_path: Path) -> None:
    # LibreOffice headless, recalculation on load: every formula cell gets a value, no error,
    # and the KPI formulas give the figures Python computed (document 000's formula)
    (recalculated,) = convert([report_path], tmp_path / "out", tmp_path)
    original = openpyxl.load_workbook(report_path)[SHEETS["report"].en]
    values = openpyxl.load_workbook(recalculated, data_only=True)[SHEETS["report"].en]
    checked = 0
    for row in original.iter_rows():
        for cell in row:
            if cell.data_type != "f":
                continue
            value = values[cell.coordinate].value
            assert value is not None and not (isinstance(value, str) and value.startswith("#")), cell.coordinate
            label = original.cell(cell.row, 1).value
            checked += 1
            if label == "Customer lifetime value (CLV)":
                value_per_year = (800 / 3) / (357 / 365.25)
                assert value == pytest.approx(value_per_year * 0.5 * 4 - 100, rel=1e-9)
    assert checked >= 4


def test_at_risk_sheet_and_prediction_note(tmp_path: Path, hand_table: pd.DataFrame) -> None:
    from clv_xl.data import read_transactions

    root = Path(__file__).resolve().parents[2]
    sample = read_transactions(root / "workbook_templates" / "it" / "dati_clv_esempio.xlsx")
    with_models = write_report(build_report(sample.table, ReportParameters(language="it")), tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(with_models)
    assert book.sheetnames[3] == SHEETS["at_risk"].it
    assert list(book[SHEETS["at_risk"].it].tables) == ["AtRisk"]
    without = write_report(build_report(hand_table, ReportParameters()), tmp_path / "b.xlsx")
    notes = [c.value for row in openpyxl.load_workbook(without)[SHEETS["report"].en].iter_rows() for c in row]
    assert "Predicted CLV (BG/NBD, Gamma-Gamma) not shown: too few customers for a forecast (3; at least 20)" in notes


def test_every_table_cell_is_the_models_value(hand_table: pd.DataFrame, tmp_path: Path) -> None:
    """Read back by openpyxl: each cell of the segments and customers sheets equals the model's table.

    Checked against: the report model itself (text as text, numbers to 1e-12, dates as
    the same day and time, empty values as empty cells), with every column's format.
    """
    parameters = ReportParameters(cac=100.0, margin=0.5, annual_churn=0.25, observation_end=pd.Timestamp("2024-12-31"))
    model = build_report(hand_table, parameters)
    book = openpyxl.load_workbook(write_report(model, tmp_path / "report.xlsx"))
    for key, table in (("segments", model.segments), ("customers", model.customers)):
        sheet = book[SHEETS[key].en]
        for index, column in enumerate(table.columns, start=1):
            cells = [sheet.cell(row, index) for row in range(2, len(table.rows) + 2)]
            for cell, value in zip(cells, table.rows[column.key], strict=True):
                if pd.isna(value) or value == "":
                    assert cell.value is None, cell.coordinate
                elif column.kind == "text":
                    assert cell.value == value and cell.data_type == "s", cell.coordinate
                elif column.kind == "date":
                    assert pd.Timestamp(cell.value) == pd.Timestamp(value), cell.coordinate
                else:
                    assert cell.value == pytest.approx(float(value), rel=1e-12), cell.coordinate
            assert all(cell.number_format == cells[0].number_format for cell in cells), column.key


def test_every_sheet_has_its_rows_once_and_in_order(report_path: Path) -> None:
    """The file format: rows in ascending order, none twice (Excel repairs a file otherwise)."""
    with zipfile.ZipFile(report_path) as package:
        parts = [name for name in package.namelist() if name.startswith("xl/worksheets/sheet")]
        assert len(parts) == 4
        for name in parts:
            numbers = [int(n) for n in re.findall(rb'<row r="(\d+)"', package.read(name))]
            assert numbers == sorted(set(numbers)), name
