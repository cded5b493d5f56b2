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
import math
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from clv_xl.core import formulas
from clv_xl.core.checks import customer_keys
from clv_xl.core.churn import ChurnEstimate, estimate_churn_by_group
from clv_xl.core.cohorts import COHORT_PERIOD_NAMES, cohort_tables
from clv_xl.core.sensitivity import ClvInputs, what_if
from clv_xl.core.summaries import DAYS_PER_YEAR, TOTAL, customer_summary, segment_figures
from clv_xl.errors import ClvError
from clv_xl.i18n import Language, Text, date_text, message, number_text
from clv_xl.models.forecast import forecast_customers
from clv_xl.report.model import (
    Column,
    HoldoutSummary,
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

#: How the lifespan was estimated from the orders, by source (:func:`clv_xl.core.churn.choose_lifespan`).
LIFESPAN_METHODS: dict[str, Text] = {
    "estimate": Text("1 / the yearly churn estimated from the orders", "1 / l'abbandono annuo stimato dagli ordini"),
    "tenure": Text(
        "the customers' observed tenure, first to last order: a lower bound",
        "la permanenza osservata dei clienti, dal primo all'ultimo ordine: un limite inferiore",
    ),
}
#: Why the churn could not be measured, in a few words, by the key of the reason (:mod:`clv_xl.core.churn`).
_NO_CHURN = {
    "churn_too_short": Text("under 15 months of orders", "meno di 15 mesi di ordini"),
    "churn_too_few": Text("under 30 active customers", "meno di 30 clienti attivi"),
    "churn_none_lost": Text("nobody lost", "nessun cliente perso"),
}
#: At most this many cohorts of a period: a longer history is shown by quarter, then by year.
MAX_COHORTS = 48

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
        "churn_estimated",
        Text("Yearly churn estimated from the orders", "Abbandono annuo stimato dagli ordini"),
        "percent",
    ),
    Column(
        "lifespan_estimated",
        Text("Lifespan estimated from the orders (years)", "Durata stimata dagli ordini (anni)"),
        "years",
    ),
    Column("lifespan_basis", Text("How the lifespan was estimated", "Come è stata stimata la durata"), "text"),
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
    orders, ids = _numbered(transactions, parameters.observation_end)
    # one summary serves the report (orders, revenue, first and last purchase, segment: the same in any time
    # unit) and the forecast (frequency, recency, T in weeks)
    numbered = customer_summary(orders, time_unit="weeks", observation_end=parameters.observation_end)
    end = pd.Timestamp(numbered.attrs["observation_end"])
    # the steps over every order first, while little else is held in memory
    cohorts = _cohort_table(orders, end, language)
    monthly = _monthly_table(orders, end)
    summary = _named(numbered, ids)
    common = {
        "cac": parameters.cac,
        "margin": parameters.margin,
        "discount_rate": parameters.discount_rate,
        "observation_end": end,
    }
    groups = None
    if "segment" in numbered.columns:  # each customer's segment (of the first order), by number
        segments = numbered["segment"].astype(str).to_numpy(dtype=object)  # numpy: no text column to walk
        groups = dict(zip(numbered["customer_id"].to_numpy(), segments, strict=True))
    estimates = estimate_churn_by_group(orders, groups, observation_end=end)
    estimated = segment_figures(summary, annual_churn=None, churn_estimates=estimates, **common)
    figures = (
        estimated
        if parameters.annual_churn is None
        else segment_figures(summary, annual_churn=parameters.annual_churn, churn_estimates=estimates, **common)
    )
    total = figures.loc[TOTAL]
    lifespan = _lifespan(estimated, estimates[None], float(total["lifespan_years"]), parameters)
    inputs = ClvInputs(
        apv=float(total["apv"]),
        acl=lifespan.years,
        cac=parameters.cac,
        frequency=float(total["purchases_per_year"]),
        margin=parameters.margin,
        discount_rate=parameters.discount_rate,
    )
    customers = _customers(summary, end, parameters.margin)
    predictions, note, model, tracking = _predictions(orders, ids, end, parameters, numbered)
    del orders  # the tables below need the summaries only
    with_value = predictions is not None and "predicted_revenue" in predictions.columns
    if predictions is not None:
        customers = customers.merge(predictions, on="customer_id", how="left")
        customers["risk"] = _risk_bands(customers["p_alive"], language)
    if with_value:
        customers["predicted_value"] = customers["predicted_revenue"] * parameters.margin
        customers["total_value"] = customers["historic_value"] + customers["predicted_value"]
        ranking = customers["revenue"] + customers["predicted_revenue"]
    else:
        ranking = customers["revenue"]
    # the summary is in customer-id order, so a stable sort on the value alone breaks ties by id
    by_id = customers
    customers = customers.iloc[_descending(ranking)].reset_index(drop=True)
    customers["rank"] = np.arange(1, len(customers) + 1)
    segment_rows = _segment_rows(figures, estimated, estimates, customers, parameters)
    kpis = _kpis(total, inputs, lifespan, parameters, customers, segment_rows, model)
    changes = what_if(inputs, WHAT_IF_CHANGES)
    return ReportModel(
        parameters=parameters,
        period_start=pd.Timestamp(summary["first_purchase"].min()),
        period_end=end,
        kpis=kpis,
        clv_inputs=inputs,
        what_if=changes,
        lifespan=lifespan,
        segments=_segments_table(segment_rows, with_value),
        customers=_customers_table(customers, predictions is not None, with_value, parameters),
        value_distribution=_distribution_table(customers, with_value, parameters),
        revenue_by_month=monthly,
        purchase_model=model,
        at_risk=_at_risk_table(by_id, parameters) if predictions is not None else None,
        prediction_note=note,
        cohorts=cohorts,
        tracking=tracking,
    )


def _numbered(transactions: pd.DataFrame, end: object) -> tuple[pd.DataFrame, npt.NDArray[np.object_]]:
    """The orders up to the day ``end`` (all when None), each customer id replaced by its number in id order; the ids.

    Orders after the observation end are left out here, by day, so that the weekly
    summaries, which would keep the rest of the end's week, describe the period asked.

    The ids are texts, which every step (summaries, churn, cohorts, the models' split)
    would otherwise factorize again: numbers are factorized ten times faster, and a
    summary of the numbers is in id order as a summary of the ids would be
    (:func:`clv_xl.core.checks.customer_keys`). :func:`_named` puts the ids back.
    """
    if end is not None:
        days = transactions["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        transactions = transactions.loc[days <= np.datetime64(pd.Timestamp(end).date(), "D")]
    numbers, ids = pd.factorize(customer_keys(transactions), sort=True)
    columns = {"customer_id": numbers.astype(np.int64), "date": transactions["date"], "amount": transactions["amount"]}
    if "segment" in transactions.columns:
        columns["segment"] = transactions["segment"]
    # copy=False: the dates, amounts and segments are the orders' own columns, not a copy of them
    return pd.DataFrame(columns, index=transactions.index, copy=False), np.asarray(ids, dtype=object)


def _named(frame: pd.DataFrame, ids: npt.NDArray[np.object_]) -> pd.DataFrame:
    """``frame`` with its customer numbers (see :func:`_numbered`) replaced by the customers' ids."""
    named = frame.copy()
    named["customer_id"] = pd.Series(
        ids[frame["customer_id"].to_numpy(dtype=np.int64)], index=frame.index, dtype=object
    )
    return named


def _lifespan(
    estimated: pd.DataFrame, estimate: ChurnEstimate, years_used: float, parameters: ReportParameters
) -> Lifespan:
    """The lifespan the CLV uses, the one the orders give and how (the whole base's row of ``estimated``)."""
    measured = estimated.loc[TOTAL, "lifespan_from"] == "estimate"
    described = estimate.description()
    if measured:
        years = number_text(estimate.years_observed, 1)
        basis = Text(
            f"Yearly churn estimated from the orders: {described.en}; the orders span {years.en} years.",
            f"Abbandono annuo stimato dagli ordini: {described.it}; gli ordini coprono {years.it} anni.",
        )
    else:
        basis = Text(
            f"Why the observed tenure: {described.en}. It counts only the years seen so far: if you know your yearly "
            "churn, type it in the assumptions.",
            f"Perché la permanenza osservata: {described.it}. Conta solo gli anni visti finora: se conosci il tuo "
            "abbandono annuo, scrivilo nelle ipotesi.",
        )
    source: Literal["estimate", "tenure"] = "estimate" if measured else "tenure"
    return Lifespan(
        years=years_used,
        estimated_years=float(estimated.loc[TOTAL, "lifespan_years"]),
        method=LIFESPAN_METHODS[source],
        from_churn=parameters.annual_churn is not None,
        source=source,
        basis=basis,
        churn=estimate.churn if measured else math.nan,
        interval=estimate.lifespan_interval if measured else (math.nan, math.nan),
    )


def _descending(values: pd.Series) -> npt.NDArray[np.intp]:
    """The order of ``values`` from the largest, ties in their present order (a numeric sort, no text compared)."""
    return np.argsort(-values.to_numpy(dtype=np.float64), kind="stable")


def _predictions(
    orders: pd.DataFrame,
    ids: npt.NDArray[np.object_],
    end: pd.Timestamp,
    parameters: ReportParameters,
    weekly: pd.DataFrame,
) -> tuple[pd.DataFrame | None, Text | None, PurchaseModel | None, TableData | None]:
    """Every customer's probability of being active, expected purchases and revenue in the next 52 weeks.

    The purchase model is chosen by the stated rule (:func:`clv_xl.models.forecast.forecast_customers`,
    :data:`clv_xl.models.choice.CHOICE_RULE`: BG/NBD, MBG/NBD or Pareto/NBD), the spend
    by Gamma-Gamma, on weekly summaries; every customer gets a prediction, whatever their
    amounts; the fits are those of ``CLV_PREDICT`` (no penalty), so that the report and the
    Excel function give the same figures on the same orders. The predicted revenue is
    discounted at the yearly discount rate and NOT
    multiplied by the margin, so that the report can apply the margin as a live formula
    (the predicted CLV is linear in the margin). When no model can be fitted (too few
    customers, no repeat purchases, no convergence) the report says why instead; when
    only the spend model fails, the purchase predictions stay and the revenue is left
    out (the model says why). With the holdout check of the choice comes the tracking
    series of the chosen model (:func:`_tracking_table`).

    ``orders`` are numbered (:func:`_numbered`), ``weekly`` their summary in weeks; the
    frame returned has the ids.

    References
    ----------
    Fader, Hardie and Lee (2005), BG/NBD; Batislam, Denizel and Filiztekin (2007),
    MBG/NBD; Schmittlein, Morrison and Colombo (1987), Pareto/NBD; Fader and Hardie,
    note 025, Gamma-Gamma.
    """
    customers = len(weekly)
    if customers < MIN_CUSTOMERS_FOR_MODELS:
        texts = {
            language: message("report_too_few_for_models", language, count=customers, minimum=MIN_CUSTOMERS_FOR_MODELS)
            for language in ("en", "it")
        }
        return None, Text(texts["en"], texts["it"]), None, None
    try:
        forecast = forecast_customers(
            orders,
            horizon=PREDICTION_WEEKS,
            time_unit="weeks",
            yearly_discount_rate=parameters.discount_rate,
            margin=1.0,
            observation_end=end,
            summary=weekly,
        )
    except ClvError as error:
        return None, Text(error.message("en"), error.message("it")), None, None
    predicted = _named(forecast.customers, ids)
    frame = pd.DataFrame(
        {
            "customer_id": predicted["customer_id"],
            "p_alive": predicted["probability_alive"],
            "expected_purchases": predicted["expected_purchases"],
        }
    )
    spend_problem = None
    if forecast.spend_problem is None:
        frame["predicted_revenue"] = predicted["clv"]
    else:
        problem = forecast.spend_problem
        spend_problem = Text(problem.message("en"), problem.message("it"))
    choice, spend = forecast.choice, forecast.gamma_gamma
    fitted = {
        name: float(value) for name, value in dataclasses.asdict(choice.params).items() if name in PARAMETER_NAMES
    }
    if spend is not None:
        fitted.update(p=spend.p, q=spend.q, gamma=spend.gamma)
    check = choice.check
    if check is not None and not any(m.key == choice.key and m.params is not None for m in check.models):
        check = None  # the check could not fit the chosen model: nothing to track
    summary = None
    if check is not None:
        summary = HoldoutSummary(check.calibration_end, check.holdout_end, check.customers, choice.sample)
    model = PurchaseModel(
        name=choice.name,
        reason=choice.reason,
        spend_model="Gamma-Gamma",
        horizon_weeks=PREDICTION_WEEKS,
        discount_rate=parameters.discount_rate,
        parameters=fitted,
        spend_problem=spend_problem,
        check=summary,
    )
    tracking = _tracking_table(check.tracking([choice.key]), choice.key, choice.name) if check is not None else None
    return frame, None, model, tracking


def _tracking_table(series: pd.DataFrame, key: str, name: str) -> TableData:
    """The cumulative repeat purchases of the check's customers, week by week: actual, and the model's expectation.

    The model fitted on the calibration period only (Fader, Hardie and Lee 2005,
    Figure 3): the expectation for customers with these first-purchase weeks,
    Σ_i E[X(k − s_i)]; it has seen the orders up to the calibration end, not after.
    """
    rows = pd.DataFrame(
        {
            "period": series["period_start"],
            "actual": series["actual"].to_numpy(dtype=np.float64),
            "predicted": series[key].to_numpy(dtype=np.float64),
        }
    )
    columns = (
        Column("period", Text("Week", "Settimana"), "date"),
        Column("actual", Text("Actual", "Reali"), "number"),
        Column("predicted", Text(f"Predicted by {name}", f"Previsti da {name}"), "number"),
    )
    return TableData(
        "tracking",
        Text("Repeat purchases, cumulative: actual and predicted", "Riacquisti cumulati: reali e previsti"),
        columns,
        rows,
    )


def _cohort_table(orders: pd.DataFrame, end: pd.Timestamp, language: Language) -> TableData:
    """Each first-purchase cohort's size and the share of it buying k periods later, for the heat map.

    By month (:func:`clv_xl.core.cohorts.cohort_tables`); by quarter when the orders
    span more than :data:`MAX_COHORTS` months, by year when more than that many
    quarters. A period a cohort has not reached yet is NaN (an empty cell), not 0.
    """
    tables = cohort_tables(orders, period="month", observation_end=end)
    if len(tables.retention.columns) > MAX_COHORTS:
        tables = cohort_tables(orders, period="quarter", observation_end=end)
        if len(tables.retention.columns) > MAX_COHORTS:
            tables = cohort_tables(orders, period="year", observation_end=end)
    period = COHORT_PERIOD_NAMES[tables.period]
    starts = tables.customers.index
    rows = pd.DataFrame(
        {
            "cohort": [_cohort_label(start, tables.period, language) for start in starts],
            "customers": tables.customers.to_numpy(dtype=np.float64),
        }
    )
    shares = tables.retention.to_numpy(dtype=np.float64)
    keys = [f"k{k}" for k in tables.retention.columns]
    rows = pd.concat([rows, pd.DataFrame(shares, columns=keys)], axis=1)
    columns = (
        Column("cohort", Text(f"First {period.en}", f"Primo {period.it}"), "text"),
        Column("customers", Text("Customers", "Clienti"), "count"),
        *(
            Column(key, Text(f"{period.en.title()} {k}", f"{period.it.title()} {k}"), "percent")
            for k, key in enumerate(keys)
        ),
    )
    partly = Text("", "")
    if not tables.last_period_complete:
        partly = Text(
            f" The last {period.en} is observed only up to {date_text(end.date()).en}.",
            f" L'ultimo {period.it} è osservato solo fino al {date_text(end.date()).it}.",
        )
    by = {"month": Text("month", "mese"), "quarter": Text("quarter", "trimestre"), "year": Text("year", "anno")}
    return TableData(
        "cohorts",
        Text(
            f"Customers still buying, by {by[tables.period].en} of first purchase",
            f"Clienti che acquistano ancora, per {by[tables.period].it} del primo acquisto",
        ),
        columns,
        rows,
        note=Text(
            f"Each row: the customers whose first order fell in that {period.en}; column k: the share of them who "
            f"ordered in the k-th {period.en} after it ({period.en} 0 = 100 %); darker is more. Empty: not reached yet."
            + partly.en,
            f"Ogni riga: i clienti con il primo ordine in quel {period.it}; colonna k: la quota di loro che ha "
            f"ordinato nel k-esimo {period.it} successivo ({period.it} 0 = 100 %); più scuro è di più. Vuoto: non "
            "ancora raggiunto." + partly.it,
        ),
    )


#: Month names for the cohorts' labels (no locale needed: ``Jan 2024``, ``gen 2024``).
_MONTHS = Text("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", "gen feb mar apr mag giu lug ago set ott nov dic")


def _cohort_label(start: pd.Timestamp, period: str, language: Language) -> str:
    """A cohort's name: ``Jan 2024`` (month), ``Q1 2024`` / ``T1 2024`` (quarter), ``2024`` (year)."""
    if period == "month":
        return f"{_MONTHS(language).split()[start.month - 1]} {start.year}"
    if period == "quarter":
        return f"{'T' if language == 'it' else 'Q'}{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


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


def _customers_table(rows: pd.DataFrame, predicted: bool, with_value: bool, parameters: ReportParameters) -> TableData:
    """The customers sheet: the past, and with a forecast each customer's P(alive), purchases, risk and value."""
    columns: tuple[Column, ...] = _CUSTOMER_COLUMNS
    if predicted:
        columns += tuple(c for c in _PREDICTED_CUSTOMER_COLUMNS if with_value or c.key not in _VALUE_KEYS)
    columns = _without_segment(columns + _CUSTOMER_TAIL_COLUMNS, bool((rows["segment"] != "").any()))
    risk = (
        f"Risk: active from {ACTIVE_FROM:.0%} probability of being still active, at risk from "
        f"{LIKELY_LOST_BELOW:.0%}, likely lost below.",
        f"Rischio: attivo dall'{ACTIVE_FROM:.0%} di probabilità che sia ancora attivo, a rischio dal "
        f"{LIKELY_LOST_BELOW:.0%}, probabilmente perso sotto.",
    )
    if with_value:
        note = Text(
            f"Most valuable first. Value so far = revenue × margin; predicted value = the next {_HORIZON} weeks "
            f"forecast × margin, discounted; total = both. {risk[0]}",
            f"In ordine di valore. Valore finora = ricavi × margine; valore previsto = previsione delle prossime "
            f"{_HORIZON} settimane × margine, attualizzata; totale = somma dei due. {risk[1]}",
        )
    elif predicted:
        note = Text(
            f"By revenue. Value so far = revenue × margin. {risk[0]}",
            f"In ordine di ricavi. Valore finora = ricavi × margine. {risk[1]}",
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


#: The columns of the predicted value, left out when the spend model could not be fitted.
_VALUE_KEYS = ("predicted_revenue", "predicted_value", "total_value")


def _at_risk_table(customers: pd.DataFrame, parameters: ReportParameters) -> TableData:
    shown = [c.key for c in _AT_RISK_COLUMNS if c.key in customers.columns]
    at_risk = np.flatnonzero(customers["p_alive"].to_numpy(dtype=np.float64) < ACTIVE_FROM)  # in id order
    count = len(at_risk)
    first = at_risk[_descending(customers["value_per_year"].iloc[at_risk])][:AT_RISK_LIST]  # ties stay by id
    rows = customers[shown].iloc[first].reset_index(drop=True)
    rows["value_at_stake"] = rows["value_per_year"] * parameters.margin
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
        rows,
        note=note,
    )


def _segment_rows(
    figures: pd.DataFrame,
    estimated: pd.DataFrame,
    estimates: dict[str | None, ChurnEstimate],
    customers: pd.DataFrame,
    parameters: ReportParameters,
) -> pd.DataFrame:
    """The step-by-step method per segment and for all, with the value so far, predicted and total per customer.

    The lifespan estimated from the orders comes with its churn and a few words on how
    it was found: 1 / the segment's churn (its customers, its interval), or the
    observed tenure, a lower bound, and why the churn could not be measured.
    """
    language = parameters.language
    rows = figures.copy()
    rows["churn_estimated"] = estimated["annual_churn"]
    rows["lifespan_estimated"] = estimated["lifespan_years"]
    rows["lifespan_basis"] = [
        _lifespan_basis(estimates.get(None if name == TOTAL else str(name)), str(source))(language)
        for name, source in zip(estimated.index, estimated["lifespan_from"], strict=True)
    ]
    rows["historic_value"] = rows["revenue"] / rows["customers"] * parameters.margin
    if "p_alive" in customers.columns:
        lost = customers["p_alive"] < LIKELY_LOST_BELOW
        per_segment = lost.groupby(customers["segment"].to_numpy()).sum()
        per_segment.loc[TOTAL] = float(lost.sum())
        rows["likely_lost"] = per_segment.reindex(rows.index).astype(np.float64)
    if "predicted_revenue" in customers.columns:
        predicted = customers["predicted_revenue"]
        per_customer = predicted.groupby(customers["segment"].to_numpy()).mean()
        per_customer.loc[TOTAL] = float(predicted.mean())
        rows["predicted_revenue"] = per_customer.reindex(rows.index).astype(np.float64)
        rows["predicted_value"] = rows["predicted_revenue"] * parameters.margin
        rows["total_value"] = rows["historic_value"] + rows["predicted_value"]
    rows = rows.reset_index(names="segment")
    rows["segment"] = rows["segment"].astype(object).replace({TOTAL: ALL_CUSTOMERS(language)})
    return rows


def _lifespan_basis(estimate: ChurnEstimate | None, source: str) -> Text:
    """How a group's lifespan was estimated, in a few words for a table cell."""
    if source == "estimate" and estimate is not None and estimate.measured:
        low, high = (number_text(v, 2) if np.isfinite(v) else Text("∞", "∞") for v in estimate.lifespan_interval)
        customers = number_text(estimate.customers)
        return Text(
            f"1 / churn of {customers.en} customers; 95 %: {low.en}–{high.en}",
            f"1 / abbandono di {customers.it} clienti; 95 %: {low.it}–{high.it}",
        )
    why = _NO_CHURN.get(estimate.problem.key) if estimate is not None and estimate.problem is not None else None
    if why is None:
        return Text("tenure, a lower bound", "permanenza, limite inferiore")
    return Text(f"tenure, a lower bound: {why.en}", f"permanenza, limite inferiore: {why.it}")


def _segments_table(rows: pd.DataFrame, with_value: bool) -> TableData:
    columns: tuple[Column, ...] = _SEGMENT_COLUMNS
    if "likely_lost" in rows.columns:
        columns += tuple(c for c in _PREDICTED_SEGMENT_COLUMNS if with_value or c.key not in _VALUE_KEYS)
    return TableData(
        "segments",
        Text("CLV and value by segment", "CLV e valore per segmento"),
        columns,
        rows,
        note=Text(
            "CLV = customer value per year × margin × lifespan (discounted) − CAC, per segment; the last row is "
            "the whole base. The lifespan: 1 / yearly churn (yours when you give one, else estimated from the "
            "orders), or the observed tenure when the orders cannot measure the churn. Values per customer: so "
            "far, predicted, total.",
            "CLV = valore del cliente all'anno × margine × durata (attualizzata) − CAC, per segmento; l'ultima "
            "riga è l'intera clientela. La durata: 1 / abbandono annuo (il tuo se lo indichi, altrimenti stimato "
            "dagli ordini), o la permanenza osservata quando gli ordini non permettono di misurare l'abbandono. "
            "Valori per cliente: finora, previsto, totale.",
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
                "revenue per customer × margin: what a customer has brought",
                "ricavi per cliente × margine: quanto ha portato un cliente",
            ),
        )
    ]
    if "predicted_revenue" in customers.columns and model is not None:
        predicted_revenue = float(customers["predicted_revenue"].mean())
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
        *_lifespan_kpis(lifespan),
        Kpi(
            "lifespan",
            Text("Lifespan used (years)", "Durata usata (anni)"),
            lifespan.years,
            "years",
            Text(
                "1 / the churn of the assumptions if given, else the estimate",
                "1 / l'abbandono delle ipotesi se indicato, altrimenti la stima",
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


def _lifespan_kpis(lifespan: Lifespan) -> list[Kpi]:
    """The estimated churn (when the orders measure it) and the estimated lifespan, each saying how it was found."""
    label = Text("Lifespan estimated from the orders (years)", "Durata stimata dagli ordini (anni)")
    if lifespan.source != "estimate":
        help_text = Text(
            "observed tenure, first to last order: a LOWER BOUND",
            "permanenza osservata (dal primo all'ultimo ordine): LIMITE INFERIORE",
        )
        return [Kpi("lifespan_estimated", label, lifespan.estimated_years, "years", help_text)]
    low, high = (number_text(v, 2) if np.isfinite(v) else Text("∞", "∞") for v in lifespan.interval)
    return [
        Kpi(
            "churn_estimated",
            Text("Yearly churn estimated from the orders", "Abbandono annuo stimato dagli ordini"),
            lifespan.churn,
            "percent",
            Text(
                "active customers who then bought nothing for 12 months",
                "clienti attivi che poi non hanno acquistato per 12 mesi",
            ),
        ),
        Kpi(
            "lifespan_estimated",
            label,
            lifespan.estimated_years,
            "years",
            Text(
                f"1 / the churn above; 95 % interval {low.en} to {high.en} years",
                f"1 / l'abbandono qui sopra; intervallo al 95 % da {low.it} a {high.it} anni",
            ),
        ),
    ]


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
        values = values + customers["predicted_revenue"].to_numpy(dtype=np.float64)
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


def _monthly_table(orders: pd.DataFrame, end: pd.Timestamp) -> TableData:
    """Revenue of each calendar month with orders, up to the observation end's day (as the summaries count them)."""
    days = orders["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    kept = days <= np.datetime64(end.date(), "D")
    months = days[kept].astype("datetime64[M]").astype(np.int64)
    first = int(months.min()) if months.size else 0
    offsets = months - first
    revenue = np.bincount(offsets, weights=orders["amount"].to_numpy(dtype=np.float64)[kept])
    present = np.bincount(offsets) > 0
    starts = (np.flatnonzero(present) + first).astype("datetime64[M]").astype("datetime64[ns]")
    rows = pd.DataFrame({"month": starts, "revenue": revenue[present]})
    columns = (Column("month", Text("Month", "Mese"), "date"), Column("revenue", Text("Revenue", "Ricavi"), "money"))
    return TableData("revenue_by_month", Text("Revenue by month", "Ricavi per mese"), columns, rows)
