"""Command line of clv_xl: a thin layer over the catalogue and the core.

Commands
--------
``clv-xl functions``  list the Excel functions with their signatures and help;
``clv-xl calc NAME ARGS...``  evaluate one function as Excel would;
``clv-xl demo [--out DIR]``  evaluate the documents' worked examples (and write the templates);
``clv-xl templates --out DIR``  write the template workbooks;
``clv-xl excel ...``  build and install the Excel add-in (:mod:`clv_xl.cli_excel`).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from clv_xl.catalogue import FUNCTIONS, find
from clv_xl.cells import CellResult, evaluate
from clv_xl.cli_check import check
from clv_xl.cli_common import (
    LANGUAGE_OPTION,
    LocalizedOption,
    argument,
    group,
    option,
    parse_number,
    resolve_language,
)
from clv_xl.cli_excel import excel
from clv_xl.cli_report import report
from clv_xl.examples import DOCUMENT_EXAMPLES
from clv_xl.files import atomic_output
from clv_xl.i18n import LANGUAGES, Language, Text, message
from clv_xl.report.run import report_from_file
from clv_xl.sources import source
from clv_xl.templates import write_templates
from clv_xl.templates.orders import transactions_workbook
from clv_xl.version import __version__

__all__ = ["cli", "main", "parse_number"]

_TEXTS = {
    "function": {"en": "Function", "it": "Funzione"},
    "arguments": {"en": "Arguments", "it": "Argomenti"},
    "example": {"en": "Example", "it": "Esempio"},
    "document": {"en": "Source", "it": "Fonte"},
    "result": {"en": "Result", "it": "Risultato"},
    "expected": {"en": "Expected", "it": "Atteso"},
    "check": {"en": "Check", "it": "Verifica"},
    "title": {"en": "clv_xl: the articles' worked examples", "it": "clv_xl: gli esempi svolti degli articoli"},
    "illustrative": {"en": "illustrative inputs", "it": "dati illustrativi"},
    "written": {"en": "Written", "it": "Scritto"},
}


def _t(key: str, language: Language) -> str:
    return _TEXTS[key][language]


def _console() -> Console:
    """A console that does not squeeze tables when the output is not a terminal."""
    console = Console(soft_wrap=True)
    if not console.is_terminal:
        console = Console(soft_wrap=True, width=160)
    return console


def format_result(result: CellResult, language: Language) -> str:
    """A number with up to 10 significant digits (decimal comma in Italian), or the error text."""
    if isinstance(result, str):
        return result
    if isinstance(result, list):
        return "\n".join("\t".join(format_result(cell, language) for cell in row) for row in result)
    text = f"{result:.10g}"
    return text.replace(".", ",") if language == "it" else text


@group(
    context_settings={"help_option_names": ["-h", "--help"]},
    help=Text(
        "clv_xl: customer lifetime value for small and medium businesses, inside Excel.",
        "clv_xl: il valore del cliente nel tempo (CLV) per le piccole e medie imprese, dentro Excel.",
    ),
)
@click.version_option(
    __version__,
    prog_name="clv-xl",
    message="%(prog)s %(version)s",
    cls=LocalizedOption,
    help=Text("Show the version and exit.", "Mostra la versione ed esce."),
)
def cli() -> None:
    """clv_xl: customer lifetime value for small and medium businesses, inside Excel."""


@cli.command(
    "functions",
    help=Text(
        "List the Excel functions with their arguments and help.",
        "Elenca le funzioni Excel di clv_xl con i loro argomenti e le spiegazioni.",
    ),
)
@option(
    "--markdown",
    is_flag=True,
    help=Text(
        "Print the function reference as Markdown (the README's reference is this output).",
        "Stampa il riferimento delle funzioni in Markdown (è il riferimento del README).",
    ),
)
@LANGUAGE_OPTION
def functions_command(markdown: bool, language: str | None) -> None:
    """List the Excel functions with their signatures and help."""
    lang = resolve_language(language)
    if markdown:
        click.echo(function_reference_markdown(lang), nl=False)
        return
    console = _console()
    for function in FUNCTIONS:
        console.print(function.signature(), style="bold", markup=False)
        lines = [function.summary(lang), function.formula_text(lang), function.extra_help(lang)]
        lines += [f"  {a.name}: {a.help(lang)}" for a in function.arguments]
        lines.append(function.source(lang))
        for line in filter(None, lines):
            console.print(f"  {line}", markup=False, highlight=False)
        console.print()


def function_reference_markdown(language: Language = "en") -> str:
    """The function reference, one section per function, as Markdown."""
    lines: list[str] = []
    for function in FUNCTIONS:
        lines += [f"#### `{function.signature()}`", "", function.summary(language), ""]
        lines += [
            f"Formula: `{function.formula_text(language)}`"
            + (f" ({function.extra_help(language)})" if function.extra_help(language) else ""),
            "",
        ]
        lines += ["| argument | meaning |", "| --- | --- |"]
        lines += [f"| `{a.name}` | {a.help(language)} |" for a in function.arguments]
        lines.append("")
        if function.example is not None:
            separator = "; " if language == "it" else ", "
            shown = separator.join(format_result(a, language) for a in function.example)
            result = format_result(function.example_result, language) if function.example_result is not None else ""
            lines += [f"Example: `={function.name}({shown})` gives {result}.", ""]
        lines += [f"Source: {function.source(language)}", ""]
    return "\n".join(lines)


@cli.command(
    "calc",
    help=Text(
        "Evaluate one Excel function as Excel would, e.g. clv-xl calc CLV 10000 3 1000.\n\n"
        'Numbers may be written 0.08, 0,08 or 8%; an empty argument ("") is an empty cell. Exits with '
        "status 1 and the error text when the function returns an error.",
        "Calcola una funzione Excel come farebbe Excel, ad es. clv-xl calc CLV 10000 3 1000.\n\n"
        'I numeri si scrivono 0,08 o 8%; un argomento vuoto ("") è una cella vuota. Se la funzione dà '
        "un errore, ne mostra il testo ed esce con codice 1.",
    ),
)
@argument("name", metavar=Text("FUNCTION", "FUNZIONE"))
@argument("arguments", nargs=-1, metavar=Text("ARGUMENTS", "ARGOMENTI"))
@LANGUAGE_OPTION
def calc_command(name: str, arguments: tuple[str, ...], language: str | None) -> None:
    """Evaluate one Excel function, e.g. ``clv-xl calc CLV 10000 3 1000``.

    Exits with status 1 and the error text when the function returns an error.
    """
    lang = resolve_language(language)
    function = find(name)
    if function is None:
        known = ", ".join(f.name for f in FUNCTIONS)
        raise click.UsageError(message("unknown_function", lang, value=name, known=known))
    result = evaluate(function, [parse_number(a) for a in arguments], lang)
    click.echo(format_result(result, lang))
    if isinstance(result, str):
        sys.exit(1)


@cli.command(
    "demo",
    help=Text(
        "Evaluate the articles' worked examples through the Excel functions.\n\n"
        "With --out, also write the templates of both languages and the report of the sample transactions "
        "(replacing earlier demo files of the same name).",
        "Ricalcola gli esempi svolti degli articoli con le funzioni Excel.\n\n"
        "Con --out scrive anche i modelli nelle due lingue e il report delle transazioni di esempio "
        "(sostituendo i file della demo con lo stesso nome).",
    ),
)
@option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=Text(
        "Folder to write the demo files into (created if missing): examples.csv, templates/<lang>/ "
        "and a report of the sample transactions.",
        "Cartella in cui scrivere i file della demo (creata se manca): examples.csv, templates/<lingua>/ "
        "e il report delle transazioni di esempio.",
    ),
)
@LANGUAGE_OPTION
def demo_command(out_dir: Path | None, language: str | None) -> None:
    """Evaluate the documents' worked examples through the Excel functions.

    With --out, also write the templates of both languages and the report of the sample
    transactions (replacing earlier demo files of the same name).
    """
    lang = resolve_language(language)
    table = Table(title=_t("title", lang))
    for column in ("document", "example", "function", "result", "expected", "check"):
        table.add_column(_t(column, lang), justify="right" if column in ("result", "expected") else "left")
    rows = []
    failures = 0
    for example in DOCUMENT_EXAMPLES:
        function = find(example.function)
        assert function is not None, example.function
        result = evaluate(function, list(example.arguments), lang)
        ok = isinstance(result, float) and abs(result - example.expected) < 1e-9 * max(1.0, abs(example.expected))
        failures += not ok
        separator = "; " if lang == "it" else ", "
        call = f"{function.name}({separator.join(format_result(a, lang) for a in example.arguments)})"
        label = example.label(lang) + (f" ({_t('illustrative', lang)})" if example.illustrative else "")
        shown = format_result(result, lang)
        expected = format_result(example.expected, lang)
        cited = source(example.document).short(lang)
        table.add_row(cited, label, call, shown, expected, "OK" if ok else "✗")
        rows.append([cited, label, call, shown, expected, "OK" if ok else "FAIL"])
    _console().print(table)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / "examples.csv"
        _write_csv_atomically(target, rows, lang)
        click.echo(f"{_t('written', lang)}: {target}")
        for template_language in LANGUAGES:
            for path in write_templates(out_dir / "templates" / template_language, template_language):
                click.echo(f"{_t('written', lang)}: {path}")
        sample = out_dir / "templates" / lang / transactions_workbook(sample=True).file_name(lang)
        report = out_dir / ("rapporto_clv_esempio.xlsx" if lang == "it" else "clv_report_sample.xlsx")
        click.echo(report_from_file(sample, report, language=lang, force=True))
    if failures:
        sys.exit(1)


@cli.command(
    "templates",
    help=Text(
        "Write the template workbooks (worked examples, calculator, orders, predictive CLV) in one language.",
        "Scrive i modelli di Excel (esempi svolti, calcolatore, ordini, CLV predittivo) in una lingua.",
    ),
)
@option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help=Text(
        "Folder to write the template workbooks into (created if missing; files of the same name are replaced).",
        "Cartella in cui scrivere i modelli (creata se manca; i file con lo stesso nome vengono sostituiti).",
    ),
)
@LANGUAGE_OPTION
def templates_command(out_dir: Path, language: str | None) -> None:
    """Write the template workbooks (worked examples, calculator, orders) in one language."""
    lang = resolve_language(language)
    for path in write_templates(out_dir, lang):
        click.echo(f"{_t('written', lang)}: {path}")


def _write_csv_atomically(target: Path, rows: list[list[str]], language: Language) -> None:
    """Write the CSV through :func:`clv_xl.files.atomic_output` (nothing half-written, the usual permissions)."""
    header = [_t(key, language) for key in ("document", "example", "function", "result", "expected", "check")]
    with atomic_output(target, force=True) as temporary, temporary.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, delimiter=";" if language == "it" else ",")
        writer.writerow(header)
        writer.writerows(rows)


cli.add_command(excel)
cli.add_command(report)
cli.add_command(check)


def main() -> None:
    """Entry point of the ``clv-xl`` console script."""
    cli(prog_name="clv-xl")


if __name__ == "__main__":
    main()
