"""The one exception type of clv_xl and the Excel error codes it stands for.

Every undefined computation (a division by zero, a rate outside its range, a value
that is not a number) raises :class:`ClvError`. It carries

* the Excel error code the problem stands for (``#DIV/0!``, ``#NUM!``, ``#VALUE!``),
* the name of the argument at fault and the reason, in English and Italian,
* optionally a boolean mask of the offending elements, so that the Excel layer can
  mark only the bad cells of a range and compute the others.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from clv_xl.i18n import Language, message

__all__ = ["ClvError", "ExcelErrorCode"]


class ExcelErrorCode(StrEnum):
    """Excel error codes, with the text Italian Excel shows for each."""

    DIV0 = "#DIV/0!"
    NUM = "#NUM!"
    VALUE = "#VALUE!"
    NA = "#N/A"
    NAME = "#NAME?"
    NULL = "#NULL!"
    REF = "#REF!"

    def localised(self, language: Language) -> str:
        """The code as Excel shows it in ``language`` (``#VALUE!`` is ``#VALORE!`` in Italian)."""
        if language == "it":
            return _ITALIAN_CODES.get(self, self.value)
        return self.value

    @classmethod
    def from_text(cls, text: str) -> ExcelErrorCode | None:
        """The code for an error text such as ``"#N/A"`` (English or Italian), else None."""
        cleaned = text.strip().upper()
        for code in cls:
            if cleaned in (code.value, _ITALIAN_CODES.get(code, code.value)):
                return code
        return None


_ITALIAN_CODES = {
    ExcelErrorCode.VALUE: "#VALORE!",
    ExcelErrorCode.NA: "#N/D",
    ExcelErrorCode.NAME: "#NOME?",
    ExcelErrorCode.REF: "#RIF!",
}


class ClvError(ValueError):
    """A computation of clv_xl that is not defined for the given input.

    Parameters
    ----------
    code
        The Excel error code that the problem stands for.
    key
        Key of the message in :mod:`clv_xl.i18n`; ``params`` fill its placeholders.
    argument
        Name of the argument at fault, if one is.
    mask
        Boolean array, True where an element is at fault (None for the whole input).
    params
        Values for the message placeholders (``argument`` is always available).
    """

    def __init__(
        self,
        code: ExcelErrorCode,
        key: str,
        *,
        argument: str | None = None,
        mask: npt.NDArray[np.bool_] | None = None,
        element_params: dict[str, npt.NDArray[np.float64]] | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.key = key
        self.argument = argument
        self.mask = mask
        self.element_params = element_params
        self.params = {"argument": argument, **params}
        super().__init__(self.message("en"))

    def message(self, language: Language = "en") -> str:
        """The reason, in ``language``, without the error code."""
        return message(self.key, language, **self.params)

    def excel_text(self, language: Language = "en") -> str:
        """The text a cell shows: the error code first, then the reason.

        Classic xlwings cannot return real Excel error values, so a cell gets e.g.
        ``"#DIV/0! purchases = 0"``.
        """
        return f"{self.code.localised(language)} {self.message(language)}"

    def element_texts(self, language: Language = "en") -> list[str]:
        """One cell text per offending element (in mask order), each naming its own value.

        Without per-element values every element gets :meth:`excel_text`.
        """
        count = int(np.count_nonzero(self.mask)) if self.mask is not None else 1
        if not self.element_params:
            return [self.excel_text(language)] * count
        code = self.code.localised(language)
        columns = {name: values.tolist() for name, values in self.element_params.items()}
        return [
            f"{code} {message(self.key, language, **{**self.params, **{n: c[i] for n, c in columns.items()}})}"
            for i in range(count)
        ]
