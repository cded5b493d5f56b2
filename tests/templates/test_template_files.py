"""The committed template files, the builder's determinism, and the CLI that writes them.

Checked against: the builder's own output (normalised XML parts), and the layout the
transactions reader was told (sheet names, headers, parameter keys).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from click.testing import CliRunner
from template_cells import COMMITTED, all_templates, calls_addin, committed_path

from clv_xl.cli import cli
from clv_xl.excel_formulas import addin_or_notice
from clv_xl.i18n import LANGUAGES, Language
from clv_xl.sources import SOURCES
from clv_xl.templates import templates, write_templates
from clv_xl.templates.builder import _package_bytes, render
from clv_xl.templates.workbook_spec import ADDIN_MISSING

#: Parts and elements that may change without the workbook changing (volatile metadata).
_VOLATILE_PARTS = {"docProps/app.xml"}
_VOLATILE_TAGS = {
    "{http://purl.org/dc/terms/}created",
    "{http://purl.org/dc/terms/}modified",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy",
}


def normalised_parts(content: bytes) -> dict[str, str]:
    """The package's parts, XML ones canonicalised, volatile metadata dropped."""
    parts: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in sorted(package.namelist()):
            if name in _VOLATILE_PARTS:
                continue
            data = package.read(name)
            if not (name.endswith(".xml") or name.endswith(".rels")):
                parts[name] = data.hex()
                continue
            root = ElementTree.fromstring(data)
            for parent in list(root.iter()):
                for child in list(parent):
                    if child.tag in _VOLATILE_TAGS:
                        parent.remove(child)
            parts[name] = ElementTree.canonicalize(ElementTree.tostring(root, encoding="unicode"), strip_text=True)
    return parts


@pytest.mark.parametrize(
    ("spec", "language"), [pytest.param(s, lang, id=f"{lang}-{s.file_name(lang)}") for s, lang in all_templates()]
)
def test_committed_template_matches_the_builder(spec, language) -> None:  # type: ignore[no-untyped-def]
    # checked against: what the builder makes now
    # regenerate with `clv-xl templates --lang LANG --out workbook_templates/LANG`
    committed = committed_path(spec, language)
    assert committed.exists(), f"{committed} is missing: regenerate the templates"
    expected = normalised_parts(_package_bytes(render(spec, language)))
    actual = normalised_parts(committed.read_bytes())
    assert actual.keys() == expected.keys()
    for name in expected:
        assert actual[name] == expected[name], f"{committed.name}: part {name} differs; regenerate the templates"


def test_no_stray_files_among_the_committed_templates() -> None:
    for language in LANGUAGES:
        expected = {spec.file_name(language) for spec in templates()}
        assert {p.name for p in (COMMITTED / language).iterdir()} == expected


def test_the_normaliser_sees_a_changed_cell() -> None:
    # the comparison above must be able to fail: one changed cell changes a part
    spec = templates()[0]
    workbook = render(spec, "en")
    original = normalised_parts(_package_bytes(workbook))
    workbook.worksheets[1]["B5"] = 12345
    assert normalised_parts(_package_bytes(workbook)) != original


def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    # fixed properties, order and zip timestamps: a rebuild does not change a committed file
    first = write_templates(tmp_path / "a", "it")
    second = write_templates(tmp_path / "b", "it")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_document_properties_are_fixed() -> None:
    workbook = openpyxl.load_workbook(committed_path(templates()[1], "it"))
    assert workbook.properties.creator == "clv_xl"
    assert workbook.properties.created.year == workbook.properties.modified.year == 2026
    assert workbook.properties.language == "it-IT"


def test_every_template_starts_with_the_explanation_sheet_citing_articles_by_title() -> None:
    # checked against: the articles' titles (clv_xl.sources); an internal number ("document 002",
    # "documento 000") means nothing to the reader, who has no such documents
    titles = {s.title for s in SOURCES}
    for spec, language in all_templates():
        workbook = openpyxl.load_workbook(committed_path(spec, language))
        first = workbook.worksheets[0]
        text = " ".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
        assert first.title == ("Leggimi" if language == "it" else "Read me")
        assert "=CLV(...)" in text and "install.ps1" in text
        assert ADDIN_MISSING(language) in text  # the Read-me says what an add-in cell shows without the add-in
        if spec.file_name("en") != "clv_predictive.xlsx":  # the predictive workbook cites the models' papers
            assert any(title in text for title in titles), spec.file_name(language)


def test_no_sheet_cites_a_document_by_number() -> None:
    pattern = re.compile(r"\bdoc(ument[oi]?|s?\.)?\s*0\d\d\b", re.IGNORECASE)
    for spec, language in all_templates():
        workbook = openpyxl.load_workbook(committed_path(spec, language))
        for sheet in workbook:
            for row in sheet.iter_rows():
                for cell in row:
                    assert not (isinstance(cell.value, str) and pattern.search(cell.value)), (
                        f"{spec.file_name(language)} {sheet.title}!{cell.coordinate}: {cell.value}"
                    )


def test_add_in_formulas_use_the_same_function_names_in_both_languages() -> None:
    # only the text shown without the add-in differs between the languages
    def formulas(language: Language) -> list[str]:
        workbook = openpyxl.load_workbook(committed_path(templates()[0], language))
        return [
            c.value.replace(ADDIN_MISSING(language), "NOTICE")
            for ws in workbook
            for row in ws.iter_rows()
            for c in row
            if calls_addin(c.value)
        ]

    assert formulas("en") == formulas("it")
    assert addin_or_notice("=CLV(B5,B6,B7)", "NOTICE") in formulas("en")


def test_templates_command_writes_every_template(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["templates", "--lang", "it", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "calcolatore_clv.xlsx",
        "clv_predittivo.xlsx",
        "dati_clv.xlsx",
        "dati_clv_esempio.xlsx",
        "esempi_clv.xlsx",
    ]
    assert "Scritto:" in result.output


def test_demo_writes_the_templates_in_both_languages(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "examples.csv").exists()
    assert (tmp_path / "templates" / "en" / "clv_examples.xlsx").exists()
    assert (tmp_path / "templates" / "it" / "esempi_clv.xlsx").exists()


def test_templates_command_needs_an_output_folder() -> None:
    result = CliRunner().invoke(cli, ["templates"])
    assert result.exit_code == 2 and "--out" in result.output


def test_the_italian_sample_is_read_with_its_parameters_and_old_keys_still_work(tmp_path: Path) -> None:
    # checked against: the sample's parameters; "tasso_attualizzazione" is the key now, and workbooks
    # made with the key "tasso_sconto" still read
    from clv_xl import read_transactions
    from clv_xl.data.aliases import canonical_parameter
    from clv_xl.templates.orders import SAMPLE_PARAMETERS, transactions_workbook

    read = read_transactions(committed_path(transactions_workbook(sample=True), "it"))
    assert read.parameters["discount_rate"] == SAMPLE_PARAMETERS["discount_rate"]
    for key in ("tasso_attualizzazione", "Tasso di attualizzazione", "tasso_sconto", "Tasso di sconto"):
        assert canonical_parameter(key) == "discount_rate", key
