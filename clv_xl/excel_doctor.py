"""``clv-xl excel doctor``: what support would ask for, each with a verdict.

The facts of one PC, gathered without starting Excel: the Python running clv_xl (path,
version, bitness, Microsoft Store or not), the versions of clv_xl, xlwings and pywin32
(and whether pywin32's modules load), where the add-in is and what its settings sheet
says, which Excel is installed (version, executable, bitness, Store or not) and
whether "Trust access to the VBA project object model" is on. Each finding carries a
verdict and, when something is wrong, what to do, in the user's language.

The Windows facts come from :mod:`clv_xl.excel_windows` (registry, executable header);
the registry module and the platform are parameters, so every branch runs on any
system with stand-ins.
"""

from __future__ import annotations

import importlib
import os
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Any

from clv_xl.addin import (
    ADDIN_FILE_NAME,
    CONFIG_SHEET_NAME,
    SUPPORTED_XLWINGS,
    TEMPLATES_KEY,
    UDF_MODULE,
    read_addin_settings,
)
from clv_xl.excel_windows import excel_executable, excel_version, executable_bits, is_store_app, vba_trust
from clv_xl.i18n import LANGUAGE_VARIABLE, Language, Text

__all__ = ["Finding", "Verdict", "default_addin_path", "diagnose", "format_findings", "version_in_range"]

#: The oldest Python clv_xl runs on.
MINIMUM_PYTHON = (3, 11)


class Verdict(StrEnum):
    """How a finding stands."""

    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    PROBLEM = "problem"


_VERDICT_WORDS = {
    Verdict.OK: Text("OK", "OK"),
    Verdict.INFO: Text("INFO", "INFO"),
    Verdict.WARNING: Text("WARNING", "ATTENZIONE"),
    Verdict.PROBLEM: Text("PROBLEM", "PROBLEMA"),
}


@dataclass(frozen=True)
class Finding:
    """One item of the report: what was looked at, what was found, its verdict and what to do."""

    item: str
    value: str
    verdict: Verdict
    hint: str = ""


_LABELS = {
    "python": Text("Python", "Python"),
    "clv_xl": Text("clv_xl", "clv_xl"),
    "xlwings": Text("xlwings", "xlwings"),
    "pywin32": Text("pywin32", "pywin32"),
    "addin": Text("Add-in", "Componente aggiuntivo"),
    "settings": Text("Add-in settings sheet", "Foglio impostazioni del componente"),
    "interpreter": Text("Add-in's Python", "Python del componente"),
    "udf_modules": Text("Add-in's functions module", "Modulo funzioni del componente"),
    "workbook_path": Text("ADD_WORKBOOK_TO_PYTHONPATH", "ADD_WORKBOOK_TO_PYTHONPATH"),
    "templates": Text("Templates folder", "Cartella dei modelli"),
    "excel": Text("Excel", "Excel"),
    "trust": Text("VBA project trust option", "Accesso al modello a oggetti VBA"),
    "language": Text(LANGUAGE_VARIABLE, LANGUAGE_VARIABLE),
}

_HINTS = {
    "python_bits": Text(
        "a 32-bit Python cannot install clv_xl's dependencies (pandas, pyarrow): install the 64-bit Python from "
        "python.org (Windows installer (64-bit)) and run install.ps1 again",
        "un Python a 32 bit non può installare le dipendenze di clv_xl (pandas, pyarrow): installa il Python a 64 bit "
        "da python.org (Windows installer (64-bit)) ed esegui di nuovo install.ps1",
    ),
    "python_store": Text(
        "Python from the Microsoft Store keeps its environments in a private folder that Excel cannot see: install "
        "Python from python.org and run install.ps1 again",
        "il Python del Microsoft Store tiene i suoi ambienti in una cartella privata che Excel non vede: installa "
        "Python da python.org ed esegui di nuovo install.ps1",
    ),
    "python_old": Text(
        "clv_xl needs Python 3.11 or newer: install it from python.org and run install.ps1 again",
        "clv_xl richiede Python 3.11 o successivo: installalo da python.org ed esegui di nuovo install.ps1",
    ),
    "xlwings_range": Text(
        "the add-in is built from xlwings {supported} only: run install.ps1 again (it installs a supported version)",
        "il componente si crea solo da xlwings {supported}: esegui di nuovo install.ps1 (installa una versione adatta)",
    ),
    "pywin32_broken": Text(
        "pywin32 does not load ({error}): run install.ps1 again; if it persists, "
        "<environment>\\Scripts\\python -m pip install --force-reinstall pywin32",
        "pywin32 non si carica ({error}): esegui di nuovo install.ps1; se continua, "
        "<ambiente>\\Scripts\\python -m pip install --force-reinstall pywin32",
    ),
    "addin_missing": Text(
        "the add-in is not where Excel opens it at start: run install.ps1 again",
        "il componente non è dove Excel lo apre all'avvio: esegui di nuovo install.ps1",
    ),
    "addin_unreadable": Text(
        "the add-in file cannot be read ({error}): run install.ps1 again",
        "il file del componente non è leggibile ({error}): esegui di nuovo install.ps1",
    ),
    "settings_old": Text(
        "the project is still called myaddin, like every xlwings quickstart add-in, whose settings files it "
        "shares: this file was not installed by install.ps1, or an older clv_xl installed it: run install.ps1 again",
        "il progetto si chiama ancora myaddin, come ogni componente di esempio di xlwings, di cui condivide i file "
        "di impostazioni: questo file non è stato installato da install.ps1, o l'ha installato un clv_xl "
        "precedente: esegui di nuovo install.ps1",
    ),
    "interpreter_missing": Text(
        "this python.exe does not exist (the environment was moved or deleted): run install.ps1 again",
        "questo python.exe non esiste (l'ambiente è stato spostato o eliminato): esegui di nuovo install.ps1",
    ),
    "udf_modules": Text(
        "the add-in does not import the CLV functions from {expected}: run install.ps1 again",
        "il componente non importa le funzioni CLV da {expected}: esegui di nuovo install.ps1",
    ),
    "workbook_path": Text(
        "xlwings would turn the https name of a OneDrive or SharePoint workbook into a folder and fail: run "
        "install.ps1 again",
        "xlwings proverebbe a trasformare il nome https di una cartella OneDrive o SharePoint in una cartella del "
        "disco, senza riuscirci: esegui di nuovo install.ps1",
    ),
    "templates_missing": Text(
        "the New from template button finds no templates there: run install.ps1 again from the clv_xl folder",
        "il pulsante Nuovo da modello non vi trova modelli: esegui di nuovo install.ps1 dalla cartella di clv_xl",
    ),
    "no_excel": Text(
        "no desktop Excel is registered: install Microsoft 365 or Office for Windows",
        "nessun Excel desktop registrato: installa Microsoft 365 o Office per Windows",
    ),
    "excel_store": Text(
        "Excel from the Microsoft Store cannot start the Python functions (Could not activate Python COM server): "
        "install Office from office.com instead",
        "l'Excel del Microsoft Store non riesce ad avviare le funzioni Python (Could not activate Python COM "
        "server): installa invece Office da office.com",
    ),
    "trust_off": Text(
        "needed only to install the add-in and by Refresh functions: install.ps1 -EnableVbaTrust turns it on",
        "serve solo per installare il componente e per Aggiorna funzioni: install.ps1 -EnableVbaTrust la attiva",
    ),
    "trust_policy": Text(
        "set by your organisation's policy: ask IT to allow it for the installation",
        "impostata da un criterio della tua organizzazione: chiedi all'IT di consentirla per l'installazione",
    ),
}

_VALUES = {
    "on": Text("on", "attiva"),
    "off": Text("off", "disattivata"),
    "by_policy": Text("(by policy)", "(da criterio)"),
    "missing": Text("not found: {path}", "non trovato: {path}"),
    "not_installed": Text("not installed", "non installato"),
    "only_windows": Text("not checked: only on Windows", "non verificato: solo su Windows"),
    "not_set": Text("not set", "non impostata"),
    "store": Text("Microsoft Store", "Microsoft Store"),
    "loads": Text("loads", "si carica"),
}

_PYWIN32_MODULES = ("pythoncom", "pywintypes", "win32com.client")


def version_in_range(version: str, bounds: str) -> bool:
    """Whether ``version`` (``"0.37.8"``) satisfies ``bounds`` (``">=0.33,<0.38"``; only ``>=`` and ``<``)."""

    def numbers(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.strip().split(".") if part.isdigit())

    found = numbers(version)
    for bound in bounds.split(","):
        bound = bound.strip()
        if bound.startswith(">=") and found < numbers(bound[2:]):
            return False
        if bound.startswith("<") and not bound.startswith("<=") and found >= numbers(bound[1:]):
            return False
    return True


def default_addin_path(environment: dict[str, str] | None = None) -> Path | None:
    """Where the installation puts the add-in: ``%APPDATA%\\Microsoft\\Excel\\XLSTART\\clv_xl.xlam``."""
    appdata = (environment if environment is not None else dict(os.environ)).get("APPDATA")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE_NAME if appdata else None


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _python_findings(language: Language) -> list[Finding]:
    bits = struct.calcsize("P") * 8
    version = ".".join(str(part) for part in sys.version_info[:3])
    value = f"{sys.executable} ({version}, {bits}-bit)"
    if is_store_app(sys.executable) or is_store_app(sys.base_prefix):
        return [Finding(_LABELS["python"](language), value, Verdict.PROBLEM, _HINTS["python_store"](language))]
    if sys.version_info[:2] < MINIMUM_PYTHON:
        return [Finding(_LABELS["python"](language), value, Verdict.PROBLEM, _HINTS["python_old"](language))]
    if bits != 64:
        return [Finding(_LABELS["python"](language), value, Verdict.PROBLEM, _HINTS["python_bits"](language))]
    return [Finding(_LABELS["python"](language), value, Verdict.OK)]


def _package_findings(language: Language, windows: bool, importer: Callable[[str], Any]) -> list[Finding]:
    findings = [Finding(_LABELS["clv_xl"](language), _package_version("clv_xl") or "?", Verdict.OK)]
    xlwings = _package_version("xlwings")
    if xlwings is None or not version_in_range(xlwings, SUPPORTED_XLWINGS):
        hint = _HINTS["xlwings_range"](language).format(supported=SUPPORTED_XLWINGS)
        findings.append(
            Finding(_LABELS["xlwings"](language), xlwings or _VALUES["not_installed"](language), Verdict.PROBLEM, hint)
        )
    else:
        findings.append(Finding(_LABELS["xlwings"](language), xlwings, Verdict.OK))
    pywin32 = _package_version("pywin32")
    if not windows:
        findings.append(Finding(_LABELS["pywin32"](language), _VALUES["only_windows"](language), Verdict.INFO))
        return findings
    try:
        for module in _PYWIN32_MODULES:
            importer(module)
    except Exception as error:  # any failure to load is the finding: DLL missing, ImportError...
        hint = _HINTS["pywin32_broken"](language).format(error=error)
        value = pywin32 or _VALUES["not_installed"](language)
        findings.append(Finding(_LABELS["pywin32"](language), value, Verdict.PROBLEM, hint))
    else:
        findings.append(Finding(_LABELS["pywin32"](language), f"{pywin32} ({_VALUES['loads'](language)})", Verdict.OK))
    return findings


def _addin_findings(language: Language, addin: Path | None) -> list[Finding]:
    label = _LABELS["addin"](language)
    if addin is None:
        return [Finding(label, _VALUES["only_windows"](language), Verdict.INFO)]
    if not addin.is_file():
        value = _VALUES["missing"](language).format(path=addin)
        return [Finding(label, value, Verdict.PROBLEM, _HINTS["addin_missing"](language))]
    try:
        sheet, settings = read_addin_settings(addin)
    except (OSError, ValueError, KeyError) as error:
        hint = _HINTS["addin_unreadable"](language).format(error=error)
        return [Finding(label, str(addin), Verdict.PROBLEM, hint)]
    keys = {key.upper(): value for key, value in settings.items()}
    findings = [Finding(label, str(addin), Verdict.OK)]
    if sheet == CONFIG_SHEET_NAME:
        findings.append(Finding(_LABELS["settings"](language), sheet, Verdict.OK))
    else:
        findings.append(
            Finding(_LABELS["settings"](language), sheet, Verdict.WARNING, _HINTS["settings_old"](language))
        )
    interpreter = str(keys.get("INTERPRETER_WIN") or "")
    if interpreter and Path(interpreter).is_file():
        findings.append(Finding(_LABELS["interpreter"](language), interpreter, Verdict.OK))
    else:
        value = _VALUES["missing"](language).format(path=interpreter)
        hint = _HINTS["interpreter_missing"](language)
        findings.append(Finding(_LABELS["interpreter"](language), value, Verdict.PROBLEM, hint))
    modules = str(keys.get("UDF MODULES") or "")
    if modules == UDF_MODULE:
        findings.append(Finding(_LABELS["udf_modules"](language), modules, Verdict.OK))
    else:
        hint = _HINTS["udf_modules"](language).format(expected=UDF_MODULE)
        findings.append(Finding(_LABELS["udf_modules"](language), modules, Verdict.PROBLEM, hint))
    adds_workbook = keys.get("ADD_WORKBOOK_TO_PYTHONPATH")
    if adds_workbook is False or str(adds_workbook).lower() == "false":
        findings.append(Finding(_LABELS["workbook_path"](language), "False", Verdict.OK))
    else:
        value = str(adds_workbook)
        findings.append(
            Finding(_LABELS["workbook_path"](language), value, Verdict.WARNING, _HINTS["workbook_path"](language))
        )
    templates = str(keys.get(TEMPLATES_KEY.upper()) or "")
    if templates and Path(templates).is_dir() and any(Path(templates).glob("*.xls[xm]")):
        findings.append(Finding(_LABELS["templates"](language), templates, Verdict.OK))
    else:
        value = _VALUES["missing"](language).format(path=templates)
        findings.append(
            Finding(_LABELS["templates"](language), value, Verdict.WARNING, _HINTS["templates_missing"](language))
        )
    return findings


def _excel_findings(language: Language, registry: Any) -> list[Finding]:
    version = excel_version(registry)
    if version is None:
        return [
            Finding(
                _LABELS["excel"](language),
                _VALUES["not_installed"](language),
                Verdict.PROBLEM,
                _HINTS["no_excel"](language),
            )
        ]
    executable = excel_executable(registry)
    bits = executable_bits(Path(executable)) if executable else None
    value = f"{version}, {executable or '?'}, {f'{bits}-bit' if bits else '?'}"
    findings = []
    if executable is not None and is_store_app(executable):
        value += f" ({_VALUES['store'](language)})"
        findings.append(Finding(_LABELS["excel"](language), value, Verdict.PROBLEM, _HINTS["excel_store"](language)))
    else:
        findings.append(Finding(_LABELS["excel"](language), value, Verdict.OK))
    trusted, by_policy, _user = vba_trust(version, registry)
    state = _VALUES["on" if trusted else "off"](language) + (f" {_VALUES['by_policy'](language)}" if by_policy else "")
    if trusted:
        findings.append(Finding(_LABELS["trust"](language), state, Verdict.OK))
    else:
        hint = _HINTS["trust_policy" if by_policy else "trust_off"](language)
        findings.append(Finding(_LABELS["trust"](language), state, Verdict.WARNING, hint))
    return findings


def diagnose(
    language: Language,
    addin: Path | None = None,
    registry: Any = None,
    windows: bool | None = None,
    importer: Callable[[str], Any] = importlib.import_module,
    environment: dict[str, str] | None = None,
) -> list[Finding]:
    """The findings of this PC, in the order support reads them.

    Parameters
    ----------
    language
        Language of the labels and hints.
    addin
        The add-in file to read; default: where the installation puts it (Windows).
    registry
        The ``winreg`` module, or a stand-in; default: the real one (Windows).
    windows
        Whether to look at the Windows-only facts; default: on Windows.
    importer
        Imports a module by name (pywin32's modules are loaded to check them).
    environment
        The environment variables; default: this process's.
    """
    windows = sys.platform.startswith("win") if windows is None else windows
    environment = dict(os.environ) if environment is None else environment
    findings = _python_findings(language) + _package_findings(language, windows, importer)
    if addin is None and windows:
        addin = default_addin_path(environment)
    findings += _addin_findings(language, addin)
    if windows:
        findings += _excel_findings(language, registry)
    else:
        for item in ("excel", "trust"):
            findings.append(Finding(_LABELS[item](language), _VALUES["only_windows"](language), Verdict.INFO))
    chosen = environment.get(LANGUAGE_VARIABLE)
    findings.append(Finding(_LABELS["language"](language), chosen or _VALUES["not_set"](language), Verdict.INFO))
    return findings


def format_findings(findings: Sequence[Finding], language: Language) -> str:
    """The findings as aligned lines: verdict, item, value; the hint on the next line."""
    width = max(len(finding.item) for finding in findings)
    lines = []
    for finding in findings:
        word = _VERDICT_WORDS[finding.verdict](language)
        lines.append(f"{word:<10} {finding.item:<{width}}  {finding.value}")
        if finding.hint:
            lines.append(f"{'':<10} {'':<{width}}  -> {finding.hint}")
    return "\n".join(lines)
