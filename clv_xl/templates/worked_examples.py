"""The worked-examples workbook (``clv_examples.xlsx`` / ``esempi_clv.xlsx``), as data.

One sheet per example of the source documents, built from
:data:`clv_xl.examples.DOCUMENT_EXAMPLES`: the inputs, then each result three times:
with the add-in function (``=CLV(B5,B6,B7)``), with a native Excel formula, and the
document's figure, with a check cell comparing them.
"""

from __future__ import annotations

from dataclasses import dataclass

from clv_xl.catalogue import find
from clv_xl.examples import Example, example
from clv_xl.excel_formulas import addin_formula, native_formula
from clv_xl.i18n import Text
from clv_xl.sources import cite
from clv_xl.templates.about import about_sheet, source_lines
from clv_xl.templates.workbook_spec import ADDIN_MISSING, Cell, Sheet, Style, WorkbookSpec

__all__ = ["EXAMPLE_SHEETS", "INPUT_TEXTS", "RESULT_COLUMNS", "ExampleSheet", "worked_examples_workbook"]

#: Columns of a result row: label, add-in result, native result, document's figure, check.
RESULT_COLUMNS = ("A", "B", "C", "D", "E")

#: Arguments shown as euro amounts and as rates; every other argument is a plain number.
_EURO_ARGUMENTS = {"apv", "cac", "revenue", "value_per_customer", "cost_per_prospect", "acquisition_spend"}
_RATE_ARGUMENTS = {"margin", "conversion_rate", "churn_rate", "discount_rate", "retention"}
#: Functions whose result is an amount in euro.
_EURO_RESULTS = {"CLV", "APV", "CUSTOMER_VALUE", "PLV", "CAC", "CLV_RETENTION"}


@dataclass(frozen=True)
class ExampleSheet:
    """A sheet of the workbook: its name, title, source note and the examples it shows in order."""

    name: Text
    title: Text
    source: Text
    keys: tuple[str, ...]


def _from(key: str, what: Text) -> Text:
    """``From «Title» (publisher): what.`` for the note under a sheet's title."""
    cited = cite(key)
    return Text(f"From {cited.en}: {what.en}", f"Da {cited.it}: {what.it}")


EXAMPLE_SHEETS: tuple[ExampleSheet, ...] = (
    ExampleSheet(
        Text("B2B example 1", "Esempio B2B 1"),
        Text("CLV = (APV × ACL) − CAC: example 1", "CLV = (APV × ACL) − CAC: esempio 1"),
        _from("000", Text("the first worked example.", "il primo esempio svolto.")),
        ("000-1",),
    ),
    ExampleSheet(
        Text("B2B example 2", "Esempio B2B 2"),
        Text("CLV = (APV × ACL) − CAC: example 2", "CLV = (APV × ACL) − CAC: esempio 2"),
        _from("000", Text("the second worked example.", "il secondo esempio svolto.")),
        ("000-2",),
    ),
    ExampleSheet(
        Text("Step by step", "Passo passo"),
        Text("The step-by-step method", "Il metodo passo passo"),
        _from(
            "002",
            Text(
                "the method, described without figures; the inputs are illustrative. Each step uses the results "
                "of the steps above it.",
                "il metodo, descritto senza cifre; i dati sono illustrativi. Ogni passo usa i risultati dei "
                "passi precedenti.",
            ),
        ),
        ("002-apv", "002-repeat-rate", "002-customer-value", "002-lifespan", "002-clv"),
    ),
    ExampleSheet(
        Text("Prospect value", "Potenziale cliente"),
        Text("Prospect lifetime value", "Il valore di un potenziale cliente (prospect lifetime value)"),
        _from(
            "001",
            Text(
                "the spend on prospects who stayed leads counts too. The inputs are illustrative.",
                "conta anche la spesa per i contatti che non sono diventati clienti. I dati sono illustrativi.",
            ),
        ),
        ("001-plv",),
    ),
    ExampleSheet(
        Text("Margin", "Margine"),
        Text("CLV on the margin, not on revenue", "Il CLV sul margine, non sui ricavi"),
        _from(
            "003",
            Text(
                "the value comes from the profit, after the cost of the product. The first B2B example with an "
                "illustrative 40 % gross margin.",
                "il valore viene dal profitto, dopo il costo del prodotto. Il primo esempio B2B con un margine "
                "lordo illustrativo del 40 %.",
            ),
        ),
        ("003-margin",),
    ),
)

#: Each input of the examples: a short label beside the yellow cell and its explanation beside that.
INPUT_TEXTS: dict[str, tuple[Text, Text]] = {
    "apv": (
        Text("APV: average purchase value", "APV: valore medio di acquisto"),
        Text(
            "What a customer spends, here in a year (the article multiplies it by the years), €.",
            "Quanto spende un cliente, qui in un anno (l'articolo lo moltiplica per gli anni), €.",
        ),
    ),
    "acl": (
        Text("ACL: customer lifespan (years)", "ACL: durata del cliente (anni)"),
        Text(
            "How many years a customer keeps buying, on average.",
            "Per quanti anni un cliente continua a comprare, in media.",
        ),
    ),
    "cac": (
        Text("CAC: customer acquisition cost", "CAC: costo di acquisizione del cliente"),
        Text("Marketing and sales spend ÷ new customers, €.", "Spesa di marketing e vendite ÷ nuovi clienti, €."),
    ),
    "frequency": (
        Text("Purchases per customer a year", "Acquisti per cliente all'anno"),
        Text("How often a customer buys in a year.", "Quante volte compra un cliente in un anno."),
    ),
    "margin": (
        Text("Gross margin", "Margine lordo"),
        Text(
            "Share of revenue left after the cost of the product or service.",
            "Quota dei ricavi che resta dopo il costo del prodotto o del servizio.",
        ),
    ),
    "revenue": (
        Text("Revenue of the year", "Ricavi dell'anno"),
        Text("Revenue of the period, €.", "Ricavi del periodo, €."),
    ),
    "purchases": (
        Text("Purchases in the year", "Acquisti dell'anno"),
        Text("Number of purchases (orders) in the same period.", "Numero di acquisti (ordini) nello stesso periodo."),
    ),
    "customers": (
        Text("Customers in the year", "Clienti dell'anno"),
        Text(
            "Distinct customers who bought at least once in the same period.",
            "Clienti distinti che hanno comprato almeno una volta nello stesso periodo.",
        ),
    ),
    "churn_rate": (
        Text("Yearly churn", "Tasso di abbandono annuo"),
        Text("Share of customers lost each year.", "Quota di clienti persi ogni anno."),
    ),
    "conversion_rate": (
        Text("Conversion rate", "Tasso di conversione"),
        Text("Share of prospects who become customers.", "Quota dei potenziali clienti che diventano clienti."),
    ),
    "value_per_customer": (
        Text("Value of a customer", "Valore di un cliente"),
        Text(
            "Lifetime value of a prospect who becomes a customer, €.",
            "Valore nel tempo di un potenziale cliente che diventa cliente, €.",
        ),
    ),
    "cost_per_prospect": (
        Text("Cost per prospect", "Costo per potenziale cliente"),
        Text(
            "Campaign spend ÷ prospects reached, whether they buy or not, €.",
            "Spesa della campagna ÷ potenziali clienti raggiunti, che comprino o no, €.",
        ),
    ),
}

_LABELS = {
    "input": Text("Input", "Dato"),
    "value": Text("Value", "Valore"),
    "meaning": Text("What it means", "Che cosa significa"),
    "result": Text("Result", "Risultato"),
    "addin": Text("With the add-in", "Con il componente"),
    "native": Text("Ordinary formula", "Formula normale"),
    "expected": Text("Article's figure", "Cifra dell'articolo"),
    "check": Text("Check", "Verifica"),
    "illustrative": Text("(illustrative inputs)", "(dati illustrativi)"),
    "inputs_note": Text(
        "Yellow cells are the inputs: change them to try your own figures (the check then says the "
        "result differs from the article, as it should).",
        "Le celle gialle sono i dati: cambiale per provare le tue cifre (la verifica dirà allora che "
        "il risultato è diverso da quello dell'articolo, come è giusto).",
    ),
    "results_note": Text(
        f'Column B uses the clv_xl add-in (without it: "{ADDIN_MISSING.en}"); column C gives the same result '
        "with ordinary formulas; the check compares both with the article's figure.",
        f"La colonna B usa il componente aggiuntivo clv_xl (senza: «{ADDIN_MISSING.it}»); la colonna C dà lo "
        "stesso risultato con formule normali; la verifica confronta entrambe con la cifra dell'articolo.",
    ),
}

#: Check formula: OK when the native result (and the add-in result, when loaded) equals the figure.
_CHECK = Text(
    '=IF(ISNUMBER({addin}),IF(AND(ROUND({addin}-{expected},6)=0,ROUND({native}-{expected},6)=0),"OK","DIFFERS"),'
    'IF(ROUND({native}-{expected},6)=0,"OK (no add-in)","DIFFERS"))',
    '=IF(ISNUMBER({addin}),IF(AND(ROUND({addin}-{expected},6)=0,ROUND({native}-{expected},6)=0),"OK","DIVERSO"),'
    'IF(ROUND({native}-{expected},6)=0,"OK (senza componente)","DIVERSO"))',
)


def _input_style(argument: str) -> Style:
    if argument in _EURO_ARGUMENTS:
        return "input_eur"
    return "input_rate" if argument in _RATE_ARGUMENTS else "input_number"


def _example_sheet(spec: ExampleSheet) -> Sheet:
    examples: list[Example] = [example(key) for key in spec.keys]
    cells: list[Cell] = [
        Cell("A1", spec.title, "title"),
        Cell("A2", spec.source, "note", merge_to="E2"),
        Cell("A4", _LABELS["input"], "header"),
        Cell("B4", _LABELS["value"], "header"),
        Cell("C4", _LABELS["meaning"], "header", merge_to="E4"),
    ]
    input_rows: dict[str, int] = {}
    row = 5
    for item in examples:
        function = find(item.function)
        assert function is not None, item.function
        for index, (argument, value) in enumerate(zip(function.arguments, item.arguments, strict=False)):
            if item.source_of(index) is not None:
                continue
            if argument.name in input_rows:
                continue
            input_rows[argument.name] = row
            label, meaning = INPUT_TEXTS[argument.name]
            cells += [
                Cell(f"A{row}", label, "label"),
                Cell(f"B{row}", value, _input_style(argument.name)),
                Cell(f"C{row}", meaning, "note", merge_to=f"E{row}"),
            ]
            row += 1
    cells.append(Cell(f"A{row}", _LABELS["inputs_note"], "note", merge_to=f"E{row}"))
    row += 2
    headers = ("result", "addin", "native", "expected", "check")
    cells += [
        Cell(f"{column}{row}", _LABELS[key], "header") for column, key in zip(RESULT_COLUMNS, headers, strict=True)
    ]
    row += 1
    result_rows: dict[str, int] = {}
    for item in examples:
        function = find(item.function)
        assert function is not None, item.function
        addin_arguments: list[str] = []
        native_arguments: dict[str, str | None] = {a.name: None for a in function.arguments}
        for index, argument in enumerate(function.arguments[: len(item.arguments)]):
            source = item.source_of(index)
            if source is None:
                addin_arguments.append(f"B{input_rows[argument.name]}")
                native_arguments[argument.name] = f"B{input_rows[argument.name]}"
            else:
                addin_arguments.append(f"B{result_rows[source]}")
                native_arguments[argument.name] = f"C{result_rows[source]}"
        result_rows[item.key] = row
        amount = item.function in _EURO_RESULTS
        label = (
            item.label
            if not item.illustrative
            else Text(f"{item.label.en} {_LABELS['illustrative'].en}", f"{item.label.it} {_LABELS['illustrative'].it}")
        )
        check = Text(
            *(
                template.format(addin=f"B{row}", native=f"C{row}", expected=f"D{row}")
                for template in (_CHECK.en, _CHECK.it)
            )
        )
        cells += [
            Cell(f"A{row}", label, "label"),
            Cell(
                f"B{row}",
                addin_formula(item.function, addin_arguments),
                "result_eur" if amount else "result_number",
                twin=f"C{row}",
            ),
            Cell(
                f"C{row}", native_formula(item.function, native_arguments), "result_eur" if amount else "result_number"
            ),
            Cell(f"D{row}", item.expected, "eur" if amount else "number"),
            Cell(f"E{row}", check, "check"),
        ]
        row += 1
    cells.append(Cell(f"A{row + 1}", _LABELS["results_note"], "note", merge_to=f"E{row + 1}"))
    return Sheet(
        spec.name,
        tuple(cells),
        column_widths={"A": 46, "B": 26, "C": 18, "D": 18, "E": 22},
        landscape=True,
    )


_ABOUT = about_sheet(
    Text("clv_xl: the articles' worked examples", "clv_xl: gli esempi svolti degli articoli"),
    Text(
        "This workbook works through the examples of the articles clv_xl is based on, one sheet each, so "
        "you can see how each formula works and check that the figures match.",
        "Questa cartella di lavoro ripropone gli esempi svolti degli articoli su cui si basa clv_xl, uno per "
        "foglio, per vedere come funziona ogni formula e controllare che le cifre tornino.",
    ),
    (
        Text(
            "1. Open a sheet: the yellow cells at the top are the inputs, the green cells below the results.",
            "1. Apri un foglio: le celle gialle in alto sono i dati, quelle verdi sotto i risultati.",
        ),
        Text(
            "2. The Check column says OK when the result equals the article's figure.",
            "2. La colonna Verifica dice OK quando il risultato è uguale alla cifra dell'articolo.",
        ),
        Text(
            "3. Change a yellow cell to see how the result moves; for your own business use the "
            "calculator workbook (clv_calculator.xlsx).",
            "3. Cambia una cella gialla per vedere come si muove il risultato; per la tua attività usa "
            "la cartella del calcolatore (calcolatore_clv.xlsx).",
        ),
    ),
    (
        Text(
            "From these articles; where an article explains a method without figures, the inputs are "
            "illustrative and say so:",
            "Da questi articoli; dove un articolo spiega un metodo senza cifre, i dati sono illustrativi e lo dicono:",
        ),
        *source_lines(
            (
                "000",
                Text(
                    "CLV = APV × ACL − CAC, examples of 29000 € and 38000 €",
                    "CLV = APV × ACL − CAC, esempi da 29000 € e 38000 €",
                ),
            ),
            ("002", Text("the step-by-step method", "il metodo passo passo")),
            ("001", Text("the value of a prospect", "il valore di un potenziale cliente")),
            ("003", Text("CLV on the margin", "il CLV sul margine")),
        ),
    ),
)


def worked_examples_workbook() -> WorkbookSpec:
    """The worked-examples template: an explanation sheet and one sheet per example."""
    return WorkbookSpec(
        Text("clv_examples.xlsx", "esempi_clv.xlsx"),
        Text("clv_xl: worked examples", "clv_xl: esempi svolti"),
        (_ABOUT, *(_example_sheet(sheet) for sheet in EXAMPLE_SHEETS)),
    )
