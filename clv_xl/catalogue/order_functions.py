"""Catalogue entries of the order functions: whole columns of orders in, figures out.

``CLV_SUMMARY``, ``CLV_CUSTOMERS``, ``CLV_PREDICT``, ``RETENTION_COHORTS`` and
``CHURN_RATE`` spill labelled tables from the columns of a list of orders; how the
ranges are read and the tables spilled is :mod:`clv_xl.order_ranges`.
"""

from __future__ import annotations

from clv_xl.function_spec import ExcelFunction, argument
from clv_xl.i18n import Text
from clv_xl.order_ranges import (
    OMITTED,
    churn_evaluator,
    churn_of_ranges,
    cohort_evaluator,
    cohorts_of_ranges,
    customers_of_ranges,
    predicted_clv_of_ranges,
    prediction_evaluator,
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
_CHURN = argument(
    "annual_churn",
    "Optional yearly churn, e.g. 0.2: the lifespan is then 1/churn. Left out: the churn estimated from the orders "
    "when they span 15 months or more, else the observed tenure (a lower bound).",
    "Abbandono annuo facoltativo, ad es. 0,2: la durata è allora 1/abbandono. Se omesso: l'abbandono stimato dagli "
    "ordini quando coprono almeno 15 mesi, altrimenti la permanenza osservata (un limite inferiore).",
    OMITTED,
)
_MODEL = argument(
    "model",
    '"auto" (default: the model with the smallest error on the last part of the orders, else the lowest BIC), '
    '"bgnbd", "mbgnbd" or "pareto".',
    "\"auto\" (se omesso: il modello con l'errore minore sull'ultima parte degli ordini, altrimenti il BIC più "
    'basso), "bgnbd", "mbgnbd" o "pareto".',
    OMITTED,
)
_PERIOD = argument(
    "period",
    '"month" (default), "quarter" or "year" (also mese, trimestre, anno): the cohorts and the columns.',
    '"mese" (se omesso), "trimestre" o "anno" (anche month, quarter, year): le coorti e le colonne.',
    OMITTED,
)
_CHURN_SOURCE = Text(
    cite("002").en + " (lifespan = 1 / churn); consecutive 12-month windows; Wilson (1927) interval.",
    cite("002").it + " (durata = 1 / abbandono); finestre consecutive di 12 mesi; intervallo di Wilson (1927).",
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
        arguments=(_IDS, _DATES, _AMOUNTS, _CAC, _SEGMENTS, _CHURN),
        summary=Text(
            "The step-by-step method's figures from a list of orders: spills customers, purchases, APV, repeat "
            "rate, value per year, lifespan (and where it comes from) and CLV, per segment and in total.",
            "Gli indicatori del metodo passo passo da un elenco di ordini: restituisce clienti, acquisti, APV, "
            "acquisti per cliente, valore annuo, durata (e la sua origine) e CLV, per segmento e in totale.",
        ),
        formula=Text(
            "CLV = APV × purchases/customer/year × lifespan − CAC",
            "CLV = APV × acquisti per cliente all'anno × durata − CAC",
        ),
        source=cite("002", notes=(Text("per segment, then weighted", "per segmento, poi ponderato"),)),
        extra_help=Text(
            "Lifespan: 1/annual_churn when given; else 1/the yearly churn estimated from the orders (12-month "
            "windows, as CHURN_RATE); else the observed average tenure, a lower bound. Years observed run from the "
            "first order to the last. Empty rows are skipped.",
            "Durata: 1/annual_churn se indicato; altrimenti 1/l'abbandono annuo stimato dagli ordini (finestre di "
            "12 mesi, come CHURN_RATE); altrimenti la permanenza media osservata, un limite inferiore. Gli anni "
            "osservati vanno dal primo all'ultimo ordine. Le righe vuote sono ignorate.",
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
        arguments=(_IDS, _DATES, _AMOUNTS, _HORIZON, _DISCOUNT, _TIME_UNIT, _MODEL),
        summary=Text(
            "Predicted CLV of every customer from a list of orders: chooses the purchase model (BG/NBD, MBG/NBD, "
            "Pareto/NBD), fits it and Gamma-Gamma, and spills expected purchases, P(alive), expected spend, CLV "
            "over the horizon and the model used.",
            "CLV previsto di ogni cliente da un elenco di ordini: sceglie il modello di acquisto (BG/NBD, MBG/NBD, "
            "Pareto/NBD), lo stima con Gamma-Gamma e restituisce acquisti attesi, probabilità che sia ancora "
            "attivo, spesa attesa, CLV sull'orizzonte e il modello usato.",
        ),
        formula=Text(
            "CLV = Σ E[purchases in period k] × E[spend] / (1 + d)^k",
            "CLV = Σ E[acquisti nel periodo k] × E[spesa] / (1 + d)^k",
        ),
        source=Text(
            "Fader, Hardie and Lee (2005); Batislam et al. (2007); Schmittlein et al. (1987); Fader and Hardie, "
            "note 025.",
            "Fader, Hardie e Lee (2005); Batislam et al. (2007); Schmittlein et al. (1987); Fader e Hardie, nota 025.",
        ),
        extra_help=Text(
            _BTYD.en + " Every customer gets a prediction; a customer whose repeat orders total 0 or less counts as "
            "spending 0 per purchase in the spend model.",
            _BTYD.it + " Ogni cliente riceve una previsione; un cliente i cui riacquisti sommano a 0 o meno conta "
            "come spesa 0 per acquisto nel modello di spesa.",
        ),
        evaluator=prediction_evaluator,
    ),
    ExcelFunction(
        name="RETENTION_COHORTS",
        compute=cohorts_of_ranges,
        arguments=(_IDS, _DATES, _PERIOD),
        summary=Text(
            "Customer retention by cohort: spills a heading row, then per cohort (customers whose first order fell in "
            "the same period) its start, its customers and the share of them who ordered in each later period.",
            "Fidelizzazione dei clienti per coorte: restituisce una riga di intestazione, poi per ogni coorte "
            "(clienti con il primo ordine nello stesso periodo) l'inizio, i clienti e la quota di loro che ha "
            "ordinato in ogni periodo successivo.",
        ),
        formula=Text(
            "share(k) = customers of the cohort with an order in period k / customers of the cohort",
            "quota(k) = clienti della coorte con un ordine nel periodo k / clienti della coorte",
        ),
        source=Text(
            'Fader and Hardie (2007), "How to project customer retention".',
            'Fader e Hardie (2007), "How to project customer retention".',
        ),
        extra_help=Text(
            "Period 0 is the cohort's own (100 %); a period not yet reached is empty, not 0. Cohort starts are dates "
            "and shares 0 to 1: format them as dates and percentages.",
            "Il periodo 0 è quello della coorte (100 %); un periodo non ancora raggiunto è vuoto, non 0. Gli inizi "
            "sono date e le quote vanno da 0 a 1: formattali come date e percentuali.",
        ),
        evaluator=cohort_evaluator,
    ),
    ExcelFunction(
        name="CHURN_RATE",
        compute=churn_of_ranges,
        arguments=(_IDS, _DATES),
        summary=Text(
            "Yearly churn estimated from a list of orders: spills the churn, its 95 % interval, the lifespan "
            "(1/churn), the customers it rests on, the reference day and the method.",
            "Abbandono annuo stimato da un elenco di ordini: restituisce l'abbandono, il suo intervallo al 95 %, la "
            "durata (1/abbandono), i clienti su cui si basa, il giorno di riferimento e il metodo.",
        ),
        formula=Text(
            "churn = customers with no order in the 12 months after a day / customers with one in the 12 before",
            "abbandono = clienti senza ordini nei 12 mesi dopo un giorno / clienti con un ordine nei 12 mesi prima",
        ),
        source=_CHURN_SOURCE,
        extra_help=Text(
            "Reference days: the last order's day minus 12, 24 ... months; the orders must span at least 15 months "
            "and 30 customers, otherwise #N/A says why. A customer who buys less than once a year counts as lost.",
            "Giorni di riferimento: il giorno dell'ultimo ordine meno 12, 24 ... mesi; gli ordini devono coprire "
            "almeno 15 mesi e 30 clienti, altrimenti #N/D spiega perché. Un cliente che compra meno di una volta "
            "all'anno conta come perso.",
        ),
        evaluator=churn_evaluator,
    ),
)
