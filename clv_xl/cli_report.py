"""``clv-xl report``: the CLV report of a transactions file, as a new workbook."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from clv_xl.cli_common import LANGUAGE_OPTION, resolve_language
from clv_xl.errors import ClvError
from clv_xl.report.run import PROGRESS_STEPS, ParameterOverrides, report_from_file

__all__ = ["report"]


@click.command("report")
@click.argument("data", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The report workbook to write (.xlsx). It must not exist yet, unless --force.",
)
@click.option("--cac", type=float, default=None, help="Customer acquisition cost, € (overrides the parameters sheet).")
@click.option("--margin", type=float, default=None, help="Gross margin, 0 to 1 (overrides the parameters sheet).")
@click.option("--discount-rate", type=float, default=None, help="Yearly discount rate, e.g. 0.08.")
@click.option(
    "--churn",
    "annual_churn",
    type=float,
    default=None,
    help="Yearly churn rate; the lifespan is then 1/churn instead of the observed tenure.",
)
@click.option("--currency", default=None, help="Currency label shown in the report (default EUR).")
@click.option(
    "--skip-bad-rows", is_flag=True, help="Skip rows that cannot be read (they are counted) instead of stopping."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
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
        click.echo(error.message(lang), err=True)
        sys.exit(1)
    click.echo(summary)
