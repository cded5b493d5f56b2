"""The first sheet of every template: what it is for, how to fill it in, where the numbers come from."""

from __future__ import annotations

from clv_xl.i18n import Text
from clv_xl.sources import cite
from clv_xl.templates.workbook_spec import ADDIN_MISSING, Cell, Sheet

__all__ = ["ABOUT_SHEET_NAME", "ADDIN_NOTE", "HEADINGS", "about_sheet", "source_lines"]

ABOUT_SHEET_NAME = Text("Read me", "Leggimi")

#: The four questions the first sheet answers, in order.
HEADINGS: tuple[Text, ...] = (
    Text("What it is for", "A cosa serve"),
    Text("How to fill it in", "Come si compila"),
    Text("Where the numbers come from", "Da dove vengono i numeri"),
    Text("The CLV functions and the add-in", "Le funzioni CLV e il componente aggiuntivo"),
)

#: Said in every template: which cells need the add-in and what works without it.
ADDIN_NOTE = Text(
    "Nothing to install to use this workbook: every result is also computed with ordinary Excel formulas, "
    'in Excel for Windows and Mac, Excel on the web and LibreOffice. The cells marked "With the add-in" use '
    "the functions of the clv_xl add-in instead (=CLV(...), =APV(...), =LTV_CAC(...); install it with "
    f'install.ps1 on Windows desktop Excel): without the add-in they show "{ADDIN_MISSING.en}" and the '
    "column beside them gives the same figure. The function names are the same in Italian and English Excel.",
    "Per usare questa cartella non serve installare nulla: ogni risultato è calcolato anche con normali "
    "formule di Excel, in Excel per Windows e per Mac, in Excel per il web e in LibreOffice. Le celle "
    "indicate con «Con il componente» usano invece le funzioni del componente aggiuntivo clv_xl (=CLV(...), "
    "=APV(...), =LTV_CAC(...); si installa con install.ps1 su Excel per Windows): senza il componente "
    f"mostrano «{ADDIN_MISSING.it}» e la colonna accanto dà la stessa cifra. I nomi delle funzioni sono "
    "gli stessi nell'Excel italiano e in quello inglese.",
)


def source_lines(*used: tuple[str, Text]) -> tuple[Text, ...]:
    """One line per article used, ``– «Title» (publisher): what the workbook takes from it``."""
    lines = []
    for key, what in used:
        cited = cite(key, notes=(what,))
        lines.append(Text(f"– {cited.en}.", f"– {cited.it}."))
    return tuple(lines)


def about_sheet(title: Text, purpose: Text, how_to: tuple[Text, ...], sources: tuple[Text, ...]) -> Sheet:
    """The explanation sheet: a title and the answers to :data:`HEADINGS` in plain words.

    ``how_to`` is a list of steps and ``sources`` a list of paragraphs (the articles by
    title and publisher, see :func:`source_lines`), shown one per row.
    """
    cells: list[Cell] = [Cell("A1", title, "title")]
    row = 3
    answers: tuple[tuple[Text, ...], ...] = ((purpose,), how_to, sources, (ADDIN_NOTE,))
    for heading, paragraphs in zip(HEADINGS, answers, strict=True):
        cells.append(Cell(f"A{row}", heading, "heading"))
        row += 1
        for paragraph in paragraphs:
            cells.append(Cell(f"A{row}", paragraph, "text"))
            row += 1
        row += 1
    return Sheet(ABOUT_SHEET_NAME, tuple(cells), column_widths={"A": 75})
