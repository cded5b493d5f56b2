"""How the report is laid out, as data: sheets, sections, labels, formats and charts.

Renderers read this; no cell address of the report is written anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from clv_xl.excel_formulas import blank_unless_positive, native_formula, times
from clv_xl.i18n import Language, Text
from clv_xl.report.model import ReportModel, ValueKind

__all__ = [
    "CHARTS",
    "KPI_FORMULAS",
    "KPI_NAMES",
    "PARAMETER_NAMES",
    "PARAMETER_ROWS",
    "NUMBER_FORMATS",
    "SHEETS",
    "TEXTS",
    "Block",
    "BlockStyle",
    "ChartSpec",
    "chart_first_row",
    "report_sheet_blocks",
]

#: Sheet names, per language (the report sheet is the one the Excel button replaces).
SHEETS: dict[str, Text] = {
    "report": Text("CLV report", "Rapporto CLV"),
    "segments": Text("Segments", "Segmenti"),
    "customers": Text("Customers", "Clienti"),
    "at_risk": Text("At risk", "A rischio"),
    "chart_data": Text("Chart data", "Dati grafici"),
}

#: Number formats by kind of value. Excel shows "," and "." as the user's locale wants.
NUMBER_FORMATS: dict[ValueKind, str] = {
    "count": "#,##0",
    "money": '#,##0.00 "€"',
    "number": "#,##0.00",
    "years": "0.0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "text": "@",
}

TEXTS: dict[str, Text] = {
    "title": Text("Customer lifetime value report", "Rapporto sul valore del cliente nel tempo (CLV)"),
    "period": Text("Transactions from {start} to {end}", "Transazioni dal {start} al {end}"),
    "parameters": Text("Assumptions (change them here)", "Ipotesi (modificabili qui)"),
    "kpis": Text("Key figures", "Indicatori principali"),
    "what_if": Text("What if: CLV when one driver changes", "E se: il CLV quando cambia un fattore"),
    "what_if_note": Text(
        "Document 000: small changes in a component change CLV a lot.",
        "Documento 000: piccoli cambiamenti di un componente cambiano molto il CLV.",
    ),
    "driver": Text("Driver", "Fattore"),
    "base": Text("Base", "Base"),
    "cac": Text("Acquisition cost (CAC)", "Costo di acquisizione (CAC)"),
    "margin": Text("Gross margin", "Margine lordo"),
    "discount_rate": Text("Yearly discount rate", "Tasso di sconto annuo"),
    "currency": Text("Currency", "Valuta"),
    "driver_apv": Text("Average purchase value", "Valore medio di acquisto"),
    "driver_acl": Text("Lifespan", "Durata"),
    "driver_frequency": Text("Purchases per year", "Acquisti all'anno"),
    "driver_margin": Text("Margin", "Margine"),
    "driver_cac": Text("CAC", "CAC"),
    "chart_segments": Text("CLV by segment", "CLV per segmento"),
    "chart_distribution": Text("Customers by yearly value", "Clienti per valore annuo"),
    "chart_revenue": Text("Revenue by month", "Ricavi per mese"),
    "chart_what_if": Text("CLV when one driver changes", "CLV al variare di un fattore"),
    "customers_axis": Text("Customers", "Clienti"),
    "total": Text("All customers", "Tutti i clienti"),
    "no_predictions": Text(
        "Predicted CLV (BG/NBD, Gamma-Gamma) not shown: {reason}",
        "CLV previsto (BG/NBD, Gamma-Gamma) non mostrato: {reason}",
    ),
}

#: Defined names of the assumption cells and of the KPIs that formulas use.
PARAMETER_NAMES: dict[str, str] = {
    "cac": "Report_CAC",
    "margin": "Report_Margin",
    "discount_rate": "Report_Discount",
}
KPI_NAMES: dict[str, str] = {
    "customer_value": "Report_CustomerValue",
    "lifespan": "Report_Lifespan",
    "clv": "Report_CLV",
    "cac": "Report_CACShown",
}

_YEARLY_MARGIN = f"{KPI_NAMES['customer_value']}*{PARAMETER_NAMES['margin']}"

#: KPIs computed by native formulas from the assumptions, so that changing an
#: assumption in the workbook updates them (the cached values are Python's). The
#: formulas are the templates' (:mod:`clv_xl.excel_formulas`) over the defined names.
KPI_FORMULAS: dict[str, str] = {
    "cac": f"={PARAMETER_NAMES['cac']}",
    "clv": native_formula(
        "CLV",
        {
            "apv": KPI_NAMES["customer_value"],
            "acl": KPI_NAMES["lifespan"],
            "cac": PARAMETER_NAMES["cac"],
            "frequency": None,
            "margin": PARAMETER_NAMES["margin"],
            "discount_rate": PARAMETER_NAMES["discount_rate"],
        },
    ),
    "ltv_cac": blank_unless_positive(
        PARAMETER_NAMES["cac"],
        native_formula(
            "LTV_CAC", {"clv_gross": f"{KPI_NAMES['clv']}+{PARAMETER_NAMES['cac']}", "cac": PARAMETER_NAMES["cac"]}
        ),
    ),
    "cac_payback": blank_unless_positive(
        _YEARLY_MARGIN,
        times(
            "12", native_formula("CAC_PAYBACK", {"cac": PARAMETER_NAMES["cac"], "margin_per_period": _YEARLY_MARGIN})
        ),
    ),
}

#: Order of the assumption rows on the report sheet.
PARAMETER_ROWS: tuple[tuple[str, ValueKind], ...] = (
    ("cac", "money"),
    ("margin", "percent"),
    ("discount_rate", "percent"),
    ("currency", "text"),
)

ChartKind = Literal["bar", "column", "line"]


@dataclass(frozen=True)
class ChartSpec:
    """A native chart: which table it plots, where it goes on the report sheet.

    ``table`` names a :class:`clv_xl.report.model.TableData` (or ``"what_if"``);
    ``categories`` and ``values`` name its columns (``values`` may name several series).
    ``anchor`` is (rows below the first chart row, column), zero-based.
    """

    key: str
    kind: ChartKind
    table: str
    categories: str
    values: tuple[str, ...]
    anchor: tuple[int, int]
    money_axis: bool = True


#: Charts sit below the last block of the report sheet, two per row; anchors are
#: (rows below the first chart row, column).
CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("chart_segments", "bar", "segments", "segment", ("clv",), (0, 0)),
    ChartSpec("chart_distribution", "column", "value_distribution", "bin", ("customers",), (0, 3), money_axis=False),
    ChartSpec("chart_revenue", "line", "revenue_by_month", "month", ("revenue",), (17, 0)),
    ChartSpec("chart_what_if", "bar", "what_if", "driver", ("-20%", "-10%", "+10%", "+20%"), (17, 3)),
)
#: Rows left empty between the last block and the charts.
CHART_GAP_ROWS = 2


def chart_first_row(blocks: list[Block]) -> int:
    """The row where the charts start: below every block."""
    return max(block.row + len(block.values) for block in blocks) + CHART_GAP_ROWS


BlockStyle = Literal["title", "note", "header", "label", "input", "value", "key_value"]
Cell = float | str | None


@dataclass(frozen=True)
class Block:
    """A rectangle of the report sheet: values, their kinds, and what they are.

    ``formulas[i][j]``, where not None, replaces the value with a native formula
    whose cached result is ``values[i][j]``. ``names`` maps a defined name to the
    (row, column) offset within the block it points at. ``table`` names the block
    for the charts (its first row is data, columns named by ``keys``).
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


def report_sheet_blocks(model: ReportModel) -> list[Block]:
    """The report sheet as blocks, top to bottom: title, assumptions, KPIs, what-if."""
    language: Language = model.parameters.language

    def text(key: str) -> str:
        return TEXTS[key](language)

    period = text("period").format(
        start=model.period_start.strftime("%Y-%m-%d"), end=model.period_end.strftime("%Y-%m-%d")
    )
    blocks = [
        Block(0, 0, [[text("title")]], ("text",), "title"),
        Block(1, 0, [[period]], ("text",), "note"),
        Block(3, 0, [[text("parameters")]], ("text",), "header"),
    ]
    parameters = model.parameters
    parameter_values: dict[str, Cell] = {
        "cac": parameters.cac,
        "margin": parameters.margin,
        "discount_rate": parameters.discount_rate,
        "currency": parameters.currency,
    }
    row = 4
    for offset, (key, kind) in enumerate(PARAMETER_ROWS):
        blocks.append(Block(row + offset, 0, [[text(key)]], ("text",), "label"))
        names = {PARAMETER_NAMES[key]: (0, 0)} if key in PARAMETER_NAMES else {}
        blocks.append(Block(row + offset, 1, [[parameter_values[key]]], (kind,), "input", names=names))
    row += len(PARAMETER_ROWS) + 1
    blocks.append(Block(row, 0, [[text("kpis")]], ("text",), "header"))
    row += 1
    for offset, kpi in enumerate(model.kpis):
        blocks.append(Block(row + offset, 0, [[kpi.label(language)]], ("text",), "label"))
        formula = KPI_FORMULAS.get(kpi.key)
        names = {KPI_NAMES[kpi.key]: (0, 0)} if kpi.key in KPI_NAMES else {}
        blocks.append(
            Block(
                row + offset,
                1,
                [[kpi.value]],
                (kpi.kind,),
                "key_value" if kpi.key == "clv" else "value",
                formulas=[[formula]] if formula else None,
                names=names,
            )
        )
        if kpi.help(language):
            blocks.append(Block(row + offset, 2, [[kpi.help(language)]], ("text",), "note"))
    row += len(model.kpis)
    if model.prediction_note is not None:
        note = text("no_predictions").format(reason=model.prediction_note(language))
        blocks.append(Block(row, 0, [[note]], ("text",), "note"))
        row += 1
    row += 1

    what_if = model.what_if
    change_labels = [f"{change:+.0%}" for change in what_if.changes]
    blocks.append(Block(row, 0, [[text("what_if")]], ("text",), "header"))
    blocks.append(Block(row + 1, 0, [[text("what_if_note")]], ("text",), "note"))
    text_kind: ValueKind = "text"
    money_kind: ValueKind = "money"
    text_kinds = (text_kind,) * (1 + len(change_labels))
    money_kinds = (money_kind,) * len(change_labels)
    blocks.append(Block(row + 2, 0, [[text("driver"), *change_labels]], text_kinds, "header"))
    rows: list[list[Cell]] = [
        [text(f"driver_{driver}"), *(float(v) for v in what_if.values[i])] for i, driver in enumerate(what_if.drivers)
    ]
    blocks.append(
        Block(
            row + 3,
            0,
            rows,
            ("text", *money_kinds),
            "value",
            table="what_if",
            keys=("driver", *change_labels),
        )
    )
    return blocks
