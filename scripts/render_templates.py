"""Render the template workbooks to PDF and PNG with LibreOffice, to look at them.

    python scripts/render_templates.py [--out DIR] [--lang en|it] [--docs]

Writes into DIR (default ``build/render``) one PDF per template, every sheet, and a
PNG per page (``pdftoppm``), recalculated by LibreOffice as a user without the add-in
sees them (add-in cells say that they need the add-in), the Italian files with an
Italian LibreOffice profile (decimal comma, day-first dates). With ``--docs`` it also
writes the pictures of the guides: one sheet per template (:data:`README_SHEETS`), first
page, 60 dpi, into ``docs/images/`` (English, README.md) or ``docs/images/it/``
(Italian, LEGGIMI.md).

Needs LibreOffice (``soffice``) and poppler (``pdftoppm``); uses the soffice helper
of the tests (isolated profile that always recalculates).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from libreoffice import convert  # noqa: E402

from clv_xl.i18n import Language  # noqa: E402
from clv_xl.templates import templates, write_templates  # noqa: E402

#: The sheet shown in the README for each template, by position (0 is the explanation sheet).
README_SHEETS: dict[str, int] = {
    "clv_examples.xlsx": 3,  # the step-by-step method of document 002
    "clv_calculator.xlsx": 1,
    "clv_data_sample.xlsx": 1,
    "clv_predictive.xlsx": 2,  # the customers with P(alive), spend and purchases
}


def _pages(pdf: Path, out_dir: Path, resolution: int, first_only: bool) -> list[Path]:
    prefix = out_dir / pdf.stem
    command = ["pdftoppm", "-png", "-r", str(resolution)]
    command += ["-f", "1", "-l", "1", "-singlefile"] if first_only else []
    subprocess.run([*command, str(pdf), str(prefix)], check=True)
    return sorted(out_dir.glob(f"{pdf.stem}*.png"))


def _only_sheet(source: Path, index: int, target: Path) -> Path:
    """A copy of ``source`` whose other sheets are hidden, so the PDF starts with sheet ``index``."""
    workbook = openpyxl.load_workbook(source)
    for position, sheet in enumerate(workbook.worksheets):
        sheet.sheet_state = "visible" if position == index else "hidden"
    workbook.active = index
    workbook.save(target)
    return target


def render(out_dir: Path, language: Language, docs: bool) -> list[Path]:
    """Render every template of ``language``; return the files written."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        sources = write_templates(work / "templates", language)
        locale = "it-IT" if language == "it" else "en-GB"
        pdfs = convert(sources, out_dir, work, target="pdf", locale=locale)
        for pdf in pdfs:
            written += [pdf, *_pages(pdf, out_dir, 80, first_only=False)]
        if docs:
            images = ROOT / "docs" / "images" / ("it" if language == "it" else "")
            images.mkdir(parents=True, exist_ok=True)
            chosen = [
                _only_sheet(path, README_SHEETS[spec.file_name("en")], work / spec.file_name("en"))
                for spec, path in zip(templates(), sources, strict=True)
                if spec.file_name("en") in README_SHEETS
            ]
            for pdf in convert(chosen, work / "docs", work, target="pdf", locale=locale):
                (png,) = _pages(pdf, work / "docs", 60, first_only=True)
                written.append(Path(shutil.copy(png, images / png.name)))
    return written


def main() -> None:
    """Parse the command line and render."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "render")
    parser.add_argument("--lang", choices=["en", "it"], default="en")
    parser.add_argument("--docs", action="store_true", help="also write the README's pictures into docs/images/")
    arguments = parser.parse_args()
    for path in render(arguments.out, arguments.lang, arguments.docs):
        print(path)


if __name__ == "__main__":
    main()
