"""The figures of an action plan: the follow-up's value of each sub-goal's indicator, and the plan
as tables for the page and its CSV/Excel files."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.governance.exports import Column, Table
from hyrkoll.governance.models import ActionPlan, GoalIndicator, PlanMeasure, SubGoal


def current_values(
    plan: ActionPlan, goals: list[SubGoal]
) -> tuple[datetime.date | None, dict[int, Decimal | None]]:
    """The share (rolling 12 months up to the region's last month with costs) for the sub-goals
    that point at it; the care area's share when the sub-goal names one."""
    share_goals = [goal for goal in goals if goal.indicator == GoalIndicator.SHARE_PCT]
    if not share_goals:
        return None, {}
    from hyrkoll.followup.dashboard_parts import last_data_month
    from hyrkoll.followup.indicators import Period, figures_for

    code = plan.region.code
    month = last_data_month(code)
    if month is None:
        return None, {goal.pk: None for goal in share_goals}
    figures = figures_for(Period.rolling12(month), [code]).regions.get(code)
    values: dict[int, Decimal | None] = {}
    for goal in share_goals:
        if figures is None:
            values[goal.pk] = None
        elif goal.care_area:
            values[goal.pk] = figures.care_area_share_pct(goal.care_area)
        else:
            values[goal.pk] = figures.share_pct
    return month, values


def projected_values(plan: ActionPlan, goals: list[SubGoal]) -> dict[int, Decimal | None]:
    """The forecast rolling-12 share at each share sub-goal's due month (``followup.outlook``), for
    the sub-goals of the whole region whose month the forecast reaches; None for the others (a
    care area's share is not forecast; a month already past has its actual value)."""
    share_goals = [goal for goal in goals if goal.indicator == GoalIndicator.SHARE_PCT]
    if not share_goals:
        return {}
    from hyrkoll.followup import outlook

    entity = outlook.region_forecast(plan.region.code)
    months = entity["months"] if entity else []
    points = entity["rolling12_share_pct"]["point"] if entity else []
    projected: dict[int, Decimal | None] = {}
    for goal in share_goals:
        month = f"{goal.due_on:%Y-%m}"
        value = points[months.index(month)] if month in months and not goal.care_area else None
        projected[goal.pk] = None if value is None else Decimal(str(value))
    return projected


def plan_tables(
    plan: ActionPlan,
    measures: list[PlanMeasure],
    values: dict[int, Any],
    projected: dict[int, Any] | None = None,
) -> list[Table]:
    where = f"{plan.region}: {plan.name}"
    measure_table = Table(
        name="measures",
        caption=_("Measures of the plan %(plan)s") % {"plan": where},
        sheet=_("Measures"),
        columns=[
            Column(_("Heading")),
            Column(_("Measure")),
            Column(_("Owner")),
            Column(_("Scope")),
            Column(_("Start")),
            Column(_("Status")),
            Column(_("Effect")),
            Column(_("Effect reported")),
        ],
        rows=[
            [
                pm.measure.get_heading_display(),
                pm.measure.name,
                pm.owner,
                pm.org_unit.name if pm.org_unit else _("Whole region"),
                pm.starts_on.isoformat(),
                pm.get_status_display(),
                pm.get_effect_display(),
                pm.effect_comment,
            ]
            for pm in measures
        ],
    )
    goal_table = Table(
        name="sub-goals",
        caption=_("Sub-goals of the plan %(plan)s") % {"plan": where},
        sheet=_("Sub-goals"),
        columns=[
            Column(_("Measure")),
            Column(_("Sub-goal")),
            Column(_("By")),
            Column(_("Indicator")),
            Column(_("Care area")),
            Column(_("Target value")),
            Column(_("Current value (rolling 12 months)")),
            Column(_("Forecast at the due month")),
            Column(_("Achieved")),
        ],
        rows=[
            [
                pm.measure.name,
                goal.description,
                goal.due_on.isoformat(),
                goal.get_indicator_display() if goal.indicator else "",
                goal.care_area,
                goal.target_value,
                values.get(goal.pk),
                (projected or {}).get(goal.pk),
                "" if goal.achieved is None else (_("Yes") if goal.achieved else _("No")),
            ]
            for pm in measures
            for goal in pm.sub_goals.all()
        ],
    )
    return [measure_table, goal_table]
