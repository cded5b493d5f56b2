"""Catalogue entries of the order functions: whole columns of orders in, figures out.

``CLV_SUMMARY``, ``CLV_CUSTOMERS`` and ``CLV_PREDICT`` spill labelled tables from the
columns of a list of orders; how the ranges are read and the tables spilled is
:mod:`clv_xl.order_ranges`.
"""

from __future__ import annotations

from clv_xl.function_spec import ExcelFunction, argument
from clv_xl.i18n import Text
from clv_xl.order_ranges import (
    OMITTED,
    customers_of_ranges,
    predicted_clv_of_ranges,
    records_evaluator,
    summary_evaluator,
    summary_of_ranges,
)
from clv_xl.sources import cite

__all__ = ["ORDER_FUNCTIONS"]


_IDS = argument(
    "customer_ids",
    "Column of customer ids, one row per order (text or numbers; 00001 stays 00001).",
    "Colonna dei codici cliente, una riga per ordine (testo o numeri; 00001 resta 00001).",
)
_DATES = argument(
    "dates",
    "Column of order dates, same rows (dates, 31/01/2024 or 2024-01-31).",
    "Colonna delle date degli ordini, stesse righe (celle data o testi come 31/01/2024).",
)
_AMOUNTS = argument(
    "amounts",
    "Column of order amounts, same rows; negative amounts are refunds.",
    "Colonna degli importi degli ordini, stesse righe; un importo negativo è un reso.",
)
_CAC = argument(
    "cac",
    "Customer acquisition cost, € per new customer. Default 0.",
    "Costo di acquisizione del cliente, € per nuovo cliente. Se omesso vale 0.",
    0.0,
)
_SEGMENTS = argument(
    "segments",
    "Optional column of segments, same rows; a customer belongs to the segment of their first order.",
    "Colonna facoltativa dei segmenti, stesse righe; un cliente appartiene al segmento del suo primo ordine.",
    OMITTED,
)
_HORIZON = argument(
    "horizon",
    "Number of future periods to predict, in time_unit (e.g. 52 weeks).",
    "Numero di periodi futuri da prevedere, nell'unità di tempo scelta (time_unit), ad es. 52 settimane.",
)
_DISCOUNT = argument(
    "discount_rate",
    "YEARLY discount rate, e.g. 0.08 (converted to the time unit).",
    "Tasso di attualizzazione ANNUO, ad es. 0,08 (convertito nell'unità di tempo).",
)
_TIME_UNIT = argument(
    "time_unit",
    '"weeks" (default), "days" or "months" (also settimane, giorni, mesi): calendar periods of the summary.',
    '"settimane" (se omesso), "giorni" o "mesi" (anche weeks, days, months): i periodi del riepilogo.',
    OMITTED,
)
_BTYD = Text(
    "frequency = purchase periods − 1, recency and T in periods, as lifetimes' summary_data_from_transaction_data.",
    "acquisti ripetuti (frequency) = periodi con acquisti − 1; recency e T in periodi, come "
    "summary_data_from_transaction_data del pacchetto lifetimes.",
)

ORDER_FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="CLV_SUMMARY",
        compute=summary_of_ranges,
        arguments=(_IDS, _DATES, _AMOUNTS, _CAC, _SEGMENTS),
        summary=Text(
            "The step-by-step method's figures from a list of orders: spills customers, purchases, APV, repeat "
            "rate, value per year, lifespan and CLV, per segment and in total.",
            "Gli indicatori del metodo passo passo da un elenco di ordini: restituisce clienti, acquisti, APV, "
            "acquisti per cliente, valore annuo, durata e CLV, per segmento e in totale.",
        ),
        formula=Text(
            "CLV = APV × purchases/customer/year × lifespan − CAC",
            "CLV = APV × acquisti per cliente all'anno × durata − CAC",
        ),
        source=cite("002", notes=(Text("per segment, then weighted", "per segmento, poi ponderato"),)),
        extra_help=Text(
            "Lifespan is the observed average tenure (underestimates a young base); years observed run from the "
            "first order to the last. Empty rows are skipped.",
            "La durata è la permanenza media osservata (sottostima una clientela giovane); gli anni osservati vanno "
            "dal primo all'ultimo ordine. Le righe vuote sono ignorate.",
        ),
        evaluator=summary_evaluator,
    ),
    ExcelFunction(
        name="CLV_CUSTOMERS",
        compute=customers_of_ranges,
        arguments=(_IDS, _DATES, _AMOUNTS),
        summary=Text(
            "Per-customer table from a list of orders: orders, first and last purchase, revenue, average order, "
            "tenure, and frequency, recency, T, monetary_value in days.",
            "Tabella per cliente da un elenco di ordini: ordini, primo e ultimo acquisto, ricavi, ordine medio, "
            "permanenza e gli input dei modelli predittivi (frequency, recency, T, monetary_value), in giorni.",
        ),
        formula=Text(
            "frequency = purchase days − 1; recency = last − first; T = end − first",
            "frequency = giorni con acquisti − 1; recency = ultimo − primo; T = fine − primo",
        ),
        source=Text("Fader, Hardie and Lee (2005); lifetimes.", "Fader, Hardie e Lee (2005); lifetimes."),
        extra_help=_BTYD,
        evaluator=records_evaluator,
    ),
    ExcelFunction(
        name="CLV_PREDICT",
        compute=predicted_clv_of_ranges,
        arguments=(_IDS, _DATES, _AMOUNTS, _HORIZON, _DISCOUNT, _TIME_UNIT),
        summary=Text(
            "Predicted CLV of each customer from a list of orders: fits BG/NBD and Gamma-Gamma and spills "
            "expected purchases, P(alive), expected spend and CLV over the horizon.",
            "CLV previsto di ogni cliente da un elenco di ordini: stima BG/NBD e Gamma-Gamma e restituisce "
            "acquisti attesi, probabilità che sia ancora attivo, spesa attesa e CLV sull'orizzonte.",
        ),
        formula=Text(
            "CLV = Σ E[purchases in period k] × E[spend] / (1 + d)^k",
            "CLV = Σ E[acquisti nel periodo k] × E[spesa] / (1 + d)^k",
        ),
        source=Text(
            "Fader, Hardie and Lee (2005); Fader and Hardie, note 025.",
            "Fader, Hardie e Lee (2005); Fader e Hardie, nota 025.",
        ),
        extra_help=_BTYD,
        evaluator=records_evaluator,
    ),
)
