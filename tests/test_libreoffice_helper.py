"""The LibreOffice test helper (tests/libreoffice.py): skip locally, fail under CI, never trust exit 0.

Checked against: the house rule for tests that need LibreOffice, and soffice's habit
of exiting 0 when a conversion failed.
"""

from __future__ import annotations

from pathlib import Path

import libreoffice
import pytest


def test_missing_soffice_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        libreoffice.require_soffice()


def test_missing_soffice_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="libreoffice-calc-nogui"):
        libreoffice.require_soffice()


def test_a_conversion_that_writes_nothing_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # a stand-in soffice that exits 0 and writes nothing, as soffice does on a broken file
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: str(fake))
    source = tmp_path / "book.xlsx"
    source.write_bytes(b"not a workbook")
    with pytest.raises(pytest.fail.Exception, match="did not write"):
        libreoffice.convert([source], tmp_path / "out", tmp_path)
