"""Transactions from a CSV file, as Excel saves it.

The separator (``;`` for Italian Excel, ``,``, tab or ``|``) and the header line are
found in the first lines; the encoding is UTF-8 (with or without BOM) when the bytes
are UTF-8, UTF-16 for Excel's "Unicode text" (tab-separated; transcoded to UTF-8 first),
else Windows-1252; other encodings are refused by name. pandas parses the bytes themselves (a decoded copy would
take four bytes a character), and only the headed columns become cells. Problems name
the line a text editor shows, also below a quoted field written over several lines.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.data.validation import (
    HEADER_SEARCH_ROWS,
    OnError,
    Transactions,
    TransactionsError,
    find_header,
    no_header_error,
    transactions_from_columns,
)

__all__ = ["read_csv_file"]


#: Byte order marks of the encodings that are read by transcoding to UTF-8, and of those refused.
_UTF16_MARKS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
_UTF32_MARKS = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32"}
#: Bytes looked at to recognise UTF-16 without a byte order mark.
_SNIFF_BYTES = 4096


def _utf16_without_mark(raw: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when NUL bytes fill one side of each byte pair (Latin text), else None."""
    head = raw[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    if len(head) < 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _as_readable(raw: bytes, source: str) -> tuple[bytes, str]:
    """The CSV's bytes and their encoding, as pandas reads them.

    UTF-8 (with or without BOM) when the bytes are UTF-8; UTF-16 (Excel's "Unicode text",
    with or without its byte order mark) transcoded to UTF-8; else Windows-1252 (Italian
    Excel). UTF-32, or other bytes with NULs, are refused naming the encoding: read as
    Windows-1252 they would be a header of NUL characters.

    Raises
    ------
    TransactionsError
        ``tx_csv_encoding`` (UTF-32) or ``tx_csv_binary`` (NUL bytes, not UTF-16).
    """
    utf16 = next((name for mark, name in _UTF16_MARKS.items() if raw.startswith(mark)), None)
    if raw.startswith(tuple(_UTF32_MARKS)):
        raise TransactionsError("tx_csv_encoding", source=source, encoding="UTF-32")
    if utf16 is None and b"\x00" in raw[:_SNIFF_BYTES]:
        utf16 = _utf16_without_mark(raw)
        if utf16 is None:
            raise TransactionsError("tx_csv_binary", source=source)
    if utf16 is not None:
        text = raw.decode(utf16, errors="replace").removeprefix("\ufeff")
        return text.encode("utf-8"), "utf-8"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw, "cp1252"
    return raw, "utf-8-sig"


def _first_lines(raw: bytes, encoding: str) -> str:
    """The text of the first :data:`HEADER_SEARCH_ROWS` lines (the rest of the file is never decoded here)."""
    end = -1
    for _ in range(HEADER_SEARCH_ROWS):
        end = raw.find(b"\n", end + 1)
        if end < 0:
            break
    return (raw if end < 0 else raw[:end]).decode(encoding, errors="replace")


def _csv_layout(text: str, source: str) -> tuple[str, int, list[str]]:
    """The separator, the header line's index and its cells, from the first lines."""
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    for index, line in enumerate(lines):
        for separator in sorted(";,\t|", key=line.count, reverse=True):
            cells = next(csv.reader([line], delimiter=separator), [])
            if find_header([cells]) is not None:
                return separator, index, cells
    first = next((line for line in lines if line.strip()), "")
    raise no_header_error(source, next(csv.reader([first], delimiter=max(";,\t|", key=first.count)), []))


@dataclass(frozen=True)
class _CsvRecords:
    """The records of a CSV file: the fields of the longest, and the text line each starts on (1-based).

    A record is a line, or several when a quoted field holds line breaks.
    """

    most_fields: int
    first_lines: npt.NDArray[np.int64]


def _csv_records(raw: bytes, separator: str, *, quoted: bool = True) -> _CsvRecords:
    """The records of a CSV file, counted on its bytes.

    With ``quoted``, a separator or line end between double quotes is part of a field:
    it follows an odd number of quotes (a quote inside a quoted field is written twice,
    which keeps the count even). Without, every separator and line end counts (never too
    few fields).
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(data == ord('"')) if quoted else np.empty(0, dtype=np.intp)

    def outside_quotes(positions: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        return positions[np.searchsorted(quotes, positions) % 2 == 0] if quotes.size else positions

    line_ends = np.flatnonzero(data == ord("\n"))
    separators = outside_quotes(np.flatnonzero(data == ord(separator)))
    record_ends = np.append(outside_quotes(line_ends), data.size)
    per_record = np.diff(np.searchsorted(separators, record_ends), prepend=0)
    starts = np.concatenate(([0], record_ends[:-1] + 1))
    return _CsvRecords(int(per_record.max(initial=0)) + 1, np.searchsorted(line_ends, starts).astype(np.int64) + 1)


def _csv_frame(
    raw: bytes, encoding: str, separator: str, header_index: int, width: int, columns: list[int] | None
) -> pd.DataFrame:
    """The CSV's cells from the header line on, as text ("" when empty), columns labelled by position."""
    return pd.read_csv(
        io.BytesIO(raw),  # the bytes themselves: a decoded copy would take 4 bytes a character
        encoding=encoding,
        encoding_errors="replace",
        sep=separator,
        skiprows=header_index,
        header=None,
        skip_blank_lines=False,
        dtype=object,
        keep_default_na=False,
        engine="c",
        names=range(width),
        usecols=columns,
        index_col=False,
    )


def read_csv_file(path: Path, on_error: OnError) -> Transactions:
    """Transactions from a CSV file (see :func:`clv_xl.data.reader.read_transactions`)."""
    raw, encoding = _as_readable(path.read_bytes(), path.name)
    separator, header_index, header = _csv_layout(_first_lines(raw, encoding), path.name)
    _, positions = find_header([header])  # type: ignore[misc]
    # as many columns as the longest line (notes beyond the headed columns are allowed);
    # only the headed columns become text cells. A quote used as an inch mark can throw
    # the quote-aware count: then every column is read, as wide as every separator allows.
    try:
        records = _csv_records(raw, separator)
        width = max(len(header), records.most_fields)
        frame = _csv_frame(raw, encoding, separator, header_index, width, sorted(set(positions.values())))
    except (pd.errors.ParserError, ValueError):
        try:
            records = _csv_records(raw, separator, quoted=False)
            width = max(len(header), records.most_fields)
            frame = _csv_frame(raw, encoding, separator, header_index, width, None)
        except (pd.errors.ParserError, ValueError) as problem:
            raise TransactionsError("tx_csv_unreadable", source=path.name, reason=str(problem).strip()) from None
    del raw
    columns = {name: frame[position].to_numpy(dtype=object)[1:] for name, position in positions.items()}
    headers = {name: header[position].strip() for name, position in positions.items()}
    # the line each record starts on, as a text editor shows it (a quoted field may span lines)
    rows = records.first_lines[header_index + 1 : header_index + len(frame)]
    if len(rows) != len(frame) - 1:
        rows = np.arange(header_index + 2, header_index + 1 + len(frame), dtype=np.int64)
    return transactions_from_columns(columns, headers=headers, rows=rows, source=path.name, on_error=on_error)
