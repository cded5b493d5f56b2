"""Never a value Excel cannot hold, and nothing lost: every report opens everywhere.

Every report of the session (tests/report_set.py: hand table, sample, CDNOW with CAC 0
and with CAC 20, and awkward data: a 50,000-character segment name, refunds beyond
purchases, no CAC and no margin, a sheet that holds 12 customers) is opened by openpyxl,
by pandas with the calamine engine and by LibreOffice. Fails when a cell holds NaN or
infinity (pandas and openpyxl refuse such a file, Excel offers to repair it), when a
text is longer than a cell can hold, or when a customer is in neither the workbook nor
the CSV beside it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from report_files import values
from report_set import AWKWARD_ROWS_THAT_FIT, ReportSet

from clv_xl.i18n import Text
from clv_xl.report import excel_limits
from clv_xl.report.build import build_report
from clv_xl.report.model import Column, ReportParameters, TableData
from clv_xl.report.sheet_layout import FIRST_DATA_ROW, SHEETS
from clv_xl.report.xlsx import overflow_path

CASES = ["hand", "sample", "cdnow", "cdnow_cac", "awkward"]


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES)
def test_every_report_opens_in_openpyxl_pandas_and_libreoffice(recalculated_set: ReportSet, case: str) -> None:
    path = recalculated_set.written[case]
    book = openpyxl.load_workbook(path, read_only=True)
    cells = sum(1 for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for _ in row)
    book.close()
    assert cells > 100
    frames = pd.read_excel(path, sheet_name=None, engine="calamine", header=None)
    assert list(frames)[0] == (
        SHEETS["report"].it if "it" == recalculated_set.parameters[case].get("language") else SHEETS["report"].en
    )
    for name, frame in frames.items():
        numbers = frame.select_dtypes("number").to_numpy(dtype=np.float64)
        assert np.isfinite(numbers[~np.isnan(numbers)]).all(), name
    for file in (path, recalculated_set.recalculated[case]):  # as written, and as LibreOffice computes it
        shown = [v for v in values(file).values() if isinstance(v, str)]
        assert not [v for v in shown if re.fullmatch(r"#[A-Z/0!?]+|Err:\d+|nan|inf", v)], file.name


@pytest.mark.parametrize("case", CASES)
def test_no_nan_or_infinity_is_written(report_set: ReportSet, case: str) -> None:
    """In the sheets' XML: no ``<v>nan</v>``, ``inf`` or error value, whatever Python computed."""
    with zipfile.ZipFile(report_set.written[case]) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = package.read(name)
                assert not re.search(rb"<v>(?:-?nan|-?inf|#[A-Z/0!?]+)</v>|t=\"e\"", xml, re.I), name


def test_texts_are_cut_to_what_a_cell_holds_and_the_report_says_so(report_set: ReportSet) -> None:
    path = report_set.written["awkward"]
    found = values(path)
    longest = max((v for v in found.values() if isinstance(v, str)), key=len)
    assert len(longest) == excel_limits.MAX_TEXT_LENGTH and longest.startswith("Online xxx")
    first = [v for (sheet, _), v in found.items() if sheet == SHEETS["report"].en and isinstance(v, str)]
    cells = [v for v in found.values() if isinstance(v, str) and len(v) == excel_limits.MAX_TEXT_LENGTH]
    assert len(cells) >= 3 and len(set(cells)) == 1  # the segment, on the customers, segments and chart-data sheets
    note = "Texts longer than the 32,767 characters of an Excel cell, cut: 1; your orders file keeps them whole."
    assert note in first


def test_customers_that_do_not_fit_are_the_least_valuable_and_all_are_in_the_csv(report_set: ReportSet) -> None:
    """The sheet keeps the most valuable customers it can hold; the CSV beside the report holds every one."""
    path = report_set.written["awkward"]
    model = build_report(report_set.orders["awkward"], ReportParameters(**report_set.parameters["awkward"]))  # type: ignore[arg-type]
    sheet = pd.read_excel(path, sheet_name=SHEETS["customers"].en, engine="calamine", header=FIRST_DATA_ROW - 1)
    assert list(sheet["Customer"]) == list(model.customers.rows["customer_id"].iloc[:AWKWARD_ROWS_THAT_FIT])
    assert len(model.customers.rows) > AWKWARD_ROWS_THAT_FIT
    csv = overflow_path(path, "en")
    assert csv.name == "awkward - Customers.csv"
    everyone = pd.read_csv(csv, encoding="utf-8-sig", dtype={"Customer": str})
    assert list(everyone["Customer"]) == list(model.customers.rows["customer_id"])
    assert everyone["Segment"].str.len().max() == 50_007  # nothing cut in the CSV
    np.testing.assert_allclose(everyone["Total value (so far + predicted)"], model.customers.rows["total_value"])
    notes = [v for (name, _), v in values(path).items() if name == SHEETS["report"].en and isinstance(v, str)]
    left_out = f"{AWKWARD_ROWS_THAT_FIT} of {len(everyone)} rows fit in Excel (the most valuable); all of them are in"
    assert f"Customers: {left_out} {csv.name}." in notes
    at_sheet = values(path, [(SHEETS["customers"].en, "A3")])[(SHEETS["customers"].en, "A3")]
    assert csv.name in at_sheet


def test_a_customer_whose_refunds_exceed_the_purchases_gets_a_forecast_too(report_set: ReportSet) -> None:
    """Every customer is predicted, whatever the amounts (issue 12): the customer "=1+1" (80 €, then −120 € and
    −40 € refunded) gets the chosen model's P(alive) and expected purchases for their weekly summary, computed
    with the report's parameters by the model's own functions (checked against lifetimes in tests/models), and a
    predicted revenue at the spend model's limit for an average of 0 (never negative, never missing). The CSV
    of every customer has them. Fails when a customer is left without a forecast, or predicted from another
    summary or model."""
    from clv_xl.core.summaries import customer_summary
    from clv_xl.models.purchase_models import PURCHASE_MODELS, expected_purchases, probability_alive

    orders = report_set.orders["awkward"]
    model = build_report(orders, ReportParameters(**report_set.parameters["awkward"]))  # type: ignore[arg-type]
    forecast = model.purchase_model
    assert forecast is not None
    rows = model.customers.rows
    assert rows[["p_alive", "expected_purchases", "predicted_revenue"]].notna().all().all()
    chosen = next(m for m in PURCHASE_MODELS.values() if m.name == forecast.name)
    params = chosen.params_type(*(forecast.parameters[name] for name in chosen.parameter_names))
    weekly = customer_summary(orders, time_unit="weeks").set_index("customer_id").loc["=1+1"]
    history = (weekly["frequency"], weekly["recency"], weekly["T"])
    row = rows.set_index("customer_id").loc["=1+1"]
    assert weekly["monetary_value"] < 0 and weekly["frequency"] == 2
    assert row["p_alive"] == pytest.approx(float(probability_alive(params, *history)), rel=1e-12)
    assert row["expected_purchases"] == pytest.approx(float(expected_purchases(params, 52, *history)), rel=1e-9)
    p, q, gamma = (forecast.parameters[name] for name in ("p", "q", "gamma"))
    spend = p * gamma / (p * weekly["frequency"] + q - 1)  # Gamma-Gamma with an average of 0 (note 025, eq. 5)
    assert 0 < row["predicted_revenue"] <= spend * row["expected_purchases"] * (1 + 1e-12)
    everyone = pd.read_csv(overflow_path(report_set.written["awkward"], "en"), encoding="utf-8-sig")
    assert everyone["Probability still active"].notna().all() and len(everyone) == len(rows)


def test_a_table_longer_than_a_sheet_stops_at_excels_last_row() -> None:
    """1,100,000 rows: the sheet takes 1,048,572 below its heading, the last one on row 1,048,576."""
    from clv_xl.report.xlsx import _fit

    rows = pd.DataFrame({"customer_id": np.arange(1_100_000).astype(str), "revenue": np.ones(1_100_000)})
    table = TableData(
        "customers",
        Text("Customers", "Clienti"),
        (
            Column("customer_id", Text("Customer", "Cliente"), "text"),
            Column("revenue", Text("Revenue", "Ricavi"), "money"),
        ),
        rows,
    )
    fitted = _fit(table)
    assert fitted.rows == 1_048_576 - FIRST_DATA_ROW and not fitted.complete
    assert FIRST_DATA_ROW + fitted.rows == excel_limits.MAX_ROWS  # 0-based row of the last + 1 = Excel's row number
    assert len(fitted.texts["customer_id"]) == fitted.rows


def test_cut_texts_counts_what_it_cuts() -> None:
    texts, cut = excel_limits.cut_texts(pd.Series(["a" * 40_000, None, "b", "c" * 32_767, "a" * 40_000]))
    assert [len(t) for t in texts] == [32_767, 0, 1, 32_767, 32_767] and cut == {"a" * 40_000}
    assert excel_limits.rows_that_fit(4, 10) == 10 and excel_limits.rows_that_fit(4, 2_000_000) == 1_048_572


def test_the_command_line_names_the_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from report_set import sample_orders

    from clv_xl.report.run import report_from_file

    source = tmp_path / "orders.csv"
    sample_orders()[["customer_id", "date", "amount"]].to_csv(source, index=False)
    monkeypatch.setattr(excel_limits, "MAX_ROWS", FIRST_DATA_ROW + 10)
    summary = report_from_file(source, tmp_path / "report.xlsx", language="it")
    assert summary.endswith(f"ci sono tutti i 40 in {tmp_path / 'report - Clienti.csv'}.")
    assert (tmp_path / "report - Clienti.csv").exists()
    frame = pd.read_csv(tmp_path / "report - Clienti.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == 40 and frame["Primo acquisto"].str.match(r"\d\d/\d\d/\d{4}").all()


def test_a_report_that_cannot_be_put_in_place_leaves_no_customers_file(
    report_set: ReportSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The customers CSV is written first; when the report's own name turns out to be taken (created exclusively,
    another report got there first), the CSV of this run is removed with it: no file without its report, the
    other report untouched. Fails when a CSV is left behind or the existing file is replaced."""
    from clv_xl.errors import ClvError
    from clv_xl.report.xlsx import write_report

    model = build_report(report_set.orders["awkward"], ReportParameters(**report_set.parameters["awkward"]))  # type: ignore[arg-type]
    monkeypatch.setattr(excel_limits, "MAX_ROWS", FIRST_DATA_ROW + AWKWARD_ROWS_THAT_FIT)
    target = tmp_path / "taken.xlsx"
    target.write_bytes(b"the other report")
    with pytest.raises(ClvError) as caught:
        write_report(model, target)
    assert caught.value.key == "file_exists"
    assert target.read_bytes() == b"the other report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.xlsx"]
