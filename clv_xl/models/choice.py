"""Which purchase model to use on a list of orders, by a stated rule, and why.

The rule (:data:`CHOICE_RULE`):

1. a model the user names is used;
2. otherwise each of BG/NBD, MBG/NBD and Pareto/NBD is fitted on all the orders, and
   when the orders span enough time for a check (:func:`clv_xl.models.holdout.default_holdout`:
   at least 8 weeks; the holdout is half the span, at most a year) the model with the
   smallest mean absolute error per customer on the holdout is chosen: each model is
   fitted on the orders before the holdout and predicts each customer's purchases in
   it (:func:`clv_xl.models.holdout.holdout_check`);
3. when the orders span too little time, or no model could be checked, the model with
   the lowest BIC on all the orders (with four parameters each, the highest likelihood);
4. a model that cannot be fitted (too few customers, no convergence) is left out, and
   the reason says so.

On a large base (more than :data:`CHOICE_SAMPLE` customers) the holdout check of step
2 is made on a random sample of :data:`CHOICE_SAMPLE` customers, with all their orders:
the check compares three models, and tens of thousands of customers decide that
comparison as well as all of them would (the errors per customer are averages), in a
fraction of the time. The sample is drawn with a fixed seed from the customers in id
order, so the same orders always give the same sample and the same choice; the chosen
model is then fitted on ALL the customers, and the reason names the sample.

The holdout error measures what the report uses a model for, predicting each
customer's next purchases; on CDNOW (23,570 customers, weeks) it chooses Pareto/NBD
(0.743 purchases per customer, against 0.752 for MBG/NBD and 0.784 for BG/NBD).

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "Counting Your Customers
   the Easy Way", Marketing Science 24(2), section 4 (the holdout check).
.. [2] Schwarz, G. (1978), "Estimating the Dimension of a Model", Annals of
   Statistics 6(2), 461-464 (BIC).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from clv_xl.core.checks import customer_keys
from clv_xl.core.summaries import TIME_UNIT_NAMES, TimeUnit, customer_summary
from clv_xl.errors import ClvError, ExcelErrorCode
from clv_xl.i18n import LANGUAGES, Language, Text, message, number_text
from clv_xl.models.holdout import HoldoutCheck, default_holdout, holdout_check
from clv_xl.models.purchase_models import MODEL_KEYS, PURCHASE_MODELS, ModelKey, PurchaseParams, bic

__all__ = [
    "CHOICE_RULE",
    "CHOICE_SAMPLE",
    "CHOICE_SAMPLE_SEED",
    "Candidate",
    "ChoiceRule",
    "ModelChoice",
    "choose_purchase_model",
    "sample_customers",
]

#: On a base of more customers than this, the holdout check is made on a sample of this many.
CHOICE_SAMPLE = 25_000
#: The seed of that sample: the same orders always give the same sample.
CHOICE_SAMPLE_SEED = 20261202

#: How the model was chosen: named by the user, smallest holdout error, lowest BIC, only one fitted.
ChoiceRule = Literal["given", "holdout", "bic", "only"]

#: The rule in words, for the report and the help texts.
CHOICE_RULE = Text(
    "The purchase model is the one you choose; otherwise, of BG/NBD, MBG/NBD and Pareto/NBD, the one with the "
    "smallest mean error per customer when it predicts the last part of the orders (half the time they span, at "
    "most a year) from the orders before it; when the orders span less than 8 weeks, the one with the lowest BIC "
    f"on all the orders. With more than {CHOICE_SAMPLE:,} customers the check is made on a fixed sample of "
    f"{CHOICE_SAMPLE:,} of them (always the same for the same orders), and the chosen model is then fitted on all. "
    "A model that cannot be fitted is left out, and the reason says so.",
    "Il modello di acquisto è quello che scegli; altrimenti, tra BG/NBD, MBG/NBD e Pareto/NBD, quello con il "
    "minore errore medio per cliente quando prevede l'ultima parte degli ordini (metà del tempo che coprono, al "
    "massimo un anno) partendo dagli ordini precedenti; se gli ordini coprono meno di 8 settimane, quello con il "
    f"BIC più basso su tutti gli ordini. Con più di {number_text(CHOICE_SAMPLE).it} clienti la verifica si fa su "
    f"un campione fisso di {number_text(CHOICE_SAMPLE).it} clienti (sempre lo stesso per gli stessi ordini), e il "
    "modello scelto è poi stimato su tutti. Un modello che non è possibile stimare viene escluso, e la "
    "motivazione lo dice.",
)


@dataclass(frozen=True)
class Candidate:
    """One purchase model as the choice saw it.

    Attributes
    ----------
    key, name
        The model.
    params
        Its parameters fitted on all the orders; None when the fit failed, or when a
        holdout check chose another model (then only the chosen one is fitted on all
        the orders).
    problem
        Why it could not be fitted on all the orders, else None.
    bic
        Its BIC on all the orders (NaN when not fitted on them).
    holdout_mae
        Its mean absolute error per customer in the holdout check (NaN without a check,
        or when it could not be fitted on the calibration period).
    holdout_problem
        Why it could not be fitted on the calibration period of the check, else None.
    """

    key: ModelKey
    name: str
    params: PurchaseParams | None
    problem: ClvError | None
    bic: float
    holdout_mae: float
    holdout_problem: ClvError | None = None


@dataclass(frozen=True)
class ModelChoice:
    """The purchase model chosen for a list of orders, and why.

    Attributes
    ----------
    key, name, params
        The chosen model and its parameters fitted on ALL the orders.
    rule
        Which step of the rule decided (see :data:`ChoiceRule`).
    reason
        One sentence in both languages: the model and the figures that chose it.
    candidates
        Every model considered, in the order BG/NBD, MBG/NBD, Pareto/NBD.
    check
        The holdout check when one was made, else None.
    sample
        The customers of the sample the check was made on, when it was made on a
        sample (a base of more than :data:`CHOICE_SAMPLE` customers), else None.
    """

    key: ModelKey
    name: str
    params: PurchaseParams
    rule: ChoiceRule
    reason: Text
    candidates: tuple[Candidate, ...]
    check: HoldoutCheck | None
    sample: int | None = None


def _both(key: str, **params: object) -> Text:
    en, it = (message(key, language, **params) for language in LANGUAGES)
    return Text(en, it)


def _figures(candidates: list[Candidate], value: str, decimals: int, *, problems_only: bool = False) -> Text:
    """``Pareto/NBD 0.743; MBG/NBD 0.752; BG/NBD: the fit did not converge ...``, best first (or the problems only)."""
    ranked = sorted(candidates, key=lambda c: (math.isnan(getattr(c, value)), getattr(c, value)))
    parts: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for candidate in ranked:
        figure = getattr(candidate, value)
        problem = candidate.problem or (candidate.holdout_problem if value == "holdout_mae" else None)
        for language in LANGUAGES:
            if problem is not None:
                reason = _problem_text(problem, language)
                named = reason.startswith(candidate.name)  # most messages name the model already
                parts[language].append(reason if named else f"{candidate.name}: {reason}")
            elif not math.isnan(figure) and not problems_only:
                parts[language].append(f"{candidate.name} {number_text(figure, decimals)(language)}")
    return Text("; ".join(parts["en"]), "; ".join(parts["it"]))


def _problem_text(problem: ClvError, language: Language) -> str:
    """Why a model could not be fitted, without the advice to set a penalizer (the choice takes none)."""
    if problem.key == "model_not_converged":
        return message("model_not_converged_plain", language, **problem.params)
    return problem.message(language)


def choose_purchase_model(
    transactions: pd.DataFrame,
    *,
    time_unit: TimeUnit = "weeks",
    model: ModelKey | Literal["auto"] = "auto",
    holdout: int | None = None,
    observation_end: object = None,
    penalizer: float = 0.0,
    summary: pd.DataFrame | None = None,
    sample: int = CHOICE_SAMPLE,
) -> ModelChoice:
    """Choose the purchase model for ``transactions`` by :data:`CHOICE_RULE`, fitted on all of them.

    Parameters
    ----------
    transactions
        Columns ``customer_id``, ``date``, ``amount`` (as :func:`clv_xl.data.read_transactions`
        returns them).
    time_unit
        Periods of the summaries (default weeks).
    model
        ``"auto"`` (the rule) or the key of the model to use.
    holdout
        Length of the holdout in periods; default :func:`clv_xl.models.holdout.default_holdout`;
        0 skips the check (the lowest BIC decides: three fits instead of four, faster
        on large bases).
    observation_end
        End of the observed period (default: the day of the last order).
    penalizer
        L2 penalty of every fit.
    summary
        The :func:`clv_xl.core.summaries.customer_summary` of the transactions in
        ``time_unit`` up to ``observation_end``, when the caller has it already.
    sample
        With more customers than this, the holdout check is made on a sample of this
        many (:func:`sample_customers`); default :data:`CHOICE_SAMPLE`.

    Raises
    ------
    ClvError
        When no model can be fitted on all the orders (the reasons of each), the named
        model cannot be fitted, or a given holdout is invalid.
    """
    if summary is None:
        summary = customer_summary(transactions, time_unit=time_unit, observation_end=observation_end)
    columns = [summary[c].to_numpy(dtype="float64") for c in ("frequency", "recency", "T")]
    if model != "auto":
        chosen = PURCHASE_MODELS[model]
        params = chosen.fit(*columns, penalizer=penalizer)
        candidate = Candidate(model, chosen.name, params, None, bic(params), math.nan)
        return ModelChoice(
            model, chosen.name, params, "given", _both("choice_given", model=chosen.name), (candidate,), None
        )
    periods = (
        holdout
        if holdout is not None
        else default_holdout(transactions, time_unit=time_unit, observation_end=observation_end)
    )
    fitted: dict[ModelKey, tuple[PurchaseParams | None, ClvError | None]] = {}

    def fit_on_all(key: ModelKey) -> PurchaseParams | None:
        if key not in fitted:
            try:
                fitted[key] = (PURCHASE_MODELS[key].fit(*columns, penalizer=penalizer), None)
            except ClvError as error:
                fitted[key] = (None, error)
        return fitted[key][0]

    check = None
    checked_on = None
    best_key: ModelKey | None = None
    if periods:
        # the holdout's end is the end of ALL the orders, whichever customers are checked
        end = summary.attrs["observation_end"]
        orders = transactions
        if len(summary) > sample:
            orders, checked_on = sample_customers(transactions, sample), sample
        check = holdout_check(orders, holdout=periods, time_unit=time_unit, observation_end=end, penalizer=penalizer)
        # the smallest holdout error first; only the chosen model needs a fit on all the orders
        for result in sorted((r for r in check.models if r.problem is None), key=lambda r: r.mae):
            if fit_on_all(result.key) is not None:
                best_key = result.key
                break
    if best_key is None:
        for key in MODEL_KEYS:
            fit_on_all(key)
    results = {result.key: result for result in check.models} if check is not None else {}
    candidates = []
    for key in MODEL_KEYS:
        found, problem = fitted.get(key, (None, None))
        candidates.append(
            Candidate(
                key,
                PURCHASE_MODELS[key].name,
                found,
                problem,
                bic(found) if found is not None else math.nan,
                results[key].mae if key in results else math.nan,
                results[key].problem if key in results else None,
            )
        )
    ready = [c for c in candidates if c.params is not None]
    if not ready:
        raise ClvError(ExcelErrorCode.NUM, "model_none_fitted", reasons=_figures(candidates, "bic", 0))
    rule: ChoiceRule
    if best_key is not None:
        best = next(c for c in candidates if c.key == best_key)
        checked = [c for c in candidates if not math.isnan(c.holdout_mae)]
        rule = "holdout" if len(checked) > 1 else "only"
        text = "choice_holdout" if rule == "holdout" else "choice_only"
        errors = _figures(candidates, "holdout_mae", 3, problems_only=rule == "only")
        reason = _both(text, model=best.name, holdout=periods, unit=TIME_UNIT_NAMES[time_unit], errors=errors)
        if checked_on is not None:
            reason = _both(
                "choice_sample", reason=reason, sample=number_text(checked_on), customers=number_text(len(summary))
            )
    elif len(ready) == 1:
        best, rule = ready[0], "only"
        reason = _both("choice_only", model=best.name, errors=_figures(candidates, "bic", 1, problems_only=True))
    else:
        best, rule = min(ready, key=lambda c: c.bic), "bic"
        errors = _figures(candidates, "bic", 1)
        if check is None:
            reason = _both("choice_bic", model=best.name, errors=errors)
        else:  # the orders were long enough, but no model could be checked on them
            problems = _figures(candidates, "holdout_mae", 3, problems_only=True)
            unit = TIME_UNIT_NAMES[time_unit]
            reason = _both(
                "choice_bic_unchecked", model=best.name, errors=errors, holdout=periods, unit=unit, problems=problems
            )
    assert best.params is not None
    return ModelChoice(best.key, best.name, best.params, rule, reason, tuple(candidates), check, checked_on)


def sample_customers(transactions: pd.DataFrame, size: int, seed: int = CHOICE_SAMPLE_SEED) -> pd.DataFrame:
    """The orders of ``size`` customers drawn at random (without replacement), all their orders.

    The customers are drawn from the distinct ids in sorted order with a fixed seed:
    the same orders, in any row order, give the same sample. All the customers when
    there are no more than ``size``.
    """
    codes, ids = pd.factorize(customer_keys(transactions), sort=True)
    if len(ids) <= size:
        return transactions
    chosen = np.zeros(len(ids), dtype=bool)
    chosen[np.random.default_rng(seed).choice(len(ids), size, replace=False)] = True
    return transactions.loc[chosen[codes]]
