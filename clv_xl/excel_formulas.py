"""Every Excel formula clv_xl writes into a workbook, written once: templates and report use these.

The native formulas give the same results as the clv_xl add-in functions: the
templates show each add-in result beside its native twin, so the workbooks still give
the numbers where the add-in is not loaded (LibreOffice, Excel on the web, Mac), and
the report's live figures (CLV, LTV:CAC, payback over the assumption cells) are the
same formulas over its defined names, so the two can never drift apart. Each builder
takes the argument expressions (cell addresses, names or sub-formulas) by argument
name, ``None`` for an optional argument left out, and returns a formula body without
the leading ``=``. Only plain operators, ``IF``, ``MIN``/``MAX`` and ``SUM``/``SUMPRODUCT``
are used, so every spreadsheet engine reads them.

A formula repeated down the rows of a table is written once with :data:`ROW` in place
of the row number (``E{row}*Report_Margin``); the renderer puts each row's number in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from clv_xl.catalogue import FUNCTIONS

__all__ = [
    "NATIVE_FORMULAS",
    "ROW",
    "addin_formula",
    "addin_or_notice",
    "annuity",
    "blank_unless_positive",
    "capped",
    "first_addin_call",
    "if_positive",
    "lifespan_used",
    "native_formula",
    "negative_part",
    "per",
    "positive_part",
    "text_literal",
    "times",
    "total",
    "unless_equal",
    "value_so_far",
    "weighted_average",
    "what_if_clv",
]

Arguments = Mapping[str, str | None]

#: The row number of a formula repeated down a table's rows: ``f"E{ROW}"`` is column E of each row.
ROW = "{row}"


def _wrap(expression: str) -> str:
    """Parenthesise anything that is not a plain reference or name."""
    plain = expression.replace(ROW, "0").replace("$", "").replace("_", "").replace("!", "")
    return expression if plain.isalnum() else f"({expression})"


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


def text_literal(text: str) -> str:
    """``text`` as an Excel string constant: in double quotes, a quote written twice."""
    return '"' + text.replace('"', '""') + '"'


def if_positive(condition: str, formula: str, otherwise: str) -> str:
    """``formula`` where ``condition`` > 0, else the expression ``otherwise`` (e.g. a :func:`text_literal`).

    A blank ``condition`` cell is not positive, so the ``otherwise`` branch serves an
    optional input left empty.
    """
    return f"=IF({_wrap(condition)}>0,{formula.removeprefix('=')},{otherwise})"


def lifespan_used(churn: str, estimated: str) -> str:
    """The lifespan in years: LIFESPAN = 1 / churn when the yearly churn is given (> 0), else ``estimated``.

    Document 002 defines the lifespan as the years a customer keeps buying; a constant
    yearly churn c gives 1 / c (the template's LIFESPAN formula).
    """
    return if_positive(churn, native_formula("LIFESPAN", {"churn_rate": churn}), estimated)


def capped(expression: str, cap: str) -> str:
    """``MIN(cap, expression)`` (without ``=``): e.g. a margin moved above 100 % stays at 100 %."""
    return f"MIN({cap},{expression})"


def what_if_clv(arguments: Arguments, driver: str, change: float, caps: Mapping[str, str] | None = None) -> str:
    """CLV (with ``=``) with the argument ``driver`` multiplied by ``1 + change``, the others as given.

    The what-if of :func:`clv_xl.core.sensitivity.what_if` as a live formula: ``caps``
    bounds a moved argument (the margin at 1).
    """
    moved = dict(arguments)
    expression = f"{_wrap(_required(arguments, driver))}*{1 + change:.15g}"
    if caps and driver in caps:
        expression = capped(expression, caps[driver])
    moved[driver] = expression
    return native_formula("CLV", moved)


def weighted_average(weights: str, values: str) -> str:
    """``SUMPRODUCT(weights, values) / SUM(weights)`` (with ``=``): e.g. the segments' CLV weighted by customers."""
    return f"=SUMPRODUCT({weights},{values})/SUM({weights})"


def positive_part(*expressions: str) -> str:
    """``MAX(0, a, b, ...)`` (with ``=``): the gain among ``expressions``, 0 when none is positive."""
    return f"=MAX(0,{','.join(e.removeprefix('=') for e in expressions)})"


def negative_part(*expressions: str) -> str:
    """``MIN(0, a, b, ...)`` (with ``=``): the loss among ``expressions``, 0 when none is negative."""
    return f"=MIN(0,{','.join(e.removeprefix('=') for e in expressions)})"


def value_so_far(revenue: str, margin: str, customers: str | None = None) -> str:
    """What customers have brought so far (with ``=``): revenue × margin, per customer when ``customers`` is given.

    The value of the past, from the profit a customer generates ("Customer Lifetime
    Value: cos'è e cosa devi conoscere": the margin, not the revenue).
    """
    revenue_part = _wrap(revenue) if customers is None else f"{_wrap(revenue)}/{_wrap(customers)}"
    return f"={revenue_part}*{_wrap(margin)}"


def total(*parts: str) -> str:
    """``a + b + ...`` (with ``=``): e.g. the total value, so far + predicted."""
    return "=" + "+".join(_wrap(part.removeprefix("=")) for part in parts)


def per(quantity: str, unit: str) -> str:
    """``quantity / unit`` (with ``=``): e.g. purchases per customer per year of observation."""
    return f"={_wrap(quantity)}/{_wrap(unit)}"


def unless_equal(expression: str, value: float, text: str) -> str:
    """``text`` (a warning, with ``=``) when ``expression`` differs from ``value``, else an empty text.

    For a figure computed with an assumption's value when the workbook was made: the
    sheet says so once the assumption is changed.
    """
    return f'=IF({_wrap(expression)}<>{value:.15g},{text_literal(text)},"")'
