"""The calculator workbook (``clv_calculator.xlsx`` / ``calcolatore_clv.xlsx``), as data.

A business types its own APV, purchase frequency, lifespan (or churn), CAC, margin and
discount rate into named, validated cells; the sheet gives CLV, customer value,
LTV:CAC (flagged below 3) and the CAC payback, each with the add-in and as a native
formula, and a what-if table of CLV when one driver moves by -20 % ... +20 % (the B2B
article: small changes in a component change CLV a lot), with a tornado chart of how
far CLV moves at the lowest and the highest change.

It opens on the illustrative margin example (:data:`DEFAULTS_FROM`).
"""

from __future__ import annotations

from dataclasses import dataclass

from clv_xl.examples import example
from clv_xl.excel_formulas import addin_formula, native_formula
from clv_xl.i18n import Text
from clv_xl.sources import cite
from clv_xl.templates.about import about_sheet, source_lines
from clv_xl.templates.workbook_spec import (
    CHANGE_FORMAT,
    Cell,
    ConditionalFormat,
    Sheet,
    Style,
    TornadoChart,
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
    """A named input cell: its defined name, label, help (the input message), look and rule.

    ``title`` heads the message Excel shows when the cell is selected (at most 32
    characters); ``label`` sits beside the cell and may be longer.
    """

    name: str
    label: Text
    help: Text
    style: Style
    rule: Validation
    default: float | None
    title: Text


_DEFAULTS = dict(zip(("apv", "acl", "cac", "frequency", "margin"), example(DEFAULTS_FROM).arguments, strict=True))

INPUTS: tuple[CalculatorInput, ...] = (
    CalculatorInput(
        "in_APV",
        Text("APV: average purchase value", "APV: valore medio di acquisto"),
        Text(
            "Revenue of a period ÷ purchases in it, €.",
            "Ricavi di un periodo ÷ numero di acquisti dello stesso periodo, €.",
        ),
        "input_eur",
        _AMOUNT_RULE,
        _DEFAULTS["apv"],
        Text("APV: average purchase value", "APV: valore medio di acquisto"),
    ),
    CalculatorInput(
        "in_frequency",
        Text("Purchases per customer per year", "Acquisti per cliente all'anno"),
        Text(
            "Purchases ÷ distinct customers in a year.",
            "Acquisti ÷ clienti distinti di un anno.",
        ),
        "input_number",
        _COUNT_RULE,
        _DEFAULTS["frequency"],
        Text("Purchases per customer a year", "Acquisti per cliente all'anno"),
    ),
    CalculatorInput(
        "in_ACL",
        Text("ACL: average customer lifespan (years)", "ACL: durata media del cliente (anni)"),
        Text(
            "Years a customer keeps buying. Used when the churn is empty.",
            "Per quanti anni un cliente continua a comprare. Vale se l'abbandono annuo è vuoto.",
        ),
        "input_number",
        _COUNT_RULE,
        _DEFAULTS["acl"],
        Text("ACL: customer lifespan (years)", "ACL: durata del cliente (anni)"),
    ),
    CalculatorInput(
        "in_churn",
        Text("Yearly churn (optional, replaces ACL)", "Abbandono annuo (facoltativo, al posto di ACL)"),
        Text(
            "Share of customers lost per year; lifespan = 1 ÷ churn.",
            "Quota di clienti persi ogni anno; durata = 1 ÷ abbandono.",
        ),
        "input_rate",
        _RATE_RULE,
        None,
        Text("Yearly churn (optional)", "Abbandono annuo (facoltativo)"),
    ),
    CalculatorInput(
        "in_CAC",
        Text("CAC: customer acquisition cost", "CAC: costo di acquisizione del cliente"),
        Text(
            "Marketing and sales spend ÷ new customers, €.",
            "Spesa di marketing e vendite ÷ nuovi clienti, €.",
        ),
        "input_eur",
        _AMOUNT_RULE,
        _DEFAULTS["cac"],
        Text("CAC: acquisition cost", "CAC: costo di acquisizione"),
    ),
    CalculatorInput(
        "in_margin",
        Text("Gross margin", "Margine lordo"),
        Text(
            "Share of revenue left after the cost of the product or service.",
            "Quota dei ricavi che resta dopo il costo del prodotto o del servizio.",
        ),
        "input_rate",
        _RATE_RULE,
        _DEFAULTS["margin"],
        Text("Gross margin", "Margine lordo"),
    ),
    CalculatorInput(
        "in_discount",
        Text("Yearly discount rate", "Tasso di attualizzazione annuo"),
        Text(
            "How much less a euro earned next year is worth today, e.g. 8 %; 0 not to discount.",
            "Quanto vale oggi in meno un euro incassato fra un anno, ad es. 8 %; 0 per non attualizzare.",
        ),
        "input_rate",
        _RATE_RULE,
        0.0,
        Text("Yearly discount rate", "Tasso di attualizzazione annuo"),
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
    Driver(Text("Discount rate", "Tasso di attualizzazione"), "discount_rate", "in_discount"),
)

#: The tornado's table, below the what-if table and its note: how far CLV moves at the first and the last change.
_TORNADO_TITLE_ROW = _WHATIF_HEADER_ROW + len(DRIVERS) + 3
_TORNADO_HEADER_ROW = _TORNADO_TITLE_ROW + 1
_TORNADO_COLUMNS = ("B", "C")

_LABELS = {
    "title": Text("CLV calculator", "Calcolatore del CLV"),
    "intro": Text(
        "Type your figures in the yellow cells; the green cells compute. It opens on an illustrative example: "
        "the first B2B example of the articles with a 40 % gross margin (APV 10000 €, 3 years, CAC 1000 €: "
        "CLV 11000 €).",
        "Scrivi le tue cifre nelle celle gialle; quelle verdi calcolano. Si apre su un esempio illustrativo: "
        "il primo esempio B2B degli articoli con un margine lordo del 40 % (APV 10000 €, 3 anni, CAC 1000 €: "
        "CLV 11000 €).",
    ),
    "input": Text("Input", "Dato"),
    "value": Text("Value", "Valore"),
    "meaning": Text("What it means", "Che cosa significa"),
    "result": Text("Result", "Risultato"),
    "addin": Text("With the add-in", "Con il componente"),
    "native": Text("Ordinary formula", "Formula normale"),
    "whatif": Text("What-if: CLV when one driver changes", "Simulazione: il CLV quando cambia un solo fattore"),
    "driver": Text("Driver", "Fattore"),
    "whatif_note": Text(
        "Each row changes one driver by the percentage at the top (you can edit those); the others stay as "
        "typed above. Ordinary formulas: they work without the add-in.",
        "Ogni riga cambia un fattore della percentuale in alto (modificabile); gli altri restano come scritti "
        "sopra. Formule normali: funzionano senza il componente aggiuntivo.",
    ),
    "tornado": Text(
        "How much CLV moves, €, at the first and the last change",
        "Di quanto si sposta il CLV, €, con la prima e l'ultima variazione",
    ),
    "chart": Text("How much CLV moves when one driver changes", "Di quanto cambia il CLV se varia un fattore"),
    "chart_axis": Text("Change of CLV, €", "Variazione del CLV, €"),
    "tornado_note": Text(
        "The longest bars are the levers to work on. APV, purchases, margin and (without discounting) lifespan "
        "multiply each other, so their bars are as long: 10 % more of any of them adds the same to CLV. The "
        "discount rate has no bar while it is 0.",
        "Le barre più lunghe sono le leve su cui lavorare. APV, acquisti, margine e (senza attualizzazione) "
        "durata si moltiplicano tra loro, quindi le loro barre sono uguali: il 10 % in più di uno qualsiasi "
        "aggiunge lo stesso al CLV. Il tasso di attualizzazione non ha barre finché è 0.",
    ),
    "sources": Text(
        "Sources: " + cite("000", "002", "003").en + ".",
        "Fonti: " + cite("000", "002", "003").it + ".",
    ),
}

_RESULTS: tuple[tuple[int, Text, Text, str, str, Style], ...] = (
    (
        _LIFESPAN,
        Text("Lifespan used (years)", "Durata considerata (anni)"),
        Text("1 ÷ churn when churn is given, else ACL.", "1 ÷ abbandono se indicato, altrimenti ACL."),
        "=IF(in_churn>0,LIFESPAN(in_churn),in_ACL)",
        "=IF(in_churn>0,1/in_churn,in_ACL)",
        "result_number",
    ),
    (
        _CUSTOMER_VALUE,
        Text("Customer value per year", "Valore del cliente all'anno"),
        Text("APV × purchases per year.", "APV × acquisti all'anno."),
        addin_formula("CUSTOMER_VALUE", ["in_APV", "in_frequency"]),
        native_formula("CUSTOMER_VALUE", {"apv": "in_APV", "repeat_rate": "in_frequency"}),
        "result_eur",
    ),
    (
        _GROSS,
        Text("Lifetime value before CAC", "Valore lordo del cliente (prima del CAC)"),
        Text(
            "Margin earned over the whole lifespan, discounted.",
            "Margine generato in tutta la durata, attualizzato.",
        ),
        addin_formula("CLV", ["in_APV", f"B{_LIFESPAN}", "0", "in_frequency", "in_margin", "in_discount"]),
        native_formula("CLV", _clv_arguments(f"C{_LIFESPAN}", cac=None)),
        "result_eur",
    ),
    (
        _CLV,
        Text("CLV", "CLV"),
        Text(
            "Lifetime value minus the acquisition cost.",
            "Valore lordo meno il costo di acquisizione.",
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
            "Sotto 3 (in rosso) un cliente ripaga a stento quanto è costato acquisirlo.",
        ),
        addin_formula("LTV_CAC", [f"B{_GROSS}", "in_CAC"]),
        native_formula("LTV_CAC", {"clv_gross": f"C{_GROSS}", "cac": "in_CAC"}),
        "result_number",
    ),
    (
        _PAYBACK,
        Text("CAC payback (years)", "Anni per recuperare il CAC"),
        Text("Years of margin needed to earn the CAC back.", "Anni di margine che servono per rientrare del CAC."),
        # the customer value as an add-in call, not its cell: without the add-in that cell holds a text
        addin_formula(
            "CAC_PAYBACK", ["in_CAC", addin_formula("CUSTOMER_VALUE", ["in_APV", "in_frequency"])[1:] + "*in_margin"]
        ),
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
            item.title,
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


def _tornado_cells() -> list[Cell]:
    """How far CLV moves from the result above at the first and the last change: the tornado's data."""
    first, last = _CHANGE_COLUMNS[0], _CHANGE_COLUMNS[-1]
    cells = [
        Cell(f"A{_TORNADO_TITLE_ROW}", _LABELS["tornado"], "heading"),
        Cell(f"A{_TORNADO_HEADER_ROW}", _LABELS["driver"], "header"),
    ]
    for target, source in zip(_TORNADO_COLUMNS, (first, last), strict=True):
        cells.append(
            Cell(f"{target}{_TORNADO_HEADER_ROW}", f'=TEXT({source}${_WHATIF_HEADER_ROW},"{CHANGE_FORMAT}")', "header")
        )
    for offset in range(1, len(DRIVERS) + 1):
        row, whatif_row = _TORNADO_HEADER_ROW + offset, _WHATIF_HEADER_ROW + offset
        cells.append(Cell(f"A{row}", f"=A{whatif_row}", "label"))
        for target, source in zip(_TORNADO_COLUMNS, (first, last), strict=True):
            cells.append(Cell(f"{target}{row}", f"={source}{whatif_row}-$C${_CLV}", "eur"))
    note_row = _TORNADO_HEADER_ROW + len(DRIVERS) + 1
    cells.append(Cell(f"A{note_row}", _LABELS["tornado_note"], "note", merge_to=f"F{note_row}"))
    cells.append(Cell(f"A{note_row + 1}", _LABELS["sources"], "note", merge_to=f"F{note_row + 1}"))
    return cells


def _calculator_sheet() -> Sheet:
    last_tornado_row = _TORNADO_HEADER_ROW + len(DRIVERS)
    return Sheet(
        CALCULATOR_SHEET,
        (
            Cell("A1", _LABELS["title"], "title"),
            Cell("A2", _LABELS["intro"], "note", merge_to="F2"),
            *_input_cells(),
            *_result_cells(),
            *_whatif_cells(),
            *_tornado_cells(),
        ),
        column_widths={"A": 40, "B": 26, "C": 19, "D": 17, "E": 17, "F": 17},
        conditional_formats=(ConditionalFormat(f"B{_RATIO}:C{_RATIO}", f"AND(ISNUMBER(B{_RATIO}),B{_RATIO}<3)"),),
        charts=(
            TornadoChart(
                _LABELS["chart"],
                f"A{last_tornado_row + 4}",
                f"A{_TORNADO_HEADER_ROW + 1}:A{last_tornado_row}",
                _TORNADO_COLUMNS,
                _TORNADO_HEADER_ROW,
                _LABELS["chart_axis"],
            ),
        ),
    )


_ABOUT = about_sheet(
    Text("clv_xl: CLV calculator", "clv_xl: calcolatore del CLV"),
    Text(
        "Work out what a customer is worth to your business over the whole relationship (CLV), whether "
        "it pays for what it costs to win them (LTV:CAC), how soon the acquisition cost comes back, and "
        "which figure moves CLV the most.",
        "Serve a calcolare quanto vale un cliente per la tua attività in tutto il rapporto (CLV), se ripaga "
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
            "CAC (spesa di marketing e vendite ÷ nuovi clienti), margine lordo e tasso di attualizzazione.",
        ),
        Text(
            "2. Read the green results. An LTV:CAC below 3 turns red.",
            "2. Leggi i risultati in verde. Un LTV:CAC sotto 3 diventa rosso.",
        ),
        Text(
            "3. The what-if table shows CLV when one figure is 20 % or 10 % lower or higher; the chart below "
            "it shows how far CLV moves: the longest bar is the lever to work on.",
            "3. La tabella della simulazione mostra il CLV quando una cifra è più bassa o più alta del 20 % o "
            "del 10 %; il grafico sotto mostra di quanto si sposta il CLV: la barra più lunga è la leva su cui "
            "lavorare.",
        ),
        Text(
            "The inputs are named (in_APV, in_CAC, ...), so you can use them in your own formulas.",
            "I dati hanno un nome (in_APV, in_CAC, ...), così puoi usarli nelle tue formule.",
        ),
    ),
    (
        Text(
            "CLV = APV × purchases per year × margin × lifespan − CAC. The discount rate weighs the years "
            "of the lifespan: A(n, d) = (1 − (1 + d)^−n) ÷ d. From these articles:",
            "CLV = APV × acquisti all'anno × margine × durata − CAC. Il tasso di attualizzazione pesa gli anni "
            "della durata: A(n, d) = (1 − (1 + d)^−n) ÷ d. Da questi articoli:",
        ),
        *source_lines(
            (
                "000",
                Text(
                    "CLV = APV × ACL − CAC, and how much small changes matter",
                    "CLV = APV × ACL − CAC, e quanto contano le piccole variazioni",
                ),
            ),
            ("002", Text("APV, purchase frequency, lifespan", "APV, frequenza di acquisto, durata")),
            ("003", Text("the value from the margin, not from revenue", "il valore dal margine, non dai ricavi")),
        ),
    ),
)


def calculator_workbook() -> WorkbookSpec:
    """The calculator template: an explanation sheet and the calculator."""
    return WorkbookSpec(
        Text("clv_calculator.xlsx", "calcolatore_clv.xlsx"),
        Text("clv_xl: CLV calculator", "clv_xl: calcolatore del CLV"),
        (_ABOUT, _calculator_sheet()),
    )
