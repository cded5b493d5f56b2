"""Small helpers for the Office Open XML package of an .xlsx workbook (a zip of XML parts)."""

from __future__ import annotations

import posixpath
import zipfile

from defusedxml.ElementTree import fromstring

__all__ = ["MAIN_NAMESPACE", "related_parts", "sheet_part", "workbook_relations"]

#: The SpreadsheetML namespace, as ElementTree spells it in tags.
MAIN_NAMESPACE = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_part(package: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding the worksheet ``sheet_name`` (``xl/worksheets/sheet1.xml``...), or None.

    Follows the workbook's relationships, as a spreadsheet program does, rather than
    guessing from the sheet's position. DTDs are refused (defusedxml).
    """
    workbook = fromstring(package.read("xl/workbook.xml"), forbid_dtd=True)
    relation = next(
        (
            sheet.get(f"{_RELATIONSHIPS}id")
            for sheet in workbook.iter(f"{MAIN_NAMESPACE}sheet")
            if sheet.get("name") == sheet_name
        ),
        None,
    )
    if relation is None:
        return None
    return next((part for identifier, _, part in workbook_relations(package) if identifier == relation), None)


def workbook_relations(package: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """The workbook's relationships: (id, type, zip member), e.g. ``("rId3", ".../styles", "xl/styles.xml")``."""
    relations = fromstring(package.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    found: list[tuple[str, str, str]] = []
    for relationship in relations.iter(f"{_PACKAGE_RELATIONSHIPS}Relationship"):
        target = relationship.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        found.append((relationship.get("Id", ""), relationship.get("Type", ""), part))
    return found


def related_parts(package: zipfile.ZipFile, *kinds: str) -> list[str]:
    """The workbook's parts present in ``package`` whose relationship type ends with one of ``kinds``.

    ``related_parts(package, "/sharedStrings")`` -> ``["xl/sharedStrings.xml"]``.
    """
    names = set(package.namelist())
    return [part for _, kind, part in workbook_relations(package) if kind.endswith(kinds) and part in names]
