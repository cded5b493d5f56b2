"""The catalogue of clv_xl's Excel functions, as data.

One entry per Excel function: its name, the core function it calls, its arguments
with help texts in English and Italian, the formula, the source document and a worked
example. Everything that shows a function to a user is derived from here: the xlwings
registration (:mod:`clv_xl.udfs`), the CLI's ``functions`` listing and ``calc``
command, and the README's function reference (a test checks they agree).

Each group of functions lives in its own module and is added to :data:`FUNCTIONS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from clv_xl.catalogue.formulas import FORMULA_FUNCTIONS
from clv_xl.catalogue.models import MODEL_FUNCTIONS
from clv_xl.catalogue.spec import CATEGORY, Argument, CellEvaluator, ExcelFunction, Text
from clv_xl.catalogue.transactions import TRANSACTION_FUNCTIONS

__all__ = ["CATEGORY", "FUNCTIONS", "Argument", "CellEvaluator", "ExcelFunction", "Text", "find"]

FUNCTIONS: tuple[ExcelFunction, ...] = FORMULA_FUNCTIONS + MODEL_FUNCTIONS + TRANSACTION_FUNCTIONS

_BY_NAME: Mapping[str, ExcelFunction] = MappingProxyType({f.name: f for f in FUNCTIONS})


def find(name: str) -> ExcelFunction | None:
    """The catalogue entry for an Excel function name (any case), or None."""
    return _BY_NAME.get(name.strip().upper())
