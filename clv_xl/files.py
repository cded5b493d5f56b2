"""Safe file handling: nothing a user gave us is modified, nothing written half-way.

* :func:`check_input_file` refuses, with a clear message, what is not a readable
  workbook or CSV: a missing file, a folder, a file that is not a zip package, a zip
  bomb (huge uncompressed size or compression ratio) or an XML bomb (entity
  declarations in a part, checked with defusedxml).
* :func:`atomic_output` writes to a temporary file in the target's folder and renames
  it into place only when writing succeeded; an existing file is replaced only when
  the caller says so (``--force``).

Input files are only ever opened for reading.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from clv_xl.errors import ClvError, ExcelErrorCode

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "WORKBOOK_SUFFIXES",
    "atomic_output",
    "check_input_file",
]

#: Workbook formats read as zip packages (Office Open XML).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
#: Text formats read as transactions.
TEXT_SUFFIXES = (".csv", ".txt")
#: A workbook at Excel's row limit unpacks to about 200 MB; this leaves room, not a bomb.
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
#: Compression ratio of one part above which it is treated as a zip bomb (real sheets: < 20).
MAX_COMPRESSION_RATIO = 200
#: Parts smaller than this are never judged by their ratio.
_RATIO_FLOOR_BYTES = 1024**2
#: XML parts checked for entity declarations (the ones read when a workbook is opened).
_XML_PARTS_TO_CHECK = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _refuse(key: str, path: Path, **params: Any) -> ClvError:
    return ClvError(ExcelErrorCode.VALUE, key, argument=None, path=str(path), **params)


def check_input_file(path: Path) -> Path:
    """Check that ``path`` is a transactions file we can read safely, and return it.

    Raises
    ------
    ClvError
        With a message that says what is wrong with the file (keys ``file_*``).
    """
    if not path.exists():
        raise _refuse("file_missing", path)
    if not path.is_file():
        raise _refuse("file_not_a_file", path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return path
    if suffix == ".xls":
        raise _refuse("file_old_excel", path)
    if suffix not in WORKBOOK_SUFFIXES:
        raise _refuse("file_unknown_kind", path, suffixes=", ".join(WORKBOOK_SUFFIXES + TEXT_SUFFIXES))
    if not zipfile.is_zipfile(path):
        raise _refuse("file_not_a_workbook", path)
    try:
        with zipfile.ZipFile(path) as package:
            _check_package(path, package)
    except zipfile.BadZipFile:
        raise _refuse("file_not_a_workbook", path) from None
    return path


def _check_package(path: Path, package: zipfile.ZipFile) -> None:
    members = package.infolist()
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse("file_not_a_workbook", path)
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _refuse("file_zip_bomb", path, size=total // 1024**2)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise _refuse("file_zip_bomb", path, size=member.file_size // 1024**2)
    for name in _XML_PARTS_TO_CHECK:
        if name in names:
            try:
                fromstring(package.read(name), forbid_dtd=True)
            except DefusedXmlException:
                raise _refuse("file_xml_bomb", path, part=name) from None
            except Exception:  # noqa: BLE001 - any parse failure means a broken package
                raise _refuse("file_not_a_workbook", path) from None


@contextmanager
def atomic_output(target: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    Parameters
    ----------
    target
        The file to create.
    force
        Replace ``target`` if it exists; without it an existing file is refused.

    Raises
    ------
    ClvError
        ``file_exists`` when ``target`` exists and ``force`` is False.
    """
    if target.exists() and not force:
        raise _refuse("file_exists", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
