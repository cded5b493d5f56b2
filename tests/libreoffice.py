"""LibreOffice headless for tests: find soffice, make an isolated profile, convert workbooks.

The profile sets ``/org.openoffice.Office.Calc/Formula/Load`` ``OOXMLRecalcMode`` to 0
(always recalculate), so the values read back are LibreOffice's own, not the cached
ones of the file. One soffice call converts every file (starting soffice is the slow
part). soffice exits 0 even when a conversion fails, so :func:`convert` checks that
each output exists.

Tests that need LibreOffice call :func:`require_soffice`: it skips when soffice is
missing, but fails when the environment variable ``CI`` is ``true``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

__all__ = ["convert", "make_profile", "require_soffice"]

_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice")

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """The path of soffice, or None when LibreOffice is not installed."""
    for candidate in _CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def require_soffice() -> str:
    """soffice's path; skips the test without it, fails instead when ``CI=true``."""
    found = find_soffice()
    if found is None:
        message = "LibreOffice (soffice) is not installed; install libreoffice-calc-nogui"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


_LOCALE = """<item oor:path="/org.openoffice.Setup/L10N">
  <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>"""


def make_profile(folder: Path, locale: str | None = None) -> Path:
    """An isolated LibreOffice user profile in ``folder`` that always recalculates on load.

    ``locale`` (e.g. ``"it-IT"``) sets the locale LibreOffice formats numbers and dates
    in, as an Italian user's LibreOffice would (``1.234,56``); default: the system's.
    """
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    registry = _REGISTRY if locale is None else _REGISTRY.replace("</oor:items>", _LOCALE.format(locale=locale))
    (user / "registrymodifications.xcu").write_text(registry, encoding="utf-8")
    return folder


def convert(
    files: Sequence[Path],
    out_dir: Path,
    work_dir: Path,
    target: str = "xlsx",
    timeout: float = 180.0,
    locale: str | None = None,
) -> list[Path]:
    """Convert ``files`` with one soffice call into ``out_dir``; return the outputs in order.

    ``target`` is soffice's ``--convert-to`` filter (``xlsx``, ``pdf``, ...). The profile
    lives in ``work_dir``, with ``locale`` if given (see :func:`make_profile`). Fails the test with
    soffice's output when a file is missing.
    """
    soffice = require_soffice()
    profile = make_profile(work_dir / "profile", locale)
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir),
        *(str(f) for f in files),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    extension = target.split(":")[0]
    outputs = [out_dir / f"{Path(f).stem}.{extension}" for f in files]
    missing = [str(p) for p in outputs if not p.exists()]
    if missing:
        pytest.fail(
            f"soffice did not write {missing} (exit {completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
        )
    return outputs
