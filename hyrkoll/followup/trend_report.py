"""The Bemanningstrend report for a half-year or a quarter: its figures (``report_rows``) and its
summary in sentences, and the report's periods (``parse_half``, ``parse_quarter``, ``period_label``).

Permissions are the caller's business (``access.visible_region_codes``): ``bemanningstrend``
takes the regions to list and whether the national figures may be shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from hyrkoll.followup import figures_cache, indicators
from hyrkoll.followup.indicators import NATIONAL_TARGET_PCT, Period, months_between
from hyrkoll.followup.report_rows import (
    by_care_area,
    by_profession,
    comparison,
    meeting_codes,
    region_names,
    region_rows,
)

# --- periods ----------------------------------------------------------------------------------------------


def _year_and_part(text: str, parts: int) -> tuple[int, int]:
    year, _sep, part = text.strip().partition("-")
    if len(year) != 4 or not year.isdigit() or not part.isdigit() or not 1 <= int(part) <= parts:
        raise ValueError(f"{text!r}: expected YYYY-N with N from 1 to {parts}")
    return int(year), int(part)


def parse_half(text: str) -> Period:
    """``2025-1`` → January–June 2025; ValueError otherwise."""
    return Period.half_year(*_year_and_part(text, 2))


def parse_quarter(text: str) -> Period:
    """``2025-2`` → April–June 2025; ValueError otherwise."""
    return Period.quarter(*_year_and_part(text, 4))


def period_label(period: Period) -> str:
    """ "Half-year 1 2025", "Quarter 2 2025", else "2024-04 – 2025-03" (translated)."""
    start, end = period.start, period.end
    months = len(months_between(start, end))
    if start.year == end.year and months == 6 and start.month in (1, 7):
        return _("Half-year %(half)s %(year)s") % {"half": 1 if start.month == 1 else 2, "year": start.year}
    if start.year == end.year and months == 3 and start.month in (1, 4, 7, 10):
        return _("Quarter %(quarter)s %(year)s") % {"quarter": (start.month + 2) // 3, "year": start.year}
    return period.label


# --- the Bemanningstrend report ----------------------------------------------------------------------------


def _number(value: Decimal, decimals: int) -> str:
    exponent = Decimal(1).scaleb(-decimals)
    return formats.number_format(value.quantize(exponent, ROUND_HALF_UP), decimals, force_grouping=True)


def _signed(value: Decimal, decimals: int = 2) -> str:
    text = _number(abs(value), decimals)
    return f"+{text}" if value > 0 else (f"\u2212{text}" if value < 0 else text)


def _amount_sentence(national: dict[str, Any]) -> str:
    amount = _number(national["hired_sek"], 0)
    previous, difference = national["previous"]["hired_sek"], national["change"]["hired_pct"]
    if not previous or difference is None:
        return _(
            "Hired-staff cost was %(amount)s SEK. There are no figures for the same period last year."
        ) % {"amount": amount}
    values = {"amount": amount, "pct": _number(abs(difference), 2)}
    if national["change"]["hired_sek"] > 0:
        return (
            _(
                "Hired-staff cost rose by %(pct)s %% to %(amount)s SEK compared with the same period last year."
            )
            % values
        )
    if national["change"]["hired_sek"] < 0:
        return (
            _(
                "Hired-staff cost fell by %(pct)s %% to %(amount)s SEK compared with the same period last year."
            )
            % values
        )
    return _("Hired-staff cost was %(amount)s SEK, unchanged from the same period last year.") % values


def _share_sentence(national: dict[str, Any]) -> str | None:
    share, pp = national["share_pct"], national["change"]["share_pp"]
    if share is None:
        return None
    values = {"share": _number(share, 2), "pp": _number(abs(pp), 2) if pp is not None else ""}
    if pp is None:
        return _("Hired-staff cost was %(share)s %% of own personnel cost.") % values
    if pp > 0:
        return (
            _(
                "Hired-staff cost was %(share)s %% of own personnel cost, %(pp)s percentage points more "
                "than a year earlier."
            )
            % values
        )
    if pp < 0:
        return (
            _(
                "Hired-staff cost was %(share)s %% of own personnel cost, %(pp)s percentage points less "
                "than a year earlier."
            )
            % values
        )
    return _("Hired-staff cost was %(share)s %% of own personnel cost, the same as a year earlier.") % values


def _movement_sentences(rows: list[dict[str, Any]]) -> list[str]:
    """What rose and what fell, by profession and care area (the "not split" rows left out)."""

    def item(row: dict[str, Any]) -> str:
        if row["change_pct"] is None:
            return row["label"]
        return f"{row['label']} ({_signed(row['change_pct'])} %)"

    rose = [item(row) for row in rows if row["code"] and row["change_sek"] > 0]
    fell = [item(row) for row in rows if row["code"] and row["change_sek"] < 0]
    sentences = []
    if rose:
        sentences.append(_("Hired-staff cost rose for: %(items)s.") % {"items": ", ".join(rose)})
    if fell:
        sentences.append(_("Hired-staff cost fell for: %(items)s.") % {"items": ", ".join(fell)})
    return sentences


def _regions_sentences(data: dict[str, Any]) -> list[str]:
    sentences = []
    if data["regions_with_data"]:
        values = {"count": data["regions_meeting_count"], "total": data["regions_with_data"]}
        if data["previous_regions_with_data"]:
            values["previous"] = data["previous_regions_meeting_count"]
            sentences.append(
                _(
                    "%(count)s of %(total)s regions met the 2 %% indicator (hired-staff cost at most 2 %% of "
                    "own personnel cost), compared with %(previous)s a year earlier."
                )
                % values
            )
        else:
            sentences.append(
                _(
                    "%(count)s of %(total)s regions met the 2 %% indicator (hired-staff cost at most 2 %% of "
                    "own personnel cost)."
                )
                % values
            )
    if data["largest_increase"] is not None:
        row = data["largest_increase"]
        sentences.append(
            _("The share rose most in %(region)s (%(pp)s percentage points).")
            % {"region": row["name"], "pp": _signed(row["change_pp"])}
        )
    if data["largest_decrease"] is not None:
        row = data["largest_decrease"]
        sentences.append(
            _("The share fell most in %(region)s (%(pp)s percentage points).")
            % {"region": row["name"], "pp": _signed(row["change_pp"])}
        )
    return sentences


def bemanningstrend(
    period: Period, region_codes: Iterable[str] | None = None, *, include_national: bool = True
) -> dict[str, Any]:
    """``compute_bemanningstrend``, cached while the figures stay the same: the report's page, its
    Excel file and its PDF each asked for the same figures (at national scale two aggregates over the
    cost entries, 2,894 times in a five-minute load run)."""
    codes = tuple(sorted(region_codes)) if region_codes is not None else None
    return figures_cache.cached(
        "bemanningstrend",
        (period.start, period.end, ",".join(codes) if codes is not None else "*", include_national),
        lambda: compute_bemanningstrend(period, codes, include_national=include_national),
    )


def compute_bemanningstrend(
    period: Period, region_codes: Iterable[str] | None = None, *, include_national: bool = True
) -> dict[str, Any]:
    """The Bemanningstrend report for a half-year or quarter (any ``Period`` works).

    ``region_codes`` limits the per-region table (all regions when None); with
    ``include_national=False`` (a region user before publication) the national figures, the
    splits, the counts and the summary are None / empty.

    Keys: ``period``, ``previous_period`` (``Period``), ``label``, ``national_target_pct``,
    ``national`` (``comparison``), ``regions`` (``region_rows``, targets at the period's last
    month), ``regions_meeting`` (codes), ``regions_meeting_count``, ``regions_with_data``,
    ``previous_regions_meeting_count``, ``previous_regions_with_data``, ``regions_count``,
    ``largest_increase`` / ``largest_decrease`` (a region row: the largest rise / fall of the share
    in percentage points, or None), ``by_profession``, ``by_care_area``, ``summary`` (sentences).
    """
    previous_period = period.previous_year()
    names = region_names()
    current = indicators.figures_for(period, list(names))
    previous = indicators.figures_for(previous_period, list(names))
    every = region_rows(current, previous, names, indicators.targets_by_region(), period.end)
    wanted = set(region_codes) if region_codes is not None else None
    data: dict[str, Any] = {
        "period": period,
        "previous_period": previous_period,
        "label": period_label(period),
        "national_target_pct": NATIONAL_TARGET_PCT,
        "regions": [row for row in every if wanted is None or row["code"] in wanted],
        "regions_count": len(every),
        "national": None,
        "regions_meeting": None,
        "regions_meeting_count": None,
        "regions_with_data": None,
        "previous_regions_meeting_count": None,
        "previous_regions_with_data": None,
        "largest_increase": None,
        "largest_decrease": None,
        "by_profession": None,
        "by_care_area": None,
        "summary": [],
    }
    if not include_national:
        return data
    meeting = meeting_codes(every)
    changed = [row for row in every if row["change_pp"] is not None]
    increases = [row for row in changed if row["change_pp"] > 0]
    decreases = [row for row in changed if row["change_pp"] < 0]
    data.update(
        national=comparison(current.national, previous.national),
        regions_meeting=meeting,
        regions_meeting_count=len(meeting),
        regions_with_data=sum(1 for row in every if row["share_pct"] is not None),
        previous_regions_meeting_count=len(meeting_codes(every, "previous_share_pct")),
        previous_regions_with_data=sum(1 for row in every if row["previous_share_pct"] is not None),
        largest_increase=max(increases, key=lambda row: row["change_pp"]) if increases else None,
        largest_decrease=min(decreases, key=lambda row: row["change_pp"]) if decreases else None,
        by_profession=by_profession(current.national, previous.national),
        by_care_area=by_care_area(current.national, previous.national),
    )
    summary = [_amount_sentence(data["national"]), _share_sentence(data["national"])]
    summary += _movement_sentences(data["by_profession"] + data["by_care_area"])
    summary += _regions_sentences(data)
    data["summary"] = [sentence for sentence in summary if sentence]
    return data
