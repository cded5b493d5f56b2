"""The add-in's "CLV report" button: the report of the open workbook, inside it.

``clv_xl.main()`` (run by the ribbon button through xlwings' ``RunPython``) calls
:func:`run_from_excel`. It reads the transactions of the workbook that called it
(the first sheet whose header row names customer id, date and amount), and its
parameters sheet if any, builds the same report model as the command line, and
writes it into the report sheet (:mod:`clv_xl.report.live`): only that sheet is
replaced. Excel's status bar shows each step; bad data ends in a message box that
says what is wrong and where, never in a Python traceback.
"""

from __future__ import annotations

from typing import Any

from clv_xl.data.aliases import PARAMETER_SHEETS, REQUIRED_COLUMNS, normalise_name
from clv_xl.data.parameters import read_parameter_rows
from clv_xl.data.reader import transactions_from_rows
from clv_xl.data.validation import Transactions
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import Language, current_language, message
from clv_xl.report.live import write_into_book
from clv_xl.report.run import PROGRESS_STEPS, ParameterOverrides, build
from clv_xl.report.sheet_layout import SHEETS

__all__ = ["report_in_book", "run_from_excel"]


def run_from_excel() -> None:
    """Entry point of the ribbon button (through ``clv_xl.main``)."""
    import xlwings as xw  # only here: the rest of the package never needs Excel

    report_in_book(xw.Book.caller())


def report_in_book(book: Any, language: Language | None = None) -> bool:
    """Build the report of ``book``'s transactions into its report sheet.

    Returns
    -------
    bool
        True when the report was written; False when a message box explained why not.
    """
    lang = language or current_language()
    app = book.app
    try:
        _status(app, "read", lang)
        transactions = _transactions(book, lang)
        _status(app, "build", lang)
        model = build(transactions.table, transactions.parameters, ParameterOverrides(), lang)
        _status(app, "report", lang)
        sheet = write_into_book(book, model)
        app.status_bar = message("report_done", lang, sheet=sheet.name)
        return True
    except ClvError as error:
        app.alert(error.message(lang), title="clv_xl", mode="critical")
    except Exception as error:  # noqa: BLE001 - the user gets a message box, never a traceback
        app.alert(message("unexpected", lang, function="CLV report", value=error), title="clv_xl", mode="critical")
    app.status_bar = False
    return False


def _status(app: Any, step: str, language: Language) -> None:
    app.status_bar = message("report_status", language, step=PROGRESS_STEPS[step](language))


def _rows(sheet: Any) -> tuple[list[list[object]], int]:
    """The used cells of a sheet, row by row, and the sheet row number of the first."""
    used = sheet.used_range
    values = used.options(ndim=2).value
    return (values if values else []), used.row


def _transactions(book: Any, language: Language) -> Transactions:
    """The transactions of the first sheet that has them, with that sheet's parameters."""
    report_names = {text(lang) for text in (SHEETS["report"],) for lang in ("en", "it")}
    parameters: dict[str, object] = {}
    found: Transactions | None = None
    for sheet in book.sheets:
        if sheet.name in report_names:
            continue
        source = f"{book.name} [{sheet.name}]"
        if normalise_name(sheet.name) in PARAMETER_SHEETS:
            parameters = read_parameter_rows(_rows(sheet)[0], source=source)
            continue
        if found is None:
            rows, first_row = _rows(sheet)
            found = transactions_from_rows(rows, source=source, first_row=first_row, on_error="raise")
    if found is None:
        raise ClvError(
            ExcelErrorCode.VALUE, "report_no_transactions", book=book.name, columns=", ".join(REQUIRED_COLUMNS)
        )
    return Transactions(found.table, found.source, found.skipped_rows, found.problems, parameters)
