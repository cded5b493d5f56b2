"""Customer lifetime value formulas: pure, typed and vectorised.

Every function takes scalars or array-likes of numbers, broadcasts them together with
numpy's rules and returns a float for scalar input, an array of the broadcast shape
otherwise. Nothing here touches Excel or files.

Source documents (see the project README): ``000`` B2B CLV with CAC, APV and ACL;
``001`` micro-businesses and the prospect lifetime value; ``002`` the step-by-step
method from revenue, purchases and customers; ``003`` CLV from margin.

Undefined input raises :class:`clv_xl.errors.ClvError` carrying the Excel error code
(``#DIV/0!``, ``#NUM!``, ``#VALUE!``) and the name of the argument at fault.
"""

from __future__ import annotations

import numpy as np

from clv_xl.core.checks import (
    ArrayLike,
    FloatArray,
    broadcast,
    finish,
    require,
    require_divisor,
    require_non_negative,
    require_rate,
)
from clv_xl.errors import ExcelErrorCode

__all__ = [
    "annuity_factor",
    "apv",
    "cac",
    "cac_payback",
    "clv",
    "clv_of_group",
    "clv_retention",
    "customer_value",
    "lifespan_from_churn",
    "ltv_cac_ratio",
    "prospect_value",
    "repeat_rate",
]


def _annuity(years: FloatArray, discount_rate: FloatArray) -> FloatArray:
    """A(n, d) on already checked arrays; A(n, 0) = n exactly."""
    undiscounted = discount_rate == 0
    safe_rate = np.where(undiscounted, 1.0, discount_rate)
    discounted = (1.0 - (1.0 + safe_rate) ** -years) / safe_rate
    return np.where(undiscounted, years, discounted)


def annuity_factor(years: ArrayLike, discount_rate: ArrayLike = 0.0) -> float | FloatArray:
    """Present value of 1 € a year for ``years`` years.

    .. math:: A(n, 0) = n, \\qquad A(n, d) = \\frac{1 - (1 + d)^{-n}}{d}

    Parameters
    ----------
    years
        Number of years ``n`` (>= 0; fractions allowed).
    discount_rate
        Yearly discount rate ``d`` as a fraction (0.08 for 8 %), >= 0.

    Returns
    -------
    float or ndarray
        Years' worth of value in today's money; equals ``years`` when ``d = 0``.

    References
    ----------
    Ordinary annuity (payments at the end of each year); any corporate finance text.
    """
    years_a, rate_a = broadcast(years=years, discount_rate=discount_rate)
    require_non_negative("years", years_a)
    require_non_negative("discount_rate", rate_a)
    return finish(_annuity(years_a, rate_a), "annuity_factor")


def clv(
    apv: ArrayLike,
    acl: ArrayLike,
    cac: ArrayLike = 0.0,
    frequency: ArrayLike = 1.0,
    margin: ArrayLike = 1.0,
    discount_rate: ArrayLike = 0.0,
) -> float | FloatArray:
    """Customer lifetime value, net of the acquisition cost.

    .. math:: CLV = APV \\cdot f \\cdot m \\cdot A(ACL, d) - CAC

    With the defaults (``f = 1``, ``m = 1``, ``d = 0``) this is the documents'
    ``CLV = (APV × ACL) − CAC``.

    Parameters
    ----------
    apv
        Average purchase value, € per purchase (or € per year when ``frequency`` is 1
        and the value is yearly, as in document ``000``). >= 0.
    acl
        Average customer lifespan in years (>= 0).
    cac
        Customer acquisition cost, € per customer (>= 0). Default 0.
    frequency
        Purchases per customer per year (>= 0), the repeat purchase rate of ``002``.
        Default 1.
    margin
        Gross margin as a fraction of revenue, 0..1 (document ``003``: value from
        profit, after the cost of the product). Default 1 (revenue).
    discount_rate
        Yearly discount rate as a fraction (>= 0). Default 0 (no discounting).

    Returns
    -------
    float or ndarray
        CLV in €; negative when the customer is worth less than they cost to win.

    Examples
    --------
    Document ``000``, example 1: APV 10000 €, ACL 3 years, CAC 1000 € gives 29000 €;
    example 2: 20000 €, 2 years, 2000 € gives 38000 €.

    References
    ----------
    Document ``000`` (formula and examples), ``002`` (frequency), ``003`` (margin).
    """
    apv_a, acl_a, cac_a, freq_a, margin_a, rate_a = broadcast(
        apv=apv, acl=acl, cac=cac, frequency=frequency, margin=margin, discount_rate=discount_rate
    )
    require_non_negative("apv", apv_a)
    require_non_negative("acl", acl_a)
    require_non_negative("cac", cac_a)
    require_non_negative("frequency", freq_a)
    require_rate("margin", margin_a)
    require_non_negative("discount_rate", rate_a)
    return finish(apv_a * freq_a * margin_a * _annuity(acl_a, rate_a) - cac_a, "CLV")


def clv_of_group(
    apv: ArrayLike,
    acl: ArrayLike,
    cac: ArrayLike = 0.0,
    frequency: ArrayLike = 1.0,
    margin: ArrayLike = 1.0,
    discount_rate: ArrayLike = 0.0,
) -> float | FloatArray:
    """CLV of an observed group of customers, whose APV is negative when its refunds exceed its sales.

    .. math:: CLV = \\operatorname{sign}(APV) \\cdot (CLV(|APV|, \\dots) + CAC) - CAC
              = APV \\cdot f \\cdot m \\cdot A(ACL, d) - CAC

    :func:`clv` refuses a negative APV (typed into a cell it is a mistake); a group's APV
    computed from its orders is a fact, and CLV is linear in it, so a group that only
    returned goods is worth a negative amount, shown as such. Every other argument is
    checked as :func:`clv` checks it.

    References
    ----------
    As :func:`clv`: document ``000`` (formula), ``002`` (the chain per segment).
    """
    apv_a, cac_a = broadcast(apv=apv, cac=cac)
    require_non_negative("cac", cac_a)
    gross = np.asarray(clv(np.abs(apv_a), acl, 0.0, frequency, margin, discount_rate))
    return finish(np.where(apv_a < 0, -gross, gross) - cac_a, "CLV")


def apv(revenue: ArrayLike, purchases: ArrayLike) -> float | FloatArray:
    """Average purchase value of a period.

    .. math:: APV = \\frac{revenue}{purchases}

    Parameters
    ----------
    revenue
        Revenue of the period, € (refunds may make it negative).
    purchases
        Number of purchases (orders) in the same period, > 0.

    Returns
    -------
    float or ndarray
        € per purchase.

    References
    ----------
    Document ``002``: "dividi le entrate di un periodo per il numero di acquisti".
    """
    revenue_a, purchases_a = broadcast(revenue=revenue, purchases=purchases)
    require_divisor("purchases", purchases_a)
    return finish(revenue_a / purchases_a, "APV")


def repeat_rate(purchases: ArrayLike, customers: ArrayLike) -> float | FloatArray:
    """Repeat purchase rate: purchases per unique customer in a period.

    .. math:: rate = \\frac{purchases}{unique\\ customers}

    Parameters
    ----------
    purchases
        Number of purchases in the period (>= 0).
    customers
        Number of unique customers who bought in the same period (> 0).

    Returns
    -------
    float or ndarray
        Purchases per customer in the period.

    References
    ----------
    Document ``002``.
    """
    purchases_a, customers_a = broadcast(purchases=purchases, customers=customers)
    require_non_negative("purchases", purchases_a)
    require_divisor("customers", customers_a)
    return finish(purchases_a / customers_a, "REPEAT_RATE")


def customer_value(apv: ArrayLike, repeat_rate: ArrayLike) -> float | FloatArray:
    """Value of a customer in a period.

    .. math:: customer\\ value = APV \\times repeat\\ rate

    Parameters
    ----------
    apv
        Average purchase value, € per purchase (>= 0).
    repeat_rate
        Purchases per customer in the period (>= 0).

    Returns
    -------
    float or ndarray
        € per customer per period.

    References
    ----------
    Document ``002``.
    """
    apv_a, rate_a = broadcast(apv=apv, repeat_rate=repeat_rate)
    require_non_negative("apv", apv_a)
    require_non_negative("repeat_rate", rate_a)
    return finish(apv_a * rate_a, "CUSTOMER_VALUE")


def cac(acquisition_spend: ArrayLike, new_customers: ArrayLike) -> float | FloatArray:
    """Customer acquisition cost.

    .. math:: CAC = \\frac{acquisition\\ spend}{new\\ customers}

    Parameters
    ----------
    acquisition_spend
        Marketing and sales spend of the period, € (>= 0). It includes the spend on
        prospects that did not convert and stayed leads (document ``001``).
    new_customers
        Customers won in the same period (> 0).

    Returns
    -------
    float or ndarray
        € per new customer.

    References
    ----------
    Documents ``000`` (definition) and ``001`` (spend on converted and lost prospects).
    """
    spend_a, new_a = broadcast(acquisition_spend=acquisition_spend, new_customers=new_customers)
    require_non_negative("acquisition_spend", spend_a)
    require_divisor("new_customers", new_a)
    return finish(spend_a / new_a, "CAC")


def lifespan_from_churn(churn_rate: ArrayLike) -> float | FloatArray:
    """Average customer lifespan implied by a constant yearly churn rate.

    .. math:: lifespan = \\frac{1}{churn}

    Parameters
    ----------
    churn_rate
        Share of customers lost per year, 0 < churn <= 1.

    Returns
    -------
    float or ndarray
        Years (the mean of a geometric lifetime).

    References
    ----------
    Standard result for a constant churn rate; document ``002`` defines lifespan as
    the average number of years a customer keeps buying.
    """
    (churn_a,) = broadcast(churn_rate=churn_rate)
    require("churn_rate", churn_a, lambda v: v != 0, ExcelErrorCode.DIV0, "zero_divisor")
    require("churn_rate", churn_a, lambda v: (v > 0) & (v <= 1), ExcelErrorCode.NUM, "churn_range")
    return finish(1.0 / churn_a, "LIFESPAN")


def clv_retention(margin: ArrayLike, retention: ArrayLike, discount_rate: ArrayLike = 0.0) -> float | FloatArray:
    """Infinite-horizon CLV with a constant retention rate.

    .. math:: CLV = \\frac{m \\cdot r}{1 + d - r}

    Parameters
    ----------
    margin
        Margin per customer per period, € (>= 0).
    retention
        Share of customers kept from one period to the next, 0..1.
    discount_rate
        Discount rate per period, >= 0. ``retention`` must be below ``1 + discount_rate``.

    Returns
    -------
    float or ndarray
        € per customer, margins from the next period on, discounted.

    References
    ----------
    Gupta and Lehmann, "Customers as assets", Journal of Interactive Marketing 17(1),
    2003: the textbook margin multiple ``r / (1 + d - r)``.
    """
    margin_a, retention_a, rate_a = broadcast(margin=margin, retention=retention, discount_rate=discount_rate)
    require_non_negative("margin", margin_a)
    require_rate("retention", retention_a)
    require_non_negative("discount_rate", rate_a)
    limit = 1.0 + rate_a
    require(
        "retention",
        retention_a,
        lambda v: v < limit,
        ExcelErrorCode.NUM,
        "retention_vs_discount",
        limit=limit,
    )
    return finish(margin_a * retention_a / (limit - retention_a), "CLV_RETENTION")


def prospect_value(
    conversion_rate: ArrayLike, value_per_customer: ArrayLike, cost_per_prospect: ArrayLike
) -> float | FloatArray:
    """Prospect lifetime value: what one prospect of a campaign is worth.

    .. math:: PLV = conversion \\times value - cost\\ per\\ prospect

    Parameters
    ----------
    conversion_rate
        Share of prospects that become customers, 0..1.
    value_per_customer
        Lifetime value of a converted customer, € (e.g. a gross CLV).
    cost_per_prospect
        Acquisition spend per prospect, converted or not, € (>= 0).

    Returns
    -------
    float or ndarray
        € per prospect; it counts the spend on prospects who stayed leads.

    References
    ----------
    Document ``001`` (prospect lifetime value).
    """
    conv_a, value_a, cost_a = broadcast(
        conversion_rate=conversion_rate, value_per_customer=value_per_customer, cost_per_prospect=cost_per_prospect
    )
    require_rate("conversion_rate", conv_a)
    require_non_negative("cost_per_prospect", cost_a)
    return finish(conv_a * value_a - cost_a, "PLV")


def ltv_cac_ratio(clv_gross: ArrayLike, cac: ArrayLike) -> float | FloatArray:
    """Lifetime value to acquisition cost ratio.

    .. math:: LTV{:}CAC = \\frac{CLV_{gross}}{CAC}

    Parameters
    ----------
    clv_gross
        Lifetime value before subtracting the CAC, €.
    cac
        Customer acquisition cost, € (> 0).

    Returns
    -------
    float or ndarray
        A pure number; 3 or more is the usual rule of thumb for a healthy business.

    References
    ----------
    Document ``002`` (CLV set against the acquisition cost).
    """
    clv_a, cac_a = broadcast(clv_gross=clv_gross, cac=cac)
    require_divisor("cac", cac_a)
    return finish(clv_a / cac_a, "LTV_CAC")


def cac_payback(cac: ArrayLike, margin_per_period: ArrayLike) -> float | FloatArray:
    """Periods needed to earn the acquisition cost back.

    .. math:: payback = \\frac{CAC}{margin\\ per\\ period}

    Parameters
    ----------
    cac
        Customer acquisition cost, € (>= 0).
    margin_per_period
        Margin a customer brings per period (month or year), € (> 0).

    Returns
    -------
    float or ndarray
        Number of periods, in the unit of ``margin_per_period``.

    References
    ----------
    Document ``002``: "quanto tempo ci vorrà per ottenere un ritorno sul vostro investimento".
    """
    cac_a, margin_a = broadcast(cac=cac, margin_per_period=margin_per_period)
    require_non_negative("cac", cac_a)
    require("margin_per_period", margin_a, lambda v: v != 0, ExcelErrorCode.DIV0, "zero_divisor")
    require("margin_per_period", margin_a, lambda v: v > 0, ExcelErrorCode.NUM, "never_pays_back")
    return finish(cac_a / margin_a, "CAC_PAYBACK")
