"""Everything of clv_xl that needs Windows and desktop Excel: one module, imported lazily.

* the registry: which Excel is installed (version, executable, Microsoft Store or not),
  and the "Trust access to the VBA project object model" option (``AccessVBOM``) that
  importing modules into a workbook needs;
* the install step: open the add-in built by :func:`clv_xl.addin.build_addin` in a
  hidden Excel, import the ribbon callbacks and the function wrappers into it and give
  it its own project name (:func:`import_into_addin`), save it, and install it into the
  user's XLSTART folder as ``xlwings addin install --file`` does;
* the ribbon buttons' Python side (:func:`on_button`), run by the add-in through
  xlwings' ``RunPython``.

Nothing here is imported at module level from pywin32, xlwings' Windows modules or
``winreg``: the imports are inside the functions, so this module can be imported (and
its COM-free parts tested) on any system. Registry functions take the registry module
as an argument for the same reason.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from clv_xl.addin import (
    ADDIN_FILE_NAME,
    BUILT_CONFIG_SHEET_NAME,
    CONFIG_SHEET_NAME,
    FUNCTIONS_MODULE_NAME,
    PROJECT_NAME,
    RIBBON_MODULE_NAME,
    TEMPLATES_KEY,
    UDF_MODULE,
    guard_function_wrappers,
    project_name_line,
    ribbon_vba_module,
)
from clv_xl.i18n import LANGUAGE_VARIABLE, Language, current_language, message

__all__ = [
    "AddinInstallError",
    "InstallRecord",
    "excel_executable",
    "excel_version",
    "executable_bits",
    "functions_vba_module",
    "import_into_addin",
    "install",
    "is_store_app",
    "on_button",
    "trust_registry_value",
    "uninstall",
    "vba_trust",
]

_TRUST_KEY = r"Software\Microsoft\Office\{version}\Excel\Security"
_TRUST_POLICY_KEY = r"Software\Policies\Microsoft\Office\{version}\Excel\Security"
_TRUST_VALUE = "AccessVBOM"
#: The class id of Excel.Application; its LocalServer32 is the EXCEL.EXE that COM starts.
_EXCEL_SERVER_KEY = r"CLSID\{00024500-0000-0000-C000-000000000046}\LocalServer32"
#: The line of the ``xlwings`` VBA module that names the project (and so its settings sheet and files).
_PROJECT_NAME_PATTERN = re.compile(r'^\s*Public Const PROJECT_NAME As String = "[^"]*"\s*$')


class AddinInstallError(Exception):
    """A step of the Windows installation failed; the message says what to do."""

    def __init__(self, key: str, language: Language, **params: Any) -> None:
        self.key = key
        super().__init__(message(key, language, **params))


@dataclass
class InstallRecord:
    """What :func:`install` changed on this PC, so that :func:`uninstall` undoes exactly that.

    ``vba_trust_changed`` and ``vba_trust_previous`` describe the *first* installation
    that changed ``AccessVBOM`` (of Excel ``excel_version``): a later installation finds
    the option on and keeps that record, so the uninstallation restores the value the
    user had before clv_xl, not "on".
    """

    addin: str
    excel_version: str
    vba_trust_changed: bool = False
    vba_trust_previous: int | None = None

    def save(self, path: Path) -> None:
        """Write the record as JSON (to a temporary file in the same folder, then renamed)."""
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> InstallRecord:
        """The record written by :meth:`save` at ``path`` (unknown keys are ignored)."""
        values = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})


def _winreg() -> Any:
    import winreg

    return winreg


def excel_version(registry: Any = None) -> str | None:
    """The version of the installed desktop Excel (``"16.0"``), from ``HKCR\\Excel.Application\\CurVer``."""
    registry = registry or _winreg()
    try:
        current = registry.QueryValue(registry.HKEY_CLASSES_ROOT, r"Excel.Application\CurVer")
    except OSError:
        return None
    number = current.rsplit(".", 1)[-1]  # "Excel.Application.16"
    return f"{number}.0" if number.isdigit() else None


def excel_executable(registry: Any = None) -> str | None:
    """The ``EXCEL.EXE`` that COM starts for ``Excel.Application``, or None.

    Read from the class's ``LocalServer32``, e.g. ``C:\\Program Files\\Microsoft
    Office\\Root\\Office16\\EXCEL.EXE /automation`` (not always quoted, although the
    folder has spaces): the path ends at ``.exe``.
    """
    registry = registry or _winreg()
    try:
        command = registry.QueryValue(registry.HKEY_CLASSES_ROOT, _EXCEL_SERVER_KEY)
    except OSError:
        return None
    found = re.match(r'\s*"?(.+?\.exe)\b', command or "", re.I)
    return found.group(1) if found else None


def is_store_app(path: str) -> bool:
    """True for a program installed from the Microsoft Store (it lives under ``WindowsApps``).

    Python from the Store redirects its environments' files into a private folder
    that Excel cannot see (cpython #85368, xlwings #2371); Excel from the Store cannot
    activate the Python COM server of the functions (xlwings #1166, #1476).
    """
    parts = [part.lower() for part in re.split(r"[\\/]+", path)]
    return "windowsapps" in parts or any(part.startswith("pythonsoftwarefoundation.") for part in parts)


def executable_bits(path: Path) -> int | None:
    """32 or 64: the bitness of a Windows program, read from its PE header; None if unreadable.

    The header's machine field: 0x014C (x86) is 32-bit; 0x8664 (x64) and 0xAA64
    (ARM64) are 64-bit (Microsoft PE/COFF specification, "Machine Types").
    """
    try:
        with open(path, "rb") as program:
            head = program.read(4096)
    except OSError:
        return None
    if head[:2] != b"MZ" or len(head) < 64:
        return None
    offset = int.from_bytes(head[60:64], "little")
    if head[offset : offset + 4] != b"PE\0\0":
        return None
    machine = int.from_bytes(head[offset + 4 : offset + 6], "little")
    return {0x014C: 32, 0x8664: 64, 0xAA64: 64}.get(machine)


def _read_dword(registry: Any, key: str) -> int | None:
    try:
        with registry.OpenKey(registry.HKEY_CURRENT_USER, key) as handle:
            value, _kind = registry.QueryValueEx(handle, _TRUST_VALUE)
            return int(value)
    except OSError:
        return None


def vba_trust(version: str, registry: Any = None) -> tuple[bool, bool, int | None]:
    """Whether Excel trusts programs with the VBA project object model, for the current user.

    Returns ``(trusted, forced_by_policy, user_value)``: a group policy value under
    ``HKCU\\Software\\Policies`` wins over the user's own ``AccessVBOM``; the user
    value is None when it was never set (Excel's default: off).
    """
    registry = registry or _winreg()
    policy = _read_dword(registry, _TRUST_POLICY_KEY.format(version=version))
    user = _read_dword(registry, _TRUST_KEY.format(version=version))
    if policy is not None:
        return bool(policy), True, user
    return bool(user), False, user


def trust_registry_value(version: str) -> str:
    """The registry value of the VBA trust option, as a user finds it in regedit."""
    return "HKCU\\" + _TRUST_KEY.format(version=version) + "\\" + _TRUST_VALUE


def _set_vba_trust(version: str, value: int | None, registry: Any = None) -> None:
    """Set the user's ``AccessVBOM`` to ``value`` (None deletes it, back to Excel's default)."""
    registry = registry or _winreg()
    key = _TRUST_KEY.format(version=version)
    with registry.CreateKeyEx(registry.HKEY_CURRENT_USER, key, 0, registry.KEY_SET_VALUE) as handle:
        if value is None:
            try:
                registry.DeleteValue(handle, _TRUST_VALUE)
            except OSError:
                pass
        else:
            registry.SetValueEx(handle, _TRUST_VALUE, 0, registry.REG_DWORD, value)


# ---------------------------------------------------------------- the VBA of the add-in


class _Named:
    """What xlwings' VBA generator reads of a workbook: its name (an add-in gets ``ActiveWorkbook``)."""

    def __init__(self, name: str) -> None:
        self.Name = name


def functions_vba_module(workbook_name: str, language: Language) -> str:
    """The :data:`~clv_xl.addin.FUNCTIONS_MODULE_NAME` VBA module: one wrapper per Excel function.

    The wrappers are written by xlwings' own generator (``generate_vba_wrapper``, the
    code behind its "Import Functions"), from the metadata that :mod:`clv_xl.udfs`
    registers; for a function with ``call_in_wizard=False`` it writes the Function
    Wizard guard. Each wrapper then gets the no-active-workbook guard of
    :func:`clv_xl.addin.guard_function_wrappers`, its message in ``language``.
    """
    from xlwings.udfs import generate_vba_wrapper

    import clv_xl.udfs

    buffer = io.StringIO()
    buffer.write(f'Attribute VB_Name = "{FUNCTIONS_MODULE_NAME}"\n')
    buffer.write("' The CLV functions, written by clv_xl at install time with xlwings' generator; changes are lost.\n")
    buffer.write('#Const App = "Microsoft Excel"\n')
    generate_vba_wrapper(UDF_MODULE, clv_xl.udfs, buffer, _Named(workbook_name))
    return guard_function_wrappers(buffer.getvalue(), language)


def _import_module(components: Any, name: str, source: str, work_dir: Path) -> None:
    """Replace (or add) the VBA module ``name`` of a project with ``source``, through Excel.

    The file is written in ASCII with Windows line ends (the modules are ASCII by
    construction: :func:`clv_xl.addin.vba_string`); ``VBComponents.Import`` names the
    module after its ``Attribute VB_Name`` line.
    """
    from pywintypes import com_error

    module_file = work_dir / f"{name}.bas"
    module_file.write_bytes(source.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii"))
    try:
        components.Remove(components(name))
    except com_error:
        pass  # first installation: nothing to replace
    components.Import(str(module_file))


def _register_function_help(xl_workbook: Any) -> int:
    """Describe every function to Excel's Function Wizard (``Application.MacroOptions``).

    The same call as xlwings' ``import_udfs``: the description, the category and, from
    Excel 2010 (version 14) on, one help text per argument, each cut to Excel's 255
    characters; the texts come from each function's ``__xlfunc__``. Returns the number
    of functions described.
    """
    import clv_xl.udfs

    major = int(re.split(r"[,.]", str(xl_workbook.Application.Version))[0])
    count = 0
    for name in dir(clv_xl.udfs):
        function = getattr(clv_xl.udfs, name)
        meta = getattr(function, "__xlfunc__", None)
        if meta is None:
            continue
        macro = f"'{xl_workbook.Name}'!{meta['name']}"
        if major >= 14:
            help_texts = [argument["doc"][:255] for argument in meta["args"] if not argument["vba"]]
            xl_workbook.Application.MacroOptions(
                macro,
                Description=meta["ret"]["doc"][:255],
                HasMenu=False,
                MenuText=None,
                HasShortcutKey=False,
                ShortcutKey=None,
                Category=meta["category"],
                StatusBar=None,
                HelpContextID=None,
                HelpFile=None,
                ArgumentDescriptions=help_texts or None,
            )
        else:
            xl_workbook.Application.MacroOptions(macro, Description=meta["ret"]["doc"][:255])
        count += 1
    return count


def _rename_project(xl_workbook: Any) -> None:
    """Give the add-in its own project name: the ``PROJECT_NAME`` constant and the settings sheet.

    xlwings' quickstart add-ins all say ``myaddin``; their VBA then reads settings
    from ``%USERPROFILE%\\.myaddin\\myaddin.conf`` and from any sheet ``myaddin.conf``
    of the active workbook, which other add-ins may have written. The constant line is
    rewritten through the VBA editor's object model and the sheet renamed to match.

    Raises
    ------
    ValueError
        When the ``xlwings`` module has no such constant (an unsupported xlwings).
    """
    code = xl_workbook.VBProject.VBComponents("xlwings").CodeModule
    lines = str(code.Lines(1, code.CountOfLines)).splitlines()
    number = next((i for i, line in enumerate(lines, start=1) if _PROJECT_NAME_PATTERN.match(line)), None)
    if number is None:
        raise ValueError("the xlwings VBA module declares no PROJECT_NAME: unsupported xlwings version")
    code.ReplaceLine(number, project_name_line(PROJECT_NAME))
    names = [sheet.Name for sheet in xl_workbook.Worksheets]
    if CONFIG_SHEET_NAME not in names:
        xl_workbook.Worksheets(BUILT_CONFIG_SHEET_NAME).Name = CONFIG_SHEET_NAME


def import_into_addin(xl_workbook: Any, work_dir: Path, language: Language, refresh: bool = False) -> int:
    """Import the ribbon callbacks and the CLV function wrappers into an open add-in.

    ``xl_workbook`` is the COM object of the open ``clv_xl.xlam``. At installation the
    ribbon module (:func:`clv_xl.addin.ribbon_vba_module`) replaces any earlier copy
    and the project gets its own name (:func:`_rename_project`); with ``refresh``
    (the *Refresh functions* button, which runs inside those modules) only the
    function wrappers (:func:`functions_vba_module`) are replaced. Then every function
    is described to the Function Wizard. Returns the number of functions.

    All of it uses ``VBProject``: Excel refuses unless "Trust access to the VBA project
    object model" is on.
    """
    components = xl_workbook.VBProject.VBComponents
    if not refresh:
        _import_module(components, RIBBON_MODULE_NAME, ribbon_vba_module(language), work_dir)
        _rename_project(xl_workbook)
    _import_module(components, FUNCTIONS_MODULE_NAME, functions_vba_module(xl_workbook.Name, language), work_dir)
    return _register_function_help(xl_workbook)


# ---------------------------------------------------------------- install and uninstall


def _copy_atomically(source: Path, target: Path, language: Language) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copyfile(source, temporary)
        temporary.replace(target)
    except PermissionError as error:
        temporary.unlink(missing_ok=True)
        raise AddinInstallError("addin_locked", language, path=target) from error


def _excel_running() -> bool:
    import xlwings as xw

    return xw.apps.count > 0


def install(
    built: Path,
    language: Language,
    enable_vba_trust: bool = False,
    registry: Any = None,
    previous: InstallRecord | None = None,
) -> InstallRecord:
    """Install the built add-in so that its functions and ribbon are in every workbook.

    Steps: check that a desktop Excel (not the Microsoft Store one) is installed and
    closed; check (and, only with ``enable_vba_trust``, turn on) the VBA trust option;
    open ``built`` in a hidden Excel, :func:`import_into_addin`, save; copy it into
    Excel's user startup folder (XLSTART, what ``xlwings addin install --file`` does),
    where Excel opens it at every start. The help texts of the functions are in
    ``language``. ``previous`` is the record of an earlier installation: its record of
    the trust option is kept (see :class:`InstallRecord`).
    """
    import xlwings as xw
    from pywintypes import com_error

    os.environ[LANGUAGE_VARIABLE] = language  # Function Wizard texts follow it
    version = excel_version(registry)
    if version is None:
        raise AddinInstallError("no_excel", language)
    executable = excel_executable(registry)
    if executable is not None and is_store_app(executable):
        raise AddinInstallError("excel_store", language, path=executable)
    if _excel_running():
        raise AddinInstallError("excel_running", language)
    trusted, by_policy, user_value = vba_trust(version, registry)
    record = InstallRecord(addin="", excel_version=version)
    if previous is not None and previous.vba_trust_changed:
        record.excel_version = previous.excel_version
        record.vba_trust_changed, record.vba_trust_previous = True, previous.vba_trust_previous
    changed_now = False
    if not trusted:
        if by_policy:
            raise AddinInstallError(
                "vba_trust_policy", language, registry="HKCU\\" + _TRUST_POLICY_KEY.format(version=version)
            )
        if not enable_vba_trust:
            raise AddinInstallError("vba_trust_off", language, registry=trust_registry_value(version))
        _set_vba_trust(version, 1, registry)
        changed_now = True
        if not record.vba_trust_changed:
            record.excel_version = version
            record.vba_trust_changed, record.vba_trust_previous = True, user_value

    try:
        try:
            with tempfile.TemporaryDirectory() as work_dir, xw.App(visible=False, add_book=False) as app:
                app.display_alerts = False
                book = app.books.open(str(built))
                import_into_addin(book.api, Path(work_dir), language)
                book.save()
                startup = Path(app.startup_path)
                book.close()
        except (com_error, ValueError) as error:
            raise AddinInstallError("excel_failed", language, value=error) from error
        target = startup / ADDIN_FILE_NAME
        _copy_atomically(built, target, language)
    except BaseException:
        # nothing was installed: leave the option as this run found it
        if changed_now:
            _set_vba_trust(version, user_value, registry)
        raise
    record.addin = str(target)
    return record


def uninstall(record: InstallRecord, language: Language, registry: Any = None) -> list[str]:
    """Undo what :func:`install` recorded: remove the add-in, restore the VBA trust option.

    Returns what was undone, one line each. Excel must be closed (it holds the add-in open).
    """
    if _excel_running():
        raise AddinInstallError("excel_running", language)
    undone = []
    target = Path(record.addin) if record.addin else None
    if target is not None and target.exists():
        try:
            target.unlink()
        except PermissionError as error:
            raise AddinInstallError("addin_locked", language, path=target) from error
        undone.append(str(target))
    if record.vba_trust_changed:
        _set_vba_trust(record.excel_version, record.vba_trust_previous, registry)
        undone.append(trust_registry_value(record.excel_version))
    return undone


# ---------------------------------------------------------------- ribbon buttons


def _addin_setting(addin_book: Any, key: str) -> str:
    """A value of the add-in's settings sheet (column A key, column B value), or ""."""
    names = [sheet.name for sheet in addin_book.sheets]
    sheet_name = CONFIG_SHEET_NAME if CONFIG_SHEET_NAME in names else BUILT_CONFIG_SHEET_NAME
    rows = addin_book.sheets[sheet_name].range("A1").expand("down").resize(column_size=2).value
    rows = rows if rows and isinstance(rows[0], list) else [rows]
    for row in rows:
        if str(row[0]).strip().upper() == key.upper():
            return "" if row[1] is None else str(row[1])
    return ""


def _new_workbook(book: Any, language: Language) -> None:
    """Ask for a template and open a new workbook based on it (the template file is not changed)."""
    app = book.app
    folder = Path(_addin_setting(app.books[ADDIN_FILE_NAME], TEMPLATES_KEY))
    templates = sorted(folder.glob("*.xls[xm]")) if str(folder) not in ("", ".") and folder.is_dir() else []
    if not templates:
        app.alert(message("templates_missing", language, path=folder), title="clv_xl")
        return
    dialog = app.api.FileDialog(1)  # msoFileDialogOpen
    dialog.Title = message("choose_template", language)
    dialog.InitialFileName = str(folder) + "\\"
    dialog.AllowMultiSelect = False
    dialog.Filters.Clear()
    dialog.Filters.Add("Excel", "*.xlsx;*.xlsm")
    if dialog.Show() == -1:
        app.api.Workbooks.Add(Template=dialog.SelectedItems(1))


def _refresh_functions(book: Any, language: Language) -> None:
    """Import the function wrappers into the add-in again and save it."""
    from pywintypes import com_error

    app = book.app
    addin = app.books[ADDIN_FILE_NAME]
    try:
        with tempfile.TemporaryDirectory() as work_dir:
            # the ribbon module is running this very call: it is not replaced
            count = import_into_addin(addin.api, Path(work_dir), language, refresh=True)
        addin.api.Save()
    except com_error:
        version = excel_version() or "16.0"
        app.alert(
            message("vba_trust_off", language, registry=trust_registry_value(version)), title="clv_xl", mode="critical"
        )
        return
    app.alert(message("functions_refreshed", language, addin=ADDIN_FILE_NAME, count=count), title="clv_xl")


_ACTIONS: dict[str, Callable[[Any, Language], None]] = {
    "new_workbook": _new_workbook,
    "refresh_functions": _refresh_functions,
}


def on_button(action: str) -> None:
    """Run the Python side of a ribbon button (called by the add-in through ``RunPython``)."""
    import xlwings as xw

    language = current_language()
    book = xw.Book.caller()
    handler = _ACTIONS.get(action)
    if handler is None:
        known = ", ".join(_ACTIONS)
        book.app.alert(message("unknown_button", language, value=action, known=known), title="clv_xl")
        return
    handler(book, language)
