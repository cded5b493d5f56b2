"""The texts of clv_xl: every message in both languages, every key of the package defined, Italian as written.

Checked against: the package's own source (every call that takes a message key, found by
reading the code, in every module) and the Italian conventions the users expect: decimal
comma (``valore 1,5``), dates day first (``31/01/2024``), never an ISO date in an Italian
text.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest

from clv_xl.i18n import LANGUAGES, MESSAGES, italian_date, message

PACKAGE = Path(__file__).resolve().parents[1] / "clv_xl"

#: An ISO date in a text (2024-01-31); an Italian reader expects 31/01/2024.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

#: The callables that take a message key, and where: message("key", ...), ClvError(code, "key", ...),
#: TransactionsError("key", ...). Functions that hand one of their parameters on to these take a key too
#: (found by :func:`_key_taking_callables`).
_KEY_TAKERS: dict[str, tuple[int, str]] = {
    "message": (0, "key"),
    "ClvError": (1, "key"),
    "TransactionsError": (0, "key"),
}


def _modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def _callee(call: ast.Call) -> str | None:
    """The name a call is made by: ``message(...)``, ``ClvError(...)``; a method call counts by its name
    only when it is not ``self.message`` (ClvError's own method, which takes a language)."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute) and call.func.attr != "message":
        return call.func.attr
    return None


def _argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    positional = call.args[: index + 1]
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in positional):
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _definitions(modules: dict[Path, ast.Module]) -> Iterator[tuple[str, ast.FunctionDef, list[str]]]:
    """Every function (by name) and class (by name, through ``__init__``) with its parameters."""
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        yield node.name, item, [a.arg for a in (*item.args.args[1:], *item.args.kwonlyargs)]
            elif isinstance(node, ast.FunctionDef) and not node.name.startswith("__"):
                parameters = [a.arg for a in (*node.args.args, *node.args.kwonlyargs)]
                yield node.name, node, parameters[1:] if parameters[:1] in (["self"], ["cls"]) else parameters


def _key_taking_callables(modules: dict[Path, ast.Module]) -> dict[str, tuple[int, str]]:
    """:data:`_KEY_TAKERS` and every function or class that hands a parameter on to one as the key."""
    takers = dict(_KEY_TAKERS)
    changed = True
    while changed:
        changed = False
        for name, function, parameters in _definitions(modules):
            if name in takers:
                continue
            for call in ast.walk(function):
                if isinstance(call, ast.Call) and (callee := _callee(call)) in takers:
                    given = _argument(call, *takers[callee])
                    if isinstance(given, ast.Name) and given.id in parameters:
                        takers[name] = (parameters.index(given.id), given.id)
                        changed = True
                        break
    return takers


def _strings(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def keys_used_in_the_package() -> dict[str, list[str]]:
    """Every message key written in the package, with where: the calls that take a key, and the texts that
    name a key of a family (``tx_``, ``model_``, ``cli_``, ``file_``, ``report_``) outside ``__all__``."""
    modules = _modules()
    takers = _key_taking_callables(modules)
    used: dict[str, list[str]] = {}
    family = re.compile(r"(tx|model|cli|file|report)_[a-z_]+")
    for path, tree in modules.items():
        where = str(path.relative_to(PACKAGE.parent))
        exported = {
            id(element)
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            for element in ast.walk(node.value)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (callee := _callee(node)) in takers:
                given = _argument(node, *takers[callee])
                for key in _strings(given) if given is not None else ():
                    used.setdefault(key, []).append(f"{where}:{node.lineno}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and family.fullmatch(node.value)
                and id(node) not in exported
                and node.value not in {d for d, _, _ in _definitions({path: tree})}
            ):
                used.setdefault(node.value, []).append(f"{where}:{node.lineno}")
    return used


def test_every_key_used_anywhere_in_the_package_has_a_message() -> None:
    # fails when a module raises ClvError(code, "a_new_key") or asks message("a_new_key") without
    # adding the key to clv_xl.i18n.MESSAGES (the user would see a KeyError, not a message)
    used = keys_used_in_the_package()
    missing = {key: places for key, places in used.items() if key not in MESSAGES}
    assert not missing, missing


def test_the_key_finder_reads_every_module_and_the_forwarding_helpers() -> None:
    # the check above must see keys in every layer, also through helpers that pass a key on
    places = {place.split(":")[0] for places in keys_used_in_the_package().values() for place in places}
    for module in ("clv_xl/cells.py", "clv_xl/files.py", "clv_xl/core/checks.py", "clv_xl/cli.py"):
        assert module in places, module
    assert any(p.startswith("clv_xl/data/") for p in places) and any(p.startswith("clv_xl/models/") for p in places)
    used = keys_used_in_the_package()
    assert "zero_divisor" in used  # given to core.checks.require, which hands it to ClvError
    assert "tx_not_an_amount" in used  # written into the reasons of clv_xl.data.values


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_in_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == set(LANGUAGES)
    fields = {language: {f for _, f, _, _ in string.Formatter().parse(texts[language]) if f} for language in LANGUAGES}
    # the Italian may name the accepted headers itself instead of a placeholder, never the other way round
    assert fields["it"] <= fields["en"], key
    assert all(texts[language].strip() for language in LANGUAGES)


def test_no_italian_message_holds_an_iso_date() -> None:
    found = {key: texts["it"] for key, texts in MESSAGES.items() if ISO_DATE.search(texts["it"])}
    assert not found, found


def test_italian_messages_write_numbers_with_a_decimal_comma() -> None:
    assert message("negative", "it", argument="cac", value=1.5) == "cac non può essere negativo (valore 1,5)"
    assert message("negative", "en", argument="cac", value=1.5) == "cac must not be negative (got 1.5)"
    assert message("tx_date_out_of_range", "it", value=1234567.5).startswith("1234567,5 non è una data")
    assert "132.319" in message("tx_date_out_of_range", "it", value=1.0)


def test_italian_messages_write_dates_day_first_but_quote_the_users_text_as_typed() -> None:
    # a date the program found is shown as Italians write it; a text the user typed is quoted as typed
    assert message("tx_no_customers", "it", value="2024-12-31").endswith("(31/12/2024)")
    assert message("tx_no_customers", "it", value=date(2024, 12, 31)).endswith("(31/12/2024)")
    assert message("tx_no_customers", "en", value="2024-12-31").endswith("2024-12-31")
    assert message("tx_not_a_date", "it", value="2024-02-31").startswith('"2024-02-31" non è una data')
    assert italian_date(datetime(2024, 1, 31, 10, 30)) == "31/01/2024 10:30"


def test_the_missing_column_message_names_the_italian_headers_the_reader_accepts() -> None:
    # checked against: the aliases the transactions reader accepts
    from clv_xl.data.aliases import COLUMN_ALIASES

    text = message("tx_no_header", "it", source="vendite.xlsx", required="customer_id, date, amount", found="-")
    for column, italian in (("customer_id", "id_cliente"), ("date", "data"), ("amount", "importo")):
        assert italian in text and italian in COLUMN_ALIASES[column]


# --- Italian as an Italian accountant writes it -----------------------------------------------------

#: Wording an Italian owner misreads or that sounds translated, with what to write instead.
MISREAD = {
    r"tasso di sconto|\bscontat[oaie]\b|\bsconta\b": "tasso di attualizzazione, attualizzato ('sconto': a price cut)",
    r"CLV prevista": "CLV previsto (masculine)",
    r"tasso di (acquisto ripetuto|riacquisto)": "acquisti per cliente",
    r"Probabilità attivo": "probabilità che sia ancora attivo",
    r"Recupero del CAC": "anni (mesi) per recuperare il CAC",
    r"\bE se:": "Simulazione: ...",
    r"Dati grafici": "the data behind the chart, in words",
    r"cartella rifà|compilarlo\b": "a cartella is feminine: rifà -> ripropone, compilarlo -> si compila",
    r"Valore del prospect": "valore di un potenziale cliente",
    r"sano da 3": "buono se pari ad almeno 3",
    r"\bPredefinito\b": "Se omesso vale ...",
    r"\b[Dd]ocument[oi] 0\d\d\b": "the article's title and publisher (clv_xl.sources)",
}


def italian_texts() -> dict[str, str]:
    """Every Italian text of the package: messages, catalogue, spilled tables' labels, the articles, the command
    line's help, and the report's (its constants and sheet layout, and what a report of the sample and of CDNOW
    writes in Italian: figures' labels and help, tables' titles, notes and headers, the lifespan's method and
    basis, the forecast's reason); keyed by where it is."""
    from clv_xl import model_ranges, order_ranges
    from clv_xl.catalogue import FUNCTIONS
    from clv_xl.sources import SOURCES

    texts = {f"MESSAGES[{key}]": value["it"] for key, value in MESSAGES.items()}
    for function in FUNCTIONS:
        texts[f"{function.name}"] = " | ".join(
            (function.summary.it, function.formula_text("it"), function.extra_help.it, function.source.it)
        )
        for argument in function.arguments:
            texts[f"{function.name}.{argument.name}"] = argument.help.it
    for name, label in (*order_ranges.SUMMARY_LABELS.items(), *order_ranges.CUSTOMER_LABELS.items()):
        texts[f"order_ranges label {name}"] = label.it
    texts["model_ranges"] = f"{model_ranges._LOG_LIKELIHOOD.it} {model_ranges._CUSTOMERS.it}"
    for item in SOURCES:
        texts[f"source {item.key}"] = f"{item.citation('it')} {item.short.it} {item.contributes.it}"
    texts.update(report_italian_texts())
    return texts


def _texts_in(value: object, where: str) -> Iterator[tuple[str, str]]:
    """The Italian of every Text in ``value``: a Text, a column (its label), or a mapping or sequence of them."""
    from clv_xl.i18n import Text
    from clv_xl.report.model import Column

    if isinstance(value, Text):
        yield where, value.it
    elif isinstance(value, Column):
        yield where, value.label.it
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts_in(item, f"{where}[{key}]")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _texts_in(item, f"{where}[{index}]")


@cache
def report_italian_texts() -> dict[str, str]:
    """The report's Italian texts: the constants of its modules, and every text of two Italian report models."""
    from cdnow_data import cdnow_transactions
    from report_set import sample_orders

    from clv_xl.report import build, excel_button, model, run, sheet_layout, xlsx
    from clv_xl.report.build import build_report
    from clv_xl.report.model import ReportModel, ReportParameters, TableData

    texts = {}
    for module in (build, excel_button, model, run, sheet_layout, xlsx):
        for name, value in vars(module).items():
            texts.update(_texts_in(value, f"{module.__name__}.{name}"))
    reports: dict[str, ReportModel] = {
        "sample": build_report(sample_orders(), ReportParameters(cac=150.0, margin=0.35, language="it")),
        "cdnow": build_report(cdnow_transactions(), ReportParameters(cac=20.0, margin=0.3, language="it")),
    }
    for name, report in reports.items():
        for kpi in report.kpis:
            texts[f"{name} kpi {kpi.key}"] = f"{kpi.label.it} | {kpi.help.it}"
        texts[f"{name} lifespan"] = f"{report.lifespan.method.it} | {report.lifespan.basis.it}"
        if report.purchase_model is not None:
            texts[f"{name} forecast reason"] = report.purchase_model.reason.it
        for table in vars(report).values():
            if isinstance(table, TableData):
                texts[f"{name} {table.name}"] = " | ".join(
                    (table.title.it, table.note.it, *(c.label.it for c in table.columns))
                )
                for column in table.columns:
                    if column.kind == "text" and column.key != "customer_id":
                        for index, cell in enumerate(table.rows[column.key].astype(str).unique()[:50]):
                            texts[f"{name} {table.name}.{column.key}[{index}]"] = cell
        for index, block in enumerate(sheet_layout.report_sheet_blocks(report, {}, [])):
            for row, values in enumerate(block.values):
                for column, cell in enumerate(values):
                    if isinstance(cell, str):
                        texts[f"{name} first sheet block {index} ({row}, {column})"] = cell
    return texts


def test_italian_texts_use_the_words_an_italian_owner_reads_right() -> None:
    found = [
        (where, pattern, advice)
        for where, text in italian_texts().items()
        for pattern, advice in MISREAD.items()
        if re.search(pattern, text, re.IGNORECASE)
    ]
    assert not found, found


def test_no_iso_date_in_an_italian_text() -> None:
    found = {where: text for where, text in italian_texts().items() if ISO_DATE.search(text)}
    assert not found, found


def test_the_report_texts_are_checked_too() -> None:
    # the report's constants, its tables' headers and its first sheet, of a report with segments and of CDNOW
    texts = report_italian_texts()
    assert texts["clv_xl.report.sheet_layout.TEXTS[discount_rate]"] == "Tasso di attualizzazione annuo"
    assert any(where.startswith("cdnow first sheet") and "30/06/1997" in text for where, text in texts.items())
    assert any(where.startswith("sample segments.lifespan_basis") for where in texts)
    assert len(texts) > 300


def test_the_wording_check_can_fail() -> None:
    # the patterns catch the texts the issue named
    for wrong in ("Tasso di sconto annuo", "CLV prevista", "Come compilarlo", "Documento 002.", "E se: il CLV"):
        assert any(re.search(pattern, wrong, re.IGNORECASE) for pattern in MISREAD), wrong
