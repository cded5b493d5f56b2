"""Safe file handling: nothing a user gave us is modified, nothing written half-way.

* :func:`check_input_file` refuses, with a clear message, what is not a readable
  workbook or CSV: a missing file, a folder, a workbook protected by a password (an
  encrypted compound file), a file that is not a zip package, a zip bomb (huge
  uncompressed size or compression ratio) or an XML bomb (entity declarations in a
  part, checked with defusedxml).
* :func:`check_output_file` refuses, before any work, an output that is one of the
  inputs by file identity (device and file number, :func:`same_file`), a folder, a
  path through a file, a missing or read-only folder, or an existing file without
  ``--force``.
* :func:`atomic_output` writes to a new temporary file in the target's folder and puts
  it in place only when writing succeeded: created exclusively (a hard link, which
  fails when the name exists) or, with ``--force``, replaced atomically. The file gets
  the usual permissions (umask). A failure, Ctrl+C, SIGTERM or SIGHUP removes the
  temporary file and leaves the target as it was; a full disk or a folder that cannot
  be written is a clear message, never a traceback.

Input files are only ever opened for reading.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import threading
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
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
    "check_output_file",
    "same_file",
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
#: The first bytes of an OLE compound file (an old .xls, or an encrypted workbook).
_COMPOUND_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Names of the streams of an encrypted workbook, as its directory writes them (UTF-16).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
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
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise _refuse("file_unreadable", path, reason=error.strerror or type(error).__name__) from None
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return path
    if suffix == ".xls":
        raise _refuse("file_old_excel", path)
    if suffix not in WORKBOOK_SUFFIXES:
        raise _refuse("file_unknown_kind", path, suffixes=", ".join(WORKBOOK_SUFFIXES + TEXT_SUFFIXES))
    if not zipfile.is_zipfile(path):
        compound = _compound_file_kind(path)
        if compound == "encrypted":
            raise _refuse("tx_xlsx_password", path, source=path.name)
        raise _refuse("file_old_excel" if compound == "binary" else "file_not_a_workbook", path)
    try:
        with zipfile.ZipFile(path) as package:
            _check_package(path, package)
    except zipfile.BadZipFile:
        raise _refuse("file_not_a_workbook", path) from None
    return path


def _compound_file_kind(path: Path) -> str | None:
    """``"encrypted"`` for a password-protected workbook, ``"binary"`` for another compound file, else None.

    Excel saves a workbook with a password to open as an OLE compound file (the format
    of the old .xls) holding the streams ``EncryptionInfo`` and ``EncryptedPackage``
    (MS-OFFCRYPTO); the stream names are looked for in the file's directory, where they
    are written in UTF-16.
    """
    with path.open("rb") as stream:
        if stream.read(len(_COMPOUND_SIGNATURE)) != _COMPOUND_SIGNATURE:
            return None
        tail = b""
        while block := stream.read(1024**2):
            window = tail + block
            if _ENCRYPTED_PACKAGE in window or _ENCRYPTION_INFO in window:
                return "encrypted"
            tail = window[-len(_ENCRYPTED_PACKAGE) :]
    return "binary"


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


def same_file(first: Path, second: Path) -> bool:
    """True when both paths lead to one file: the same device and file number (inode, or Windows' file index).

    A bind mount, a mapped drive, a hard or symbolic link, or a case-insensitive disk
    give one file several paths; comparing resolved paths misses them, the identity
    that :func:`os.stat` reports does not. Where a file system reports no file number
    (0, some network drives on Windows), the resolved paths are compared instead.
    """
    try:
        one, other = os.stat(first), os.stat(second)
    except OSError:  # a path that does not exist (or cannot be reached) is no existing file
        return False
    if one.st_ino == 0 or other.st_ino == 0:
        return os.path.normcase(first.resolve()) == os.path.normcase(second.resolve())
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _blocking_ancestor(folder: Path) -> tuple[str, Path]:
    """Why ``folder`` cannot hold a new file: the first ancestor that is a file, or ``folder`` missing."""
    for ancestor in (folder, *folder.parents):
        if ancestor.exists():
            return ("file_through_a_file", ancestor) if not ancestor.is_dir() else ("file_folder_missing", folder)
    return "file_folder_missing", folder


def check_output_file(target: Path, *, force: bool = False, inputs: Sequence[Path] = ()) -> Path:
    """Check, before any work, that ``target`` can be written as a new file, and return it.

    Checked in this order: ``target`` is none of ``inputs`` by file identity
    (:func:`same_file`), it is not a folder, its folder exists and is a folder (not a
    file on the way), it does not exist unless ``force``, and the folder can be written.

    Raises
    ------
    ClvError
        ``file_same_as_input``, ``file_not_a_file``, ``file_folder_missing``,
        ``file_through_a_file``, ``file_exists`` or ``file_no_permission``.
    """
    for source in inputs:
        if same_file(target, source):
            raise _refuse("file_same_as_input", target, source=str(source))
    if target.is_dir():
        raise _refuse("file_not_a_file", target)
    folder = target.parent
    if not folder.is_dir():
        key, blocking = _blocking_ancestor(folder)
        raise _refuse(key, target, folder=str(blocking))
    if (target.exists() or target.is_symlink()) and not force:
        raise _refuse("file_exists", target)
    if not os.access(folder, os.W_OK):
        raise _refuse("file_no_permission", target, folder=str(folder))
    return target


#: errno values of a full disk or quota.
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
#: errno values of a folder that cannot be written.
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}
#: errno values of a file system without hard links (then the target is reserved by an exclusive open).
#: (EINVAL: Windows' "invalid function" of a FAT or network drive.)
_NO_HARD_LINKS = {
    errno.EPERM,
    errno.EINVAL,
    errno.EXDEV,
    errno.EMLINK,
    errno.ENOSYS,
    getattr(errno, "ENOTSUP", errno.EOPNOTSUPP),
    errno.EOPNOTSUPP,
}


def _write_error(error: OSError, target: Path) -> ClvError:
    """The user's message for a failed write of ``target``."""
    folder = target.parent
    if error.errno in _FULL:
        return _refuse("file_disk_full", target)
    if error.errno in _DENIED or isinstance(error, PermissionError):
        return _refuse("file_no_permission", target, folder=str(folder))
    if error.errno == errno.EEXIST:
        return _refuse("file_exists", target)
    if error.errno == errno.EISDIR:
        return _refuse("file_not_a_file", target)
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        key, blocking = _blocking_ancestor(folder)
        return _refuse(key, target, folder=str(blocking))
    return _refuse("file_write_failed", target, reason=error.strerror or type(error).__name__)


def _new_temporary(target: Path) -> Path:
    """A new, empty file beside ``target``, created exclusively with the permissions of any new file (umask)."""
    while True:
        temporary = target.with_name(f".{target.stem}-{secrets.token_hex(4)}{target.suffix}")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        os.close(descriptor)
        return temporary


def _publish(temporary: Path, target: Path, *, force: bool, inputs: Sequence[Path]) -> None:
    """Put the finished ``temporary`` in place of ``target``: replacing it only with ``force``.

    Without ``force`` the target is created exclusively: a hard link to the temporary
    file, which fails when the name exists, so two runs writing the same new file never
    overwrite each other (on a file system without hard links, an exclusive open reserves
    the name first). With ``force`` the identity check is repeated right before the
    atomic replacement.
    """
    if force:
        for source in inputs:
            if same_file(target, source):
                raise _refuse("file_same_as_input", target, source=str(source))
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise _refuse("file_exists", target) from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # FileExistsError: taken
        os.close(descriptor)
        os.replace(temporary, target)


class _Signalled(BaseException):
    """Raised by the handler of SIGTERM or SIGHUP while an output is written, to clean up first."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


@contextmanager
def _clean_up_on_signals(target: Path) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP unwind it (so ``finally`` clauses run), then act as before.

    Ctrl+C (SIGINT) already unwinds as KeyboardInterrupt. After the unwinding the
    signal is raised again with the handler it had before (by default: the process
    ends by that signal). A signal that was ignored stays ignored; outside the main
    thread (where Python cannot set handlers) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def unwind(number: int, _frame: object) -> None:
        raise _Signalled(number)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        handler = signal.getsignal(number)
        if handler is signal.SIG_IGN or handler is None:
            continue
        signal.signal(number, unwind)
        previous[number] = handler

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)
        previous.clear()

    try:
        yield
    except _Signalled as received:
        restore()
        signal.raise_signal(received.number)  # the earlier handler's turn: by default the process ends here
        raise _refuse("file_interrupted", target) from None
    finally:
        restore()


@contextmanager
def atomic_output(target: Path, *, force: bool = False, inputs: Sequence[Path] = ()) -> Iterator[Path]:
    """Yield a new temporary file beside ``target``; put it in place of ``target`` when the block succeeds.

    What is promised:

    * ``target`` is never one of ``inputs`` (by file identity, checked before and
      again right before a replacement), never a folder;
    * without ``force`` the target is created exclusively (never check-then-rename);
      with ``force`` it is replaced atomically: an old file is intact until then;
    * the file gets the permissions any new file gets (the umask), not 0600;
    * on any failure, Ctrl+C, SIGTERM or SIGHUP the temporary file is removed and the
      target left as it was; a full disk, a folder that cannot be written, a missing
      folder or a file on the way become a :class:`ClvError` in the user's language.

    Parameters
    ----------
    target
        The file to create.
    force
        Replace ``target`` if it exists; without it an existing file is refused.
    inputs
        Files that must never be overwritten (the files the output is made from).

    Raises
    ------
    ClvError
        See :func:`check_output_file`; ``file_disk_full``, ``file_no_permission``,
        ``file_write_failed`` when writing fails; ``file_interrupted`` when a signal
        whose handler returns stopped the writing.
    """
    check_output_file(target, force=force, inputs=inputs)
    with _clean_up_on_signals(target):
        try:
            temporary = _new_temporary(target)
        except OSError as error:
            raise _write_error(error, target) from None
        try:
            yield temporary
            _publish(temporary, target, force=force, inputs=inputs)
        except OSError as error:
            raise _write_error(error, target) from None
        finally:
            with suppress(OSError):
                temporary.unlink(missing_ok=True)
