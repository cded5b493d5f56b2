"""``clv-xl report`` end to end on real files: nothing lost, nothing injected, clear refusals."""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
import xlwings
from click.testing import CliRunner

from clv_xl.cli import cli
from clv_xl.report.sheet_layout import SHEETS

ROWS = [
    ("00001", "2024-01-10", 100.0, "North"),
    ("00001", "2024-07-10", 300.0, "North"),
    ("00002", "2024-03-01", 200.0, "North"),
    ("00003", "2024-02-01", 50.0, "South"),
    ("00003", "2024-12-01", 100.0, "South"),
]


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(arguments))
    return result.exit_code, result.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tiny_png() -> bytes:
    """A valid 1×1 PNG, made by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def workbook_with_macros(tmp_path: Path) -> Path:
    """A user's .xlsm: transactions, a parameters sheet, a chart, an image and a VBA project."""
    vba = tmp_path / "vbaProject.bin"
    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as package:
        vba.write_bytes(package.read("xl/vbaProject.bin"))
    image = tmp_path / "logo.png"
    image.write_bytes(tiny_png())
    path = tmp_path / "orders.xlsm"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Transactions")
    sheet.write_row(0, 0, ["customer_id", "date", "amount", "segment"])
    for row, (customer, date, amount, segment) in enumerate(ROWS, start=1):
        sheet.write_string(row, 0, customer)
        sheet.write_string(row, 1, date)
        sheet.write_number(row, 2, amount)
        sheet.write_string(row, 3, segment)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Transactions!$C$2:$C$6"})
    sheet.insert_chart("F2", chart)
    sheet.insert_image("F20", str(image))
    parameters = book.add_worksheet("Parameters")
    for row, (key, value) in enumerate([("key", "value"), ("cac", 150), ("margin", 0.4)]):
        parameters.write(row, 0, key)
        parameters.write(row, 1, value)
    book.add_vba_project(str(vba))
    book.close()
    return path


def report_cell(path: Path, label: str) -> object:
    sheet = openpyxl.load_workbook(path)[SHEETS["report"].en]
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row[1].value
    raise AssertionError(label)


def test_report_leaves_the_input_byte_for_byte_unchanged(workbook_with_macros: Path, tmp_path: Path) -> None:
    before = digest(workbook_with_macros)
    code, output = run("report", str(workbook_with_macros), "-o", str(tmp_path / "report.xlsx"), "--lang", "en")
    assert code == 0, output
    assert "(customers: 3; rows skipped: 0)" in output
    assert digest(workbook_with_macros) == before
    assert (tmp_path / "report.xlsx").exists()


def test_parameters_sheet_then_options(workbook_with_macros: Path, tmp_path: Path) -> None:
    run("report", str(workbook_with_macros), "-o", str(tmp_path / "sheet.xlsx"))
    assert (
        report_cell(tmp_path / "sheet.xlsx", "Acquisition cost per customer (CAC)") == 150
    )  # from the parameters sheet
    assert report_cell(tmp_path / "sheet.xlsx", "Gross margin") == 0.4
    run("report", str(workbook_with_macros), "-o", str(tmp_path / "option.xlsx"), "--cac", "90")
    assert report_cell(tmp_path / "option.xlsx", "Acquisition cost per customer (CAC)") == 90  # the option wins
    assert report_cell(tmp_path / "option.xlsx", "Gross margin") == 0.4


def test_existing_output_is_refused_without_force(workbook_with_macros: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"someone's file")
    code, output = run("report", str(workbook_with_macros), "-o", str(target))
    assert code == 1
    assert "already exists; choose another name or use --force" in output
    assert target.read_bytes() == b"someone's file"
    code, _ = run("report", str(workbook_with_macros), "-o", str(target), "--force")
    assert code == 0
    assert zipfile.is_zipfile(target)


def test_the_input_is_never_the_output(workbook_with_macros: Path) -> None:
    before = digest(workbook_with_macros)
    code, output = run("report", str(workbook_with_macros), "-o", str(workbook_with_macros), "--force")
    assert code == 1
    assert "is the input file" in output
    assert digest(workbook_with_macros) == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.xlsx", b"plain text", "is not a valid Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old .xls format"),
        ("photo.png", b"\x89PNG", "not a workbook or CSV"),
    ],
)
def test_malformed_inputs_are_refused_clearly(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    code, output = run("report", str(source), "-o", str(tmp_path / "report.xlsx"))
    assert code == 1
    assert expected in output
    assert "Traceback" not in output
    assert not (tmp_path / "report.xlsx").exists()


def test_bad_rows_are_listed_with_row_and_column_or_skipped(tmp_path: Path) -> None:
    source = tmp_path / "orders.csv"
    source.write_text(
        "customer_id;date;amount\n00001;2024-01-10;100\n00002;not a date;50\n"
        "00003;2024-02-01;abc\n00004;2024-03-01;1.234,50\n",
        encoding="utf-8",
    )
    code, output = run("report", str(source), "-o", str(tmp_path / "report.xlsx"), "--lang", "en")
    assert code == 1
    assert "row 3" in output and "date" in output
    assert "row 4" in output and "amount" in output
    code, output = run("report", str(source), "-o", str(tmp_path / "report.xlsx"), "--skip-bad-rows")
    assert code == 0, output
    assert "(customers: 2; rows skipped: 2)" in output


def test_messages_in_italian(tmp_path: Path) -> None:
    code, output = run("report", str(tmp_path / "manca.xlsx"), "-o", str(tmp_path / "r.xlsx"), "--lang", "it")
    assert code == 1
    assert "il file non esiste" in output
