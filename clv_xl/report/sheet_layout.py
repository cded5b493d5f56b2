"""How the report is laid out, as data: sheets, blocks, labels, formats, formulas and charts.

The renderer (:mod:`clv_xl.report.xlsx`) reads this; no cell address of the report is
written anywhere else. Every Excel formula comes from :mod:`clv_xl.excel_formulas`
(where the templates' formulas come from too), over defined names for the assumption
cells and the key figures, and over the cells of the same row in the tables.

Live and computed figures: every figure that follows from the assumptions (CAC, margin,
discount rate, yearly churn) is a formula, whose cached value is the core's figure;
the forecast's figures (predicted revenue, probability still active, expected
purchases) are computed by Python when the report is made, and labelled so.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name, xl_range_abs, xl_rowcol_to_cell

from clv_xl.data.values import EXCEL_EPOCH
from clv_xl.excel_formulas import (
    ROW,
    if_positive,
    lifespan_used,
    native_formula,
    negative_part,
    per,
    positive_part,
    text_literal,
    times,
    total,
    unless_equal,
    value_so_far,
    weighted_average,
    what_if_clv,
)
from clv_xl.i18n import Language, Text, date_text, number_text
from clv_xl.models.choice import CHOICE_RULE
from clv_xl.report.model import ReportModel, TableData, ValueKind, currency_symbol

__all__ = [
    "CHARTS",
    "CHART_COLUMN",
    "NOTE_COLUMN",
    "EXCEL_MAX_ROWS",
    "FIRST_DATA_ROW",
    "KPI_NAMES",
    "PARAMETER_NAMES",
    "PRINT_ROWS",
    "SHEETS",
    "TABLE_HEADER_ROW",
    "TEXTS",
    "Block",
    "BlockStyle",
    "ChartSpec",
    "Placement",
    "chart_data_blocks",
    "column_formulas",
    "excel_date",
    "money_format",
    "number_formats",
    "report_sheet_blocks",
]

#: Sheet names, per language, in the order of the workbook.
SHEETS: dict[str, Text] = {
    "report": Text("CLV report", "Rapporto CLV"),
    "segments": Text("Segments", "Segmenti"),
    "customers": Text("Customers", "Clienti"),
    "at_risk": Text("At risk", "A rischio"),
    "cohorts": Text("Cohorts", "Coorti"),
    "chart_data": Text("Chart data", "Dati dei grafici"),
}

#: Excel's last row (1,048,576): no sheet goes past it.
EXCEL_MAX_ROWS = 1_048_576
#: Table sheets: title (row 0), one line of explanation (1), a note (2), the header (3), data from row 4.
TABLE_HEADER_ROW = 3
FIRST_DATA_ROW = TABLE_HEADER_ROW + 1
#: A long table prints only its first rows (its print area); the note says how to print all.
PRINT_ROWS = 200
#: Column (zero-based) of the first sheet's notes, right of the figures (they run on over the next column).
NOTE_COLUMN = 2
#: Column (zero-based) of the first sheet where the charts go, one under the other, right of the figures.
CHART_COLUMN = 4
#: At most this many segments in the CLV-by-segment chart (the largest), and the whole base.
CHART_SEGMENTS = 15


def money_format(currency: str, language: Language, decimals: int = 2) -> str:
    """The number format of amounts in ``currency``: ``#,##0.00 "€"``; ``"$"#,##0.00`` for $ and £ in English.

    Excel and LibreOffice show the separators of the user's locale (1.234,56 € in Italy).
    """
    symbol = currency_symbol(currency)
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if language == "en" and symbol in ("$", "£"):
        return f'"{symbol}"{number}'
    return f'{number} "{symbol}"'


def number_formats(language: Language, currency: str) -> dict[ValueKind, str]:
    """Number formats by kind of value; dates day-first in Italian, ISO in English."""
    return {
        "count": "#,##0",
        "money": money_format(currency, language),
        "number": "#,##0.00",
        "years": "0.0",
        "percent": "0.0%",
        "date": "dd/mm/yyyy" if language == "it" else "yyyy-mm-dd",
        "days": "#,##0",
        "text": "@",
    }


#: The articles the method comes from, by title and publisher, and the forecast's papers.
SOURCES = (
    Text(
        "Sources: the step-by-step CLV method of Responsify; “Strategie per un Customer Lifetime Value efficace nel "
        "B2B”; “Customer Lifetime Value: cos'è e cosa devi conoscere”.",
        "Fonti: il metodo passo per passo di Responsify per il CLV; “Strategie per un Customer Lifetime Value "
        "efficace nel B2B”; “Customer Lifetime Value: cos'è e cosa devi conoscere”.",
    ),
    Text(
        "Forecast: Fader, Hardie and Lee (2005), BG/NBD; Batislam, Denizel and Filiztekin (2007), MBG/NBD; "
        "Schmittlein, Morrison and Colombo (1987), Pareto/NBD; Fader and Hardie, Gamma-Gamma.",
        "Previsione: Fader, Hardie e Lee (2005), BG/NBD; Batislam, Denizel e Filiztekin (2007), MBG/NBD; "
        "Schmittlein, Morrison e Colombo (1987), Pareto/NBD; Fader e Hardie, Gamma-Gamma.",
    ),
)

TEXTS: dict[str, Text] = {
    "title": Text("Customer lifetime value report", "Rapporto sul valore del cliente nel tempo (CLV)"),
    "period": Text("Transactions from {start} to {end}", "Transazioni dal {start} al {end}"),
    "how_to_read": Text("How to read this report", "Come leggere questo rapporto"),
    "parameters": Text(
        "Assumptions (yellow cells: change them and every formula follows)",
        "Ipotesi (celle gialle: modificale e tutte le formule si aggiornano)",
    ),
    "value": Text("Value of a customer", "Valore di un cliente"),
    "kpis": Text("Key figures (step-by-step method)", "Indicatori principali (metodo passo per passo)"),
    "what_if": Text("What if one driver changes by 20 %", "Sensibilità: il CLV se un fattore cambia del 20 %"),
    "what_if_note": Text(
        "Small changes in a driver move CLV a lot (“Strategie per un Customer Lifetime Value efficace nel B2B”).",
        "Piccoli cambiamenti di un fattore muovono molto il CLV (“Strategie per un Customer Lifetime Value "
        "efficace nel B2B”).",
    ),
    "driver": Text("Driver", "Fattore"),
    "clv_at": Text("CLV at {change}", "CLV a {change}"),
    "cac": Text("Acquisition cost per customer (CAC)", "Costo di acquisizione per cliente (CAC)"),
    "margin": Text("Gross margin", "Margine lordo"),
    "discount_rate": Text("Yearly discount rate", "Tasso di attualizzazione annuo"),
    "annual_churn": Text("Yearly churn (empty: estimated lifespan)", "Abbandono annuo (vuoto: durata stimata)"),
    "annual_churn_note": Text(
        "share of customers lost in a year; the lifespan is then 1 / churn",
        "quota di clienti persi in un anno; la durata è allora 1 / abbandono",
    ),
    "currency": Text("Currency", "Valuta"),
    "currency_note": Text(
        "set when the report is made (--currency or the Parameters sheet)",
        "scelta quando si crea il rapporto (--currency o il foglio Parametri)",
    ),
    "driver_apv": Text("Average purchase value", "Valore medio di acquisto"),
    "driver_acl": Text("Lifespan", "Durata"),
    "driver_frequency": Text("Purchases per year", "Acquisti all'anno"),
    "driver_margin": Text("Margin", "Margine"),
    "driver_cac": Text("CAC", "CAC"),
    "forecast": Text(
        "Forecast: {model} for the purchases and the probability still active, {spend} for the value of a "
        "purchase, fitted on your orders when the report was made.",
        "Previsione: {model} per gli acquisti e la probabilità che sia ancora attivo, {spend} per il valore di "
        "un acquisto, stimati sui tuoi ordini quando è stato creato il rapporto.",
    ),
    "forecast_why": Text("Why {model}: {reason}.", "Perché {model}: {reason}."),
    "forecast_rule_title": Text(
        "How the purchase model of the forecast is chosen", "Come si sceglie il modello di acquisto della previsione"
    ),
    "forecast_no_value": Text(
        "No predicted value: the spend model ({spend}) could not be fitted ({reason}); the probabilities and "
        "purchases are there.",
        "Nessun valore previsto: il modello della spesa ({spend}) non si può stimare ({reason}); probabilità e "
        "acquisti ci sono.",
    ),
    "forecast_tracking": Text(
        "The chart “{chart}” checks the model: fitted only on the orders up to {calibration}, it predicts the "
        "repeat purchases of those {customers} customers week by week; after {calibration} it did not see the "
        "orders, so the closer the two lines there, the better it predicts (Fader, Hardie and Lee 2005, Figure 3).",
        "Il grafico “{chart}” verifica il modello: stimato solo sugli ordini fino al {calibration}, prevede i "
        "riacquisti di quei {customers} clienti settimana per settimana; dopo il {calibration} non ha visto gli "
        "ordini, quindi più le due linee sono vicine, meglio prevede (Fader, Hardie e Lee 2005, figura 3).",
    ),
    "forecast_sample": Text(
        "The check was made on a fixed sample of {sample} of the {total} customers.",
        "La verifica è stata fatta su un campione fisso di {sample} clienti su {total}.",
    ),
    "discount_changed": Text(
        "The forecast uses the discount rate of when the report was made ({rate}): make the report again to use "
        "the new rate.",
        "La previsione usa il tasso di attualizzazione di quando è stato creato il rapporto ({rate}): crealo di "
        "nuovo per usare il nuovo tasso.",
    ),
    "no_predictions": Text(
        "No forecast (BG/NBD, MBG/NBD or Pareto/NBD, and Gamma-Gamma): {reason}.",
        "Nessuna previsione (BG/NBD, MBG/NBD o Pareto/NBD, e Gamma-Gamma): {reason}.",
    ),
    "no_cac": Text("no CAC given", "CAC non indicato"),
    "no_margin": Text("no margin to recover it", "nessun margine per recuperarlo"),
    "chart_segments": Text("CLV by segment", "CLV per segmento"),
    "chart_revenue": Text("Revenue by month", "Ricavi per mese"),
    "chart_what_if": Text("CLV change when a driver moves 20 %", "Variazione del CLV se un fattore cambia del 20 %"),
    "chart_tracking": Text(
        "Repeat purchases, cumulative: actual and predicted", "Riacquisti cumulati: reali e previsti"
    ),
    "gain": Text("Gain", "Guadagno"),
    "loss": Text("Loss", "Perdita"),
    "clv_positive": Text("CLV", "CLV"),
    "clv_negative": Text("CLV below zero", "CLV sotto zero"),
    "chart_data_note": Text(
        "The tables behind the report's charts: the formulas follow the assumptions of the first sheet.",
        "Le tabelle dietro i grafici del rapporto: le formule seguono le ipotesi del primo foglio.",
    ),
    "print_note": Text(
        "Prints the first {rows} rows; to print all, clear the print area (Page Layout > Print Area > Clear Print "
        "Area).",
        "Stampa le prime {rows} righe; per stamparle tutte, cancella l'area di stampa (Layout di pagina > Area di "
        "stampa > Cancella area di stampa).",
    ),
    "rows_left_out": Text(
        "{shown} of {total} rows fit in Excel (the most valuable); all of them are in {file}.",
        "{shown} righe su {total} entrano in Excel (le più importanti); ci sono tutte in {file}.",
    ),
    "texts_cut": Text(
        "Texts longer than the 32,767 characters of an Excel cell, cut: {count}; your orders file keeps them whole.",
        "Testi più lunghi dei 32.767 caratteri di una cella di Excel, tagliati: {count}; il file degli ordini li "
        "conserva interi.",
    ),
    "cohorts_note": Text(
        "Share of each first-purchase cohort still buying, period by period: darker is more.",
        "Quota di ogni coorte (mese del primo acquisto) che compra ancora, periodo per periodo: più scuro è di più.",
    ),
}


#: Characters of a note that fit left of the charts on the first sheet (columns A to D), and right of a figure.
NOTE_WIDTH, HELP_WIDTH = 118, 72


def _lifespan_line(model: ReportModel) -> tuple[Text, Text]:
    """The CLV's lifespan in one line: with the churn of the assumptions, and without (the estimate's method)."""
    method = {
        "estimate": Text(
            "1 / the yearly churn estimated from the orders (Key figures)",
            "1 / l'abbandono annuo stimato dagli ordini (Indicatori principali)",
        ),
        "tenure": Text(
            "the customers' observed tenure, a lower bound (the orders cannot measure the churn)",
            "la permanenza osservata dei clienti, un limite inferiore (gli ordini non misurano l'abbandono)",
        ),
    }[model.lifespan.source]
    return (
        Text(
            "The CLV's lifespan: 1 / the yearly churn you gave in the assumptions.",
            "Durata usata dal CLV: 1 / l'abbandono annuo che hai indicato nelle ipotesi.",
        ),
        Text(f"The CLV's lifespan: {method.en}.", f"Durata usata dal CLV: {method.it}."),
    )


def _how_to_read(model: ReportModel) -> list[tuple[Text, str | None]]:
    """One line per headline number: what it is and why they differ; with the formula of a line that is live.

    The lifespan's line follows the churn of the assumptions (a formula over
    ``Report_Churn``), as the lifespan itself does.
    """
    weeks = model.purchase_model.horizon_weeks if model.purchase_model else 52
    lines: list[tuple[Text, str | None]] = [
        (
            Text(
                "Value so far: what an average customer has brought you up to now (revenue × margin).",
                "Valore finora: quanto ti ha portato finora un cliente medio (ricavi × margine).",
            ),
            None,
        )
    ]
    if model.has_kpi("predicted_value"):
        lines += [
            (
                Text(
                    f"Predicted value: what the model expects an average customer to bring in the next {weeks} "
                    "weeks (× margin, discounted).",
                    f"Valore previsto: quanto il modello si aspetta da un cliente medio nelle prossime {weeks} "
                    "settimane (× margine, attualizzato).",
                ),
                None,
            ),
            (
                Text(
                    "Total value = so far + predicted: what a customer is worth to you, acquisition cost not included.",
                    "Valore totale = finora + previsto: quanto vale per te un cliente, costo di acquisizione escluso.",
                ),
                None,
            ),
        ]
    given, estimated = _lifespan_line(model)
    language = model.parameters.language
    formula = if_positive(
        PARAMETER_NAMES["annual_churn"], text_literal(given(language)), text_literal(estimated(language))
    )
    lines += [
        (
            Text(
                "CLV (step-by-step method): value per year × margin × lifespan − CAC, over the whole relationship.",
                "CLV (metodo passo per passo): valore annuo × margine × durata − CAC, sull'intero rapporto col "
                "cliente.",
            ),
            None,
        ),
        (given if model.lifespan.from_churn else estimated, formula),
        (model.lifespan.basis, None),
    ]
    if model.has_kpi("clv_segments"):
        lines.append(
            (
                Text(
                    "CLV per segment: the same per segment, weighted by customers; it differs when segments stay "
                    "for different times.",
                    "CLV per segmento: lo stesso per segmento, ponderato per clienti; è diverso se i segmenti "
                    "restano clienti per tempi diversi.",
                ),
                None,
            )
        )
    lines.append(
        (
            Text(
                "They differ because they cover different spans (past, next weeks, whole lifespan); only CLV "
                "subtracts the CAC.",
                "Sono diversi perché coprono periodi diversi (passato, prossime settimane, intera durata); solo il "
                "CLV sottrae il CAC.",
            ),
            None,
        )
    )
    return lines


def _forecast_lines(model: ReportModel) -> list[Text]:
    """What the forecast is, why this purchase model, the rule, and what the tracking chart shows."""
    forecast = model.purchase_model
    if forecast is None:
        return []

    def filled(key: str, **values: Text | str) -> Text:
        return Text(
            TEXTS[key].en.format(**{k: v.en if isinstance(v, Text) else v for k, v in values.items()}),
            TEXTS[key].it.format(**{k: v.it if isinstance(v, Text) else v for k, v in values.items()}),
        )

    prefix = f"{forecast.name}: "
    reason = Text(forecast.reason.en.removeprefix(prefix), forecast.reason.it.removeprefix(prefix))
    lines = [
        filled("forecast", model=forecast.name, spend=forecast.spend_model),
        filled("forecast_why", model=forecast.name, reason=reason),
    ]
    if forecast.spend_problem is not None:
        lines.append(filled("forecast_no_value", spend=forecast.spend_model, reason=forecast.spend_problem))
    check = forecast.check
    if check is not None and model.tracking is not None:
        lines.append(
            filled(
                "forecast_tracking",
                chart=TEXTS["chart_tracking"],
                calibration=date_text(check.calibration_end.date()),
                customers=number_text(check.customers),
            )
        )
        if check.sample is not None:
            total = model.kpi("customers").value or 0
            lines.append(filled("forecast_sample", sample=number_text(check.sample), total=number_text(total)))
    return lines


def wrapped(text: str, width: int = NOTE_WIDTH) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words (a cell per line)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


#: Defined names of the assumption cells.
PARAMETER_NAMES: dict[str, str] = {
    "cac": "Report_CAC",
    "margin": "Report_Margin",
    "discount_rate": "Report_Discount",
    "annual_churn": "Report_Churn",
}
#: Defined names of the key figures that formulas use.
KPI_NAMES: dict[str, str] = {
    "historic_value": "Report_HistoricValue",
    "predicted_revenue": "Report_PredictedRevenue",
    "predicted_value": "Report_PredictedValue",
    "total_value": "Report_TotalValue",
    "clv": "Report_CLV",
    "clv_segments": "Report_SegmentCLV",
    "customers": "Report_Customers",
    "purchases": "Report_Purchases",
    "revenue": "Report_Revenue",
    "years_observed": "Report_Years",
    "apv": "Report_APV",
    "repeat_rate": "Report_RepeatRate",
    "purchases_per_year": "Report_Frequency",
    "customer_value": "Report_CustomerValue",
    "lifespan_estimated": "Report_EstimatedLifespan",
    "lifespan": "Report_Lifespan",
}
_P, _K = PARAMETER_NAMES, KPI_NAMES
_YEARLY_MARGIN = f"{_K['customer_value']}*{_P['margin']}"

#: The arguments of the CLV formula over the report's names (APV and frequency apart, for the what-if).
CLV_ARGUMENTS: dict[str, str | None] = {
    "apv": _K["apv"],
    "frequency": _K["purchases_per_year"],
    "acl": _K["lifespan"],
    "cac": _P["cac"],
    "margin": _P["margin"],
    "discount_rate": _P["discount_rate"],
}
#: A moved driver stays within its range: a margin above 100 % is 100 %.
WHAT_IF_CAPS = {"margin": "1"}
#: The section of the first sheet each KPI is shown in.
VALUE_KPIS = ("historic_value", "predicted_revenue", "predicted_value", "total_value", "clv", "clv_segments")


def kpi_formulas(language: Language) -> dict[str, str]:
    """KPIs computed by formulas over the names, keyed by KPI (the cached values are Python's)."""
    return {
        "historic_value": value_so_far(_K["revenue"], _P["margin"], _K["customers"]),
        "predicted_value": times(_K["predicted_revenue"], _P["margin"]),
        "total_value": total(_K["historic_value"], _K["predicted_value"]),
        "clv": native_formula(
            "CLV",
            {
                "apv": _K["customer_value"],
                "acl": _K["lifespan"],
                "cac": _P["cac"],
                "frequency": None,
                "margin": _P["margin"],
                "discount_rate": _P["discount_rate"],
            },
        ),
        "apv": native_formula("APV", {"revenue": _K["revenue"], "purchases": _K["purchases"]}),
        "repeat_rate": native_formula("REPEAT_RATE", {"purchases": _K["purchases"], "customers": _K["customers"]}),
        "purchases_per_year": per(_K["repeat_rate"], _K["years_observed"]),
        "customer_value": native_formula("CUSTOMER_VALUE", {"apv": _K["apv"], "repeat_rate": _K["purchases_per_year"]}),
        "lifespan": lifespan_used(_P["annual_churn"], _K["lifespan_estimated"]),
        "ltv_cac": if_positive(
            _P["cac"],
            native_formula("LTV_CAC", {"clv_gross": f"{_K['clv']}+{_P['cac']}", "cac": _P["cac"]}),
            text_literal(TEXTS["no_cac"](language)),
        ),
        "cac_payback": if_positive(
            _P["cac"],
            if_positive(
                _YEARLY_MARGIN,
                times("12", native_formula("CAC_PAYBACK", {"cac": _P["cac"], "margin_per_period": _YEARLY_MARGIN})),
                text_literal(TEXTS["no_margin"](language)),
            ),
            text_literal(TEXTS["no_cac"](language)),
        ),
    }


def _fallback(key: str, model: ReportModel) -> str | None:
    """What the formula of a KPI without a value shows instead, and why (the same test as the formula)."""
    if key == "ltv_cac" or (key == "cac_payback" and model.parameters.cac <= 0):
        return "no_cac"
    return "no_margin" if key == "cac_payback" else None


def _row_reference(columns: list[str], key: str) -> str:
    """Column ``key`` of the same row, in a formula repeated down a table: ``E{row}``."""
    return f"{xl_col_to_name(columns.index(key))}{ROW}"


def column_formulas(table: TableData) -> dict[str, str]:
    """Formulas repeated down the rows of a table sheet, by column key (``{row}`` is each row's number).

    Only the columns that follow from the assumptions: the value so far, predicted and
    total (× margin), the step-by-step method per segment, the value at stake.
    """
    keys = [c.key for c in table.columns]

    def ref(key: str) -> str:
        return _row_reference(keys, key)

    margin = _P["margin"]
    found: dict[str, str] = {}
    if table.name in ("customers", "segments"):
        if table.name == "customers":
            found["historic_value"] = value_so_far(ref("revenue"), margin)
        else:
            found["historic_value"] = value_so_far(ref("revenue"), margin, ref("customers"))
        if "predicted_revenue" in keys:
            found["predicted_value"] = times(ref("predicted_revenue"), margin)
            found["total_value"] = total(ref("historic_value"), ref("predicted_value"))
    if table.name == "segments":
        found["apv"] = native_formula("APV", {"revenue": ref("revenue"), "purchases": ref("purchases")})
        found["purchases_per_year"] = native_formula(
            "REPEAT_RATE", {"purchases": ref("purchases"), "customers": f"{ref('customers')}*{_K['years_observed']}"}
        )
        found["customer_value_per_year"] = native_formula(
            "CUSTOMER_VALUE", {"apv": ref("apv"), "repeat_rate": ref("purchases_per_year")}
        )
        found["lifespan_years"] = lifespan_used(_P["annual_churn"], ref("lifespan_estimated"))
        found["clv"] = native_formula(
            "CLV",
            {
                "apv": ref("customer_value_per_year"),
                "acl": ref("lifespan_years"),
                "cac": _P["cac"],
                "frequency": None,
                "margin": margin,
                "discount_rate": _P["discount_rate"],
            },
        )
    if table.name == "at_risk":
        found["value_at_stake"] = times(ref("value_per_year"), margin)
    return found


BlockStyle = Literal[
    "title", "subtitle", "note", "header", "label", "input", "fixed", "value", "figure", "key_figure", "warning"
]
Cell = float | str | None


@dataclass(frozen=True)
class Block:
    """A rectangle of a sheet: values, their kinds, and what they are.

    ``formulas[i][j]``, where not None, replaces the value with a formula whose cached
    result is ``values[i][j]``. ``names`` maps a defined name to the (row, column)
    offset within the block it points at. ``table`` names the block for the charts
    (its rows are data, columns named by ``keys``).
    """

    row: int
    column: int
    values: list[list[Cell]]
    kinds: tuple[ValueKind, ...]
    style: BlockStyle
    formulas: list[list[str | None]] | None = None
    names: dict[str, tuple[int, int]] = field(default_factory=dict)
    table: str | None = None
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placement:
    """Where a table's rows went: its sheet, its header row, its columns, how many rows.

    ``complete`` is False when the sheet could not hold every row (Excel's limit):
    formulas that would count over the whole table then give way to Python's figures.
    """

    sheet: str
    header_row: int
    column: int
    keys: tuple[str, ...]
    rows: int
    complete: bool = True

    def range(self, key: str, first: int = 0, count: int | None = None) -> str:
        """The absolute range of column ``key``'s rows ``first`` to ``first + count``, with the sheet."""
        column = self.column + self.keys.index(key)
        top = self.header_row + 1 + first
        bottom = top + (self.rows - first if count is None else count) - 1
        return f"'{self.sheet}'!{xl_range_abs(top, column, max(bottom, top), column)}"

    def cell(self, key: str, offset: int) -> str:
        """The absolute address of column ``key`` in data row ``offset``, with the sheet."""
        cell = xl_rowcol_to_cell(self.header_row + 1 + offset, self.column + self.keys.index(key), True, True)
        return f"'{self.sheet}'!{cell}"


def _number(value: object) -> float | None:
    """A finite number, or None (NaN, infinity and missing values are never written)."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None


def _date_text(value: pd.Timestamp, language: Language) -> str:
    return value.strftime("%d/%m/%Y" if language == "it" else "%Y-%m-%d")


def _change_text(change: float) -> str:
    """A relative change as people write it: ``+20 %``, ``−20 %`` (a real minus sign)."""
    return f"{change * 100:+.0f} %".replace("-", "−")


def _percent_text(value: float, language: Language) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") if language == "it" else text) + " %"


def report_sheet_blocks(model: ReportModel, placements: Mapping[str, Placement], notes: list[str]) -> list[Block]:
    """The first sheet as blocks, top to bottom: title, how to read, assumptions, value, key figures, what-if.

    ``placements`` says where the segments went (for the weighted CLV); ``notes`` are
    lines about the file itself (rows left out, texts cut).
    """
    language: Language = model.parameters.language

    def text(key: str) -> str:
        return TEXTS[key](language)

    period = text("period").format(
        start=_date_text(model.period_start, language), end=_date_text(model.period_end, language)
    )
    blocks = [
        Block(0, 0, [[text("title")]], ("text",), "title"),
        Block(1, 0, [[period]], ("text",), "subtitle"),
    ]
    row = 2
    warnings = list(notes)
    if model.prediction_note is not None:
        warnings.append(text("no_predictions").format(reason=model.prediction_note(language)))
    for warning in warnings:
        for line in wrapped(warning):
            blocks.append(Block(row, 0, [[line]], ("text",), "warning"))
            row += 1
    for note in model.notes:
        for line in wrapped(note(language)):
            blocks.append(Block(row, 0, [[line]], ("text",), "subtitle"))
            row += 1
    row += 1
    blocks.append(Block(row, 0, [[text("how_to_read")]], ("text",), "header"))
    row += 1
    for explanation, formula in _how_to_read(model):
        if formula is not None:  # one line, live
            blocks.append(Block(row, 0, [[explanation(language)]], ("text",), "note", formulas=[[formula]]))
            row += 1
            continue
        for line in wrapped(explanation(language)):
            blocks.append(Block(row, 0, [[line]], ("text",), "note"))
            row += 1
    row += 1

    # assumptions
    blocks.append(Block(row, 0, [[text("parameters")]], ("text",), "header"))
    row += 1
    parameters = model.parameters
    inputs: list[tuple[str, Cell, ValueKind]] = [
        ("cac", parameters.cac, "money"),
        ("margin", parameters.margin, "percent"),
        ("discount_rate", parameters.discount_rate, "percent"),
        ("annual_churn", parameters.annual_churn, "percent"),
    ]
    for key, value, kind in inputs:
        blocks.append(Block(row, 0, [[text(key)]], ("text",), "label"))
        blocks.append(Block(row, 1, [[value]], (kind,), "input", names={PARAMETER_NAMES[key]: (0, 0)}))
        if key == "annual_churn":
            blocks.append(Block(row, NOTE_COLUMN, [[text("annual_churn_note")]], ("text",), "note"))
        row += 1
    blocks.append(Block(row, 0, [[text("currency")]], ("text",), "label"))
    blocks.append(Block(row, 1, [[currency_symbol(parameters.currency)]], ("text",), "fixed"))
    blocks.append(Block(row, NOTE_COLUMN, [[text("currency_note")]], ("text",), "note"))
    row += 2

    formulas = kpi_formulas(language)
    segments = placements.get("segments")
    if segments is not None and segments.complete and model.has_kpi("clv_segments"):
        # every segment's row but the last (the whole base); a cut table keeps Python's figure
        formulas["clv_segments"] = weighted_average(
            segments.range("customers", 0, segments.rows - 1), segments.range("clv", 0, segments.rows - 1)
        )

    def kpi_block(start: int, keys: list[str]) -> int:
        for key in keys:
            kpi = model.kpi(key)
            value: Cell = _number(kpi.value)
            formula = formulas.get(key)
            fallback = _fallback(key, model) if value is None else None
            if fallback is not None:
                value = text(fallback)
            blocks.append(Block(start, 0, [[kpi.label(language)]], ("text",), "label"))
            names = {KPI_NAMES[key]: (0, 0)} if key in KPI_NAMES else {}
            style: BlockStyle = "key_figure" if key in ("clv", "total_value") else "figure"
            blocks.append(
                Block(start, 1, [[value]], (kpi.kind,), style, formulas=[[formula]] if formula else None, names=names)
            )
            for offset, line in enumerate(wrapped(kpi.help(language), HELP_WIDTH) if kpi.help(language) else []):
                if offset:  # a help too long for one line goes on under it
                    start += 1
                blocks.append(Block(start, NOTE_COLUMN, [[line]], ("text",), "note"))
            start += 1
        return start

    blocks.append(Block(row, 0, [[text("value")]], ("text",), "header"))
    row = kpi_block(row + 1, [key for key in VALUE_KPIS if model.has_kpi(key)])
    forecast = model.purchase_model
    if forecast is not None:
        for explanation in _forecast_lines(model):
            for line in wrapped(explanation(language)):
                blocks.append(Block(row, 0, [[line]], ("text",), "note"))
                row += 1
        warning = text("discount_changed").format(rate=_percent_text(forecast.discount_rate, language))
        blocks.append(
            Block(
                row,
                0,
                [[""]],
                ("text",),
                "warning",
                formulas=[[unless_equal(PARAMETER_NAMES["discount_rate"], forecast.discount_rate, warning)]],
            )
        )
        row += 1
    row += 1

    blocks.append(Block(row, 0, [[text("kpis")]], ("text",), "header"))
    row = kpi_block(row + 1, [kpi.key for kpi in model.kpis if kpi.key not in VALUE_KPIS]) + 1

    # the what-if: CLV with one driver moved, a tornado around the CLV above
    what_if = model.what_if
    change_labels = [text("clv_at").format(change=_change_text(change)) for change in what_if.changes]
    blocks.append(Block(row, 0, [[text("what_if")]], ("text",), "header"))
    blocks.append(Block(row + 1, 0, [[text("what_if_note")]], ("text",), "note"))
    text_kind: ValueKind = "text"
    money_kind: ValueKind = "money"
    blocks.append(
        Block(row + 2, 0, [[text("driver"), *change_labels]], (text_kind,) * (1 + len(change_labels)), "header")
    )
    values: list[list[Cell]] = []
    cells: list[list[str | None]] = []
    for index, driver in enumerate(what_if.drivers):
        values.append([text(f"driver_{driver}"), *(_number(v) for v in what_if.values[index])])
        cells.append([None, *(what_if_clv(CLV_ARGUMENTS, driver, change, WHAT_IF_CAPS) for change in what_if.changes)])
    blocks.append(
        Block(
            row + 3,
            0,
            values,
            (text_kind, *(money_kind,) * len(what_if.changes)),
            "value",
            formulas=cells,
            table="what_if",
            keys=("driver", *(f"{change:+.0%}" for change in what_if.changes)),
        )
    )
    row += 3 + len(what_if.drivers) + 1
    if forecast is not None:  # the rule that chose the purchase model, in full
        blocks.append(Block(row, 0, [[text("forecast_rule_title")]], ("text",), "header"))
        row += 1
        for line in wrapped(CHOICE_RULE(language)):
            blocks.append(Block(row, 0, [[line]], ("text",), "note"))
            row += 1
        row += 1
    for source in SOURCES:
        for line in wrapped(source(language)):
            blocks.append(Block(row, 0, [[line]], ("text",), "note"))
            row += 1
    return blocks


ChartKind = Literal["bar", "column", "line"]


@dataclass(frozen=True)
class ChartSpec:
    """A native chart of the first sheet: which chart-data table it plots, where it goes.

    ``values`` name the series columns, ``colors`` their fill colours. The charts go one
    under the other, in the order of :data:`CHARTS`, right of the figures. ``money`` says the values
    are amounts (axis and labels in the currency, without cents); ``labels`` shows the
    values on the bars; ``overlap`` lays a series over the other (gains and losses).
    """

    key: str
    kind: ChartKind
    table: str
    categories: str
    values: tuple[str, ...]
    colors: tuple[str, ...]
    money: bool = True
    labels: bool = True
    overlap: bool = False
    top_down: bool = False
    legend: bool = False


#: Colours: gains and positive values blue, losses red, predictions orange.
BLUE, RED, ORANGE, GREY = "#2F5597", "#C00000", "#ED7D31", "#7F7F7F"

CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "chart_segments",
        "bar",
        "segment_chart",
        "segment",
        ("positive", "negative"),
        (BLUE, RED),
        overlap=True,
        top_down=True,
    ),
    ChartSpec(
        "chart_what_if",
        "bar",
        "tornado",
        "driver",
        ("loss", "gain"),
        (RED, BLUE),
        overlap=True,
        top_down=True,
        legend=True,
    ),
    ChartSpec("chart_distribution", "column", "value_distribution", "bin", ("customers",), (BLUE,), money=False),
    ChartSpec("chart_revenue", "line", "revenue_by_month", "month", ("revenue",), (BLUE,), labels=False),
    ChartSpec(
        "chart_tracking",
        "line",
        "tracking",
        "period",
        ("actual", "predicted"),
        (BLUE, ORANGE),
        money=False,
        labels=False,
    ),
)


def _series_labels(language: Language) -> dict[str, str]:
    return {
        "positive": TEXTS["clv_positive"](language),
        "negative": TEXTS["clv_negative"](language),
        "loss": TEXTS["loss"](language),
        "gain": TEXTS["gain"](language),
    }


def chart_data_blocks(model: ReportModel, placements: Mapping[str, Placement], report: list[Block]) -> list[Block]:
    """The chart-data sheet: one small table per chart, side by side, live where the chart follows the assumptions.

    The CLV by segment and the what-if are split into a positive and a negative series
    (drawn in two colours), as formulas over the segments sheet and the what-if table.
    """
    language: Language = model.parameters.language
    labels = _series_labels(language)
    blocks: list[Block] = [
        Block(0, 0, [[SHEETS["chart_data"](language)]], ("text",), "title"),
        Block(1, 0, [[TEXTS["chart_data_note"](language)]], ("text",), "note"),
    ]
    column = 0
    header_row = TABLE_HEADER_ROW

    def add(
        name: str,
        headers: list[str],
        keys: tuple[str, ...],
        kinds: tuple[ValueKind, ...],
        values: list[list[Cell]],
        cells: list[list[str | None]] | None,
    ) -> None:
        nonlocal column
        text_kind: ValueKind = "text"
        blocks.append(Block(header_row, column, [list[Cell](headers)], (text_kind,) * len(headers), "header"))
        if values:
            blocks.append(Block(header_row + 1, column, values, kinds, "value", formulas=cells, table=name, keys=keys))
        column += len(headers) + 1

    # CLV by segment: the largest segments and the whole base, positive and negative apart
    segments = model.segments.rows
    placed = placements.get("segments")
    order = list(range(len(segments)))
    if len(segments) > CHART_SEGMENTS + 1:
        largest = segments.iloc[:-1]["customers"].to_numpy().argsort(kind="stable")[::-1][:CHART_SEGMENTS]
        order = sorted(int(i) for i in largest) + [len(segments) - 1]
    values: list[list[Cell]] = []
    cells: list[list[str | None]] = []
    for index in order:
        clv = _number(segments["clv"].iloc[index]) or 0.0
        values.append([str(segments["segment"].iloc[index]), max(0.0, clv), min(0.0, clv)])
        if placed is not None and index < placed.rows:
            source = placed.cell("clv", index)
            cells.append([None, positive_part(source), negative_part(source)])
        else:
            cells.append([None, None, None])
    money: ValueKind = "money"
    add(
        "segment_chart",
        [TEXTS["chart_segments"](language), labels["positive"], labels["negative"]],
        ("segment", "positive", "negative"),
        ("text", money, money),
        values,
        cells,
    )

    # the tornado: the loss and the gain of CLV when each driver moves
    what_if = next(block for block in report if block.table == "what_if")
    report_sheet = SHEETS["report"](language)
    values, cells = [], []
    for index, row in enumerate(what_if.values):
        moved = [
            f"'{report_sheet}'!{xl_rowcol_to_cell(what_if.row + index, what_if.column + 1 + j, True, True)}"
            f"-{KPI_NAMES['clv']}"
            for j in range(len(row) - 1)
        ]
        changes = [float(v) - model.what_if.base for v in row[1:] if v is not None]
        values.append([row[0], min([0.0, *changes]), max([0.0, *changes])])
        cells.append([None, negative_part(*moved), positive_part(*moved)])
    add(
        "tornado",
        [TEXTS["driver"](language), labels["loss"], labels["gain"]],
        ("driver", "loss", "gain"),
        ("text", money, money),
        values,
        cells,
    )

    # the distribution of customers by revenue (no assumption moves it)
    distribution = model.value_distribution
    count: ValueKind = "count"
    add(
        "value_distribution",
        [c.label(language) for c in distribution.columns],
        tuple(c.key for c in distribution.columns),
        ("text", money, money, count),
        [
            [str(label), _number(low), _number(high), float(customers)]
            for label, low, high, customers in distribution.rows[["bin", "low", "high", "customers"]].itertuples(
                index=False
            )
        ],
        None,
    )

    # revenue by month
    monthly = model.revenue_by_month.rows
    date: ValueKind = "date"
    add(
        "revenue_by_month",
        [c.label(language) for c in model.revenue_by_month.columns],
        ("month", "revenue"),
        (date, money),
        [[excel_date(m), _number(r)] for m, r in zip(monthly["month"], monthly["revenue"], strict=True)],
        None,
    )

    # actual against predicted repeat purchases, when the forecast supplies them
    if model.tracking is not None:
        tracking = model.tracking
        kinds = tuple(c.kind for c in tracking.columns)
        rows = [
            [
                excel_date(v) if c.kind == "date" else (_number(v) if c.kind != "text" else str(v))
                for c, v in zip(tracking.columns, values_row, strict=True)
            ]
            for values_row in tracking.rows[[c.key for c in tracking.columns]].itertuples(index=False)
        ]
        add(
            "tracking",
            [c.label(language) for c in tracking.columns],
            tuple(c.key for c in tracking.columns),
            kinds,
            rows,
            None,
        )
    return blocks


def excel_date(value: object) -> float | None:
    """A date as Excel's serial number (days since 1899-12-30, a fraction for the time), None when missing."""
    if value is None or pd.isna(value):
        return None
    return float((pd.Timestamp(value).to_datetime64() - EXCEL_EPOCH) / np.timedelta64(1, "D"))


def chart_title(spec: ChartSpec, model: ReportModel) -> str:
    """The title of a chart, in the report's language."""
    language = model.parameters.language
    if spec.table == "value_distribution":
        return model.value_distribution.title(language)
    return TEXTS[spec.key](language)


def series_name(spec: ChartSpec, key: str, model: ReportModel) -> str:
    """The legend name of a series."""
    language = model.parameters.language
    names = _series_labels(language)
    if model.tracking is not None and spec.table == "tracking":
        return model.tracking.column(key).label(language)
    return names.get(key, chart_title(spec, model))
