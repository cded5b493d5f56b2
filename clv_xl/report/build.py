"""Build the :class:`~clv_xl.report.model.ReportModel` from validated transactions. Pure.

The figures come from :mod:`clv_xl.core.summaries` (the step-by-step method's chain per
segment and for the whole base), :mod:`clv_xl.core.sensitivity` (the what-if) and
:mod:`clv_xl.models` (the forecast); this module only chooses what the report shows
and labels it. Every value the report writes as an Excel formula is computed here
too, by the same definitions, so that the cached value of each formula cell is the
core's figure (the tests recalculate every formula in LibreOffice and compare).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.core import formulas
from clv_xl.core.sensitivity import ClvInputs, what_if
from clv_xl.core.summaries import DAYS_PER_YEAR, TOTAL, customer_summary, segment_figures
from clv_xl.errors import ClvError
from clv_xl.i18n import Language, Text, message
from clv_xl.models.forecast import forecast_customers
from clv_xl.report.model import (
    Column,
    Kpi,
    Lifespan,
    PurchaseModel,
    ReportModel,
    ReportParameters,
    TableData,
    currency_symbol,
)

__all__ = [
    "ACTIVE_FROM",
    "AT_RISK_LIST",
    "ALL_CUSTOMERS",
    "LIKELY_LOST_BELOW",
    "MAX_DISTRIBUTION_BINS",
    "MIN_CUSTOMERS_FOR_MODELS",
    "MIN_YEARS_FOR_VALUE",
    "PREDICTION_WEEKS",
    "RISK_BANDS",
    "WHAT_IF_CHANGES",
    "build_report",
    "value_bins",
    "value_per_year",
]

#: The forecast covers the next 52 weeks, in weekly periods (BG/NBD, Gamma-Gamma).
PREDICTION_WEEKS = 52
#: A customer whose probability of being still active is below this is "likely lost".
LIKELY_LOST_BELOW = 0.5
#: ... from it up to this, "at risk"; from this up, "active".
ACTIVE_FROM = 0.8
#: The At risk sheet lists at most this many customers, those with the most at stake: a list to call,
#: not a second customers sheet (every customer's risk band is on the Customers sheet).
AT_RISK_LIST = 1_000
#: Fewer customers than this give no forecast: the fit would say little about them.
MIN_CUSTOMERS_FOR_MODELS = 20
#: The what-if moves one driver by these relative changes (a tornado around the CLV).
WHAT_IF_CHANGES: tuple[float, ...] = (-0.2, 0.2)

#: At most this many bins in the customer-value distribution.
MAX_DISTRIBUTION_BINS = 10
#: A customer's value per year is revenue over the years since the first purchase,
#: at least this long (a customer of last week is not worth 52 weeks of orders).
MIN_YEARS_FOR_VALUE = 30 / DAYS_PER_YEAR

#: Label of the whole-base row of the segments table.
ALL_CUSTOMERS = Text("All customers", "Tutti i clienti")
#: The risk bands, by the probability that the customer is still active.
RISK_BANDS: dict[str, Text] = {
    "active": Text("active", "attivo"),
    "at_risk": Text("at risk", "a rischio"),
    "likely_lost": Text("likely lost", "probabilmente perso"),
}

#: How the lifespan is estimated from the orders when no churn is given.
TENURE_METHOD = Text(
    "average observed tenure, first to last purchase (only the years seen so far)",
    "durata media osservata, dal primo all'ultimo acquisto (solo gli anni visti)",
)
CHURN_METHOD = Text("1 / yearly churn", "1 / tasso di abbandono annuo")

_P_ALIVE = Text("Probability still active", "Probabilità che sia ancora attivo")
_HORIZON = f"{PREDICTION_WEEKS}"

_SEGMENT_COLUMNS = (
    Column("segment", Text("Segment", "Segmento"), "text"),
    Column("customers", Text("Customers", "Clienti"), "count"),
    Column("purchases", Text("Purchases", "Acquisti"), "count"),
    Column("revenue", Text("Revenue", "Ricavi"), "money"),
    Column("apv", Text("Average purchase value (APV)", "Valore medio di acquisto (APV)"), "money"),
    Column("purchases_per_year", Text("Purchases per customer per year", "Acquisti per cliente all'anno"), "number"),
    Column("customer_value_per_year", Text("Customer value per year", "Valore del cliente all'anno"), "money"),
    Column(
        "lifespan_estimated",
        Text("Lifespan estimated from the orders (years)", "Durata stimata dagli ordini (anni)"),
        "years",
    ),
    Column("lifespan_years", Text("Lifespan used (years)", "Durata usata (anni)"), "years"),
    Column("clv", Text("CLV (step-by-step method)", "CLV (metodo passo per passo)"), "money"),
    Column("historic_value", Text("Value so far per customer", "Valore finora per cliente"), "money"),
)
_PREDICTED_SEGMENT_COLUMNS = (
    Column(
        "predicted_revenue",
        Text(
            f"Predicted revenue per customer, next {_HORIZON} weeks", f"Ricavi previsti per cliente, {_HORIZON} sett."
        ),
        "money",
    ),
    Column(
        "predicted_value",
        Text(f"Predicted value per customer, next {_HORIZON} weeks", f"Valore previsto per cliente, {_HORIZON} sett."),
        "money",
    ),
    Column("total_value", Text("Total value per customer", "Valore totale per cliente"), "money"),
    Column("likely_lost", Text("Customers likely lost", "Clienti probabilmente persi"), "count"),
)
_CUSTOMER_COLUMNS = (
    Column("rank", Text("Rank", "Posizione"), "count"),
    Column("customer_id", Text("Customer", "Cliente"), "text"),
    Column("segment", Text("Segment", "Segmento"), "text"),
    Column("orders", Text("Orders", "Ordini"), "count"),
    Column("revenue", Text("Revenue", "Ricavi"), "money"),
    Column("first_purchase", Text("First purchase", "Primo acquisto"), "date"),
    Column("last_purchase", Text("Last purchase", "Ultimo acquisto"), "date"),
    Column("days_since_last", Text("Days since the last order", "Giorni dall'ultimo ordine"), "days"),
    Column("historic_value", Text("Value so far (revenue × margin)", "Valore finora (ricavi × margine)"), "money"),
)
_PREDICTED_CUSTOMER_COLUMNS = (
    Column(
        "predicted_revenue",
        Text(f"Predicted revenue, next {_HORIZON} weeks", f"Ricavi previsti, prossime {_HORIZON} settimane"),
        "money",
    ),
    Column(
        "predicted_value",
        Text(f"Predicted value, next {_HORIZON} weeks", f"Valore previsto, prossime {_HORIZON} settimane"),
        "money",
    ),
    Column("total_value", Text("Total value (so far + predicted)", "Valore totale (finora + previsto)"), "money"),
    Column("p_alive", _P_ALIVE, "percent"),
    Column(
        "expected_purchases",
        Text(f"Expected purchases, next {_HORIZON} weeks", f"Acquisti attesi, prossime {_HORIZON} settimane"),
        "number",
    ),
    Column("risk", Text("Risk", "Rischio"), "text"),
)
_CUSTOMER_TAIL_COLUMNS = (Column("average_order_value", Text("Average order", "Ordine medio"), "money"),)
_AT_RISK_COLUMNS = (
    Column("customer_id", Text("Customer", "Cliente"), "text"),
    Column("segment", Text("Segment", "Segmento"), "text"),
    Column("risk", Text("Risk", "Rischio"), "text"),
    Column("p_alive", _P_ALIVE, "percent"),
    Column("value_per_year", Text("Revenue per year", "Ricavi all'anno"), "money"),
    Column(
        "value_at_stake",
        Text(
            "Value at stake per year (revenue per year × margin)", "Valore in gioco all'anno (ricavi annui × margine)"
        ),
        "money",
    ),
    Column("last_purchase", Text("Last purchase", "Ultimo acquisto"), "date"),
    Column("days_since_last", Text("Days since the last order", "Giorni dall'ultimo ordine"), "days"),
    Column("orders", Text("Orders", "Ordini"), "count"),
    Column("revenue", Text("Revenue", "Ricavi"), "money"),
)


def build_report(transactions: pd.DataFrame, parameters: ReportParameters) -> ReportModel:
    """Everything the report shows, from validated transactions and the user's assumptions.

    Parameters
    ----------
    transactions
        As :func:`clv_xl.data.read_transactions` returns them (``.table``): columns
        ``customer_id``, ``date``, ``amount`` and optionally ``segment``.
    parameters
        CAC, margin, discount rate, optional yearly churn and observation end, currency
        and language.

    Returns
    -------
    ReportModel
        The value of a customer three ways (so far, predicted, total) and the
        step-by-step method's CLV (per segment, then weighted by customers), the KPIs
        of the whole base, the customers ranked by value, the distribution of their
        value, revenue by month and the what-if of CLV.
    """
    language = parameters.language
    summary = customer_summary(transactions, observation_end=parameters.observation_end)
    end = pd.Timestamp(summary.attrs["observation_end"])
    common = {
        "cac": parameters.cac,
        "margin": parameters.margin,
        "discount_rate": parameters.discount_rate,
        "observation_end": end,
    }
    estimated = segment_figures(summary, annual_churn=None, **common)
    figures = (
        estimated
        if parameters.annual_churn is None
        else segment_figures(summary, annual_churn=parameters.annual_churn, **common)
    )
    total = figures.loc[TOTAL]
    lifespan = Lifespan(
        years=float(total["lifespan_years"]),
        estimated_years=float(estimated.loc[TOTAL, "lifespan_years"]),
        method=TENURE_METHOD,
        from_churn=parameters.annual_churn is not None,
    )
    inputs = ClvInputs(
        apv=float(total["apv"]),
        acl=lifespan.years,
        cac=parameters.cac,
        frequency=float(total["purchases_per_year"]),
        margin=parameters.margin,
        discount_rate=parameters.discount_rate,
    )
    customers = _customers(summary, end, parameters.margin)
    predictions, note, model = _predictions(transactions, end, parameters)
    if predictions is not None:
        customers = customers.merge(predictions, on="customer_id", how="left")
        customers["predicted_value"] = customers["predicted_revenue"] * parameters.margin
        customers["total_value"] = customers["historic_value"] + customers["predicted_value"].fillna(0.0)
        customers["risk"] = _risk_bands(customers["p_alive"], language)
        ranking = customers["revenue"] + customers["predicted_revenue"].fillna(0.0)
    else:
        ranking = customers["revenue"]
    # the summary is in customer-id order, so a stable sort on the value alone breaks ties by id
    by_id = customers
    customers = customers.iloc[_descending(ranking)].reset_index(drop=True)
    customers["rank"] = np.arange(1, len(customers) + 1)
    segment_rows = _segment_rows(figures, estimated, customers, parameters)
    kpis = _kpis(total, inputs, lifespan, parameters, customers, segment_rows, model)
    notes: tuple[Text, ...] = ()
    if predictions is not None:
        missing = int(customers["p_alive"].isna().sum())
        if missing:
            notes += (_no_forecast_note(missing),)
    changes = what_if(inputs, WHAT_IF_CHANGES)
    return ReportModel(
        parameters=parameters,
        period_start=pd.Timestamp(summary["first_purchase"].min()),
        period_end=end,
        kpis=kpis,
        clv_inputs=inputs,
        what_if=changes,
        lifespan=lifespan,
        segments=_segments_table(segment_rows, predictions is not None),
        customers=_customers_table(customers, predictions is not None, parameters),
        value_distribution=_distribution_table(customers, predictions is not None, parameters),
        revenue_by_month=_monthly_table(transactions, end),
        purchase_model=model,
        at_risk=_at_risk_table(by_id, parameters) if predictions is not None else None,
        prediction_note=note,
        notes=notes,
    )


def _descending(values: pd.Series) -> npt.NDArray[np.intp]:
    """The order of ``values`` from the largest, ties in their present order (a numeric sort, no text compared)."""
    return np.argsort(-values.to_numpy(dtype=np.float64), kind="stable")


def _no_forecast_note(count: int) -> Text:
    return Text(
        f"Customers without a forecast (their repeat purchases average 0 or less: refunds): {count}; "
        "their predicted value counts as 0 in the averages.",
        f"Clienti senza previsione (i loro riacquisti valgono in media 0 o meno: resi): {count}; "
        "il loro valore previsto conta 0 nelle medie.",
    )


def _predictions(
    transactions: pd.DataFrame, end: pd.Timestamp, parameters: ReportParameters
) -> tuple[pd.DataFrame | None, Text | None, PurchaseModel | None]:
    """Every customer's probability of being active, expected purchases and revenue in the next 52 weeks.

    The purchase model is chosen by the stated rule (:func:`clv_xl.models.forecast_customers`,
    :data:`clv_xl.models.choice.CHOICE_RULE`: BG/NBD, MBG/NBD or Pareto/NBD), the spend
    by Gamma-Gamma, on weekly summaries; every customer gets a prediction, whatever their
    amounts. The predicted revenue is discounted at the yearly discount rate and NOT
    multiplied by the margin, so that the report can apply the margin as a live formula
    (the predicted CLV is linear in the margin). When no model can be fitted (too few
    customers, no repeat purchases, no convergence) the report says why instead; when
    only the spend model fails, the purchase predictions stay and the revenue is left out.

    References
    ----------
    Fader, Hardie and Lee (2005), BG/NBD; Batislam, Denizel and Filiztekin (2007),
    MBG/NBD; Schmittlein, Morrison and Colombo (1987), Pareto/NBD; Fader and Hardie,
    note 025, Gamma-Gamma.
    """
    customers = transactions["customer_id"].nunique()
    if customers < MIN_CUSTOMERS_FOR_MODELS:
        texts = {
            language: message("report_too_few_for_models", language, count=customers, minimum=MIN_CUSTOMERS_FOR_MODELS)
            for language in ("en", "it")
        }
        return None, Text(texts["en"], texts["it"]), None
    try:
        forecast = forecast_customers(
            transactions,
            horizon=PREDICTION_WEEKS,
            time_unit="weeks",
            yearly_discount_rate=parameters.discount_rate,
            margin=1.0,
            observation_end=end,
            penalizer=0.001,
        )
    except ClvError as error:
        return None, Text(error.message("en"), error.message("it")), None
    predicted = forecast.customers
    frame = pd.DataFrame(
        {
            "customer_id": predicted["customer_id"],
            "p_alive": predicted["probability_alive"],
            "expected_purchases": predicted["expected_purchases"],
            "predicted_revenue": predicted["clv"],
        }
    )
    choice, spend = forecast.choice, forecast.gamma_gamma
    fitted = {
        name: float(value) for name, value in dataclasses.asdict(choice.params).items() if name in PARAMETER_NAMES
    }
    if spend is not None:
        fitted.update(p=spend.p, q=spend.q, gamma=spend.gamma)
    model = PurchaseModel(
        name=choice.name,
        reason=choice.reason,
        spend_model="Gamma-Gamma",
        horizon_weeks=PREDICTION_WEEKS,
        discount_rate=parameters.discount_rate,
        parameters=fitted,
    )
    return frame, None, model


#: The fitted parameters the report keeps for the record, of any of the purchase models.
PARAMETER_NAMES = ("r", "alpha", "a", "b", "s", "beta")


def _risk_bands(p_alive: pd.Series, language: Language) -> pd.Series:
    """The risk band of each probability of being active; empty without a forecast."""
    labels = np.select(
        [p_alive < LIKELY_LOST_BELOW, p_alive < ACTIVE_FROM, p_alive >= ACTIVE_FROM],
        [RISK_BANDS["likely_lost"](language), RISK_BANDS["at_risk"](language), RISK_BANDS["active"](language)],
        default="",
    )
    return pd.Series(labels, index=p_alive.index, dtype=object)


def value_per_year(summary: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    """Each customer's revenue per year since the first purchase (at least :data:`MIN_YEARS_FOR_VALUE`)."""
    years = ((end - summary["first_purchase"]).dt.total_seconds() / 86_400 + 1) / DAYS_PER_YEAR
    return summary["revenue"] / np.maximum(years, MIN_YEARS_FOR_VALUE)


def _customers(summary: pd.DataFrame, end: pd.Timestamp, margin: float) -> pd.DataFrame:
    """One row per customer with the figures of the past, and the value so far (revenue × margin)."""
    rows = summary.copy()
    rows["historic_value"] = rows["revenue"] * margin
    if "segment" not in rows.columns:
        rows["segment"] = ""
    rows["value_per_year"] = value_per_year(rows, end)
    rows["days_since_last"] = (end.normalize() - rows["last_purchase"].dt.normalize()).dt.days.astype(np.float64)
    return rows


def _without_segment(columns: tuple[Column, ...], segmented: bool) -> tuple[Column, ...]:
    """The columns, without the segment when the orders have none (a column of blanks says nothing)."""
    return columns if segmented else tuple(c for c in columns if c.key != "segment")


def _customers_table(rows: pd.DataFrame, predicted: bool, parameters: ReportParameters) -> TableData:
    columns = _CUSTOMER_COLUMNS + (_PREDICTED_CUSTOMER_COLUMNS if predicted else ()) + _CUSTOMER_TAIL_COLUMNS
    columns = _without_segment(columns, bool((rows["segment"] != "").any()))
    if predicted:
        note = Text(
            f"Most valuable first. Value so far = revenue × margin; predicted value = the next {_HORIZON} weeks "
            f"forecast × margin, discounted; total = both. Risk: active from {ACTIVE_FROM:.0%} probability of "
            f"being still active, at risk from {LIKELY_LOST_BELOW:.0%}, likely lost below.",
            f"In ordine di valore. Valore finora = ricavi × margine; valore previsto = previsione delle prossime "
            f"{_HORIZON} settimane × margine, attualizzata; totale = somma dei due. Rischio: attivo dall'"
            f"{ACTIVE_FROM:.0%} di probabilità che sia ancora attivo, a rischio dal {LIKELY_LOST_BELOW:.0%}, "
            "probabilmente perso sotto.",
        )
    else:
        note = Text(
            "By revenue. Value so far = revenue × margin.", "In ordine di ricavi. Valore finora = ricavi × margine."
        )
    return TableData(
        "customers",
        Text("Customers by value", "Clienti per valore"),
        columns,
        rows,
        note=Text(note.en.replace("%", " %"), note.it.replace("%", " %")),
    )


def _at_risk_table(customers: pd.DataFrame, parameters: ReportParameters) -> TableData:
    rows = customers[customers["p_alive"] < ACTIVE_FROM]  # in customer-id order: ties stay by id
    rows = rows.iloc[_descending(rows["value_per_year"])].copy()
    rows["value_at_stake"] = rows["value_per_year"] * parameters.margin
    count = len(rows)
    note = Text(
        f"Probability of being still active below {_percent(ACTIVE_FROM, 'en')}: the first ones are worth a call. "
        "Value at stake = what they brought per year × margin.",
        f"Probabilità che sia ancora attivo sotto l'{_percent(ACTIVE_FROM, 'it')}: vale la pena chiamare i primi. "
        "Valore in gioco = quanto hanno portato all'anno × margine.",
    )
    if count > AT_RISK_LIST:
        note = Text(
            f"{note.en} The {AT_RISK_LIST:,} with the most at stake of {count:,}; the Customers sheet has every "
            "customer's risk.",
            f"{note.it} I {AT_RISK_LIST:,} con più valore in gioco su {count:,}; il foglio Clienti ha il rischio di "
            "ogni cliente.".replace(",", "."),
        )
    return TableData(
        "at_risk",
        Text(
            "Customers at risk or likely lost, by value at stake",
            "Clienti a rischio o probabilmente persi, per valore in gioco",
        ),
        _without_segment(_AT_RISK_COLUMNS, bool((customers["segment"] != "").any())),
        rows.iloc[:AT_RISK_LIST].reset_index(drop=True),
        note=note,
    )


def _segment_rows(
    figures: pd.DataFrame, estimated: pd.DataFrame, customers: pd.DataFrame, parameters: ReportParameters
) -> pd.DataFrame:
    """The step-by-step method per segment and for all, with the value so far, predicted and total per customer."""
    rows = figures.copy()
    rows["lifespan_estimated"] = estimated["lifespan_years"]
    rows["historic_value"] = rows["revenue"] / rows["customers"] * parameters.margin
    if "predicted_revenue" in customers.columns:
        predicted = customers["predicted_revenue"].fillna(0.0)
        lost = customers["p_alive"] < LIKELY_LOST_BELOW
        by_segment = pd.DataFrame({"predicted_revenue": predicted, "likely_lost": lost}).groupby(
            customers["segment"].to_numpy()
        )
        per_segment = by_segment.agg({"predicted_revenue": "mean", "likely_lost": "sum"})
        per_segment.loc[TOTAL] = [float(predicted.mean()), float(lost.sum())]
        rows["predicted_revenue"] = per_segment["predicted_revenue"].reindex(rows.index).astype(np.float64)
        rows["likely_lost"] = per_segment["likely_lost"].reindex(rows.index).astype(np.float64)
        rows["predicted_value"] = rows["predicted_revenue"] * parameters.margin
        rows["total_value"] = rows["historic_value"] + rows["predicted_value"]
    rows = rows.reset_index(names="segment")
    rows["segment"] = rows["segment"].astype(object).replace({TOTAL: ALL_CUSTOMERS(parameters.language)})
    return rows


def _segments_table(rows: pd.DataFrame, predicted: bool) -> TableData:
    columns = _SEGMENT_COLUMNS + (_PREDICTED_SEGMENT_COLUMNS if predicted else ())
    return TableData(
        "segments",
        Text("CLV and value by segment", "CLV e valore per segmento"),
        columns,
        rows,
        note=Text(
            "CLV = customer value per year × margin × lifespan (discounted) − CAC, per segment; the last row is "
            "the whole base. Values per customer: so far, predicted, total.",
            "CLV = valore del cliente all'anno × margine × durata (attualizzata) − CAC, per segmento; l'ultima "
            "riga è l'intera clientela. Valori per cliente: finora, previsto, totale.",
        ),
    )


def _kpis(
    total: pd.Series,
    inputs: ClvInputs,
    lifespan: Lifespan,
    parameters: ReportParameters,
    customers: pd.DataFrame,
    segments: pd.DataFrame,
    model: PurchaseModel | None,
) -> tuple[Kpi, ...]:
    margin = parameters.margin
    clv_value = inputs.clv()
    gross = clv_value + parameters.cac
    yearly_margin = float(total["customer_value_per_year"]) * margin
    ratio = float(formulas.ltv_cac_ratio(gross, parameters.cac)) if parameters.cac > 0 else None
    has_payback = parameters.cac > 0 and yearly_margin > 0
    payback = 12 * float(formulas.cac_payback(parameters.cac, yearly_margin)) if has_payback else None
    historic = float(total["revenue"]) / float(total["customers"]) * margin
    kpis = [
        Kpi(
            "historic_value",
            Text("Value so far per customer", "Valore finora per cliente"),
            historic,
            "money",
            Text(
                "revenue per customer × margin: what an average customer has brought",
                "ricavi per cliente × margine: quanto ha portato in media un cliente",
            ),
        )
    ]
    if model is not None:
        predicted_revenue = float(customers["predicted_revenue"].fillna(0.0).mean())
        kpis += [
            Kpi(
                "predicted_revenue",
                Text(
                    f"Predicted revenue per customer, next {_HORIZON} weeks",
                    f"Ricavi previsti per cliente, prossime {_HORIZON} settimane",
                ),
                predicted_revenue,
                "money",
                Text(
                    f"forecast computed when the report was made (discount rate {_percent(model.discount_rate, 'en')})",
                    f"previsione calcolata alla creazione del rapporto (tasso {_percent(model.discount_rate, 'it')})",
                ),
            ),
            Kpi(
                "predicted_value",
                Text(
                    f"Predicted value per customer, next {_HORIZON} weeks",
                    f"Valore previsto per cliente, prossime {_HORIZON} settimane",
                ),
                predicted_revenue * margin,
                "money",
                Text("predicted revenue × margin", "ricavi previsti × margine"),
            ),
            Kpi(
                "total_value",
                Text("Total value per customer", "Valore totale per cliente"),
                historic + predicted_revenue * margin,
                "money",
                Text("so far + predicted", "finora + previsto"),
            ),
        ]
    kpis.append(
        Kpi(
            "clv",
            Text("CLV, whole base (step-by-step method)", "CLV, intera clientela (metodo passo per passo)"),
            clv_value,
            "money",
            Text(
                "value per year × margin × lifespan (discounted) − CAC",
                "valore annuo × margine × durata (attualizzata) − CAC",
            ),
        )
    )
    segment_only = segments[segments["segment"] != ALL_CUSTOMERS(parameters.language)]
    if len(segment_only):
        weights = segment_only["customers"].to_numpy(dtype=np.float64)
        kpis.append(
            Kpi(
                "clv_segments",
                Text("CLV per segment, weighted by customers", "CLV per segmento, media ponderata per clienti"),
                float(np.average(segment_only["clv"].to_numpy(dtype=np.float64), weights=weights)),
                "money",
                Text(
                    "the method's advice: per segment, then weighted",
                    "come consiglia il metodo: per segmento, poi ponderato",
                ),
            )
        )
    years = float(total["years_observed"])
    kpis += [
        Kpi("customers", Text("Customers", "Clienti"), float(total["customers"]), "count"),
        Kpi("purchases", Text("Purchases", "Acquisti"), float(total["purchases"]), "count"),
        Kpi("revenue", Text("Revenue", "Ricavi"), float(total["revenue"]), "money"),
        Kpi(
            "years_observed",
            Text("Years observed", "Anni osservati"),
            years,
            "years",
            Text("first order to the end of the period", "dal primo ordine alla fine del periodo"),
        ),
        Kpi(
            "apv",
            Text("Average purchase value (APV)", "Valore medio di acquisto (APV)"),
            float(total["apv"]),
            "money",
            Text("revenue / purchases", "ricavi / acquisti"),
        ),
        Kpi(
            "repeat_rate",
            Text("Purchases per customer", "Acquisti per cliente"),
            float(total["repeat_rate"]),
            "number",
            Text("purchases / customers, in the period", "acquisti / clienti, nel periodo"),
        ),
        Kpi(
            "purchases_per_year",
            Text("Purchases per customer per year", "Acquisti per cliente all'anno"),
            float(total["purchases_per_year"]),
            "number",
            Text("purchases per customer / years observed", "acquisti per cliente / anni osservati"),
        ),
        Kpi(
            "customer_value",
            Text("Customer value per year", "Valore del cliente all'anno"),
            float(total["customer_value_per_year"]),
            "money",
            Text("APV × purchases per year", "APV × acquisti all'anno"),
        ),
        Kpi(
            "lifespan_estimated",
            Text("Lifespan estimated from the orders (years)", "Durata stimata dagli ordini (anni)"),
            lifespan.estimated_years,
            "years",
            lifespan.method,
        ),
        Kpi(
            "lifespan",
            Text("Lifespan used (years)", "Durata usata (anni)"),
            lifespan.years,
            "years",
            Text(
                "1 / yearly churn when you give one, else the estimate above",
                "1 / abbandono annuo se lo indichi, altrimenti la stima qui sopra",
            ),
        ),
        Kpi(
            "ltv_cac",
            Text("LTV:CAC", "LTV:CAC"),
            ratio,
            "number",
            Text("(CLV + CAC) / CAC; 3 or more is the usual target", "(CLV + CAC) / CAC; di solito si punta a 3 o più"),
        ),
        Kpi(
            "cac_payback",
            Text("Months to recover the CAC", "Mesi per recuperare il CAC"),
            payback,
            "number",
            Text("CAC / (value per year × margin) × 12", "CAC / (valore annuo × margine) × 12"),
        ),
    ]
    if model is not None:
        p_alive = customers["p_alive"]
        kpis += [
            Kpi(
                "likely_lost",
                Text("Customers likely lost", "Clienti probabilmente persi"),
                float((p_alive < LIKELY_LOST_BELOW).sum()),
                "count",
                Text(
                    f"probability of being still active below {LIKELY_LOST_BELOW:.0%} ({model.name})".replace(
                        "%", " %"
                    ),
                    f"probabilità che sia ancora attivo sotto il {LIKELY_LOST_BELOW:.0%} ({model.name})".replace(
                        "%", " %"
                    ),
                ),
            ),
            Kpi(
                "at_risk",
                Text("Customers at risk", "Clienti a rischio"),
                float(((p_alive >= LIKELY_LOST_BELOW) & (p_alive < ACTIVE_FROM)).sum()),
                "count",
                Text(
                    f"probability from {LIKELY_LOST_BELOW:.0%} to {ACTIVE_FROM:.0%}".replace("%", " %"),
                    f"probabilità dal {LIKELY_LOST_BELOW:.0%} all'{ACTIVE_FROM:.0%}".replace("%", " %"),
                ),
            ),
        ]
    return tuple(kpis)


def _next_125(edge: float) -> float:
    """The next number of the 1-2-5 scale: 10 -> 20 -> 50 -> 100."""
    mantissa = edge / 10 ** np.floor(np.log10(edge))
    return float(edge * (2.5 if 1.5 < mantissa < 3 else 2))


def _nice_below(value: float) -> float:
    """The largest 1-2-5 number (× a power of ten) not above ``value`` > 0."""
    power = 10 ** np.floor(np.log10(value))
    return float(max(m * power for m in (1, 2, 5) if m * power <= value * (1 + 1e-12)))


def _nice_step(span: float, bins: int) -> float:
    """A round bin width (1, 2, 2.5 or 5 × a power of ten) covering ``span`` in ``bins``."""
    raw = max(span / bins, 1e-9)
    power = 10 ** np.floor(np.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= raw:
            return float(multiple * power)
    return float(10 * power)


def value_bins(values: npt.NDArray[np.float64]) -> list[float]:
    """Bin edges that spread customers whose values span a few orders of magnitude.

    The edges run from the 5th to the 98th percentile of the positive values: on a
    1-2-5 scale (10, 20, 50, 100, ...: about equal steps on a log scale; every other
    one when there would be too many) when they span a factor of 10 or more, in equal
    round steps otherwise. The first bin takes every value below the first edge
    (refunds included), the last every value from the last edge up, so that every
    customer is counted once. At most :data:`MAX_DISTRIBUTION_BINS` bins (edges + 1).
    """
    positive = values[np.isfinite(values) & (values > 0)]
    if positive.size == 0:
        return []
    low, high = (float(q) for q in np.quantile(positive, [0.05, 0.98]))
    if high < low * 10:
        step = _nice_step(max(high - low, low * 0.1), MAX_DISTRIBUTION_BINS - 2)
        first = float(np.floor(low / step) * step)
        count = min(MAX_DISTRIBUTION_BINS - 1, int(np.floor((high - first) / step)) + 1)
        return [first + step * index for index in range(count)]
    edges = [_nice_below(low)]
    while _next_125(edges[-1]) <= high:
        edges.append(_next_125(edges[-1]))
    while len(edges) > MAX_DISTRIBUTION_BINS - 1:
        edges = edges[::2]
    return edges


def _distribution_table(customers: pd.DataFrame, predicted: bool, parameters: ReportParameters) -> TableData:
    """How many customers bring each amount of revenue (so far, plus the forecast's), in bins that spread them.

    In revenue, not value: no assumption moves a customer from one bin to another (the
    margin scales every customer alike), so the bins can be round amounts. A customer
    counts in the bin whose ``low`` <= revenue < ``high`` (an empty side is open).
    """
    values = customers["revenue"].to_numpy(dtype=np.float64)
    if predicted:
        values = values + customers["predicted_revenue"].fillna(0.0).to_numpy(dtype=np.float64)
    edges = value_bins(values)
    symbol = currency_symbol(parameters.currency)
    language = parameters.language
    lows = np.array([np.nan, *edges])
    highs = np.array([*edges, np.nan])
    labels = []
    for low, high in zip(lows, highs, strict=True):
        if np.isnan(low) and np.isnan(high):
            labels.append(Text("All", "Tutti")(language))
        elif np.isnan(low):
            labels.append(f"< {_amount(high, language)} {symbol}")
        elif np.isnan(high):
            labels.append(f"≥ {_amount(low, language)} {symbol}")
        else:
            labels.append(f"{_amount(low, language)}–{_amount(high, language)} {symbol}")
    counts = [
        int(np.count_nonzero((np.isnan(low) | (values >= low)) & (np.isnan(high) | (values < high))))
        for low, high in zip(lows, highs, strict=True)
    ]
    rows = pd.DataFrame({"bin": labels, "low": lows, "high": highs, "customers": counts})
    title = (
        Text(
            f"Customers by revenue, so far + next {_HORIZON} weeks",
            f"Clienti per ricavi, finora + prossime {_HORIZON} settimane",
        )
        if predicted
        else Text("Customers by revenue so far", "Clienti per ricavi finora")
    )
    columns = (
        Column("bin", Text("Revenue per customer", "Ricavi per cliente"), "text"),
        Column("low", Text("From", "Da"), "money"),
        Column("high", Text("Below", "Sotto"), "money"),
        Column("customers", Text("Customers", "Clienti"), "count"),
    )
    return TableData("value_distribution", title, columns, rows)


def _percent(value: float, language: Language) -> str:
    """A rate as people write it: ``8 %``, ``7,5 %``."""
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") if language == "it" else text) + " %"


def _amount(value: float, language: Language) -> str:
    text = f"{value:,.0f}" if value >= 1 or value == 0 else f"{value:,.2f}"
    if language == "it":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _monthly_table(transactions: pd.DataFrame, end: pd.Timestamp) -> TableData:
    dates = pd.to_datetime(transactions["date"])
    kept = transactions[dates <= end]
    months = pd.to_datetime(kept["date"]).dt.to_period("M").dt.to_timestamp()
    revenue = kept["amount"].groupby(months).sum().sort_index()
    rows = pd.DataFrame({"month": revenue.index, "revenue": revenue.to_numpy(dtype=np.float64)})
    columns = (Column("month", Text("Month", "Mese"), "date"), Column("revenue", Text("Revenue", "Ricavi"), "money"))
    return TableData("revenue_by_month", Text("Revenue by month", "Ricavi per mese"), columns, rows)
