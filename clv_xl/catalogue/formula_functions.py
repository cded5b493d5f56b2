"""Catalogue entries of the formula functions: the documents' formulas, one cell (or range) each.

Each entry is a thin face of one function of :mod:`clv_xl.core.formulas`; APV and
REPEAT_RATE also take one range of orders (:mod:`clv_xl.order_ranges`).
"""

from __future__ import annotations

from clv_xl import core
from clv_xl.function_spec import ExcelFunction, argument
from clv_xl.i18n import Text
from clv_xl.order_ranges import OMITTED, apv_of_orders, one_range_evaluator, repeat_rate_of_ids
from clv_xl.sources import cite

__all__ = ["FORMULA_FUNCTIONS"]


_APV = argument(
    "apv",
    "Average purchase value, € per purchase (a yearly value in the B2B article's examples).",
    "Valore medio di acquisto, € per acquisto (negli esempi dell'articolo sul B2B è un valore annuo).",
)
_CAC = argument(
    "cac",
    "Customer acquisition cost, € per new customer.",
    "Costo di acquisizione del cliente, € per nuovo cliente.",
)

FORMULA_FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="CLV",
        compute=core.clv,
        arguments=(
            _APV,
            argument("acl", "Average customer lifespan, years.", "Durata media del cliente, in anni."),
            argument("cac", _CAC.help.en + " Default 0.", _CAC.help.it + " Se omesso vale 0.", 0.0),
            argument(
                "frequency",
                "Purchases per customer per year. Default 1.",
                "Acquisti per cliente all'anno. Se omesso vale 1.",
                1.0,
            ),
            argument(
                "margin",
                "Gross margin as a fraction of revenue, 0 to 1. Default 1.",
                "Margine lordo come quota dei ricavi, da 0 a 1 (ad es. 0,4 o 40%). Se omesso vale 1.",
                1.0,
            ),
            argument(
                "discount_rate",
                "Yearly discount rate, e.g. 0.08. Default 0.",
                "Tasso di attualizzazione annuo, ad es. 0,08. Se omesso vale 0.",
                0.0,
            ),
        ),
        summary=Text(
            "Customer lifetime value net of the acquisition cost.",
            "Valore del cliente nel tempo al netto del costo di acquisizione.",
        ),
        formula=Text(
            "CLV = APV × frequency × margin × A(ACL, discount rate) − CAC",
            "CLV = APV × frequenza × margine × A(ACL, tasso di attualizzazione) − CAC",
        ),
        source=cite(
            "000",
            "002",
            "003",
            notes=(
                Text("CLV = APV × ACL − CAC", "CLV = APV × ACL − CAC"),
                Text("purchase frequency", "frequenza di acquisto"),
                Text("margin", "margine"),
            ),
        ),
        example=(10000.0, 3.0, 1000.0),
        example_result=29000.0,
        extra_help=Text(
            "A(n, 0) = n; A(n, d) = (1 − (1 + d)^−n) / d discounts yearly values.",
            "A(n, 0) = n; A(n, d) = (1 − (1 + d)^−n) / d attualizza i valori annui.",
        ),
    ),
    ExcelFunction(
        name="APV",
        compute=apv_of_orders,
        arguments=(
            argument(
                "revenue",
                "Revenue of the period, €; or, alone, the range of the order amounts.",
                "Ricavi del periodo, €; oppure, da solo, l'intervallo degli importi degli ordini.",
            ),
            argument(
                "purchases",
                "Number of purchases in the same period. Leave it out to average a range of orders.",
                "Numero di acquisti nello stesso periodo. Se omesso, APV è la media degli importi del primo argomento.",
                OMITTED,
            ),
        ),
        summary=Text("Average purchase value of a period.", "Valore medio di acquisto di un periodo."),
        formula=Text("APV = revenue / purchases", "APV = ricavi / acquisti"),
        source=cite("002"),
        example=(50000.0, 200.0),
        example_result=250.0,
        extra_help=Text(
            "APV(amounts) with one range: the average of the orders (empty cells skipped, refunds included).",
            "APV(importi) con un solo intervallo: la media degli ordini (celle vuote ignorate, resi inclusi).",
        ),
        evaluator=one_range_evaluator,
    ),
    ExcelFunction(
        name="REPEAT_RATE",
        compute=repeat_rate_of_ids,
        arguments=(
            argument(
                "purchases",
                "Number of purchases in the period; or, alone, the range of customer ids, one per order.",
                "Numero di acquisti nel periodo; oppure, da solo, l'intervallo dei codici cliente, uno per ordine.",
            ),
            argument(
                "customers",
                "Number of unique customers in the same period. Leave it out to count a range of ids.",
                "Numero di clienti distinti nello stesso periodo. Se omesso, si contano i codici del primo argomento.",
                OMITTED,
            ),
        ),
        summary=Text(
            "Repeat purchase rate: purchases per unique customer.",
            "Acquisti per cliente: quante volte in media un cliente ha comprato nel periodo.",
        ),
        formula=Text("rate = purchases / unique customers", "acquisti per cliente = acquisti / clienti distinti"),
        source=cite("002"),
        example=(200.0, 80.0),
        example_result=2.5,
        extra_help=Text(
            "REPEAT_RATE(customer_ids) with one range: orders / distinct customers (empty cells skipped).",
            "REPEAT_RATE(codici cliente) con un solo intervallo: ordini / clienti distinti (celle vuote ignorate).",
        ),
        evaluator=one_range_evaluator,
    ),
    ExcelFunction(
        name="CUSTOMER_VALUE",
        compute=core.customer_value,
        arguments=(
            _APV,
            argument(
                "repeat_rate",
                "Purchases per customer in the period.",
                "Acquisti per cliente nel periodo.",
            ),
        ),
        summary=Text("Value of a customer in a period.", "Valore di un cliente in un periodo."),
        formula=Text("customer value = APV × repeat rate", "valore del cliente = APV × acquisti per cliente"),
        source=cite("002"),
        example=(250.0, 2.5),
        example_result=625.0,
    ),
    ExcelFunction(
        name="CAC",
        compute=core.cac,
        arguments=(
            argument(
                "acquisition_spend",
                "Marketing and sales spend of the period, €, including prospects that did not convert.",
                "Spesa di marketing e vendite del periodo, €, compresa quella per i contatti che non sono "
                "diventati clienti.",
            ),
            argument("new_customers", "Customers won in the period.", "Clienti acquisiti nel periodo."),
        ),
        summary=Text("Customer acquisition cost.", "Costo di acquisizione del cliente."),
        formula=Text("CAC = acquisition spend / new customers", "CAC = spesa di acquisizione / nuovi clienti"),
        source=cite("000", "001"),
        example=(20000.0, 20.0),
        example_result=1000.0,
    ),
    ExcelFunction(
        name="LIFESPAN",
        compute=core.lifespan_from_churn,
        arguments=(
            argument(
                "churn_rate",
                "Share of customers lost per year, above 0 and at most 1.",
                "Quota di clienti persi all'anno, maggiore di 0 e al massimo 1.",
            ),
        ),
        summary=Text(
            "Average customer lifespan in years from a yearly churn rate.",
            "Durata media del cliente in anni da un tasso di abbandono annuo.",
        ),
        formula=Text("lifespan = 1 / churn", "durata = 1 / tasso di abbandono"),
        source=Text(
            "Constant churn; the lifespan as defined by " + cite("002").en + ".",
            "Abbandono costante; la durata come la definisce " + cite("002").it + ".",
        ),
        example=(0.25,),
        example_result=4.0,
    ),
    ExcelFunction(
        name="CLV_RETENTION",
        compute=core.clv_retention,
        arguments=(
            argument(
                "margin",
                "Margin per customer per period, €.",
                "Margine per cliente per periodo, €.",
            ),
            argument(
                "retention",
                "Share of customers kept from one period to the next, 0 to 1.",
                "Quota di clienti mantenuti da un periodo al successivo, da 0 a 1.",
            ),
            argument(
                "discount_rate",
                "Discount rate per period. Default 0.",
                "Tasso di attualizzazione per periodo. Se omesso vale 0.",
                0.0,
            ),
        ),
        summary=Text(
            "Infinite-horizon CLV with a constant retention rate.",
            "CLV su orizzonte infinito con tasso di fidelizzazione costante.",
        ),
        formula=Text("CLV = margin × r / (1 + d − r)", "CLV = margine × r / (1 + d − r)"),
        source=Text(
            "Gupta and Lehmann (2003), margin multiple.", "Gupta e Lehmann (2003), moltiplicatore del margine."
        ),
        example=(100.0, 0.8, 0.1),
        example_result=800.0 / 3.0,
    ),
    ExcelFunction(
        name="PLV",
        compute=core.prospect_value,
        arguments=(
            argument(
                "conversion_rate",
                "Share of prospects that become customers, 0 to 1.",
                "Quota dei potenziali clienti (prospect) che diventano clienti, da 0 a 1.",
            ),
            argument(
                "value_per_customer",
                "Lifetime value of a converted customer, €.",
                "Valore nel tempo di un potenziale cliente che diventa cliente, €.",
            ),
            argument(
                "cost_per_prospect",
                "Acquisition spend per prospect, converted or not, €.",
                "Spesa di acquisizione per potenziale cliente, che diventi cliente o no, €.",
            ),
        ),
        summary=Text(
            "Prospect lifetime value: what one prospect of a campaign is worth.",
            "Valore del potenziale cliente (prospect lifetime value): quanto vale un contatto di una campagna.",
        ),
        formula=Text(
            "PLV = conversion × value − cost per prospect",
            "PLV = conversione × valore − costo per potenziale cliente",
        ),
        source=cite("001"),
        example=(0.05, 30000.0, 100.0),
        example_result=1400.0,
    ),
    ExcelFunction(
        name="LTV_CAC",
        compute=core.ltv_cac_ratio,
        arguments=(
            argument(
                "clv_gross",
                "Lifetime value before the acquisition cost, €.",
                "Valore nel tempo prima del costo di acquisizione, €.",
            ),
            _CAC,
        ),
        summary=Text(
            "Lifetime value to acquisition cost ratio (3 or more is healthy).",
            "Rapporto tra valore del cliente e costo di acquisizione (buono se pari ad almeno 3).",
        ),
        formula=Text("LTV:CAC = CLV gross / CAC", "LTV:CAC = CLV lordo / CAC"),
        source=cite("002"),
        example=(30000.0, 1000.0),
        example_result=30.0,
    ),
    ExcelFunction(
        name="CAC_PAYBACK",
        compute=core.cac_payback,
        arguments=(
            _CAC,
            argument(
                "margin_per_period",
                "Margin a customer brings per period (month or year), €.",
                "Margine portato da un cliente per periodo (mese o anno), €.",
            ),
        ),
        summary=Text(
            "Periods needed to earn the acquisition cost back.",
            "Periodi necessari per recuperare il costo di acquisizione.",
        ),
        formula=Text("payback = CAC / margin per period", "periodi di recupero = CAC / margine per periodo"),
        source=cite("002"),
        example=(1000.0, 250.0),
        example_result=4.0,
    ),
)
