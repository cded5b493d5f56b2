"""Render the sample report to PDF and PNG with LibreOffice, to look at it.

    python scripts/render_report.py [--out DIR] [--lang en|it] [--docs]

Writes the report of the sample transactions into DIR (default ``build/render``),
recalculated and printed by LibreOffice (its print setup: A4 landscape, one page
wide), and one PNG per page (``pdftoppm``). With ``--docs`` it also writes the
README's picture, ``docs/images/report.png`` (first page, 70 dpi).

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

from clv_xl.report.run import report_from_file  # noqa: E402
from clv_xl.templates import write_templates  # noqa: E402
from clv_xl.templates.orders import transactions_workbook  # noqa: E402


def render(out_dir: Path, language: str, docs: bool) -> list[Path]:
    """Write the sample report, its PDF and its PNG pages into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        write_templates(folder, language)  # type: ignore[arg-type]
        sample = folder / transactions_workbook(sample=True).file_name(language)  # type: ignore[arg-type]
        report = out_dir / f"report_{language}.xlsx"
        report_from_file(sample, report, language=language, force=True)  # type: ignore[arg-type]
        (pdf,) = convert([report], out_dir, folder, target="pdf")
    prefix = out_dir / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(prefix)], check=True)
    pages = sorted(out_dir.glob(f"{pdf.stem}*.png"))
    if docs:
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(ROOT / "docs" / "images" / "report"),
            ],
            check=True,
        )
    return [report, pdf, *pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "render")
    parser.add_argument("--lang", choices=("en", "it"), default="en")
    parser.add_argument("--docs", action="store_true", help="also write docs/images/report.png")
    arguments = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is missing: apt-get install poppler-utils")
    for path in render(arguments.out, arguments.lang, arguments.docs):
        print(path)


if __name__ == "__main__":
    main()
