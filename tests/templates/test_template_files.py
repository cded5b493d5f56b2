"""The committed template files, the builder's determinism, and the CLI that writes them.

Checked against: the builder's own output (normalised XML parts), and the layout the
transactions reader was told (sheet names, headers, parameter keys).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from click.testing import CliRunner
from template_cells import COMMITTED, all_templates, calls_addin, committed_path

from clv_xl.cli import cli
from clv_xl.i18n import LANGUAGES
from clv_xl.templates import templates, write_templates
from clv_xl.templates.builder import _package_bytes, render

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


def test_every_template_starts_with_the_explanation_sheet() -> None:
    for spec, language in all_templates():
        workbook = openpyxl.load_workbook(committed_path(spec, language))
        first = workbook.worksheets[0]
        text = " ".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
        assert first.title == ("Leggimi" if language == "it" else "Read me")
        assert "=CLV(...)" in text and "install.ps1" in text
        assert ("documento" if language == "it" else "document") in text.lower()


def test_add_in_formulas_use_the_same_function_names_in_both_languages() -> None:
    def formulas(language: str) -> list[str]:
        workbook = openpyxl.load_workbook(committed_path(templates()[0], language))  # type: ignore[arg-type]
        return [c.value for ws in workbook for row in ws.iter_rows() for c in row if calls_addin(c.value)]

    assert formulas("en") == formulas("it")
    assert "=CLV(B5,B6,B7)" in formulas("en")


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
