"""install.ps1, checked without PowerShell: parsed with tree-sitter's PowerShell grammar.

No PowerShell runs here (the Windows workflow runs the script for real). What is checked
on the syntax tree, never on comments: the script is syntactically whole (no ERROR or
MISSING node, and a broken copy is caught); its parameters and safety settings; every
message in both languages, and the wording that differs between English and Italian
Excel; the ``clv-xl excel`` options it passes exist; and, for each failure mode the
Windows review found, that the fix is in the structure of the code: where a check
sits, what it is called with, in which branch. Where a piece of the script is data
(the Python probe, the Microsoft Store patterns), it is run here against examples.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
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


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8") if node.text is not None else ""


def syntax_problems(source: bytes) -> list[str]:
    """ERROR and MISSING nodes of a PowerShell source, as 'line:column type'."""
    return [
        f"{n.start_point[0] + 1}:{n.start_point[1] + 1} {'MISSING ' + n.type if n.is_missing else 'ERROR'}"
        for n in _nodes(_parse(source).root_node)
        if n.type == "ERROR" or n.is_missing
    ]


def _string_value(node: tree_sitter.Node) -> str:
    """The value of a PowerShell string literal ('' in a verbatim string is one quote)."""
    text = _text(node)
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    return text[1:-1]


@dataclass
class Command:
    """One command invocation: its name, named arguments (as source text) and all string literals in it."""

    name: str
    node: tree_sitter.Node
    arguments: dict[str, str]
    strings: list[str]


def _commands(node: tree_sitter.Node) -> list[Command]:
    found = []
    for command in (n for n in _nodes(node) if n.type == "command"):
        name_node = command.child_by_field_name("command_name") or next(
            (c for c in command.children if c.type in ("command_name", "command_name_expr")), None
        )
        name = _text(name_node) if name_node is not None else ""
        arguments: dict[str, str] = {}
        elements = next((c for c in command.children if c.type == "command_elements"), None)
        if elements is not None:
            parts = [c for c in elements.children if c.type != "command_argument_sep"]
            for index, part in enumerate(parts):
                if part.type == "command_parameter":
                    following = parts[index + 1] if index + 1 < len(parts) else None
                    value = "" if following is None or following.type == "command_parameter" else _text(following)
                    arguments[_text(part).rstrip(":")] = value
        strings = [_string_value(s) for s in _nodes(command) if s.type in ("string_literal",)]
        found.append(Command(name, command, arguments, strings))
    return found


class Script:
    """install.ps1 as a syntax tree, with the look-ups the tests need."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.root = _parse(source).root_node
        self.functions = {
            _text(next(c for c in n.children if c.type == "function_name")): n
            for n in _nodes(self.root)
            if n.type == "function_statement"
        }

    def function(self, name: str) -> tree_sitter.Node:
        return self.functions[name]

    def calls(self, name: str, within: tree_sitter.Node | None = None) -> list[Command]:
        return [c for c in _commands(within or self.root) if c.name.lower() == name.lower()]

    def assignments(self, within: tree_sitter.Node | None = None) -> list[tuple[str, str]]:
        return [
            (_text(n.children[0]).strip(), _text(n.children[-1]).strip())
            for n in _nodes(within or self.root)
            if n.type == "assignment_expression"
        ]

    def strings(self, within: tree_sitter.Node | None = None) -> list[str]:
        return [_string_value(n) for n in _nodes(within or self.root) if n.type == "string_literal"]

    def main(self) -> list[tree_sitter.Node]:
        """The top-level statements after the functions."""
        body = next(c for c in self.root.children if c.type == "statement_list")
        return [c for c in body.children if c.type not in ("function_statement", "comment")]

    def texts(self) -> dict[str, dict[str, str]]:
        """The $Texts table: language -> key -> message."""
        (table,) = [
            n
            for n in _nodes(self.root)
            if n.type == "assignment_expression" and _text(n.children[0]).strip() == "$Texts"
        ]
        result: dict[str, dict[str, str]] = {}
        outer = next(n for n in _nodes(table) if n.type == "hash_literal_expression")
        for entry in next(c for c in outer.children if c.type == "hash_literal_body").children:
            if entry.type != "hash_entry":
                continue
            language = _text(entry.children[0])
            inner = next(n for n in _nodes(entry) if n.type == "hash_literal_expression")
            messages = {}
            for message in next(c for c in inner.children if c.type == "hash_literal_body").children:
                if message.type == "hash_entry":
                    (literal,) = [n for n in _nodes(message) if n.type == "string_literal"]
                    messages[_text(message.children[0])] = _string_value(literal)
            result[language] = messages
        return result


def _if_blocks(within: tree_sitter.Node) -> list[tuple[str, tree_sitter.Node]]:
    """(condition text, the if_statement) of every if in ``within``."""
    return [
        (_text(next(c for c in n.children if c.type == "pipeline")), n)
        for n in _nodes(within)
        if n.type == "if_statement"
    ]


def _enclosing_conditions(node: tree_sitter.Node) -> list[str]:
    """The conditions of the if statements whose *then* block holds ``node`` ("else of X" for else branches)."""
    conditions = []
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "elseif_clause":
            conditions.append(_text(next(c for c in parent.children if c.type == "pipeline")))
        elif parent.type == "if_statement":
            condition = _text(next(c for c in parent.children if c.type == "pipeline"))
            block = next(c for c in parent.children if c.type == "statement_block")
            conditions.append(condition if child == block else f"else of {condition}")
        child, parent = parent, parent.parent
    return conditions


@pytest.fixture(scope="module")
def source() -> bytes:
    return SCRIPT.read_bytes()


@pytest.fixture(scope="module")
def script(source: bytes) -> Script:
    return Script(source)


# ---------------------------------------------------------------- the script as a whole


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


def test_parameters_and_safety_settings(script: Script) -> None:
    (param_block,) = [n for n in script.root.children if n.type == "param_block"]
    names = [_text(n) for n in _nodes(param_block) if n.type == "variable"]
    assert names == [
        "$Python",
        "$InstallDir",
        "$Lang",
        "$Wheel",
        "$Wheelhouse",
        "$PipArgs",
        "$TemplatesDir",
        "$Uninstall",
        "$EnableVbaTrust",
        "$SkipExcel",
    ]
    assert b"[CmdletBinding(SupportsShouldProcess)]" in param_block.text  # -WhatIf and -Confirm
    assert b"[ValidateSet('it', 'en')]" in param_block.text
    top = [_text(n) for n in _nodes(script.root) if n.type in ("pipeline", "assignment_expression")]
    assert "Set-StrictMode -Version Latest" in top
    assert "$ErrorActionPreference = 'Stop'" in top


def test_every_message_exists_in_both_languages(script: Script) -> None:
    texts = script.texts()
    assert set(texts) == {"en", "it"} and texts["en"].keys() == texts["it"].keys()
    used = {
        call.arguments.get("-Key", call.arguments.get("-Hint", "")).strip("'")
        for name in ("Get-Text", "Stop-Install", "Confirm-Ready", "Invoke-Step")
        for call in script.calls(name)
    }
    used = {key for key in used if key and not key.startswith("$")}  # variables pass a key along
    assert used and used <= texts["en"].keys(), used - texts["en"].keys()
    # the same placeholders {0}, {1} in both languages
    for key, english in texts["en"].items():
        assert set(re.findall(r"\{\d\}", english)) == set(re.findall(r"\{\d\}", texts["it"][key])), key


def test_italian_messages_are_italian(script: Script) -> None:
    # the Italian table is not a copy of the English one, and uses Italian Excel's names
    texts = script.texts()
    same = [key for key in texts["en"] if texts["en"][key] == texts["it"][key] and len(texts["en"][key]) > 30]
    assert same == []
    assert "Considera attendibile l'accesso al modello a oggetti dei progetti VBA" in texts["it"]["VbaTrustOff"]
    assert "esegui di nuovo install.ps1" in texts["it"]["NoExcel"]


def test_the_formula_example_follows_each_excel(script: Script) -> None:
    # English Excel separates arguments with commas, Italian Excel with semicolons
    texts = script.texts()
    assert "=CLV(10000, 3, 1000)" in texts["en"]["Next"] and ";" not in texts["en"]["Next"].split("=CLV")[1][:20]
    assert "=CLV(10000; 3; 1000)" in texts["it"]["Next"]


def test_options_passed_to_the_command_line_exist(script: Script) -> None:
    # every '--option' in the argument lists given to clv_xl.cli excel <command> is an option of that command
    checked = set()
    for _left, right in script.assignments():
        found = re.search(r"'clv_xl\.cli', 'excel', '([a-z-]+)'", right)
        if not found:
            continue
        command = found.group(1)
        passed = set(re.findall(r"'(--[a-z-]+)'", right))
        options = {opt for param in excel.commands[command].params for opt in param.opts}
        assert passed and passed <= options, (command, passed - options)
        checked.add(command)
    assert checked == {"install", "build-addin", "uninstall"}
    assert "'--enable-vba-trust'" in [right for left, right in script.assignments() if left == "$arguments"][-1]


def test_saved_with_a_byte_order_mark(source: bytes) -> None:
    # Windows PowerShell 5.1 reads a .ps1 without BOM as ANSI: the Italian messages
    # ("è", "l'accesso") would come out garbled
    assert source.startswith(b"\xef\xbb\xbf")
    assert any(byte > 127 for byte in source[3:])  # the reason it matters: non-ASCII text


# ---------------------------------------------------------------- accented user names


def test_python_output_is_read_as_utf8_and_the_console_put_back(script: Script) -> None:
    # Python writes in the ANSI code page, Windows PowerShell decodes with the OEM one: every
    # Python run is told to write UTF-8, the console decodes UTF-8 meanwhile, then is restored
    native = script.function("Invoke-Native")
    assignments = script.assignments(native)
    assert ("$env:PYTHONUTF8", "'1'") in assignments
    assert ("$env:PYTHONIOENCODING", "'utf-8'") in assignments
    assert ("[Console]::OutputEncoding", "New-Object System.Text.UTF8Encoding $false") in assignments
    (finally_clause,) = [n for n in _nodes(native) if n.type == "finally_clause"]
    restored = script.assignments(finally_clause)
    assert ("[Console]::OutputEncoding", "$consoleEncoding") in restored
    assert any("SetEnvironmentVariable" in _text(n) for n in _nodes(finally_clause))


def test_the_python_probe_is_started_in_utf8_mode_and_answers_in_json(script: Script) -> None:
    probe = script.function("Test-Python")
    (call,) = script.calls("Invoke-Native", probe)
    assert call.strings[:3] == ["-X", "utf8", "-c"]
    assert script.calls("ConvertFrom-Json", probe)
    # the answer is not parsed with a regular expression on console text any more
    assert "-match" not in [_text(n) for n in _nodes(probe)]


def _probe_code(script: Script) -> str:
    probe = script.function("Test-Python")
    (code,) = [right for left, right in script.assignments(probe) if left == "$code"]
    return _string_value(next(n for n in _nodes(_parse(code.encode()).root_node) if n.type == "string_literal"))


def test_the_probe_answer_survives_any_code_page(script: Script, tmp_path: Path) -> None:
    # run the probe's Python code (as the script passes it) from an interpreter whose path has an
    # accent and a space, as C:\Users\Niccolò would: the answer is ASCII, so cp850 (Windows
    # PowerShell 5.1), cp1252 and UTF-8 decode it alike, and it gives back the exact path
    code = _probe_code(script)
    assert '"' not in code  # PowerShell 5.1 and 7 pass double quotes to programs differently
    folder = tmp_path / "Niccolò Rossi"
    folder.mkdir()
    python = folder / "python"
    python.symlink_to(sys.executable)
    raw = subprocess.run([str(python), "-X", "utf8", "-c", code], capture_output=True, check=True).stdout
    assert raw.isascii()
    answers = {json.loads(raw.decode(encoding))["path"] for encoding in ("cp850", "cp1252", "utf-8")}
    assert answers == {str(python)}
    answer = json.loads(raw)
    assert answer["bits"] in (32, 64) and re.fullmatch(r"\d+\.\d+", answer["version"]) and answer["base"]


# ---------------------------------------------------------------- which Python, which Excel


def _regexes(script: Script, function: str) -> list[str]:
    node = script.function(function)
    return [
        _string_value(next(c for c in _nodes(n) if c.type == "string_literal"))
        for n in _nodes(node)
        if n.type == "comparison_expression"
        and any(c.type == "comparison_operator" and _text(c) == "-match" for c in n.children)
    ]


@pytest.mark.parametrize(
    ("path", "store"),
    [
        (
            r"C:\Users\Niccolò\AppData\Local\Microsoft\WindowsApps\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\python.exe",
            True,
        ),  # noqa: E501
        (r"C:\Program Files\WindowsApps\PythonSoftwareFoundation.Python.3.12_3.12.2800.0_x64__qbz5n2kfra8p0", True),
        (
            r"C:\Program Files\WindowsApps\Microsoft.Office.Desktop.Excel_16051.1.0_x86__8wekyb3d8bbwe\Office16\EXCEL.EXE",  # noqa: E501
            True,
        ),
        (r"C:\Users\Niccolò\AppData\Local\Programs\Python\Python312\python.exe", False),
        (r"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE", False),
        (r"D:\MyWindowsAppsBackup\python.exe", False),
    ],
)
def test_store_paths_are_recognised(script: Script, path: str, store: bool) -> None:
    # the patterns of Test-StorePath, run here (PowerShell's -match ignores case)
    patterns = _regexes(script, "Test-StorePath")
    assert len(patterns) == 2
    assert any(re.search(pattern, path, re.I) for pattern in patterns) is store


def test_store_and_32_bit_python_are_refused_with_their_own_message(script: Script) -> None:
    find = script.function("Find-Python")
    checked = [call.arguments["-Path"] for call in script.calls("Test-StorePath", find)]
    assert checked == ["$found.Path", "$found.Base"]  # the interpreter and its base installation
    conditions = [condition for condition, _ in _if_blocks(find)]
    assert "$found.Bits -ne 64" in conditions
    assert "$null -eq $found -or $found.Version -lt $MinimumPython" in conditions
    refusals = [right for left, right in script.assignments(find) if left == "$refused" and right != "$null"]
    assert refusals == ["@('StorePython', $found.Path)", "@('Python32', $found.Path)"]
    (stop,) = [c for c in script.calls("Stop-Install", find) if c.arguments["-Key"] == "$refused[0]"]
    assert "$null -ne $refused" in _enclosing_conditions(stop.node)


def test_store_excel_is_detected_before_anything_is_installed(script: Script) -> None:
    install = script.function("Install-ClvXl")
    (check,) = [c for c in script.calls("Confirm-Ready", install) if c.arguments["-Key"] == "'StoreExcel'"]
    conditions = [c for c in _enclosing_conditions(check.node) if not c.startswith("else of")]
    assert conditions == ["$store.Store", "-not $SkipExcel"]
    assert check.node.start_byte < script.calls("Find-Python", install)[0].node.start_byte
    server = script.function("Get-ExcelServer")
    assert "CLSID\\{00024500-0000-0000-C000-000000000046}\\LocalServer32" in " ".join(script.strings(server))
    (pattern,) = _regexes(script, "Get-ExcelServer")
    command = r"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE /automation"
    assert re.match(pattern, command, re.I).group(1) == r"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE"


# ---------------------------------------------------------------- the environment works


def test_pywin32_is_loaded_from_the_new_environment_after_pip(script: Script) -> None:
    (_, check) = next((left, right) for left, right in script.assignments() if left == "$RuntimeCheck")
    assert check == "'import pythoncom, pywintypes, win32com.client, xlwings, clv_xl.udfs'"
    install = script.function("Install-ClvXl")
    steps = script.calls("Invoke-Step", install)
    (runtime,) = [s for s in steps if s.arguments.get("-Hint") == "'Pywin32Hint'"]
    assert runtime.arguments["-Exe"] == "$venvPython" and runtime.arguments["-Arguments"] == "@('-c', $RuntimeCheck)"
    pips = [s for s in steps if s.arguments.get("-Hint") == "'PipHint'"]
    assert len(pips) == 2 and all(p.node.start_byte < runtime.node.start_byte for p in pips)


def test_pip_shows_its_progress_and_takes_proxy_and_offline_options(script: Script) -> None:
    install = script.function("Install-ClvXl")
    pips = [s for s in script.calls("Invoke-Step", install) if s.arguments.get("-Hint") == "'PipHint'"]
    assert all("-Show" in p.arguments and "$pipOptions" in p.arguments["-Arguments"] for p in pips)
    options = [right for left, right in script.assignments(install) if left == "$pipOptions"]
    assert "@('--no-index', '--find-links', $Wheelhouse)" in options
    assert "@(Split-PipArgs -Values $PipArgs)" in options
    (wheelhouse,) = [n for n in _nodes(install) if n.type == "assignment_expression" and "--find-links" in _text(n)]
    assert _enclosing_conditions(wheelhouse)[0] == "$Wheelhouse"


def test_the_result_line_is_what_python_printed_on_stdout(script: Script) -> None:
    # stderr (warnings) and stdout are told apart by PowerShell's record type, and the add-in line
    # is taken from stdout only
    native = script.function("Invoke-Native")
    assert "$_ -isnot [System.Management.Automation.ErrorRecord]" in [c for c, _ in _if_blocks(native)]
    install = script.function("Install-ClvXl")
    shown = [c for c in script.calls("Get-Text", install) if c.arguments.get("-Key") in ("'Addin'", "'AddinBuilt'")]
    assert len(shown) == 2 and all(".StdOut" in c.arguments["-Values"] for c in shown)


# ---------------------------------------------------------------- paths


def test_every_user_path_is_resolved_before_use(script: Script) -> None:
    main = script.main()
    resolved = {}
    for statement in main:
        for left, right in script.assignments(statement):
            if right.startswith("Resolve-UserPath"):
                resolved[left] = right
    assert set(resolved) == {"$InstallDir", "$TemplatesDir", "$Wheel", "$Wheelhouse", "$Python"}
    first_use = min(c.node.start_byte for name in ("Install-ClvXl", "Uninstall-ClvXl") for c in script.calls(name))
    last_resolution = max(n.start_byte for s in main for n in _nodes(s) if _text(n).startswith("Resolve-UserPath"))
    assert last_resolution < first_use
    resolve = script.function("Resolve-UserPath")
    text = _text(resolve)
    assert "GetUnresolvedProviderPathFromPSPath" in text  # relative to PowerShell's current folder
    assert ("$clean", "$clean.TrimEnd('\"').TrimEnd()") in script.assignments(resolve)  # PS 5.1: C:\My folder"
    (bad,) = script.calls("Stop-Install", resolve)
    assert bad.arguments["-Key"] == "'BadPath'" and "$clean.Contains('\"')" in _enclosing_conditions(bad.node)


# ---------------------------------------------------------------- uninstall


def test_uninstall_restores_the_trust_option_on_every_branch(script: Script) -> None:
    uninstall = script.function("Uninstall-ClvXl")
    (fallback,) = script.calls("Undo-ExcelRecord", uninstall)
    assert _enclosing_conditions(fallback.node)[0] == "-not $undone"
    # $undone is true only when the environment's own uninstall succeeded
    assert ("$undone", "$true") in script.assignments(uninstall)
    undo = script.function("Undo-ExcelRecord")
    (restore,) = script.calls("Restore-VbaTrust", undo)
    assert "$record.vba_trust_changed" in _enclosing_conditions(restore.node)
    assert restore.arguments == {"-Version": "$record.excel_version", "-Previous": "$record.vba_trust_previous"}
    trust = script.function("Restore-VbaTrust")
    (removed,) = script.calls("Remove-ItemProperty", trust)
    assert "$null -eq $Previous" in _enclosing_conditions(removed.node)
    (written,) = script.calls("Set-ItemProperty", trust)
    assert written.arguments["-Name"] == "'AccessVBOM'" and written.arguments["-Type"] == "DWord"


def test_templates_of_an_earlier_language_stay_listed_for_uninstall(script: Script) -> None:
    install = script.function("Install-ClvXl")
    assert ("$manifest.templates", "@(Merge-Templates -Current $copied -Previous $previousTemplates)") in (
        script.assignments(install)
    )
    merge = script.function("Merge-Templates")
    assert "-notcontains" in [_text(n) for n in _nodes(merge)]


# ---------------------------------------------------------------- -SkipExcel


def test_skip_excel_leaves_excel_alone_and_builds_the_file(script: Script) -> None:
    install = script.function("Install-ClvXl")
    for key in ("'NoExcel'", "'StoreExcel'", "'VbaTrustOff'", "'ExcelRunning'"):
        (check,) = [c for c in script.calls("Confirm-Ready", install) if c.arguments["-Key"] == key]
        assert "-not $SkipExcel" in _enclosing_conditions(check.node), key
    excel_commands = [
        (right, n)
        for n in _nodes(install)
        if n.type == "assignment_expression"
        for right in [_text(n.children[-1])]
        if "'clv_xl.cli', 'excel'" in right
    ]
    for right, node in excel_commands:
        conditions = _enclosing_conditions(node)
        if "'install'" in right:
            assert any(c.startswith("else of $SkipExcel") for c in conditions)
        else:
            assert "'build-addin'" in right and "$SkipExcel" in conditions
