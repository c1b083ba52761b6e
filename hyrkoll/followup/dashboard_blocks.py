"""The region dashboard's blocks beyond the Bemanningstrend, for the region's own users and the
national level: the forecast (``outlook``) with the way to the action plan, the preliminary months
and the ledger against Hyrkoll (``preliminary_tables``); and the national dashboard's forecasts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hyrkoll.followup import outlook
from hyrkoll.followup.dashboard_parts import Block, preliminary_chart
from hyrkoll.followup.exports import Table
from hyrkoll.followup.preliminary_tables import LEDGER_VS_HYRKOLL, PRELIMINARY, detail_tables
from hyrkoll.organisation.models import Region

DIFFERENCE_ROWS = 100  # on the page; the download has them all


def action_plan_link(user: Any, region: Region, entity: dict[str, Any] | None) -> tuple[str, str] | None:
    """When the region is off track or at risk this year or next: its newest action plan, or – for
    those who may make one – the form for a new one, as (text, url)."""
    from hyrkoll.governance.access import can_change_plan
    from hyrkoll.governance.models import ActionPlan

    years = (outlook.current_year(entity), outlook.next_year(entity))
    if not any(year and year["status"] in ("at_risk", "off_track") for year in years):
        return None
    plan = ActionPlan.objects.filter(region=region).order_by("-starts_on", "-pk").first()
    if plan is not None:
        return _("Open the action plan “%(name)s”") % {"name": plan.name}, reverse(
            "governance:plan_detail", args=[plan.pk]
        )
    if can_change_plan(user, region.pk):
        return _("Start an action plan"), reverse("governance:plan_create")
    return None


def region_outlook_block(table: Table) -> Block:
    return Block(
        table,
        _("Where the share is heading"),
        outlook.forecast_chart(table, with_target=True),
        note=_(
            "The forecast starts from the latest imported month; how it is made is explained at the end of the page."
        ),
    )


def national_outlook_blocks(tables: dict[str, Table]) -> list[Block]:
    return [
        Block(
            tables[outlook.FORECAST_TABLE],
            _("Where the country's share is heading"),
            outlook.forecast_chart(tables[outlook.FORECAST_TABLE], with_target=False),
            note=_("How the forecast is made is explained at the end of the page."),
        ),
        Block(
            tables[outlook.REGIONS_TABLE],
            _("Regions off track and at risk this year"),
            note=_("Off track and at risk first. Choose a region to see its forecast."),
        ),
    ]


def detail_blocks(region: Region) -> list[Block]:
    """The preliminary months and the ledger against Hyrkoll (``preliminary``), for the region's own
    users and the national level."""
    tables = detail_tables(region.pk, region.name, limit=DIFFERENCE_ROWS)
    blocks = []
    months = tables[PRELIMINARY]
    if any(row[3] for row in months.rows):  # nothing from Hyrkoll at all: no preliminary figure to show
        blocks.append(
            Block(
                months,
                _("Preliminary hired cost, before the ledger"),
                preliminary_chart(months),
                note=_(
                    "For the complete months after the last imported ledger month: the invoices approved in "
                    "Hyrkoll, and approved time not yet invoiced at the assignment's hourly price. Replaced by "
                    "the ledger's figure when the month is imported."
                ),
            )
        )
    blocks.append(
        Block(
            tables[LEDGER_VS_HYRKOLL],
            _("The ledger against Hyrkoll, per supplier"),
            note=_(
                "The last 12 ledger months: where the ledger holds more than the invoices approved in Hyrkoll, "
                "money went to the supplier outside Hyrkoll's control (largest first; the file has every row)."
            ),
        )
    )
    return blocks
