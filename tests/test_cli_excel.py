"""``clv-xl excel``: the add-in commands as install.ps1 calls them (clv_xl/cli_excel.py)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from clv_xl.cli import cli


def test_build_addin_writes_the_file_in_the_chosen_language(tmp_path: Path) -> None:
    out = tmp_path / "clv_xl.xlam"
    result = CliRunner().invoke(
        cli, ["excel", "build-addin", "--out", str(out), "--lang", "it", "--interpreter", r"C:\venv\Scripts\python.exe"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    with zipfile.ZipFile(out) as package:
        assert b'label="Crea report"' in package.read("customUI/customUI.xml")
        assert b"C:\\venv\\Scripts\\python.exe" in package.read("xl/sharedStrings.xml")


@pytest.mark.skipif(sys.platform.startswith("win"), reason="checks the message on systems without Excel")
@pytest.mark.parametrize("command", ["install", "uninstall"])
def test_windows_commands_say_where_they_work(tmp_path: Path, command: str) -> None:
    record = tmp_path / "record.json"
    record.write_text("{}", encoding="utf-8")
    arguments = ["excel", command, "--lang", "it", "--record", str(record)]
    if command == "install":
        arguments += ["--dir", str(tmp_path / "install")]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 1
    assert "funziona solo su Windows con Excel desktop" in result.output
    assert "build-addin" in result.output
    assert not (tmp_path / "install").exists()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="on Windows xlwings itself loads pywin32")
def test_command_line_never_imports_windows_modules() -> None:
    # a fresh interpreter (no test stand-ins): the CLI and the add-in builder load no
    # pywin32, winreg or the Windows-only module; install.ps1 calls "python -m clv_xl.cli"
    code = (
        "import sys, clv_xl.cli, clv_xl.addin\n"
        "loaded = {'clv_xl.excel_windows', 'winreg', 'pywintypes', 'win32com', 'pythoncom'} & set(sys.modules)\n"
        "print(sorted(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    help_text = subprocess.run(
        [sys.executable, "-m", "clv_xl.cli", "excel", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "build-addin" in help_text and "install" in help_text
