"""The Excel functions of clv_xl, registered with xlwings (classic add-in, Windows Excel).

Each function is built from its entry in :mod:`clv_xl.catalogue` and is a thin face of
:func:`clv_xl.cells.evaluate`: it hands over the arguments exactly as Excel passed them
and returns a number, an error text, or a table that Excel 365 spills.

xlwings reads the signature, the argument help texts and the category from the
metadata that ``xw.func`` and ``xw.arg`` attach (``f.__xlfunc__``); Excel's "Import
Functions" turns them into VBA wrappers and Function Wizard descriptions. Every
argument is read with ``ndim=2`` (a single cell becomes a 1×1 table, so ranges and
cells are handled alike) and ``err_to_str=True`` (an error cell arrives as its text,
e.g. ``"#N/A"``, and is reported rather than read as empty). Functions that read whole
ranges or fit a model are registered with ``call_in_wizard=False``
(:attr:`clv_xl.function_spec.ExcelFunction.call_in_wizard`): the Function Wizard does
not run them on every keystroke.

Help texts are in the language given by ``CLV_XL_LANG`` (``it`` or ``en``) or the
system locale when the module is imported; error texts in a cell follow the same
setting at the time of the call.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import xlwings as xw

from clv_xl.catalogue import FUNCTIONS
from clv_xl.cells import CellResult, evaluate
from clv_xl.function_spec import CATEGORY, ExcelFunction
from clv_xl.i18n import Language, current_language

__all__ = [function.name for function in FUNCTIONS]


def _make_udf(function: ExcelFunction, help_language: Language) -> Callable[..., CellResult]:
    """Build the xlwings function for one catalogue entry."""

    def udf(*arguments: object) -> CellResult:
        return evaluate(function, arguments, current_language())

    udf.__name__ = udf.__qualname__ = function.name
    udf.__module__ = __name__
    udf.__doc__ = function.description(help_language)
    # xlwings takes annotations as converters; the result needs none (numbers, texts, lists)
    udf.__annotations__ = {}
    udf.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                argument.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=argument.default if argument.optional else inspect.Parameter.empty,
            )
            for argument in function.arguments
        ]
    )
    registered: Callable[..., CellResult] = udf
    for argument in function.arguments:
        registered = xw.arg(argument.name, ndim=2, err_to_str=True, doc=argument.help(help_language))(registered)
    # xw.func last: with the Windows xlwings every xw.arg call resets the category (and call_in_wizard)
    return xw.func(category=CATEGORY, call_in_wizard=function.call_in_wizard)(registered)


def _register_all() -> None:
    help_language = current_language()
    for function in FUNCTIONS:
        globals()[function.name] = _make_udf(function, help_language)


_register_all()
