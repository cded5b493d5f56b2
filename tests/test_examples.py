"""The documents' worked examples, evaluated through the Excel face (clv_xl.cells)."""

from __future__ import annotations

import pytest

from clv_xl.catalogue import find
from clv_xl.cells import evaluate
from clv_xl.examples import DOCUMENT_EXAMPLES


@pytest.mark.parametrize("example", DOCUMENT_EXAMPLES, ids=lambda e: f"{e.document}-{e.function}-{e.expected:g}")
def test_example_gives_the_documented_figure(example) -> None:  # type: ignore[no-untyped-def]
    function = find(example.function)
    assert function is not None
    assert evaluate(function, list(example.arguments)) == pytest.approx(example.expected, rel=1e-12)


def test_document_000_figures_are_present() -> None:
    figures = {(e.document, e.expected) for e in DOCUMENT_EXAMPLES}
    assert {("000", 29000.0), ("000", 38000.0)} <= figures
