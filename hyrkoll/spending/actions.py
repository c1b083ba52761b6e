"""From a unit that costs more than the average, to the action plan: the measure that already
addresses the unit, or the way to add one (or to start a plan) for those who may change plans."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hyrkoll.governance.access import can_change_plan, can_read_governance
from hyrkoll.governance.models import ActionPlan, PlanMeasure
from hyrkoll.organisation.models import OrgUnit, Region
from hyrkoll.spending.analysis import UnitIndex

ABOVE_AVERAGE = 1  # units whose index is above this are offered the way to a measure


def unit_actions(user: Any, region: Region, rows: list[UnitIndex]) -> list[dict[str, str]]:
    """For each unit above the average: {unit, text, url}. Four queries whatever the number of units."""
    wanted = [row for row in rows if row.index > ABOVE_AVERAGE]
    if not wanted:
        return []
    units = {
        unit.code: unit for unit in OrgUnit.objects.filter(region=region, code__in=[r.code for r in wanted])
    }
    measures: dict[int, PlanMeasure] = {}
    for measure in (
        PlanMeasure.objects.filter(plan__region=region, org_unit__in=list(units.values()))
        .select_related("plan", "measure")
        .order_by("plan__starts_on", "pk")
    ):
        measures[measure.org_unit_id] = measure  # the newest plan's measure wins
    plan = ActionPlan.objects.filter(region=region).order_by("-starts_on", "-pk").first()
    may_change = can_change_plan(user, region.pk)
    actions = []
    for row in wanted:
        unit = units.get(row.code)
        if unit is None:
            continue
        measure = measures.get(unit.pk)
        if measure is not None and can_read_governance(user):
            text = _("Open the measure “%(measure)s” of the plan “%(plan)s”") % {
                "measure": measure.measure.name,
                "plan": measure.plan.name,
            }
            url = reverse("governance:plan_detail", args=[measure.plan_id])
        elif plan is not None and may_change:
            text = _("Add a measure for the unit to the plan “%(plan)s”") % {"plan": plan.name}
            url = f"{reverse('governance:plan_measure_create', args=[plan.pk])}?org_unit={unit.pk}"
        elif may_change:
            text, url = _("Start an action plan"), reverse("governance:plan_create")
        else:
            continue
        actions.append({"unit": f"{unit.code} {unit.name}", "text": text, "url": url})
    return actions
