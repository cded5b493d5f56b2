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
from clv_xl.templates.about import about_sheet
from clv_xl.templates.workbook_spec import Cell, Sheet, Style, WorkbookSpec

__all__ = ["EXAMPLE_SHEETS", "ExampleSheet", "RESULT_COLUMNS", "worked_examples_workbook"]

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


EXAMPLE_SHEETS: tuple[ExampleSheet, ...] = (
    ExampleSheet(
        Text("000 Example 1", "000 Esempio 1"),
        Text("CLV = (APV × ACL) − CAC: example 1", "CLV = (APV × ACL) − CAC: esempio 1"),
        Text(
            "Document 000 (B2B customer lifetime value), first worked example.",
            "Documento 000 (customer lifetime value nel B2B), primo esempio svolto.",
        ),
        ("000-1",),
    ),
    ExampleSheet(
        Text("000 Example 2", "000 Esempio 2"),
        Text("CLV = (APV × ACL) − CAC: example 2", "CLV = (APV × ACL) − CAC: esempio 2"),
        Text(
            "Document 000 (B2B customer lifetime value), second worked example.",
            "Documento 000 (customer lifetime value nel B2B), secondo esempio svolto.",
        ),
        ("000-2",),
    ),
    ExampleSheet(
        Text("002 Step by step", "002 Passo passo"),
        Text("The step-by-step method", "Il metodo passo passo"),
        Text(
            "Document 002 describes the method without figures; the inputs are illustrative. "
            "Each step uses the results of the steps above it.",
            "Il documento 002 descrive il metodo senza cifre; i dati sono illustrativi. "
            "Ogni passo usa i risultati dei passi precedenti.",
        ),
        ("002-apv", "002-repeat-rate", "002-customer-value", "002-lifespan", "002-clv"),
    ),
    ExampleSheet(
        Text("001 Prospect value", "001 Valore prospect"),
        Text("Prospect lifetime value", "Prospect lifetime value"),
        Text(
            "Document 001 (micro-businesses): the spend on prospects who stayed leads counts too. "
            "The inputs are illustrative.",
            "Documento 001 (micro imprese): conta anche la spesa sui prospect rimasti contatti. "
            "I dati sono illustrativi.",
        ),
        ("001-plv",),
    ),
    ExampleSheet(
        Text("003 Margin", "003 Margine"),
        Text("CLV on the margin, not on revenue", "CLV sul margine, non sui ricavi"),
        Text(
            "Document 003: the value comes from the profit, after the cost of the product. "
            "Example 1 of document 000 with an illustrative 40 % gross margin.",
            "Documento 003: il valore viene dal profitto, dopo il costo del prodotto. "
            "L'esempio 1 del documento 000 con un margine lordo illustrativo del 40 %.",
        ),
        ("003-margin",),
    ),
)

_LABELS = {
    "input": Text("Input", "Dato"),
    "value": Text("Value", "Valore"),
    "argument": Text("Argument", "Argomento"),
    "result": Text("Result", "Risultato"),
    "addin": Text("With the add-in", "Con il componente"),
    "native": Text("Ordinary formula", "Formula normale"),
    "expected": Text("Document's figure", "Cifra del documento"),
    "check": Text("Check", "Verifica"),
    "illustrative": Text("(illustrative inputs)", "(dati illustrativi)"),
    "inputs_note": Text(
        "Yellow cells are the inputs: change them to try your own figures (the check then says the "
        "result differs from the document, as it should).",
        "Le celle gialle sono i dati: cambiale per provare le tue cifre (la verifica dirà allora che "
        "il risultato è diverso da quello del documento, come è giusto).",
    ),
    "results_note": Text(
        "Column B needs the clv_xl add-in (without it: #NAME?); column C gives the same result with "
        "ordinary formulas; the check compares both with the document's figure.",
        "La colonna B richiede il componente aggiuntivo clv_xl (senza: #NOME?); la colonna C dà lo "
        "stesso risultato con formule normali; la verifica confronta entrambe con la cifra del documento.",
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
        Cell("C4", _LABELS["argument"], "header"),
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
            cells += [
                Cell(f"A{row}", argument.help, "label"),
                Cell(f"B{row}", value, _input_style(argument.name)),
                Cell(f"C{row}", argument.name, "note"),
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
        column_widths={"A": 52, "B": 18, "C": 18, "D": 18, "E": 22},
        landscape=True,
    )


_ABOUT = about_sheet(
    Text("clv_xl: the documents' worked examples", "clv_xl: gli esempi svolti dei documenti"),
    Text(
        "This workbook redoes, one sheet each, the worked examples of the articles clv_xl is based on, "
        "so you can see how each formula works and check that the figures match.",
        "Questa cartella rifà, un foglio ciascuno, gli esempi svolti degli articoli su cui si basa clv_xl, "
        "per vedere come funziona ogni formula e controllare che le cifre tornino.",
    ),
    (
        Text(
            "1. Open a sheet: the yellow cells at the top are the inputs, the green cells below the results.",
            "1. Apri un foglio: le celle gialle in alto sono i dati, quelle verdi sotto i risultati.",
        ),
        Text(
            "2. The Check column says OK when the result equals the document's figure.",
            "2. La colonna Verifica dice OK quando il risultato è uguale alla cifra del documento.",
        ),
        Text(
            "3. Change a yellow cell to see how the result moves; for your own business use the "
            "calculator workbook (clv_calculator.xlsx).",
            "3. Cambia una cella gialla per vedere come si muove il risultato; per la tua attività usa "
            "la cartella del calcolatore (calcolatore_clv.xlsx).",
        ),
    ),
    Text(
        "Document 000 (B2B CLV: CLV = APV × ACL − CAC, examples 29000 € and 38000 €), document 002 "
        "(the step-by-step method), document 001 (prospect value) and document 003 (CLV on the margin). "
        "Where a document explains a method without figures, the inputs are illustrative and say so.",
        "Documento 000 (CLV nel B2B: CLV = APV × ACL − CAC, esempi da 29000 € e 38000 €), documento 002 "
        "(il metodo passo passo), documento 001 (valore del prospect) e documento 003 (CLV sul margine). "
        "Dove un documento spiega un metodo senza cifre, i dati sono illustrativi e lo dicono.",
    ),
)


def worked_examples_workbook() -> WorkbookSpec:
    """The worked-examples template: an explanation sheet and one sheet per example."""
    return WorkbookSpec(
        Text("clv_examples.xlsx", "esempi_clv.xlsx"),
        Text("clv_xl: worked examples", "clv_xl: esempi svolti"),
        (_ABOUT, *(_example_sheet(sheet) for sheet in EXAMPLE_SHEETS)),
    )
