"""``clv-xl report`` end to end on real files: nothing lost, nothing injected, clear refusals."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
import xlwings
from click.testing import CliRunner

import clv_xl.report.xlsx
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


def test_the_input_by_another_path_is_never_the_output(workbook_with_macros: Path, tmp_path: Path) -> None:
    """A hard link to the input (one file, two names, as a bind mount or a mapped drive gives):
    even with --force it is refused before anything is read or written."""
    before = digest(workbook_with_macros)
    alias = tmp_path / "elsewhere.xlsx"
    os.link(workbook_with_macros, alias)
    code, output = run("report", str(workbook_with_macros), "-o", str(alias), "--force", "--lang", "it")
    assert code == 1
    assert "è il file di partenza" in output and "Traceback" not in output
    assert digest(workbook_with_macros) == before


@pytest.mark.parametrize(
    ("out", "english", "italian"),
    [
        ("missing/report.xlsx", "does not exist", "non esiste"),
        ("orders.xlsm/report.xlsx", "is a file, not a folder", "è un file, non una cartella"),
    ],
)
def test_an_output_that_cannot_be_written_is_a_message_in_both_languages(
    workbook_with_macros: Path, tmp_path: Path, out: str, english: str, italian: str
) -> None:
    for language, expected in (("en", english), ("it", italian)):
        code, output = run("report", str(workbook_with_macros), "-o", str(tmp_path / out), "--lang", language)
        assert code == 1 and expected in output and "Traceback" not in output, output


def test_a_full_disk_keeps_the_old_report(
    workbook_with_macros: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Injected: the writer of the workbook fails with ENOSPC after writing part of it."""
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"last month's report")

    def disk_fills_up(workbook: bytes, temporary: Path, sheets: object) -> None:
        temporary.write_bytes(workbook[: len(workbook) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(clv_xl.report.xlsx, "splice_rows", disk_fills_up)
    code, output = run("report", str(workbook_with_macros), "-o", str(target), "--force", "--lang", "it")
    assert code == 1 and "il disco è pieno" in output and "Traceback" not in output, output
    assert target.read_bytes() == b"last month's report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["report.xlsx"]


_KILLED_WHILE_SAVING = """
import os, signal, sys
from pathlib import Path
from clv_xl.report.run import report_from_file
def progress(step):
    if step == "save":
        os.kill(os.getpid(), getattr(signal, sys.argv[3]))
report_from_file(Path(sys.argv[1]), Path(sys.argv[2]), force=True, progress=progress)
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_report_killed_while_saving_leaves_no_temporary_file(
    workbook_with_macros: Path, tmp_path: Path, name: str
) -> None:
    target = tmp_path / "out" / "report.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"last month's report")
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_SAVING, str(workbook_with_macros), str(target), name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -getattr(signal, name), killed.stderr
    assert list(target.parent.iterdir()) == [target]
    assert target.read_bytes() == b"last month's report"


@pytest.mark.parametrize("skip", [[], ["--skip-bad-rows"]], ids=["default", "--skip-bad-rows"])
def test_a_segment_of_refunds_only_does_not_stop_the_report(tmp_path: Path, skip: list[str]) -> None:
    """A valid file whose segment "Resi" holds only refunds: the report stopped with "apv must not be
    negative", with or without --skip-bad-rows. It is written, the segment shown with its negative value."""
    source = tmp_path / "ordini.csv"
    source.write_text(
        "id_cliente;data;importo;segmento\nA;10/01/2024;100;Nord\nA;10/07/2024;300;Nord\n"
        "B;01/03/2024;200;Nord\nC;01/02/2024;-50;Resi\nC;01/12/2024;-20;Resi\n",
        encoding="utf-8",
    )
    target = tmp_path / "rapporto.xlsx"
    code, output = run("report", str(source), "-o", str(target), "--lang", "it", *skip)
    assert code == 0, output
    assert "(clienti: 3; righe saltate: 0)" in output
    # the cached values of the formula cells (the core's figures; the formulas are checked by LibreOffice elsewhere)
    segments = openpyxl.load_workbook(target, data_only=True)[SHEETS["segments"].it]
    header, *rows_below = segments.iter_rows(min_row=4, values_only=True)
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in rows_below}
    assert rows["Resi"]["Ricavi"] == -70 and rows["Resi"]["CLV (metodo passo per passo)"] < 0
    only_refunds = tmp_path / "resi.csv"
    only_refunds.write_text("customer_id,date,amount\nC,2024-02-01,-50\nC,2024-12-01,-20\n", encoding="utf-8")
    code, output = run("report", str(only_refunds), "-o", str(tmp_path / "resi.xlsx"), *skip)
    assert code == 0, output


def test_rows_of_formulas_without_values_are_counted_not_skipped_as_blank(tmp_path: Path) -> None:
    """A workbook saved by openpyxl with a row of lookups (no computed values): it was "rows skipped: 0"."""
    book = openpyxl.Workbook()
    book.active.append(["customer_id", "date", "amount"])
    book.active.append(["A", "2024-01-10", 100])
    book.active.append(["=VLOOKUP(9,Z:Z,2,0)", "2024-01-11", "=VLOOKUP(9,Z:Z,3,0)"])
    book.active.append(["B", "2024-01-12", 50])
    source = tmp_path / "formule.xlsx"
    book.save(source)
    code, output = run("report", str(source), "-o", str(tmp_path / "report.xlsx"))
    assert code == 1 and "row 3, column customer_id: the formula =VLOOKUP(9,Z:Z,2,0) has no computed value" in output
    code, output = run("report", str(source), "-o", str(tmp_path / "report.xlsx"), "--skip-bad-rows")
    assert code == 0 and "(customers: 2; rows skipped: 1)" in output, output


def test_the_currency_option_sets_every_amounts_format_as_its_help_says(tmp_path: Path) -> None:
    """``--currency USD``: the help says it formats every amount (no longer "a label"), and the written report's
    money cells (the CAC, the customers' revenue) are formatted in $, none in €."""
    code, output = run("report", "--help")
    assert code == 0 and "it sets the format of every amount" in " ".join(output.split())
    source = tmp_path / "orders.csv"
    source.write_text(
        "customer_id,date,amount\n" + "\n".join(f"{c},{d},{a}" for c, d, a, _ in ROWS) + "\n", encoding="utf-8"
    )
    target = tmp_path / "report.xlsx"
    code, output = run("report", str(source), "-o", str(target), "--currency", "USD", "--cac", "10")
    assert code == 0, output
    book = openpyxl.load_workbook(target)
    formats = {cell.number_format for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert any('"$"' in f for f in formats) and not any("€" in f for f in formats)
