"""``clv-xl check``: how well each purchase model predicts the user's own orders.

Each model is fitted on the orders up to the calibration end (the last order's day
minus the holdout) and predicts every customer's purchases in the holdout; the
command prints, per model, the calibration and holdout ends, the customers, the
actual and predicted holdout purchases and the mean absolute error per customer
(:func:`clv_xl.models.holdout.holdout_check`). ``--json`` prints the same as a list
of objects with the keys ``model``, ``calibration_end``, ``holdout_end``,
``customers``, ``actual``, ``predicted``, ``mae``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from clv_xl.cli_common import LANGUAGE_OPTION, argument, command, option, resolve_language
from clv_xl.core.summaries import TIME_UNIT_NAMES, TimeUnit
from clv_xl.data import read_transactions
from clv_xl.errors import ClvError
from clv_xl.i18n import Language, Text, date_text, number_text
from clv_xl.models.holdout import HoldoutCheck, holdout_check
from clv_xl.models.purchase_models import MODEL_KEYS, ModelKey

__all__ = ["check"]

_HELP = {
    "command": Text(
        "Check the purchase models on your own orders: each model is fitted on the orders up to the end minus "
        "the holdout, and its predicted purchases in the holdout are compared with the actual ones.\n\n"
        "DATA (.xlsx or .csv transactions) is only read, never changed. Purchases are counted as CLV_CUSTOMERS "
        "counts them: distinct purchase periods of the time unit.",
        "Verifica i modelli di acquisto sui tuoi ordini: ogni modello è stimato sugli ordini fino alla fine meno "
        "il periodo di verifica, e gli acquisti che prevede nel periodo di verifica sono confrontati con quelli "
        "reali.\n\n"
        "DATI (transazioni .xlsx o .csv) viene solo letto, mai modificato. Gli acquisti sono contati come in "
        "CLV_CUSTOMERS: periodi di acquisto distinti nell'unità di tempo.",
    ),
    "holdout": Text(
        "Length of the holdout, in periods of the time unit (a whole number). Default: half the time the orders "
        "span, at most a year.",
        "Lunghezza del periodo di verifica, in periodi dell'unità di tempo (un numero intero). Se omesso: metà "
        "del tempo coperto dagli ordini, al massimo un anno.",
    ),
    "time_unit": Text(
        "Periods purchases are counted in: weeks (default), days or months.",
        "Periodi in cui si contano gli acquisti: weeks (settimane, se omesso), days (giorni) o months (mesi).",
    ),
    "model": Text(
        "The model to check: bgnbd, mbgnbd, pareto, or auto (default: all three, and the one with the smallest "
        "error is named).",
        "Il modello da verificare: bgnbd, mbgnbd, pareto, o auto (se omesso: tutti e tre, ed è indicato quello "
        "con l'errore minore).",
    ),
    "json": Text(
        "Print the results as JSON: a list of objects with the keys model, calibration_end, holdout_end, "
        "customers, actual, predicted, mae.",
        "Stampa i risultati in JSON: un elenco di oggetti con le chiavi model, calibration_end, holdout_end, "
        "customers, actual, predicted, mae.",
    ),
}
_COLUMNS = (
    Text("Model", "Modello"),
    Text("Calibration end", "Fine della stima"),
    Text("Holdout end", "Fine della verifica"),
    Text("Customers", "Clienti"),
    Text("Actual purchases", "Acquisti reali"),
    Text("Predicted purchases", "Acquisti previsti"),
    Text("Mean error per customer", "Errore medio per cliente"),
)
_TITLE = Text(
    "Check of the purchase models on {source}: fitted on the orders up to {calibration}, compared with the "
    "purchases up to {end} ({holdout} {unit})",
    "Verifica dei modelli di acquisto su {source}: stimati sugli ordini fino al {calibration}, confrontati con gli "
    "acquisti fino al {end} ({holdout} {unit})",
)
_BEST = Text(
    "The model with the smallest mean error per customer: {model}.",
    "Il modello con l'errore medio per cliente più basso: {model}.",
)
_NOT_FITTED = Text("{model} could not be fitted: {reason}", "{model} non è stato possibile stimarlo: {reason}")


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _print_table(result: HoldoutCheck, source: str, language: Language) -> None:
    console = Console(soft_wrap=True)
    if not console.is_terminal:
        console = Console(soft_wrap=True, width=160)
    title = _TITLE(language).format(
        source=source,
        calibration=date_text(result.calibration_end.date())(language),
        end=date_text(result.holdout_end.date())(language),
        holdout=result.holdout,
        unit=TIME_UNIT_NAMES[result.time_unit](language),
    )
    table = Table(title=title)
    for index, column in enumerate(_COLUMNS):
        table.add_column(column(language), justify="left" if index == 0 else "right")
    for model in result.models:
        predicted = "—" if model.problem else number_text(model.predicted, 1)(language)
        error = "—" if model.problem else number_text(model.mae, 3)(language)
        table.add_row(
            model.name,
            date_text(result.calibration_end.date())(language),
            date_text(result.holdout_end.date())(language),
            number_text(result.customers)(language),
            number_text(result.actual)(language),
            predicted,
            error,
        )
    console.print(table)
    for model in result.models:
        if model.problem is not None:
            console.print(_NOT_FITTED(language).format(model=model.name, reason=model.problem.message(language)))
    fitted = [model for model in result.models if model.problem is None]
    if len(fitted) > 1:
        best = min(fitted, key=lambda model: model.mae)
        console.print(_BEST(language).format(model=best.name))


@command("check", help=_HELP["command"])
@argument("data", type=click.Path(path_type=Path), metavar=Text("DATA", "DATI"))
@option("--holdout", "holdout", default=None, metavar="N", help=_HELP["holdout"])
@option(
    "--time-unit",
    "time_unit",
    type=click.Choice(["weeks", "days", "months"], case_sensitive=False),
    default="weeks",
    help=_HELP["time_unit"],
)
@option(
    "--model",
    "model",
    type=click.Choice([*MODEL_KEYS, "auto"], case_sensitive=False),
    default="auto",
    help=_HELP["model"],
)
@LANGUAGE_OPTION
@option("--json", "as_json", is_flag=True, help=_HELP["json"])
def check(data: Path, holdout: str | None, time_unit: str, model: str, language: str | None, as_json: bool) -> None:
    """Fit each purchase model on the orders before the holdout and compare its predictions with the holdout."""
    lang = resolve_language(language)
    unit: TimeUnit = time_unit.lower()  # type: ignore[assignment]
    models: tuple[ModelKey, ...] = MODEL_KEYS if model.lower() == "auto" else (model.lower(),)  # type: ignore[assignment]
    try:
        transactions = read_transactions(data).table
        given = None if holdout is None else holdout.strip().replace(",", ".")  # a whole number; "39,0" reads too
        result = holdout_check(transactions, holdout=given, time_unit=unit, models=models)
    except ClvError as error:
        raise click.ClickException(error.message(lang)) from None
    if as_json:
        records = result.records()
        for record in records:
            record["actual"] = _whole(float(record["actual"]))  # type: ignore[arg-type]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        _print_table(result, data.name, lang)
    if all(model.problem is not None for model in result.models):
        sys.exit(1)
