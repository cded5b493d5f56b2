"""Template workbooks described as data and rendered by one builder.

* :mod:`clv_xl.templates.workbook_spec` — the shape of a template (sheets, cells, tables, charts);
* :mod:`clv_xl.templates.worked_examples`, :mod:`~clv_xl.templates.calculator`,
  :mod:`~clv_xl.templates.orders`, :mod:`~clv_xl.templates.predictive` — the
  templates themselves, as data;
* :mod:`clv_xl.templates.orders_layout` — names of the transactions workbook shared with its readers;
* :mod:`clv_xl.templates.builder` — the openpyxl renderer.
"""

from __future__ import annotations

from pathlib import Path

from clv_xl.i18n import Language
from clv_xl.templates.builder import save
from clv_xl.templates.calculator import calculator_workbook
from clv_xl.templates.orders import transactions_workbook
from clv_xl.templates.predictive import predictive_workbook
from clv_xl.templates.workbook_spec import WorkbookSpec
from clv_xl.templates.worked_examples import worked_examples_workbook

__all__ = ["templates", "write_templates"]


def templates() -> tuple[WorkbookSpec, ...]:
    """Every template, in the order they are written: examples, calculator, orders, sample orders, predictive."""
    return (
        worked_examples_workbook(),
        calculator_workbook(),
        transactions_workbook(),
        transactions_workbook(sample=True),
        predictive_workbook(),
    )


def write_templates(out_dir: Path, language: Language) -> list[Path]:
    """Write every template in ``language`` into ``out_dir`` (created if missing); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [save(spec, language, out_dir) for spec in templates()]
