"""The Excel functions through xlwings' real code on Linux.

Checked against: the catalogue (metadata), a golden VBA file (the module the
installation imports: xlwings' generator plus clv_xl's guards) whose structure is
checked independently of the generator (a parse of the VBA text against the
catalogue), and the documents' examples and hand-computed values through
``xlwings.udfs.call_udf`` with arguments shaped as Excel hands them (tuples of tuples,
None for empty cells, pywin32's integer codes for error cells, VBA's "missing" marker
for left-out optional arguments). Only pywin32 is replaced (tests/windows_stand_ins.py).
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import os
import re
from pathlib import Path

import pytest
import xlwings.udfs
from windows_stand_ins import EXCEL_ERROR_CODES, MISSING_ARGUMENT

import clv_xl.core.formulas
import clv_xl.udfs
from clv_xl.addin import ADDIN_FILE_NAME, FUNCTIONS_MODULE_NAME, UDF_MODULE
from clv_xl.catalogue import FUNCTIONS
from clv_xl.excel_windows import functions_vba_module
from clv_xl.function_spec import CATEGORY

GOLDEN_VBA = Path(__file__).parent / "golden" / "clv_xl_udfs.bas"


def call(name: str, *arguments: object) -> object:
    """Call an Excel function exactly as the xlwings COM server does.

    xlwings always hands Excel a table; a 1×1 table shows as a single value in a cell.
    """
    return xlwings.udfs.call_udf("clv_xl.udfs", name, arguments, None, None)


def cell(name: str, *arguments: object) -> object:
    """The value of a single-cell call: the one element of the 1×1 table."""
    result = call(name, *arguments)
    assert isinstance(result, list) and len(result) == 1 and len(result[0]) == 1, result
    return result[0][0]


def generated_vba() -> str:
    """The function module as the installation imports it into clv_xl.xlam, English messages."""
    return functions_vba_module(ADDIN_FILE_NAME, "en")


# --- registration metadata ---------------------------------------------------------------


def test_every_catalogue_function_is_registered_with_xlwings() -> None:
    registered = {name for name in dir(clv_xl.udfs) if hasattr(getattr(clv_xl.udfs, name), "__xlfunc__")}
    assert registered == {f.name for f in FUNCTIONS}


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_xlfunc_metadata_matches_the_catalogue(function) -> None:  # type: ignore[no-untyped-def]
    meta = getattr(clv_xl.udfs, function.name).__xlfunc__
    assert meta["name"] == function.name
    assert meta["category"] == CATEGORY
    assert meta["ret"]["doc"] == function.description("en")
    assert [a["name"] for a in meta["args"]] == [a.name for a in function.arguments]
    for arg_meta, argument in zip(meta["args"], function.arguments, strict=True):
        assert arg_meta["doc"] == argument.help("en")
        assert arg_meta["options"]["ndim"] == 2
        assert arg_meta["options"]["err_to_str"] is True
        if argument.optional:
            assert arg_meta["optional"] == argument.default
        else:
            assert "optional" not in arg_meta


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_range_and_model_functions_stay_out_of_the_function_wizard(function) -> None:  # type: ignore[no-untyped-def]
    # the rule is of the data: every entry with its own evaluator (fits, spilled tables,
    # predictions, one-range APV/REPEAT_RATE) is registered with call_in_wizard=False, so a
    # new range function gets it without being named anywhere; fails if udfs.py drops the flag
    meta = getattr(clv_xl.udfs, function.name).__xlfunc__
    assert meta["call_in_wizard"] is (function.evaluator is None)


def test_the_heavy_functions_are_among_those_kept_out_of_the_wizard() -> None:
    # the list, as a floor: fails if the rule stops covering any of them
    kept_out = {f.name for f in FUNCTIONS if not f.call_in_wizard}
    assert {"BGNBD_FIT", "GAMMAGAMMA_FIT", "CLV_SUMMARY", "CLV_CUSTOMERS", "CLV_PREDICT", "APV"} <= kept_out
    assert "CLV" not in kept_out and "CAC" not in kept_out


def test_function_wizard_help_follows_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLV_XL_LANG", "it")
    italian = importlib.reload(clv_xl.udfs)
    try:
        meta = italian.CLV.__xlfunc__
        assert meta["ret"]["doc"].startswith("Valore del cliente nel tempo")
        assert meta["args"][1]["doc"] == "Durata media del cliente, in anni."
    finally:
        monkeypatch.setenv("CLV_XL_LANG", "en")
        importlib.reload(clv_xl.udfs)
        xlwings.udfs.udf_modules.clear()


# --- the VBA that "Import Functions" writes ------------------------------------------------


def test_generated_vba_matches_the_golden_file() -> None:
    # to update after a deliberate change: python tests/regenerate_golden.py (see README), then
    # review the diff; the structural tests below check the golden file on their own
    assert generated_vba() == GOLDEN_VBA.read_text(encoding="utf-8")


#: Words VBA reserves: an argument named so would not compile (the list of the VBA language reference).
VBA_RESERVED = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency", "date", "decimal",
    "declare", "dim", "do", "double", "each", "else", "elseif", "empty", "end", "enum", "eqv", "erase", "error",
    "event", "exit", "false", "for", "friend", "function", "get", "global", "gosub", "goto", "if", "imp",
    "implements", "in", "integer", "is", "let", "like", "long", "loop", "lset", "me", "mod", "new", "next", "not",
    "nothing", "null", "object", "on", "option", "optional", "or", "paramarray", "preserve", "private", "property",
    "public", "raiseevent", "redim", "rem", "resume", "return", "rset", "select", "set", "single", "static", "step",
    "stop", "string", "sub", "then", "to", "true", "type", "typeof", "until", "variant", "wend", "while", "with",
    "withevents", "xor",
}  # fmt: skip

WIZARD_GUARD = 'If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function'


def _golden_functions() -> dict[str, tuple[list[str], list[str]]]:
    """Function name -> (its parameter list, the stripped lines of its body), parsed from the golden file."""
    text = GOLDEN_VBA.read_text(encoding="utf-8")
    blocks = re.findall(r"^Function (\w+)\(([^)]*)\)\n(.*?)^End Function$", text, re.M | re.S)
    found: dict[str, tuple[list[str], list[str]]] = {}
    for name, parameters, body in blocks:
        assert name not in found, f"{name} is declared twice"
        found[name] = ([p.strip() for p in parameters.split(",") if p.strip()], [b.strip() for b in body.splitlines()])
    return found


def test_golden_vba_is_one_importable_module() -> None:
    # what VBComponents.Import needs: the module name first, ASCII only (Excel reads the file in
    # the PC's ANSI code page), the conditional-compilation constant the wrappers test, balanced
    # blocks, no line longer than VBA's 1023 characters
    text = GOLDEN_VBA.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f'Attribute VB_Name = "{FUNCTIONS_MODULE_NAME}"'
    assert '#Const App = "Microsoft Excel"' in lines[:4]
    assert text.isascii()
    assert max(len(line) for line in lines) <= 1023
    assert len(re.findall(r"^Function ", text, re.M)) == len(re.findall(r"^End Function$", text, re.M))
    for opening, closing in (("#If ", "#End If"), ("#Else", "#End If")):
        assert sum(line.strip().startswith(opening) for line in lines) == sum(line.strip() == closing for line in lines)


def test_golden_vba_declares_every_catalogue_function_and_nothing_else() -> None:
    functions = _golden_functions()
    assert set(functions) == {f.name for f in FUNCTIONS}
    for function in FUNCTIONS:
        parameters, _body = functions[function.name]
        # the catalogue's names, in order, optional ones marked Optional
        assert parameters == [("Optional " if a.optional else "") + a.name for a in function.arguments]
        for argument in function.arguments:
            assert re.fullmatch(r"[A-Za-z]\w*", argument.name) and argument.name.lower() not in VBA_RESERVED


def test_golden_vba_calls_clv_xl_udfs_with_every_argument() -> None:
    functions = _golden_functions()
    for function in FUNCTIONS:
        _parameters, body = functions[function.name]
        arguments = ", ".join(a.name for a in function.arguments)
        call = f'{function.name} = XLPy.CallUDF("{UDF_MODULE}", "{function.name}", Array({arguments})'
        excel_call = f"{call}, ActiveWorkbook, Application.Caller)"
        assert body.count(excel_call) == 1, function.name
        # an error inside the call becomes the cell's text, never a VBA dialog
        assert body.index("If TypeOf Application.Caller Is Range Then On Error GoTo failed") < body.index(excel_call)
        assert body[-2:] == ["failed:", f"{function.name} = Err.Description"]


def test_golden_vba_guards_every_entry() -> None:
    # first line of every wrapper: no active workbook (Protected View, none open) returns a
    # #N/A text instead of VBA's run-time error 91; then, where call_in_wizard is False, the
    # Function Wizard guard, before the call into Python
    functions = _golden_functions()
    for function in FUNCTIONS:
        _parameters, body = functions[function.name]
        first = body[0]
        assert first.startswith(f'If ActiveWorkbook Is Nothing Then {function.name} = "#N/A no workbook was active')
        assert first.endswith(": Exit Function")
        call = body.index(next(line for line in body if "XLPy.CallUDF" in line))
        if function.call_in_wizard:
            assert WIZARD_GUARD not in body, function.name
        else:
            assert body.index(WIZARD_GUARD) < call, function.name


# --- calls as Excel makes them -------------------------------------------------------------


def test_document_000_examples_as_single_cells() -> None:
    # document 000: 29000 € and 38000 €; optional arguments left out arrive as VBA "missing"
    assert cell("CLV", 10000.0, 3.0, 1000.0, MISSING_ARGUMENT, MISSING_ARGUMENT, MISSING_ARGUMENT) == 29000.0
    assert cell("CLV", 20000.0, 2.0, 2000.0, MISSING_ARGUMENT, MISSING_ARGUMENT, MISSING_ARGUMENT) == 38000.0


def test_ranges_are_computed_in_one_call_and_keep_their_shape() -> None:
    # a column of two APVs, a column of two ACLs and one CAC: document 000's two examples
    result = call("CLV", ((10000.0,), (20000.0,)), ((3.0,), (2.0,)), ((1000.0,), (2000.0,)), None, None, None)
    assert result == [[29000.0], [38000.0]]
    row = call("APV", ((100.0, 300.0, 50.0),), 2.0)
    assert row == [[50.0, 150.0, 25.0]]


def test_only_the_bad_elements_of_a_range_get_an_error_text() -> None:
    result = call("APV", ((100.0,), (100.0,), (100.0,)), ((4.0,), (0.0,), (None,)))
    assert result == [[25.0], ["#DIV/0! purchases = 0"], ["#VALUE! purchases is empty"]]


def test_error_cells_are_reported_with_their_own_code() -> None:
    result = cell("CLV", EXCEL_ERROR_CODES["#N/A"], 3.0, 1000.0, None, None, None)
    assert result == "#N/A apv: the cell holds the error #N/A"
    result = call("CLV", ((10000.0,), (EXCEL_ERROR_CODES["#DIV/0!"],)), 3.0, 0.0, None, None, None)
    assert result == [[30000.0], ["#DIV/0! apv: the cell holds the error #DIV/0!"]]


def test_empty_optional_cell_takes_the_default() -> None:
    # CAC left empty -> 0; frequency and margin empty -> 1
    assert cell("CLV", 10000.0, 3.0, None, None, None, None) == 30000.0


BAD_INPUTS = [
    (None, "#VALUE! revenue is empty"),
    ("", "#VALUE! revenue is empty"),
    ("abc", '#VALUE! revenue: "abc" is not a number'),
    ("n/a", '#VALUE! revenue: "n/a" is not a number'),
    (math.nan, "#VALUE! revenue is not a number (NaN)"),
    (math.inf, "#NUM! revenue is infinite"),
    (-math.inf, "#NUM! revenue is infinite"),
    (True, "#VALUE! revenue: TRUE is a logical value, not a number"),
    (dt.datetime(2024, 1, 31), "#VALUE! revenue: a date is not a number here"),
    (((),), "#VALUE! revenue is an empty range"),
    ((), "#VALUE! revenue is an empty range"),
]


@pytest.mark.parametrize(("bad", "text"), BAD_INPUTS, ids=[repr(b) for b, _ in BAD_INPUTS])
def test_bad_input_returns_the_documented_text(bad: object, text: str) -> None:
    assert cell("APV", bad, 10.0) == text


#: Every argument position of every function.
ARGUMENT_POSITIONS = [(f, i) for f in FUNCTIONS for i in range(len(f.arguments))]


@pytest.mark.parametrize(
    ("function", "position"), ARGUMENT_POSITIONS, ids=[f"{f.name}-{f.arguments[i].name}" for f, i in ARGUMENT_POSITIONS]
)
@pytest.mark.parametrize(
    "bad",
    [
        None,
        "",
        "abc",
        "n/a",
        math.nan,
        math.inf,
        -1.0,
        0.0,
        1e308,
        5e-324,
        True,
        False,
        dt.datetime(2024, 1, 1),
        ((),),
        ((None,), (None,)),
        ((1.0, 2.0, 3.0),),
        (("r", 1.0), ("alpha", 2.0)),
        ((0.5,), (2.0,), (0.3,), (1.5,), (-123.4,), (50.0,)),  # a fit's spill without its labels
        EXCEL_ERROR_CODES["#REF!"],
    ],
    ids=repr,
)
def test_no_bad_input_raises_out_of_any_function(function, position, bad) -> None:  # type: ignore[no-untyped-def]
    """Every cell a clear number or error text, in English and Italian.

    It fails when any function answers with the safety net's "unexpected error" text: that
    is what a core function that raises a plain exception on bad input (an IndexError, a
    ZeroDivisionError, a ``zip(strict=True)`` of ranges of different sizes) produces, and
    ``test_the_safety_net_fails_on_a_plain_exception`` below shows it fail so. It also fails
    on a number that is not finite (``inf`` in a cell).
    """
    arguments: list[object] = [1.0] * len(function.arguments)
    arguments[position] = bad
    for language in ("en", "it"):
        assert_only_clear_cells(function.name, call_in(language, function.name, *arguments))


def call_in(language: str, name: str, *arguments: object) -> object:
    """:func:`call` with the messages in ``language``."""
    previous = os.environ.get("CLV_XL_LANG")
    os.environ["CLV_XL_LANG"] = language
    try:
        return call(name, *arguments)
    finally:
        os.environ["CLV_XL_LANG"] = previous or "en"


#: The text of the last-resort catch of cells.evaluate, in both languages: a bug, not a message.
UNEXPECTED = ("unexpected error", "errore imprevisto")


def assert_only_clear_cells(name: str, result: object) -> None:
    """Every cell of ``result`` is a finite number or a text that says what is wrong, never the
    "unexpected error" of the safety net (labelled tables may hold other texts: labels, ids)."""
    cells = [cell for row in result for cell in row] if isinstance(result, list) else [result]
    for cell in cells:
        assert isinstance(cell, (float, str)), cell
        if isinstance(cell, float):
            assert math.isfinite(cell), cell
            continue
        assert not any(text in cell for text in UNEXPECTED), cell
        if name not in LABELLED_TABLES:
            assert cell.startswith("#"), cell


def test_the_safety_net_fails_on_a_plain_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    """What breaks the test above: a core function rewritten to raise a plain exception on bad
    input. The cell then shows "#VALUE! unexpected error in APV: ..." (it starts with '#', which
    the test accepted before), and the check refuses it."""

    def crashes(revenue: object, purchases: object) -> float:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(clv_xl.core.formulas, "apv", crashes)  # the core function APV calls
    result = call("APV", 100.0, 0.0)
    assert result == [["#VALUE! unexpected error in APV: float division by zero"]]
    with pytest.raises(AssertionError, match="unexpected error"):
        assert_only_clear_cells("APV", result)


#: Functions that spill a table with text labels (headings, customer ids).
#: Functions that spill labelled tables (their labels, ids and model names are texts too).
LABELLED_TABLES = {
    "CLV_SUMMARY",
    "CLV_CUSTOMERS",
    "CLV_PREDICT",
    "RETENTION_COHORTS",
    "CHURN_RATE",
    "BGNBD_FIT",
    "MBGNBD_FIT",
    "PARETO_NBD_FIT",
    "GAMMAGAMMA_FIT",
}


def test_negative_count_and_zero_divisor_texts() -> None:
    assert cell("REPEAT_RATE", -5.0, 2.0) == "#NUM! purchases must not be negative (got -5)"
    assert cell("CAC", 1000.0, 0.0) == "#DIV/0! new_customers = 0"
    assert cell("LIFESPAN", 0.0) == "#DIV/0! churn_rate = 0"


def test_ranges_of_different_sizes() -> None:
    result = cell("APV", ((1.0,), (2.0,), (3.0,)), ((1.0,), (2.0,)))
    assert result == "#VALUE! the ranges have different sizes: revenue 3×1, purchases 2×1"


def test_messages_in_italian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLV_XL_LANG", "it")
    assert cell("APV", 100.0, 0.0) == "#DIV/0! purchases = 0"
    assert cell("APV", "abc", 1.0) == '#VALORE! revenue: "abc" non è un numero'
    assert cell("APV", EXCEL_ERROR_CODES["#N/A"], 1.0) == "#N/D revenue: la cella contiene l'errore #N/A"


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("CLV", (1e308, 10.0, 0.0, None, None, None)),
        ("LIFESPAN", (5e-324,)),
        ("APV", (1.0, 5e-324)),
        ("CAC", (1e308, 1e-10)),
        ("LTV_CAC", (1e308, 1e-300)),
        ("CAC_PAYBACK", (1e308, 1e-300)),
        ("SPEND_EXPECTED", ((("p", 1e308), ("q", 2.0), ("gamma", 1e308)), 5.0, 1e308)),
    ],
)
def test_no_function_returns_infinity(name: str, arguments: tuple[object, ...]) -> None:
    """Finite inputs whose result overflows gave ``inf`` in the cell (and in every sum using it);
    now a #NUM! text naming what overflowed, from the one check every formula ends with."""
    assert cell(name, *arguments) == (
        f"#NUM! {name} is too large to compute: the result is beyond the largest number (about 1.8e308); "
        "check for a value far too large, or too close to 0"
    )
    assert call_in("it", name, *arguments)[0][0].startswith(f"#NUM! {name} è troppo grande da calcolare")  # type: ignore[index]


def test_only_the_elements_that_overflow_get_the_text() -> None:
    assert call("CLV", ((1e308,), (100.0,)), 10.0, 0.0, None, None, None) == [
        [
            "#NUM! CLV is too large to compute: the result is beyond the largest number (about 1.8e308); "
            "check for a value far too large, or too close to 0"
        ],
        [1000.0],
    ]
