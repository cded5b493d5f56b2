"""The first sheet of every template: what it is for, how to fill it in, where the numbers come from."""

from __future__ import annotations

from clv_xl.i18n import Text
from clv_xl.templates.workbook_spec import Cell, Sheet

__all__ = ["ABOUT_SHEET_NAME", "ADDIN_NOTE", "HEADINGS", "about_sheet"]

ABOUT_SHEET_NAME = Text("Read me", "Leggimi")

#: The four questions the first sheet answers, in order.
HEADINGS: tuple[Text, ...] = (
    Text("What it is for", "A cosa serve"),
    Text("How to fill it in", "Come compilarlo"),
    Text("Where the numbers come from", "Da dove vengono i numeri"),
    Text("The CLV functions and the add-in", "Le funzioni CLV e il componente aggiuntivo"),
)

#: Said in every template: which cells need the add-in and what works without it.
ADDIN_NOTE = Text(
    "Formulas such as =CLV(...), =APV(...) or =LTV_CAC(...) are functions of the clv_xl add-in "
    "(install it with install.ps1 on Windows desktop Excel). Without the add-in those cells show "
    "#NAME?; the column beside them gives the same result with ordinary Excel formulas, so the "
    "workbook still works in LibreOffice, Excel on the web and Excel for Mac. The function names "
    "are the same in Italian and English.",
    "Le formule come =CLV(...), =APV(...) o =LTV_CAC(...) sono funzioni del componente aggiuntivo "
    "clv_xl (si installa con install.ps1 su Excel per Windows). Senza il componente quelle celle "
    "mostrano #NOME?; la colonna accanto dà lo stesso risultato con formule normali di Excel, quindi "
    "la cartella funziona anche in LibreOffice, Excel per il web ed Excel per Mac. I nomi delle "
    "funzioni sono gli stessi in italiano e in inglese.",
)


def about_sheet(title: Text, purpose: Text, how_to: tuple[Text, ...], sources: Text) -> Sheet:
    """The explanation sheet: a title and the answers to :data:`HEADINGS` in plain words.

    ``how_to`` is a list of steps, shown one per row.
    """
    cells: list[Cell] = [Cell("A1", title, "title")]
    row = 3
    answers: tuple[tuple[Text, ...], ...] = ((purpose,), how_to, (sources,), (ADDIN_NOTE,))
    for heading, paragraphs in zip(HEADINGS, answers, strict=True):
        cells.append(Cell(f"A{row}", heading, "heading"))
        row += 1
        for paragraph in paragraphs:
            cells.append(Cell(f"A{row}", paragraph, "text"))
            row += 1
        row += 1
    return Sheet(ABOUT_SHEET_NAME, tuple(cells), column_widths={"A": 75})
