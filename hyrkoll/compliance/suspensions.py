"""Whether a supplier is suspended on a day. A leaf module (models only), so the ordering
workflow can ask it without importing the compliance services, which build on the workflow."""

from __future__ import annotations

import datetime
from typing import Any

from hyrkoll.compliance.models import Suspension


def is_suspended(supplier: Any, on: datetime.date) -> bool:
    supplier_id = supplier if isinstance(supplier, int) else supplier.pk
    return Suspension.objects.in_force(on).filter(supplier_id=supplier_id).exists()


def suspended_supplier_ids(on: datetime.date) -> set[int]:
    return set(Suspension.objects.in_force(on).values_list("supplier_id", flat=True))
