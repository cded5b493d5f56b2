"""Safe file handling: refusing bad inputs and never leaving a half-written output.

Checked against real files made in tmp_path: a real workbook (openpyxl), a zip that
is not a workbook, a zip bomb, an XML bomb (billion laughs), an .xls name, a folder.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from clv_xl.errors import ClvError
from clv_xl.files import MAX_COMPRESSION_RATIO, atomic_output, check_input_file


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


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return path
