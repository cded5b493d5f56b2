"""Build ``clv_xl.xlam``, the clv_xl Excel add-in, from the ribbon add-in xlwings ships.

This module only builds (and reads) a file: it runs on any operating system and never
talks to Excel. The steps that need Excel (importing the VBA modules, installing the
add-in) live in :mod:`clv_xl.excel_windows`.

What the build starts from
--------------------------
xlwings ships ``quickstart_addin_ribbon.xlam`` (BSD-3-Clause, like all of xlwings
outside ``xlwings/pro``; its licence travels with the add-in as
``LICENSE-xlwings.txt``). It is a custom add-in whose VBA project holds:

* the module ``xlwings`` with ``RunPython``, the UDF server plumbing and the
  constant ``PROJECT_NAME = "myaddin"``. ``GetConfig`` looks a setting up in layers:
  a sheet ``PROJECT_NAME & ".conf"`` of the *active* workbook, the same sheet of the
  add-in, a file ``myaddin.conf`` in the active workbook's folder, then
  ``%USERPROFILE%\\.myaddin\\myaddin.conf``, which every other quickstart add-in
  shares. The shipped sheet is called ``_myaddin.conf`` (the underscore switches it off);
* the module ``RibbonMyAddin`` with one ribbon callback, ``RunMain``, which runs
  ``<file name>.main()`` and reads ``ActiveWorkbook`` without a guard.

The compiled VBA project inside ``vbaProject.bin`` is not changed here (rewriting it
without Excel is not reliable). What the build changes, part by part:

``customUI/customUI.xml``
    the "CLV" ribbon tab (:data:`RIBBON_BUTTONS`), labels in the chosen language; every
    button calls a Sub of :data:`RIBBON_MODULE_NAME`;
``xl/worksheets/sheet1.xml``, ``xl/sharedStrings.xml``
    the settings sheet (:func:`addin_settings`): the interpreter of the virtual
    environment, ``UDF Modules`` = ``clv_xl.udfs``, and a value for *every* key the VBA
    asks for, so that no lookup falls through to the shared files above (and to
    ``GetFullName(ActiveWorkbook)``, which fails without an active workbook);
    ``ADD_WORKBOOK_TO_PYTHONPATH`` is False, so xlwings never tries to turn the https
    name of a OneDrive or SharePoint workbook into a folder;
``xl/workbook.xml``
    the settings sheet renamed to ``myaddin.conf`` so that the shipped VBA reads it,
    and the folder of the machine the original was saved on removed;
``docProps/core.xml``
    title and description, which Excel's Add-ins dialog shows.

What the installation changes through Excel
-------------------------------------------
:func:`clv_xl.excel_windows.import_into_addin` imports :func:`ribbon_vba_module` and
the function wrappers (xlwings' generator, each wrapper guarded by
:func:`guard_function_wrappers`), and gives the add-in its own project name: the
constant becomes ``PROJECT_NAME = "clv_xl"`` (:func:`project_name_line`) and the sheet
:data:`CONFIG_SHEET_NAME`, so the optional layers are ``clv_xl.conf`` files that no
other add-in reads or writes.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from defusedxml.ElementTree import fromstring

from clv_xl.errors import ExcelErrorCode
from clv_xl.i18n import Language, Text, message
from clv_xl.ooxml import MAIN_NAMESPACE, related_parts, sheet_part

__all__ = [
    "ADDIN_FILE_NAME",
    "BUILT_CONFIG_SHEET_NAME",
    "CONFIG_SHEET_NAME",
    "FUNCTIONS_MODULE_NAME",
    "PROJECT_NAME",
    "RIBBON_BUTTONS",
    "RIBBON_MODULE_NAME",
    "SHIPPED_PROJECT_NAME",
    "SUPPORTED_XLWINGS",
    "TEMPLATES_KEY",
    "UDF_MODULE",
    "XLWINGS_LICENCE_FILE_NAME",
    "RibbonButton",
    "addin_settings",
    "build_addin",
    "guard_function_wrappers",
    "project_name_line",
    "read_addin_settings",
    "ribbon_vba_module",
    "ribbon_xml",
    "vba_string",
    "xlwings_ribbon_addin",
]

#: The add-in's file name.
ADDIN_FILE_NAME = "clv_xl.xlam"
#: ``Public Const PROJECT_NAME`` in the ``xlwings`` VBA module as xlwings ships it (and in the built file).
SHIPPED_PROJECT_NAME = "myaddin"
#: The project name the installation writes into that constant: clv_xl's own settings layers.
PROJECT_NAME = "clv_xl"
#: The settings sheet of the built add-in, read by the shipped VBA (``PROJECT_NAME & ".conf"``).
BUILT_CONFIG_SHEET_NAME = f"{SHIPPED_PROJECT_NAME}.conf"
#: The settings sheet of the installed add-in (renamed together with the constant).
CONFIG_SHEET_NAME = f"{PROJECT_NAME}.conf"
#: The Python module whose functions are imported into the add-in.
UDF_MODULE = "clv_xl.udfs"
#: The VBA module with the ribbon callbacks, imported at install time.
RIBBON_MODULE_NAME = "ClvRibbon"
#: The VBA module with the function wrappers (the name xlwings' own import gives it).
FUNCTIONS_MODULE_NAME = "xlwings_udfs"
#: The xlwings licence, written next to every add-in built.
XLWINGS_LICENCE_FILE_NAME = "LICENSE-xlwings.txt"
#: Settings key (in the settings sheet) for the folder of the template workbooks; the VBA ignores it.
TEMPLATES_KEY = "CLV_XL_TEMPLATES"

#: The xlwings versions whose ribbon add-in (parts, settings sheet, VBA modules) this build is tested with;
#: pyproject.toml's dependency says the same (a test checks it).
SUPPORTED_XLWINGS = ">=0.33,<0.38"

_SOURCE_ADDIN = "quickstart_addin_ribbon.xlam"
_SHIPPED_CONFIG_SHEET_NAME = f"_{SHIPPED_PROJECT_NAME}.conf"
_CUSTOM_UI_PART = "customUI/customUI.xml"
_CONFIG_SHEET_PART = "xl/worksheets/sheet1.xml"
_SHARED_STRINGS_PART = "xl/sharedStrings.xml"
_WORKBOOK_PART = "xl/workbook.xml"
_CORE_PROPERTIES_PART = "docProps/core.xml"

_SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"


@dataclass(frozen=True)
class RibbonButton:
    """A button of the CLV ribbon tab.

    Its ``onAction`` callback is the Sub ``sub`` of :data:`RIBBON_MODULE_NAME`
    (:func:`ribbon_vba_module`), which runs :attr:`python` through xlwings'
    ``RunPython``. ``action`` is the name handed to
    :func:`clv_xl.excel_windows.on_button`; None for the report, which runs
    ``clv_xl.main()``. ``RunPython`` reads the active workbook: a button that
    ``needs_workbook`` (the report works on the user's data) says so when none is
    active, the others open a blank one.
    """

    id: str
    label: Text
    screentip: Text
    image: str
    sub: str
    action: str | None = None
    needs_workbook: bool = False

    @property
    def macro(self) -> str:
        """The ``onAction`` of the button: ``ClvRibbon.<sub>``."""
        return f"{RIBBON_MODULE_NAME}.{self.sub}"

    @property
    def python(self) -> str:
        """The Python statement the callback runs (no double quotes: it sits in a VBA string)."""
        if self.action is None:
            return "import clv_xl; clv_xl.main()"
        return f"import clv_xl.excel_windows; clv_xl.excel_windows.on_button('{self.action}')"


RIBBON_BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton(
        id="clvReport",
        label=Text("Build report", "Crea report"),
        screentip=Text(
            "Build the CLV report from the transactions of the active workbook (clv_xl.main()).",
            "Crea il report CLV dalle transazioni della cartella attiva (clv_xl.main()).",
        ),
        image="CreateReport",
        sub="ClvReport",
        needs_workbook=True,
    ),
    RibbonButton(
        id="clvNewWorkbook",
        label=Text("New from template", "Nuovo da modello"),
        screentip=Text(
            "Open a new workbook from one of the clv_xl templates.",
            "Apri una nuova cartella da uno dei modelli clv_xl.",
        ),
        image="FileNew",
        sub="ClvNewWorkbook",
        action="new_workbook",
    ),
    RibbonButton(
        id="clvRefreshFunctions",
        label=Text("Refresh functions", "Aggiorna funzioni"),
        screentip=Text(
            "Import the CLV functions into the add-in again (after an update of clv_xl).",
            "Importa di nuovo le funzioni CLV nel componente aggiuntivo (dopo un aggiornamento di clv_xl).",
        ),
        image="Refresh",
        sub="ClvRefreshFunctions",
        action="refresh_functions",
    ),
)

_GROUP_LABEL = Text("Customer lifetime value", "Valore del cliente nel tempo")
#: Shown by Excel's Add-ins dialog: the title names the add-in, the description is shown below the list.
_TITLE = Text("clv_xl: customer lifetime value", "clv_xl: valore del cliente nel tempo")
_DESCRIPTION = Text(
    "CLV functions (=CLV, =APV, =CAC...) and the CLV ribbon tab.",
    "Funzioni CLV (=CLV, =APV, =CAC...) e la scheda CLV della barra multifunzione.",
)


def xlwings_ribbon_addin() -> Path:
    """The ribbon add-in shipped inside the installed xlwings package."""
    import xlwings

    path = Path(xlwings.__file__).with_name(_SOURCE_ADDIN)
    if not path.is_file():
        raise FileNotFoundError(f"{_SOURCE_ADDIN} is missing from the xlwings package at {path.parent}")
    return path


def ribbon_xml(language: Language) -> bytes:
    """The ribbon of the add-in: a "CLV" tab with :data:`RIBBON_BUTTONS`, in ``language``."""
    ElementTree.register_namespace("", _CUSTOM_UI_NS)
    root = ElementTree.Element(f"{{{_CUSTOM_UI_NS}}}customUI")
    tabs = ElementTree.SubElement(
        ElementTree.SubElement(root, f"{{{_CUSTOM_UI_NS}}}ribbon"), f"{{{_CUSTOM_UI_NS}}}tabs"
    )
    tab = ElementTree.SubElement(tabs, f"{{{_CUSTOM_UI_NS}}}tab", id="clvTab", label="CLV")
    group = ElementTree.SubElement(tab, f"{{{_CUSTOM_UI_NS}}}group", id="clvGroup", label=_GROUP_LABEL(language))
    for button in RIBBON_BUTTONS:
        ElementTree.SubElement(
            group,
            f"{{{_CUSTOM_UI_NS}}}button",
            id=button.id,
            label=button.label(language),
            screentip=button.screentip(language),
            size="large",
            onAction=button.macro,
            imageMso=button.image,
        )
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def vba_string(text: str) -> str:
    """A VBA expression of ``text`` written in ASCII only: ``"Perch" & ChrW(233)``.

    Excel imports a ``.bas`` file in the ANSI code page of the PC, so a module written
    in one code page and imported on a PC with another would garble its accents;
    ``ChrW`` gives the character by its Unicode number on every PC.
    """
    parts: list[str] = []
    run = ""
    for character in text:
        if 32 <= ord(character) < 127:
            run += '""' if character == '"' else character
            continue
        if run:
            parts.append(f'"{run}"')
            run = ""
        parts.append(f"ChrW({ord(character)})")
    if run or not parts:
        parts.append(f'"{run}"')
    return " & ".join(parts)


def ribbon_vba_module(language: Language) -> str:
    """Source of the :data:`RIBBON_MODULE_NAME` VBA module (imported into the add-in at install).

    One ribbon callback per button of :data:`RIBBON_BUTTONS`; each runs its
    :attr:`RibbonButton.python` through xlwings' ``RunPython``, which uses the
    interpreter of the settings sheet. ``RunPython`` reads ``ActiveWorkbook``, which is
    Nothing with no workbook open or while a workbook in Protected View has the focus
    (VBA's run-time error 91): every callback checks it first. Messages are in
    ``language``, the language of the installation.
    """
    lines = [
        f'Attribute VB_Name = "{RIBBON_MODULE_NAME}"',
        "' Ribbon callbacks of the clv_xl add-in, written by clv_xl at install time.",
        "Option Explicit",
        "",
    ]
    for button in RIBBON_BUTTONS:
        lines.append(f"Sub {button.sub}(control As IRibbonControl)")
        if button.needs_workbook:
            text = message("no_active_workbook", language, button=button.label(language))
            lines += [
                "    If ActiveWorkbook Is Nothing Then",
                f'        MsgBox {vba_string(text)}, vbExclamation, "clv_xl"',
                "        Exit Sub",
                "    End If",
            ]
        else:
            lines.append("    If ActiveWorkbook Is Nothing Then Workbooks.Add  ' RunPython reads the active workbook")
        lines += [f'    RunPython "{button.python}"', "End Sub", ""]
    return "\r\n".join(lines)


def guard_function_wrappers(vba: str, language: Language) -> str:
    """The function wrappers written by xlwings' generator, each guarded against no active workbook.

    xlwings' wrapper hands ``ActiveWorkbook`` to the UDF server, whose start-up command
    reads ``ActiveWorkbook.FullName``: with no active workbook (Excel calculating while
    a workbook in Protected View has the focus, or before the first workbook is
    active) that is VBA's run-time error 91. The guard, the first line of every
    ``Function``, returns a ``#N/A`` text that says what happened instead.

    Raises
    ------
    ValueError
        When ``vba`` holds no ``Function`` line (an unknown generator layout).
    """
    text = f"{ExcelErrorCode.NA.localised(language)} {message('no_active_workbook_cell', language)}"
    literal = vba_string(text)

    def with_guard(match: re.Match[str]) -> str:
        return f"{match.group(0)}    If ActiveWorkbook Is Nothing Then {match.group(1)} = {literal}: Exit Function\n"

    guarded, count = re.subn(r"^Function (\w+)\(.*\)\n", with_guard, vba, flags=re.M)
    if not count:
        raise ValueError("no Function in the generated VBA: unsupported xlwings version")
    return guarded


def project_name_line(name: str) -> str:
    """The declaration of the project name in the ``xlwings`` VBA module."""
    return f'Public Const PROJECT_NAME As String = "{name}"'


def addin_settings(interpreter: str, templates_dir: str = "") -> dict[str, str | bool]:
    """The rows of the add-in's settings sheet, in order (key in column A, value in B).

    Every key the shipped ``xlwings`` VBA module asks ``GetConfig`` for is given a
    value here (an empty value counts as found): a key missing from the sheet would be
    looked up in the active workbook's folder and in ``%USERPROFILE%``'s file shared by
    every quickstart add-in, and that lookup reads ``ActiveWorkbook`` unguarded.
    ``Interpreter_Win`` (and the legacy ``Interpreter``) is the ``python.exe`` of the
    virtual environment: ``RunPython`` and the UDF server both start it, and the UDF
    server finds xlwings' DLL next to it. ``ADD_WORKBOOK_TO_PYTHONPATH`` is False: clv_xl
    is installed in the environment, and for a OneDrive or SharePoint workbook xlwings
    would try to map its https name to a folder and fail. ``TEMP DIR`` is ``%TEMP%``
    (the VBA's own default; it expands environment variables). :data:`TEMPLATES_KEY` is
    read by the "new from template" button only.
    """
    return {
        "Interpreter_Win": interpreter,
        "Interpreter": interpreter,
        "Interpreter_Mac": "",
        "PYTHONPATH": "",
        "Conda Path": "",
        "Conda Env": "",
        "UDF Modules": UDF_MODULE,
        "Debug UDFs": False,
        "Use UDF Server": False,
        "Show Console": False,
        "ADD_WORKBOOK_TO_PYTHONPATH": False,
        "ONEDRIVE_CONSUMER_WIN": "",
        "ONEDRIVE_COMMERCIAL_WIN": "",
        "SHAREPOINT_WIN": "",
        "ONEDRIVE_CONSUMER_MAC": "",
        "ONEDRIVE_COMMERCIAL_MAC": "",
        "SHAREPOINT_MAC": "",
        "LICENSE_KEY": "",
        "SHOW_ERROR_POPUPS": True,
        "TEMP DIR": "%TEMP%",
        TEMPLATES_KEY: templates_dir,
    }


def read_addin_settings(path: Path) -> tuple[str, dict[str, str | bool | float | None]]:
    """The settings sheet of an add-in file: its name and its rows (key -> value).

    Reads the package as it is on disk (a built add-in, or the installed one that Excel
    saved): the sheet :data:`CONFIG_SHEET_NAME`, else :data:`BUILT_CONFIG_SHEET_NAME`,
    found through the workbook's relationships. Keys keep their spelling; an empty
    value cell is None.

    Raises
    ------
    ValueError
        When the file has neither settings sheet.
    """
    with zipfile.ZipFile(path) as package:
        for name in (CONFIG_SHEET_NAME, BUILT_CONFIG_SHEET_NAME):
            part = sheet_part(package, name)
            if part is not None:
                break
        else:
            raise ValueError(f"{path} has no sheet {CONFIG_SHEET_NAME!r} or {BUILT_CONFIG_SHEET_NAME!r}")
        strings = [
            "".join(text.text or "" for text in item.iter(f"{MAIN_NAMESPACE}t"))
            for shared in related_parts(package, "/sharedStrings")
            for item in fromstring(package.read(shared), forbid_dtd=True)
        ]
        sheet = fromstring(package.read(part), forbid_dtd=True)
    rows: dict[str, str | bool | float | None] = {}
    for row in sheet.iter(f"{MAIN_NAMESPACE}row"):
        cells = {
            cell.get("r", "").rstrip("0123456789"): _cell_value(cell, strings)
            for cell in row.iter(f"{MAIN_NAMESPACE}c")
        }
        key = cells.get("A")
        if isinstance(key, str) and key:
            rows[key] = cells.get("B")
    return name, rows


def _cell_value(cell: ElementTree.Element, strings: Sequence[str]) -> str | bool | float | None:
    """The value of one sheet cell: shared or inline text, logical value, or number."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(text.text or "" for text in cell.iter(f"{MAIN_NAMESPACE}t"))
    raw = cell.findtext(f"{MAIN_NAMESPACE}v")
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "b":
        return raw == "1"
    if kind in ("str", "e"):
        return raw
    return float(raw)


def _settings_sheet_parts(original_sheet: bytes, settings: Mapping[str, str | bool]) -> tuple[bytes, bytes]:
    """New ``sheet1.xml`` and ``sharedStrings.xml`` holding ``settings`` from A1 down.

    The shipped sheet's formatting (column widths, style 1) is kept; only its cells
    change, edited as text: an XML round trip would drop the namespace declarations
    that ``mc:Ignorable`` names, and Excel rejects such a part. Empty values are left
    out as cells (an empty cell reads as "").
    """
    strings: list[str] = []

    def string_cell(reference: str, text: str) -> str:
        if text not in strings:
            strings.append(text)
        return f'<c r="{reference}" s="1" t="s"><v>{strings.index(text)}</v></c>'

    rows = []
    for number, (key, value) in enumerate(settings.items(), start=1):
        cells = string_cell(f"A{number}", key)
        if isinstance(value, bool):
            cells += f'<c r="B{number}" s="1" t="b"><v>{int(value)}</v></c>'
        elif value:
            cells += string_cell(f"B{number}", value)
        rows.append(f'<row r="{number}">{cells}</row>')
    sheet = original_sheet.decode("utf-8")
    sheet, replaced = re.subn(
        r"<sheetData\s*/>|<sheetData>.*?</sheetData>",
        f"<sheetData>{''.join(rows)}</sheetData>",
        sheet,
        count=1,
        flags=re.S,
    )
    if not replaced:
        raise ValueError("the shipped settings sheet has no sheetData: unsupported xlwings version")
    sheet = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:B{len(settings)}"', sheet)
    sheet = re.sub(r'activeCell="[^"]*"', 'activeCell="A1"', sheet)
    sheet = re.sub(r'sqref="[^"]*"', 'sqref="A1"', sheet)
    items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="{_SPREADSHEET_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )
    return sheet.encode("utf-8"), sst.encode("utf-8")


def _workbook_part(original: bytes) -> bytes:
    """``workbook.xml`` with the settings sheet switched on and no foreign folder in it.

    Edited as text: the part declares namespaces (``mc:Ignorable`` prefixes) that an
    XML round trip would drop.
    """
    text = original.decode("utf-8")
    old = f'name="{_SHIPPED_CONFIG_SHEET_NAME}"'
    if old not in text:
        raise ValueError(f"the xlwings add-in has no sheet {_SHIPPED_CONFIG_SHEET_NAME!r}: unsupported xlwings version")
    text = text.replace(old, f'name="{BUILT_CONFIG_SHEET_NAME}"')
    text = re.sub(r"<mc:AlternateContent\b(?:(?!</mc:AlternateContent>).)*absPath.*?</mc:AlternateContent>", "", text)
    return text.encode("utf-8")


def _core_properties_part(original: bytes, language: Language) -> bytes:
    """``core.xml`` with the add-in's title and description (edited as text, like the workbook part)."""
    text = original.decode("utf-8")
    for tag, value in (("dc:title", _TITLE(language)), ("dc:description", _DESCRIPTION(language))):
        text = re.sub(rf"<{tag}\s*/>|<{tag}>.*?</{tag}>", f"<{tag}>{escape(value)}</{tag}>", text, count=1, flags=re.S)
    return text.encode("utf-8")


def build_addin(
    out: Path,
    language: Language,
    interpreter: str,
    templates_dir: str = "",
    source: Path | None = None,
) -> Path:
    """Write the clv_xl add-in to ``out`` and the xlwings licence next to it.

    Parameters
    ----------
    out
        The ``.xlam`` to write, normally :data:`ADDIN_FILE_NAME`.
    language
        Language of the ribbon labels and the add-in's title.
    interpreter
        ``python.exe`` of the environment clv_xl is installed in (as seen by Excel).
    templates_dir
        Folder of the template workbooks, for the "new from template" button.
    source
        The xlwings ribbon add-in to start from; default: the one of the installed xlwings.

    Returns
    -------
    Path
        ``out``. The file is written to a temporary name in the same folder and
        renamed, so a failed build never leaves half a file.
    """
    source = source or xlwings_ribbon_addin()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
        infos = original.infolist()
    missing = [p for p in (_CUSTOM_UI_PART, _CONFIG_SHEET_PART, _SHARED_STRINGS_PART, _WORKBOOK_PART) if p not in parts]
    if missing:
        raise ValueError(f"{source} lacks {', '.join(missing)}: unsupported xlwings version")
    parts[_CUSTOM_UI_PART] = ribbon_xml(language)
    parts[_CONFIG_SHEET_PART], parts[_SHARED_STRINGS_PART] = _settings_sheet_parts(
        parts[_CONFIG_SHEET_PART], addin_settings(interpreter, templates_dir)
    )
    parts[_WORKBOOK_PART] = _workbook_part(parts[_WORKBOOK_PART])
    if _CORE_PROPERTIES_PART in parts:
        parts[_CORE_PROPERTIES_PART] = _core_properties_part(parts[_CORE_PROPERTIES_PART], language)

    descriptor, temporary_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as built:
            for info in _content_types_first(infos):
                built.writestr(_fresh_info(info), parts[info.filename])
        temporary.replace(out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _write_xlwings_licence(out.parent)
    return out


def _content_types_first(infos: Sequence[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Zip entries with ``[Content_Types].xml`` first, as Office writes them."""
    return sorted(infos, key=lambda info: info.filename != "[Content_Types].xml")


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    return fresh


def _write_xlwings_licence(folder: Path) -> Path:
    """Copy the xlwings licence (BSD-3-Clause) next to the add-in built from its file."""
    target = folder / XLWINGS_LICENCE_FILE_NAME
    with resources.as_file(resources.files("clv_xl").joinpath(XLWINGS_LICENCE_FILE_NAME)) as licence:
        shutil.copyfile(licence, target)
    return target
