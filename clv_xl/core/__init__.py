"""Pure computation of clv_xl: no Excel, no files."""

from clv_xl.core.formulas import (
    annuity_factor,
    apv,
    cac,
    cac_payback,
    clv,
    clv_of_group,
    clv_retention,
    customer_value,
    lifespan_from_churn,
    ltv_cac_ratio,
    prospect_value,
    repeat_rate,
)

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
