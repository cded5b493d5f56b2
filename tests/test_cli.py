"""The command line, run through click's runner, and the README that documents it."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_i18n import ISO_DATE, MISREAD

from clv_xl.catalogue import FUNCTIONS
from clv_xl.cli import cli, function_reference_markdown, parse_number
from clv_xl.cli_common import LocalizedCommand, LocalizedOption, Number

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def run(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(arguments), prog_name="clv-xl")
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


# --- the command line in Italian -------------------------------------------------------------


def _command_paths(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group of the command line, as the words typed to reach it."""
    yield path
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*path, name))
        else:
            yield (*path, name)


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


_PATHS = list(_command_paths(cli))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_walk_reaches_every_command() -> None:
    # the tests below run for each of these; a new command joins them by being added to the group
    assert {" ".join(p) for p in _PATHS} >= {"", "calc", "demo", "functions", "report", "templates", "excel"}
    assert ("excel", "install") in _PATHS


@pytest.mark.parametrize("path", _PATHS, ids=lambda p: " ".join(p) or "clv-xl")
def test_every_command_helps_in_italian(path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    # checked against: the command's and options' Italian texts, and click's own words, which must
    # not be left in English ("Usage:", "Options:", "Show this message and exit.")
    monkeypatch.setenv("CLV_XL_LANG", "it")
    code, output = run(*path, "--help")
    assert code == 0, output
    assert output.startswith("Uso: clv-xl") and "Opzioni:" in output and "Mostra questo aiuto ed esce." in output
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[OPTIONS]", "[required]"):
        assert english not in output, english
    assert not ISO_DATE.search(output)
    assert not [p for p in MISREAD if re.search(p, output, re.IGNORECASE)]
    command = _command(path)
    assert isinstance(command, LocalizedCommand) and command.texts is not None, (
        "declare the command with clv_xl.cli_common.command or group.command(help=Text(en, it))"
    )
    shown = _flat(output)
    assert _flat(command.texts.it.split("\n\n")[0]) in shown
    for parameter in command.params:
        if isinstance(parameter, click.Option) and parameter.help is not None:
            assert isinstance(parameter, LocalizedOption) and parameter.texts is not None, (
                f"{parameter.name}: declare the option with clv_xl.cli_common.option(help=Text(en, it))"
            )
            assert _flat(parameter.texts.it) in shown and parameter.texts.it != parameter.texts.en
            assert _flat(parameter.texts.en) not in shown


@pytest.mark.parametrize("path", _PATHS, ids=lambda p: " ".join(p) or "clv-xl")
def test_every_command_reports_errors_in_italian(path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLV_XL_LANG", "it")
    code, output = run(*path, "--no-such-option")
    assert code == 2
    assert "Errore: L'opzione '--no-such-option' non esiste." in output
    assert f"Per l'aiuto: 'clv-xl{''.join(' ' + p for p in path)} --help'." in output
    for english in ("Error:", "Try ", "No such option", "Usage:"):
        assert english not in output, english


def test_click_speaks_english_to_an_english_user_and_lang_on_the_command_line_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLV_XL_LANG", "en")
    code, output = run("report", "--help")
    assert code == 0 and output.startswith("Usage: clv-xl report [OPTIONS] DATA") and "Show this message" in output
    code, output = run("report", "--lang", "it", "--help")
    assert output.startswith("Uso: clv-xl report [OPZIONI] DATI")
    code, output = run("report", "--lang=it")
    assert code == 2 and "Errore: Manca l'argomento 'DATI'." in output
    monkeypatch.setenv("CLV_XL_LANG", "it")
    code, output = run("report", "--lang", "en")
    assert code == 2 and "Error: Missing argument 'DATA'." in output


def test_churn_0_is_answered_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # a churn of 0 has no lifespan: the user reads why, not "churn_rate = 0"
    monkeypatch.setenv("CLV_XL_LANG", "it")
    code, output = run("report", str(tmp_path / "dati.xlsx"), "-o", str(tmp_path / "r.xlsx"), "--churn", "0")
    assert code == 2
    assert "Valore non valido per '--churn': un abbandono annuo pari a 0 vuol dire che nessun cliente" in output
    assert "churn_rate" not in output
    code, output = run("report", str(tmp_path / "d.xlsx"), "-o", str(tmp_path / "r.xlsx"), "--margin", "1,5")
    assert "1,5 non è compreso tra 0 e 1" in output


# --- numbers typed as options ------------------------------------------------------------------

#: How calc's arguments may be typed, and the number each stands for.
_TYPED = {"0.3": 0.3, "0,3": 0.3, "30%": 0.3, "30 %": 0.3, "1.234,5": 1234.5, "1,234.5": 1234.5, "150 €": 150.0}


#: click's own number types (refusing "0,3" and "30%") and clv_xl's.
_NUMERIC_TYPES = (click.types.FloatParamType, click.types.IntParamType, Number)


def _numeric_options() -> list[tuple[str, click.Option]]:
    found = []
    for path in _PATHS:
        for parameter in _command(path).params:
            if isinstance(parameter, click.Option) and isinstance(parameter.type, _NUMERIC_TYPES):
                found.append((" ".join((*path, parameter.name or "")), parameter))
    return found


def test_every_numeric_option_reads_numbers_as_calc_does() -> None:
    # checked against: calc's reading of the same texts (parse_number); an option typed float or int
    # (click's own types) would refuse "0,3" and "30%"
    options = _numeric_options()
    assert {name for name, _ in options} >= {
        "report cac",
        "report margin",
        "report discount_rate",
        "report annual_churn",
    }
    for name, option in options:
        assert isinstance(option.type, Number), f"{name}: use a clv_xl.cli_common.Number type"
        for text, number in _TYPED.items():
            if (option.type.maximum or 2e9) >= number:
                assert option.type.convert(text, option, None) == pytest.approx(number), (name, text)
                assert parse_number(text) == pytest.approx(number)


def test_report_options_take_italian_decimals_and_percentages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # checked against: the overrides the report receives
    seen: dict[str, object] = {}

    def fake_report(data: Path, out: Path, **options: object) -> str:
        seen.update(options)
        return "ok"

    monkeypatch.setattr("clv_xl.cli_report.report_from_file", fake_report)
    code, output = run(
        "report",
        "dati.xlsx",
        "-o",
        "r.xlsx",
        "--cac",
        "1.234,5",
        "--margin",
        "0,35",
        "--discount-rate",
        "10%",
        "--churn",
        "20 %",
        "--lang",
        "it",
    )
    assert code == 0, output
    overrides = seen["overrides"]
    assert (overrides.cac, overrides.margin, overrides.discount_rate, overrides.annual_churn) == pytest.approx(  # type: ignore[attr-defined]
        (1234.5, 0.35, 0.1, 0.2)
    )
