"""The shape of a catalogue entry: an Excel function described as data.

Below :mod:`clv_xl.cells` (which evaluates these entries) and the catalogue (which
lists them), so that both import it and neither imports the other's callers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from clv_xl.i18n import Language, Text

__all__ = ["CATEGORY", "Argument", "CellEvaluator", "CellResult", "CellValue", "ExcelFunction", "argument"]

#: The Function Wizard category every clv_xl function is listed under.
CATEGORY = "CLV"


@dataclass(frozen=True)
class Argument:
    """One argument of an Excel function.

    ``default`` is None for a required argument; an optional argument left out, or
    given an empty cell, takes its default. A text default (``""``) marks an optional
    argument whose absence a function's own ``evaluator`` handles (e.g. APV's one-range
    form).
    """

    name: str
    help: Text
    default: float | str | None = None

    @property
    def optional(self) -> bool:
        """True when the argument may be left out."""
        return self.default is not None


def argument(name: str, en: str, it: str, default: float | str | None = None) -> Argument:
    """An :class:`Argument` with its help text in English and Italian (catalogue shorthand)."""
    return Argument(name, Text(en, it), default)


#: What one cell shows: a number or a text (an error text starts with the Excel error code).
CellValue = float | str
#: What a function gives Excel: one value, or a table of them (list of rows) that spills.
CellResult = CellValue | list[list[CellValue]]

#: Evaluates a function on Excel-shaped arguments (lists of rows); must not raise.
CellEvaluator = Callable[["ExcelFunction", Sequence[object], Language], CellResult]


@dataclass(frozen=True)
class ExcelFunction:
    """An Excel function of clv_xl and the core function it is a thin face of.

    ``compute`` is called with keyword arguments named as ``arguments``. ``formula`` is
    a :class:`~clv_xl.i18n.Text` when it has words to translate, a plain string when it
    is notation only (the same in both languages). By default
    :func:`clv_xl.cells.evaluate` reads every argument as numbers, element-wise;
    functions that take other kinds of ranges (customer ids, dates) give their own
    ``evaluator``.
    """

    name: str
    compute: Callable[..., object]
    arguments: tuple[Argument, ...]
    summary: Text
    formula: Text | str
    source: Text
    example: tuple[float, ...] | None = None
    example_result: float | None = None
    extra_help: Text = field(default=Text("", ""))
    evaluator: CellEvaluator | None = None

    @property
    def call_in_wizard(self) -> bool:
        """Whether Excel's Function Wizard may run the function while its arguments are typed.

        The rule is one of the data, not a list of names: an entry with its own
        ``evaluator`` reads whole ranges (orders, customer columns, fitted parameters)
        or fits a model, which the Function Wizard would repeat on every keystroke; it is
        registered with ``xw.func(call_in_wizard=False)``, and xlwings writes a guard
        into its VBA wrapper that returns at once while the wizard is open. Entries
        evaluated element-wise by :func:`clv_xl.cells.evaluate` are cheap and show
        their result in the wizard.
        """
        return self.evaluator is None

    def signature(self) -> str:
        """``CLV(apv, acl, [cac], ...)`` as a user types it."""
        parts = [f"[{a.name}]" if a.optional else a.name for a in self.arguments]
        return f"{self.name}({', '.join(parts)})"

    def formula_text(self, language: Language) -> str:
        """The formula in ``language``."""
        return self.formula(language) if isinstance(self.formula, Text) else self.formula

    def description(self, language: Language) -> str:
        """The one-line description the Function Wizard shows (at most 255 characters)."""
        return f"{self.summary(language)} {self.formula_text(language)}"[:255]
