"""The report job: from a transactions file to a new report workbook.

Reads (never writes) the input, merges the parameters of its parameters sheet with
the user's options, builds the model and writes the workbook atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from clv_xl.data import read_transactions
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.files import check_output_file
from clv_xl.i18n import Language, Text, message
from clv_xl.report.build import build_report
from clv_xl.report.excel_limits import rows_that_fit
from clv_xl.report.model import ReportModel, ReportParameters
from clv_xl.report.sheet_layout import FIRST_DATA_ROW
from clv_xl.report.xlsx import overflow_path, write_report

__all__ = ["PROGRESS_STEPS", "ParameterOverrides", "parameters_from", "report_from_file"]

#: Steps reported to the progress display, in order, with their labels.
PROGRESS_STEPS: Mapping[str, Text] = {
    "read": Text("reading transactions", "lettura delle transazioni"),
    "build": Text("computing CLV and the forecast", "calcolo del CLV e della previsione"),
    "report": Text("writing the report sheet", "scrittura del rapporto"),
    "segments": Text("writing segments", "scrittura dei segmenti"),
    "customers": Text("writing customers", "scrittura dei clienti"),
    "at_risk": Text("writing customers at risk", "scrittura dei clienti a rischio"),
    "charts": Text("adding charts", "aggiunta dei grafici"),
    "save": Text("saving", "salvataggio"),
}


@dataclass(frozen=True)
class ParameterOverrides:
    """Parameters given on the command line; None leaves the sheet's value (or the default)."""

    cac: float | None = None
    margin: float | None = None
    discount_rate: float | None = None
    annual_churn: float | None = None
    currency: str | None = None
    observation_end: pd.Timestamp | None = None


def parameters_from(sheet: Mapping[str, object], overrides: ParameterOverrides, language: Language) -> ReportParameters:
    """The report's parameters: defaults, then the parameters sheet, then the options."""
    chosen: dict[str, object] = {"language": language}
    names = {f.name for f in fields(ReportParameters)}
    for key, value in sheet.items():
        if key in names and value is not None:
            chosen[key] = value
    for field_ in fields(ParameterOverrides):
        value = getattr(overrides, field_.name)
        if value is not None:
            chosen[field_.name] = value
    if "observation_end" in chosen:
        chosen["observation_end"] = pd.Timestamp(chosen["observation_end"])
    for key in ("cac", "margin", "discount_rate", "annual_churn"):
        if key in chosen and chosen[key] is not None:
            chosen[key] = float(chosen[key])  # type: ignore[arg-type]
    return ReportParameters(**chosen)  # type: ignore[arg-type]


def report_from_file(
    source: Path,
    target: Path,
    *,
    language: Language = "en",
    overrides: ParameterOverrides = ParameterOverrides(),
    force: bool = False,
    skip_bad_rows: bool = False,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Write the report of the transactions in ``source`` to the new workbook ``target``.

    Returns
    -------
    str
        One line for the user: what was written, and how many rows were skipped.

    Raises
    ------
    ClvError
        Bad input (with the rows and columns at fault), an existing ``target`` without
        ``force``, ``target`` being the input itself (by file identity), or a ``target``
        that cannot be written (:func:`clv_xl.files.check_output_file`).
    """
    step = progress or (lambda _name: None)
    check_output_file(target, force=force, inputs=(source,))
    if target.suffix.lower() != ".xlsx":
        raise ClvError(ExcelErrorCode.VALUE, "report_not_xlsx", path=str(target))
    step("read")
    transactions = read_transactions(source, on_error="skip" if skip_bad_rows else "raise")
    step("build")
    model = build(transactions.table, transactions.parameters, overrides, language)
    write_report(model, target, force=force, inputs=(source,), progress=step)
    summary = message(
        "report_written",
        language,
        path=str(target),
        customers=len(model.customers.rows),
        skipped=transactions.skipped_rows,
    )
    customers = len(model.customers.rows)
    if rows_that_fit(FIRST_DATA_ROW, customers) < customers:
        csv = overflow_path(target, language)
        summary += " " + message("report_csv_written", language, customers=customers, path=str(csv))
    return summary


def build(
    table: pd.DataFrame, sheet_parameters: Mapping[str, object], overrides: ParameterOverrides, language: Language
) -> ReportModel:
    """The report model of validated transactions (shared by the CLI and the Excel button)."""
    return build_report(table, parameters_from(sheet_parameters, overrides, language))
