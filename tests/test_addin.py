"""The add-in file built from xlwings' ribbon add-in (clv_xl/addin.py).

Checked against the real files: xlwings' shipped ``quickstart_addin_ribbon.xlam``, its
VBA project read with oletools' olevba, and the Open Packaging rules Excel applies
(every part typed in ``[Content_Types].xml``, every relationship target present,
``mc:Ignorable`` prefixes declared).
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import olefile
import pytest

with warnings.catch_warnings():  # oletools still uses pyparsing's old names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

from clv_xl.addin import (
    ADDIN_FILE_NAME,
    BUILT_CONFIG_SHEET_NAME,
    CONFIG_SHEET_NAME,
    PROJECT_NAME,
    RIBBON_BUTTONS,
    RIBBON_MODULE_NAME,
    SHIPPED_PROJECT_NAME,
    UDF_MODULE,
    XLWINGS_LICENCE_FILE_NAME,
    build_addin,
    guard_function_wrappers,
    project_name_line,
    read_addin_settings,
    ribbon_vba_module,
    vba_string,
    xlwings_ribbon_addin,
)

# a path with a space, an ampersand and an accent: all must survive the XML
INTERPRETER = r"C:\Users\Niccolò & Co\AppData\Local\clv_xl\venv\Scripts\python.exe"
TEMPLATES = r"C:\Users\Niccolò & Co\Documents\clv_xl"

SS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CUSTOM_UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
MC_IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / ADDIN_FILE_NAME, "it", INTERPRETER, TEMPLATES)


def _vba_modules(path: Path) -> dict[str, str]:
    """VBA module name -> source, as olevba reads it from vbaProject.bin."""
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _f, stream, _n, code in parser.extract_macros()}
    finally:
        parser.close()


def _ribbon_subs(vba_source: str) -> set[str]:
    """Names of the Subs with the signature of a ribbon callback: (control As IRibbonControl)."""
    return set(
        re.findall(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(\s*\w+\s+As\s+IRibbonControl\s*\)", vba_source, re.M | re.I)
    )


def _settings(path: Path) -> tuple[str, dict[str, str]]:
    """The settings sheet's name and its A:B rows, read from the package XML."""
    with zipfile.ZipFile(path) as package:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        strings = [
            "".join(t.text or "" for t in si.iter(f"{SS}t"))
            for si in ElementTree.fromstring(package.read("xl/sharedStrings.xml"))
        ]
        sheet = ElementTree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    (sheet_name,) = [s.get("name") for s in workbook.iter(f"{SS}sheet")]
    rows: dict[str, str] = {}
    for row in sheet.iter(f"{SS}row"):
        values = []
        for cell in row.iter(f"{SS}c"):
            raw = cell.findtext(f"{SS}v")
            values.append(strings[int(raw)] if cell.get("t") == "s" else {"0": "FALSE", "1": "TRUE"}[raw])
        rows[values[0]] = values[1] if len(values) > 1 else ""
    return sheet_name, rows


def test_package_is_a_valid_macro_enabled_addin(built: Path) -> None:
    # Open Packaging Conventions as Excel checks them
    with zipfile.ZipFile(built) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert names[0] == "[Content_Types].xml"
        types = ElementTree.fromstring(package.read("[Content_Types].xml"))
        ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
        overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{ns}Override")}
        defaults = {d.get("Extension") for d in types.iter(f"{ns}Default")}
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        for name in names:
            if name != "[Content_Types].xml":
                assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in defaults, name
        for name in names:
            if name.endswith(".rels"):
                base = PurePosixPath(name).parent.parent
                for relationship in ElementTree.fromstring(package.read(name)):
                    target = str((base / relationship.get("Target")).as_posix()).lstrip("/")
                    assert target in names, (name, target)
            if name.endswith((".xml", ".rels")):
                data = package.read(name)
                element = ElementTree.fromstring(data)  # well-formed
                declared = set(re.findall(rb'xmlns:(\w+)="', data))
                for prefix in (element.get(MC_IGNORABLE) or "").split():
                    assert prefix.encode() in declared, f"{name}: mc:Ignorable names undeclared prefix {prefix}"


def test_vba_project_is_xlwings_own_unchanged(built: Path) -> None:
    # the build never rewrites the compiled VBA project
    with zipfile.ZipFile(built) as ours, zipfile.ZipFile(xlwings_ribbon_addin()) as theirs:
        assert ours.read("xl/vbaProject.bin") == theirs.read("xl/vbaProject.bin")


def test_ribbon_has_the_clv_tab_in_the_chosen_language(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        ui = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    (tab,) = ui.iter(f"{CUSTOM_UI}tab")
    assert tab.get("label") == "CLV"
    buttons = {b.get("id"): b for b in tab.iter(f"{CUSTOM_UI}button")}
    assert set(buttons) == {"clvReport", "clvNewWorkbook", "clvRefreshFunctions"}
    assert buttons["clvReport"].get("label") == "Crea report"
    assert buttons["clvNewWorkbook"].get("label") == "Nuovo da modello"
    assert buttons["clvRefreshFunctions"].get("label") == "Aggiorna funzioni"


def test_english_ribbon_labels(tmp_path: Path) -> None:
    path = build_addin(tmp_path / ADDIN_FILE_NAME, "en", INTERPRETER)
    with zipfile.ZipFile(path) as package:
        ui = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    labels = {b.get("id"): b.get("label") for b in ui.iter(f"{CUSTOM_UI}button")}
    assert labels == {
        "clvReport": "Build report",
        "clvNewWorkbook": "New from template",
        "clvRefreshFunctions": "Refresh functions",
    }


def test_every_button_calls_a_ribbon_callback_that_exists(built: Path) -> None:
    # onAction "Module.Sub" must name a Sub(control As IRibbonControl) of the module that the
    # installation imports through Excel; the add-in's own VBA project (olevba) has no such module yet
    modules = _vba_modules(built)
    assert RIBBON_MODULE_NAME not in modules
    modules[RIBBON_MODULE_NAME] = ribbon_vba_module("it")
    with zipfile.ZipFile(built) as package:
        ui = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    actions = [b.get("onAction") for b in ui.iter(f"{CUSTOM_UI}button")]
    assert actions == [b.macro for b in RIBBON_BUTTONS]
    for action in actions:
        module, sub = action.split(".")
        assert module == RIBBON_MODULE_NAME
        assert sub in _ribbon_subs(modules[module]), action


def test_report_button_runs_clv_xl_main(built: Path) -> None:
    # the command xlwings' own RunMain derives from the file name ("<name>.main()"), now run
    # by clv_xl's guarded callback
    shipped = _vba_modules(built)["RibbonMyAddin"]
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in shipped
    report = next(b for b in RIBBON_BUTTONS if b.id == "clvReport")
    assert report.python == f"import {Path(ADDIN_FILE_NAME).stem}; {Path(ADDIN_FILE_NAME).stem}.main()"
    assert f'RunPython "{report.python}"' in _sub_bodies(ribbon_vba_module("en"))[report.sub]


def test_other_buttons_dispatch_to_python() -> None:
    # the imported module calls clv_xl.excel_windows.on_button through xlwings' RunPython
    code = ribbon_vba_module("en")
    for button in RIBBON_BUTTONS:
        if button.action:
            assert (
                f"RunPython \"import clv_xl.excel_windows; clv_xl.excel_windows.on_button('{button.action}')\"" in code
            )
    assert code.startswith(f'Attribute VB_Name = "{RIBBON_MODULE_NAME}"')


def _sub_bodies(vba_source: str) -> dict[str, list[str]]:
    """Sub name -> its stripped body lines."""
    return {
        name: [line.strip() for line in body.splitlines() if line.strip()]
        for name, body in re.findall(r"^Sub (\w+)\([^)]*\)\r?\n(.*?)^End Sub", vba_source, re.M | re.S)
    }


def _vba_value(expression: str) -> str:
    """The text of a VBA string expression made of "literals" and ChrW(n) joined by &."""
    text = ""
    for part in re.findall(r'"(?:[^"]|"")*"|ChrW\(\d+\)', expression):
        text += chr(int(part[5:-1])) if part.startswith("ChrW") else part[1:-1].replace('""', '"')
    return text


@pytest.mark.parametrize("language", ["en", "it"])
def test_every_ribbon_callback_checks_for_an_active_workbook_first(language: str) -> None:
    # RunPython reads ActiveWorkbook: Nothing with no workbook open or in Protected View (error 91).
    # The report says what to do and stops; the other buttons open a blank workbook first.
    code = ribbon_vba_module(language)  # type: ignore[arg-type]
    assert code.isascii()  # imported in the PC's ANSI code page: accents go through ChrW
    bodies = _sub_bodies(code)
    assert set(bodies) == {b.sub for b in RIBBON_BUTTONS}
    for button in RIBBON_BUTTONS:
        body = bodies[button.sub]
        run = body.index(f'RunPython "{button.python}"')
        assert run == len(body) - 1
        if button.needs_workbook:
            assert body[:4][0] == "If ActiveWorkbook Is Nothing Then" and body[2:4] == ["Exit Sub", "End If"]
            (shown,) = re.findall(r"^MsgBox (.*), vbExclamation, \"clv_xl\"$", body[1])
            text = _vba_value(shown)
            assert f'"{button.label(language)}"' in text  # type: ignore[arg-type]
            assert ("Enable Editing" if language == "en" else "Abilita modifica") in text
        else:
            assert body[0].startswith("If ActiveWorkbook Is Nothing Then Workbooks.Add")


def test_vba_string_round_trips_accents_and_quotes() -> None:
    text = 'Perché "Crea report" è qui: 1.234,56 €'
    expression = vba_string(text)
    assert expression.isascii() and "ChrW(233)" in expression and "ChrW(8364)" in expression
    assert _vba_value(expression) == text
    assert vba_string("") == '""'


def test_function_wrapper_guard_needs_xlwings_layout() -> None:
    with pytest.raises(ValueError, match="unsupported xlwings"):
        guard_function_wrappers("Sub Foo()\nEnd Sub\n", "en")
    guarded = guard_function_wrappers("Function F(a)\n    F = 1\nEnd Function\n", "it")
    assert guarded.splitlines()[1].startswith('    If ActiveWorkbook Is Nothing Then F = "#N/D nessuna cartella')


def test_settings_sheet_is_the_one_the_vba_reads(built: Path) -> None:
    # GetConfig reads the sheet PROJECT_NAME & ".conf" (xlwings module of the VBA project)
    xlwings_module = _vba_modules(built)["xlwings"]
    (project_name,) = re.findall(r'Public Const PROJECT_NAME As String = "(\w+)"', xlwings_module)
    assert project_name == SHIPPED_PROJECT_NAME
    assert 'Set sht = wb.Sheets(PROJECT_NAME & ".conf")' in xlwings_module
    sheet_name, rows = _settings(built)
    assert sheet_name == BUILT_CONFIG_SHEET_NAME == f"{project_name}.conf"
    assert rows["Interpreter_Win"] == INTERPRETER
    assert rows["UDF Modules"] == UDF_MODULE == "clv_xl.udfs"
    assert rows["CLV_XL_TEMPLATES"] == TEMPLATES
    assert rows["Use UDF Server"] == "FALSE"
    # the VBA reads the keys from A1 down to the first empty cell (Range.End(xlDown))
    assert list(rows)[0] == "Interpreter_Win" and all(rows)


def test_every_key_the_vba_asks_for_is_in_the_settings_sheet(built: Path) -> None:
    # a key missing from the sheet falls through to myaddin.conf files shared with every other
    # quickstart add-in, through GetFullName(ActiveWorkbook) (error 91 without a workbook): every
    # GetConfig("KEY") of the shipped VBA (olevba) must be found in the sheet (case-insensitive)
    xlwings_module = _vba_modules(built)["xlwings"]
    asked = set(re.findall(r'GetConfig\("([^"]+)"', xlwings_module))
    assert {"INTERPRETER_WIN", "UDF MODULES", "ADD_WORKBOOK_TO_PYTHONPATH", "TEMP DIR"} <= asked
    _sheet, rows = _settings(built)
    assert asked <= {key.upper() for key in rows}, asked - {key.upper() for key in rows}


def test_onedrive_and_sharepoint_workbooks_are_not_mapped_to_folders(built: Path) -> None:
    # xlwings #2386: with ADD_WORKBOOK_TO_PYTHONPATH true, prepare_sys_path maps the workbook's
    # https name to a local folder and raises; the first field it reads is this setting
    from xlwings.utils import prepare_sys_path

    _sheet, rows = _settings(built)
    assert rows["ADD_WORKBOOK_TO_PYTHONPATH"] == "FALSE"
    onedrive = "https://d.docs.live.net/abc/Documents/orders.xlsx"
    # the failure the setting avoids, with the setting on (fails here if xlwings stops raising)
    import xlwings

    with pytest.raises(xlwings.XlwingsError, match="OneDrive"):
        prepare_sys_path(f"True;{onedrive};C:\\addin.xlam;;;;")
    before = list(sys.path)
    try:
        # what the VBA passes with the setting false (CStr of the cell) and a OneDrive workbook
        prepare_sys_path(f"False;{onedrive};C:\\addin.xlam;;;;")
    finally:
        after = list(sys.path)
        sys.path[:] = before
    assert not any("docs.live.net" in entry for entry in after)


def test_the_other_defaults_are_those_of_the_vba(built: Path) -> None:
    # values the VBA would otherwise take from its default argument
    _sheet, rows = _settings(built)
    assert rows["TEMP DIR"] == "%TEMP%"  # GetConfig("TEMP DIR", Environ("Temp")), expanded by the VBA
    assert rows["SHOW_ERROR_POPUPS"] == "TRUE"
    assert rows["LICENSE_KEY"] == "" and rows["PYTHONPATH"] == ""
    assert rows["Interpreter"] == rows["Interpreter_Win"]


def test_read_addin_settings_agrees_with_the_package(built: Path) -> None:
    # the reader the doctor uses, against this test's own reading of the XML
    sheet, rows = read_addin_settings(built)
    expected_sheet, expected = _settings(built)
    assert sheet == expected_sheet
    shown = {k: ("TRUE" if v is True else "FALSE" if v is False else "" if v is None else v) for k, v in rows.items()}
    assert shown == expected


def test_the_installation_finds_the_project_name_line(built: Path) -> None:
    # the install rewrites exactly this line of the shipped xlwings module (excel_windows)
    from clv_xl.excel_windows import _PROJECT_NAME_PATTERN

    lines = _vba_modules(built)["xlwings"].splitlines()
    matching = [line for line in lines if _PROJECT_NAME_PATTERN.match(line)]
    assert matching == [project_name_line(SHIPPED_PROJECT_NAME)]
    assert project_name_line(PROJECT_NAME) == 'Public Const PROJECT_NAME As String = "clv_xl"'
    assert CONFIG_SHEET_NAME == "clv_xl.conf"


def test_no_folder_of_the_xlwings_developer_left(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        assert b"absPath" not in package.read("xl/workbook.xml")


def test_xlwings_licence_is_shipped_alongside(built: Path) -> None:
    licence = (built.parent / XLWINGS_LICENCE_FILE_NAME).read_text(encoding="utf-8")
    assert "Zoomer Analytics GmbH" in licence and "Redistribution and use in source and binary forms" in licence


def test_build_leaves_the_source_untouched_and_no_temporary_files(tmp_path: Path) -> None:
    source = xlwings_ribbon_addin()
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    build_addin(tmp_path / ADDIN_FILE_NAME, "en", INTERPRETER)
    build_addin(tmp_path / ADDIN_FILE_NAME, "it", INTERPRETER)  # again: updated in place
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert {p.name for p in tmp_path.iterdir()} == {ADDIN_FILE_NAME, XLWINGS_LICENCE_FILE_NAME}


def test_unsupported_source_fails_without_writing(tmp_path: Path) -> None:
    # an add-in without the expected parts (another xlwings layout) is refused, nothing written
    broken = tmp_path / "broken.xlam"
    with zipfile.ZipFile(xlwings_ribbon_addin()) as original, zipfile.ZipFile(broken, "w") as copy:
        for name in original.namelist():
            if name != "customUI/customUI.xml":
                copy.writestr(name, original.read(name))
    out = tmp_path / "out" / ADDIN_FILE_NAME
    with pytest.raises(ValueError, match="customUI"):
        build_addin(out, "en", INTERPRETER, source=broken)
    assert not out.exists()


def test_addins_dialog_shows_title_and_description(built: Path) -> None:
    # Excel's Add-ins dialog lists an add-in by its title and shows its description
    with zipfile.ZipFile(built) as package:
        core = ElementTree.fromstring(package.read("docProps/core.xml"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.findtext(f"{dc}title") == "clv_xl: valore del cliente nel tempo"
    assert core.findtext(f"{dc}description").startswith("Funzioni CLV (=CLV, =APV, =CAC...)")


def test_vba_project_references_the_office_library_of_iribboncontrol(built: Path) -> None:
    # the imported ClvRibbon callbacks declare "control As IRibbonControl": the type comes from
    # the Microsoft Office Object Library, which must be a reference of the project (dir stream)
    with zipfile.ZipFile(built) as package:
        project = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    try:
        directory = decompress_stream(bytearray(project.openstream("VBA/dir").read()))
    finally:
        project.close()
    assert b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in directory  # Office Object Library
    assert b"Microsoft Office 16.0 Object Library" in directory
