"""The catalogue of clv_xl's Excel functions, as data.

One entry per Excel function: its name, the core function it calls, its arguments
with help texts in English and Italian, the formula, the source document and a worked
example. Everything that shows a function to a user is derived from here: the xlwings
registration (:mod:`clv_xl.udfs`), the CLI's ``functions`` listing and ``calc``
command, and the README's function reference (a test checks they agree).

Each group of functions lives in its own module, a table of entries, and is added to
:data:`FUNCTIONS`: :mod:`~clv_xl.catalogue.formula_functions` (the documents' formulas),
:mod:`~clv_xl.catalogue.model_functions` (the predictive models) and
:mod:`~clv_xl.catalogue.order_functions` (whole columns of orders). The shape of an
entry is :mod:`clv_xl.function_spec`; the machinery that evaluates entries on Excel's
cells is :mod:`clv_xl.cells`, :mod:`clv_xl.order_ranges` and :mod:`clv_xl.model_ranges`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from clv_xl.catalogue.formula_functions import FORMULA_FUNCTIONS
from clv_xl.catalogue.model_functions import MODEL_FUNCTIONS
from clv_xl.catalogue.order_functions import ORDER_FUNCTIONS
from clv_xl.function_spec import ExcelFunction

__all__ = ["FUNCTIONS", "find"]

FUNCTIONS: tuple[ExcelFunction, ...] = FORMULA_FUNCTIONS + MODEL_FUNCTIONS + ORDER_FUNCTIONS

_BY_NAME: Mapping[str, ExcelFunction] = MappingProxyType({f.name: f for f in FUNCTIONS})


def find(name: str) -> ExcelFunction | None:
    """The catalogue entry for an Excel function name (any case), or None."""
    return _BY_NAME.get(name.strip().upper())
