"""A synthetic cost ledger for the follow-up benchmark: ten years of ledger lines for all 21 regions.

The monthly totals follow the demo calibration (``hyrkoll.demo.costs``: national hired cost a few
bn SEK a year, own personnel cost ~130–190 bn), plus internal-pool and overtime cost; each monthly
total of a key (region × month × cost type × profession × care area) is split into many ledger
lines – invoices for hired staff, salary postings per cost centre for the rest – with a unit
(cost-centre code) on every line and a supplier's organisation number on every hired line. About
1.5 % of the lines are negative corrections; every key still adds up to its (positive) total.

Everything comes from one seed, so the file is the same on every run. Lines are written as they are
made, one region-month at a time: memory stays small however many lines are asked for.

Standalone: ``python -m bench.ledger out.csv [lines]``.
"""

from __future__ import annotations

import datetime
import random
import sys
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from hyrkoll.demo.costs import cost_rows
from hyrkoll.demo.data import REGION_POPULATION
from hyrkoll.lib.orgno import with_check_digit

SEED = 2026
FIRST_YEAR, LAST_YEAR = 2016, 2025
TARGET_LINES = 2_100_000
HEADER = "region,period,cost_type,profession,care_area,amount_sek,supplier_org_no,unit\n"
SUPPLIERS = 50
CORRECTION_RATE = 0.015
# Part of all lines per cost type (hired: one line per invoice; the rest: postings per cost centre).
LINE_SHARE = {"hired": 0.42, "own": 0.42, "internal_pool": 0.07, "overtime": 0.09}
AREA_LETTER = {"primary": "P", "psychiatry": "Y", "somatic": "S"}
# How many suppliers a region buys from, per profession.
SUPPLIERS_PER_REGION = {"doctor": (6, 14), "nurse": (5, 12), "other": (2, 5)}


@dataclass
class LedgerStats:
    lines: int = 0
    keys: int = 0
    hired_lines: int = 0
    corrections: int = 0
    bytes: int = 0
    # öre per (year, cost type)
    totals: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))

    def national_bn(self, year: int, cost_type: str) -> float:
        return self.totals[(year, cost_type)] / 100 / 1e9


def _sek(ore: int) -> str:
    sign, ore = ("-", -ore) if ore < 0 else ("", ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"


def _split(rng: random.Random, total: int, count: int) -> list[int]:
    """``total`` öre in ``count`` parts of varied size, a few of them negative corrections; the
    parts add up to exactly ``total``."""
    if count <= 1:
        return [total]
    weights = [rng.random() + 0.05 for _ in range(count)]
    scale = total / sum(weights)
    parts = [int(weight * scale) for weight in weights]
    parts[-1] += total - sum(parts)
    if count > 2:
        for index in range(count - 1):
            if rng.random() < CORRECTION_RATE and parts[index] > 0:
                # A reversed posting: the line turns negative and another line carries it twice.
                other = rng.randrange(count)
                if other != index:
                    parts[other] += 2 * parts[index]
                    parts[index] = -parts[index]
    return parts


def _monthly_rows(rng: random.Random, first: datetime.date, last: datetime.date) -> dict:
    """{(region, month): [(cost type, profession, care area, öre), ...]} from the demo calibration,
    with internal-pool and overtime cost beside own cost (a small part of it, per care area)."""
    result: dict[tuple[str, datetime.date], list[tuple[str, str, str, int]]] = defaultdict(list)
    codes = sorted(REGION_POPULATION)
    end = datetime.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    for row in cost_rows(rng, codes, end):
        if row.period < first:
            continue
        ore = int(row.amount_sek * 100)
        bucket = result[(row.region_code, row.period)]
        bucket.append((row.cost_type, row.profession, row.care_area, ore))
        if row.cost_type == "own":
            growth = 1 + (row.period.year - first.year) * 0.08  # the pools grow as hired falls
            bucket.append(("internal_pool", "", row.care_area, int(ore * 0.012 * growth)))
            bucket.append(("overtime", "", row.care_area, int(ore * rng.uniform(0.015, 0.022))))
    return result


def _suppliers(rng: random.Random) -> list[str]:
    numbers: set[str] = set()
    while len(numbers) < SUPPLIERS:
        numbers.add(with_check_digit(f"55{rng.choice('69')}{rng.randrange(10**6):06d}"))
    return sorted(numbers)


def _picker(rng: random.Random, items: list[str]):
    """A weighted (Zipf-like) chooser over ``items``: the first ones get most of the lines."""
    cumulative = list(accumulate(1 / (rank + 1) for rank in range(len(items))))
    top = cumulative[-1]
    random_ = rng.random

    def pick() -> str:
        return items[min(bisect(cumulative, random_() * top), len(items) - 1)]

    return pick


def write_ledger(
    path: Path,
    *,
    seed: int = SEED,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    target_lines: int = TARGET_LINES,
) -> LedgerStats:
    """Write the ledger CSV (canonical columns, supplier_org_no and unit) to ``path``."""
    rng = random.Random(seed)
    first, last = datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 1)
    monthly = _monthly_rows(rng, first, last)
    type_totals: dict[str, int] = defaultdict(int)
    for rows in monthly.values():
        for cost_type, _profession, _area, ore in rows:
            type_totals[cost_type] += ore
    # Öre per line for each cost type, so the lines come out near target_lines in all.
    per_line = {
        cost_type: total / (target_lines * LINE_SHARE[cost_type]) for cost_type, total in type_totals.items()
    }
    pool = _suppliers(rng)
    units: dict[tuple[str, str], list[str]] = {}
    supplier_pick = {}
    unit_pick = {}
    for code, population in sorted(REGION_POPULATION.items()):
        for area, letter in AREA_LETTER.items():
            count = max(6, population // 20)
            units[(code, area)] = [f"K{code}{letter}{number:04d}" for number in range(1, count + 1)]
            unit_pick[(code, area)] = _picker(rng, rng.sample(units[(code, area)], count))
        for profession, (low, high) in SUPPLIERS_PER_REGION.items():
            supplier_pick[(code, profession)] = _picker(rng, rng.sample(pool, rng.randint(low, high)))

    stats = LedgerStats()
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for (code, period), rows in sorted(monthly.items()):
            month_text = f"{period:%Y-%m}"
            lines: list[str] = []
            for cost_type, profession, area, ore in rows:
                stats.keys += 1
                stats.totals[(period.year, cost_type)] += ore
                count = max(1, round(ore / per_line[cost_type] * rng.uniform(0.7, 1.3)))
                prefix = f"{code},{month_text},{cost_type},{profession},{area},"
                pick_unit = unit_pick[(code, area)]
                parts = _split(rng, ore, count)
                stats.corrections += sum(1 for part in parts if part < 0)
                if cost_type == "hired":
                    pick_supplier = supplier_pick[(code, profession)]
                    lines += [f"{prefix}{_sek(part)},{pick_supplier()},{pick_unit()}\n" for part in parts]
                    stats.hired_lines += len(parts)
                else:
                    lines += [f"{prefix}{_sek(part)},,{pick_unit()}\n" for part in parts]
            rng.shuffle(lines)  # a ledger lists a month's lines by voucher, not by key
            stats.lines += len(lines)
            out.write("".join(lines))
    stats.bytes = path.stat().st_size
    return stats


if __name__ == "__main__":
    target = Path(sys.argv[1])
    result = write_ledger(target, target_lines=int(sys.argv[2]) if len(sys.argv) > 2 else TARGET_LINES)
    print(f"{target}: {result.lines:,} lines, {result.keys:,} keys, {result.bytes / 1e6:.0f} MB")
