"""Cells read as customer ids, dates and amounts: each accepted form and each refusal.

Expected values are what the cell means to an Italian or English user.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from clv_xl.data.values import read_amounts, read_customer_ids, read_dates


def _cells(*values: object) -> np.ndarray:
    cells = np.empty(len(values), dtype=object)
    cells[:] = list(values)
    return cells


def test_customer_ids_stay_text() -> None:
    """Leading zeros kept, spaces trimmed, Excel's float 1001.0 becomes "1001"."""
    ids, reasons = read_customer_ids(_cells("00001", "  A7 ", 1001.0, 42, 12.5))
    assert list(ids) == ["00001", "A7", "1001", "42", "12.5"]
    assert list(reasons) == [None] * 5


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.datetime(2024, 1, 31, 10, 30), dt.datetime(2024, 1, 31, 10, 30)),
        (dt.date(2024, 1, 31), dt.datetime(2024, 1, 31)),
        (45322.0, dt.datetime(2024, 1, 31)),  # Excel serial
        (45322.5, dt.datetime(2024, 1, 31, 12)),  # serial with a time
        (59.0, dt.datetime(1900, 2, 28)),  # before Excel's fictitious 29/02/1900
        (132319.0, dt.datetime(2262, 4, 10)),  # the last day pandas can hold
        ("2024-01-31", dt.datetime(2024, 1, 31)),
        ("2024-01-31 10:30", dt.datetime(2024, 1, 31, 10, 30)),
        ("2024-01-31T10:30:00", dt.datetime(2024, 1, 31, 10, 30)),
        ("2024-01-31T10:30:00+01:00", dt.datetime(2024, 1, 31, 10, 30)),  # local time kept, zone dropped
        ("31/01/2024", dt.datetime(2024, 1, 31)),
        ("05/01/2024", dt.datetime(2024, 1, 5)),  # day first: 5 January, not May
        ("31/01/2024 10:30", dt.datetime(2024, 1, 31, 10, 30)),
        ("31-01-2024", dt.datetime(2024, 1, 31)),
        ("31.01.2024", dt.datetime(2024, 1, 31)),
        ("31/01/24", dt.datetime(2024, 1, 31)),
        ("45322", dt.datetime(2024, 1, 31)),  # a serial saved as text in a CSV
    ],
)
def test_date_forms(cell: object, expected: dt.datetime) -> None:
    """Each date form a spreadsheet or CSV holds, read in one mixed column and alone."""
    dates, reasons = read_dates(_cells(cell))
    assert reasons[0] is None
    assert dates[0] == np.datetime64(expected)


def test_time_zones_keep_the_local_time() -> None:
    """Timestamps with time zones (from a database export): the wall-clock time is kept, the zone dropped."""
    dates, reasons = read_dates(
        _cells(
            pd.Timestamp("2024-01-01 10:00", tz="Europe/Rome"),
            dt.datetime(2024, 1, 2, 3),
            pd.Timestamp("2024-01-03 23:30", tz="UTC"),
        )
    )
    assert list(reasons) == [None] * 3
    assert [str(d) for d in dates] == [
        "2024-01-01T10:00:00.000000000",
        "2024-01-02T03:00:00.000000000",
        "2024-01-03T23:30:00.000000000",
    ]
    texts, reasons = read_dates(_cells("2024-01-01T10:00:00+01:00", "2024-01-02", "2024-01-03T23:30:00Z"))
    assert list(reasons) == [None] * 3
    assert [str(d)[:16] for d in texts] == ["2024-01-01T10:00", "2024-01-02T00:00", "2024-01-03T23:30"]


def test_mixed_date_forms_in_one_column() -> None:
    """One column mixing every form (as a hand-edited sheet does) reads each cell by its own form."""
    dates, reasons = read_dates(_cells(dt.datetime(2024, 1, 2), 45294.0, "2024-01-04", "05/01/2024", "6.1.2024"))
    assert list(reasons) == [None] * 5
    assert [str(d)[:10] for d in dates] == ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31/02/2024", "tx_not_a_date"),
        ("01/31/2024", "tx_not_a_date"),
        ("domani", "tx_not_a_date"),
        (0.0, "tx_date_out_of_range"),
        (3e6, "tx_date_out_of_range"),
        (132320.0, "tx_date_out_of_range"),
        (None, "tx_empty"),
        ("  ", "tx_empty"),
        (True, "tx_not_a_date"),
        ("#N/D", "tx_cell_error"),
    ],
)
def test_bad_dates(cell: object, reason: str) -> None:
    """Impossible, month-first, out-of-range, empty, logical and error cells are refused with their reason."""
    _, reasons = read_dates(_cells(cell))
    assert reasons[0] == reason


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (12.5, 12.5),
        (3, 3.0),
        ("1.234,56", 1234.56),
        ("€ 1.234,56", 1234.56),
        ("1.234,56 €", 1234.56),
        ("EUR 10", 10.0),
        ("-12,5", -12.5),
        ("(12,50)", -12.5),
        ("1\u00a0234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1,234.56", 1234.56),
        ("1234.5", 1234.5),
        ("0,99", 0.99),
    ],
)
def test_amount_forms(cell: object, expected: float) -> None:
    """Numbers and Italian or English amount texts; negative amounts (refunds) are kept negative."""
    amounts, reasons = read_amounts(_cells(cell))
    assert reasons[0] is None
    assert amounts[0] == pytest.approx(expected)


def test_lone_dot_is_a_thousand_only_in_an_italian_column() -> None:
    """ "1.500" is 1500 next to "2,50" (Italian column) and 1.5 next to "2.50" (English column)."""
    italian, _ = read_amounts(_cells("1.500", "2,50"))
    english, _ = read_amounts(_cells("1.500", "2.50"))
    assert list(italian) == [1500.0, 2.5]
    assert list(english) == [1.5, 2.5]


def test_repeated_texts_read_as_each_one_alone() -> None:
    """Texts are parsed once per distinct value: many repeats and their order change nothing.

    Checked against: each text read on its own (and the column-wide Italian rule, which
    the repeats must not hide).
    """
    texts = ["12,50", "1.500", "abc", "12,50", "", "1.500", "31/01/2024", "12,50"] * 500
    amounts, reasons = read_amounts(_cells(*texts))
    assert amounts[:8].tolist()[:2] == [12.5, 1500.0]
    for position in range(8):
        alone, alone_reason = read_amounts(_cells(texts[position], "2,50"))
        same = np.isnan(amounts[position::8]) if np.isnan(alone[0]) else amounts[position::8] == alone[0]
        assert same.all() and set(reasons[position::8]) == {alone_reason[0]}, texts[position]
    dates, date_reasons = read_dates(_cells(*texts))
    assert (dates[6::8] == np.datetime64("2024-01-31")).all()
    assert set(date_reasons[0::8]) == {"tx_not_a_date"}


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("dieci", "tx_not_an_amount"),
        ("1,2,3.4.5", "tx_not_an_amount"),
        (False, "tx_logical"),
        (None, "tx_empty"),
        ("", "tx_empty"),
        (float("nan"), "tx_empty"),
        (float("inf"), "tx_amount_too_large"),
        ("#VALORE!", "tx_cell_error"),
    ],
)
def test_bad_amounts(cell: object, reason: str) -> None:
    """Text, logical, empty, infinite and error cells are not amounts, each with its reason."""
    _, reasons = read_amounts(_cells(cell))
    assert reasons[0] == reason
