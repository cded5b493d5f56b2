"""The report workbook as written, read back with openpyxl: sheets, tables, charts, formats, texts, print setup."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_files import first_sheet_value, formulas, load, texts, values
from report_set import ReportSet

from clv_xl.i18n import Text
from clv_xl.report.build import build_report
from clv_xl.report.model import Column, ReportParameters, TableData
from clv_xl.report.sheet_layout import FIRST_DATA_ROW, PRINT_ROWS, SHEETS, TABLE_HEADER_ROW
from clv_xl.report.xlsx import write_report

INJECTIONS = ['=HYPERLINK("http://example.com","x")', "+39 0422 360265", "-1+1", "@SUM(A1)", "=1+1"]
HEADER = TABLE_HEADER_ROW + 1  # the Excel row of the tables' header
FIRST = FIRST_DATA_ROW + 1  # the Excel row of their first data row


@pytest.fixture
def report_path(hand_table: pd.DataFrame, tmp_path: Path) -> Path:
    table = hand_table.copy()
    table["customer_id"] = ["A", "A", INJECTIONS[0], INJECTIONS[1], INJECTIONS[1], INJECTIONS[1]]
    table["segment"] = ["North", "North", "North", INJECTIONS[4], INJECTIONS[4], INJECTIONS[4]]
    parameters = ReportParameters(cac=100.0, margin=0.5, annual_churn=0.25, observation_end=pd.Timestamp("2024-12-31"))
    return write_report(build_report(table, parameters), tmp_path / "report.xlsx")


@pytest.fixture
def sample_report(sample_table: pd.DataFrame, tmp_path: Path) -> Path:
    parameters = ReportParameters(cac=150.0, margin=0.35, discount_rate=0.08, language="it")
    return write_report(build_report(sample_table, parameters), tmp_path / "sample.xlsx")


def test_sheets_tables_and_charts(sample_report: Path) -> None:
    book = load(sample_report)
    names = [SHEETS[k].it for k in ("report", "segments", "customers", "at_risk", "cohorts", "chart_data")]
    assert book.sheetnames == names
    assert book.active.title == SHEETS["report"].it
    report = book[SHEETS["report"].it]
    kinds = sorted(type(chart).__name__ for chart in report._charts)
    assert kinds == ["BarChart", "BarChart", "BarChart", "LineChart"]  # segments, what-if, distribution, months
    customers = book[SHEETS["customers"].it]
    assert list(customers.tables) == ["Customers"]
    assert customers.tables["Customers"].ref.startswith(f"A{HEADER}:") and customers.tables["Customers"].ref.endswith(
        str(HEADER + 40)
    )
    assert customers.freeze_panes == f"A{FIRST}"
    assert customers["A1"].value == "Clienti per valore" and customers["A2"].value.startswith("In ordine di valore")
    at_risk = book[SHEETS["at_risk"].it]
    assert at_risk["A1"].value == "Clienti a rischio o probabilmente persi, per valore in gioco"
    assert at_risk["A2"].value.startswith("Probabilità che sia ancora attivo sotto l'80 %")
    assert list(book[SHEETS["segments"].it].tables) == ["Segments"]


def test_print_setup(sample_report: Path) -> None:
    """A4 landscape; the first sheet on one page; the tables one page wide."""
    book = load(sample_report)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True, sheet.title
        assert sheet.page_setup.fitToWidth in (None, 1), sheet.title  # 1 page wide (1 is the file format's default)
    first = book.worksheets[0]
    assert first.page_setup.fitToHeight in (None, 1)
    assert first.print_area is not None
    assert book[SHEETS["customers"].it].page_setup.fitToHeight == 0  # as many pages as needed


def test_long_tables_print_their_first_rows_and_say_so(cdnow_table: pd.DataFrame, tmp_path: Path) -> None:
    """23,570 customers would print hundreds of pages: the print area stops after the first rows."""
    path = write_report(build_report(cdnow_table, ReportParameters()), tmp_path / "cdnow.xlsx")
    customers = load(path)[SHEETS["customers"].en]
    assert customers.print_area == f"'{SHEETS['customers'].en}'!$A$1:$O${HEADER + PRINT_ROWS}"
    assert f"Prints the first {PRINT_ROWS} rows" in customers["A3"].value


def test_user_texts_are_written_as_text_never_as_formulas(report_path: Path) -> None:
    book = load(report_path)
    customers = book[SHEETS["customers"].en]
    ids = [customers.cell(row, 2) for row in range(FIRST, FIRST + 3)]
    assert {cell.value for cell in ids} == {"A", INJECTIONS[0], INJECTIONS[1]}
    assert all(cell.data_type == "s" for cell in ids)
    segments = [customers.cell(row, 3) for row in range(FIRST, FIRST + 3)]
    assert all(cell.data_type == "s" for cell in segments)
    assert INJECTIONS[4] in {cell.value for cell in segments}
    # the data's texts appear in no formula
    assert not any(text in formula for formula in formulas(report_path).values() for text in INJECTIONS)


def test_assumptions_and_key_figures_are_named_and_live(report_path: Path) -> None:
    book = load(report_path)
    names = set(book.defined_names)
    assert {"Report_CAC", "Report_Margin", "Report_Discount", "Report_Churn", "Report_CLV"} <= names
    written = formulas(report_path)
    report = SHEETS["report"].en
    live = {f for (sheet, _), f in written.items() if sheet == report}
    assert any("Report_CustomerValue*Report_Margin" in f for f in live)
    assert "=IF(Report_Churn>0,1/Report_Churn,Report_EstimatedLifespan)" in live
    # the segments' CLV: the template's CLV formula over each row's cells (G: value per year, K: lifespan used)
    segments = {f for (sheet, _), f in written.items() if sheet == SHEETS["segments"].en}
    assert (
        f"=G{FIRST}*Report_Margin*(IF(Report_Discount=0,K{FIRST},(1-(1+Report_Discount)^(-K{FIRST}))/Report_Discount))-Report_CAC"
        in segments
    )
    assert f"=IF(Report_Churn>0,1/Report_Churn,I{FIRST})" in segments  # I: the lifespan estimated from the orders


def test_every_table_cell_is_the_models_value(hand_table: pd.DataFrame, tmp_path: Path) -> None:
    """Read back by openpyxl: each cell of the segments and customers sheets equals the model's table.

    Checked against: the report model itself (text as text, numbers to 1e-12, dates as
    the same day and time, empty values as empty cells), with every column's format.
    """
    parameters = ReportParameters(cac=100.0, margin=0.5, annual_churn=0.25, observation_end=pd.Timestamp("2024-12-31"))
    model = build_report(hand_table, parameters)
    book = load(write_report(model, tmp_path / "report.xlsx"), data_only=True)
    for key, table in (("segments", model.segments), ("customers", model.customers)):
        sheet = book[SHEETS[key].en]
        for index, column in enumerate(table.columns, start=1):
            cells = [sheet.cell(row, index) for row in range(FIRST, len(table.rows) + FIRST)]
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


def test_every_sheet_has_its_rows_once_and_in_order(sample_report: Path) -> None:
    """The file format: rows in ascending order, none twice (Excel repairs a file otherwise)."""
    with zipfile.ZipFile(sample_report) as package:
        parts = [name for name in package.namelist() if name.startswith("xl/worksheets/sheet")]
        assert len(parts) == 6  # the first sheet, segments, customers, at risk, cohorts, chart data
        for name in parts:
            numbers = [int(n) for n in re.findall(rb'<row r="(\d+)"', package.read(name))]
            assert numbers == sorted(set(numbers)), name


def test_without_a_forecast_the_first_sheet_says_why(hand_table: pd.DataFrame, tmp_path: Path) -> None:
    path = write_report(build_report(hand_table, ReportParameters()), tmp_path / "b.xlsx")
    book = load(path)
    assert SHEETS["at_risk"].en not in book.sheetnames
    notes = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert (
        "No forecast (BG/NBD, MBG/NBD or Pareto/NBD, and Gamma-Gamma): too few customers for a forecast (3; at "
        "least 20)." in notes
    )


@pytest.mark.parametrize(("currency", "language", "shown"), [("USD", "en", '"$"'), ("CHF", "it", '"CHF"')])
def test_the_currency_drives_every_money_format(
    sample_table: pd.DataFrame, tmp_path: Path, currency: str, language: str, shown: str
) -> None:
    """No € left anywhere: cells, charts' axes and labels, bin labels (checked in the package's XML)."""
    parameters = ReportParameters(cac=150.0, margin=0.35, currency=currency, language=language)  # type: ignore[arg-type]
    model = build_report(sample_table, parameters)
    path = write_report(model, tmp_path / "report.xlsx")
    with zipfile.ZipFile(path) as package:
        xml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
    assert "€" not in xml
    book = load(path)
    cac = next(row[1] for row in book.worksheets[0].iter_rows() if str(row[0].value).endswith("(CAC)"))
    assert shown in cac.number_format
    customers = book.worksheets[2]
    money = [index for index, column in enumerate(model.customers.columns, start=1) if column.kind == "money"]
    assert len(money) >= 5
    assert all(shown in customers.cell(FIRST, index).number_format for index in money)
    assert re.search(r'formatCode="[^"]*(&quot;|")' + re.escape(shown.strip('"')), xml)  # chart axes


def test_italian_report_reads_day_first_and_in_an_accountants_words(sample_report: Path) -> None:
    """Dates 31/01/2024; no "sconto", no translated phrases the Italian owner would stumble on."""
    book = load(sample_report)
    assert book.worksheets[0]["A2"].value == "Transazioni dal 03/02/2024 al 31/12/2025"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if getattr(cell, "is_date", False):  # merged cells (the wrapped explanations) have none
                    assert cell.number_format == "dd/mm/yyyy", (sheet.title, cell.coordinate)
    everything = "\n".join(texts(sample_report))
    for wrong in ("sconto", "scontat", "Probabilità attivo", "Recupero del CAC", "E se:", "Dati grafici", "Documento"):
        assert wrong not in everything, wrong
    cells = [v for v in values(sample_report).values() if isinstance(v, str)]
    assert not [text for text in cells if re.search(r"\d{4}-\d{2}-\d{2}", text)]  # no ISO date in a text
    assert "Tasso di attualizzazione annuo" in everything and "Mesi per recuperare il CAC" in everything


def test_cohort_heat_map_and_tracking_chart_when_the_forecast_supplies_them(
    sample_table: pd.DataFrame, tmp_path: Path
) -> None:
    """The places for the predictive models' cohort table and tracking series: a coloured sheet, a line chart."""
    model = build_report(sample_table, ReportParameters())
    cohorts = TableData(
        "cohorts",
        Text(
            "Customers still buying, by first-purchase month",
            "Clienti che comprano ancora, per mese del primo acquisto",
        ),
        (Column("cohort", Text("Cohort", "Coorte"), "text"), Column("customers", Text("Customers", "Clienti"), "count"))
        + tuple(Column(f"m{k}", Text(f"Month {k}", f"Mese {k}"), "percent") for k in range(1, 4)),
        pd.DataFrame(
            {
                "cohort": ["2024-01", "2024-02"],
                "customers": [10, 8],
                "m1": [0.5, 0.4],
                "m2": [0.3, np.nan],
                "m3": [0.2, np.nan],
            }
        ),
    )
    weeks = pd.date_range("2025-01-06", periods=6, freq="W-MON")
    tracking = TableData(
        "tracking",
        Text("Repeat purchases", "Riacquisti"),
        (
            Column("period", Text("Week", "Settimana"), "date"),
            Column("actual", Text("Actual", "Reali"), "number"),
            Column("predicted", Text("Predicted", "Previsti"), "number"),
        ),
        pd.DataFrame({"period": weeks, "actual": [3.0, 5, 4, 6, 5, 7], "predicted": [3.5, 4.2, 4.8, 5.1, 5.6, 6.0]}),
    )
    path = write_report(dataclasses.replace(model, cohorts=cohorts, tracking=tracking), tmp_path / "r.xlsx")
    book = load(path)
    assert SHEETS["cohorts"].en in book.sheetnames
    sheet = book[SHEETS["cohorts"].en]
    (rule_range,) = [str(r.sqref) for r in sheet.conditional_formatting]
    assert rule_range == f"C{FIRST}:E{FIRST + 1}"
    assert sheet[f"D{FIRST + 1}"].value is None  # a missing share stays empty
    charts = book.worksheets[0]._charts
    assert sorted(type(chart).__name__ for chart in charts).count("LineChart") == 2
    tracking_chart = charts[-1]
    assert len(tracking_chart.series) == 2


def test_first_sheet_figures_are_the_models(sample_report: Path, sample_table: pd.DataFrame) -> None:
    model = build_report(sample_table, ReportParameters(cac=150.0, margin=0.35, discount_rate=0.08, language="it"))
    for key in ("historic_value", "predicted_value", "total_value", "clv", "clv_segments", "likely_lost"):
        kpi = model.kpi(key)
        assert first_sheet_value(sample_report, kpi.label.it) == pytest.approx(kpi.value, rel=1e-12), key


# --- the forecast's model, its check, the cohorts: as a user reads the CDNOW report -------------------------


def _first_sheet_lines(path: Path) -> list[str]:
    sheet = SHEETS["report"].en
    found = values(path)
    return [
        v
        for (name, cell), v in sorted(found.items(), key=lambda item: _row_of(item[0][1]))
        if name == sheet and cell.startswith("A") and isinstance(v, str)
    ]


def _row_of(cell: str) -> int:
    return int(re.sub(r"^[A-Z]+", "", cell))


def test_cdnow_p_alive_agrees_with_a_year_without_orders_for_nine_customers_in_ten(report_set: ReportSet) -> None:
    """Issue 12, as the user sees it: in the CDNOW report's own Customers sheet (23,570 customers), "probability
    still active below 50 %" agrees with "no order in the 52 weeks (364 days) up to the end of the orders",
    counted here from the orders with pandas, for at least 90 % of customers (96.1 %, the README's figure; BG/NBD
    alone gave 44 %). Fails when the report's P(alive) comes from a model that calls one-time buyers active, or
    is written against the wrong customers."""
    orders = report_set.orders["cdnow"]
    sheet = pd.read_excel(
        report_set.written["cdnow"],
        sheet_name=SHEETS["customers"].en,
        engine="calamine",
        header=TABLE_HEADER_ROW,
        dtype={"Customer": str},
    )
    assert len(sheet) == 23_570 and sheet["Customer"].is_unique
    last = orders.groupby("customer_id")["date"].max()
    quiet = (last < orders["date"].max() - pd.Timedelta(weeks=52)).reindex(sheet["Customer"]).to_numpy()
    agreement = float(((sheet["Probability still active"].to_numpy() < 0.5) == quiet).mean())
    assert agreement >= 0.90
    assert round(100 * agreement, 1) == 96.1


def test_the_first_sheet_names_the_model_why_and_the_rule(report_set: ReportSet) -> None:
    """The chosen purchase model and its reason (the choice's own sentence) on the first sheet, the rule in
    full (CHOICE_RULE, wrapped over lines), and what the tracking chart shows, with the calibration's end."""
    from clv_xl.models.choice import CHOICE_RULE

    lines = _first_sheet_lines(report_set.written["cdnow"])
    text = " ".join(lines)
    assert "Forecast: Pareto/NBD for the purchases and the probability still active, Gamma-Gamma" in text
    assert (
        "Why Pareto/NBD: the smallest mean error per customer over a holdout of 39 weeks at the end of the orders, "
        "which the fit did not see (Pareto/NBD 0.743; MBG/NBD 0.752; BG/NBD 0.784)." in text
    )
    assert "How the purchase model of the forecast is chosen" in lines and CHOICE_RULE.en in text
    assert "fitted only on the orders up to 1997-09-30, it predicts the repeat purchases of those 23,570" in text
    assert "Yearly churn estimated from the orders: 64.6 % a year" in text
    assert "The CLV's lifespan: 1 / the yearly churn estimated from the orders (Key figures)." in lines


def test_the_cohort_heat_map_and_the_tracking_chart_of_the_cdnow_report(report_set: ReportSet) -> None:
    """The Cohorts sheet: one row per month of first purchase with its shares, coloured from month 1 (month 0 is
    100 % by definition), empty where a cohort has not reached the month; the first sheet's fifth chart plots the
    chart-data table of actual and predicted repeat purchases, week by week."""
    path = report_set.written["cdnow"]
    book = load(path)
    cohorts = book[SHEETS["cohorts"].en]
    assert [cohorts.cell(FIRST + i, 1).value for i in range(3)] == ["Jan 1997", "Feb 1997", "Mar 1997"]
    assert cohorts.cell(FIRST, 3).value == 1.0 and cohorts.cell(FIRST, 4).value == pytest.approx(0.147, abs=1e-3)
    assert cohorts.cell(FIRST + 2, 3 + 17).value is None and cohorts.cell(FIRST, 3 + 17).value is not None
    (rule_range,) = [str(r.sqref) for r in cohorts.conditional_formatting]
    assert rule_range == f"D{FIRST}:T{FIRST + 2}"  # months 1 to 17 (C is month 0)
    charts = book.worksheets[0]._charts
    assert [type(chart).__name__ for chart in charts].count("LineChart") == 2 and len(charts) == 5
    series = charts[-1].series
    assert len(series) == 2 and all(s.val.numRef.f.startswith(f"'{SHEETS['chart_data'].en}'!") for s in series)


@pytest.mark.parametrize("case", ["sample", "cdnow_cac"])
def test_no_iso_date_in_any_text_of_an_italian_report(report_set: ReportSet, case: str) -> None:
    """Every text cell of the Italian reports (the sample, and CDNOW with the churn's reference day, the holdout's
    calibration end, cohorts by month): dates day first, never 1997-06-30. Fails on an ISO date in a text."""
    assert report_set.parameters[case].get("language") == "it"
    cells = [v for v in values(report_set.written[case]).values() if isinstance(v, str)]
    assert any("30/06/1997" in text for text in cells) or case == "sample"
    assert not [text for text in cells if re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)]
