"""The report's formulas against the core, recalculated by LibreOffice as a user's spreadsheet would.

On the hand table, the sample orders (segments, a forecast, Italian) and the CDNOW orders
(23,570 customers, CAC 0 as the command line's default), written once per session
(tests/report/conftest.py):

1. Every formula cell of every sheet recalculates (LibreOffice headless, recalculation
   on load) to the value the file caches, which is the core's figure. Fails when a
   formula and its Python figure disagree: a wrong reference, a formula changed on one
   side only, a row number off by one.
2. A user types new assumptions into the written report (CAC, margin, yearly churn),
   LibreOffice recalculates, and every formula cell equals what the core computes for
   the new assumptions (the cached value of a report made with them). Fails when a
   figure that depends on an assumption is a constant, or follows it wrongly.
3. The discount rate changed: the CLV chain, the segments' CLV and the what-if follow;
   the forecast (computed when the report was made) stays, and the first sheet says so.
"""

from __future__ import annotations

import pytest
from report_files import defined_name, formulas, same, values
from report_set import ReportSet

from clv_xl.report.sheet_layout import SHEETS

pytestmark = pytest.mark.libreoffice


def _mismatches(cells: dict[tuple[str, str], str], got: dict, expected: dict) -> list[str]:
    return [
        f"{sheet}!{cell} {cells[(sheet, cell)]}: {got[(sheet, cell)]!r} != {expected[(sheet, cell)]!r}"
        for sheet, cell in cells
        if not same(got[(sheet, cell)], expected[(sheet, cell)])
    ]


@pytest.mark.parametrize("case", ["hand", "sample", "cdnow", "cdnow_cac", "awkward"])
def test_every_formula_recalculates_to_the_cores_figure(recalculated_set: ReportSet, case: str) -> None:
    written = recalculated_set.written[case]
    cells = formulas(written)
    assert len(cells) > 40
    recalculated = values(recalculated_set.recalculated[case], list(cells))
    assert _mismatches(cells, recalculated, values(written, list(cells))) == []


@pytest.mark.parametrize("case", ["hand", "sample", "cdnow"])
def test_changed_assumptions_give_the_cores_figures(recalculated_set: ReportSet, case: str) -> None:
    written, expected_file = recalculated_set.written[case], recalculated_set.expected[case]
    cells = formulas(written)
    assert formulas(expected_file) == cells  # the same formulas in the same places, whatever the assumptions
    got = values(recalculated_set.recalculated[f"{case}_edited"], list(cells))
    expected = values(expected_file, list(cells))
    assert _mismatches(cells, got, expected) == []
    # and the figures really moved: the CLV is not the one written
    clv = defined_name(written, "Report_CLV")
    assert not same(got[clv], values(written, [clv])[clv])


def test_a_new_discount_rate_moves_the_clv_not_the_forecast(recalculated_set: ReportSet) -> None:
    written = recalculated_set.written["sample"]
    cells = formulas(written)
    got = values(recalculated_set.recalculated["sample_discount_edited"], list(cells))
    expected = values(recalculated_set.expected["sample_discount"], list(cells))
    before = values(written, list(cells))
    clv, segment_clv, predicted = (
        defined_name(written, name) for name in ("Report_CLV", "Report_SegmentCLV", "Report_PredictedValue")
    )
    assert same(got[clv], expected[clv]) and not same(got[clv], before[clv])
    assert same(got[segment_clv], expected[segment_clv])
    what_if = [a for a, f in cells.items() if a[0] == SHEETS["report"].it and ("*0.8" in f or "*1.2" in f)]
    assert len(what_if) == 10 and all(same(got[a], expected[a]) for a in what_if)
    assert same(got[predicted], before[predicted])  # the forecast was discounted when the report was made
    warnings = [v for v in got.values() if isinstance(v, str) and v.startswith("La previsione usa il tasso")]
    assert warnings == [
        "La previsione usa il tasso di attualizzazione di quando è stato creato il rapporto (8 %): crealo di nuovo "
        "per usare il nuovo tasso."
    ]
    assert not [v for v in before.values() if isinstance(v, str) and v.startswith("La previsione usa il tasso")]
