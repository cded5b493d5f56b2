"""The documents' worked examples through the public API (document 000, examples 1 and 2)."""

import clv_xl


def test_document_000_examples_through_the_package() -> None:
    # document 000: (10000 x 3) - 1000 = 29000; (20000 x 2) - 2000 = 38000
    assert clv_xl.clv(10000, 3, 1000) == 29000
    assert clv_xl.clv(20000, 2, 2000) == 38000
