"""The Windows install step (clv_xl/excel_windows.py), driven on Linux.

The import of the function wrappers runs xlwings' REAL ``import_udfs`` against a
recording stand-in for the Excel workbook object: it records what Excel would be asked
(``VBProject.VBComponents.Remove/Import`` with the text of each imported file,
``Application.MacroOptions``). The expected values come from the catalogue
(``clv_xl.catalogue.FUNCTIONS``): names, argument order and optional arguments,
description, category and argument help. The registry logic runs against an
in-memory stand-in of ``winreg`` with the same calls and errors.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import xlwings.udfs
from windows_stand_ins import ComError

from clv_xl import excel_windows
from clv_xl.addin import ADDIN_FILE_NAME, RIBBON_BUTTONS, RIBBON_MODULE_NAME, ribbon_vba_module
from clv_xl.catalogue import FUNCTIONS
from clv_xl.excel_windows import AddinInstallError, InstallRecord
from clv_xl.function_spec import CATEGORY


class _Component:
    def __init__(self, name: str) -> None:
        self.Name = name


class _Components:
    """``VBProject.VBComponents``: looking up a missing module fails as COM does."""

    def __init__(self, calls: list[tuple[str, Any]], existing: list[str]) -> None:
        self.calls = calls
        self.modules = {name: _Component(name) for name in existing}

    def __call__(self, name: str) -> _Component:
        if name not in self.modules:
            raise ComError(-2147352565, "Subscript out of range")
        return self.modules[name]

    def Remove(self, component: _Component) -> None:  # noqa: N802 - COM name
        self.calls.append(("Remove", component.Name))
        del self.modules[component.Name]

    def Import(self, path: str) -> None:  # noqa: N802 - COM name
        text = Path(path).read_bytes().decode("ascii")  # read now: import_udfs deletes it afterwards
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
    def __init__(self, name: str) -> None:
        self.Name = name


class RecordingWorkbook:
    """The COM ``Workbook`` of the open add-in, as far as the import step uses it."""

    def __init__(self, version: str = "16.0", existing: tuple[str, ...] = ("xlwings", "RibbonMyAddin")) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.Name = ADDIN_FILE_NAME
        self.Application = _Application(self.calls, version)
        self.VBProject = mock.Mock(VBComponents=_Components(self.calls, list(existing)))
        self.Worksheets = [_Sheet("myaddin.conf")]

    def Save(self) -> None:  # noqa: N802 - COM name
        self.calls.append(("Save", self.Name))

    def imported(self) -> dict[str, str]:
        texts = [text for kind, text in self.calls if kind == "Import"]
        return {re.findall(r'^Attribute VB_Name = "(\w+)"', t, re.M)[0]: t for t in texts}


@pytest.fixture
def workbook(tmp_path: Path) -> RecordingWorkbook:
    book = RecordingWorkbook()
    # Dispatch(workbook) wraps the COM object; the stand-in already is the object
    with mock.patch.object(xlwings.udfs, "Dispatch", lambda obj: obj):
        count = excel_windows.import_into_addin(book, tmp_path)
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
    assert module == ribbon_vba_module()
    for button in RIBBON_BUTTONS:
        if button.macro.startswith(f"{RIBBON_MODULE_NAME}."):
            sub = button.macro.split(".")[1]
            assert f"Sub {sub}(control As IRibbonControl)" in module


def test_vba_wrappers_match_the_catalogue(workbook: RecordingWorkbook) -> None:
    # one wrapper per catalogue function, arguments in order, optional ones marked Optional,
    # each calling clv_xl.udfs through the add-in's active workbook
    vba = workbook.imported()["xlwings_udfs"]
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
    with mock.patch.object(xlwings.udfs, "Dispatch", lambda obj: obj):
        excel_windows.import_into_addin(workbook, tmp_path)
    removed = [name for kind, name in workbook.calls if kind == "Remove"]
    assert removed == [RIBBON_MODULE_NAME, "xlwings_udfs"]


def test_refresh_keeps_the_running_ribbon_module(tmp_path: Path) -> None:
    # the refresh button runs inside ClvRibbon: only the wrappers are replaced
    book = RecordingWorkbook(existing=("xlwings", "RibbonMyAddin", RIBBON_MODULE_NAME, "xlwings_udfs"))
    with mock.patch.object(xlwings.udfs, "Dispatch", lambda obj: obj):
        excel_windows.import_into_addin(book, tmp_path, with_ribbon=False)
    assert [name for kind, name in book.calls if kind == "Remove"] == ["xlwings_udfs"]
    assert set(book.imported()) == {"xlwings_udfs"}


def test_excel_2007_gets_descriptions_only(tmp_path: Path) -> None:
    # xlwings' own branch: before Excel 2010 (version 14) MacroOptions takes no argument help
    book = RecordingWorkbook(version="12.0")
    with mock.patch.object(xlwings.udfs, "Dispatch", lambda obj: obj):
        excel_windows.import_into_addin(book, tmp_path)
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
    assert undone == [str(installed), "AccessVBOM"]
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
    with mock.patch("xlwings.Book.caller", return_value=book), mock.patch.object(xlwings.udfs, "Dispatch", lambda o: o):
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
