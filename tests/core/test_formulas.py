"""The core formulas against the documents' examples and hand-computed tables."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clv_xl import core
from clv_xl.errors import ClvError, ExcelErrorCode


def test_document_000_example_1() -> None:
    # document 000, example 1: CLV = (10000 x 3) - 1000 = 29000 €
    assert core.clv(10000, 3, 1000) == 29000.0


def test_document_000_example_2() -> None:
    # document 000, example 2: CLV = (20000 x 2) - 2000 = 38000 €
    assert core.clv(20000, 2, 2000) == 38000.0


def test_scalar_input_gives_a_python_float() -> None:
    assert type(core.clv(10000, 3, 1000)) is float


def test_both_document_examples_in_one_vectorised_call() -> None:
    result = core.clv(np.array([10000, 20000]), [3, 2], [1000, 2000])
    np.testing.assert_array_equal(result, [29000.0, 38000.0])


def test_vector_and_scalar_broadcast_to_the_vector_shape() -> None:
    # hand-computed: 100 x [1, 2, 3] - 50
    np.testing.assert_array_equal(core.clv([100, 100, 100], [1, 2, 3], 50), [50.0, 150.0, 250.0])


def test_column_shape_is_kept() -> None:
    result = core.apv([[100.0], [300.0]], [[4.0], [3.0]])
    assert result.shape == (2, 1)
    np.testing.assert_array_equal(result, [[25.0], [100.0]])


def test_clv_with_frequency_margin_and_discount_by_hand() -> None:
    # APV 100 € per purchase, 4 purchases a year, 30 % margin, 3 years at 10 %, CAC 200 €:
    # A(3, 0.1) = (1 - 1.1^-3) / 0.1 = 2.486851991; 120 x 2.486851991 - 200 = 98.42223892
    expected = 100 * 4 * 0.3 * ((1 - 1.1**-3) / 0.1) - 200
    assert core.clv(100, 3, 200, frequency=4, margin=0.3, discount_rate=0.1) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(98.42223892, rel=1e-9)


def test_annuity_factor_by_hand() -> None:
    # A(n, 0) = n; A(2, 0.05) = 1/1.05 + 1/1.05^2 = 1.859410431
    assert core.annuity_factor(3, 0) == 3.0
    assert core.annuity_factor(2, 0.05) == pytest.approx(1 / 1.05 + 1 / 1.05**2, rel=1e-12)


@pytest.mark.parametrize(
    ("function", "arguments", "expected"),
    [
        # document 002's step-by-step chain on illustrative inputs, computed by hand
        (core.apv, (120000, 480), 250.0),
        (core.repeat_rate, (480, 160), 3.0),
        (core.customer_value, (250, 3), 750.0),
        (core.lifespan_from_churn, (0.25,), 4.0),
        (core.cac, (20000, 20), 1000.0),
        # document 001: 5 % of prospects convert into a 30000 € customer; 100 € per prospect
        (core.prospect_value, (0.05, 30000, 100), 1400.0),
        (core.ltv_cac_ratio, (30000, 1000), 30.0),
        (core.cac_payback, (1000, 250), 4.0),
        # textbook margin multiple: 100 x 0.8 / (1 + 0.1 - 0.8) = 266.67
        (core.clv_retention, (100, 0.8, 0.1), 80 / 0.3),
        (core.clv_retention, (100, 0.5), 100.0),
    ],
)
def test_hand_computed_table(function, arguments, expected) -> None:  # type: ignore[no-untyped-def]
    assert function(*arguments) == pytest.approx(expected, rel=1e-12)


def test_document_002_chain_end_to_end() -> None:
    # 002: APV x repeat rate = customer value; x lifespan; minus CAC
    value = core.customer_value(core.apv(120000, 480), core.repeat_rate(480, 160))
    assert core.clv(value, core.lifespan_from_churn(0.25), 500) == 2500.0


def test_document_003_margin_based_clv() -> None:
    # 003: value from profit, i.e. after the cost of the product: 10000 x 0.4 x 3 - 1000
    assert core.clv(10000, 3, 1000, margin=0.4) == pytest.approx(11000.0)


@pytest.mark.parametrize(
    ("call", "code", "argument", "text"),
    [
        (lambda: core.apv(100, 0), ExcelErrorCode.DIV0, "purchases", "purchases = 0"),
        (lambda: core.apv(100, -2), ExcelErrorCode.NUM, "purchases", "purchases must be greater than 0 (got -2)"),
        (lambda: core.repeat_rate(10, 0), ExcelErrorCode.DIV0, "customers", "customers = 0"),
        (lambda: core.cac(1000, 0), ExcelErrorCode.DIV0, "new_customers", "new_customers = 0"),
        (lambda: core.lifespan_from_churn(0), ExcelErrorCode.DIV0, "churn_rate", "churn_rate = 0"),
        (lambda: core.lifespan_from_churn(1.5), ExcelErrorCode.NUM, "churn_rate", "at most 1 (got 1.5)"),
        (lambda: core.clv_retention(100, 1.0, 0.0), ExcelErrorCode.NUM, "retention", "lower than 1 + discount_rate"),
        (lambda: core.clv(-1, 3), ExcelErrorCode.NUM, "apv", "apv must not be negative (got -1)"),
        (lambda: core.clv(100, 3, margin=1.2), ExcelErrorCode.NUM, "margin", "between 0 and 1 (got 1.2)"),
        (lambda: core.clv("abc", 3), ExcelErrorCode.VALUE, "apv", '"abc" is not a number'),
        (lambda: core.clv(True, 3), ExcelErrorCode.VALUE, "apv", "logical value"),
        (lambda: core.clv(math.nan, 3), ExcelErrorCode.VALUE, "apv", "NaN"),
        (lambda: core.clv(math.inf, 3), ExcelErrorCode.NUM, "apv", "infinite"),
        (lambda: core.clv([], 3), ExcelErrorCode.VALUE, "apv", "empty range"),
        (lambda: core.ltv_cac_ratio(1000, 0), ExcelErrorCode.DIV0, "cac", "cac = 0"),
        (lambda: core.cac_payback(1000, 0), ExcelErrorCode.DIV0, "margin_per_period", "= 0"),
        (lambda: core.cac_payback(1000, -5), ExcelErrorCode.NUM, "margin_per_period", "never paid back"),
        (lambda: core.prospect_value(1.5, 100, 1), ExcelErrorCode.NUM, "conversion_rate", "between 0 and 1"),
    ],
)
def test_undefined_math_raises_clv_error_with_code_and_argument(call, code, argument, text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ClvError, match=text.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")) as caught:
        call()
    assert caught.value.code is code
    assert caught.value.argument == argument
    assert caught.value.excel_text().startswith(code.value)


def test_shape_mismatch_is_a_value_error() -> None:
    with pytest.raises(ClvError, match="different sizes") as caught:
        core.apv([1, 2, 3], [1, 2])
    assert caught.value.code is ExcelErrorCode.VALUE


def test_error_mask_marks_every_bad_element() -> None:
    with pytest.raises(ClvError) as caught:
        core.apv([10, 10, 10, 10], [1, 0, 2, 0])
    np.testing.assert_array_equal(caught.value.mask, [False, True, False, True])


def test_messages_in_italian() -> None:
    with pytest.raises(ClvError) as caught:
        core.apv(100, -2)
    assert caught.value.excel_text("it") == "#NUM! purchases deve essere maggiore di 0 (valore -2)"
    with pytest.raises(ClvError) as caught:
        core.clv("abc", 1)
    assert caught.value.excel_text("it").startswith("#VALORE! apv:")


# --- properties -------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False)
years = st.floats(min_value=0, max_value=50, allow_nan=False)
rates = st.floats(min_value=0, max_value=1, allow_nan=False)
frequencies = st.floats(min_value=0, max_value=365, allow_nan=False)


@given(st.lists(st.tuples(amounts, years, amounts, frequencies, rates, rates), min_size=1, max_size=20))
def test_vector_result_equals_element_wise_scalar_results(rows) -> None:  # type: ignore[no-untyped-def]
    columns = [np.array(column) for column in zip(*rows, strict=False)]
    vector = core.clv(*columns)
    scalars = [core.clv(*row) for row in rows]
    np.testing.assert_allclose(vector, scalars, rtol=1e-12, atol=1e-9)


@given(amounts, years, amounts, frequencies, rates, rates, st.floats(min_value=0.01, max_value=1000))
def test_clv_grows_with_apv_acl_frequency_and_falls_with_cac(apv, acl, cac, frequency, margin, rate, step) -> None:  # type: ignore[no-untyped-def]
    base = core.clv(apv, acl, cac, frequency, margin, rate)
    assert core.clv(apv + step, acl, cac, frequency, margin, rate) >= base
    assert core.clv(apv, acl + step, cac, frequency, margin, rate) >= base
    assert core.clv(apv, acl, cac, frequency + step, margin, rate) >= base
    assert core.clv(apv, acl, cac + step, frequency, margin, rate) < base


@given(amounts, years, amounts, frequencies, rates)
def test_zero_discount_rate_gives_the_undiscounted_formula(apv, acl, cac, frequency, margin) -> None:  # type: ignore[no-untyped-def]
    # document 000's formula, generalised: APV x f x m x ACL - CAC
    assert core.clv(apv, acl, cac, frequency, margin, 0.0) == pytest.approx(
        apv * frequency * margin * acl - cac, rel=1e-12, abs=1e-6
    )


@given(st.floats(min_value=0.001, max_value=0.5), years)
def test_discounting_never_increases_value(rate, acl) -> None:  # type: ignore[no-untyped-def]
    assert core.annuity_factor(acl, rate) <= acl + 1e-12


@given(
    st.floats(-1e6, 1e6),
    st.floats(0, 50),
    st.floats(0, 1e4),
    st.floats(0, 20),
    st.floats(0, 1),
    st.floats(0, 0.5),
)
def test_clv_of_a_group_is_the_same_formula_for_any_sign_of_apv(apv, acl, cac, frequency, margin, rate) -> None:  # type: ignore[no-untyped-def]
    """Linear in APV: APV · f · m · A(ACL, d) − CAC, the value of CLV for a positive APV and its mirror
    for a negative one (a group of refunds), never the refusal CLV gives a negative APV typed in a cell."""
    annuity = acl if rate == 0 else (1 - (1 + rate) ** -acl) / rate
    expected = apv * frequency * margin * annuity - cac
    assert core.clv_of_group(apv, acl, cac, frequency, margin, rate) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    if apv >= 0:
        assert core.clv_of_group(apv, acl, cac, frequency, margin, rate) == core.clv(
            apv, acl, cac, frequency, margin, rate
        )


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: core.clv(1e308, 10.0), "CLV"),
        (lambda: core.clv_of_group(-1e308, 10.0), "CLV"),
        (lambda: core.lifespan_from_churn(5e-324), "LIFESPAN"),
        (lambda: core.apv(1.0, 5e-324), "APV"),
        (lambda: core.cac(1e308, 1e-10), "CAC"),
        (lambda: core.ltv_cac_ratio(1e308, 1e-300), "LTV_CAC"),
        (lambda: core.cac_payback(1e308, 1e-300), "CAC_PAYBACK"),
        (lambda: core.customer_value(1e200, 1e200), "CUSTOMER_VALUE"),
    ],
)
def test_a_result_that_overflows_is_a_num_error_never_infinity(call, name) -> None:  # type: ignore[no-untyped-def]
    """Finite inputs, a result beyond the largest float: ``finish`` (the last step of every formula) refuses it."""
    with np.errstate(over="ignore", divide="ignore"), pytest.raises(ClvError) as caught:
        call()
    assert (caught.value.code, caught.value.argument, caught.value.key) == (ExcelErrorCode.NUM, name, "overflow")


def test_only_the_overflowing_elements_are_masked() -> None:
    with np.errstate(over="ignore"), pytest.raises(ClvError) as caught:
        core.clv([1e308, 10.0, 1e308], 10.0)
    assert list(caught.value.mask) == [True, False, True]  # type: ignore[arg-type]
