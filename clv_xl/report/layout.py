"""How the report is laid out, as data: sheets, sections, labels, formats and charts.

Renderers read this; no cell address of the report is written anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from clv_xl.catalogue.spec import Text
from clv_xl.report.model import ValueKind

__all__ = [
    "CHARTS",
    "KPI_FORMULAS",
    "KPI_NAMES",
    "PARAMETER_NAMES",
    "PARAMETER_ROWS",
    "NUMBER_FORMATS",
    "SHEETS",
    "TEXTS",
    "ChartSpec",
]

#: Sheet names, per language (the report sheet is the one the Excel button replaces).
SHEETS: dict[str, Text] = {
    "report": Text("CLV report", "Rapporto CLV"),
    "segments": Text("Segments", "Segmenti"),
    "customers": Text("Customers", "Clienti"),
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

#: KPIs computed by native formulas from the assumptions, so that changing an
#: assumption in the workbook updates them (the cached values are Python's).
KPI_FORMULAS: dict[str, str] = {
    "cac": "=Report_CAC",
    "clv": (
        "=Report_CustomerValue*Report_Margin*IF(Report_Discount=0,Report_Lifespan,"
        "(1-(1+Report_Discount)^-Report_Lifespan)/Report_Discount)-Report_CAC"
    ),
    "ltv_cac": '=IF(Report_CAC=0,"",(Report_CLV+Report_CAC)/Report_CAC)',
    "cac_payback": '=IF(Report_CustomerValue*Report_Margin=0,"",12*Report_CAC/(Report_CustomerValue*Report_Margin))',
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
    ``anchor`` is (row, column) on the report sheet, zero-based.
    """

    key: str
    kind: ChartKind
    table: str
    categories: str
    values: tuple[str, ...]
    anchor: tuple[int, int]
    money_axis: bool = True


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("chart_segments", "bar", "segments", "segment", ("clv",), (2, 5)),
    ChartSpec("chart_distribution", "column", "value_distribution", "bin", ("customers",), (2, 13), money_axis=False),
    ChartSpec("chart_revenue", "line", "revenue_by_month", "month", ("revenue",), (20, 5)),
    ChartSpec("chart_what_if", "bar", "what_if", "driver", ("-20%", "-10%", "+10%", "+20%"), (20, 13)),
)
