"""The predictive-CLV workbook (``clv_predictive.xlsx`` / ``clv_predittivo.xlsx``), as data.

Shows the BG/NBD and Gamma-Gamma models on a small illustrative customer base: 80
customers simulated (fixed seed) from the parameters published for the CDNOW data,
their summaries in weeks, the parameters fitted by the add-in's ``BGNBD_FIT`` and
``GAMMAGAMMA_FIT`` beside the same parameters fitted by clv_xl when the workbook was
made, and per customer the probability of being alive and the expected spend (add-in
function beside a native Excel formula), the expected purchases (add-in function
beside the value computed when the workbook was made: it needs the hypergeometric
function 2F1, which Excel lacks) and the predicted CLV of the next 52 weeks.

References
----------
Fader, Hardie and Lee, "Counting your customers the easy way", Marketing Science 2005;
Fader and Hardie, "The Gamma-Gamma model of monetary value", note 025, 2013.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import TypeVar

import numpy as np

from clv_xl.i18n import Text
from clv_xl.models import (
    BgNbdParams,
    GammaGammaParams,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    period_rate,
    predict_clv,
    simulate_customers,
)
from clv_xl.sources import cite
from clv_xl.templates.about import about_sheet
from clv_xl.templates.workbook_spec import ADDIN_MISSING, Cell, Sheet, WorkbookSpec

__all__ = [
    "CUSTOMERS_SHEET",
    "HORIZON_WEEKS",
    "MODEL_SHEET",
    "YEARLY_DISCOUNT",
    "IllustrativeBase",
    "illustrative_base",
    "predictive_workbook",
]

MODEL_SHEET = Text("Model", "Modello")
CUSTOMERS_SHEET = Text("Customers", "Clienti")
#: The forecast horizon of the predicted CLV column, in weeks, and the yearly discount rate.
HORIZON_WEEKS = 52
YEARLY_DISCOUNT = 0.10
#: Customers in the illustrative base, the seed that simulates them, and the published
#: CDNOW parameters they are simulated from (BG/NBD r, alpha, a, b; Gamma-Gamma p, q, gamma).
_CUSTOMERS = 80
_SEED = 2026
_CDNOW_BGNBD = (0.243, 4.414, 0.793, 2.426)
_CDNOW_GAMMA_GAMMA = (6.25, 3.74, 15.44)
_Params = TypeVar("_Params", BgNbdParams, GammaGammaParams)
_FIRST_ROW = 2  # customers start below the header row of the customers sheet


@dataclass(frozen=True)
class IllustrativeBase:
    """The simulated customers, the parameters fitted on them and the predictions."""

    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray  # noqa: N815 - T as in the paper
    monetary_value: np.ndarray
    bgnbd: BgNbdParams
    gamma_gamma: GammaGammaParams
    expected_purchases: np.ndarray
    predicted_clv: np.ndarray


#: Significant digits of the fitted parameters stored in the workbook: an optimiser on
#: another scipy or BLAS build reaches the same optimum only to about 1e-7, so more
#: digits would make the committed workbook depend on the machine that built it.
STORED_DIGITS = 6


def _stored(params: _Params, names: tuple[str, ...]) -> _Params:
    """``params`` with the parameters ``names`` rounded to :data:`STORED_DIGITS` significant digits."""
    return replace(params, **{name: float(f"{getattr(params, name):.{STORED_DIGITS}g}") for name in names})  # type: ignore[arg-type]


@cache
def illustrative_base() -> IllustrativeBase:
    """80 customers simulated from the CDNOW parameters (weeks), fitted and predicted."""
    rng = np.random.default_rng(_SEED)
    ages = np.round(rng.uniform(26, 39, _CUSTOMERS), 2)
    r, alpha, a, b = _CDNOW_BGNBD
    p, q, gamma = _CDNOW_GAMMA_GAMMA
    simulated = simulate_customers(
        BgNbdParams(r=r, alpha=alpha, a=a, b=b, log_likelihood=0.0, customers=0, penalizer=0.0),
        GammaGammaParams(p=p, q=q, gamma=gamma, log_likelihood=0.0, customers=0, penalizer=0.0),
        ages,
        rng,
    )
    frequency = np.round(simulated.frequency)
    recency = np.round(simulated.recency, 2)
    monetary = np.round(simulated.monetary_value, 2)
    bgnbd = _stored(fit_bgnbd(frequency, recency, ages), ("r", "alpha", "a", "b"))
    gamma_gamma = _stored(fit_gamma_gamma(frequency, monetary), ("p", "q", "gamma"))
    prediction = predict_clv(
        bgnbd,
        gamma_gamma,
        frequency,
        recency,
        ages,
        monetary,
        horizon=HORIZON_WEEKS,
        discount_rate=period_rate(YEARLY_DISCOUNT, 52),
    )
    purchases = np.asarray(expected_purchases(bgnbd, HORIZON_WEEKS, frequency, recency, ages), dtype=np.float64)
    return IllustrativeBase(frequency, recency, ages, monetary, bgnbd, gamma_gamma, purchases, prediction.clv)


def _range(column: str, count: int) -> str:
    return f"{column}{_FIRST_ROW}:{column}{_FIRST_ROW + count - 1}"


def _model_sheet(base: IllustrativeBase) -> Sheet:
    count = base.frequency.size
    customers = {language: CUSTOMERS_SHEET(language) for language in ("en", "it")}

    def data(column: str) -> Text:
        return Text(*(f"'{customers[lang]}'!{_range(column, count)}" for lang in ("en", "it")))

    def fit_call(function: str, columns: tuple[str, ...], row: int) -> Text:
        arguments = [data(column) for column in columns]
        return Text(
            f"=INDEX({function}({','.join(a.en for a in arguments)}),{row},2)",
            f"=INDEX({function}({','.join(a.it for a in arguments)}),{row},2)",
        )

    cells: list[Cell] = [
        Cell("A1", Text("Predictive CLV: the fitted models", "CLV predittivo: i modelli stimati"), "title"),
        Cell(
            "A2",
            Text(
                "Column B: the add-in refits the models on the customers sheet (without the add-in: "
                f'"{ADDIN_MISSING.en}"); column C: the same parameters fitted by clv_xl when this workbook was '
                "made (the customers sheet uses these).",
                "Colonna B: il componente aggiuntivo ristima i modelli sul foglio Clienti (senza il componente: "
                f"«{ADDIN_MISSING.it}»); colonna C: gli stessi parametri stimati da clv_xl alla creazione di "
                "questa cartella (il foglio Clienti usa questi).",
            ),
            "note",
            merge_to="C2",
        ),
        Cell("A3", Text("Parameter", "Parametro"), "header"),
        Cell("B3", Text("With the add-in (=BGNBD_FIT)", "Con il componente (=BGNBD_FIT)"), "header"),
        Cell("C3", Text("Fitted when made", "Stimato alla creazione"), "header"),
    ]
    bgnbd = (("r", base.bgnbd.r), ("alpha", base.bgnbd.alpha), ("a", base.bgnbd.a), ("b", base.bgnbd.b))
    for offset, (label, value) in enumerate(bgnbd):
        row = 4 + offset
        cells += [
            Cell(f"A{row}", f"BG/NBD {label}", "label"),
            Cell(f"B{row}", fit_call("BGNBD_FIT", ("B", "C", "D"), offset + 1), "result_number", twin=f"C{row}"),
            Cell(f"C{row}", value, "number", name=f"bg_{label}"),
        ]
    cells.append(Cell("B9", Text("With the add-in (=GAMMAGAMMA_FIT)", "Con il componente (=GAMMAGAMMA_FIT)"), "header"))
    gamma_gamma = (("p", base.gamma_gamma.p), ("q", base.gamma_gamma.q), ("gamma", base.gamma_gamma.gamma))
    for offset, (label, value) in enumerate(gamma_gamma):
        row = 10 + offset
        cells += [
            Cell(f"A{row}", f"Gamma-Gamma {label}", "label"),
            Cell(f"B{row}", fit_call("GAMMAGAMMA_FIT", ("B", "E"), offset + 1), "result_number", twin=f"C{row}"),
            Cell(f"C{row}", value, "number", name=f"gg_{label}"),
        ]
    cells += [
        Cell("A14", Text("Horizon (weeks)", "Orizzonte (settimane)"), "label"),
        Cell("C14", HORIZON_WEEKS, "number"),
        Cell("A15", Text("Yearly discount rate", "Tasso di attualizzazione annuo"), "label"),
        Cell("C15", YEARLY_DISCOUNT, "rate"),
        Cell(
            "A17",
            Text(
                "What the models assume: while alive, a customer buys at a steady random rate (Poisson); after "
                "each purchase they may drop out for good with a probability of their own; rates and dropout "
                "probabilities vary across customers (gamma and beta distributions); the average spend of a "
                "customer does not depend on how often they buy. Times are in weeks.",
                "Cosa assumono i modelli: finché è attivo, un cliente acquista a un ritmo casuale costante "
                "(Poisson); dopo ogni acquisto può smettere per sempre con una sua probabilità; ritmi e "
                "probabilità di abbandono variano tra i clienti (distribuzioni gamma e beta); la spesa media di "
                "un cliente non dipende da quanto spesso compra. I tempi sono in settimane.",
            ),
            "text",
            merge_to="C17",
        ),
        Cell("A19", _MODELS_SOURCE, "note", merge_to="C19"),
    ]
    return Sheet(MODEL_SHEET, tuple(cells), column_widths={"A": 30, "B": 34, "C": 24})


#: The papers of the two models, cited on the Read-me and on the Model sheet.
_MODELS_SOURCE = Text(
    'Models: Fader, Hardie and Lee, "Counting your customers the easy way", Marketing Science 2005 (BG/NBD); '
    'Fader and Hardie, "The Gamma-Gamma model of monetary value", note 025, 2013.',
    "Modelli: Fader, Hardie e Lee, «Counting your customers the easy way», Marketing Science 2005 (BG/NBD); "
    "Fader e Hardie, «The Gamma-Gamma model of monetary value», nota 025, 2013.",
)

#: Native twins: BG/NBD P(alive) (Fader, Hardie and Lee 2005, eq. 11) and Gamma-Gamma's
#: expected spend of a customer (note 025, eq. 5), over the parameters fitted when made.
_P_ALIVE_NATIVE = "=1/(1+IF(B{r}>0,bg_a/(bg_b+B{r}-1)*((bg_alpha+D{r})/(bg_alpha+C{r}))^(bg_r+B{r}),0))"
_SPEND_NATIVE = "=(gg_gamma+E{r}*B{r})*gg_p/(gg_p*B{r}+gg_q-1)"


def _customers_sheet(base: IllustrativeBase) -> Sheet:
    model = {language: MODEL_SHEET(language) for language in ("en", "it")}

    def with_parameters(template: str) -> Text:
        return Text(*(template.replace("MODEL", f"'{model[lang]}'") for lang in ("en", "it")))

    headers = (
        Text("Customer", "Cliente"),
        Text("Repeat purchases (frequency)", "Acquisti ripetuti (frequency)"),
        Text("Weeks from first to last purchase (recency)", "Settimane dal primo all'ultimo acquisto (recency)"),
        Text("Weeks since the first purchase (T)", "Settimane dal primo acquisto (T)"),
        Text("Average repeat purchase (monetary value)", "Spesa media degli acquisti ripetuti"),
        Text("Probability still active, with the add-in", "Probabilità che sia ancora attivo, con il componente"),
        Text("Probability still active, ordinary formula", "Probabilità che sia ancora attivo, formula normale"),
        Text("Expected spend per purchase, with the add-in", "Spesa attesa per acquisto, con il componente"),
        Text("Expected spend per purchase, ordinary formula", "Spesa attesa per acquisto, formula normale"),
        Text(
            "Purchases in the next 52 weeks, with the add-in", "Acquisti nelle prossime 52 settimane, con il componente"
        ),
        Text(
            "Purchases in the next 52 weeks, computed when made",
            "Acquisti nelle prossime 52 settimane, calcolati alla creazione",
        ),
        Text(
            "Predicted CLV of the next 52 weeks, computed when made",
            "CLV previsto nelle prossime 52 settimane, calcolato alla creazione",
        ),
    )
    columns = "ABCDEFGHIJKL"
    cells = [Cell(f"{column}1", header, "header") for column, header in zip(columns, headers, strict=True)]
    for index in range(base.frequency.size):
        r = _FIRST_ROW + index
        cells += [
            Cell(f"A{r}", f"K{index + 1:03d}", "text"),
            Cell(f"B{r}", float(base.frequency[index]), "count"),
            Cell(f"C{r}", float(base.recency[index]), "number"),
            Cell(f"D{r}", float(base.T[index]), "number"),
            Cell(f"E{r}", float(base.monetary_value[index]), "eur"),
            Cell(f"F{r}", with_parameters(f"=P_ALIVE(MODEL!$C$4:$C$7,B{r},C{r},D{r})"), "result_percent", twin=f"G{r}"),
            Cell(f"G{r}", _P_ALIVE_NATIVE.format(r=r), "percent"),
            Cell(f"H{r}", with_parameters(f"=SPEND_EXPECTED(MODEL!$C$10:$C$12,B{r},E{r})"), "result_eur", twin=f"I{r}"),
            Cell(f"I{r}", _SPEND_NATIVE.format(r=r), "eur"),
            Cell(
                f"J{r}",
                with_parameters(f"=PURCHASES_EXPECTED(MODEL!$C$4:$C$7,MODEL!$C$14,B{r},C{r},D{r})"),
                "result_number",
                twin=f"K{r}",
            ),
            Cell(f"K{r}", float(base.expected_purchases[index]), "number"),
            Cell(f"L{r}", float(base.predicted_clv[index]), "eur"),
        ]
    widths = {column: 18.0 for column in columns}
    widths.update({"A": 9, "B": 12, "C": 15, "D": 13, "E": 14, "F": 26, "H": 26, "J": 26})
    return Sheet(
        CUSTOMERS_SHEET,
        tuple(cells),
        column_widths=widths,
        freeze="B2",
        landscape=True,
        print_title_rows="1:1",
    )


def predictive_workbook() -> WorkbookSpec:
    """The predictive-CLV template in both languages."""
    base = illustrative_base()
    about = about_sheet(
        Text("clv_xl: predictive CLV (BG/NBD and Gamma-Gamma)", "clv_xl: CLV predittivo (BG/NBD e Gamma-Gamma)"),
        Text(
            "Shows what the predictive models do with a customer base: from each customer's repeat purchases, "
            "the time of their last purchase and their age as a customer they estimate the probability that the "
            "customer is still active, the purchases to expect, the average spend and the CLV of the coming year. "
            f"{cite('003').en} says a forecast must take purchase frequency and behaviour into account; these "
            "are the standard published models for that.",
            "Mostra che cosa fanno i modelli predittivi con una clientela: dagli acquisti ripetuti di ogni "
            "cliente, dalla data del suo ultimo acquisto e da quanto tempo è cliente stimano la probabilità che "
            "sia ancora attivo, gli acquisti attesi, la spesa media e il CLV del prossimo anno. "
            f"{cite('003').it} ricorda che una previsione deve tenere conto della frequenza e delle abitudini di "
            "acquisto; questi sono i modelli pubblicati di riferimento per farlo.",
        ),
        (
            Text(
                "1. On the Customers sheet, replace the illustrative rows with your customers: repeat purchases "
                "(frequency), weeks from the first to the last purchase (recency), weeks from the first purchase "
                "to today (T), average of the repeat purchases (monetary value). clv-xl or =CLV_CUSTOMERS "
                "computes them from your orders.",
                "1. Nel foglio Clienti sostituisci le righe illustrative con i tuoi clienti: acquisti ripetuti "
                "(frequency), settimane dal primo all'ultimo acquisto (recency), settimane dal primo acquisto a "
                "oggi (T), spesa media degli acquisti ripetuti. clv-xl o =CLV_CUSTOMERS li calcolano dai tuoi "
                "ordini.",
            ),
            Text(
                "2. With the add-in, the Model sheet's column B refits the models; copy those values into column "
                "C to use them in every formula. Without the add-in, column C keeps the parameters fitted when "
                "the workbook was made.",
                "2. Con il componente aggiuntivo, la colonna B del foglio Modello ristima i modelli; copia quei "
                "valori nella colonna C per usarli in tutte le formule. Senza il componente, la colonna C conserva "
                "i parametri stimati alla creazione della cartella.",
            ),
            Text(
                "3. The expected purchases need a function Excel does not have (2F1): without the add-in the "
                "column 'computed when made' shows the values computed when the workbook was made, as does the "
                "predicted CLV (52 weeks, discounted at 10 % a year).",
                "3. Gli acquisti attesi richiedono una funzione che Excel non ha (2F1): senza il componente la "
                "colonna «calcolati alla creazione» mostra i valori calcolati quando è stata creata la cartella, "
                "come il CLV previsto (52 settimane, attualizzato al 10 % annuo).",
            ),
        ),
        (
            Text(
                "Illustrative customers simulated with a fixed seed from the parameters published for the CDNOW "
                "data (r 0.243, alpha 4.414, a 0.793, b 2.426; p 6.25, q 3.74, gamma 15.44).",
                "Clienti illustrativi simulati con seme fisso dai parametri pubblicati per i dati CDNOW (r 0,243, "
                "alpha 4,414, a 0,793, b 2,426; p 6,25, q 3,74, gamma 15,44).",
            ),
            _MODELS_SOURCE,
        ),
    )
    return WorkbookSpec(
        Text("clv_predictive.xlsx", "clv_predittivo.xlsx"),
        Text("clv_xl: predictive CLV", "clv_xl: CLV predittivo"),
        (about, _model_sheet(base), _customers_sheet(base)),
    )
