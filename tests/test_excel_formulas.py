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
