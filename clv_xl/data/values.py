"""Reading cells as customer ids, dates and amounts, a whole column at a time.

Cells arrive as Python objects, as a spreadsheet reader or xlwings gives them: text,
numbers (float or int), booleans, ``datetime``/``date``, and ``None`` or ``""`` for an
empty cell. Each reader returns the parsed column and, of the same length, an array
that holds None where the cell was read and the i18n key of the reason where it was
not (keys ``tx_*`` in :mod:`clv_xl.i18n`). Everything is vectorised by the type of
cell, so a column of a million cells takes well under a second.

Accepted forms
--------------
customer ids
    Text, kept exactly as written after trimming spaces (``"00001"`` stays
    ``"00001"``); a whole number such as ``1001`` or ``1001.0`` (Excel stores every
    number as a float) becomes ``"1001"``.
dates
    Real dates or date-times; Excel serial numbers (``45292`` is 2024-01-01); ISO
    text (``2024-01-31``, ``2024-01-31 10:30``); Italian text ``31/01/2024``
    (also with ``-`` or ``.``, two-digit years and a time). Day first, never month
    first.
amounts
    Numbers, or text in Italian or English form: ``1.234,56``, ``€ 1.234,56``,
    ``-12,5``, ``(12,50)`` (negative), ``1,234.56``, ``1234.5``. A lone dot followed
    by exactly three digits (``1.234``) is a thousands separator when the same
    column writes decimals with a comma, otherwise a decimal point. Negative
    amounts are refunds.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["EXCEL_EPOCH", "cell_kinds", "is_blank", "read_amounts", "read_customer_ids", "read_dates", "read_labels"]

ObjectArray = npt.NDArray[np.object_]
Reasons = npt.NDArray[np.object_]

#: Day 0 of Excel's 1900 date system (serial 1 is 1900-01-01; Excel counts a 29/02/1900).
EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
#: Largest Excel serial (9999-12-31).
_LAST_SERIAL = 2958465.0
_NS_PER_DAY = 86_400 * 10**9
_ERROR_TEXT = re.compile(r"^#(N/A|N/D|DIV/0!|VALUE!|VALORE!|REF!|RIF!|NAME\?|NOME\?|NUM!|NULL!)", re.IGNORECASE)
#: Amount texts accepted (after removing currency signs and spaces).
_ITALIAN_AMOUNT = r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"
_ENGLISH_AMOUNT = r"[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
_PLAIN_NUMBER = r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
#: Day-first text forms tried after ISO 8601, in order.
_DAY_FIRST_FORMATS = (
    "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y",
)


#: Kinds of cell, by Python type.
NONE, TEXT, NUMBER, DATE, LOGICAL, OTHER = range(6)
_KIND_OF_TYPE: dict[type, int] = {
    type(None): NONE, str: TEXT, np.str_: TEXT, float: NUMBER, int: NUMBER, np.float64: NUMBER,
    np.int64: NUMBER, np.float32: NUMBER, np.int32: NUMBER, dt.datetime: DATE, dt.date: DATE,
    pd.Timestamp: DATE, np.datetime64: DATE, bool: LOGICAL, np.bool_: LOGICAL,
}


def _kind_of(cell: object) -> int:
    kind = _KIND_OF_TYPE.get(type(cell))
    if kind is not None:
        return kind
    for base, base_kind in ((bool, LOGICAL), (str, TEXT), (dt.date, DATE), (float, NUMBER), (int, NUMBER)):
        if isinstance(cell, base):
            return base_kind
    return OTHER


def cell_kinds(cells: ObjectArray) -> npt.NDArray[np.int8]:
    """The kind of each cell (``NONE``, ``TEXT``, ``NUMBER``, ``DATE``, ``LOGICAL``, ``OTHER``)."""
    return np.fromiter(map(_kind_of, cells), dtype=np.int8, count=len(cells))


def _stripped(cells: ObjectArray, mask: npt.NDArray[np.bool_]) -> pd.Series:
    return pd.Series(cells[mask], dtype=object).str.strip()


def is_blank(cells: ObjectArray) -> npt.NDArray[np.bool_]:
    """True where a cell is empty: None, NaN, or text of spaces only."""
    kinds = cell_kinds(cells)
    blank = kinds == NONE
    texts = kinds == TEXT
    if texts.any():
        blank[texts] = (_stripped(cells, texts) == "").to_numpy()
    numbers = kinds == NUMBER
    if numbers.any():
        blank[numbers] = np.isnan(cells[numbers].astype(np.float64))
    return blank


def _text_reasons(texts: pd.Series, failed: npt.NDArray[np.bool_], key: str) -> Reasons:
    """Reasons for text cells that could not be read: empty, an Excel error text, or ``key``."""
    reasons: Reasons = np.full(len(texts), None, dtype=object)
    reasons[failed] = key
    reasons[failed & (texts == "").to_numpy()] = "tx_empty"
    reasons[failed & texts.str.match(_ERROR_TEXT).to_numpy(dtype=bool)] = "tx_cell_error"
    return reasons


def read_customer_ids(cells: ObjectArray) -> tuple[ObjectArray, Reasons]:
    """Customer ids as text (see the module for the forms); reasons where a cell is not an id."""
    ids = np.full(len(cells), "", dtype=object)
    reasons: Reasons = np.full(len(cells), None, dtype=object)
    kinds = cell_kinds(cells)
    texts = kinds == TEXT
    if texts.all():
        stripped = pd.Series(cells, dtype=object).str.strip().to_numpy(dtype=object)
        ids[:] = stripped
    else:
        if texts.any():
            ids[texts] = _stripped(cells, texts).to_numpy(dtype=object)
        numbers = kinds == NUMBER
        if numbers.any():
            values = cells[numbers].astype(np.float64)
            finite = np.isfinite(values)
            whole = finite & (values == np.round(values)) & (np.abs(values) < 2**53)
            shown = np.where(whole, values, 0).astype(np.int64).astype(str).astype(object)
            shown[~whole] = [repr(v) if not np.isfinite(v) else str(v) for v in values[~whole]]
            ids[numbers] = shown
            reasons[np.flatnonzero(numbers)[~finite]] = "tx_empty"
        other = ~texts & ~numbers
        reasons[other & (kinds == NONE)] = "tx_empty"
        reasons[other & (kinds != NONE)] = "tx_not_an_id"
    blank = np.equal(ids, "") & np.equal(reasons, None)
    reasons[blank] = "tx_empty"
    if texts.any():
        errors = np.zeros(len(cells), dtype=bool)
        errors[texts] = pd.Series(ids[texts], dtype=object).str.match(_ERROR_TEXT).to_numpy(dtype=bool)
        reasons[errors] = "tx_cell_error"
    return ids, reasons


def read_labels(cells: ObjectArray) -> ObjectArray:
    """Optional text labels (segments): trimmed text, whole numbers without ``.0``, "" when empty."""
    labels, reasons = read_customer_ids(cells)
    labels[np.not_equal(reasons, None)] = ""
    return labels


def _serials_to_datetimes(serials: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """Excel serials (with the time as the fraction) as datetime64[ns]; False where out of range."""
    valid = np.isfinite(serials) & (serials >= 1) & (serials < _LAST_SERIAL + 1)
    # Excel's serial 60 is the 29/02/1900 that never was: earlier serials are one day off.
    days = np.where(serials < 61, serials + 1, serials)
    nanoseconds = np.round(np.where(valid, days, 0) * _NS_PER_DAY).astype(np.int64)
    return EXCEL_EPOCH + nanoseconds.astype("timedelta64[ns]"), valid


def _parse_date_texts(texts: pd.Series) -> npt.NDArray[np.datetime64]:
    """Date texts as datetime64[ns]; NaT where no accepted form matches."""
    parsed = pd.to_datetime(texts, format="ISO8601", errors="coerce")
    for form in _DAY_FIRST_FORMATS:
        missing = parsed.isna()
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(texts[missing], format=form, errors="coerce")
    missing = parsed.isna()
    if missing.any():
        serials = pd.to_numeric(texts[missing], errors="coerce").to_numpy(dtype=np.float64)
        from_serials, valid = _serials_to_datetimes(serials)
        filled = pd.Series(np.where(valid, from_serials, np.datetime64("NaT", "ns")), index=texts.index[missing])
        parsed[missing] = filled
    return parsed.to_numpy(dtype="datetime64[ns]")


def read_dates(cells: ObjectArray) -> tuple[npt.NDArray[np.datetime64], Reasons]:
    """Dates as datetime64[ns] (see the module for the forms); reasons where a cell is not a date."""
    dates = np.full(len(cells), np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
    reasons: Reasons = np.full(len(cells), None, dtype=object)
    kinds = cell_kinds(cells)
    real = kinds == DATE
    if real.any():
        dates[real] = pd.to_datetime(pd.Series(cells[real], dtype=object)).to_numpy(dtype="datetime64[ns]")
    numbers = kinds == NUMBER
    if numbers.any():
        converted, valid = _serials_to_datetimes(cells[numbers].astype(np.float64))
        dates[numbers] = converted
        reasons[np.flatnonzero(numbers)[~valid]] = "tx_date_out_of_range"
    texts = kinds == TEXT
    if texts.any():
        stripped = _stripped(cells, texts)
        parsed = _parse_date_texts(stripped)
        dates[texts] = parsed
        reasons[texts] = _text_reasons(stripped, np.isnat(parsed), "tx_not_a_date")
    reasons[kinds == NONE] = "tx_empty"
    reasons[~(real | numbers | texts | (kinds == NONE))] = "tx_not_a_date"
    return dates, reasons


def _parse_amount_texts(texts: pd.Series) -> npt.NDArray[np.float64]:
    """Amount texts as floats; NaN where the text is not an amount (see the module)."""
    cleaned = texts.str.replace(r"(?i)[\s\u00a0\u202f€$£']|eur(o)?", "", regex=True)
    negative = cleaned.str.startswith("(") & cleaned.str.endswith(")")
    cleaned = cleaned.where(~negative, "-" + cleaned.str.slice(1, -1))
    commas = cleaned.str.count(",")
    dots = cleaned.str.count(r"\.")
    last_comma = cleaned.str.rfind(",")
    last_dot = cleaned.str.rfind(".")
    comma_decimal = (commas == 1) & (last_comma > last_dot)
    dot_decimal = (dots == 1) & (last_dot > last_comma)
    if bool(comma_decimal.any()):
        # an Italian column: "1.234" is a thousand, "12.5" is still twelve and a half
        dot_decimal &= ~cleaned.str.fullmatch(r"[-+]?\d{1,3}\.\d{3}")
    english = cleaned.str.replace(",", "", regex=False)
    italian = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    grouped = cleaned.str.replace(r"[.,]", "", regex=True)
    plain = english.where(dot_decimal, italian.where(comma_decimal, grouped))
    well_formed = (
        cleaned.str.fullmatch(_ITALIAN_AMOUNT) | cleaned.str.fullmatch(_ENGLISH_AMOUNT)
        | cleaned.str.fullmatch(_PLAIN_NUMBER)
    )
    plain = plain.where(well_formed, "")
    return pd.to_numeric(plain, errors="coerce").to_numpy(dtype=np.float64)


def read_amounts(cells: ObjectArray) -> tuple[npt.NDArray[np.float64], Reasons]:
    """Amounts as floats (see the module for the forms); reasons where a cell is not an amount."""
    reasons: Reasons = np.full(len(cells), None, dtype=object)
    kinds = cell_kinds(cells)
    if (kinds == NUMBER).all():
        amounts = cells.astype(np.float64)
        reasons[np.isnan(amounts)] = "tx_empty"
        reasons[np.isinf(amounts)] = "tx_not_an_amount"
        return amounts, reasons
    amounts = np.full(len(cells), np.nan)
    numbers = kinds == NUMBER
    amounts[numbers] = cells[numbers].astype(np.float64)
    texts = kinds == TEXT
    if texts.any():
        stripped = _stripped(cells, texts)
        parsed = _parse_amount_texts(stripped)
        amounts[texts] = parsed
        reasons[texts] = _text_reasons(stripped, np.isnan(parsed), "tx_not_an_amount")
    reasons[numbers & np.isnan(amounts)] = "tx_empty"
    reasons[numbers & np.isinf(amounts)] = "tx_not_an_amount"
    reasons[kinds == NONE] = "tx_empty"
    reasons[kinds == LOGICAL] = "tx_logical"
    reasons[kinds == OTHER] = "tx_not_an_amount"
    return amounts, reasons
