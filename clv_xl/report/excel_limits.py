"""Excel's limits, and what the report does to stay inside them without losing anything.

* A sheet has at most :data:`MAX_ROWS` rows (1,048,576): a table that does not fit
  keeps its first rows (the report's tables are sorted most valuable first), and the
  report writes the whole customer table as a CSV file beside the workbook.
* A cell holds at most :data:`MAX_TEXT_LENGTH` characters (32,767): a longer text is
  cut, and the report says how many were.
* A cell cannot hold NaN or infinity: such values are left empty.

Source: Microsoft, "Excel specifications and limits" (worksheet size 1,048,576 rows by
16,384 columns; total number of characters that a cell can contain 32,767).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["MAX_ROWS", "MAX_TEXT_LENGTH", "cut_text", "cut_texts", "rows_that_fit"]

#: Rows of a worksheet.
MAX_ROWS = 1_048_576
#: Characters of a cell.
MAX_TEXT_LENGTH = 32_767


def rows_that_fit(first_data_row: int, rows: int, max_rows: int | None = None) -> int:
    """How many of ``rows`` data rows fit on a sheet when the first goes to the 0-based row ``first_data_row``."""
    limit = MAX_ROWS if max_rows is None else max_rows
    return max(0, min(rows, limit - first_data_row))


def cut_texts(values: pd.Series, max_length: int | None = None) -> tuple[npt.NDArray[np.object_], set[str]]:
    """A text column as Excel can hold it: "" for an empty value, texts cut to :data:`MAX_TEXT_LENGTH`.

    Returns the texts and the distinct texts that were cut (whole), so that a report can
    say how many of the user's texts it had to cut, however many cells show each.
    """
    limit = MAX_TEXT_LENGTH if max_length is None else max_length
    texts = np.array(["" if pd.isna(value) else str(value) for value in values.tolist()], dtype=object)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    long = lengths > limit
    cut: set[str] = set(texts[long].tolist())
    if cut:
        texts[long] = [text[:limit] for text in texts[long]]
    return texts, cut


def cut_text(text: str) -> str:
    """One text as a cell can hold it (see :func:`cut_texts`)."""
    return text[:MAX_TEXT_LENGTH]
