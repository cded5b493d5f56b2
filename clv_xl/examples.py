"""The worked examples of the source documents, as data.

Used by ``clv-xl demo``, the example workbooks and the tests, so every place shows the
same figures. ``document`` names the source file's number (``000`` ... ``004``);
examples marked ``illustrative`` use made-up inputs to show a method the document
describes without figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from clv_xl.catalogue import Text

__all__ = ["DOCUMENT_EXAMPLES", "Example"]


@dataclass(frozen=True)
class Example:
    """One evaluation of an Excel function with the figure it must give."""

    label: Text
    function: str
    arguments: tuple[float, ...]
    expected: float
    document: str
    illustrative: bool = False


DOCUMENT_EXAMPLES: tuple[Example, ...] = (
    Example(
        Text("Example 1: APV 10000 €, ACL 3 years, CAC 1000 €", "Esempio 1: APV 10000 €, ACL 3 anni, CAC 1000 €"),
        "CLV",
        (10000.0, 3.0, 1000.0),
        29000.0,
        "000",
    ),
    Example(
        Text("Example 2: APV 20000 €, ACL 2 years, CAC 2000 €", "Esempio 2: APV 20000 €, ACL 2 anni, CAC 2000 €"),
        "CLV",
        (20000.0, 2.0, 2000.0),
        38000.0,
        "000",
    ),
    Example(
        Text("Step 1: APV = revenue 120000 € / 480 purchases", "Passo 1: APV = ricavi 120000 € / 480 acquisti"),
        "APV",
        (120000.0, 480.0),
        250.0,
        "002",
        illustrative=True,
    ),
    Example(
        Text("Step 2: repeat rate = 480 purchases / 160 customers", "Passo 2: tasso di riacquisto = 480 acquisti / 160 clienti"),
        "REPEAT_RATE",
        (480.0, 160.0),
        3.0,
        "002",
        illustrative=True,
    ),
    Example(
        Text("Step 3: customer value = 250 € × 3", "Passo 3: valore del cliente = 250 € × 3"),
        "CUSTOMER_VALUE",
        (250.0, 3.0),
        750.0,
        "002",
        illustrative=True,
    ),
    Example(
        Text("Step 4: lifespan from 25 % yearly churn", "Passo 4: durata da un abbandono annuo del 25 %"),
        "LIFESPAN",
        (0.25,),
        4.0,
        "002",
        illustrative=True,
    ),
    Example(
        Text("Step 5: CLV = 750 € × 4 years − CAC 500 €", "Passo 5: CLV = 750 € × 4 anni − CAC 500 €"),
        "CLV",
        (750.0, 4.0, 500.0),
        2500.0,
        "002",
        illustrative=True,
    ),
    Example(
        Text(
            "Prospect value: 5 % conversion, 30000 € customer, 100 € per prospect",
            "Valore del prospect: conversione 5 %, cliente da 30000 €, 100 € per prospect",
        ),
        "PLV",
        (0.05, 30000.0, 100.0),
        1400.0,
        "001",
        illustrative=True,
    ),
    Example(
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
