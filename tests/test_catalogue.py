"""The catalogue against the core functions it describes."""

from __future__ import annotations

import inspect

import pytest

from clv_xl.catalogue import FUNCTIONS, find
from clv_xl.cells import evaluate


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_argument_names_and_defaults_are_the_core_signature(function) -> None:  # type: ignore[no-untyped-def]
    parameters = inspect.signature(function.compute).parameters
    assert [a.name for a in function.arguments] == list(parameters)
    for argument in function.arguments:
        default = parameters[argument.name].default
        assert (argument.default if argument.optional else inspect.Parameter.empty) == default


@pytest.mark.parametrize("function", [f for f in FUNCTIONS if f.example is not None], ids=lambda f: f.name)
def test_worked_example_gives_its_result(function) -> None:  # type: ignore[no-untyped-def]
    # range functions (model fits, transactions) are checked in their own test modules
    assert evaluate(function, list(function.example)) == pytest.approx(function.example_result, rel=1e-12)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.name)
def test_help_texts_exist_in_both_languages_and_fit_the_function_wizard(function) -> None:  # type: ignore[no-untyped-def]
    for language in ("en", "it"):
        assert 0 < len(function.description(language)) <= 255
        for argument in function.arguments:
            assert 0 < len(argument.help(language)) <= 255


def test_find_ignores_case_and_spaces() -> None:
    assert find(" clv ") is find("CLV") is not None
    assert find("nope") is None
