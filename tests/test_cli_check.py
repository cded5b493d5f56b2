"""``clv-xl check`` end to end on CSV and xlsx files, in both languages: CDNOW's published 1,788, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from cdnow_data import cdnow_transactions
from click.testing import CliRunner

from clv_xl.cli import cli
from clv_xl.models.holdout import holdout_check

KEYS = {"model", "calibration_end", "holdout_end", "customers", "actual", "predicted", "mae"}


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(arguments))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def cdnow_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cdnow") / "cdnow.csv"
    orders = cdnow_transactions()
    orders.assign(date=orders["date"].dt.strftime("%d/%m/%Y")).to_csv(path, index=False, sep=";")
    return path


def test_cdnow_json_gives_the_published_1788(cdnow_csv: Path) -> None:
    """CDNOW's sample with a 39-week holdout: calibration to 1997-09-30, 1,788 actual purchases (Fader, Hardie and
    Lee 2005), one object per model with exactly the keys of the issue, and the figures of holdout_check."""
    before = cdnow_csv.read_bytes()
    code, out, _ = run("check", str(cdnow_csv), "--holdout", "39", "--json")
    assert code == 0
    records = json.loads(out)
    assert [r["model"] for r in records] == ["bgnbd", "mbgnbd", "pareto"]
    assert all(set(r) == KEYS for r in records)
    assert {(r["calibration_end"], r["holdout_end"], r["customers"], r["actual"]) for r in records} == {
        ("1997-09-30", "1998-06-30", 2357, 1788)
    }
    expected = holdout_check(cdnow_transactions(), holdout=39).models
    assert [r["mae"] for r in records] == pytest.approx([m.mae for m in expected], rel=1e-12)
    assert [r["predicted"] for r in records] == pytest.approx([m.predicted for m in expected], rel=1e-12)
    assert cdnow_csv.read_bytes() == before  # the input is only read


def test_the_table_in_italian_and_in_english(cdnow_csv: Path) -> None:
    """The default holdout on CDNOW is 39 weeks; Italian dates and decimal commas; the best model named."""
    code, out, _ = run("check", str(cdnow_csv), "--lang", "it")
    assert code == 0
    assert "stimati sugli ordini fino al 30/09/1997" in out and "(39 settimane)" in out
    assert "1.788" in out and "0,719" in out
    assert "Il modello con l'errore medio per cliente più basso: Pareto/NBD." in out
    code, out, _ = run("check", str(cdnow_csv), "--lang", "en", "--model", "mbgnbd", "--time-unit", "days")
    assert code == 0
    assert "MBG/NBD" in out and "Pareto/NBD" not in out and "(272 days)" in out


def test_an_xlsx_workbook_is_read_too(tmp_path: Path) -> None:
    """The same orders in a workbook (dates as date cells) give the same check as the CSV."""
    orders = cdnow_transactions()
    path = tmp_path / "ordini.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Cliente", "Data", "Importo"])
    for customer, date, amount in orders.itertuples(index=False):
        sheet.append([customer, date.to_pydatetime(), amount])
    book.save(path)
    code, out, _ = run("check", str(path), "--holdout", "39", "--json", "--model", "pareto")
    assert code == 0
    (record,) = json.loads(out)
    assert (record["model"], record["actual"], record["customers"]) == ("pareto", 1788, 2357)


def _write(path: Path, rows: list[tuple[str, str, float]]) -> Path:
    pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("rows", "options", "english", "italian"),
    [
        (
            [("A", "2024-01-05", 1.0), ("B", "2024-01-05", 2.0)],
            (),
            "the orders span 0 weeks: too little for a check",
            "gli ordini coprono 0 settimane: troppo poco per la verifica",
        ),
        (
            [("A", "2024-01-05", 1.0), ("A", "2024-03-05", 2.0), ("B", "2024-02-05", 2.0)],
            ("--holdout", "20"),
            "a holdout of 20 weeks is as long as the orders or longer",
            "un periodo di verifica di 20 settimane è lungo quanto gli ordini o di più",
        ),
        (
            [("A", "2024-01-05", 1.0), ("A", "2024-03-05", 2.0)],
            ("--holdout", "due"),
            "the holdout must be a whole number of weeks from 1 up (got due)",
            "il periodo di verifica deve essere un numero intero di settimane da 1 in su (valore due)",
        ),
        ([], (), "there are no transactions to read", "non ci sono transazioni da leggere"),
    ],
)
def test_bad_input_is_a_clear_message_in_the_users_language(  # type: ignore[no-untyped-def]
    tmp_path: Path, rows, options, english: str, italian: str
) -> None:
    """All purchases on one day, a holdout longer than the data, a holdout that is not a number, an empty file:
    exit status 1 and one line saying why, never a traceback."""
    path = _write(tmp_path / "orders.csv", rows)
    for language, expected in (("en", english), ("it", italian)):
        code, out, err = run("check", str(path), *options, "--lang", language)
        assert code == 1 and out == ""
        assert expected in err and "Traceback" not in err


def test_one_time_buyers_and_one_customer_say_why_no_model_fits(tmp_path: Path) -> None:
    """Only one-time buyers before the calibration end, or one customer: each model says why (exit status 1)."""
    rows = [(f"C{i}", f"2024-01-{1 + i % 28:02d}", 5.0) for i in range(30)] + [("C1", "2024-04-30", 5.0)]
    code, out, _ = run("check", str(_write(tmp_path / "once.csv", rows)), "--holdout", "4")
    assert code == 1
    assert "BG/NBD could not be fitted: BG/NBD cannot be fitted: no customer made a repeat purchase" in out
    one = [("A", "2024-01-05", 5.0), ("A", "2024-02-05", 5.0), ("A", "2024-04-05", 5.0)]
    code, out, _ = run("check", str(_write(tmp_path / "one.csv", one)), "--holdout", "4", "--lang", "it", "--json")
    assert code == 1
    assert all(record["predicted"] is None and record["customers"] == 1 for record in json.loads(out))


def test_a_missing_file_is_named() -> None:
    code, _, err = run("check", "no-such-orders.csv", "--lang", "it")
    assert code == 1 and "no-such-orders.csv: il file non esiste" in err
