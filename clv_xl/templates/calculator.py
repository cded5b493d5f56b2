"""The calculator workbook (``clv_calculator.xlsx`` / ``calcolatore_clv.xlsx``), as data.

A business types its own APV, purchase frequency, lifespan (or churn), CAC, margin and
discount rate into named, validated cells; the sheet gives CLV, customer value,
LTV:CAC (flagged below 3) and the CAC payback, each with the add-in and as a native
formula, and a what-if table with a chart of CLV when one driver moves by -20 % ... +20 %
(document 000: small changes in a component change CLV a lot).

It opens on the illustrative margin example of document 003 (:data:`DEFAULTS_FROM`).
"""

from __future__ import annotations

from dataclasses import dataclass

from clv_xl.examples import example
from clv_xl.excel_formulas import addin_formula, native_formula
from clv_xl.i18n import Text
from clv_xl.templates.about import about_sheet
from clv_xl.templates.workbook_spec import (
    CHANGE_FORMAT,
    Cell,
    ConditionalFormat,
    LineChart,
    Sheet,
    Style,
    Validation,
    WorkbookSpec,
)

__all__ = [
    "CALCULATOR_SHEET",
    "CHANGES",
    "DEFAULTS_FROM",
    "DRIVERS",
    "INPUTS",
    "CalculatorInput",
    "Driver",
    "calculator_workbook",
]

#: The worked example whose inputs the calculator opens with (CLV 11000 €).
DEFAULTS_FROM = "003-margin"

CALCULATOR_SHEET = Text("Calculator", "Calcolatore")

#: The what-if changes applied to one driver at a time (the unchanged case sits in the middle).
CHANGES: tuple[float, ...] = (-0.2, -0.1, 0.0, 0.1, 0.2)

_AMOUNT_RULE = Validation(
    "decimal",
    "greaterThanOrEqual",
    "0",
    None,
    Text("Amount in euro", "Importo in euro"),
    Text("An amount in euro, 0 or more.", "Un importo in euro, 0 o più."),
    Text("Type a number of 0 or more.", "Scrivi un numero maggiore o uguale a 0."),
)
_RATE_RULE = Validation(
    "decimal",
    "between",
    "0",
    "1",
    Text("Rate", "Tasso"),
    Text("A rate between 0 and 1 (0 % to 100 %).", "Un tasso tra 0 e 1 (da 0 % a 100 %)."),
    Text("Type a rate between 0 % and 100 %.", "Scrivi un tasso tra 0 % e 100 %."),
)
_COUNT_RULE = Validation(
    "decimal",
    "greaterThanOrEqual",
    "0",
    None,
    Text("Number", "Numero"),
    Text("A number, 0 or more.", "Un numero, 0 o più."),
    Text("Type a number of 0 or more.", "Scrivi un numero maggiore o uguale a 0."),
)


@dataclass(frozen=True)
class CalculatorInput:
    """A named input cell: its defined name, label, help (the input message), look and rule."""

    name: str
    label: Text
    help: Text
    style: Style
    rule: Validation
    default: float | None


_DEFAULTS = dict(zip(("apv", "acl", "cac", "frequency", "margin"), example(DEFAULTS_FROM).arguments, strict=True))

INPUTS: tuple[CalculatorInput, ...] = (
    CalculatorInput(
        "in_APV",
        Text("APV: average purchase value", "APV: valore medio di acquisto"),
        Text(
            "Revenue of a period ÷ purchases in it, € (document 002).",
            "Ricavi di un periodo ÷ acquisti, € (documento 002).",
        ),
        "input_eur",
        _AMOUNT_RULE,
        _DEFAULTS["apv"],
    ),
    CalculatorInput(
        "in_frequency",
        Text("Purchases per customer per year", "Acquisti per cliente all'anno"),
        Text(
            "Purchases ÷ unique customers in a year (document 002).",
            "Acquisti ÷ clienti unici in un anno (documento 002).",
        ),
        "input_number",
        _COUNT_RULE,
        _DEFAULTS["frequency"],
    ),
    CalculatorInput(
        "in_ACL",
        Text("ACL: average customer lifespan, years", "ACL: durata media del cliente, anni"),
        Text(
            "Years a customer keeps buying. Used when churn is empty.",
            "Anni in cui un cliente continua a comprare. Usata se l'abbandono è vuoto.",
        ),
        "input_number",
        _COUNT_RULE,
        _DEFAULTS["acl"],
    ),
    CalculatorInput(
        "in_churn",
        Text("Yearly churn (optional, replaces ACL)", "Abbandono annuo (facoltativo, sostituisce ACL)"),
        Text(
            "Share of customers lost per year; lifespan = 1 ÷ churn.",
            "Quota di clienti persi all'anno; durata = 1 ÷ abbandono.",
        ),
        "input_rate",
        _RATE_RULE,
        None,
    ),
    CalculatorInput(
        "in_CAC",
        Text("CAC: customer acquisition cost", "CAC: costo di acquisizione del cliente"),
        Text(
            "Marketing and sales spend ÷ new customers, € (document 000).",
            "Spesa di marketing e vendite ÷ nuovi clienti, € (documento 000).",
        ),
        "input_eur",
        _AMOUNT_RULE,
        _DEFAULTS["cac"],
    ),
    CalculatorInput(
        "in_margin",
        Text("Gross margin", "Margine lordo"),
        Text(
            "Share of revenue left after the cost of the product (document 003).",
            "Quota dei ricavi che resta dopo il costo del prodotto (documento 003).",
        ),
        "input_rate",
        _RATE_RULE,
        _DEFAULTS["margin"],
    ),
    CalculatorInput(
        "in_discount",
        Text("Yearly discount rate", "Tasso di sconto annuo"),
        Text(
            "What a euro next year is worth less than today, e.g. 8 %; 0 for none.",
            "Quanto vale in meno un euro l'anno prossimo, es. 8 %; 0 per nessuno.",
        ),
        "input_rate",
        _RATE_RULE,
        0.0,
    ),
)

_FIRST_INPUT_ROW = 5
_ROW = {item.name: _FIRST_INPUT_ROW + index for index, item in enumerate(INPUTS)}
_RESULT_HEADER_ROW = _FIRST_INPUT_ROW + len(INPUTS) + 1
_LIFESPAN, _CUSTOMER_VALUE, _GROSS, _CLV, _RATIO, _PAYBACK = range(_RESULT_HEADER_ROW + 1, _RESULT_HEADER_ROW + 7)
_WHATIF_TITLE_ROW = _PAYBACK + 2
_WHATIF_HEADER_ROW = _WHATIF_TITLE_ROW + 1
_CHANGE_COLUMNS = ("B", "C", "D", "E", "F")


def _clv_arguments(lifespan: str, cac: str | None = "in_CAC", **changed: str) -> dict[str, str | None]:
    arguments: dict[str, str | None] = {
        "apv": "in_APV",
        "acl": lifespan,
        "cac": cac,
        "frequency": "in_frequency",
        "margin": "in_margin",
        "discount_rate": "in_discount",
    }
    arguments.update(changed)
    return arguments


@dataclass(frozen=True)
class Driver:
    """A row of the what-if table: the driver's label and which CLV argument it changes, and how.

    ``expression`` has ``{base}`` for the driver's current value and ``{change}`` for the
    change cell; rates are capped at 100 %.
    """

    label: Text
    argument: str
    base: str
    expression: str = "{base}*(1+{change})"


DRIVERS: tuple[Driver, ...] = (
    Driver(Text("APV", "APV"), "apv", "in_APV"),
    Driver(Text("Purchases per year", "Acquisti all'anno"), "frequency", "in_frequency"),
    Driver(Text("Lifespan", "Durata"), "acl", f"$C${_LIFESPAN}"),
    Driver(Text("CAC", "CAC"), "cac", "in_CAC"),
    Driver(
        Text("Gross margin (at most 100 %)", "Margine lordo (al massimo 100 %)"),
        "margin",
        "in_margin",
        "MIN(1,{base}*(1+{change}))",
    ),
    Driver(Text("Discount rate", "Tasso di sconto"), "discount_rate", "in_discount"),
)

_LABELS = {
    "title": Text("CLV calculator", "Calcolatore del CLV"),
    "intro": Text(
        "Type your figures in the yellow cells; the green cells compute. It opens on document 003's "
        "illustrative example (APV 10000 €, 3 years, CAC 1000 €, 40 % margin: CLV 11000 €).",
        "Scrivi le tue cifre nelle celle gialle; quelle verdi calcolano. Si apre sull'esempio illustrativo "
        "del documento 003 (APV 10000 €, 3 anni, CAC 1000 €, margine 40 %: CLV 11000 €).",
    ),
    "input": Text("Input", "Dato"),
    "value": Text("Value", "Valore"),
    "meaning": Text("What it means", "Che cosa significa"),
    "result": Text("Result", "Risultato"),
    "addin": Text("With the add-in", "Con il componente"),
    "native": Text("Ordinary formula", "Formula normale"),
    "whatif": Text("What if: CLV when one driver changes", "E se: il CLV quando cambia un fattore"),
    "driver": Text("Driver", "Fattore"),
    "chart": Text("CLV when one driver changes", "CLV quando cambia un fattore"),
    "change": Text("Change of the driver", "Variazione del fattore"),
    "whatif_note": Text(
        "Each row changes one driver by the percentage at the top (you can edit those), the others "
        "stay as typed above. APV, purchases, margin and (without discounting) lifespan multiply each "
        "other, so their lines coincide: 10 % more of any of them adds the same to CLV. Ordinary "
        "formulas: they work without the add-in.",
        "Ogni riga cambia un fattore della percentuale in alto (modificabile), gli altri restano come "
        "scritti sopra. APV, acquisti, margine e (senza sconto) durata si moltiplicano tra loro, quindi "
        "le loro linee coincidono: il 10 % in più di uno qualsiasi aggiunge lo stesso al CLV. Formule "
        "normali: funzionano senza il componente aggiuntivo.",
    ),
}

_RESULTS: tuple[tuple[int, Text, Text, str, str, Style], ...] = (
    (
        _LIFESPAN,
        Text("Lifespan used, years", "Durata usata, anni"),
        Text("1 ÷ churn when churn is given, else ACL.", "1 ÷ abbandono se indicato, altrimenti ACL."),
        "=IF(in_churn>0,LIFESPAN(in_churn),in_ACL)",
        "=IF(in_churn>0,1/in_churn,in_ACL)",
        "result_number",
    ),
    (
        _CUSTOMER_VALUE,
        Text("Customer value per year", "Valore del cliente all'anno"),
        Text("APV × purchases per year (document 002).", "APV × acquisti all'anno (documento 002)."),
        addin_formula("CUSTOMER_VALUE", ["in_APV", "in_frequency"]),
        native_formula("CUSTOMER_VALUE", {"apv": "in_APV", "repeat_rate": "in_frequency"}),
        "result_eur",
    ),
    (
        _GROSS,
        Text("Lifetime value before CAC", "Valore nel tempo prima del CAC"),
        Text("Margin earned over the lifespan, discounted.", "Margine guadagnato nella durata, scontato."),
        addin_formula("CLV", ["in_APV", f"B{_LIFESPAN}", "0", "in_frequency", "in_margin", "in_discount"]),
        native_formula("CLV", _clv_arguments(f"C{_LIFESPAN}", cac=None)),
        "result_eur",
    ),
    (
        _CLV,
        Text("CLV", "CLV"),
        Text(
            "Lifetime value minus the acquisition cost (document 000).",
            "Valore nel tempo meno il costo di acquisizione (documento 000).",
        ),
        addin_formula("CLV", ["in_APV", f"B{_LIFESPAN}", "in_CAC", "in_frequency", "in_margin", "in_discount"]),
        native_formula("CLV", _clv_arguments(f"C{_LIFESPAN}")),
        "result_eur",
    ),
    (
        _RATIO,
        Text("LTV:CAC", "LTV:CAC"),
        Text(
            "Below 3 (red) a customer barely pays for winning them.",
            "Sotto 3 (in rosso) un cliente ripaga a stento la sua acquisizione.",
        ),
        addin_formula("LTV_CAC", [f"B{_GROSS}", "in_CAC"]),
        native_formula("LTV_CAC", {"clv_gross": f"C{_GROSS}", "cac": "in_CAC"}),
        "result_number",
    ),
    (
        _PAYBACK,
        Text("CAC payback, years", "Recupero del CAC, anni"),
        Text("Years of margin needed to earn the CAC back.", "Anni di margine per recuperare il CAC."),
        addin_formula("CAC_PAYBACK", ["in_CAC", f"B{_CUSTOMER_VALUE}*in_margin"]),
        native_formula("CAC_PAYBACK", {"cac": "in_CAC", "margin_per_period": f"C{_CUSTOMER_VALUE}*in_margin"}),
        "result_number",
    ),
)


def _input_cells() -> list[Cell]:
    cells = [
        Cell(f"A{_FIRST_INPUT_ROW - 1}", _LABELS["input"], "header"),
        Cell(f"B{_FIRST_INPUT_ROW - 1}", _LABELS["value"], "header"),
        Cell(f"C{_FIRST_INPUT_ROW - 1}", _LABELS["meaning"], "header", merge_to=f"F{_FIRST_INPUT_ROW - 1}"),
    ]
    for item in INPUTS:
        row = _ROW[item.name]
        rule = Validation(
            item.rule.kind,
            item.rule.operator,
            item.rule.minimum,
            item.rule.maximum,
            item.label,
            item.help,
            item.rule.error,
        )
        cells += [
            Cell(f"A{row}", item.label, "label"),
            Cell(f"B{row}", item.default, item.style, name=item.name, validation=rule),
            Cell(f"C{row}", item.help, "note", merge_to=f"F{row}"),
        ]
    return cells


def _result_cells() -> list[Cell]:
    row = _RESULT_HEADER_ROW
    cells = [
        Cell(f"A{row}", _LABELS["result"], "header"),
        Cell(f"B{row}", _LABELS["addin"], "header"),
        Cell(f"C{row}", _LABELS["native"], "header"),
        Cell(f"D{row}", _LABELS["meaning"], "header", merge_to=f"F{row}"),
    ]
    for row, label, meaning, addin, native, style in _RESULTS:
        cells += [
            Cell(f"A{row}", label, "label"),
            Cell(f"B{row}", addin, style, twin=f"C{row}"),
            Cell(f"C{row}", native, style),
            Cell(f"D{row}", meaning, "note", merge_to=f"F{row}"),
        ]
    return cells


def _whatif_cells() -> list[Cell]:
    cells = [
        Cell(f"A{_WHATIF_TITLE_ROW}", _LABELS["whatif"], "heading"),
        Cell(f"A{_WHATIF_HEADER_ROW}", _LABELS["driver"], "header"),
    ]
    cells += [
        Cell(f"{column}{_WHATIF_HEADER_ROW}", change, "input_change")
        for column, change in zip(_CHANGE_COLUMNS, CHANGES, strict=True)
    ]
    for offset, driver in enumerate(DRIVERS, start=1):
        row = _WHATIF_HEADER_ROW + offset
        cells.append(Cell(f"A{row}", driver.label, "label"))
        for column in _CHANGE_COLUMNS:
            changed = driver.expression.format(base=driver.base, change=f"{column}${_WHATIF_HEADER_ROW}")
            arguments = _clv_arguments(f"$C${_LIFESPAN}", **{driver.argument: changed})
            cells.append(Cell(f"{column}{row}", native_formula("CLV", arguments), "eur"))
    note_row = _WHATIF_HEADER_ROW + len(DRIVERS) + 1
    cells.append(Cell(f"A{note_row}", _LABELS["whatif_note"], "note", merge_to=f"F{note_row}"))
    return cells


def _calculator_sheet() -> Sheet:
    last_driver_row = _WHATIF_HEADER_ROW + len(DRIVERS)
    return Sheet(
        CALCULATOR_SHEET,
        (
            Cell("A1", _LABELS["title"], "title"),
            Cell("A2", _LABELS["intro"], "note", merge_to="F2"),
            *_input_cells(),
            *_result_cells(),
            *_whatif_cells(),
        ),
        column_widths={"A": 40, "B": 17, "C": 17, "D": 17, "E": 17, "F": 17},
        conditional_formats=(ConditionalFormat(f"B{_RATIO}:C{_RATIO}", f"AND(ISNUMBER(B{_RATIO}),B{_RATIO}<3)"),),
        charts=(
            LineChart(
                _LABELS["chart"],
                f"A{last_driver_row + 3}",
                f"B{_WHATIF_HEADER_ROW}:F{_WHATIF_HEADER_ROW}",
                tuple(range(_WHATIF_HEADER_ROW + 1, last_driver_row + 1)),
                "A",
                "B",
                "F",
                _LABELS["change"],
                Text("CLV, €", "CLV, €"),
                CHANGE_FORMAT,
            ),
        ),
    )


_ABOUT = about_sheet(
    Text("clv_xl: CLV calculator", "clv_xl: calcolatore del CLV"),
    Text(
        "Work out what a customer is worth to your business over the whole relationship (CLV), whether "
        "it pays for what it costs to win them (LTV:CAC), how soon the acquisition cost comes back, and "
        "which figure moves CLV the most.",
        "Calcolare quanto vale un cliente per la tua attività in tutta la relazione (CLV), se ripaga "
        "quanto costa acquisirlo (LTV:CAC), in quanto tempo rientra il costo di acquisizione e quale "
        "cifra sposta di più il CLV.",
    ),
    (
        Text(
            "1. On the Calculator sheet type your figures in the yellow cells: APV (revenue of a year ÷ "
            "purchases), purchases per customer per year, lifespan in years (or the yearly churn instead), "
            "CAC (marketing and sales spend ÷ new customers), gross margin and discount rate.",
            "1. Nel foglio Calcolatore scrivi le tue cifre nelle celle gialle: APV (ricavi di un anno ÷ "
            "acquisti), acquisti per cliente all'anno, durata in anni (o in alternativa l'abbandono annuo), "
            "CAC (spesa di marketing e vendite ÷ nuovi clienti), margine lordo e tasso di sconto.",
        ),
        Text(
            "2. Read the green results. An LTV:CAC below 3 turns red.",
            "2. Leggi i risultati verdi. Un LTV:CAC sotto 3 diventa rosso.",
        ),
        Text(
            "3. The what-if table and its chart show CLV when one figure is 20 % or 10 % lower or higher: "
            "the steepest line is the lever to work on.",
            '3. La tabella "e se" e il grafico mostrano il CLV quando una cifra è più bassa o più alta del '
            "20 % o del 10 %: la linea più ripida è la leva su cui lavorare.",
        ),
        Text(
            "The inputs are named (in_APV, in_CAC, ...), so you can use them in your own formulas.",
            "I dati hanno un nome (in_APV, in_CAC, ...), così puoi usarli nelle tue formule.",
        ),
    ),
    Text(
        "CLV = APV × purchases per year × margin × lifespan − CAC. Document 000 (CLV = APV × ACL − CAC and "
        "how much small changes matter), document 002 (APV, purchase frequency, lifespan), document 003 "
        "(value from the margin, not from revenue). The discount rate spreads the lifespan's years: "
        "A(n, d) = (1 − (1 + d)^−n) ÷ d.",
        "CLV = APV × acquisti all'anno × margine × durata − CAC. Documento 000 (CLV = APV × ACL − CAC e "
        "quanto contano i piccoli cambiamenti), documento 002 (APV, frequenza di acquisto, durata), "
        "documento 003 (valore dal margine, non dai ricavi). Il tasso di sconto pesa gli anni della durata: "
        "A(n, d) = (1 − (1 + d)^−n) ÷ d.",
    ),
)


def calculator_workbook() -> WorkbookSpec:
    """The calculator template: an explanation sheet and the calculator."""
    return WorkbookSpec(
        Text("clv_calculator.xlsx", "calcolatore_clv.xlsx"),
        Text("clv_xl: CLV calculator", "clv_xl: calcolatore del CLV"),
        (_ABOUT, _calculator_sheet()),
    )
