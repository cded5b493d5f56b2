"""install.ps1, checked without PowerShell: parsed with tree-sitter's PowerShell grammar.

No PowerShell runs here. What is checked: the script is syntactically whole (no ERROR
or MISSING node, and a broken copy is caught), its parameters and safety settings are
those the README documents, every message it shows exists in both languages, and the
``clv-xl excel`` options it passes exist in the command line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_powershell

from clv_xl.cli_excel import excel

SCRIPT = Path(__file__).resolve().parent.parent / "install.ps1"


def _parse(source: bytes) -> tree_sitter.Tree:
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
    return parser.parse(source)


def _nodes(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    found = [node]
    for child in node.children:
        found += _nodes(child)
    return found


def syntax_problems(source: bytes) -> list[str]:
    """ERROR and MISSING nodes of a PowerShell source, as 'line:column type'."""
    return [
        f"{n.start_point[0] + 1}:{n.start_point[1] + 1} {'MISSING ' + n.type if n.is_missing else 'ERROR'}"
        for n in _nodes(_parse(source).root_node)
        if n.type == "ERROR" or n.is_missing
    ]


@pytest.fixture(scope="module")
def source() -> bytes:
    return SCRIPT.read_bytes()


def test_script_parses_cleanly(source: bytes) -> None:
    assert syntax_problems(source) == []


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        (
            "a function's closing brace",
            b"    Stop-Install -Key 'NoPython' -Values @($MinimumPython)\n}\n",
            b"    Stop-Install -Key 'NoPython' -Values @($MinimumPython)\n\n",
        ),
        ("a closing parenthesis", b"if (Test-ExcelRunning) {", b"if (Test-ExcelRunning {"),
        (
            "an unterminated string",
            b"$ManifestName = 'install-manifest.json'",
            b"$ManifestName = 'install-manifest.json",
        ),
    ],
)
def test_broken_copy_is_caught(source: bytes, tmp_path: Path, what: str, old: bytes, new: bytes) -> None:
    # the same check on a copy with one deliberate mistake must report it
    assert old in source, what
    broken = tmp_path / "install.ps1"
    broken.write_bytes(source.replace(old, new, 1))
    assert syntax_problems(broken.read_bytes()), what


def test_parameters_and_safety_settings(source: bytes) -> None:
    root = _parse(source).root_node
    (param_block,) = [n for n in root.children if n.type == "param_block"]
    names = [n.text.decode() for n in _nodes(param_block) if n.type == "variable"]
    assert names == ["$Python", "$InstallDir", "$Lang", "$Wheel", "$TemplatesDir", "$Uninstall", "$EnableVbaTrust"]
    assert b"[CmdletBinding(SupportsShouldProcess)]" in param_block.text  # -WhatIf and -Confirm
    assert b"[ValidateSet('it', 'en')]" in param_block.text
    top = [n.text.decode() for n in _nodes(root) if n.type in ("pipeline", "assignment_expression")]
    assert "Set-StrictMode -Version Latest" in top
    assert "$ErrorActionPreference = 'Stop'" in top


def test_every_message_exists_in_both_languages(source: bytes) -> None:
    text = source.decode("utf-8")
    blocks = dict(re.findall(r"^    (en|it) = @\{\n(.*?)^    \}", text, re.M | re.S))
    keys = {language: set(re.findall(r"^        (\w+)\s+=", block, re.M)) for language, block in blocks.items()}
    assert keys["en"] == keys["it"]
    used = set(re.findall(r"-(?:Key|Hint) '(\w+)'", text))
    assert used and used <= keys["en"], used - keys["en"]


def test_options_passed_to_the_command_line_exist(source: bytes) -> None:
    text = source.decode("utf-8")
    for command in ("install", "uninstall"):
        (call,) = re.findall(rf"'clv_xl\.cli', 'excel', '{command}',(.*?)\)", text, re.S)
        passed = set(re.findall(r"'(--[a-z-]+)'", call))
        if command == "install":
            passed |= set(re.findall(r"\$arguments \+= '(--[a-z-]+)'", text))
        options = {opt for param in excel.commands[command].params for opt in param.opts}
        assert passed and passed <= options, passed - options


def test_saved_with_a_byte_order_mark(source: bytes) -> None:
    # Windows PowerShell 5.1 reads a .ps1 without BOM as ANSI: the Italian messages
    # ("è", "l'accesso") would come out garbled
    assert source.startswith(b"\xef\xbb\xbf")
    assert any(byte > 127 for byte in source[3:])  # the reason it matters: non-ASCII text
