"""What the template tests share: the built templates and their add-in cells.

An add-in cell is a cell of a template spec whose formula calls a clv_xl function;
the spec gives its native twin (``Cell.twin``). :func:`addin_cells` lists them, and
:func:`calls_addin` recognises such a formula in a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clv_xl.catalogue import FUNCTIONS
from clv_xl.i18n import LANGUAGES, Language
from clv_xl.templates import templates
from clv_xl.templates.workbook_spec import WorkbookSpec, localise

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "workbook_templates"

_ADDIN_CALL = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(f.name for f in FUNCTIONS) + r")\(", re.IGNORECASE)


def calls_addin(formula: object) -> bool:
    """Whether ``formula`` (a cell's content) calls a clv_xl add-in function."""
    return isinstance(formula, str) and formula.startswith("=") and _ADDIN_CALL.search(formula) is not None


@dataclass(frozen=True)
class AddinCell:
    """An add-in cell of a template and where its native twin is."""

    file_name: str
    sheet: str
    ref: str
    twin: str
    formula: str


def committed_path(spec: WorkbookSpec, language: Language) -> Path:
    return COMMITTED / language / spec.file_name(language)


def all_templates() -> Iterator[tuple[WorkbookSpec, Language]]:
    for language in LANGUAGES:
        for spec in templates():
            yield spec, language


def addin_cells(spec: WorkbookSpec, language: Language) -> list[AddinCell]:
    """Every cell of ``spec`` whose formula calls the add-in (each must name its twin)."""
    found = []
    for sheet in spec.sheets:
        for cell in sheet.cells:
            value = localise(cell.value, language)
            if calls_addin(value):
                assert cell.twin is not None, (
                    f"{sheet.name(language)}!{cell.ref} calls the add-in but has no native twin"
                )
                found.append(AddinCell(spec.file_name(language), sheet.name(language), cell.ref, cell.twin, str(value)))
    return found
