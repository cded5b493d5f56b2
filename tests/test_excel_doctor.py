"""``clv-xl excel doctor`` (clv_xl/excel_doctor.py): each finding and its verdict, on stand-ins.

Checked against: a real add-in built from xlwings' file (its settings sheet as written),
an in-memory ``winreg`` (tests/test_excel_windows.py's), a program header for Excel's
bitness, and an importer that fails as a broken pywin32 does. Each test says which
finding would be wrong if the doctor misread the fact.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_excel_windows import (
    EXCEL_16,
    POLICY_KEY,
    SERVER_KEY,
    STORE_EXCEL,
    USER_KEY,
    FakeRegistry,
    _portable_executable,
)

from clv_xl.addin import ADDIN_FILE_NAME, BUILT_CONFIG_SHEET_NAME, CONFIG_SHEET_NAME, SUPPORTED_XLWINGS, build_addin
from clv_xl.cli import cli
from clv_xl.excel_doctor import Finding, Verdict, default_addin_path, diagnose, format_findings, version_in_range


def _by_item(findings: list[Finding]) -> dict[str, Finding]:
    return {finding.item: finding for finding in findings}


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """An add-in as the installation leaves it: settings sheet renamed to clv_xl.conf."""
    templates = tmp_path / "Documents" / "clv_xl"
    templates.mkdir(parents=True)
    (templates / "calcolatore_clv.xlsx").write_bytes(b"x")
    built = build_addin(tmp_path / "build" / ADDIN_FILE_NAME, "it", sys.executable, str(templates))
    target = tmp_path / "AppData" / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE_NAME
    target.parent.mkdir(parents=True)
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":  # what the installation does through Excel
                data = data.replace(
                    f'name="{BUILT_CONFIG_SHEET_NAME}"'.encode(), f'name="{CONFIG_SHEET_NAME}"'.encode()
                )
            copy.writestr(name, data)
    return target


def _windows_registry(tmp_path: Path, trust: int | None = 1, executable: str | None = None) -> FakeRegistry:
    excel = tmp_path / "Office16" / "EXCEL.EXE"
    excel.parent.mkdir(exist_ok=True)
    excel.write_bytes(_portable_executable(0x8664))
    values: dict[tuple[str, str, str], Any] = {
        **EXCEL_16,
        ("HKCR", SERVER_KEY, ""): f"{executable or excel} /automation",
    }
    if trust is not None:
        values[("HKCU", USER_KEY, "AccessVBOM")] = trust
    return FakeRegistry(values)


def _loads(_name: str) -> object:
    return object()


def test_a_healthy_installation_is_all_ok(installed: Path, tmp_path: Path) -> None:
    environment = {"APPDATA": str(tmp_path / "AppData"), "CLV_XL_LANG": "it"}
    findings = diagnose(
        "en", registry=_windows_registry(tmp_path), windows=True, importer=_loads, environment=environment
    )
    verdicts = {f.item: f.verdict for f in findings}
    assert set(verdicts.values()) <= {Verdict.OK, Verdict.INFO}, format_findings(findings, "en")
    items = _by_item(findings)
    # the add-in was found where the installation puts it (APPDATA), and its settings read
    assert items["Add-in"].value == str(installed)
    assert items["Add-in settings sheet"].value == CONFIG_SHEET_NAME
    assert items["Add-in's Python"].value == sys.executable
    assert items["ADD_WORKBOOK_TO_PYTHONPATH"].value == "False"
    # Excel: version, the program COM starts, its bitness from the program's header
    assert re.fullmatch(r"16\.0, .*EXCEL\.EXE, 64-bit", items["Excel"].value)
    assert items["VBA project trust option"].value == "on"
    assert items["Python"].value.endswith("-bit)") and items["CLV_XL_LANG"].value == "it"


def test_each_known_failure_gets_its_verdict_and_what_to_do(installed: Path, tmp_path: Path) -> None:
    # the interpreter of the add-in deleted, pywin32 broken, trust off, Excel from the Store
    environment = {"APPDATA": str(tmp_path / "AppData")}
    moved = tmp_path / "moved.xlam"
    build_addin(moved, "en", str(tmp_path / "gone" / "python.exe"))

    def broken(name: str) -> object:
        raise ImportError("DLL load failed while importing pywintypes")

    registry = _windows_registry(tmp_path, trust=None, executable=STORE_EXCEL)
    findings = _by_item(
        diagnose("en", addin=moved, registry=registry, windows=True, importer=broken, environment=environment)
    )
    assert findings["pywin32"].verdict is Verdict.PROBLEM and "DLL load failed" in findings["pywin32"].hint
    assert (
        findings["Add-in's Python"].verdict is Verdict.PROBLEM
        and "moved or deleted" in findings["Add-in's Python"].hint
    )
    # a file that did not go through the installation still has xlwings' project name
    assert findings["Add-in settings sheet"].verdict is Verdict.WARNING
    assert findings["Excel"].verdict is Verdict.PROBLEM and "office.com" in findings["Excel"].hint
    assert findings["VBA project trust option"].verdict is Verdict.WARNING
    assert "-EnableVbaTrust" in findings["VBA project trust option"].hint
    assert findings["Templates folder"].verdict is Verdict.WARNING


def test_trust_forced_by_policy_and_a_missing_addin(tmp_path: Path) -> None:
    registry = _windows_registry(tmp_path, trust=1)
    registry.values[("HKCU", POLICY_KEY, "AccessVBOM")] = 0
    environment = {"APPDATA": str(tmp_path / "nowhere")}
    findings = _by_item(diagnose("it", registry=registry, windows=True, importer=_loads, environment=environment))
    trust = findings["Accesso al modello a oggetti VBA"]
    assert trust.value == "disattivata (da criterio)" and "IT" in trust.hint
    addin = findings["Componente aggiuntivo"]
    assert addin.verdict is Verdict.PROBLEM and "XLSTART" in addin.value and "install.ps1" in addin.hint


def test_no_excel_installed(tmp_path: Path) -> None:
    findings = _by_item(
        diagnose("en", addin=None, registry=FakeRegistry(), windows=True, importer=_loads, environment={})
    )
    assert findings["Excel"].verdict is Verdict.PROBLEM and findings["Excel"].value == "not installed"
    assert "VBA project trust option" not in findings  # nothing to ask without Excel


def test_on_other_systems_the_windows_items_are_only_informative(tmp_path: Path) -> None:
    findings = _by_item(diagnose("en", windows=False, environment={}))
    for item in ("pywin32", "Add-in", "Excel", "VBA project trust option"):
        assert findings[item].verdict is Verdict.INFO and "only on Windows" in findings[item].value


@pytest.mark.parametrize(
    ("version", "inside"),
    [("0.33.0", True), ("0.37.8", True), ("0.32.2", False), ("0.38.0", False), ("1.0", False)],
)
def test_supported_xlwings_versions(version: str, inside: bool) -> None:
    assert version_in_range(version, SUPPORTED_XLWINGS) is inside


def test_pyproject_caps_xlwings_to_the_supported_versions() -> None:
    # the dependency installed by pip and the range the doctor checks are the same statement
    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"xlwings{SUPPORTED_XLWINGS}" in project["project"]["dependencies"]
    assert project["build-system"]["requires"][0] == "setuptools>=77"  # first to accept an SPDX licence string
    assert project["project"]["license"] == "BSD-3-Clause"


def test_default_addin_path_is_the_user_startup_folder() -> None:
    path = default_addin_path({"APPDATA": r"C:\Users\Niccolò\AppData\Roaming"})
    assert path is not None and path.parts[-4:] == ("Microsoft", "Excel", "XLSTART", ADDIN_FILE_NAME)
    assert default_addin_path({}) is None


def test_command_prints_one_line_per_finding_and_fails_on_a_problem(tmp_path: Path) -> None:
    built = build_addin(tmp_path / ADDIN_FILE_NAME, "en", str(tmp_path / "gone" / "python.exe"))
    result = CliRunner().invoke(cli, ["excel", "doctor", "--lang", "en", "--addin", str(built)])
    assert result.exit_code == 1, result.output
    assert re.search(r"^PROBLEM +Add-in's Python +not found: .*python\.exe$", result.output, re.M)
    assert re.search(r"^ +-> this python\.exe does not exist", result.output, re.M)
    fine = build_addin(tmp_path / "ok" / ADDIN_FILE_NAME, "it", sys.executable)
    result = CliRunner().invoke(cli, ["excel", "doctor", "--lang", "it", "--addin", str(fine)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^OK +Python del componente +" + re.escape(sys.executable) + "$", result.output, re.M)
