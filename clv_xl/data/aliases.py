"""Accepted names, as data: column headers of a transactions table and parameter keys.

Headers and keys are compared after :func:`normalise_name`: case, accents, spaces,
dashes and dots do not matter (``"Data Ordine"``, ``"data_ordine"`` and
``"DATA-ORDINE"`` are the same name). Add a new alias here and every reader accepts it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "COLUMN_ALIASES",
    "OPTIONAL_COLUMNS",
    "PARAMETER_ALIASES",
    "PARAMETER_SHEETS",
    "REQUIRED_COLUMNS",
    "TIME_UNIT_ALIASES",
    "canonical_column",
    "canonical_parameter",
    "canonical_time_unit",
    "normalise_name",
]

#: The columns of a transactions table, in order; the first three are required.
REQUIRED_COLUMNS: tuple[str, ...] = ("customer_id", "date", "amount")
OPTIONAL_COLUMNS: tuple[str, ...] = ("segment",)

#: Canonical column -> accepted headers (normalised), English then Italian.
COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "customer_id": (
            "customer_id",
            "customer",
            "customer_code",
            "customer_number",
            "client_id",
            "client",
            "id_cliente",
            "cliente",
            "codice_cliente",
            "cod_cliente",
            "numero_cliente",
        ),
        "date": (
            "date",
            "order_date",
            "purchase_date",
            "transaction_date",
            "invoice_date",
            "datetime",
            "data",
            "data_ordine",
            "data_acquisto",
            "data_transazione",
            "data_fattura",
        ),
        "amount": (
            "amount",
            "value",
            "revenue",
            "total",
            "order_value",
            "sales",
            "importo",
            "valore",
            "ricavo",
            "ricavi",
            "totale",
            "valore_ordine",
            "vendite",
        ),
        "segment": (
            "segment",
            "customer_segment",
            "group",
            "channel",
            "segmento",
            "segmento_cliente",
            "gruppo",
            "canale",
        ),
    }
)

#: Names of the optional parameters sheet (normalised).
PARAMETER_SHEETS: tuple[str, ...] = ("parameters", "parametri", "params", "parametro")

#: Canonical parameter -> accepted keys (normalised), English then Italian.
PARAMETER_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "cac": (
            "cac",
            "acquisition_cost",
            "customer_acquisition_cost",
            "costo_acquisizione",
            "costo_di_acquisizione",
            "costo_acquisizione_cliente",
        ),
        "margin": ("margin", "gross_margin", "margine", "margine_lordo"),
        "discount_rate": (
            "discount_rate",
            "discount",
            "tasso_attualizzazione",
            "tasso_di_attualizzazione",
            "attualizzazione",
            # the key of workbooks made before the Italian template said "attualizzazione"
            "tasso_sconto",
            "tasso_di_sconto",
            "sconto",
        ),
        "observation_end": (
            "observation_end",
            "end_date",
            "observation_end_date",
            "fine_osservazione",
            "data_fine",
            "data_fine_osservazione",
        ),
        "currency": ("currency", "valuta", "moneta"),
        "annual_churn": (
            "annual_churn",
            "churn",
            "churn_rate",
            "yearly_churn",
            "abbandono_annuo",
            "tasso_abbandono",
            "tasso_di_abbandono",
            "abbandono",
        ),
    }
)

#: Time unit -> accepted names (normalised): the English and Italian names first.
TIME_UNIT_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "days": ("days", "giorni", "day", "d", "giorno", "g"),
        "weeks": ("weeks", "settimane", "week", "w", "settimana", "sett"),
        "months": ("months", "mesi", "month", "m", "mese"),
    }
)


def normalise_name(text: object) -> str:
    """A header or key as compared: lower case, no accents, words joined by ``_``.

    >>> normalise_name("  Data Ordine ")
    'data_ordine'
    >>> normalise_name("Identità-Cliente")
    'identita_cliente'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^0-9a-z%]+", "_", plain).strip("_")


def _lookup(aliases: Mapping[str, tuple[str, ...]]) -> Mapping[str, str]:
    return MappingProxyType({alias: canonical for canonical, names in aliases.items() for alias in names})


_COLUMN_BY_ALIAS = _lookup(COLUMN_ALIASES)
_PARAMETER_BY_ALIAS = _lookup(PARAMETER_ALIASES)
_TIME_UNIT_BY_ALIAS = _lookup(TIME_UNIT_ALIASES)


def canonical_column(header: object) -> str | None:
    """The canonical column a header stands for (``"ID Cliente"`` -> ``"customer_id"``), or None."""
    return _COLUMN_BY_ALIAS.get(normalise_name(header))


def canonical_parameter(key: object) -> str | None:
    """The canonical parameter a key stands for (``"Tasso di sconto"`` -> ``"discount_rate"``), or None."""
    return _PARAMETER_BY_ALIAS.get(normalise_name(key))


def canonical_time_unit(name: object) -> str | None:
    """The time unit a name stands for (``"Settimane"`` -> ``"weeks"``), or None."""
    return _TIME_UNIT_BY_ALIAS.get(normalise_name(name))
