"""The model functions (BGNBD_FIT, GAMMAGAMMA_FIT, PURCHASES_EXPECTED, P_ALIVE, SPEND_EXPECTED) in Excel.

Called through xlwings' real ``call_udf`` with arguments shaped as Excel hands them
(tuples of rows, None for empty cells, VBA's "missing" marker for a left-out optional
argument), on the published CDNOW sample. Checked against the published CDNOW
estimates and the core functions.
"""

from __future__ import annotations

import pytest
import xlwings.udfs
from cdnow_data import cdnow_summary
from windows_stand_ins import EXCEL_ERROR_CODES, MISSING_ARGUMENT

from clv_xl.errors import ClvError
from clv_xl.model_ranges import read_parameters

Column = tuple[tuple[object], ...]


def call(name: str, *arguments: object) -> object:
    return xlwings.udfs.call_udf("clv_xl.udfs", name, arguments, None, None)


def column(values: object, empty_rows: int = 0) -> Column:
    """A column range as Excel hands it, with empty rows selected below the data."""
    return tuple((float(v),) for v in values) + ((None,),) * empty_rows  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def cdnow_columns() -> dict[str, Column]:
    data = cdnow_summary()
    return {name: column(data[name], empty_rows=3) for name in ("frequency", "recency", "T", "monetary_value")}


@pytest.fixture(scope="module")
def bgnbd_table(cdnow_columns: dict[str, Column]) -> list[list[object]]:
    table = call(
        "BGNBD_FIT", cdnow_columns["frequency"], cdnow_columns["recency"], cdnow_columns["T"], MISSING_ARGUMENT
    )
    assert isinstance(table, list)
    return table


@pytest.fixture(scope="module")
def gamma_gamma_table(cdnow_columns: dict[str, Column]) -> list[list[object]]:
    table = call("GAMMAGAMMA_FIT", cdnow_columns["frequency"], cdnow_columns["monetary_value"], MISSING_ARGUMENT)
    assert isinstance(table, list)
    return table


def test_bgnbd_fit_spills_the_published_cdnow_estimates(bgnbd_table: list[list[object]]) -> None:
    # published CDNOW estimate: r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4; empty rows below are skipped;
    # the last row names the model, so that the predictions know which one it is
    labels = [row[0] for row in bgnbd_table]
    values = [row[1] for row in bgnbd_table]
    assert labels == ["r", "alpha", "a", "b", "log-likelihood", "customers", "model"]
    assert [round(v, 3) for v in values[:4]] == [0.243, 4.414, 0.793, 2.426]  # type: ignore[call-overload]
    assert round(values[4], 1) == -9582.4  # type: ignore[call-overload]
    assert values[5] == 2357
    assert values[6] == "BG/NBD"


def test_gamma_gamma_fit_spills_the_published_cdnow_estimates(gamma_gamma_table: list[list[object]]) -> None:
    # published CDNOW estimate (note 025): p 6.25, q 3.74, gamma 15.44 (exact maximum 15.4477) on 946 customers
    fitted = {row[0]: row[1] for row in gamma_gamma_table}
    assert round(fitted["p"], 2) == 6.25 and round(fitted["q"], 2) == 3.74  # type: ignore[call-overload]
    assert fitted["gamma"] == pytest.approx(15.44, abs=0.01)
    assert fitted["customers"] == 946


def test_purchases_expected_from_the_spilled_table(bgnbd_table: list[list[object]]) -> None:
    # published CDNOW figure: customer 1 (x 2, t_x 30.43, T 38.86) makes 1.226 purchases in the next 39 weeks;
    # a bad customer row gets its own text, the others are computed
    result = call(
        "PURCHASES_EXPECTED",
        bgnbd_table,
        ((39.0,),),
        ((2.0,), (0.0,), (1.0,)),
        ((30.43,), (0.0,), (40.0,)),
        ((38.86,), (38.86,), (38.86,)),
    )
    assert isinstance(result, list)
    assert round(result[0][0], 3) == 1.226
    assert 0 < result[1][0] < result[0][0]
    assert result[2][0] == "#NUM! recency (40) must not be greater than T (38.86)"


def test_parameters_typed_by_hand_in_a_row_or_labelled_across(bgnbd_table: list[list[object]]) -> None:
    # the same prediction from the published parameters typed as numbers, and as labels above values
    numbers = ((0.243, 4.414, 0.793, 2.426),)
    across = (("b", "a", "alpha", "r"), (2.426, 0.793, 4.414, 0.243))
    for params in (numbers, across):
        assert round(call("PURCHASES_EXPECTED", params, 39.0, 2.0, 30.43, 38.86)[0][0], 3) == 1.226  # type: ignore[index]


def test_p_alive_matches_the_model(bgnbd_table: list[list[object]]) -> None:
    # CDNOW customer 1 with the fitted parameters: 1 / (1 + a/(b+1) ((alpha+T)/(alpha+t_x))^(r+2))
    r, alpha, a, b = (row[1] for row in bgnbd_table[:4])
    expected = 1 / (1 + a / (b + 1) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2))  # type: ignore[operator]
    assert call("P_ALIVE", bgnbd_table, 2.0, 30.43, 38.86)[0][0] == pytest.approx(expected, rel=1e-12)  # type: ignore[index]
    assert call("P_ALIVE", bgnbd_table, 0.0, 0.0, 38.86) == [[1.0]]


def test_spend_expected_from_the_spilled_table(gamma_gamma_table: list[list[object]]) -> None:
    # hand-computed from the spilled parameters: (p*gamma + p*x*m) / (p*x + q - 1) for x 2, m 22.35
    p, q, gamma = (row[1] for row in gamma_gamma_table[:3])
    expected = (p * gamma + p * 2 * 22.35) / (p * 2 + q - 1)  # type: ignore[operator]
    assert call("SPEND_EXPECTED", gamma_gamma_table, 2.0, 22.35)[0][0] == pytest.approx(expected, rel=1e-12)  # type: ignore[index]


def test_a_failed_fit_passes_its_error_on_to_the_predictions() -> None:
    # no repeat purchase at all: the fit spills an error text, and the prediction says where it came from
    failed = call("BGNBD_FIT", ((0.0,), (0.0,)), ((0.0,), (0.0,)), ((5.0,), (6.0,)), MISSING_ARGUMENT)
    assert failed == [["#NUM! BG/NBD cannot be fitted: no customer made a repeat purchase (every frequency is 0)"]]
    prediction = call("P_ALIVE", failed, 1.0, 2.0, 5.0)[0][0]  # type: ignore[index]
    assert prediction.startswith("#NUM! params: the cell holds the error #NUM! BG/NBD cannot be fitted")


def test_a_bad_cell_in_a_fit_column_is_named_with_its_row(monkeypatch: pytest.MonkeyPatch) -> None:
    frequency = ((1.0,), ("tre",), (2.0,))
    recency, age = ((3.0,), (4.0,), (5.0,)), ((10.0,), (10.0,), (10.0,))
    assert call("BGNBD_FIT", frequency, recency, age, MISSING_ARGUMENT) == [
        ['#VALUE! frequency: "tre" is not a number (row 2)']
    ]
    error_cell = ((1.0,), (EXCEL_ERROR_CODES["#N/A"],), (2.0,))
    monkeypatch.setenv("CLV_XL_LANG", "it")
    assert call("BGNBD_FIT", error_cell, recency, age, MISSING_ARGUMENT) == [
        ["#N/D frequency: la cella contiene l'errore #N/A (riga 2)"]
    ]
    assert call("BGNBD_FIT", ((1.0,), (2.0,)), ((3.0,), (20.0,)), ((10.0,), (10.0,)), MISSING_ARGUMENT) == [
        ["#NUM! recency, riga 2: recency (20) non può essere maggiore di T (10)"]
    ]


def test_fit_ranges_of_different_sizes_and_the_penalizer() -> None:
    assert call("BGNBD_FIT", ((1.0,), (2.0,)), ((3.0,),), ((10.0,), (10.0,)), MISSING_ARGUMENT) == [
        ["#VALUE! the customer ranges must have the same number of cells: frequency 2, recency 1, T 2"]
    ]
    assert call("GAMMAGAMMA_FIT", ((1.0,), (2.0,)), ((3.0,), (5.0,)), -1.0) == [
        ["#NUM! penalizer must not be negative (got -1)"]
    ]
    penalised = call("GAMMAGAMMA_FIT", ((1.0,), (2.0,), (4.0,)), ((3.0,), (5.0,), (4.0,)), 0.1)
    assert [row[0] for row in penalised] == ["p", "q", "gamma", "log-likelihood", "customers"]  # type: ignore[union-attr]


def test_parameters_that_cannot_be_found_are_reported() -> None:
    with pytest.raises(ClvError, match=r"expected the parameters r, alpha, a, b as spilled by BGNBD_FIT, got r = 1"):
        read_parameters((("r", 1.0),), ("r", "alpha", "a", "b"), argument="params", function="BGNBD_FIT")
    text = call("P_ALIVE", ((0.5, 1.0),), 1.0, 2.0, 5.0)[0][0]  # type: ignore[index]
    assert text.startswith("#VALUE! params: expected the 4 numbers r, alpha, a, b in this order")
    assert text.endswith("got 2 numbers without labels")
    assert call("P_ALIVE", ((0.5, 0.0, 1.0, 1.0),), 1.0, 2.0, 5.0) == [
        ["#NUM! BG/NBD parameter alpha must be a number greater than 0 (got 0)"]
    ]


@pytest.mark.parametrize(
    ("function", "argument", "numbers", "rest", "expected"),
    [
        (
            "P_ALIVE",
            "params",
            ((0.5,), (2.0,), (0.3,), (1.5,), (-123.4,), (50.0,)),
            (1, 2, 5),
            "4 numbers r, alpha, a, b",
        ),
        (
            "PURCHASES_EXPECTED",
            "params",
            ((0.5, 2.0, 0.3, 1.5, -123.4, 50.0),),
            (52, 1, 2, 5),
            "4 numbers r, alpha, a, b",
        ),
        ("SPEND_EXPECTED", "gg_params", ((6.0,), (4.0,), (16.0,), (-99.0,), (40.0,)), (1, 20), "3 numbers p, q, gamma"),
    ],
)
def test_the_values_of_a_fit_without_their_labels_are_refused_saying_what_is_expected(
    function: str, argument: str, numbers: tuple[tuple[float, ...], ...], rest: tuple[float, ...], expected: str
) -> None:
    """A fit's spilled table copied without its label column (parameters, log-likelihood,
    customers): it ended in "#VALUE! unexpected error ... zip()"; now the text says what is expected."""
    text = call(function, numbers, *(float(value) for value in rest))[0][0]  # type: ignore[index]
    assert text.startswith(f"#VALUE! {argument}: expected the {expected} in this order, or the labelled table")
    assert f"got {len(numbers) * len(numbers[0])} numbers without labels" in text


def test_parameters_given_as_a_column_of_numbers_are_read() -> None:
    assert call("P_ALIVE", ((0.5,), (2.0,), (0.3,), (1.5,)), 1.0, 2.0, 5.0) == call(
        "P_ALIVE", (("r", 0.5), ("alpha", 2.0), ("a", 0.3), ("b", 1.5)), 1.0, 2.0, 5.0
    )


def test_italian_fit_table_is_read_back_by_the_predictions(
    monkeypatch: pytest.MonkeyPatch, cdnow_columns: dict[str, Column], gamma_gamma_table: list[list[object]]
) -> None:
    # in Italian the labels of the fit's table are Italian (the parameters keep the paper's symbols),
    # and the predictions read it back to the same result as from the English table
    monkeypatch.setenv("CLV_XL_LANG", "it")
    table = call("GAMMAGAMMA_FIT", cdnow_columns["frequency"], cdnow_columns["monetary_value"], MISSING_ARGUMENT)
    assert [row[0] for row in table] == ["p", "q", "gamma", "log-verosimiglianza", "clienti"]  # type: ignore[union-attr]
    assert call("SPEND_EXPECTED", table, 2.0, 22.35) == call("SPEND_EXPECTED", gamma_gamma_table, 2.0, 22.35)


def test_a_small_sample_with_an_infinite_mean_spend_is_reported_in_italian(monkeypatch: pytest.MonkeyPatch) -> None:
    # three repeat customers: the fitted q is below 1, so the population mean spend p*gamma/(q-1) does not exist
    monkeypatch.setenv("CLV_XL_LANG", "it")
    table = call("GAMMAGAMMA_FIT", ((1.0,), (2.0,), (4.0,), (0.0,)), ((30.0,), (50.0,), (40.0,), (0.0,)), 0.01)
    spend = call("SPEND_EXPECTED", table, 2.0, 50.0)[0][0]  # type: ignore[index]
    assert spend.startswith("#NUM! Gamma-Gamma q = ")
    assert spend.endswith("non è maggiore di 1: la spesa attesa è infinita")


def test_pareto_nbd_fit_spills_the_published_estimates_and_its_name(cdnow_columns: dict[str, Column]) -> None:
    """Published CDNOW Pareto/NBD estimates (r 0.553, alpha 10.578, s 0.606, beta 11.67); the last row names
    the model, and P_ALIVE and PURCHASES_EXPECTED take the table and use Pareto/NBD's formulas."""
    from clv_xl.models.pareto_nbd import ParetoNbdParams, expected_purchases, probability_alive

    table = call(
        "PARETO_NBD_FIT", cdnow_columns["frequency"], cdnow_columns["recency"], cdnow_columns["T"], MISSING_ARGUMENT
    )
    assert isinstance(table, list)
    assert [row[0] for row in table] == ["r", "alpha", "s", "beta", "log-likelihood", "customers", "model"]
    values = {row[0]: row[1] for row in table}
    assert [round(values[k], 3) for k in ("r", "alpha", "s")] == [0.553, 10.578, 0.606]  # type: ignore[call-overload]
    assert round(values["beta"], 2) == 11.67 and values["model"] == "Pareto/NBD"  # type: ignore[call-overload]
    params = ParetoNbdParams(*(values[k] for k in ("r", "alpha", "s", "beta")))  # type: ignore[arg-type]
    assert call("P_ALIVE", table, 2.0, 30.43, 38.86)[0][0] == pytest.approx(  # type: ignore[index]
        float(probability_alive(params, 2, 30.43, 38.86)), rel=1e-12
    )
    assert call("PURCHASES_EXPECTED", table, 39.0, 0.0, 0.0, 38.86)[0][0] == pytest.approx(  # type: ignore[index]
        float(expected_purchases(params, 39, 0, 0, 38.86)), rel=1e-12
    )
    # a one-time buyer of 38.86 weeks ago: active for BG/NBD, probably not for Pareto/NBD
    assert call("P_ALIVE", table, 0.0, 0.0, 38.86)[0][0] < 0.5  # type: ignore[index]


def test_mbgnbd_fit_and_the_predictions_know_the_model(
    monkeypatch: pytest.MonkeyPatch, cdnow_columns: dict[str, Column]
) -> None:
    """MBG/NBD shares BG/NBD's parameter names: only the model row tells them apart, and in Italian too."""
    from clv_xl.models.mbgnbd import MbgNbdParams, probability_alive

    monkeypatch.setenv("CLV_XL_LANG", "it")
    table = call(
        "MBGNBD_FIT", cdnow_columns["frequency"], cdnow_columns["recency"], cdnow_columns["T"], MISSING_ARGUMENT
    )
    assert isinstance(table, list) and table[-1] == ["modello", "MBG/NBD"]
    params = MbgNbdParams(*(row[1] for row in table[:4]))  # type: ignore[arg-type]
    assert call("P_ALIVE", table, 0.0, 0.0, 38.86)[0][0] == pytest.approx(  # type: ignore[index]
        float(probability_alive(params, 0, 0, 38.86)), rel=1e-12
    )
    without_name = [row for row in table if row[0] != "modello"]
    assert call("P_ALIVE", without_name, 0.0, 0.0, 38.86) == [[1.0]]  # read as BG/NBD, as before


def test_parameters_typed_by_hand_for_pareto_nbd_and_a_wrong_model_name() -> None:
    """Labels s and beta mean Pareto/NBD; a model row naming no model is a #VALUE! text."""
    from clv_xl.models.pareto_nbd import ParetoNbdParams, probability_alive

    typed = (("r", 0.553), ("alpha", 10.578), ("s", 0.606), ("beta", 11.671))
    expected = float(probability_alive(ParetoNbdParams(0.553, 10.578, 0.606, 11.671), 1, 5, 30))
    assert call("P_ALIVE", typed, 1.0, 5.0, 30.0)[0][0] == pytest.approx(expected, rel=1e-12)  # type: ignore[index]
    wrong = (*typed, ("model", "Gompertz"))
    assert call("P_ALIVE", wrong, 1.0, 5.0, 30.0) == [
        ["#VALUE! params: the range does not say which model it holds (Gompertz); use the range spilled by a fit"]
    ]


def test_the_new_fits_on_bad_input_say_why() -> None:
    """Empty ranges, one customer, no repeat purchase: one text starting with the Excel error code."""
    empty = ((None,), (None,))
    assert call("PARETO_NBD_FIT", empty, empty, empty, MISSING_ARGUMENT) == [["#VALUE! frequency is empty (row 1)"]]
    assert call("PARETO_NBD_FIT", ((2.0,),), ((10.0,),), ((20.0,),), MISSING_ARGUMENT) == [
        ["#NUM! Pareto/NBD needs at least 2 customers, got 1"]
    ]
    assert call("MBGNBD_FIT", ((0.0,), (0.0,)), ((0.0,), (0.0,)), ((5.0,), (6.0,)), MISSING_ARGUMENT) == [
        ["#NUM! MBG/NBD cannot be fitted: no customer made a repeat purchase (every frequency is 0)"]
    ]
