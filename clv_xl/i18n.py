"""Texts of clv_xl in English and Italian, and the choice of language.

All user-facing messages live here as data, keyed by a short identifier; the rest of
the package asks for a message by key. Placeholders use :py:meth:`str.format` syntax.
"""

from __future__ import annotations

import locale
import os
from typing import Any, Literal, get_args

__all__ = ["LANGUAGES", "Language", "current_language", "message", "normalise_language"]

Language = Literal["en", "it"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

#: Environment variable that sets the language of messages and help texts.
LANGUAGE_VARIABLE = "CLV_XL_LANG"

MESSAGES: dict[str, dict[Language, str]] = {
    # values that are not numbers
    "not_a_number": {
        "en": "{argument}: \"{value}\" is not a number",
        "it": "{argument}: \"{value}\" non è un numero",
    },
    "empty": {
        "en": "{argument} is empty",
        "it": "{argument} è vuoto",
    },
    "boolean": {
        "en": "{argument}: {value} is a logical value, not a number",
        "it": "{argument}: {value} è un valore logico, non un numero",
    },
    "date": {
        "en": "{argument}: a date is not a number here",
        "it": "{argument}: una data non è un numero qui",
    },
    "nan": {
        "en": "{argument} is not a number (NaN)",
        "it": "{argument} non è un numero (NaN)",
    },
    "infinite": {
        "en": "{argument} is infinite",
        "it": "{argument} è infinito",
    },
    "cell_error": {
        "en": "{argument}: the cell holds the error {value}",
        "it": "{argument}: la cella contiene l'errore {value}",
    },
    "shapes": {
        "en": "the ranges have different sizes: {shapes}",
        "it": "gli intervalli hanno dimensioni diverse: {shapes}",
    },
    "empty_range": {
        "en": "{argument} is an empty range",
        "it": "{argument} è un intervallo vuoto",
    },
    # domain errors
    "zero_divisor": {
        "en": "{argument} = 0",
        "it": "{argument} = 0",
    },
    "negative": {
        "en": "{argument} must not be negative (got {value:g})",
        "it": "{argument} non può essere negativo (valore {value:g})",
    },
    "not_positive": {
        "en": "{argument} must be greater than 0 (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 (valore {value:g})",
    },
    "rate_range": {
        "en": "{argument} must be between 0 and 1 (got {value:g})",
        "it": "{argument} deve essere tra 0 e 1 (valore {value:g})",
    },
    "churn_range": {
        "en": "{argument} must be greater than 0 and at most 1 (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 e al massimo 1 (valore {value:g})",
    },
    "retention_vs_discount": {
        "en": "retention ({value:g}) must be lower than 1 + discount_rate ({limit:g})",
        "it": "retention ({value:g}) deve essere minore di 1 + discount_rate ({limit:g})",
    },
    "never_pays_back": {
        "en": "{argument} is negative ({value:g}): the CAC is never paid back",
        "it": "{argument} è negativo ({value:g}): il CAC non viene mai recuperato",
    },
    "unknown_function": {
        "en": "unknown function {value!r}; known: {known}",
        "it": "funzione sconosciuta {value!r}; disponibili: {known}",
    },
    "argument_count": {
        "en": "{function} takes {expected} arguments, got {given}",
        "it": "{function} richiede {expected} argomenti, ricevuti {given}",
    },
    "unexpected": {
        "en": "unexpected error in {function}: {value}",
        "it": "errore imprevisto in {function}: {value}",
    },
    # files (clv_xl.files)
    "file_missing": {
        "en": "{path}: the file does not exist",
        "it": "{path}: il file non esiste",
    },
    "file_not_a_file": {
        "en": "{path} is a folder, not a file",
        "it": "{path} è una cartella, non un file",
    },
    "file_old_excel": {
        "en": "{path}: the old .xls format is not supported; save it as .xlsx in Excel (File > Save As)",
        "it": "{path}: il vecchio formato .xls non è supportato; salvalo come .xlsx in Excel (File > Salva con nome)",
    },
    "file_unknown_kind": {
        "en": "{path}: not a workbook or CSV file (expected one of {suffixes})",
        "it": "{path}: non è una cartella di lavoro né un file CSV (previsti {suffixes})",
    },
    "file_not_a_workbook": {
        "en": "{path} is not a valid Excel workbook (it may be damaged or another kind of file)",
        "it": "{path} non è una cartella di lavoro Excel valida (potrebbe essere danneggiata o di altro tipo)",
    },
    "file_zip_bomb": {
        "en": "{path} refused: it would unpack to {size} MB or more (a compressed bomb, not a workbook)",
        "it": "{path} rifiutato: si espanderebbe in {size} MB o più (una bomba compressa, non una cartella di lavoro)",
    },
    "file_xml_bomb": {
        "en": "{path} refused: part {part} declares XML entities (an XML bomb, not what Excel writes)",
        "it": "{path} rifiutato: la parte {part} dichiara entità XML (una bomba XML, non ciò che scrive Excel)",
    },
    "file_exists": {
        "en": "{path} already exists; choose another name or use --force to replace it",
        "it": "{path} esiste già; scegli un altro nome o usa --force per sostituirlo",
    },
}


def normalise_language(language: str | None) -> Language:
    """Map ``"it"``, ``"it_IT.UTF-8"``, ``"Italian"``... to ``"it"``; anything else to ``"en"``."""
    if language and language.strip().lower().startswith("it"):
        return "it"
    return "en"


def current_language() -> Language:
    """The user's language: ``CLV_XL_LANG`` if set, else the system locale, else English."""
    chosen = os.environ.get(LANGUAGE_VARIABLE)
    if chosen:
        return normalise_language(chosen)
    try:
        system = locale.getlocale()[0]
    except ValueError:
        system = None
    return normalise_language(system)


def message(key: str, language: Language = "en", **params: Any) -> str:
    """The message ``key`` in ``language`` with its placeholders filled in."""
    texts = MESSAGES[key]
    return texts.get(language, texts["en"]).format(**params)
