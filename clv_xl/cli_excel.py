"""``clv-xl excel``: build, install and check the clv_xl Excel add-in.

``build-addin`` only writes a file and runs anywhere. ``install`` and ``uninstall``
drive desktop Excel and run on Windows only; ``install.ps1`` calls them. ``doctor``
prints what support would ask for (anywhere; the Excel items on Windows only). The
modules that touch Windows are imported inside the commands, never at import time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clv_xl.addin import ADDIN_FILE_NAME, build_addin
from clv_xl.cli_common import LANGUAGE_OPTION, group, option, resolve_language
from clv_xl.i18n import Language, Text, message

__all__ = ["excel"]


def _require_windows(command: str, language: Language) -> None:
    if not sys.platform.startswith("win"):
        raise click.ClickException(message("not_windows", language, command=command))


@group(
    "excel",
    help=Text(
        "Build and install the clv_xl Excel add-in (functions and the CLV ribbon tab).",
        "Crea e installa il componente aggiuntivo di Excel clv_xl (funzioni e scheda CLV della barra multifunzione).",
    ),
)
def excel() -> None:
    """Build and install the clv_xl Excel add-in (functions and the CLV ribbon tab)."""


@excel.command(
    "build-addin",
    help=Text(
        "Write the add-in file (runs on any system; nothing is installed).",
        "Scrive il file del componente aggiuntivo (funziona su ogni sistema; non installa nulla).",
    ),
)
@option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=Text(
        f"The add-in to write, normally {ADDIN_FILE_NAME}.",
        f"Il componente aggiuntivo da scrivere, di solito {ADDIN_FILE_NAME}.",
    ),
)
@LANGUAGE_OPTION
@option(
    "--interpreter",
    required=True,
    help=Text(
        "python.exe of the environment clv_xl is installed in, as Excel will see it.",
        "Il python.exe dell'ambiente in cui è installato clv_xl, come lo vedrà Excel.",
    ),
)
@option(
    "--templates-dir",
    default="",
    help=Text(
        "Folder of the template workbooks (for the 'new from template' button).",
        "Cartella dei modelli (per il pulsante «Nuovo da modello»).",
    ),
)
def build_addin_command(out: Path, language: str | None, interpreter: str, templates_dir: str) -> None:
    """Write the add-in file (runs on any system; nothing is installed)."""
    written = build_addin(out, resolve_language(language), interpreter, templates_dir)
    click.echo(str(written))


@excel.command(
    "install",
    help=Text(
        "Build the add-in, import the functions through Excel and install it (Windows only).",
        "Crea il componente aggiuntivo, vi importa le funzioni tramite Excel e lo installa (solo Windows).",
    ),
)
@LANGUAGE_OPTION
@option(
    "--dir",
    "install_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=Text(
        "Folder to build the add-in in (install.ps1's install folder).",
        "Cartella in cui creare il componente aggiuntivo (la cartella di installazione di install.ps1).",
    ),
)
@option(
    "--interpreter",
    default=None,
    help=Text(
        "python.exe for the add-in; default: the one running this command.",
        "Il python.exe per il componente aggiuntivo; se omesso, quello che esegue questo comando.",
    ),
)
@option("--templates-dir", default="", help=Text("Folder of the template workbooks.", "Cartella dei modelli."))
@option(
    "--enable-vba-trust",
    is_flag=True,
    help=Text(
        "Turn on Excel's 'Trust access to the VBA project object model' if it is off.",
        "Attiva in Excel «Considera attendibile l'accesso al modello a oggetti dei progetti VBA», se è spenta.",
    ),
)
@option(
    "--record",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=Text(
        "JSON file recording what was changed (read by uninstall; an earlier one is kept for the trust option).",
        "File JSON in cui annotare che cosa è stato cambiato (lo legge uninstall; uno precedente resta, per "
        "l'opzione di attendibilità).",
    ),
)
def install_command(
    language: str | None,
    install_dir: Path,
    interpreter: str | None,
    templates_dir: str,
    enable_vba_trust: bool,
    record: Path,
) -> None:
    """Build the add-in, import the functions through Excel and install it (Windows only)."""
    lang = resolve_language(language)
    _require_windows("install", lang)
    from clv_xl import excel_windows

    built = build_addin(install_dir / ADDIN_FILE_NAME, lang, interpreter or sys.executable, templates_dir)
    previous = None
    if record.is_file():
        try:  # the first installation's record of the trust option is kept (InstallRecord)
            previous = excel_windows.InstallRecord.load(record)
        except (OSError, ValueError, TypeError):
            previous = None
    try:
        result = excel_windows.install(built, lang, enable_vba_trust=enable_vba_trust, previous=previous)
    except excel_windows.AddinInstallError as error:
        raise click.ClickException(str(error)) from error
    result.save(record)
    click.echo(result.addin)


@excel.command(
    "uninstall",
    help=Text(
        "Remove the installed add-in and restore what install changed (Windows only).",
        "Rimuove il componente aggiuntivo installato e ripristina ciò che install aveva cambiato (solo Windows).",
    ),
)
@LANGUAGE_OPTION
@option(
    "--record",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help=Text("The JSON file written by install.", "Il file JSON scritto da install."),
)
def uninstall_command(language: str | None, record: Path) -> None:
    """Remove the installed add-in and restore what install changed (Windows only)."""
    lang = resolve_language(language)
    _require_windows("uninstall", lang)
    from clv_xl import excel_windows

    try:
        undone = excel_windows.uninstall(excel_windows.InstallRecord.load(record), lang)
    except excel_windows.AddinInstallError as error:
        raise click.ClickException(str(error)) from error
    for line in undone:
        click.echo(line)


@excel.command(
    "doctor",
    help=Text(
        "Print what support would ask for, with a verdict per item (exit code 1 if a problem is found).",
        "Mostra ciò che chiederebbe l'assistenza, con un giudizio per ogni voce "
        "(codice di uscita 1 se c'è un problema).",
    ),
)
@LANGUAGE_OPTION
@option(
    "--addin",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=Text(
        f"The add-in to read; default: %APPDATA%\\Microsoft\\Excel\\XLSTART\\{ADDIN_FILE_NAME} (Windows).",
        f"Il componente aggiuntivo da leggere; se omesso: %APPDATA%\\Microsoft\\Excel\\XLSTART\\{ADDIN_FILE_NAME} "
        "(Windows).",
    ),
)
def doctor_command(language: str | None, addin: Path | None) -> None:
    """Print what support would ask for, with a verdict per item (exit code 1 if a problem is found)."""
    from clv_xl.excel_doctor import Verdict, diagnose, format_findings

    lang = resolve_language(language)
    findings = diagnose(lang, addin=addin)
    click.echo(format_findings(findings, lang))
    if any(finding.verdict is Verdict.PROBLEM for finding in findings):
        sys.exit(1)
