"""Build the :class:`~clv_xl.report.model.ReportModel` from validated transactions. Pure.

The figures come from :mod:`clv_xl.core.summaries` (document 002's chain per
segment and for the whole base) and :mod:`clv_xl.core.formulas`; this module only
chooses what the report shows and labels it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clv_xl.core import formulas
from clv_xl.core.sensitivity import ClvInputs, what_if
from clv_xl.core.summaries import DAYS_PER_YEAR, TOTAL, customer_summary, segment_figures
from clv_xl.errors import ClvError
from clv_xl.i18n import Language, Text, message
from clv_xl.models import fit_and_predict_clv, period_rate
from clv_xl.report.model import Column, Kpi, ReportModel, ReportParameters, TableData

__all__ = [
    "ALL_CUSTOMERS",
    "AT_RISK_BELOW",
    "MIN_CUSTOMERS_FOR_MODELS",
    "DISTRIBUTION_BINS",
    "MIN_YEARS_FOR_VALUE",
    "PREDICTION_WEEKS",
    "build_report",
    "value_per_year",
]

#: The predictive section forecasts the next 52 weeks, in weekly periods (BG/NBD, Gamma-Gamma).
PREDICTION_WEEKS = 52
#: A customer whose probability of being alive is below this is "likely lost".
AT_RISK_BELOW = 0.5
#: Fewer customers than this give no forecast: the fit would say little about them.
MIN_CUSTOMERS_FOR_MODELS = 20

#: Number of bins of the customer-value distribution (the last is open-ended).
DISTRIBUTION_BINS = 8
#: A customer's value per year is revenue over the years since the first purchase,
#: at least this long (a customer of last week is not worth 52 weeks of orders).
MIN_YEARS_FOR_VALUE = 30 / DAYS_PER_YEAR

#: Label of the whole-base row of the segments table.
ALL_CUSTOMERS = Text("All customers", "Tutti i clienti")

_SEGMENT_COLUMNS = (
    Column("segment", Text("Segment", "Segmento"), "text"),
    Column("customers", Text("Customers", "Clienti"), "count"),
    Column("purchases", Text("Purchases", "Acquisti"), "count"),
    Column("revenue", Text("Revenue", "Ricavi"), "money"),
    Column("apv", Text("APV", "APV"), "money"),
    Column("purchases_per_year", Text("Purchases per customer per year", "Acquisti per cliente all'anno"), "number"),
    Column("customer_value_per_year", Text("Customer value per year", "Valore del cliente all'anno"), "money"),
    Column("lifespan_years", Text("Lifespan (years)", "Durata (anni)"), "years"),
    Column("cac", Text("CAC", "CAC"), "money"),
    Column("clv", Text("CLV", "CLV"), "money"),
)
_CUSTOMER_COLUMNS = (
    Column("rank", Text("Rank", "Posizione"), "count"),
    Column("customer_id", Text("Customer", "Cliente"), "text"),
    Column("segment", Text("Segment", "Segmento"), "text"),
    Column("orders", Text("Orders", "Ordini"), "count"),
    Column("revenue", Text("Revenue", "Ricavi"), "money"),
    Column("average_order_value", Text("Average order", "Ordine medio"), "money"),
    Column("first_purchase", Text("First purchase", "Primo acquisto"), "date"),
    Column("last_purchase", Text("Last purchase", "Ultimo acquisto"), "date"),
    Column("value_per_year", Text("Value per year", "Valore all'anno"), "money"),
    Column("share_of_revenue", Text("Share of revenue", "Quota dei ricavi"), "percent"),
)
_PREDICTED_CUSTOMER_COLUMNS = (
    Column("p_alive", Text("Probability alive", "Probabilità attivo"), "percent"),
    Column(
        "expected_purchases",
        Text("Expected purchases, next 52 weeks", "Acquisti attesi, prossime 52 settimane"),
        "number",
    ),
    Column("predicted_clv", Text("Predicted CLV, next 52 weeks", "CLV previsto, prossime 52 settimane"), "money"),
)
_PREDICTED_SEGMENT_COLUMNS = (
    Column(
        "predicted_clv",
        Text("Predicted CLV per customer, next 52 weeks", "CLV previsto per cliente, 52 settimane"),
        "money",
    ),
    Column("likely_lost", Text("Customers likely lost", "Clienti probabilmente persi"), "count"),
)
_AT_RISK_COLUMNS = (
    Column("customer_id", Text("Customer", "Cliente"), "text"),
    Column("segment", Text("Segment", "Segmento"), "text"),
    Column("revenue", Text("Revenue", "Ricavi"), "money"),
    Column("last_purchase", Text("Last purchase", "Ultimo acquisto"), "date"),
    Column("p_alive", Text("Probability alive", "Probabilità attivo"), "percent"),
    Column("orders", Text("Orders", "Ordini"), "count"),
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
        KPIs of the whole base, per-segment figures (document 002: per segment, then
        weighted), customers ranked by revenue, the distribution of customer value per
        year, revenue by month and the what-if of CLV (document 000).
    """
    summary = customer_summary(transactions, observation_end=parameters.observation_end)
    end = pd.Timestamp(summary.attrs["observation_end"])
    figures = segment_figures(
        summary,
        cac=parameters.cac,
        margin=parameters.margin,
        discount_rate=parameters.discount_rate,
        annual_churn=parameters.annual_churn,
        observation_end=end,
    )
    total = figures.loc[TOTAL]
    inputs = ClvInputs(
        apv=float(total["apv"]),
        acl=float(total["lifespan_years"]),
        cac=parameters.cac,
        frequency=float(total["purchases_per_year"]),
        margin=parameters.margin,
        discount_rate=parameters.discount_rate,
    )
    start = pd.Timestamp(summary["first_purchase"].min())
    kpis = _kpis(total, inputs, parameters, bool(figures.index.size > 1))
    customers = _customers_table(summary, end)
    segments = _segments_table(figures, parameters.language)
    predictions, note = _predictions(transactions, end, parameters)
    at_risk = None
    if predictions is not None:
        customers, segments, at_risk, predicted_kpis = _with_predictions(customers, segments, predictions, parameters)
        kpis += predicted_kpis
    return ReportModel(
        parameters=parameters,
        period_start=start,
        period_end=end,
        kpis=kpis,
        clv_inputs=inputs,
        what_if=what_if(inputs),
        segments=segments,
        customers=customers,
        value_distribution=_distribution_table(summary, end, parameters.language),
        revenue_by_month=_monthly_table(transactions, end),
        at_risk=at_risk,
        prediction_note=note,
    )


def _predictions(
    transactions: pd.DataFrame, end: pd.Timestamp, parameters: ReportParameters
) -> tuple[pd.DataFrame | None, Text | None]:
    """BG/NBD and Gamma-Gamma on weekly summaries: probability alive, purchases and CLV, next 52 weeks.

    Customers whose repeat purchases average 0 € or less (refunds) cannot enter the
    spend model; they get no prediction. When the models cannot be fitted (too few
    customers, no repeat purchases, no convergence) the report says why instead.

    References
    ----------
    Fader, Hardie and Lee (2005), BG/NBD; Fader and Hardie, note 025, Gamma-Gamma.
    """
    weekly = customer_summary(transactions, time_unit="weeks", observation_end=end)
    if len(weekly) < MIN_CUSTOMERS_FOR_MODELS:
        texts = {
            language: message(
                "report_too_few_for_models", language, count=len(weekly), minimum=MIN_CUSTOMERS_FOR_MODELS
            )
            for language in ("en", "it")
        }
        return None, Text(texts["en"], texts["it"])
    frequency = weekly["frequency"].to_numpy(dtype=np.float64)
    monetary = weekly["monetary_value"].to_numpy(dtype=np.float64)
    usable = (frequency == 0) | (monetary > 0)
    part = weekly[usable]
    try:
        forecast = fit_and_predict_clv(
            part["frequency"],
            part["recency"],
            part["T"],
            part["monetary_value"].clip(lower=0),
            horizon=PREDICTION_WEEKS,
            discount_rate=period_rate(parameters.discount_rate, PREDICTION_WEEKS),
            margin=parameters.margin,
            penalizer=0.001,
        )
    except ClvError as error:
        return None, Text(error.message("en"), error.message("it"))
    frame = pd.DataFrame({"customer_id": weekly["customer_id"]})
    for column in ("p_alive", "expected_purchases", "predicted_clv"):
        frame[column] = np.nan
    prediction = forecast.prediction
    frame.loc[usable, "p_alive"] = prediction.probability_alive
    frame.loc[usable, "expected_purchases"] = prediction.expected_purchases
    frame.loc[usable, "predicted_clv"] = prediction.clv
    return frame, None


def _with_predictions(
    customers: TableData, segments: TableData, predictions: pd.DataFrame, parameters: ReportParameters
) -> tuple[TableData, TableData, TableData, tuple[Kpi, ...]]:
    rows = customers.rows.merge(predictions, on="customer_id", how="left")
    rows["likely_lost"] = rows["p_alive"] < AT_RISK_BELOW
    by_segment = rows.groupby("segment").agg(
        predicted_clv=("predicted_clv", "mean"), likely_lost=("likely_lost", "sum")
    )
    segment_rows = segments.rows.copy()
    label_all = ALL_CUSTOMERS(parameters.language)
    segment_rows["predicted_clv"] = segment_rows["segment"].map(by_segment["predicted_clv"]).astype("float64")
    segment_rows["likely_lost"] = segment_rows["segment"].map(by_segment["likely_lost"]).astype("float64")
    everyone = segment_rows["segment"] == label_all
    segment_rows.loc[everyone, "predicted_clv"] = float(rows["predicted_clv"].mean())
    segment_rows.loc[everyone, "likely_lost"] = float(rows["likely_lost"].sum())
    at_risk = rows[rows["likely_lost"]].sort_values(["revenue", "customer_id"], ascending=[False, True])
    kpis = (
        Kpi(
            "predicted_clv",
            Text("Predicted CLV per customer, next 52 weeks", "CLV previsto per cliente, prossime 52 settimane"),
            float(rows["predicted_clv"].mean()),
            "money",
            Text("BG/NBD and Gamma-Gamma, × margin, discounted", "BG/NBD e Gamma-Gamma, × margine, scontato"),
        ),
        Kpi(
            "likely_lost",
            Text("Customers likely lost", "Clienti probabilmente persi"),
            float(rows["likely_lost"].sum()),
            "count",
            Text("probability alive below 50 %", "probabilità di essere attivo sotto il 50 %"),
        ),
    )
    return (
        TableData(
            customers.name,
            customers.title,
            customers.columns + _PREDICTED_CUSTOMER_COLUMNS,
            rows.drop(columns="likely_lost"),
        ),
        TableData(segments.name, segments.title, segments.columns + _PREDICTED_SEGMENT_COLUMNS, segment_rows),
        TableData(
            "at_risk",
            Text("Customers likely lost, by past revenue", "Clienti probabilmente persi, per ricavi"),
            _AT_RISK_COLUMNS,
            at_risk.reset_index(drop=True),
        ),
        kpis,
    )


def _kpis(total: pd.Series, inputs: ClvInputs, parameters: ReportParameters, segmented: bool) -> tuple[Kpi, ...]:
    clv_value = inputs.clv()
    gross = clv_value + parameters.cac
    yearly_margin = float(total["customer_value_per_year"]) * parameters.margin
    ratio = float(formulas.ltv_cac_ratio(gross, parameters.cac)) if parameters.cac > 0 else float("nan")
    payback = 12 * float(formulas.cac_payback(parameters.cac, yearly_margin)) if yearly_margin > 0 else float("nan")
    lifespan_help = (
        Text("1 / yearly churn", "1 / abbandono annuo")
        if total["lifespan_from"] == "churn"
        else Text(
            "observed average tenure: give the churn when you know it",
            "durata media osservata: indica l'abbandono se lo conosci",
        )
    )
    kpis = [
        Kpi("customers", Text("Customers", "Clienti"), float(total["customers"]), "count"),
        Kpi("purchases", Text("Purchases", "Acquisti"), float(total["purchases"]), "count"),
        Kpi("revenue", Text("Revenue", "Ricavi"), float(total["revenue"]), "money"),
        Kpi(
            "apv",
            Text("Average purchase value (APV)", "Valore medio di acquisto (APV)"),
            float(total["apv"]),
            "money",
            Text("revenue / purchases (document 002)", "ricavi / acquisti (documento 002)"),
        ),
        Kpi(
            "repeat_rate",
            Text("Repeat purchase rate", "Tasso di acquisto ripetuto"),
            float(total["repeat_rate"]),
            "number",
            Text("purchases / customers in the period", "acquisti / clienti nel periodo"),
        ),
        Kpi(
            "purchases_per_year",
            Text("Purchases per customer per year", "Acquisti per cliente all'anno"),
            float(total["purchases_per_year"]),
            "number",
        ),
        Kpi(
            "customer_value",
            Text("Customer value per year", "Valore del cliente all'anno"),
            float(total["customer_value_per_year"]),
            "money",
            Text("APV × purchases per year", "APV × acquisti all'anno"),
        ),
        Kpi(
            "lifespan",
            Text("Lifespan (years)", "Durata (anni)"),
            float(total["lifespan_years"]),
            "years",
            lifespan_help,
        ),
        Kpi("cac", Text("Acquisition cost (CAC)", "Costo di acquisizione (CAC)"), parameters.cac, "money"),
        Kpi(
            "clv",
            Text("Customer lifetime value (CLV)", "Valore del cliente nel tempo (CLV)"),
            clv_value,
            "money",
            Text("value × margin × lifespan (discounted) − CAC", "valore × margine × durata (scontata) − CAC"),
        ),
        Kpi(
            "ltv_cac",
            Text("LTV:CAC", "LTV:CAC"),
            ratio,
            "number",
            Text("3 or more is the usual target", "di solito si punta a 3 o più"),
        ),
        Kpi("cac_payback", Text("CAC payback (months)", "Recupero del CAC (mesi)"), payback, "number"),
    ]
    if segmented:
        kpis.append(
            Kpi(
                "clv_segments",
                Text("CLV, average of the segments", "CLV, media dei segmenti"),
                float(total["clv_weighted_average"]),
                "money",
                Text("weighted by customers (document 002)", "ponderata per clienti (documento 002)"),
            )
        )
    return tuple(kpis)


def _segments_table(figures: pd.DataFrame, language: Language) -> TableData:
    rows = figures.reset_index(names="segment")
    rows["segment"] = rows["segment"].astype("string").replace({TOTAL: ALL_CUSTOMERS(language)})
    return TableData("segments", Text("CLV by segment", "CLV per segmento"), _SEGMENT_COLUMNS, rows)


def value_per_year(summary: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    """Each customer's revenue per year since the first purchase (at least :data:`MIN_YEARS_FOR_VALUE`)."""
    years = ((end - summary["first_purchase"]).dt.total_seconds() / 86_400 + 1) / DAYS_PER_YEAR
    return summary["revenue"] / np.maximum(years, MIN_YEARS_FOR_VALUE)


def _customers_table(summary: pd.DataFrame, end: pd.Timestamp) -> TableData:
    rows = summary.sort_values(["revenue", "customer_id"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    if "segment" not in rows.columns:
        rows["segment"] = ""
    rows["value_per_year"] = value_per_year(rows, end)
    revenue = float(rows["revenue"].sum())
    rows["share_of_revenue"] = rows["revenue"] / revenue if revenue else 0.0
    rows["rank"] = np.arange(1, len(rows) + 1)
    return TableData("customers", Text("Customers by revenue", "Clienti per ricavi"), _CUSTOMER_COLUMNS, rows)


def _nice_step(span: float, bins: int) -> float:
    """A round bin width (1, 2, 2.5 or 5 × a power of ten) covering ``span`` in ``bins``."""
    raw = max(span / bins, 1e-9)
    power = 10 ** np.floor(np.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= raw:
            return float(multiple * power)
    return float(10 * power)


def _distribution_table(summary: pd.DataFrame, end: pd.Timestamp, language: Language) -> TableData:
    values = value_per_year(summary, end).clip(lower=0).to_numpy()
    top = float(np.quantile(values, 0.95)) if values.size else 0.0
    step = _nice_step(top, DISTRIBUTION_BINS - 1)
    edges = step * np.arange(DISTRIBUTION_BINS)
    counts = np.bincount(
        np.minimum((values // step).astype(np.int64), DISTRIBUTION_BINS - 1), minlength=DISTRIBUTION_BINS
    )
    labels = [f"{_amount(lo, language)}–{_amount(lo + step, language)} €" for lo in edges[:-1]]
    labels.append(f"≥ {_amount(edges[-1], language)} €")
    rows = pd.DataFrame({"bin": labels, "customers": counts[:DISTRIBUTION_BINS]})
    columns = (
        Column("bin", Text("Value per year", "Valore all'anno"), "text"),
        Column("customers", Text("Customers", "Clienti"), "count"),
    )
    return TableData(
        "value_distribution", Text("Customers by value per year", "Clienti per valore annuo"), columns, rows
    )


def _amount(value: float, language: Language) -> str:
    text = f"{value:,.0f}"
    return text.replace(",", ".") if language == "it" else text


def _monthly_table(transactions: pd.DataFrame, end: pd.Timestamp) -> TableData:
    dates = pd.to_datetime(transactions["date"])
    kept = transactions[dates <= end]
    months = pd.to_datetime(kept["date"]).dt.to_period("M").dt.to_timestamp()
    revenue = kept["amount"].groupby(months).sum().sort_index()
    rows = pd.DataFrame({"month": revenue.index, "revenue": revenue.to_numpy(dtype=np.float64)})
    columns = (Column("month", Text("Month", "Mese"), "date"), Column("revenue", Text("Revenue", "Ricavi"), "money"))
    return TableData("revenue_by_month", Text("Revenue by month", "Ricavi per mese"), columns, rows)
