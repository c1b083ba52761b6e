"""The stored supplier entries (``SupplierCostMonth``) read back as rows – the grain the tests have
always asserted: one per supplier, profession and care area, its amount the sum of its units'."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hyrkoll.followup.models import SupplierCostMonth


@dataclass(frozen=True)
class SupplierRow:
    region_code: str
    period: datetime.date
    supplier_org_no: str
    profession: str
    care_area: str
    amount_sek: Decimal
    units: dict[str, str] = field(hash=False)
    cost_import_id: int


def supplier_rows(**filters: Any) -> list[SupplierRow]:
    """The rows of the stored months matching ``filters`` (on ``SupplierCostMonth``), sorted by
    region, month, supplier, profession and care area."""
    grouped: dict[tuple, dict[str, str]] = {}
    months = SupplierCostMonth.objects.filter(**filters).values_list(
        "region__code", "period", "cost_import_id", "entries"
    )
    for code, period, cost_import_id, entries in months:
        for org_no, profession, care_area, units in entries:
            key = (code, period, org_no, profession, care_area, cost_import_id)
            assert key not in grouped, f"an entry twice in one month: {key}"
            assert units, f"an entry without units: {key}"
            grouped[key] = units
    return [
        SupplierRow(code, period, org_no, profession, area, sum(map(Decimal, units.values()), Decimal(0)),
                    units, cost_import_id)
        for (code, period, org_no, profession, area, cost_import_id), units in sorted(grouped.items())
    ]  # fmt: skip
