"""Catalogue entries of the predictive models (BG/NBD and Gamma-Gamma).

The fit functions spill a labelled table of parameters; the prediction functions take
that table as their first argument (:mod:`clv_xl.model_ranges` reads both).
"""

from __future__ import annotations

from clv_xl.function_spec import ExcelFunction, argument
from clv_xl.i18n import Text
from clv_xl.model_ranges import (
    bgnbd_from_range,
    fit_evaluator,
    gamma_gamma_from_range,
    purchases_of_params,
    spend_of_params,
    with_parameters,
)
from clv_xl.models import fit_bgnbd, fit_gamma_gamma, probability_alive

__all__ = ["MODEL_FUNCTIONS"]

_FREQUENCY = argument(
    "frequency",
    "Repeat purchases of each customer in the calibration period (all purchases minus the first).",
    "Acquisti ripetuti di ogni cliente nel periodo di stima (tutti gli acquisti tranne il primo).",
)
_RECENCY = argument(
    "recency",
    "Time from each customer's first to last purchase, in periods (0 without repeat purchases).",
    "Tempo dal primo all'ultimo acquisto di ogni cliente, in periodi (0 se non ha acquisti ripetuti).",
)
_AGE = argument(
    "T",
    "Time from each customer's first purchase to the end of the calibration period, in the same periods.",
    "Tempo dal primo acquisto di ogni cliente alla fine del periodo di stima, negli stessi periodi.",
)
_MONETARY = argument(
    "monetary_value",
    "Average value of each customer's repeat purchases, € (the first purchase left out).",
    "Valore medio degli acquisti ripetuti di ogni cliente, € (escluso il primo acquisto).",
)
_PENALIZER = argument(
    "penalizer",
    "L2 penalty that stabilises small data sets, e.g. 0.01. Default 0 (plain maximum likelihood).",
    "Penalità L2 che rende stabile la stima su pochi dati, ad es. 0,01. Se omessa vale 0 (massima verosimiglianza).",
    0.0,
)
_PARAMS = argument(
    "params",
    "The BG/NBD parameters: the range spilled by BGNBD_FIT (labels r, alpha, a, b), or r, alpha, a, b in order.",
    "I parametri BG/NBD: l'intervallo restituito da BGNBD_FIT (etichette r, alpha, a, b), oppure r, alpha, a, b "
    "in ordine.",
)
_GG_PARAMS = argument(
    "gg_params",
    "The Gamma-Gamma parameters: the range spilled by GAMMAGAMMA_FIT (labels p, q, gamma), or p, q, gamma in order.",
    "I parametri Gamma-Gamma: l'intervallo restituito da GAMMAGAMMA_FIT (etichette p, q, gamma), oppure p, q, gamma.",
)
_BGNBD_SOURCE = Text(
    'Fader, Hardie and Lee (2005), "Counting your customers the easy way", Marketing Science 24(2).',
    'Fader, Hardie e Lee (2005), "Counting your customers the easy way", Marketing Science 24(2).',
)
_GAMMA_GAMMA_SOURCE = Text(
    'Fader and Hardie, "The Gamma-Gamma model of monetary value" (note 025, 2013).',
    'Fader e Hardie, "The Gamma-Gamma model of monetary value" (nota 025, 2013).',
)
_TIME_UNITS = Text(
    "recency, T and the horizon must be in the period the model was fitted in (e.g. weeks).",
    "Recency, T e orizzonte vanno espressi nell'unità di tempo usata per la stima (ad es. settimane).",
)

MODEL_FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="BGNBD_FIT",
        compute=fit_bgnbd,
        arguments=(_FREQUENCY, _RECENCY, _AGE, _PENALIZER),
        summary=Text(
            "Fits the BG/NBD purchase model; spills r, alpha, a, b, the log-likelihood and the customers.",
            "Stima il modello di acquisto BG/NBD; restituisce r, alpha, a, b, la log-verosimiglianza e i clienti.",
        ),
        formula="max Σ ln L(r, α, a, b | x, t_x, T)",
        source=_BGNBD_SOURCE,
        extra_help=Text(
            "One row per customer; empty rows are skipped. On the CDNOW sample (weeks): "
            "r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood −9582.4.",
            "Una riga per cliente; le righe vuote sono ignorate. Sul campione CDNOW (settimane): "
            "r = 0,243, alpha = 4,414, a = 0,793, b = 2,426, log-verosimiglianza −9.582,4.",
        ),
        evaluator=fit_evaluator(fit_bgnbd),
    ),
    ExcelFunction(
        name="GAMMAGAMMA_FIT",
        compute=fit_gamma_gamma,
        arguments=(_FREQUENCY, _MONETARY, _PENALIZER),
        summary=Text(
            "Fits the Gamma-Gamma spend model on the customers with repeat purchases; spills p, q, gamma, "
            "the log-likelihood and the customers fitted.",
            "Stima il modello di spesa Gamma-Gamma sui clienti con acquisti ripetuti; restituisce p, q, gamma, "
            "la log-verosimiglianza e i clienti usati.",
        ),
        formula="max Σ_{x>0} ln L(p, q, γ | x, m)",
        source=_GAMMA_GAMMA_SOURCE,
        extra_help=Text(
            "Assumes spend does not depend on purchase frequency. On the CDNOW sample: p = 6.25, q = 3.74, "
            "gamma = 15.44 (946 repeat customers).",
            "Presuppone che la spesa non dipenda dalla frequenza di acquisto. Sul campione CDNOW: p = 6,25, "
            "q = 3,74, gamma = 15,44 (946 clienti con acquisti ripetuti).",
        ),
        evaluator=fit_evaluator(fit_gamma_gamma),
    ),
    ExcelFunction(
        name="PURCHASES_EXPECTED",
        compute=purchases_of_params,
        arguments=(
            _PARAMS,
            argument(
                "horizon",
                "Number of future periods, in the time unit of recency and T (e.g. 39 weeks).",
                "Numero di periodi futuri, nella stessa unità di tempo di recency e T (ad es. 39 settimane).",
            ),
            _FREQUENCY,
            _RECENCY,
            _AGE,
        ),
        summary=Text(
            "Expected purchases of each customer in the next horizon periods (BG/NBD).",
            "Acquisti attesi di ogni cliente nei prossimi periodi dell'orizzonte (BG/NBD).",
        ),
        formula=Text(
            "E[Y(t) | x, t_x, T], Fader, Hardie, Lee (2005) (10)",
            "E[Y(t) | x, t_x, T], Fader, Hardie, Lee (2005), eq. (10)",
        ),
        source=_BGNBD_SOURCE,
        extra_help=Text(
            _TIME_UNITS.en + " CDNOW: frequency 2, recency 30.43, T 38.86, horizon 39 gives 1.226.",
            _TIME_UNITS.it
            + " CDNOW: con 2 acquisti ripetuti, recency 30,43, T 38,86 e orizzonte 39 il risultato è 1,226.",
        ),
        evaluator=with_parameters(bgnbd_from_range),
    ),
    ExcelFunction(
        name="P_ALIVE",
        compute=probability_alive,
        arguments=(_PARAMS, _FREQUENCY, _RECENCY, _AGE),
        summary=Text(
            "Probability that each customer is still active (BG/NBD).",
            "Probabilità che ogni cliente sia ancora attivo (BG/NBD).",
        ),
        formula=Text(
            "P(alive) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))",
            "P(attivo) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))",
        ),
        source=_BGNBD_SOURCE,
        extra_help=Text(
            _TIME_UNITS.en + " A customer without repeat purchases counts as active.",
            _TIME_UNITS.it + " Un cliente senza acquisti ripetuti è considerato attivo.",
        ),
        evaluator=with_parameters(bgnbd_from_range),
    ),
    ExcelFunction(
        name="SPEND_EXPECTED",
        compute=spend_of_params,
        arguments=(_GG_PARAMS, _FREQUENCY, _MONETARY),
        summary=Text(
            "Expected value of each customer's future purchases, € per purchase (Gamma-Gamma).",
            "Valore atteso dei futuri acquisti di ogni cliente, € per acquisto (Gamma-Gamma).",
        ),
        formula="E[M | x, m] = (p·γ + p·x·m) / (p·x + q − 1)",
        source=_GAMMA_GAMMA_SOURCE,
        extra_help=Text(
            "A customer without repeat purchases gets the average of all customers, p·γ/(q−1).",
            "Un cliente senza acquisti ripetuti riceve la media di tutti i clienti, p·γ/(q−1).",
        ),
        evaluator=with_parameters(gamma_gamma_from_range),
    ),
)
