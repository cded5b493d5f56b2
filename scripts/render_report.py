"""Render the report to PDF and PNG with LibreOffice, to look at every page as its user would.

    python scripts/render_report.py [--out DIR] [--lang en|it] [--data sample|cdnow]
                                    [--cac 20] [--margin 0.3] [--dpi 80] [--docs]

Writes the report of the sample transactions (the orders template's sample, with its
parameters sheet) or of the full CDNOW orders (``CDNOW_master.txt`` of the lifetimes
package, a test dependency: 23,570 customers, 1997-1998) into DIR (default
``build/render``), through the command line's code path; LibreOffice recalculates and
prints it (its print setup: A4 landscape, the first sheet on one page) in the
language's locale (Italian: ``1.234,56``, ``31/01/2024``); ``pdftoppm`` makes one PNG
per page. With ``--docs`` it also writes the README's picture,
``docs/images/report.png`` (first page, 110 dpi).

Needs LibreOffice (``soffice``) and poppler (``pdftoppm``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from libreoffice import convert  # noqa: E402

from clv_xl.report.run import ParameterOverrides, report_from_file  # noqa: E402
from clv_xl.templates import write_templates  # noqa: E402
from clv_xl.templates.orders import transactions_workbook  # noqa: E402

LOCALES = {"en": "en-GB", "it": "it-IT"}


def _orders(folder: Path, data: str, language: str) -> Path:
    """The orders file to report on, written into ``folder``."""
    if data == "sample":
        write_templates(folder, language)  # type: ignore[arg-type]
        return folder / transactions_workbook(sample=True).file_name(language)  # type: ignore[arg-type]
    from cdnow_data import cdnow_transactions

    source = folder / "cdnow.csv"
    cdnow_transactions(full=True).to_csv(source, index=False, date_format="%Y-%m-%d")
    return source


def render(out_dir: Path, language: str, data: str, overrides: ParameterOverrides, docs: bool, dpi: int) -> list[Path]:
    """Write the report, its PDF and its PNG pages into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"report_{data}_{language}" + (f"_cac{overrides.cac:g}" if overrides.cac is not None else "")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        source = _orders(folder, data, language)
        report = out_dir / f"{name}.xlsx"
        print(report_from_file(source, report, language=language, overrides=overrides, force=True))  # type: ignore[arg-type]
        (pdf,) = convert([report], out_dir, folder, target="pdf", timeout=600, locale=LOCALES[language])
    prefix = out_dir / pdf.stem
    for old in out_dir.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    pages = sorted(out_dir.glob(f"{pdf.stem}-*.png"))
    if docs:
        command = ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf)]
        subprocess.run([*command, str(ROOT / "docs" / "images" / "report")], check=True)
    return [report, pdf, *pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "render")
    parser.add_argument("--lang", choices=("en", "it"), default="en")
    parser.add_argument("--data", choices=("sample", "cdnow"), default="sample")
    parser.add_argument("--cac", type=float, default=None)
    parser.add_argument("--margin", type=float, default=None)
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("--docs", action="store_true", help="also write docs/images/report.png")
    arguments = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is missing: apt-get install poppler-utils")
    overrides = ParameterOverrides(cac=arguments.cac, margin=arguments.margin)
    for path in render(arguments.out, arguments.lang, arguments.data, overrides, arguments.docs, arguments.dpi):
        print(path)


if __name__ == "__main__":
    main()
