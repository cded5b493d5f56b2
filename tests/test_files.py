"""Safe file handling: refusing bad inputs and never leaving a half-written output.

Checked against real files made in tmp_path: a real workbook (openpyxl), a zip that
is not a workbook, a zip bomb, an XML bomb (billion laughs), an .xls name, a folder;
for the output, hard and symbolic links to the input (what a bind mount, a mapped drive
or a case-insensitive disk do: one file, two paths), a rival writer that creates the
target while ours is writing, real signals sent to a child process, and injected
faults (a full disk, a read-only folder) where this machine cannot make them real.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import clv_xl.files
from clv_xl.errors import ClvError
from clv_xl.files import MAX_COMPRESSION_RATIO, atomic_output, check_input_file, check_output_file, same_file


def real_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["customer_id", "date", "amount"])
    book.save(path)
    return path


def test_a_real_workbook_and_a_csv_pass(tmp_path: Path) -> None:
    assert check_input_file(real_workbook(tmp_path / "ok.xlsx")) == tmp_path / "ok.xlsx"
    csv = tmp_path / "ok.csv"
    csv.write_text("customer_id,date,amount\n1,2024-01-01,10\n", encoding="utf-8")
    assert check_input_file(csv) == csv


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.xlsx", "does not exist"),
        (lambda p: p, "is a folder"),
        (lambda p: _write(p / "old.xls", b"\xd0\xcf\x11\xe0"), "old .xls format"),
        (lambda p: _write(p / "notes.pdf", b"%PDF-1.4"), "not a workbook or CSV"),
        (lambda p: _write(p / "text.xlsx", b"just text, not a zip"), "not a valid Excel workbook"),
        (lambda p: _zip(p / "other.xlsx", {"readme.txt": b"hello"}), "not a valid Excel workbook"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    with pytest.raises(ClvError, match=message) as caught:
        check_input_file(path)
    assert str(path) in str(caught.value)


def test_an_input_that_cannot_be_opened_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Injected (root may open anything): a file the user may not read was a PermissionError traceback."""
    csv = tmp_path / "ordini.csv"
    csv.write_text("customer_id,date,amount\n", encoding="utf-8")

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(ClvError, match="cannot be read \\(Permission denied\\)") as caught:
        check_input_file(csv)
    assert "impossibile leggere" in caught.value.message("it")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    # 64 MB of zeros compresses ~1000:1, far above any real sheet
    path = _zip(
        tmp_path / "bomb.xlsx",
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": bytes(64 * 1024**2),
        },
    )
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
    with pytest.raises(ClvError, match="compressed bomb"):
        check_input_file(path)


def test_xml_bomb_is_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><workbook>&lol2;</workbook>'
    )
    path = _zip(tmp_path / "laughs.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": laughs})
    with pytest.raises(ClvError, match="XML bomb"):
        check_input_file(path)


def test_messages_in_italian(tmp_path: Path) -> None:
    with pytest.raises(ClvError) as caught:
        check_input_file(tmp_path / "manca.xlsx")
    assert caught.value.message("it").endswith("il file non esiste")


def test_atomic_output_renames_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as temporary:
            temporary.write_bytes(b"half")
            raise RuntimeError("writer failed")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    with atomic_output(target) as temporary:
        assert temporary.parent == tmp_path and temporary != target
        temporary.write_bytes(b"complete")
    assert target.read_bytes() == b"complete"
    assert list(tmp_path.iterdir()) == [target]


def test_existing_output_is_refused_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the user's file")
    with pytest.raises(ClvError, match="already exists; choose another name or use --force"):
        with atomic_output(target):
            pass
    assert target.read_bytes() == b"the user's file"
    with atomic_output(target, force=True) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"


def test_an_output_that_is_the_input_by_another_path_is_refused(tmp_path: Path) -> None:
    """A hard link is the same file under another name (as a bind mount or a mapped drive is):
    the resolved paths differ, the device and file number do not. Comparing paths would let
    ``--force`` overwrite the input."""
    source = real_workbook(tmp_path / "orders.xlsx")
    before = source.read_bytes()
    linked = tmp_path / "other name.xlsx"
    os.link(source, linked)
    symbolic = tmp_path / "shortcut.xlsx"
    symbolic.symlink_to(source)
    assert linked.resolve() != source.resolve()
    for alias in (linked, symbolic, tmp_path / "." / "orders.xlsx"):
        assert same_file(alias, source)
        with pytest.raises(ClvError, match="is the input file") as caught:
            with atomic_output(alias, force=True, inputs=(source,)) as temporary:
                temporary.write_bytes(b"report")
        assert "stesso file con un altro percorso" in caught.value.message("it")
    assert source.read_bytes() == before
    assert not same_file(tmp_path / "new.xlsx", source)


def test_the_identity_is_checked_again_right_before_a_replacement(tmp_path: Path) -> None:
    """The target becomes the input while the report is written (a link made meanwhile):
    the replacement is refused, the input unchanged, no temporary file left."""
    source = real_workbook(tmp_path / "orders.xlsx")
    before = source.read_bytes()
    target = tmp_path / "report.xlsx"
    with pytest.raises(ClvError, match="is the input file"):
        with atomic_output(target, force=True, inputs=(source,)) as temporary:
            temporary.write_bytes(b"report")
            os.link(source, target)
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.xlsx", "report.xlsx"]


@pytest.mark.parametrize("hard_links", [True, False], ids=["hard link", "no hard links"])
def test_a_new_output_is_created_exclusively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool) -> None:
    """Two runs writing the same new file: the one that finishes second must not replace the
    first one's file. A check-then-rename would (the name was free when it checked). Without
    hard links (some network or FAT disks) an exclusive open reserves the name instead."""
    if not hard_links:

        def no_link(source: object, target: object) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    target = tmp_path / "report.xlsx"
    with pytest.raises(ClvError, match="already exists"):
        with atomic_output(target) as temporary:
            temporary.write_bytes(b"ours")
            target.write_bytes(b"the other run's report")  # the rival finished first
    assert target.read_bytes() == b"the other run's report"
    assert list(tmp_path.iterdir()) == [target]
    fresh = tmp_path / "fresh.xlsx"
    with atomic_output(fresh) as temporary:
        temporary.write_bytes(b"ours")
    assert fresh.read_bytes() == b"ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.xlsx", "report.xlsx"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_the_output_gets_the_permissions_of_a_new_file(tmp_path: Path, umask: int) -> None:
    """0666 less the umask, as any program's new file; a private temporary file (mkstemp's 0600)
    renamed into place would hide the report from the user's group."""
    previous = os.umask(umask)
    try:
        with atomic_output(tmp_path / "new.xlsx") as temporary:
            temporary.write_bytes(b"report")
        (tmp_path / "old.xlsx").write_bytes(b"old")
        os.chmod(tmp_path / "old.xlsx", 0o600)
        with atomic_output(tmp_path / "old.xlsx", force=True) as temporary:
            temporary.write_bytes(b"report")
    finally:
        os.umask(previous)
    for name in ("new.xlsx", "old.xlsx"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize(
    ("make_target", "english", "italian"),
    [
        (lambda p: p / "missing folder" / "report.xlsx", "the folder .*missing folder does not exist", "non esiste"),
        (
            lambda p: _write(p / "notes.txt", b"a file") / "report.xlsx",
            "notes.txt is a file, not a folder",
            "è un file, non una cartella",
        ),
        (lambda p: _write(p / "notes.txt", b"a file") / "sub" / "report.xlsx", "notes.txt is a file", "è un file"),
        (lambda p: p, "is a folder, not a file", "è una cartella"),
    ],
    ids=["missing folder", "through a file", "through a file, deeper", "a folder"],
)
def test_an_output_path_that_cannot_be_a_file_is_refused_clearly(
    tmp_path: Path,
    make_target,  # type: ignore[no-untyped-def]
    english: str,
    italian: str,
) -> None:
    target = make_target(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(ClvError, match=english) as caught:
        with atomic_output(target, force=True) as temporary:
            temporary.write_bytes(b"report")
    assert italian in caught.value.message("it")
    assert sorted(tmp_path.rglob("*")) == before


def test_a_read_only_folder_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Injected: these tests run as root, for whom no folder is read-only. Both the early check
    (``os.access``) and the creation of the temporary file (``os.open``) are made to fail as
    they do on a read-only folder or disk."""
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old report")
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(ClvError, match="read-only or you may not write in it") as caught:
        check_output_file(target, force=True)
    assert "sola lettura" in caught.value.message("it")
    monkeypatch.undo()
    real_open = os.open

    def read_only(path: object, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(ClvError, match="read-only or you may not write in it"):
        with atomic_output(target, force=True) as temporary:
            temporary.write_bytes(b"report")
    assert target.read_bytes() == b"old report"
    assert list(tmp_path.iterdir()) == [target]


def test_a_full_disk_leaves_no_temporary_file_and_the_old_file_intact(tmp_path: Path) -> None:
    """Injected: the writer fails with ENOSPC half-way, as it does when the disk fills up."""
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(ClvError, match="the disk is full") as caught:
        with atomic_output(target, force=True) as temporary:
            with temporary.open("wb") as stream:
                stream.write(b"half a rep")
                raise OSError(errno.ENOSPC, "No space left on device")
    assert "il disco è pieno" in caught.value.message("it")
    assert target.read_bytes() == b"old report"
    assert list(tmp_path.iterdir()) == [target]


_WRITE_AND_SIGNAL = """
import os, signal, sys
from pathlib import Path
from clv_xl.files import atomic_output
from clv_xl.errors import ClvError
folder, name, handler = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
if handler == "ignore":
    signal.signal(getattr(signal, name), signal.SIG_IGN)
elif handler == "returns":
    signal.signal(getattr(signal, name), lambda number, frame: None)
try:
    with atomic_output(folder / "report.xlsx", force=True) as temporary:
        temporary.write_bytes(b"half")
        (folder / "started").write_text(temporary.name)
        os.kill(os.getpid(), getattr(signal, name))
        temporary.write_bytes(b"whole")
except ClvError as error:
    print(error.message("en"))
    sys.exit(3)
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_removes_the_temporary_file_and_ends_the_process(tmp_path: Path, name: str) -> None:
    """A real signal sent to a real process while it writes: the temporary file is gone, the old
    report intact, and the process ends as that signal ends it (SIGINT: Ctrl+C, KeyboardInterrupt).
    Without the handlers SIGTERM and SIGHUP kill the process before any clean-up."""
    (tmp_path / "report.xlsx").write_bytes(b"old report")
    run = subprocess.run(
        [sys.executable, "-c", _WRITE_AND_SIGNAL, str(tmp_path), name, "default"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (tmp_path / "started").exists(), run.stderr
    temporary = (tmp_path / "started").read_text()
    assert not (tmp_path / temporary).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx", "started"]
    assert (tmp_path / "report.xlsx").read_bytes() == b"old report"
    if name == "SIGINT":
        assert "KeyboardInterrupt" in run.stderr
    else:
        assert run.returncode == -getattr(signal, name), (run.returncode, run.stderr)


@pytest.mark.parametrize(
    ("handler", "expected"), [("ignore", b"whole"), ("returns", b"old report")], ids=["ignored", "handled"]
)
def test_a_signal_keeps_the_meaning_the_program_gave_it(tmp_path: Path, handler: str, expected: bytes) -> None:
    """An ignored SIGHUP (nohup) stays ignored: the report is written. A signal whose handler
    returns stops the writing with a message, the temporary file removed."""
    (tmp_path / "report.xlsx").write_bytes(b"old report")
    run = subprocess.run(
        [sys.executable, "-c", _WRITE_AND_SIGNAL, str(tmp_path), "SIGHUP", handler],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (tmp_path / "report.xlsx").read_bytes() == expected, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx", "started"]
    if handler == "returns":
        assert run.returncode == 3 and "was not written: interrupted" in run.stdout
    else:
        assert run.returncode == 0, run.stderr


def test_signal_handlers_are_restored_after_writing(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with atomic_output(tmp_path / "report.xlsx") as temporary:
        assert signal.getsignal(signal.SIGTERM) is not before
        temporary.write_bytes(b"report")
    assert signal.getsignal(signal.SIGTERM) is before
    assert clv_xl.files.same_file(tmp_path / "report.xlsx", tmp_path / "report.xlsx")


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return path
