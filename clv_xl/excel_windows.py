"""Everything of clv_xl that needs Windows and desktop Excel: one module, imported lazily.

* the registry: which Excel is installed, and the "Trust access to the VBA project
  object model" option (``AccessVBOM``) that importing functions into a workbook needs;
* the install step: open the add-in built by :func:`clv_xl.addin.build_addin` in a
  hidden Excel, import the ribbon callbacks and the function wrappers into it
  (:func:`import_into_addin`, which uses xlwings' own ``import_udfs``), save it, and
  install it into the user's XLSTART folder as ``xlwings addin install --file`` does;
* the ribbon buttons' Python side (:func:`on_button`), run by the add-in through
  xlwings' ``RunPython``.

Nothing here is imported at module level from pywin32 or ``winreg``: the imports are
inside the functions, so this module can be imported (and its COM-free parts tested)
on any system. Registry functions take the registry module as an argument for the
same reason.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from clv_xl.addin import (
    ADDIN_FILE_NAME,
    CONFIG_SHEET_NAME,
    RIBBON_MODULE_NAME,
    TEMPLATES_KEY,
    UDF_MODULE,
    ribbon_vba_module,
)
from clv_xl.i18n import LANGUAGE_VARIABLE, Language, current_language, message

__all__ = [
    "AddinInstallError",
    "InstallRecord",
    "excel_version",
    "import_into_addin",
    "install",
    "on_button",
    "uninstall",
    "vba_trust",
]

_TRUST_KEY = r"Software\Microsoft\Office\{version}\Excel\Security"
_TRUST_POLICY_KEY = r"Software\Policies\Microsoft\Office\{version}\Excel\Security"
_TRUST_VALUE = "AccessVBOM"


class AddinInstallError(Exception):
    """A step of the Windows installation failed; the message says what to do."""

    def __init__(self, key: str, language: Language, **params: Any) -> None:
        self.key = key
        super().__init__(message(key, language, **params))


@dataclass
class InstallRecord:
    """What :func:`install` changed on this PC, so that :func:`uninstall` undoes exactly that."""

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
        """The record written by :meth:`save` at ``path``."""
        return cls(**json.loads(path.read_text(encoding="utf-8")))


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


def import_into_addin(xl_workbook: Any, work_dir: Path, with_ribbon: bool = True) -> int:
    """Import the ribbon callbacks and the CLV function wrappers into an open add-in.

    ``xl_workbook`` is the COM object of the open ``clv_xl.xlam``. The ribbon module
    (:func:`clv_xl.addin.ribbon_vba_module`) replaces any earlier copy; the function
    wrappers are written and imported by xlwings' own ``import_udfs``, which also
    registers each function's description, argument help and category with Excel's
    Function Wizard (``Application.MacroOptions``). Returns the number of functions.

    Both steps use ``VBProject``: Excel refuses them unless "Trust access to the VBA
    project object model" is on.
    """
    from pywintypes import com_error
    from xlwings.udfs import get_udf_module, import_udfs

    components = xl_workbook.VBProject.VBComponents
    if with_ribbon:
        module_file = work_dir / f"{RIBBON_MODULE_NAME}.bas"
        module_file.write_bytes(ribbon_vba_module().encode("ascii"))
        try:
            components.Remove(components(RIBBON_MODULE_NAME))
        except com_error:
            pass  # first installation: nothing to replace
        components.Import(str(module_file))
    import_udfs(UDF_MODULE, xl_workbook)
    module = get_udf_module(UDF_MODULE, xl_workbook)
    return sum(hasattr(getattr(module, name), "__xlfunc__") for name in dir(module))


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


def install(built: Path, language: Language, enable_vba_trust: bool = False, registry: Any = None) -> InstallRecord:
    """Install the built add-in so that its functions and ribbon are in every workbook.

    Steps: check that Excel is installed and closed; check (and, only with
    ``enable_vba_trust``, turn on) the VBA trust option; open ``built`` in a hidden
    Excel, :func:`import_into_addin`, save; copy it into Excel's user startup folder
    (XLSTART, what ``xlwings addin install --file`` does), where Excel opens it at
    every start. The help texts of the functions are in ``language``.
    """
    import xlwings as xw
    from pywintypes import com_error

    os.environ[LANGUAGE_VARIABLE] = language  # Function Wizard texts follow it
    version = excel_version(registry)
    if version is None:
        raise AddinInstallError("no_excel", language)
    if _excel_running():
        raise AddinInstallError("excel_running", language)
    trusted, by_policy, previous = vba_trust(version, registry)
    trust_key = "HKCU\\" + _TRUST_KEY.format(version=version) + "\\" + _TRUST_VALUE
    record = InstallRecord(addin="", excel_version=version)
    if not trusted:
        if by_policy:
            raise AddinInstallError(
                "vba_trust_policy", language, registry="HKCU\\" + _TRUST_POLICY_KEY.format(version=version)
            )
        if not enable_vba_trust:
            raise AddinInstallError("vba_trust_off", language, registry=trust_key)
        _set_vba_trust(version, 1, registry)
        record.vba_trust_changed, record.vba_trust_previous = True, previous

    try:
        try:
            with tempfile.TemporaryDirectory() as work_dir, xw.App(visible=False, add_book=False) as app:
                app.display_alerts = False
                book = app.books.open(str(built))
                import_into_addin(book.api, Path(work_dir))
                book.save()
                startup = Path(app.startup_path)
                book.close()
        except com_error as error:
            raise AddinInstallError("excel_failed", language, value=error) from error
        target = startup / ADDIN_FILE_NAME
        _copy_atomically(built, target, language)
    except BaseException:
        # nothing was installed: leave the option as it was, since no record will say to restore it
        if record.vba_trust_changed:
            _set_vba_trust(version, record.vba_trust_previous, registry)
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
        undone.append("AccessVBOM")
    return undone


# ---------------------------------------------------------------- ribbon buttons


def _addin_setting(addin_book: Any, key: str) -> str:
    """A value of the add-in's settings sheet (column A key, column B value), or ""."""
    rows = addin_book.sheets[CONFIG_SHEET_NAME].range("A1").expand("down").resize(column_size=2).value
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
            count = import_into_addin(addin.api, Path(work_dir), with_ribbon=False)
        addin.api.Save()
    except com_error:
        version = excel_version() or "16.0"
        trust_key = "HKCU\\" + _TRUST_KEY.format(version=version) + "\\" + _TRUST_VALUE
        app.alert(message("vba_trust_off", language, registry=trust_key), title="clv_xl", mode="critical")
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
