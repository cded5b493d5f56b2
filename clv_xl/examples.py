"""The worked examples of the source documents, as data.

Used by ``clv-xl demo``, the example workbooks and the tests, so every place shows the
same figures. ``document`` is the key of the article in :mod:`clv_xl.sources` (``000`` ... ``004``);
examples marked ``illustrative`` use made-up inputs to show a method the document
describes without figures.

Each example has a ``key``; ``inputs_from`` says, argument by argument, which earlier
example's result feeds it (``None`` for a figure given as is). The step-by-step method
of document ``002`` is such a chain: the template workbook links its steps this way,
and a test checks that each linked figure equals the result it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from clv_xl.i18n import Text

__all__ = ["DOCUMENT_EXAMPLES", "Example", "example"]


@dataclass(frozen=True)
class Example:
    """One evaluation of an Excel function with the figure it must give."""

    key: str
    label: Text
    function: str
    arguments: tuple[float, ...]
    expected: float
    document: str
    illustrative: bool = False
    inputs_from: tuple[str | None, ...] = ()

    def source_of(self, index: int) -> str | None:
        """Key of the example whose result is argument ``index``, or None for a given figure."""
        return self.inputs_from[index] if index < len(self.inputs_from) else None


DOCUMENT_EXAMPLES: tuple[Example, ...] = (
    Example(
        "000-1",
        Text("Example 1: APV 10000 €, ACL 3 years, CAC 1000 €", "Esempio 1: APV 10000 €, ACL 3 anni, CAC 1000 €"),
        "CLV",
        (10000.0, 3.0, 1000.0),
        29000.0,
        "000",
    ),
    Example(
        "000-2",
        Text("Example 2: APV 20000 €, ACL 2 years, CAC 2000 €", "Esempio 2: APV 20000 €, ACL 2 anni, CAC 2000 €"),
        "CLV",
        (20000.0, 2.0, 2000.0),
        38000.0,
        "000",
    ),
    Example(
        "002-apv",
        Text("Step 1: APV = revenue 120000 € / 480 purchases", "Passo 1: APV = ricavi 120000 € / 480 acquisti"),
        "APV",
        (120000.0, 480.0),
        250.0,
        "002",
        illustrative=True,
    ),
    Example(
        "002-repeat-rate",
        Text(
            "Step 2: repeat rate = 480 purchases / 160 customers",
            "Passo 2: acquisti per cliente = 480 acquisti / 160 clienti",
        ),
        "REPEAT_RATE",
        (480.0, 160.0),
        3.0,
        "002",
        illustrative=True,
    ),
    Example(
        "002-customer-value",
        Text("Step 3: customer value = 250 € × 3", "Passo 3: valore del cliente = 250 € × 3"),
        "CUSTOMER_VALUE",
        (250.0, 3.0),
        750.0,
        "002",
        illustrative=True,
        inputs_from=("002-apv", "002-repeat-rate"),
    ),
    Example(
        "002-lifespan",
        Text("Step 4: lifespan from 25 % yearly churn", "Passo 4: durata da un abbandono annuo del 25 %"),
        "LIFESPAN",
        (0.25,),
        4.0,
        "002",
        illustrative=True,
    ),
    Example(
        "002-clv",
        Text("Step 5: CLV = 750 € × 4 years − CAC 500 €", "Passo 5: CLV = 750 € × 4 anni − CAC 500 €"),
        "CLV",
        (750.0, 4.0, 500.0),
        2500.0,
        "002",
        illustrative=True,
        inputs_from=("002-customer-value", "002-lifespan", None),
    ),
    Example(
        "001-plv",
        Text(
            "Prospect value: 5 % conversion, 30000 € customer, 100 € per prospect",
            "Valore di un potenziale cliente: conversione 5 %, cliente da 30000 €, 100 € per contatto",
        ),
        "PLV",
        (0.05, 30000.0, 100.0),
        1400.0,
        "001",
        illustrative=True,
    ),
    Example(
        "003-margin",
        Text(
            "Margin-based CLV: APV 10000 €, 3 years, CAC 1000 €, 40 % margin",
            "CLV sul margine: APV 10000 €, 3 anni, CAC 1000 €, margine 40 %",
        ),
        "CLV",
        (10000.0, 3.0, 1000.0, 1.0, 0.4),
        11000.0,
        "003",
        illustrative=True,
    ),
)


def example(key: str) -> Example:
    """The example called ``key`` (``"000-1"``, ``"002-clv"``, ...)."""
    for candidate in DOCUMENT_EXAMPLES:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
