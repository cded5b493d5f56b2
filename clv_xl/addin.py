"""Build ``clv_xl.xlam``, the clv_xl Excel add-in, from the ribbon add-in xlwings ships.

This module only builds a file: it runs on any operating system and never talks to
Excel. The steps that need Excel (importing the function wrappers, installing the
add-in) live in :mod:`clv_xl.excel_windows`.

What the build starts from
--------------------------
xlwings ships ``quickstart_addin_ribbon.xlam`` (BSD-3-Clause, like all of xlwings
outside ``xlwings/pro``; its licence travels with the add-in as
``LICENSE-xlwings.txt``). It is a custom add-in whose VBA project holds:

* the module ``xlwings`` with ``RunPython``, the UDF server plumbing and the
  constant ``PROJECT_NAME = "myaddin"``; the settings are read from a sheet named
  ``PROJECT_NAME & ".conf"``, i.e. ``myaddin.conf`` (the shipped sheet is called
  ``_myaddin.conf``: the leading underscore switches it off);
* the module ``RibbonMyAddin`` with one ribbon callback, ``RunMain(control)``, which
  runs ``import <name>; <name>.main()`` where ``<name>`` is the add-in's file name
  without extension: for ``clv_xl.xlam`` that is ``clv_xl.main()``, the report.

The VBA source inside ``vbaProject.bin`` is not changed here (rewriting a compiled
VBA project without Excel is not reliable). What the build changes, part by part:

``customUI/customUI.xml``
    the "CLV" ribbon tab (:data:`RIBBON_BUTTONS`), labels in the chosen language;
``xl/worksheets/sheet1.xml``, ``xl/sharedStrings.xml``
    the settings sheet: interpreter of the virtual environment, ``UDF Modules`` =
    ``clv_xl.udfs`` (:func:`addin_settings`);
``xl/workbook.xml``
    the settings sheet renamed to ``myaddin.conf`` so that the VBA reads it, and the
    folder of the machine the original was saved on removed;
``docProps/core.xml``
    title and description, which Excel's Add-ins dialog shows.

The report button is wired to ``RibbonMyAddin.RunMain``, which the shipped VBA
project holds. The other buttons call :data:`RIBBON_MODULE_NAME`, a small VBA
module (:func:`ribbon_vba_module`) that the installer imports through Excel together
with the function wrappers: both need "Trust access to the VBA project object model".
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

from clv_xl.i18n import Language, Text

__all__ = [
    "ADDIN_FILE_NAME",
    "CONFIG_SHEET_NAME",
    "PROJECT_NAME",
    "RIBBON_BUTTONS",
    "RIBBON_MODULE_NAME",
    "UDF_MODULE",
    "XLWINGS_LICENCE_FILE_NAME",
    "RibbonButton",
    "addin_settings",
    "build_addin",
    "ribbon_vba_module",
    "ribbon_xml",
    "xlwings_ribbon_addin",
]

#: The add-in's file name; ``RibbonMyAddin.RunMain`` derives ``clv_xl.main()`` from it.
ADDIN_FILE_NAME = "clv_xl.xlam"
#: ``Public Const PROJECT_NAME`` in the ``xlwings`` VBA module of the shipped add-in.
PROJECT_NAME = "myaddin"
#: The sheet the add-in's VBA reads its settings from (``PROJECT_NAME & ".conf"``).
CONFIG_SHEET_NAME = f"{PROJECT_NAME}.conf"
#: The Python module whose functions are imported into the add-in.
UDF_MODULE = "clv_xl.udfs"
#: The VBA module with the ribbon callbacks, imported at install time.
RIBBON_MODULE_NAME = "ClvRibbon"
#: The xlwings licence, written next to every add-in built.
XLWINGS_LICENCE_FILE_NAME = "LICENSE-xlwings.txt"
#: Settings key (in the settings sheet) for the folder of the template workbooks; the VBA ignores it.
TEMPLATES_KEY = "CLV_XL_TEMPLATES"

_SOURCE_ADDIN = "quickstart_addin_ribbon.xlam"
_SHIPPED_CONFIG_SHEET_NAME = f"_{PROJECT_NAME}.conf"
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

    ``macro`` is the ``onAction`` callback (``Module.Sub``, a Sub taking
    ``control As IRibbonControl``). ``action`` is the name handed to
    :func:`clv_xl.excel_windows.on_button` when the callback lives in the
    :data:`RIBBON_MODULE_NAME` module; None when the macro is one of xlwings' own.
    """

    id: str
    label: Text
    screentip: Text
    image: str
    macro: str
    action: str | None = None


RIBBON_BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton(
        id="clvReport",
        label=Text("Build report", "Crea report"),
        screentip=Text(
            "Build the CLV report from the transactions of the active workbook (clv_xl.main()).",
            "Crea il report CLV dalle transazioni della cartella attiva (clv_xl.main()).",
        ),
        image="CreateReport",
        macro="RibbonMyAddin.RunMain",
    ),
    RibbonButton(
        id="clvNewWorkbook",
        label=Text("New from template", "Nuovo da modello"),
        screentip=Text(
            "Open a new workbook from one of the clv_xl templates.",
            "Apri una nuova cartella da uno dei modelli clv_xl.",
        ),
        image="FileNew",
        macro=f"{RIBBON_MODULE_NAME}.ClvNewWorkbook",
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
        macro=f"{RIBBON_MODULE_NAME}.ClvRefreshFunctions",
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


def ribbon_vba_module() -> str:
    """Source of the :data:`RIBBON_MODULE_NAME` VBA module (imported into the add-in at install).

    One ribbon callback per button with an ``action``; each runs
    ``clv_xl.excel_windows.on_button(action)`` through xlwings' ``RunPython``, which
    uses the interpreter of the settings sheet.
    """
    lines = [
        f'Attribute VB_Name = "{RIBBON_MODULE_NAME}"',
        "' Ribbon callbacks of the clv_xl add-in, written by clv_xl at install time.",
        "Option Explicit",
        "",
    ]
    for button in RIBBON_BUTTONS:
        if button.action is None:
            continue
        sub = button.macro.split(".", 1)[1]
        lines += [
            f"Sub {sub}(control As IRibbonControl)",
            "    If ActiveWorkbook Is Nothing Then Workbooks.Add  ' RunPython needs an active workbook",
            f"    RunPython \"import clv_xl.excel_windows; clv_xl.excel_windows.on_button('{button.action}')\"",
            "End Sub",
            "",
        ]
    return "\r\n".join(lines)


def addin_settings(interpreter: str, templates_dir: str = "") -> dict[str, str | bool]:
    """The rows of the add-in's settings sheet, in order (key in column A, value in B).

    The keys are those of the shipped sheet (read by the ``GetConfig`` function of the
    ``xlwings`` VBA module, case-insensitively), plus :data:`TEMPLATES_KEY`.
    ``Interpreter_Win`` is the ``python.exe`` of the virtual environment: ``RunPython``
    and the UDF server both start it, and the UDF server finds xlwings' DLL next to it.
    """
    return {
        "Interpreter_Win": interpreter,
        "Interpreter_Mac": "",
        "PYTHONPATH": "",
        "Conda Path": "",
        "Conda Env": "",
        "UDF Modules": UDF_MODULE,
        "Debug UDFs": False,
        "Use UDF Server": False,
        "Show Console": False,
        TEMPLATES_KEY: templates_dir,
    }


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
    text = text.replace(old, f'name="{CONFIG_SHEET_NAME}"')
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
        The ``.xlam`` to write. Its name should be :data:`ADDIN_FILE_NAME`: the
        report button runs ``<file name>.main()``.
    language
        Language of the ribbon labels.
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
