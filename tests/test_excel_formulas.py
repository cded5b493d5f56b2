"""The native twins of the add-in functions, as formula text.

Checked against: hand-written Excel formulas of the documents' definitions (their
values are checked by the LibreOffice and formulas-engine tests).
"""

from __future__ import annotations

import pytest

from clv_xl.catalogue import FUNCTIONS
from clv_xl.excel_formulas import NATIVE_FORMULAS, addin_formula, addin_or_notice, first_addin_call, native_formula


def test_document_000_clv_is_apv_times_acl_minus_cac() -> None:
    arguments = {"apv": "B5", "acl": "B6", "cac": "B7", "frequency": None, "margin": None, "discount_rate": None}
    assert native_formula("CLV", arguments) == "=B5*B6-B7"
    assert addin_formula("CLV", ["B5", "B6", "B7"]) == "=CLV(B5,B6,B7)"


def test_discounted_clv_uses_the_annuity_factor_and_parenthesises_expressions() -> None:
    arguments = {
        "apv": "in_APV*(1+B$1)",
        "acl": "C14",
        "cac": None,
        "frequency": "f",
        "margin": "m",
        "discount_rate": "d",
    }
    assert native_formula("CLV", arguments) == "=(in_APV*(1+B$1))*f*m*(IF(d=0,C14,(1-(1+d)^(-C14))/d))"


def test_every_catalogue_formula_function_has_a_native_twin_or_is_left_out_knowingly() -> None:
    # the model functions (BG/NBD, Gamma-Gamma) fit by maximum likelihood: no native formula, not in templates
    names = {f.name for f in FUNCTIONS}
    assert set(NATIVE_FORMULAS) <= names
    assert {"CLV", "APV", "REPEAT_RATE", "CUSTOMER_VALUE", "CAC", "LIFESPAN", "PLV", "LTV_CAC", "CAC_PAYBACK"} <= set(
        NATIVE_FORMULAS
    )


def test_a_missing_required_argument_is_refused() -> None:
    with pytest.raises(ValueError, match="'purchases'"):
        native_formula("APV", {"revenue": "B5", "purchases": None})


def test_the_notice_asks_the_first_addin_call_whether_the_function_is_known() -> None:
    # ERROR.TYPE 5 is #NAME?: the function is unknown, i.e. the add-in is not loaded
    assert addin_or_notice("=CLV(B5,B6,B7)", "needs the add-in") == (
        '=IFERROR(CLV(B5,B6,B7),IF(ERROR.TYPE(CLV(B5,B6,B7))=5,"needs the add-in",CLV(B5,B6,B7)))'
    )
    # inside another function the call itself is asked (INDEX of #NAME? is #N/A in LibreOffice)
    wrapped = addin_or_notice("=INDEX(BGNBD_FIT(B2:B9,C2:C9,D2:D9),1,2)", 'say "x"')
    assert 'IF(ERROR.TYPE(BGNBD_FIT(B2:B9,C2:C9,D2:D9))=5,"say ""x""",INDEX(' in wrapped


@pytest.mark.parametrize(
    ("body", "call"),
    [
        ("IF(in_churn>0,LIFESPAN(in_churn),in_ACL)", "LIFESPAN(in_churn)"),
        ("CAC_PAYBACK(a,CUSTOMER_VALUE(b,c)*d)", "CAC_PAYBACK(a,CUSTOMER_VALUE(b,c)*d)"),
        ("P_ALIVE('Modello (x'!C4:C7,\")\",B2)+1", "P_ALIVE('Modello (x'!C4:C7,\")\",B2)"),
        ("MYCLV(1)+clv(2)", "clv(2)"),
    ],
)
def test_first_addin_call_finds_the_call_and_its_arguments(body: str, call: str) -> None:
    assert first_addin_call(body) == call


def test_a_formula_without_the_addin_has_no_call_to_ask() -> None:
    with pytest.raises(ValueError, match="no clv_xl function"):
        first_addin_call("B5*B6-B7")


# --- the report's builders (checked by value in tests/report/test_live_formulas.py) ---------------


def test_a_row_placeholder_is_a_plain_reference() -> None:
    """``E{row}`` needs no parentheses: the formula repeated down a table reads as typed."""
    from clv_xl.excel_formulas import ROW

    assert native_formula("APV", {"revenue": f"D{ROW}", "purchases": f"C{ROW}"}) == "=D{row}/C{row}"
    assert native_formula("APV", {"revenue": "D5", "purchases": "C5"}) == "=D5/C5"  # unchanged without it


def test_lifespan_used_is_the_templates_lifespan_when_a_churn_is_given() -> None:
    from clv_xl.excel_formulas import lifespan_used

    inner = native_formula("LIFESPAN", {"churn_rate": "Report_Churn"}).removeprefix("=")
    assert lifespan_used("Report_Churn", "H5") == f"=IF(Report_Churn>0,{inner},H5)"
    assert inner == "1/Report_Churn"


def test_a_text_in_a_formula_doubles_its_quotes() -> None:
    from clv_xl.excel_formulas import if_positive, text_literal

    assert text_literal('il "CAC"') == '"il ""CAC"""'
    assert (
        if_positive("Report_CAC", "=A1/Report_CAC", text_literal("no CAC"))
        == '=IF(Report_CAC>0,A1/Report_CAC,"no CAC")'
    )


def test_what_if_moves_one_driver_and_caps_the_margin() -> None:
    from clv_xl.excel_formulas import what_if_clv

    arguments = {"apv": "a", "acl": "n", "cac": "c", "frequency": "f", "margin": "m", "discount_rate": None}
    assert what_if_clv(arguments, "apv", -0.2) == "=(a*0.8)*f*m*n-c"
    assert what_if_clv(arguments, "margin", 0.2, {"margin": "1"}) == "=a*f*(MIN(1,m*1.2))*n-c"
    assert what_if_clv(arguments, "cac", 0.1) == "=a*f*m*n-(c*1.1)"


def test_weighted_average_and_the_parts_of_a_change() -> None:
    from clv_xl.excel_formulas import negative_part, positive_part, weighted_average

    assert weighted_average("B5:B7", "K5:K7") == "=SUMPRODUCT(B5:B7,K5:K7)/SUM(B5:B7)"
    assert positive_part("A1-B1", "=A2-B1") == "=MAX(0,A1-B1,A2-B1)"
    assert negative_part("A1-B1") == "=MIN(0,A1-B1)"


def test_value_so_far_total_per_and_a_warning_when_an_assumption_changed() -> None:
    from clv_xl.excel_formulas import per, total, unless_equal, value_so_far

    assert value_so_far("E5", "Report_Margin") == "=E5*Report_Margin"
    assert value_so_far("Report_Revenue", "Report_Margin", "Report_Customers") == (
        "=Report_Revenue/Report_Customers*Report_Margin"
    )
    assert total("I5", "=K5") == "=I5+K5"
    assert per("Report_RepeatRate", "Report_Years") == "=Report_RepeatRate/Report_Years"
    assert unless_equal("Report_Discount", 0.08, 'rate "8 %"') == '=IF(Report_Discount<>0.08,"rate ""8 %""","")'
