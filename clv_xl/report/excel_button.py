"""The add-in's "CLV report" button: the command line's report, beside the open workbook.

``clv_xl.main()`` (run by the ribbon button through xlwings' ``RunPython``) calls
:func:`run_from_excel`. The Windows part is as thin as it can be:

1. Excel saves a copy of the workbook that called (``Workbook.SaveCopyAs``) into a
   temporary folder: edits not yet saved are included, and the open workbook is left
   untouched (its file, its name, its undo history);
2. the copy is read by the command line's reader (:func:`clv_xl.data.read_transactions`,
   which finds the orders sheet and the parameters sheet) and the report is written by
   the same renderer (:func:`clv_xl.report.run.report_from_file`);
3. the report goes beside the workbook as ``<name> - CLV report.xlsx`` (``... (2).xlsx``
   and so on when that name is taken: nothing is ever overwritten; when another report
   takes the name while this one is written, the next number), or into the Documents
   folder for a workbook never saved or kept online;
4. Excel opens it.

Excel's status bar shows each step; bad data ends in a message box that says what is
wrong and where (row and column), never in a Python traceback. Only
:func:`run_from_excel` imports xlwings; the rest uses a few attributes of the book
(``name``, ``fullname``, ``api.SaveCopyAs``, ``app.status_bar``, ``app.alert``,
``app.books.open``), which the tests provide with a recording stand-in.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from clv_xl.errors import ClvError
from clv_xl.files import WORKBOOK_SUFFIXES
from clv_xl.i18n import Language, Text, current_language, message
from clv_xl.report.run import PROGRESS_STEPS, report_to_new_file
from clv_xl.report.sheet_layout import SHEETS

__all__ = ["report_for_book", "report_path", "run_from_excel"]

#: The first step, before the command line's steps.
COPY_STEP = Text("saving a copy of the workbook", "copia della cartella di lavoro")
#: File kinds Excel opens whose copy the reader can read as they are (others are copied as .xlsx).
_READABLE_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".txt")


def run_from_excel() -> None:
    """Entry point of the ribbon button (through ``clv_xl.main``)."""
    import xlwings as xw  # only here: the rest of the package never needs Excel

    report_for_book(xw.Book.caller())


def report_path(folder: Path, book_name: str, language: Language) -> Path:
    """A new file name for the report of ``book_name`` in ``folder``: ``<name> - CLV report.xlsx``, then ``(2)``...

    The first name that does not exist yet.
    """
    stem = Path(book_name).stem if Path(book_name).suffix.lower() in _READABLE_SUFFIXES else book_name
    base = f"{stem} - {SHEETS['report'](language)}"
    candidate = folder / f"{base}.xlsx"
    number = 2
    while candidate.exists():
        candidate = folder / f"{base} ({number}).xlsx"
        number += 1
    return candidate


def _folder_of(book: Any) -> Path:
    """The workbook's folder; Documents (or the home folder) when it has none on this computer."""
    full = Path(str(book.fullname))
    if full.is_absolute() and full.parent.is_dir():
        return full.parent
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def _copy_name(book_name: str) -> str:
    """The temporary copy's file name: the workbook's (so messages name it), as .xlsx if Excel gave no known kind."""
    return book_name if Path(book_name).suffix.lower() in _READABLE_SUFFIXES else f"{book_name}.xlsx"


def report_for_book(book: Any, language: Language | None = None) -> Path | None:
    """Write the report of ``book``'s orders beside it and open it in Excel.

    Returns
    -------
    Path or None
        The report written; None when a message box explained why there is none.
    """
    lang = language or current_language()
    app = book.app

    def status(step: str) -> None:
        text = COPY_STEP(lang) if step == "copy" else PROGRESS_STEPS[step](lang) if step in PROGRESS_STEPS else step
        app.status_bar = message("report_status", lang, step=text)

    try:
        status("copy")
        folder, name = _folder_of(book), str(book.name)
        with tempfile.TemporaryDirectory(prefix="clv_xl-") as work:
            copy = Path(work) / _copy_name(name)
            book.api.SaveCopyAs(str(copy))
            # the first free numbered name; the next one if another report takes it meanwhile
            target = report_to_new_file(copy, lambda: report_path(folder, name, lang), language=lang, progress=status)
        app.books.open(str(target))
        app.status_bar = message("report_done", lang, path=str(target))
        return target
    except ClvError as error:
        app.alert(error.message(lang), title="clv_xl", mode="critical")
    except Exception as error:  # noqa: BLE001 - the user gets a message box, never a traceback
        app.alert(message("unexpected", lang, function="CLV report", value=error), title="clv_xl", mode="critical")
    app.status_bar = False
    return None
