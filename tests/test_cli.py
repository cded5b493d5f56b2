"""The command line, run through click's runner, and the README that documents it."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from clv_xl.catalogue import FUNCTIONS
from clv_xl.cli import cli, function_reference_markdown, parse_number

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(arguments))
    return result.exit_code, result.output


def test_functions_lists_every_catalogue_function_with_its_signature() -> None:
    code, output = run("functions", "--lang", "en")
    assert code == 0
    for function in FUNCTIONS:
        assert function.signature() in output
        assert function.summary.en in output


def test_functions_in_italian() -> None:
    code, output = run("functions", "--lang", "it")
    assert code == 0
    assert "Valore del cliente nel tempo al netto del costo di acquisizione." in output


def test_calc_document_000_example_1() -> None:
    # document 000, example 1
    assert run("calc", "CLV", "10000", "3", "1000") == (0, "29000\n")


def test_calc_accepts_italian_decimals_and_percentages() -> None:
    assert run("calc", "clv", "10000", "3", "1000", "1", "40%", "--lang", "it") == (0, "11000\n")
    assert run("calc", "LIFESPAN", "0,25", "--lang", "it") == (0, "4\n")


def test_calc_reports_the_error_text_and_fails() -> None:
    assert run("calc", "APV", "100", "0") == (1, "#DIV/0! purchases = 0\n")
    assert run("calc", "APV", "abc", "1", "--lang", "it") == (1, '#VALORE! revenue: "abc" non è un numero\n')


def test_calc_unknown_function_names_the_known_ones() -> None:
    code, output = run("calc", "NOPE", "1")
    assert code == 2
    assert "unknown function 'NOPE'" in output and "CLV" in output


def test_calc_wrong_argument_count() -> None:
    assert run("calc", "CUSTOMER_VALUE", "1") == (1, "#VALUE! CUSTOMER_VALUE takes 2 arguments, got 1\n")
    assert run("calc", "APV", "1", "2", "3") == (1, "#VALUE! APV takes 2 arguments, got 3\n")


def test_calc_apv_of_one_order_is_its_amount() -> None:
    # APV's one-range form: the average of the orders given (here one)
    assert run("calc", "APV", "40") == (0, "40\n")


def test_demo_evaluates_the_documents_examples_and_writes_them(tmp_path: Path) -> None:
    code, output = run("demo", "--out", str(tmp_path / "demo"), "--lang", "en")
    assert code == 0, output
    assert "29000" in output and "38000" in output
    with (tmp_path / "demo" / "examples.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["Result"] for row in rows} >= {"29000", "38000"}
    assert all(row["Check"] == "OK" for row in rows)
    report = tmp_path / "demo" / "clv_report_sample.xlsx"
    assert f"Report written to {report} (customers: 40; rows skipped: 0)" in output
    assert zipfile.is_zipfile(report)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1000", 1000.0), ("0.08", 0.08), ("0,08", 0.08), ("8%", 0.08), ("1000 €", 1000.0), ("", None), ("abc", "abc")],
)
def test_parse_number(text: str, expected: object) -> None:
    assert parse_number(text) == (pytest.approx(expected) if isinstance(expected, float) else expected)


def test_readme_function_reference_is_the_catalogue() -> None:
    # the README's reference is generated: `clv-xl functions --markdown --lang en`
    readme = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- function-reference:start -->\n(.*?)<!-- function-reference:end -->", readme, re.S)
    assert block is not None
    assert block.group(1) == function_reference_markdown("en")


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"clv-xl {name}" in readme, name


def test_ci_runs_the_readme_quick_start_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick_start, re.S)
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert f"\n{command}\n" in ci
