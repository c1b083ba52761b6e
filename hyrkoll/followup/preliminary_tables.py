"""The region dashboard's tables of figures beyond the ledger's Bemanningstrend: the preliminary
hired cost of the months not yet imported, and the ledger per supplier against Hyrkoll's approved
invoices (``preliminary``). Only for the region's own users and the national level."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.followup import preliminary, region_figures
from hyrkoll.followup.exports import MONTH, SEK, SIGNED_SEK, Column, Table
from hyrkoll.followup.figures_cache import marker as figures_marker

PRELIMINARY = "preliminary"
LEDGER_VS_HYRKOLL = "ledger_vs_hyrkoll"


def preliminary_table(months: list[preliminary.PreliminaryMonth], where: str) -> Table:
    return Table(
        name=PRELIMINARY,
        caption=_("Preliminary hired cost of the months not yet in the ledger, %(where)s") % {"where": where},
        sheet=_("Preliminary"),
        columns=[
            Column(_("Month"), MONTH),
            Column(_("Approved invoices (SEK)"), SEK),
            Column(_("Approved time not yet invoiced (SEK)"), SEK),
            Column(_("Preliminary hired cost (SEK)"), SEK),
        ],
        rows=[[m.month, m.invoiced_sek, m.time_sek, m.total_sek] for m in months],
    )


def difference_table(rows: list[preliminary.SupplierDifference], where: str, *, limit: int | None) -> Table:
    shown = rows[:limit] if limit is not None else rows
    return Table(
        name=LEDGER_VS_HYRKOLL,
        caption=_("The ledger's hired cost per supplier against invoices approved in Hyrkoll, %(where)s")
        % {"where": where},
        sheet=_("Ledger against Hyrkoll"),
        columns=[
            Column(_("Supplier")),
            Column(_("Organisation number")),
            Column(_("Month"), MONTH),
            Column(_("In the ledger (SEK)"), SEK),
            Column(_("Approved in Hyrkoll (SEK)"), SEK),
            Column(_("Difference (SEK)"), SIGNED_SEK),
        ],
        rows=[
            [
                r.supplier_name or _("(not an agreement supplier)"),
                r.org_no,
                r.month,
                r.ledger_sek,
                r.hyrkoll_sek,
                r.difference_sek,
            ]
            for r in shown
        ],
    )


def detail_tables(
    region_id: int, where: str, today: datetime.date | None = None, *, limit: int | None = None
) -> dict[str, Table]:
    """Both tables, by name; ``limit`` caps the difference rows (the page; the file has them all)."""
    today = today or timezone.localdate()
    marker = (today, figures_marker())
    months = region_figures.cached(
        region_id, "preliminary", marker, lambda: preliminary.preliminary_months(region_id, today)
    )
    differences = region_figures.cached(
        region_id, "ledger-vs-hyrkoll", marker, lambda: preliminary.supplier_differences(region_id)
    )
    return {
        PRELIMINARY: preliminary_table(months, where),
        LEDGER_VS_HYRKOLL: difference_table(differences, where, limit=limit),
    }
