"""The figures, hand-computed from ``spend`` (conftest), region A (14), 2025-01 – 2025-06.

Counted (approved, on an assignment, first day in the period), SEK:

====  =========  ==============  ======================  ========  ======  =====
line  who        unit            level                   amount    kind    hours
====  =========  ==============  ======================  ========  ======  =====
A-1   Anna (A)   A-3             specialist A            120 000   hours   100
A-1   Anna (A)   A-3             specialist A              5 000   on call  (10)
A-1   Anna (A)   A-3             specialist A             60 000   hours    50
B-1   Cecilia    C-3 (nurse)     nurse high               40 000   hours    40
B-1   Bertil     C-3             licensed/ST              75 000   hours    80
====  =========  ==============  ======================  ========  ======  =====

Total 300 000 SEK and 270 hours. Not counted: a line of 2024-12 (10 000, in Anna's 12 months), a
line without an assignment (7 777), an invoice still to check (99 999), a rejected one (88 888),
a line of July (55 555) and region B's 50 000.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from hyrkoll.assignments.models import Assignment, AssignmentStatus
from hyrkoll.followup.indicators import Period
from hyrkoll.spending import analysis
from hyrkoll.spending.analysis import stretches
from hyrkoll.spending.tests.conftest import PERIOD, make_assignment, make_invoice

D = datetime.date


def rows(groups: list[analysis.Group]) -> list[tuple[str, str, int, int, str]]:
    return [(g.label, g.detail, int(g.cost_sek), int(g.hours), str(g.share_pct)) for g in groups]


def test_hired_cost_by_each_dimension(spend: dict[str, Any]) -> None:
    result = analysis.compute(spend["region_a"], PERIOD)
    assert (result.total_sek, result.total_hours) == (Decimal(300_000), Decimal(270))
    assert rows(result.groups["unit"]) == [
        ("Vårdcentral A", "A-3", 185_000, 150, "61.67"),
        ("Vårdcentral C", "C-3", 115_000, 120, "38.33"),
    ]
    assert rows(result.groups["profession"]) == [
        ("Läkare", "", 260_000, 230, "86.67"),
        ("Sjuksköterska", "", 40_000, 40, "13.33"),
    ]
    assert rows(result.groups["level"]) == [
        ("Specialistläkare grupp A", "", 185_000, 150, "61.67"),
        ("Legitimerad läkare / ST-läkare", "", 75_000, 80, "25.00"),
        ("Sjuksköterska hög", "", 40_000, 40, "13.33"),
    ]
    assert rows(result.groups["supplier"]) == [
        ("Bemanning A AB", "556677-8899", 185_000, 150, "61.67"),
        ("Bemanning B AB", "556000-0001", 115_000, 120, "38.33"),
    ]


def test_the_unit_index_is_the_share_over_the_average_share(spend: dict[str, Any]) -> None:
    """Two units with cost: the average share is 50 %; A-3's 61.67 % is 1.23 times that."""
    result = analysis.compute(spend["region_a"], PERIOD)
    assert [(row.code, row.share_pct, row.index) for row in result.unit_index] == [
        ("A-3", Decimal("61.67"), Decimal("1.23")),
        ("C-3", Decimal("38.33"), Decimal("0.77")),
    ]


def test_the_index_keeps_the_ten_highest_and_ignores_units_without_cost() -> None:
    units = [analysis.Group(f"U{i}", f"U{i}", Decimal(i * 100), Decimal(0), None) for i in range(12)]
    top = analysis.unit_index(units)
    assert len(top) == 10 and top[0].code == "U11" and top[-1].code == "U2"
    # Eleven units with cost (U0 has none): the average is 600; U11 has 1 100.
    assert top[0].index == Decimal("1.83")


def test_stays_merge_the_consultants_assignments_at_a_unit(spend: dict[str, Any]) -> None:
    """Anna: 1 Jan – 31 Mar and 8 Apr – 30 Jun at A-3, 7 days apart: one stretch of 181 days, 174
    days on assignment. Her cancelled assignment at C-3 never began. Cost over 2024-07 – 2025-06:
    120 000 + 5 000 + 60 000 + 10 000 (December)."""
    stays = analysis.compute(spend["region_a"], PERIOD).stays
    assert [
        (s.consultant, s.unit_code, s.supplier, s.assignments, s.total_days, s.longest_days,
         s.first_start, s.last_end, int(s.cost_12m_sek))
        for s in stays
    ] == [
        ("Anna Andersson", "A-3", "Bemanning A AB", 2, 174, 181, D(2025, 1, 1), D(2025, 6, 30), 195_000),
        ("Bertil Berg", "C-3", "Bemanning B AB", 1, 92, 92, D(2025, 3, 1), D(2025, 5, 31), 75_000),
        ("Cecilia Carlsson", "C-3", "Bemanning B AB", 1, 28, 28, D(2025, 2, 1), D(2025, 2, 28), 40_000),
    ]  # fmt: skip


def test_the_stays_cost_is_the_twelve_months_up_to_the_periods_end(spend: dict[str, Any]) -> None:
    """Ending in December 2025: 2025-01 – 2025-12, so July's 55 555 counts and December 2024's not."""
    stays = analysis.compute(spend["region_a"], Period(D(2025, 6, 1), D(2025, 12, 1))).stays
    assert [(s.consultant, int(s.cost_12m_sek)) for s in stays] == [
        ("Anna Andersson", 120_000 + 5_000 + 60_000 + 55_555)
    ]  # Bertil and Cecilia had left before June
    assert analysis.compute(spend["region_a"], Period(D(2025, 7, 1), D(2025, 12, 1))).stays == []


def test_a_gap_of_seven_days_joins_a_stretch_and_eight_do_not(spend: dict[str, Any]) -> None:
    """Bertil at C-3 until 31 May, again from 8 June (7 days between) or 9 June (8 days)."""
    second = make_assignment(
        spend, spend["units_c"]["care_unit"], spend["consultant_b"], D(2025, 6, 8), D(2025, 6, 30)
    )
    bertil = next(s for s in analysis.stays(spend["region_a"], PERIOD) if s.consultant == "Bertil Berg")
    assert (bertil.assignments, bertil.longest_days, bertil.total_days) == (2, 122, 92 + 23)
    Assignment.objects.filter(pk=second.pk).update(starts_on=D(2025, 6, 9))
    bertil = next(s for s in analysis.stays(spend["region_a"], PERIOD) if s.consultant == "Bertil Berg")
    assert (bertil.assignments, bertil.longest_days, bertil.total_days) == (2, 92, 92 + 22)


def test_a_cancelled_assignment_counts_until_the_day_before_it_took_effect(spend: dict[str, Any]) -> None:
    Assignment.objects.filter(pk=spend["a4"].pk).update(
        status=AssignmentStatus.CANCELLED, cancelled_from=D(2025, 4, 1)
    )
    bertil = next(s for s in analysis.stays(spend["region_a"], PERIOD) if s.consultant == "Bertil Berg")
    assert (bertil.longest_days, bertil.last_end) == (31, D(2025, 3, 31))


def test_stretches() -> None:
    jan = (D(2025, 1, 1), D(2025, 1, 31))
    assert stretches([jan, (D(2025, 2, 1), D(2025, 2, 28))]) == [(D(2025, 1, 1), D(2025, 2, 28))]  # touching
    assert stretches([(D(2025, 2, 8), D(2025, 2, 28)), jan]) == [(D(2025, 1, 1), D(2025, 2, 28))]  # 7 days
    assert len(stretches([jan, (D(2025, 2, 9), D(2025, 2, 28))])) == 2  # 8 days between
    assert stretches([jan, (D(2025, 1, 15), D(2025, 3, 1))]) == [(D(2025, 1, 1), D(2025, 3, 1))]  # overlap
    assert stretches([(D(2025, 1, 1), D(2025, 3, 31)), jan]) == [(D(2025, 1, 1), D(2025, 3, 31))]  # inside
    # Without gaps (the days on assignment): a day between keeps them apart.
    assert len(stretches([jan, (D(2025, 2, 2), D(2025, 2, 28))], gap_days=0)) == 2
    assert stretches([]) == []


def test_another_regions_figures_never_appear(spend: dict[str, Any]) -> None:
    b = analysis.compute(spend["region_b"], PERIOD)
    assert rows(b.groups["unit"]) == [("Vårdcentral B", "B-3", 50_000, 40, "100.00")]
    assert rows(b.groups["supplier"]) == [("Bemanning C AB", "556000-0019", 50_000, 40, "100.00")]
    assert [s.consultant for s in b.stays] == ["Doris Dahl"]
    a = analysis.compute(spend["region_a"], PERIOD)
    assert "Doris Dahl" not in [s.consultant for s in a.stays]
    assert "Bemanning C AB" not in [g.label for g in a.groups["supplier"]]


def test_an_invoice_of_region_a_naming_region_bs_assignment_is_not_counted(spend: dict[str, Any]) -> None:
    make_invoice("X-1", [(spend["b1"], D(2025, 2, 3), 1_000, 8)], region=spend["region_a"])
    assert analysis.compute(spend["region_a"], PERIOD).total_sek == Decimal(300_000)


def test_no_approved_invoices_in_the_period(spend: dict[str, Any]) -> None:
    result = analysis.compute(spend["region_a"], Period(D(2023, 1, 1), D(2023, 6, 1)))
    assert not result.has_cost and result.total_sek == 0 and result.unit_index == []
