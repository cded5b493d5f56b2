"""Every Excel formula clv_xl writes into a workbook, written once: templates and report use these.

The native formulas give the same results as the clv_xl add-in functions: the
templates show each add-in result beside its native twin, so the workbooks still give
the numbers where the add-in is not loaded (LibreOffice, Excel on the web, Mac), and
the report's live figures (CLV, LTV:CAC, payback over the assumption cells) are the
same formulas over its defined names, so the two can never drift apart. Each builder
takes the argument expressions (cell addresses, names or sub-formulas) by argument
name, ``None`` for an optional argument left out, and returns a formula body without
the leading ``=``. Only plain operators and ``IF`` are used, so every spreadsheet
engine reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from clv_xl.catalogue import FUNCTIONS

__all__ = [
    "NATIVE_FORMULAS",
    "addin_formula",
    "addin_or_notice",
    "first_addin_call",
    "annuity",
    "blank_unless_positive",
    "native_formula",
    "times",
]

Arguments = Mapping[str, str | None]


def _wrap(expression: str) -> str:
    """Parenthesise anything that is not a plain reference or name."""
    return expression if expression.replace("$", "").replace("_", "").replace("!", "").isalnum() else f"({expression})"


def _product(*factors: str | None) -> str:
    return "*".join(_wrap(f) for f in factors if f is not None)


def annuity(years: str, rate: str | None) -> str:
    """Excel for ``A(n, d)``: ``n`` when ``d`` is 0, else ``(1 − (1 + d)^−n) / d`` (document 000 with discounting)."""
    if rate is None:
        return years
    n, d = _wrap(years), _wrap(rate)
    return f"IF({d}=0,{n},(1-(1+{d})^(-{n}))/{d})"


def _required(arguments: Arguments, name: str) -> str:
    expression = arguments.get(name)
    if expression is None:
        raise ValueError(f"the native formula needs the argument {name!r}")
    return expression


def _given(arguments: Arguments, name: str) -> str:
    """A required argument's expression, parenthesised when needed."""
    return _wrap(_required(arguments, name))


def _ratio(numerator: str, denominator: str) -> Callable[[Arguments], str]:
    return lambda a: f"{_given(a, numerator)}/{_given(a, denominator)}"


def _clv(a: Arguments) -> str:
    """CLV = APV × frequency × margin × A(ACL, d) − CAC (documents 000, 002, 003)."""
    lifespan = annuity(_required(a, "acl"), a.get("discount_rate"))
    gross = _product(_required(a, "apv"), a.get("frequency"), a.get("margin"), lifespan)
    return f"{gross}-{_given(a, 'cac')}" if a.get("cac") is not None else gross


NATIVE_FORMULAS: dict[str, Callable[[Arguments], str]] = {
    "CLV": _clv,
    "APV": _ratio("revenue", "purchases"),
    "REPEAT_RATE": _ratio("purchases", "customers"),
    "CUSTOMER_VALUE": lambda a: _product(_required(a, "apv"), _required(a, "repeat_rate")),
    "CAC": _ratio("acquisition_spend", "new_customers"),
    "LIFESPAN": lambda a: f"1/{_given(a, 'churn_rate')}",
    "PLV": lambda a: (
        f"{_product(_required(a, 'conversion_rate'), _required(a, 'value_per_customer'))}-"
        f"{_given(a, 'cost_per_prospect')}"
    ),
    "LTV_CAC": _ratio("clv_gross", "cac"),
    "CAC_PAYBACK": _ratio("cac", "margin_per_period"),
}


def native_formula(function: str, arguments: Arguments) -> str:
    """The native Excel formula (with ``=``) of add-in ``function`` on ``arguments``."""
    return "=" + NATIVE_FORMULAS[function](arguments)


def blank_unless_positive(condition: str, formula: str) -> str:
    """``formula`` (with ``=``) shown only where ``condition`` > 0, else an empty text: no ``#DIV/0!`` in a cell.

    For ratios whose divisor may be 0 (LTV:CAC without a CAC, payback without a margin).
    """
    return f'=IF({_wrap(condition)}>0,{formula.removeprefix("=")},"")'


def times(factor: str, formula: str) -> str:
    """``factor × formula`` (both with or without ``=``), e.g. a payback in years made months."""
    return f"={_wrap(factor)}*{_wrap(formula.removeprefix('='))}"


def addin_formula(function: str, arguments: list[str]) -> str:
    """The add-in formula ``=NAME(a,b,...)`` as typed in Excel (comma separators, as stored in the file)."""
    return f"={function}({','.join(arguments)})"


#: The code ERROR.TYPE gives for ``#NAME?`` (a function the spreadsheet does not know) in
#: Excel, LibreOffice and the formulas engine.
NAME_ERROR_TYPE = 5

_ADDIN_CALL = re.compile(r"(?<![A-Za-z0-9_.])(?:" + "|".join(f.name for f in FUNCTIONS) + r")\(", re.IGNORECASE)


def first_addin_call(body: str) -> str:
    """The first call of a clv_xl function in a formula body, with its arguments: ``CLV(B5,B6,B7)``.

    Raises ValueError when the formula calls no clv_xl function.
    """
    found = _ADDIN_CALL.search(body)
    if found is None:
        raise ValueError(f"no clv_xl function in {body!r}")
    depth, quote = 0, ""  # quote: the quote character of the text or sheet name being read
    for index in range(found.end() - 1, len(body)):
        character = body[index]
        if character in "\"'" and quote in ("", character):
            quote = "" if quote else character
        elif not quote and character == "(":
            depth += 1
        elif not quote and character == ")":
            depth -= 1
            if depth == 0:
                return body[found.start() : index + 1]
    raise ValueError(f"unbalanced parentheses in {body!r}")


def addin_or_notice(formula: str, notice: str) -> str:
    """``formula`` (with ``=``) showing ``notice`` where the add-in is not loaded, instead of an error.

    When the formula gives an error, its first clv_xl call is asked: ``#NAME?``
    (ERROR.TYPE 5) means the spreadsheet does not know the function, so the cell shows
    ``notice``; any other error shows as before. Asking the call itself, not the whole
    formula, matters where the call sits inside another function (``INDEX(BGNBD_FIT(...),1,2)``
    gives ``#N/A`` in LibreOffice). The add-in's own error texts (``#DIV/0! purchases = 0``)
    are texts, not errors, so they show too; the formula is evaluated again only when it
    gives an error.
    """
    body = formula.removeprefix("=")
    probe = first_addin_call(body)
    text = notice.replace('"', '""')
    return f'=IFERROR({body},IF(ERROR.TYPE({probe})={NAME_ERROR_TYPE},"{text}",{body}))'
