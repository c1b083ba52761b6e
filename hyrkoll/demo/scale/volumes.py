"""How many needs each region registers each month: in proportion to its hired cost in the demo's
calibrated history (``hyrkoll.demo.costs``), so the north orders far more per inhabitant than the
metropolitan regions and every region follows the national rise to 2023 and the fall after it."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from hyrkoll.demo.costs import cost_rows
from hyrkoll.demo.data import REGION_POPULATION

FIRST_YEAR, LAST_YEAR = 2016, 2025


def monthly_volumes(seed: int, total: int) -> list[tuple[datetime.date, str, int]]:
    """``[(month, region code, needs)]`` in time order, adding up to exactly ``total``."""
    hired: dict[tuple[datetime.date, str], float] = defaultdict(float)
    end = datetime.date(LAST_YEAR + 1, 1, 1)
    for row in cost_rows(random.Random(f"{seed}-costs"), sorted(REGION_POPULATION), end):
        if row.cost_type == "hired" and row.period.year >= FIRST_YEAR:
            hired[(row.period, row.region_code)] += float(row.amount_sek)
    keys = sorted(hired)
    national = sum(hired.values())
    exact = [total * hired[key] / national for key in keys]
    counts = [int(value) for value in exact]
    # Largest remainders take the needs rounding left over.
    order = sorted(range(len(keys)), key=lambda index: exact[index] - counts[index], reverse=True)
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return [(month, code, count) for (month, code), count in zip(keys, counts, strict=True) if count]
