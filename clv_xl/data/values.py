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
    (also with ``-`` or ``.``, two-digit years and a time). A time zone is dropped
    and the local time kept. Day first, never month first. Only dates from
    1900-01-01 (Excel's first) to 2262-04-10 (the last day pandas holds in
    nanoseconds) are read: any other (a serial 0 from a failed lookup, a typo year
    1024, a year 9999) is reported, never wrapped round to another date.
amounts
    Numbers, or text in Italian or English form: ``1.234,56``, ``€ 1.234,56``,
    ``-12,5``, ``(12,50)`` (negative), ``1,234.56``, ``1234.5``. The separators are
    decided per column: a text that can only be read one way (``2,50``, ``1.234,56``,
    ``1.234.567``: Italian; ``2.50``, ``2,300.50``, ``1,234,567``: English) tells how
    the column writes them, and a text with one separator followed by exactly three
    digits (``1,500``, ``1.500``) is read that way (1500 in both examples). In a column
    with no such evidence, or with both, it is reported as ambiguous, never guessed. Negative
    amounts are refunds. A date cell (Excel turns ``1/2`` typed into a cell into a
    date), an infinite value or one beyond :data:`MAX_AMOUNT` is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "END_DATE",
    "EXCEL_EPOCH",
    "FIRST_DATE",
    "UncomputedFormula",
    "LAST_SERIAL",
    "MAX_AMOUNT",
    "cell_kinds",
    "is_blank",
    "is_none",
    "read_amounts",
    "read_customer_ids",
    "read_dates",
    "read_labels",
    "to_nanosecond_dates",
]

ObjectArray = npt.NDArray[np.object_]
Reasons = npt.NDArray[np.object_]

#: Day 0 of Excel's 1900 date system (serial 1 is 1900-01-01; Excel counts a 29/02/1900).
EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
#: Serial of 1970-01-01, where datetime64 counts from.
_UNIX_EPOCH_SERIAL = 25569.0
#: Largest serial read: 2262-04-10, the last day of pandas' nanosecond dates (Excel goes on to 9999).
LAST_SERIAL = 132319.0
#: The first date read (Excel's serial 1); earlier dates are reported, never read.
FIRST_DATE = np.datetime64("1900-01-01", "us")
#: The day after the last date read (serial :data:`LAST_SERIAL` + 1); it and later dates are reported.
END_DATE = np.datetime64("2262-04-11", "us")
_WIDE = "datetime64[us]"
_US_PER_DAY = 86_400 * 10**6
#: Serials this far from 0 are no date of any calendar (about 27,000 years): read as no date at all.
_FARTHEST_SERIAL = 1e7
_ERROR_TEXT = re.compile(r"^#(N/A|N/D|DIV/0!|VALUE!|VALORE!|REF!|RIF!|NAME\?|NOME\?|NUM!|NULL!)", re.IGNORECASE)
#: Largest amount read, in absolute value: a million billion (Excel shows 15 digits). Larger ones
#: (a typing error, an infinite value) are reported: summed, they would overflow to infinity.
MAX_AMOUNT = 1e15
#: Amount texts accepted (after removing currency signs and spaces).
_ITALIAN_AMOUNT = r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"
_ENGLISH_AMOUNT = r"[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
_PLAIN_NUMBER = r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
#: One separator followed by three digits: a thousand (1,500 in English, 1.500 in Italian) or a decimal.
_AMBIGUOUS_AMOUNT = r"[-+]?[1-9]\d{0,2}[.,]\d{3}"
_WHITESPACE = re.compile(r"\s")
#: A time zone after an ISO time: ``Z``, ``+01:00``, ``-0500``.
_ZONE_SUFFIX = r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(?:Z|[+-]\d\d:?\d\d)$"
#: Day-first text forms tried after ISO 8601, in order.
_DAY_FIRST_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%d-%m-%y",
    "%d.%m.%y",
)


class UncomputedFormula(str):
    """A formula cell saved without its computed value (its text, ``"=VLOOKUP(...)"``): no value to read.

    Spreadsheet readers hand such a cell over as empty; the sheet readers put this in its
    place (see :func:`clv_xl.data.sheet_chunks.marked_cells`) so that it is reported.
    """


#: Kinds of cell, by Python type.
NONE, TEXT, NUMBER, DATE, LOGICAL, OTHER, FORMULA = range(7)
_KIND_OF_TYPE: dict[type, int] = {
    type(None): NONE,
    str: TEXT,
    np.str_: TEXT,
    float: NUMBER,
    int: NUMBER,
    np.float64: NUMBER,
    np.int64: NUMBER,
    np.float32: NUMBER,
    np.int32: NUMBER,
    dt.datetime: DATE,
    dt.date: DATE,
    pd.Timestamp: DATE,
    np.datetime64: DATE,
    bool: LOGICAL,
    np.bool_: LOGICAL,
    UncomputedFormula: FORMULA,
}


def _kind_of_type(kind: type) -> int:
    found = _KIND_OF_TYPE.get(kind)
    if found is not None:
        return found
    for base, base_kind in ((bool, LOGICAL), (str, TEXT), (dt.date, DATE), (float, NUMBER), (int, NUMBER)):
        if issubclass(kind, base):
            return base_kind
    return OTHER


def cell_kinds(cells: ObjectArray) -> npt.NDArray[np.int8]:
    """The kind of each cell (``NONE``, ``TEXT``, ``NUMBER``, ``DATE``, ``LOGICAL``, ``OTHER``)."""
    types = list(map(type, cells))
    lookup = {kind: _kind_of_type(kind) for kind in set(types)}
    return np.fromiter(map(lookup.__getitem__, types), dtype=np.int8, count=len(types))


def _trimmed(texts: ObjectArray) -> ObjectArray | list[str]:
    """Texts without leading and trailing spaces; one C-level scan when no text has a space (the usual case)."""
    if _WHITESPACE.search("\x00".join(texts)) is None:
        return texts
    return [text.strip() for text in texts]


def _stripped(cells: ObjectArray, mask: npt.NDArray[np.bool_]) -> pd.Series:
    return pd.Series(_trimmed(cells[mask]), dtype=object)


Kinds = npt.NDArray[np.int8]


def is_blank(cells: ObjectArray, kinds: Kinds | None = None) -> npt.NDArray[np.bool_]:
    """True where a cell is empty: None, NaN, or text of spaces only (``kinds``: from :func:`cell_kinds`)."""
    kinds = cell_kinds(cells) if kinds is None else kinds
    blank = kinds == NONE
    texts = kinds == TEXT
    if texts.any():
        values = cells[texts]
        if _WHITESPACE.search("\x00".join(values)) is None:  # one C-level scan instead of a strip per cell
            blank[texts] = np.equal(values, "")
        else:
            blank[texts] = np.fromiter((not cell.strip() for cell in values), dtype=bool, count=len(values))
    numbers = kinds == NUMBER
    if numbers.any():
        blank[numbers] = np.isnan(cells[numbers].astype(np.float64))
    return blank


def _text_reasons(texts: pd.Series, failed: npt.NDArray[np.bool_], key: str) -> Reasons:
    """Reasons for text cells that could not be read: empty, an Excel error text, or ``key``."""
    reasons: Reasons = np.full(len(texts), None, dtype=object)
    reasons[failed] = key
    reasons[failed & (texts == "").to_numpy()] = "tx_empty"
    reasons[failed & _error_texts(texts.to_numpy(dtype=object))] = "tx_cell_error"
    return reasons


def _error_texts(texts: ObjectArray) -> npt.NDArray[np.bool_]:
    """True for the texts of Excel error cells (``#N/A``, ``#VALORE!``...); non-texts are False."""
    errors = np.zeros(len(texts), dtype=bool)
    if all(t.__class__ is str for t in texts[:1]):
        try:
            if "#" not in "\x00".join(texts):  # the usual case: one C-level scan
                return errors
        except TypeError:  # not all texts
            pass
    hashes = [i for i, t in enumerate(texts) if t.__class__ is str and t[:1] == "#"]
    errors[hashes] = [_ERROR_TEXT.match(texts[i]) is not None for i in hashes]
    return errors


def read_customer_ids(cells: ObjectArray, kinds: Kinds | None = None) -> tuple[ObjectArray, Reasons]:
    """Customer ids as text (see the module for the forms); reasons where a cell is not an id."""
    ids = np.full(len(cells), "", dtype=object)
    reasons: Reasons = np.full(len(cells), None, dtype=object)
    kinds = cell_kinds(cells) if kinds is None else kinds
    texts = kinds == TEXT
    if texts.any():
        ids[texts] = _trimmed(cells[texts])
    if not texts.all():
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
        reasons[kinds == FORMULA] = "tx_formula_not_computed"
    blank = np.equal(ids, "") & is_none(reasons)
    reasons[blank] = "tx_empty"
    if texts.any():
        reasons[texts & _error_texts(ids)] = "tx_cell_error"
    return ids, reasons


def is_none(values: npt.NDArray[np.generic]) -> npt.NDArray[np.bool_]:
    """True where an object array holds None (``value is None``, element-wise and in C)."""
    return np.equal(values, None)  # type: ignore[call-overload]  # numpy's stubs take no None operand


def read_labels(cells: ObjectArray, kinds: Kinds | None = None) -> ObjectArray:
    """Optional text labels (segments): trimmed text, whole numbers without ``.0``, "" when empty."""
    labels, reasons = read_customer_ids(cells, kinds)
    labels[~is_none(reasons)] = ""
    return labels


def _serials_to_datetimes(serials: npt.NDArray[np.float64]) -> npt.NDArray[np.datetime64]:
    """Excel serials (with the time as the fraction) as datetime64[us]; NaT where not finite or absurdly far.

    The dates are not checked here: :func:`to_nanosecond_dates` refuses the ones outside
    :data:`FIRST_DATE` .. :data:`END_DATE` (serial 0 or negative, a failed lookup, among them).
    """
    near = np.isfinite(serials) & (np.abs(serials) < _FARTHEST_SERIAL)
    # Excel's serial 60 is the 29/02/1900 that never was: earlier serials are one day off.
    days = np.where(serials < 61, serials + 1, serials)
    # counted from 1970-01-01 (serial 25569)
    microseconds = np.round((np.where(near, days, _UNIX_EPOCH_SERIAL) - _UNIX_EPOCH_SERIAL) * _US_PER_DAY)
    wide = microseconds.astype(np.int64).astype(_WIDE)
    wide[~near] = np.datetime64("NaT")
    return wide


def to_nanosecond_dates(
    dates: npt.NDArray[np.datetime64],
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """Dates of any unit as datetime64[ns], and True where a date lies outside the dates read.

    The dates read run from :data:`FIRST_DATE` (Excel's first day) up to, not including,
    :data:`END_DATE` (the last whole day pandas can hold in nanoseconds). A date outside
    (a typo year 1024 or 2204 is inside, 1024 is not; a serial 0 shown as 00/01/1900; a
    year past 2262) would otherwise wrap around silently to another date: it becomes NaT
    and is marked, so that its row is reported. NaT stays NaT, unmarked.
    """
    # the bounds in the dates' own unit: no copy of a million dates to compare them
    first, end = FIRST_DATE.astype(dates.dtype), END_DATE.astype(dates.dtype)
    outside = ~np.isnat(dates) & ((dates < first) | (dates >= end))
    if not outside.any():
        return dates.astype("datetime64[ns]", copy=False), outside
    inside = np.where(outside, np.datetime64("NaT"), dates)
    return inside.astype("datetime64[ns]"), outside


Parsed = TypeVar("Parsed", bound=np.generic)


def _each_distinct(texts: pd.Series, parse: Callable[[pd.Series], npt.NDArray[Parsed]]) -> npt.NDArray[Parsed]:
    """``parse`` applied once per distinct text, spread back to every cell.

    Exports repeat the same dates and amounts over and over (a million orders over three
    years hold about a thousand distinct dates); parsing each text once makes reading
    them many times faster. Column-wide rules (a comma used as decimal separator
    somewhere in the column) see the same texts either way.
    """
    codes, distinct = _distinct(texts)
    return parse(distinct)[codes]


def _distinct(texts: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Series]:
    """The position of each text among the distinct texts, and the distinct texts (see :func:`_each_distinct`)."""
    codes, distinct = pd.factorize(texts, use_na_sentinel=False)
    return codes, pd.Series(distinct, dtype=object)


def _parse_date_texts(texts: pd.Series) -> npt.NDArray[np.datetime64]:
    """Date texts as datetime64[us] (not yet checked against the dates read); NaT where no accepted form matches."""
    try:
        parsed = pd.to_datetime(texts, format="ISO8601", errors="coerce")
    except ValueError:  # time zone offsets ("...T10:00:00+01:00", "Z"): keep the local time
        texts = texts.str.replace(_ZONE_SUFFIX, r"\1", regex=True)
        parsed = pd.to_datetime(texts, format="ISO8601", errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    for form in _DAY_FIRST_FORMATS:
        missing = parsed.isna()
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(texts[missing], format=form, errors="coerce")
    wide = parsed.to_numpy(dtype=_WIDE, copy=True)
    missing = np.isnat(wide)
    if missing.any():
        wide[missing] = _serials_to_datetimes(pd.to_numeric(texts[missing], errors="coerce").to_numpy(dtype=np.float64))
    return wide


def _one_real_date(value: object) -> np.datetime64:
    """One date or date-time object as datetime64[us], its time zone dropped (the local time kept)."""
    if isinstance(value, pd.Timestamp):
        naive = value.tz_localize(None) if value.tzinfo is not None else value
        return np.datetime64(naive.to_datetime64(), "us")
    if isinstance(value, dt.datetime):
        return np.datetime64(value.replace(tzinfo=None), "us")
    if isinstance(value, dt.date):
        return np.datetime64(value, "D").astype(_WIDE)
    return np.datetime64(value, "us")  # type: ignore[call-overload]  # numpy's datetime64


def _real_dates(values: ObjectArray) -> npt.NDArray[np.datetime64]:
    """Date and datetime objects as datetime64[us] (any year); a time zone is dropped, keeping the local time."""
    try:
        parsed = pd.to_datetime(pd.Series(values, dtype=object))
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        return parsed.to_numpy(dtype=_WIDE)
    except (ValueError, TypeError, OverflowError):  # time zones, years pandas cannot hold, mixes
        return np.array([_one_real_date(value) for value in values], dtype=_WIDE)


def read_dates(cells: ObjectArray, kinds: Kinds | None = None) -> tuple[npt.NDArray[np.datetime64], Reasons]:
    """Dates as datetime64[ns] (see the module for the forms); reasons where a cell is not a date.

    A date outside :data:`FIRST_DATE` .. :data:`END_DATE` (a serial 0 or negative, a typo
    year, a year past 2262), whatever the form of its cell, is ``tx_date_out_of_range``;
    a time of day without a date (what a spreadsheet reader makes of a date cell holding 0
    or a negative number) is ``tx_time_not_a_date``.
    """
    wide = np.full(len(cells), np.datetime64("NaT"), dtype=_WIDE)
    reasons: Reasons = np.full(len(cells), None, dtype=object)
    kinds = cell_kinds(cells) if kinds is None else kinds
    real = kinds == DATE
    if real.any():
        wide[real] = _real_dates(cells[real])
    numbers = kinds == NUMBER
    if numbers.any():
        serials = cells[numbers].astype(np.float64)
        wide[numbers] = _serials_to_datetimes(serials)
        positions = np.flatnonzero(numbers)
        reasons[positions[np.isnat(wide[numbers])]] = "tx_date_out_of_range"
        reasons[positions[np.isnan(serials)]] = "tx_empty"
    texts = kinds == TEXT
    if texts.any():
        stripped = _stripped(cells, texts)
        parsed = _each_distinct(stripped, _parse_date_texts)
        reasons[texts] = _text_reasons(stripped, np.isnat(parsed), "tx_not_a_date")
        wide[texts] = parsed
        del parsed  # a million dates: gone before the copy in nanoseconds is made
    reasons[kinds == NONE] = "tx_empty"
    other = ~(real | numbers | texts | (kinds == NONE))
    if other.any():
        positions = np.flatnonzero(other)
        times = np.fromiter((isinstance(cell, dt.time) for cell in cells[other]), dtype=bool, count=positions.size)
        reasons[positions] = np.where(times, "tx_time_not_a_date", "tx_not_a_date")
        reasons[kinds == FORMULA] = "tx_formula_not_computed"
    dates, outside = to_nanosecond_dates(wide)
    reasons[outside] = "tx_date_out_of_range"
    return dates, reasons


def _parse_amount_texts(texts: pd.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Amount texts as floats, and True where a text's separator is ambiguous (its amount then NaN).

    The separators are decided for the whole column (see the module): a text whose
    separators can only be read one way is evidence (``2,50``, ``1.234,56`` and
    ``1.234.567`` are Italian; ``2.50``, ``1,234.56`` and ``1,234,567`` English). A
    text with one separator followed by three digits (``1,500``, ``1.500``) is read by
    the column's evidence; in a column with none, or with both, it is ambiguous: NaN.
    """
    cleaned = texts.str.replace(r"(?i)[\s\u00a0\u202f€$£']|eur(o)?", "", regex=True)
    negative = cleaned.str.startswith("(") & cleaned.str.endswith(")")
    cleaned = cleaned.where(~negative, "-" + cleaned.str.slice(1, -1))
    commas = cleaned.str.count(",")
    dots = cleaned.str.count(r"\.")
    last_comma = cleaned.str.rfind(",")
    last_dot = cleaned.str.rfind(".")
    ambiguous = cleaned.str.fullmatch(_AMBIGUOUS_AMOUNT).to_numpy(dtype=bool)
    italian = ~ambiguous & (((commas == 1) & (last_comma > last_dot)) | ((dots >= 2) & (commas == 0))).to_numpy()
    english = ~ambiguous & (((dots == 1) & (last_dot > last_comma)) | ((commas >= 2) & (dots == 0))).to_numpy()
    if italian.any() and not english.any():
        italian |= ambiguous
        ambiguous = np.zeros_like(ambiguous)
    elif english.any() and not italian.any():
        english |= ambiguous
        ambiguous = np.zeros_like(ambiguous)
    plain = np.where(
        italian,
        cleaned.str.replace(".", "", regex=False)
        .str.replace(",", ".", regex=False)
        .where(cleaned.str.fullmatch(_ITALIAN_AMOUNT), ""),
        np.where(
            english,
            cleaned.str.replace(",", "", regex=False).where(
                cleaned.str.fullmatch(_ENGLISH_AMOUNT) | cleaned.str.fullmatch(_PLAIN_NUMBER), ""
            ),
            cleaned.where(cleaned.str.fullmatch(_PLAIN_NUMBER) & ~ambiguous, ""),
        ),
    )
    return pd.to_numeric(pd.Series(plain, dtype=object), errors="coerce").to_numpy(dtype=np.float64), ambiguous


def read_amounts(cells: ObjectArray, kinds: Kinds | None = None) -> tuple[npt.NDArray[np.float64], Reasons]:
    """Amounts as floats (see the module for the forms); reasons where a cell is not an amount."""
    reasons: Reasons = np.full(len(cells), None, dtype=object)
    kinds = cell_kinds(cells) if kinds is None else kinds
    if (kinds == NUMBER).all():
        amounts = cells.astype(np.float64)
        reasons[np.isnan(amounts)] = "tx_empty"
        reasons[(amounts > MAX_AMOUNT) | (amounts < -MAX_AMOUNT)] = "tx_amount_too_large"
        return amounts, reasons
    amounts = np.full(len(cells), np.nan)
    numbers = kinds == NUMBER
    amounts[numbers] = cells[numbers].astype(np.float64)
    texts = kinds == TEXT
    if texts.any():
        stripped = _stripped(cells, texts)
        codes, distinct = _distinct(stripped)
        distinct_amounts, distinct_ambiguous = _parse_amount_texts(distinct)
        parsed = distinct_amounts[codes]
        amounts[texts] = parsed
        text_reasons = _text_reasons(stripped, np.isnan(parsed), "tx_not_an_amount")
        if distinct_ambiguous.any():
            text_reasons[distinct_ambiguous[codes]] = "tx_amount_ambiguous"
        reasons[texts] = text_reasons
    reasons[numbers & np.isnan(amounts)] = "tx_empty"
    reasons[(amounts > MAX_AMOUNT) | (amounts < -MAX_AMOUNT)] = "tx_amount_too_large"  # NaN compares False
    reasons[kinds == NONE] = "tx_empty"
    reasons[kinds == LOGICAL] = "tx_logical"
    reasons[kinds == DATE] = "tx_date_not_an_amount"
    reasons[kinds == OTHER] = "tx_not_an_amount"
    reasons[kinds == FORMULA] = "tx_formula_not_computed"
    return amounts, reasons
