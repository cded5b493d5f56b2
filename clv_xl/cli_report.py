"""``clv-xl report``: the CLV report of a transactions file, as a new workbook."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from clv_xl.cli_common import (
    AMOUNT,
    CHURN,
    DISCOUNT_RATE,
    LANGUAGE_OPTION,
    RATE,
    argument,
    command,
    option,
    resolve_language,
)
from clv_xl.errors import ClvError
from clv_xl.i18n import Text
from clv_xl.report.run import PROGRESS_STEPS, ParameterOverrides, report_from_file

__all__ = ["report"]


@command(
    "report",
    help=Text(
        "Write the CLV report of DATA (.xlsx or .csv transactions) to a new workbook.\n\n"
        "DATA is only read, never changed. Parameters come from its parameters sheet when it has one; the "
        "options override them. Numbers may be written 0.35, 0,35 or 35%.",
        "Scrive in una nuova cartella di lavoro il report CLV di DATI (transazioni in .xlsx o .csv).\n\n"
        "DATI viene solo letto, mai modificato. I parametri vengono dal suo foglio Parametri, se c'è; le "
        "opzioni li sostituiscono. I numeri si scrivono 0,35 o 35%.",
    ),
)
@argument("data", type=click.Path(path_type=Path), metavar=Text("DATA", "DATI"))
@option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=Text(
        "The report workbook to write (.xlsx). It must not exist yet, unless --force.",
        "La cartella di lavoro del report da scrivere (.xlsx). Non deve esistere già, salvo con --force.",
    ),
)
@option(
    "--cac",
    type=AMOUNT,
    default=None,
    help=Text(
        "Customer acquisition cost, € per new customer (overrides the parameters sheet).",
        "Costo di acquisizione del cliente, € per nuovo cliente (sostituisce il foglio Parametri).",
    ),
)
@option(
    "--margin",
    type=RATE,
    default=None,
    help=Text(
        "Gross margin, 0 to 1 or a percentage: 0.35 or 35% (overrides the parameters sheet).",
        "Margine lordo, da 0 a 1 o in percentuale: 0,35 o 35% (sostituisce il foglio Parametri).",
    ),
)
@option(
    "--discount-rate",
    type=DISCOUNT_RATE,
    default=None,
    help=Text(
        "Yearly discount rate, e.g. 0.08 or 8% (overrides the parameters sheet).",
        "Tasso di attualizzazione annuo, ad es. 0,08 o 8% (sostituisce il foglio Parametri).",
    ),
)
@option(
    "--churn",
    "annual_churn",
    type=CHURN,
    default=None,
    help=Text(
        "Yearly churn rate, above 0 and at most 1 (e.g. 0.2 or 20%); the lifespan is then 1/churn instead of "
        "the one estimated from the orders.",
        "Tasso di abbandono annuo, maggiore di 0 e al massimo 1 (ad es. 0,2 o 20%); la durata diventa "
        "1/abbandono invece di quella stimata dagli ordini.",
    ),
)
@option(
    "--currency",
    default=None,
    help=Text(
        "Currency of the amounts (EUR, USD, GBP, CHF... or a symbol; default EUR): it sets the format of every "
        "amount in the report, charts included; amounts are not converted.",
        "Valuta degli importi (EUR, USD, GBP, CHF... o un simbolo; se omessa, EUR): determina il formato di ogni "
        "importo del rapporto, grafici compresi; gli importi non vengono convertiti.",
    ),
)
@option(
    "--skip-bad-rows",
    is_flag=True,
    help=Text(
        "Skip rows that cannot be read (they are counted) instead of stopping.",
        "Salta le righe che non si possono leggere (vengono contate) invece di fermarsi.",
    ),
)
@option(
    "--force",
    is_flag=True,
    help=Text("Replace the output file if it exists.", "Sostituisce il file da scrivere, se esiste già."),
)
@LANGUAGE_OPTION
def report(
    data: Path,
    out: Path,
    cac: float | None,
    margin: float | None,
    discount_rate: float | None,
    annual_churn: float | None,
    currency: str | None,
    skip_bad_rows: bool,
    force: bool,
    language: str | None,
) -> None:
    """Write the CLV report of DATA (.xlsx or .csv transactions) to a new workbook.

    DATA is only read, never changed. Parameters come from its parameters sheet when it
    has one; the options override them.
    """
    lang = resolve_language(language)
    overrides = ParameterOverrides(
        cac=cac, margin=margin, discount_rate=discount_rate, annual_churn=annual_churn, currency=currency
    )
    console = Console(stderr=True)
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console, transient=True
        ) as progress:
            task = progress.add_task("clv-xl report", total=len(PROGRESS_STEPS))

            def advance(step: str) -> None:
                label = PROGRESS_STEPS[step](lang) if step in PROGRESS_STEPS else step
                progress.update(task, description=label, advance=1)

            summary = report_from_file(
                data,
                out,
                language=lang,
                overrides=overrides,
                force=force,
                skip_bad_rows=skip_bad_rows,
                progress=advance,
            )
    except ClvError as error:
        raise click.ClickException(error.message(lang)) from None
    click.echo(summary)
