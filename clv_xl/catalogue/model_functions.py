"""Catalogue entries of the predictive models (BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma).

The fit functions spill a labelled table of parameters; the prediction functions take
that table as their first argument (:mod:`clv_xl.model_ranges` reads both). The table
of a purchase model ends with the model's name, so P_ALIVE and PURCHASES_EXPECTED
take the table of any of the three fits.
"""

from __future__ import annotations

from clv_xl.function_spec import ExcelFunction, argument
from clv_xl.i18n import Text
from clv_xl.model_ranges import (
    fit_evaluator,
    gamma_gamma_from_range,
    purchase_params_from_range,
    purchases_of_params,
    spend_of_params,
    with_parameters,
)
from clv_xl.models import fit_bgnbd, fit_gamma_gamma, fit_mbgnbd, fit_pareto_nbd, probability_alive

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
    "The fitted purchase model: the range spilled by BGNBD_FIT, MBGNBD_FIT or PARETO_NBD_FIT (its last row names "
    "the model), or r, alpha, a, b of BG/NBD in order.",
    "Il modello di acquisto stimato: l'intervallo restituito da BGNBD_FIT, MBGNBD_FIT o PARETO_NBD_FIT (l'ultima "
    "riga indica il modello), oppure r, alpha, a, b di BG/NBD in ordine.",
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
_MBGNBD_SOURCE = Text(
    'Batislam, Denizel and Filiztekin (2007), "Empirical validation and comparison of models for customer base '
    'analysis", IJRM 24(3); Wagner and Hoppe (2008), erratum.',
    'Batislam, Denizel e Filiztekin (2007), "Empirical validation and comparison of models for customer base '
    'analysis", IJRM 24(3); Wagner e Hoppe (2008), errata.',
)
_PARETO_SOURCE = Text(
    'Schmittlein, Morrison and Colombo (1987), "Counting your customers", Management Science 33(1); Fader and '
    "Hardie, note 009.",
    'Schmittlein, Morrison e Colombo (1987), "Counting your customers", Management Science 33(1); Fader e '
    "Hardie, nota 009.",
)
_ANY_MODEL_SOURCE = Text(
    "Fader, Hardie and Lee (2005); Batislam, Denizel and Filiztekin (2007); Schmittlein, Morrison and Colombo (1987).",
    "Fader, Hardie e Lee (2005); Batislam, Denizel e Filiztekin (2007); Schmittlein, Morrison e Colombo (1987).",
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
            "Fits the BG/NBD purchase model; spills r, alpha, a, b, the log-likelihood, the customers and the "
            "model's name.",
            "Stima il modello di acquisto BG/NBD; restituisce r, alpha, a, b, la log-verosimiglianza, i clienti e il "
            "nome del modello.",
        ),
        formula="max Σ ln L(r, α, a, b | x, t_x, T)",
        source=_BGNBD_SOURCE,
        extra_help=Text(
            "One row per customer; empty rows are skipped. A customer without repeat purchases always counts as "
            "active. On the CDNOW sample (weeks): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, "
            "log-likelihood −9582.4.",
            "Una riga per cliente; le righe vuote sono ignorate. Un cliente senza acquisti ripetuti è sempre "
            "considerato attivo. Sul campione CDNOW (settimane): r = 0,243, alpha = 4,414, a = 0,793, b = 2,426, "
            "log-verosimiglianza −9.582,4.",
        ),
        evaluator=fit_evaluator(fit_bgnbd),
    ),
    ExcelFunction(
        name="MBGNBD_FIT",
        compute=fit_mbgnbd,
        arguments=(_FREQUENCY, _RECENCY, _AGE, _PENALIZER),
        summary=Text(
            "Fits the MBG/NBD purchase model; spills r, alpha, a, b, the log-likelihood, the customers and the "
            "model's name.",
            "Stima il modello di acquisto MBG/NBD; restituisce r, alpha, a, b, la log-verosimiglianza, i clienti e "
            "il nome del modello.",
        ),
        formula="max Σ ln L(r, α, a, b | x, t_x, T)",
        source=_MBGNBD_SOURCE,
        extra_help=Text(
            "Like BG/NBD, but a customer may also leave right after the first purchase, so one-time buyers are not "
            "all active. On the CDNOW sample (weeks): r = 0.525, alpha = 6.183, a = 0.891, b = 1.614.",
            "Come BG/NBD, ma un cliente può smettere anche subito dopo il primo acquisto, quindi chi ha comprato una "
            "volta sola non è per forza attivo. Sul campione CDNOW (settimane): r = 0,525, alpha = 6,183, "
            "a = 0,891, b = 1,614.",
        ),
        evaluator=fit_evaluator(fit_mbgnbd),
    ),
    ExcelFunction(
        name="PARETO_NBD_FIT",
        compute=fit_pareto_nbd,
        arguments=(_FREQUENCY, _RECENCY, _AGE, _PENALIZER),
        summary=Text(
            "Fits the Pareto/NBD purchase model; spills r, alpha, s, beta, the log-likelihood, the customers and "
            "the model's name.",
            "Stima il modello di acquisto Pareto/NBD; restituisce r, alpha, s, beta, la log-verosimiglianza, i "
            "clienti e il nome del modello.",
        ),
        formula="max Σ ln L(r, α, s, β | x, t_x, T)",
        source=_PARETO_SOURCE,
        extra_help=Text(
            "A customer may leave at any time, so one who bought long ago is probably lost. On the CDNOW sample "
            "(weeks): r = 0.553, alpha = 10.578, s = 0.606, beta = 11.67, log-likelihood −9595.0.",
            "Un cliente può smettere in qualunque momento, quindi chi ha acquistato tanto tempo fa è probabilmente "
            "perso. Sul campione CDNOW (settimane): r = 0,553, alpha = 10,578, s = 0,606, beta = 11,67, "
            "log-verosimiglianza −9595,0.",
        ),
        evaluator=fit_evaluator(fit_pareto_nbd),
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
            "Expected purchases of each customer in the next horizon periods, with the model of params "
            "(BG/NBD, MBG/NBD or Pareto/NBD).",
            "Acquisti attesi di ogni cliente nei prossimi periodi dell'orizzonte, con il modello di params "
            "(BG/NBD, MBG/NBD o Pareto/NBD).",
        ),
        formula=Text("E[Y(t) | x, t_x, T]", "E[Y(t) | x, t_x, T]"),
        source=_ANY_MODEL_SOURCE,
        extra_help=Text(
            _TIME_UNITS.en + " CDNOW, BG/NBD: frequency 2, recency 30.43, T 38.86, horizon 39 gives 1.226.",
            _TIME_UNITS.it
            + " CDNOW, BG/NBD: con 2 acquisti ripetuti, recency 30,43, T 38,86 e orizzonte 39 il risultato è 1,226.",
        ),
        evaluator=with_parameters(purchase_params_from_range),
    ),
    ExcelFunction(
        name="P_ALIVE",
        compute=probability_alive,
        arguments=(_PARAMS, _FREQUENCY, _RECENCY, _AGE),
        summary=Text(
            "Probability that each customer is still active, with the model of params (BG/NBD, MBG/NBD or Pareto/NBD).",
            "Probabilità che ogni cliente sia ancora attivo, con il modello di params (BG/NBD, MBG/NBD o Pareto/NBD).",
        ),
        formula=Text("P(alive | x, t_x, T)", "P(attivo | x, t_x, T)"),
        source=_ANY_MODEL_SOURCE,
        extra_help=Text(
            _TIME_UNITS.en + " BG/NBD counts a customer without repeat purchases as active; MBG/NBD and Pareto/NBD "
            "do not.",
            _TIME_UNITS.it + " BG/NBD considera attivo un cliente senza acquisti ripetuti; MBG/NBD e Pareto/NBD no.",
        ),
        evaluator=with_parameters(purchase_params_from_range),
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
