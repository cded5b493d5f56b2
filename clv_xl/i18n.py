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
    # predictive models (BG/NBD, Gamma-Gamma): customer summaries, fits, parameter ranges
    "model_whole_number": {
        "en": "{argument} must be a whole number of repeat purchases, 0 or more (got {value:g})",
        "it": "{argument} deve essere un numero intero di acquisti ripetuti, 0 o più (valore {value:g})",
    },
    "model_whole_number_row": {
        "en": "{argument}, row {row:.0f}: must be a whole number of repeat purchases, 0 or more (got {value:g})",
        "it": (
            "{argument}, riga {row:.0f}: deve essere un numero intero di acquisti ripetuti, 0 o più (valore {value:g})"
        ),
    },
    "model_negative": {
        "en": "{argument} must not be negative (got {value:g})",
        "it": "{argument} non può essere negativo (valore {value:g})",
    },
    "model_negative_row": {
        "en": "{argument}, row {row:.0f}: must not be negative (got {value:g})",
        "it": "{argument}, riga {row:.0f}: non può essere negativo (valore {value:g})",
    },
    "model_not_positive": {
        "en": "{argument} must be greater than 0 (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 (valore {value:g})",
    },
    "model_not_positive_row": {
        "en": "{argument}, row {row:.0f}: must be greater than 0 (got {value:g})",
        "it": "{argument}, riga {row:.0f}: deve essere maggiore di 0 (valore {value:g})",
    },
    "model_recency_after_T": {
        "en": "recency ({value:g}) must not be greater than T ({limit:g})",
        "it": "recency ({value:g}) non può essere maggiore di T ({limit:g})",
    },
    "model_recency_after_T_row": {
        "en": "recency, row {row:.0f}: recency ({value:g}) must not be greater than T ({limit:g})",
        "it": "recency, riga {row:.0f}: recency ({value:g}) non può essere maggiore di T ({limit:g})",
    },
    "model_recency_without_repeat": {
        "en": "recency must be 0 when frequency is 0 (got {value:g})",
        "it": "recency deve essere 0 quando frequency è 0 (valore {value:g})",
    },
    "model_recency_without_repeat_row": {
        "en": "recency, row {row:.0f}: must be 0 when frequency is 0 (got {value:g})",
        "it": "recency, riga {row:.0f}: deve essere 0 quando frequency è 0 (valore {value:g})",
    },
    "model_spend_not_positive": {
        "en": "{argument} must be greater than 0 for a customer with repeat purchases (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 per un cliente con acquisti ripetuti (valore {value:g})",
    },
    "model_spend_not_positive_row": {
        "en": "{argument}, row {row:.0f}: must be greater than 0 for a customer with repeat purchases (got {value:g})",
        "it": (
            "{argument}, riga {row:.0f}: deve essere maggiore di 0 per un cliente con acquisti ripetuti "
            "(valore {value:g})"
        ),
    },
    "model_too_few_customers": {
        "en": "{model} needs at least {minimum} customers, got {count}",
        "it": "{model} richiede almeno {minimum} clienti, ricevuti {count}",
    },
    "model_too_few_repeat_customers": {
        "en": "{model} needs at least {minimum} customers with repeat purchases (frequency > 0), got {count}",
        "it": "{model} richiede almeno {minimum} clienti con acquisti ripetuti (frequency > 0), ricevuti {count}",
    },
    "model_no_repeat_purchases": {
        "en": "{model} cannot be fitted: no customer made a repeat purchase (every frequency is 0)",
        "it": "{model} non può essere stimato: nessun cliente ha fatto acquisti ripetuti (frequency sempre 0)",
    },
    "model_not_converged": {
        "en": "{model}: the fit did not converge ({reason}); try a penalizer such as 0.01",
        "it": "{model}: la stima non converge ({reason}); provare un penalizer come 0,01",
    },
    "model_parameter": {
        "en": "{model} parameter {argument} must be a number greater than 0 (got {value:g})",
        "it": "il parametro {argument} di {model} deve essere un numero maggiore di 0 (valore {value:g})",
    },
    "model_parameters_range": {
        "en": "{argument}: expected the parameters {names} as spilled by {function}, got {found}",
        "it": "{argument}: attesi i parametri {names} come restituiti da {function}, trovati {found}",
    },
    "model_infinite_spend": {
        "en": "Gamma-Gamma q = {value:g} is not greater than 1: the expected spend is infinite",
        "it": "Gamma-Gamma q = {value:g} non è maggiore di 1: la spesa attesa è infinita",
    },
    "model_prediction_undefined": {
        "en": "{model}: the prediction is not a finite number for these values",
        "it": "{model}: la previsione non è un numero finito per questi valori",
    },
    "model_cell_row": {
        "en": "{text} (row {row})",
        "it": "{text} (riga {row})",
    },
    "model_customer_ranges": {
        "en": "the customer ranges must have the same number of cells: {sizes}",
        "it": "gli intervalli dei clienti devono avere lo stesso numero di celle: {sizes}",
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
