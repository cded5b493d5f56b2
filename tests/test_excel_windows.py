"""The Windows install step (clv_xl/excel_windows.py), driven on Linux.

The import into the add-in runs xlwings' REAL VBA generator against a recording
stand-in for the Excel workbook object: it records what Excel would be asked
(``VBProject.VBComponents.Remove/Import`` with the text of each imported file, the
``CodeModule`` line rewritten in xlwings' real ``xlwings`` module read with olevba, the
sheet renamed, ``Application.MacroOptions``). The expected values come from the catalogue
(``clv_xl.catalogue.FUNCTIONS``): names, argument order and optional arguments,
description, category and argument help. The registry logic runs against an
in-memory stand-in of ``winreg`` with the same calls and errors.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from windows_stand_ins import ComError

from clv_xl import excel_windows
from clv_xl.addin import (
    ADDIN_FILE_NAME,
    BUILT_CONFIG_SHEET_NAME,
    CONFIG_SHEET_NAME,
    FUNCTIONS_MODULE_NAME,
    PROJECT_NAME,
    RIBBON_BUTTONS,
    RIBBON_MODULE_NAME,
    project_name_line,
    ribbon_vba_module,
    xlwings_ribbon_addin,
)
from clv_xl.catalogue import FUNCTIONS
from clv_xl.excel_windows import AddinInstallError, InstallRecord
from clv_xl.function_spec import CATEGORY

GOLDEN_VBA = Path(__file__).parent / "golden" / "clv_xl_udfs.bas"


def _shipped_xlwings_module() -> str:
    """The source of the ``xlwings`` VBA module of xlwings' ribbon add-in, read with olevba."""
    with warnings.catch_warnings():  # oletools still uses pyparsing's old names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlwings_ribbon_addin()))
    try:
        return next(code for _f, stream, _n, code in parser.extract_macros() if stream.endswith("/xlwings"))
    finally:
        parser.close()


class _CodeModule:
    """``VBComponent.CodeModule``: the lines of a module, 1-based, as the VBA editor's object model has them."""

    def __init__(self, calls: list[tuple[str, Any]], source: str) -> None:
        self.calls = calls
        self.lines = source.splitlines()

    @property
    def CountOfLines(self) -> int:  # noqa: N802 - COM name
        return len(self.lines)

    def Lines(self, start: int, count: int) -> str:  # noqa: N802 - COM name
        return "\r\n".join(self.lines[start - 1 : start - 1 + count])

    def ReplaceLine(self, number: int, text: str) -> None:  # noqa: N802 - COM name
        self.calls.append(("ReplaceLine", (number, text)))
        self.lines[number - 1] = text


class _Component:
    def __init__(self, name: str, code: _CodeModule | None = None) -> None:
        self.Name = name
        self.CodeModule = code


class _Components:
    """``VBProject.VBComponents``: looking up a missing module fails as COM does."""

    def __init__(self, calls: list[tuple[str, Any]], existing: list[str]) -> None:
        self.calls = calls
        self.modules = {name: _Component(name) for name in existing}
        if "xlwings" in self.modules:
            self.modules["xlwings"].CodeModule = _CodeModule(calls, _shipped_xlwings_module())

    def __call__(self, name: str) -> _Component:
        if name not in self.modules:
            raise ComError(-2147352565, "Subscript out of range")
        return self.modules[name]

    def Remove(self, component: _Component) -> None:  # noqa: N802 - COM name
        self.calls.append(("Remove", component.Name))
        del self.modules[component.Name]

    def Import(self, path: str) -> None:  # noqa: N802 - COM name
        text = Path(path).read_bytes().decode("ascii")  # Excel reads it in the ANSI code page: ASCII is safe
        (name,) = re.findall(r'^Attribute VB_Name = "(\w+)"', text, re.M)
        self.calls.append(("Import", text))
        self.modules[name] = _Component(name)


class _Application:
    def __init__(self, calls: list[tuple[str, Any]], version: str) -> None:
        self.calls = calls
        self.Version = version

    def MacroOptions(self, macro: str, **options: Any) -> None:  # noqa: N802 - COM name
        self.calls.append(("MacroOptions", (macro, options)))


class _Sheet:
    def __init__(self, calls: list[tuple[str, Any]], name: str) -> None:
        self.calls = calls
        self._name = name

    @property
    def Name(self) -> str:  # noqa: N802 - COM name
        return self._name

    @Name.setter
    def Name(self, value: str) -> None:  # noqa: N802 - COM name
        self.calls.append(("RenameSheet", (self._name, value)))
        self._name = value


class _Worksheets(list):  # type: ignore[type-arg]
    """``Workbook.Worksheets``: iterable, and callable with a sheet name (a missing one fails as COM does)."""

    def __call__(self, name: str) -> _Sheet:
        for sheet in self:
            if sheet.Name == name:
                return sheet  # type: ignore[no-any-return]
        raise ComError(-2147352565, "Subscript out of range")


class RecordingWorkbook:
    """The COM ``Workbook`` of the open add-in, as far as the import step uses it."""

    def __init__(
        self,
        version: str = "16.0",
        existing: tuple[str, ...] = ("xlwings", "RibbonMyAddin"),
        sheet: str = BUILT_CONFIG_SHEET_NAME,
    ) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.Name = ADDIN_FILE_NAME
        self.Application = _Application(self.calls, version)
        self.VBProject = mock.Mock(VBComponents=_Components(self.calls, list(existing)))
        self.Worksheets = _Worksheets([_Sheet(self.calls, sheet)])

    def Save(self) -> None:  # noqa: N802 - COM name
        self.calls.append(("Save", self.Name))

    def imported(self) -> dict[str, str]:
        texts = [text for kind, text in self.calls if kind == "Import"]
        return {re.findall(r'^Attribute VB_Name = "(\w+)"', t, re.M)[0]: t for t in texts}

    def module_lines(self, name: str) -> list[str]:
        return self.VBProject.VBComponents(name).CodeModule.lines  # type: ignore[no-any-return]


@pytest.fixture
def workbook(tmp_path: Path) -> RecordingWorkbook:
    book = RecordingWorkbook()
    count = excel_windows.import_into_addin(book, tmp_path, "en")
    assert count == len(FUNCTIONS)
    return book


def _vba_functions(vba: str) -> dict[str, list[str]]:
    """Function name -> its VBA parameter list, from the imported xlwings_udfs module."""
    return {
        name: [p.strip() for p in params.split(",") if p.strip()]
        for name, params in re.findall(r"^Function (\w+)\(([^)]*)\)", vba, re.M)
    }


def test_ribbon_module_is_imported_with_every_callback(workbook: RecordingWorkbook) -> None:
    # the callbacks the ribbon XML names in the ClvRibbon module are in the imported text
    module = workbook.imported()[RIBBON_MODULE_NAME]
    assert module == ribbon_vba_module("en")
    for button in RIBBON_BUTTONS:
        if button.macro.startswith(f"{RIBBON_MODULE_NAME}."):
            sub = button.macro.split(".")[1]
            assert f"Sub {sub}(control As IRibbonControl)" in module


def test_vba_wrappers_match_the_catalogue(workbook: RecordingWorkbook) -> None:
    # one wrapper per catalogue function, arguments in order, optional ones marked Optional,
    # each calling clv_xl.udfs through the add-in's active workbook
    vba = workbook.imported()[FUNCTIONS_MODULE_NAME]
    # the very module the golden file holds (its structure is checked in test_udfs), Windows line ends
    assert vba == GOLDEN_VBA.read_text(encoding="utf-8").replace("\n", "\r\n")
    functions = _vba_functions(vba)
    assert set(functions) == {f.name for f in FUNCTIONS}
    for function in FUNCTIONS:
        expected = [("Optional " if a.optional else "") + a.name for a in function.arguments]
        assert functions[function.name] == expected
        arguments = ", ".join(a.name for a in function.arguments)
        assert (
            f'{function.name} = XLPy.CallUDF("clv_xl.udfs", "{function.name}", Array({arguments}), '
            "ActiveWorkbook, Application.Caller)" in vba
        )


def test_function_wizard_descriptions_match_the_catalogue(workbook: RecordingWorkbook) -> None:
    # MacroOptions: description, category "CLV" and argument help, in the language of the
    # installation (English here: tests run with CLV_XL_LANG=en)
    registered = {macro: options for kind, (macro, options) in _macro_options(workbook)}
    assert set(registered) == {f"'{ADDIN_FILE_NAME}'!{f.name}" for f in FUNCTIONS}
    for function in FUNCTIONS:
        options = registered[f"'{ADDIN_FILE_NAME}'!{function.name}"]
        assert options["Category"] == CATEGORY == "CLV"
        assert options["Description"] == function.description("en")[:255]
        assert options["ArgumentDescriptions"] == [a.help("en")[:255] for a in function.arguments]


def _macro_options(workbook: RecordingWorkbook) -> list[tuple[str, tuple[str, dict[str, Any]]]]:
    return [(kind, value) for kind, value in workbook.calls if kind == "MacroOptions"]


def test_running_again_replaces_both_modules(workbook: RecordingWorkbook, tmp_path: Path) -> None:
    # an update in place: the earlier ribbon module and wrappers are removed before the import
    workbook.calls.clear()
    excel_windows.import_into_addin(workbook, tmp_path, "en")
    removed = [name for kind, name in workbook.calls if kind == "Remove"]
    assert removed == [RIBBON_MODULE_NAME, FUNCTIONS_MODULE_NAME]


def test_installation_gives_the_addin_its_own_project_name(workbook: RecordingWorkbook) -> None:
    # the PROJECT_NAME line of xlwings' real module (olevba) is rewritten, and the settings sheet
    # renamed to match: the VBA then reads clv_xl.conf, never myaddin.conf files of other add-ins
    shipped = _shipped_xlwings_module().splitlines()
    (replaced,) = [value for kind, value in workbook.calls if kind == "ReplaceLine"]
    number, text = replaced
    assert shipped[number - 1] == project_name_line("myaddin") and text == project_name_line(PROJECT_NAME)
    lines = workbook.module_lines("xlwings")
    assert [line for line in lines if "PROJECT_NAME As String" in line] == [project_name_line(PROJECT_NAME)]
    assert len(lines) == len(shipped)  # nothing else changed
    assert [value for kind, value in workbook.calls if kind == "RenameSheet"] == [
        (BUILT_CONFIG_SHEET_NAME, CONFIG_SHEET_NAME)
    ]
    assert [sheet.Name for sheet in workbook.Worksheets] == [f"{PROJECT_NAME}.conf"]


def test_installing_again_keeps_the_project_name(workbook: RecordingWorkbook, tmp_path: Path) -> None:
    workbook.calls.clear()
    excel_windows.import_into_addin(workbook, tmp_path, "en")
    assert [sheet.Name for sheet in workbook.Worksheets] == [CONFIG_SHEET_NAME]
    assert not [kind for kind, _ in workbook.calls if kind == "RenameSheet"]
    assert [line for line in workbook.module_lines("xlwings") if "PROJECT_NAME As" in line] == [
        project_name_line(PROJECT_NAME)
    ]


def test_an_xlwings_module_without_the_project_name_is_refused(tmp_path: Path) -> None:
    book = RecordingWorkbook()
    code = book.VBProject.VBComponents("xlwings").CodeModule
    code.lines = [line for line in code.lines if "PROJECT_NAME As String" not in line]
    with pytest.raises(ValueError, match="unsupported xlwings"):
        excel_windows.import_into_addin(book, tmp_path, "en")


def test_refresh_keeps_the_running_ribbon_module(tmp_path: Path) -> None:
    # the refresh button runs inside ClvRibbon: only the wrappers are replaced
    book = RecordingWorkbook(existing=("xlwings", "RibbonMyAddin", RIBBON_MODULE_NAME, FUNCTIONS_MODULE_NAME))
    excel_windows.import_into_addin(book, tmp_path, "en", refresh=True)
    assert [name for kind, name in book.calls if kind == "Remove"] == [FUNCTIONS_MODULE_NAME]
    assert set(book.imported()) == {FUNCTIONS_MODULE_NAME}
    # the xlwings module runs this very call (RunPython): it is not edited
    assert not [kind for kind, _ in book.calls if kind in ("ReplaceLine", "RenameSheet")]


def test_excel_2007_gets_descriptions_only(tmp_path: Path) -> None:
    # xlwings' own branch: before Excel 2010 (version 14) MacroOptions takes no argument help
    book = RecordingWorkbook(version="12.0")
    excel_windows.import_into_addin(book, tmp_path, "en")
    for _kind, (_macro, options) in _macro_options(book):
        assert set(options) == {"Description"}


def test_every_python_button_has_a_handler() -> None:
    assert {b.action for b in RIBBON_BUTTONS if b.action} == set(excel_windows._ACTIONS)


# ------------------------------------------------------------------ registry


class FakeRegistry:
    """The part of ``winreg`` the module uses, over a dict; missing keys raise OSError as winreg does."""

    HKEY_CLASSES_ROOT = "HKCR"
    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE = 2
    REG_DWORD = 4

    def __init__(self, values: dict[tuple[str, str, str], Any] | None = None) -> None:
        self.values = dict(values or {})

    def QueryValue(self, root: str, key: str) -> str:  # noqa: N802
        try:
            return self.values[(root, key, "")]
        except KeyError:
            raise FileNotFoundError(key) from None

    def OpenKey(self, root: str, key: str) -> Any:  # noqa: N802
        if not any(r == root and k == key for r, k, _ in self.values):
            raise FileNotFoundError(key)
        return _Handle(root, key)

    CreateKeyEx = lambda self, root, key, _reserved, _access: _Handle(root, key)  # noqa: E731, N815

    def QueryValueEx(self, handle: _Handle, name: str) -> tuple[Any, int]:  # noqa: N802
        try:
            return self.values[(handle.root, handle.key, name)], self.REG_DWORD
        except KeyError:
            raise FileNotFoundError(name) from None

    def SetValueEx(self, handle: _Handle, name: str, _reserved: int, _kind: int, value: Any) -> None:  # noqa: N802
        self.values[(handle.root, handle.key, name)] = value

    def DeleteValue(self, handle: _Handle, name: str) -> None:  # noqa: N802
        try:
            del self.values[(handle.root, handle.key, name)]
        except KeyError:
            raise FileNotFoundError(name) from None


class _Handle:
    def __init__(self, root: str, key: str) -> None:
        self.root, self.key = root, key

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *_: object) -> None:
        return None


USER_KEY = r"Software\Microsoft\Office\16.0\Excel\Security"
POLICY_KEY = r"Software\Policies\Microsoft\Office\16.0\Excel\Security"
EXCEL_16 = {("HKCR", r"Excel.Application\CurVer", ""): "Excel.Application.16"}


def test_excel_version_from_the_registry() -> None:
    assert excel_windows.excel_version(FakeRegistry(EXCEL_16)) == "16.0"
    assert excel_windows.excel_version(FakeRegistry()) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, (False, False, None)),  # Excel's default: off
        ({("HKCU", USER_KEY, "AccessVBOM"): 1}, (True, False, 1)),
        ({("HKCU", USER_KEY, "AccessVBOM"): 0}, (False, False, 0)),
        # a group policy wins over the user's choice
        ({("HKCU", USER_KEY, "AccessVBOM"): 1, ("HKCU", POLICY_KEY, "AccessVBOM"): 0}, (False, True, 1)),
    ],
)
def test_vba_trust_detection(values: dict[tuple[str, str, str], Any], expected: tuple[bool, bool, int | None]) -> None:
    assert excel_windows.vba_trust("16.0", FakeRegistry(values)) == expected


def _install(tmp_path: Path, registry: FakeRegistry, **kwargs: Any) -> InstallRecord:
    built = tmp_path / ADDIN_FILE_NAME
    built.write_bytes(b"add-in")
    with mock.patch.dict(os.environ):  # install() sets CLV_XL_LANG for the functions' help
        return excel_windows.install(built, "en", registry=registry, **kwargs)


def test_install_stops_without_excel(tmp_path: Path) -> None:
    with pytest.raises(AddinInstallError, match="Desktop Excel was not found"):
        _install(tmp_path, FakeRegistry())


def test_install_stops_while_excel_runs(tmp_path: Path) -> None:
    with mock.patch.object(excel_windows, "_excel_running", return_value=True):
        with pytest.raises(AddinInstallError, match="Excel is running"):
            _install(tmp_path, FakeRegistry(EXCEL_16))


def test_install_explains_vba_trust_and_changes_nothing_without_the_flag(tmp_path: Path) -> None:
    registry = FakeRegistry(EXCEL_16)
    with mock.patch.object(excel_windows, "_excel_running", return_value=False):
        with pytest.raises(AddinInstallError) as caught:
            _install(tmp_path, registry)
    assert caught.value.key == "vba_trust_off"
    assert "Trust access to the VBA project object model" in str(caught.value)
    assert "-EnableVbaTrust" in str(caught.value) and USER_KEY in str(caught.value)
    assert registry.values == EXCEL_16


def test_install_refuses_a_policy_it_cannot_change(tmp_path: Path) -> None:
    registry = FakeRegistry({**EXCEL_16, ("HKCU", POLICY_KEY, "AccessVBOM"): 0})
    with mock.patch.object(excel_windows, "_excel_running", return_value=False):
        with pytest.raises(AddinInstallError, match="policy"):
            _install(tmp_path, registry, enable_vba_trust=True)
    assert ("HKCU", USER_KEY, "AccessVBOM") not in registry.values


def test_uninstall_removes_the_addin_and_restores_trust(tmp_path: Path) -> None:
    # install recorded: the add-in in XLSTART and AccessVBOM turned on from "never set"
    installed = tmp_path / "XLSTART" / ADDIN_FILE_NAME
    installed.parent.mkdir()
    installed.write_bytes(b"add-in")
    other = tmp_path / "XLSTART" / "someone_else.xlam"
    other.write_bytes(b"not ours")
    registry = FakeRegistry({**EXCEL_16, ("HKCU", USER_KEY, "AccessVBOM"): 1})
    record = InstallRecord(addin=str(installed), excel_version="16.0", vba_trust_changed=True, vba_trust_previous=None)
    record_file = tmp_path / "record.json"
    record.save(record_file)
    with mock.patch.object(excel_windows, "_excel_running", return_value=False):
        undone = excel_windows.uninstall(InstallRecord.load(record_file), "en", registry=registry)
    assert undone == [str(installed), "HKCU\\" + USER_KEY + "\\AccessVBOM"]
    assert not installed.exists() and other.exists()
    assert registry.values == EXCEL_16


def test_uninstall_leaves_trust_alone_when_install_did_not_change_it(tmp_path: Path) -> None:
    registry = FakeRegistry({**EXCEL_16, ("HKCU", USER_KEY, "AccessVBOM"): 1})
    record = InstallRecord(addin=str(tmp_path / ADDIN_FILE_NAME), excel_version="16.0")
    with mock.patch.object(excel_windows, "_excel_running", return_value=False):
        assert excel_windows.uninstall(record, "it", registry=registry) == []
    assert registry.values[("HKCU", USER_KEY, "AccessVBOM")] == 1


# ------------------------------------------------------------------ ribbon buttons (Python side)


def _caller_book(settings: list[list[object]]) -> mock.MagicMock:
    """``xw.Book.caller()`` of a RunPython call, whose app has the add-in open with ``settings``."""
    book = mock.MagicMock(name="caller")
    addin = mock.MagicMock(name=ADDIN_FILE_NAME)
    sheet = addin.sheets.__getitem__.return_value
    sheet.range.return_value.expand.return_value.resize.return_value.value = settings
    book.app.books.__getitem__.side_effect = {ADDIN_FILE_NAME: addin}.__getitem__
    return book


def _settings_rows(templates: str) -> list[list[object]]:
    return [
        ["Interpreter_Win", r"C:\venv\Scripts\python.exe"],
        ["UDF Modules", "clv_xl.udfs"],
        ["CLV_XL_TEMPLATES", templates],
    ]


def test_new_workbook_opens_a_copy_of_the_chosen_template(tmp_path: Path) -> None:
    # the dialog starts in the templates folder of the add-in's settings; the new workbook
    # is based on the template (Workbooks.Add(Template=...)), the template is not opened itself
    (tmp_path / "clv_base.xlsx").write_bytes(b"template")
    book = _caller_book(_settings_rows(str(tmp_path)))
    dialog = book.app.api.FileDialog.return_value
    dialog.Show.return_value = -1
    dialog.SelectedItems.return_value = str(tmp_path / "clv_base.xlsx")
    with mock.patch("xlwings.Book.caller", return_value=book):
        excel_windows.on_button("new_workbook")
    book.app.api.FileDialog.assert_called_once_with(1)
    assert dialog.InitialFileName == str(tmp_path) + "\\"
    book.app.api.Workbooks.Add.assert_called_once_with(Template=str(tmp_path / "clv_base.xlsx"))
    book.app.alert.assert_not_called()


def test_new_workbook_without_templates_says_where_it_looked(tmp_path: Path) -> None:
    book = _caller_book(_settings_rows(str(tmp_path / "missing")))
    with mock.patch("xlwings.Book.caller", return_value=book):
        excel_windows.on_button("new_workbook")
    (prompt,), _options = book.app.alert.call_args
    assert "No template workbooks" in prompt and str(tmp_path / "missing") in prompt
    book.app.api.Workbooks.Add.assert_not_called()


def test_unknown_button_action_is_reported_not_raised() -> None:
    book = _caller_book(_settings_rows(""))
    with mock.patch("xlwings.Book.caller", return_value=book):
        excel_windows.on_button("explode")
    (prompt,), _options = book.app.alert.call_args
    assert "'explode'" in prompt and "new_workbook" in prompt


def test_refresh_functions_reimports_the_wrappers_and_saves_the_addin(tmp_path: Path) -> None:
    book = _caller_book(_settings_rows(""))
    recording = RecordingWorkbook(existing=("xlwings", "RibbonMyAddin", RIBBON_MODULE_NAME, "xlwings_udfs"))
    book.app.books[ADDIN_FILE_NAME].api = recording
    with mock.patch("xlwings.Book.caller", return_value=book):
        excel_windows.on_button("refresh_functions")
    assert [kind for kind, _ in recording.calls if kind in ("Remove", "Import", "Save")] == ["Remove", "Import", "Save"]
    (prompt,), _options = book.app.alert.call_args
    assert prompt == f"The CLV functions were imported again into {ADDIN_FILE_NAME} ({len(FUNCTIONS)} functions)."


class _UntrustedWorkbook(RecordingWorkbook):
    @property  # type: ignore[override]
    def VBProject(self) -> Any:  # noqa: N802 - COM name
        # what Excel raises when "Trust access to the VBA project object model" is off
        raise ComError(-2146827284, "Programmatic access to Visual Basic Project is not trusted")

    @VBProject.setter
    def VBProject(self, _value: Any) -> None:  # noqa: N802
        pass


def test_refresh_functions_without_vba_trust_explains_it(tmp_path: Path) -> None:
    book = _caller_book(_settings_rows(""))
    untrusted = _UntrustedWorkbook()
    book.app.books[ADDIN_FILE_NAME].api = untrusted
    with (
        mock.patch("xlwings.Book.caller", return_value=book),
        mock.patch.object(excel_windows, "excel_version", return_value="16.0"),
    ):
        excel_windows.on_button("refresh_functions")
    (prompt,), options = book.app.alert.call_args
    assert "Trust access to the VBA project object model" in prompt and USER_KEY in prompt
    assert options["mode"] == "critical"
    assert not [kind for kind, _ in untrusted.calls if kind == "Save"]


def test_failed_install_puts_the_vba_trust_option_back(tmp_path: Path) -> None:
    # -EnableVbaTrust turned the option on, then Excel failed: no record is written, so the
    # option goes back to what it was (here: never set)
    registry = FakeRegistry(EXCEL_16)
    with (
        mock.patch.object(excel_windows, "_excel_running", return_value=False),
        mock.patch("xlwings.App", side_effect=ComError(-2147221005, "Invalid class string")),
    ):
        with pytest.raises(AddinInstallError, match="Excel reported an error .*Invalid class string"):
            _install(tmp_path, registry, enable_vba_trust=True)
    assert registry.values == EXCEL_16


def test_messages_used_exist_in_both_languages_with_the_same_placeholders() -> None:
    # every message key the Windows modules use, read from their source
    import string

    from clv_xl import cli_excel
    from clv_xl.i18n import MESSAGES

    sources = "".join(Path(module.__file__).read_text(encoding="utf-8") for module in (excel_windows, cli_excel))
    used = set(re.findall(r'(?:AddinInstallError|message)\(\s*"(\w+)"', sources))
    assert {"no_excel", "excel_running", "vba_trust_off", "not_windows"} <= used
    for key in used:
        fields = {
            language: {name for _, name, _, _ in string.Formatter().parse(MESSAGES[key][language]) if name}
            for language in ("en", "it")
        }
        assert fields["en"] == fields["it"], key


# ------------------------------------------------------------------ a whole installation, Excel stood in


class _Book:
    """``xw.Book`` of the opened add-in: its COM object is the recording workbook."""

    def __init__(self, api: RecordingWorkbook) -> None:
        self.api = api

    def save(self) -> None:
        self.api.Save()

    def close(self) -> None:
        pass


class _App:
    """``xw.App(visible=False, add_book=False)`` as a context manager, with its startup folder."""

    def __init__(self, startup: Path) -> None:
        self.startup_path = str(startup)
        self.display_alerts = True
        self.opened: list[str] = []
        self.books = mock.Mock(open=self._open)

    def _open(self, path: str) -> _Book:
        self.opened.append(path)
        return _Book(RecordingWorkbook())

    def __enter__(self) -> _App:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def _full_install(tmp_path: Path, registry: FakeRegistry, **kwargs: Any) -> InstallRecord:
    startup = tmp_path / "XLSTART"
    startup.mkdir(exist_ok=True)
    with (
        mock.patch.object(excel_windows, "_excel_running", return_value=False),
        mock.patch("xlwings.App", lambda **_options: _App(startup)),
    ):
        return _install(tmp_path, registry, **kwargs)


def test_install_copies_the_addin_into_xlstart_and_records_the_trust_change(tmp_path: Path) -> None:
    registry = FakeRegistry(EXCEL_16)
    record = _full_install(tmp_path, registry, enable_vba_trust=True)
    assert Path(record.addin) == tmp_path / "XLSTART" / ADDIN_FILE_NAME
    assert Path(record.addin).read_bytes() == b"add-in"
    assert (record.vba_trust_changed, record.vba_trust_previous, record.excel_version) == (True, None, "16.0")
    assert registry.values[("HKCU", USER_KEY, "AccessVBOM")] == 1


def test_a_second_installation_keeps_the_first_record_of_the_trust_option(tmp_path: Path) -> None:
    # the first run turned the option on (it was never set); the second finds it on: its record must
    # still say "changed, was never set", or the uninstallation would leave it on
    registry = FakeRegistry(EXCEL_16)
    first = _full_install(tmp_path, registry, enable_vba_trust=True)
    record_file = tmp_path / "excel-record.json"
    first.save(record_file)
    second = _full_install(tmp_path, registry, enable_vba_trust=True, previous=InstallRecord.load(record_file))
    assert (second.vba_trust_changed, second.vba_trust_previous) == (True, None)
    with mock.patch.object(excel_windows, "_excel_running", return_value=False):
        excel_windows.uninstall(second, "en", registry=registry)
    assert registry.values == EXCEL_16  # back to "never set"


def test_a_user_who_trusted_vba_before_keeps_it_after_uninstall(tmp_path: Path) -> None:
    registry = FakeRegistry({**EXCEL_16, ("HKCU", USER_KEY, "AccessVBOM"): 1})
    record = _full_install(tmp_path, registry)
    assert not record.vba_trust_changed
    with mock.patch.object(excel_windows, "_excel_running", return_value=False):
        excel_windows.uninstall(record, "en", registry=registry)
    assert registry.values[("HKCU", USER_KEY, "AccessVBOM")] == 1


def test_the_cli_passes_the_earlier_record_to_the_installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # clv-xl excel install --record FILE: an existing FILE is read and handed over as `previous`
    from click.testing import CliRunner

    from clv_xl import cli_excel
    from clv_xl.cli import cli

    earlier = InstallRecord(addin="x", excel_version="16.0", vba_trust_changed=True, vba_trust_previous=0)
    record_file = tmp_path / "excel-record.json"
    earlier.save(record_file)
    seen: list[InstallRecord | None] = []

    def fake_install(built: Path, language: str, enable_vba_trust: bool, previous: InstallRecord | None):  # type: ignore[no-untyped-def]
        seen.append(previous)
        return InstallRecord(addin=str(tmp_path / "XLSTART" / ADDIN_FILE_NAME), excel_version="16.0")

    monkeypatch.setattr(cli_excel.sys, "platform", "win32")
    monkeypatch.setattr(excel_windows, "install", fake_install)
    arguments = ["excel", "install", "--lang", "en", "--dir", str(tmp_path / "dir"), "--record", str(record_file)]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert seen == [earlier]
    # what is printed on stdout is the add-in's path alone: install.ps1 shows that line
    assert result.stdout.strip().splitlines() == [str(tmp_path / "XLSTART" / ADDIN_FILE_NAME)]


def test_record_of_an_older_version_loads(tmp_path: Path) -> None:
    path = tmp_path / "excel-record.json"
    path.write_text('{"addin": "a", "excel_version": "16.0", "something_new": 1}', encoding="utf-8")
    assert InstallRecord.load(path) == InstallRecord(addin="a", excel_version="16.0")


# ------------------------------------------------------------------ which Excel, which program

STORE_EXCEL = r"C:\Program Files\WindowsApps\Microsoft.Office.Desktop.Excel_16051.17328.20162.0_x86__8wekyb3d8bbwe\Office16\EXCEL.EXE"  # noqa: E501
SERVER_KEY = r"CLSID\{00024500-0000-0000-C000-000000000046}\LocalServer32"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            r"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE /automation",
            r"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE",
        ),
        (
            r'"C:\Program Files (x86)\Microsoft Office\Office16\EXCEL.EXE" /automation',
            r"C:\Program Files (x86)\Microsoft Office\Office16\EXCEL.EXE",
        ),  # noqa: E501
        ("nothing useful", None),
    ],
)
def test_excel_executable_from_the_com_registration(command: str, expected: str | None) -> None:
    registry = FakeRegistry({**EXCEL_16, ("HKCR", SERVER_KEY, ""): command})
    assert excel_windows.excel_executable(registry) == expected
    assert excel_windows.excel_executable(FakeRegistry(EXCEL_16)) is None


@pytest.mark.parametrize(
    ("path", "store"),
    [
        (STORE_EXCEL, True),
        (r"C:\Users\Niccolò\AppData\Local\Microsoft\WindowsApps\python.exe", True),
        (
            r"C:\Users\Niccolò\AppData\Local\Packages\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\LocalCache\local-packages",  # noqa: E501
            True,
        ),
        (r"C:\Users\Niccolò\AppData\Local\Programs\Python\Python312\python.exe", False),
        (r"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE", False),
        (r"D:\MyWindowsAppsBackup\python.exe", False),
    ],
)
def test_store_programs_are_recognised_by_their_folder(path: str, store: bool) -> None:
    assert excel_windows.is_store_app(path) is store


def test_install_refuses_excel_from_the_store(tmp_path: Path) -> None:
    registry = FakeRegistry({**EXCEL_16, ("HKCR", SERVER_KEY, ""): STORE_EXCEL + " /automation"})
    with mock.patch.object(excel_windows, "_excel_running", return_value=False):
        with pytest.raises(AddinInstallError) as caught:
            _install(tmp_path, registry, enable_vba_trust=True)
    assert caught.value.key == "excel_store" and "office.com" in str(caught.value)
    assert registry.values == {**EXCEL_16, ("HKCR", SERVER_KEY, ""): STORE_EXCEL + " /automation"}


def _portable_executable(machine: int) -> bytes:
    """The first bytes of a Windows program: DOS header pointing at a PE header with ``machine``."""
    header = bytearray(256)
    header[:2] = b"MZ"
    header[60:64] = (128).to_bytes(4, "little")
    header[128:132] = b"PE\0\0"
    header[132:134] = machine.to_bytes(2, "little")
    return bytes(header)


@pytest.mark.parametrize(("machine", "bits"), [(0x014C, 32), (0x8664, 64), (0xAA64, 64), (0x0200, None)])
def test_bitness_of_a_program_from_its_pe_header(tmp_path: Path, machine: int, bits: int | None) -> None:
    program = tmp_path / "EXCEL.EXE"
    program.write_bytes(_portable_executable(machine))
    assert excel_windows.executable_bits(program) == bits


def test_bitness_of_something_else_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "x.exe").write_bytes(b"#!/bin/sh\n")
    assert excel_windows.executable_bits(tmp_path / "x.exe") is None
    assert excel_windows.executable_bits(tmp_path / "missing.exe") is None


@pytest.mark.parametrize(("launcher", "bits"), [("t32.exe", 32), ("t64.exe", 64), ("t64-arm.exe", 64)])
def test_bitness_of_real_windows_programs(launcher: str, bits: int) -> None:
    # independent reference: the Windows launchers pip ships (distlib), built for x86, x64 and ARM64
    import pip

    program = Path(pip.__file__).parent / "_vendor" / "distlib" / launcher
    if not program.is_file():
        pytest.skip(f"this pip ships no {launcher}")
    assert excel_windows.executable_bits(program) == bits


@pytest.mark.skipif(not sys.platform.startswith("win"), reason="the real pywin32 exists only on Windows")
def test_on_windows_the_tests_use_the_real_pywin32() -> None:
    # the stand-ins must never replace a real pywin32 (the Windows workflow runs this)
    import pythoncom
    import pywintypes

    assert not isinstance(sys.modules["win32api"], mock.MagicMock)
    assert pywintypes.com_error is ComError
    assert Path(pythoncom.__file__).suffix.lower() in (".dll", ".pyd")
