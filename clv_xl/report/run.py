"""The report job: from a transactions file to a new report workbook.

Reads (never writes) the input, merges the parameters of its parameters sheet with
the user's options, builds the model and writes the workbook atomically.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping
from contextlib import suppress
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

__all__ = [
    "MAX_NAME_ATTEMPTS",
    "give_back_freed_memory",
    "PROGRESS_STEPS",
    "ParameterOverrides",
    "parameters_from",
    "report_from_file",
    "report_to_new_file",
]

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
    _check_target(target, source, force)
    model, skipped = _read_and_build(source, language, overrides, skip_bad_rows, step)
    write_report(model, target, force=force, inputs=(source,), progress=step)
    summary = message(
        "report_written",
        language,
        path=str(target),
        customers=len(model.customers.rows),
        skipped=skipped,
    )
    customers = len(model.customers.rows)
    if rows_that_fit(FIRST_DATA_ROW, customers) < customers:
        csv = overflow_path(target, language)
        summary += " " + message("report_csv_written", language, customers=customers, path=str(csv))
    return summary


#: How many numbered names a report tries when each one is taken in turn while it is written.
MAX_NAME_ATTEMPTS = 100


def report_to_new_file(
    source: Path,
    new_name: Callable[[], Path],
    *,
    language: Language = "en",
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the report of ``source`` under the name ``new_name()`` gives, never replacing a file.

    The ribbon button's way (:mod:`clv_xl.report.excel_button`): ``new_name`` gives the
    first free numbered name. Output files are created exclusively, so when another
    report takes that name while this one is being written (two buttons pressed at
    once), the write is refused; the report then takes the next free name instead of
    ending with an error (the orders are read and the figures computed once).

    Raises
    ------
    ClvError
        As :func:`report_from_file`; ``file_exists`` only when :data:`MAX_NAME_ATTEMPTS`
        names were taken in turn.
    """
    step = progress or (lambda _name: None)
    target = new_name()
    _check_target(target, source, False)
    model, _ = _read_and_build(source, language, ParameterOverrides(), False, step)
    for attempt in range(MAX_NAME_ATTEMPTS):
        try:
            _check_target(target, source, False)
            write_report(model, target, inputs=(source,), progress=step)
            return target
        except ClvError as error:
            if error.key != "file_exists" or attempt == MAX_NAME_ATTEMPTS - 1:
                raise
        target = new_name()
    raise AssertionError("unreachable")  # pragma: no cover


def _check_target(target: Path, source: Path, force: bool) -> None:
    check_output_file(target, force=force, inputs=(source,))
    if target.suffix.lower() != ".xlsx":
        raise ClvError(ExcelErrorCode.VALUE, "report_not_xlsx", path=str(target))


def _read_and_build(
    source: Path, language: Language, overrides: ParameterOverrides, skip_bad_rows: bool, step: Callable[[str], None]
) -> tuple[ReportModel, int]:
    """The report model of the orders in ``source``, and how many of its rows were skipped."""
    step("read")
    transactions = read_transactions(source, on_error="skip" if skip_bad_rows else "raise")
    give_back_freed_memory()
    step("build")
    model = build(transactions.table, transactions.parameters, overrides, language)
    return model, transactions.skipped_rows


def give_back_freed_memory() -> None:
    """Return to the system the memory that reading freed but the allocators keep for later.

    Reading a sheet of a million orders frees about 120 MB that stays in the process:
    Arrow's memory pool (the columns fastexcel parses) and the C heap (Python's and
    numpy's blocks). Computing and writing the report would pile up on top of it; given
    back, the whole job stays under its memory budget. Arrow's pool is released on every
    system; the C heap is trimmed where glibc offers ``malloc_trim`` (Linux), elsewhere
    it is left to the system's allocator.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def build(
    table: pd.DataFrame, sheet_parameters: Mapping[str, object], overrides: ParameterOverrides, language: Language
) -> ReportModel:
    """The report model of validated transactions (shared by the CLI and the Excel button)."""
    return build_report(table, parameters_from(sheet_parameters, overrides, language))
