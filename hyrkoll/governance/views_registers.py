"""Registers read from the rule table and the ordering decisions, and the steering group's
decision log.

- Hiring stops and decision-level rules: the ``RegionRule`` rows in force today, those coming
  into force, and the closed versions (history) – the same rows the ordering engine evaluates.
- Dispensations granted: approvals (``Decision`` with outcome *approve*, not the steering group's
  review) of needs that are dispensations, counted by decision level, by reason and per quarter.
- Region users see their own region; national users every region, with a region filter.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.governance import exports
from hyrkoll.governance.access import (
    can_record_decisions,
    chosen_region,
    region_choices,
    require_reader,
)
from hyrkoll.governance.exports import INT, Column, Table
from hyrkoll.governance.forms import SteeringDecisionForm
from hyrkoll.governance.models import ActionPlan, SteeringDecision
from hyrkoll.lib.listing import ChoiceFilter, Listing, OptionFilter, PeriodFilter, region_filter
from hyrkoll.ordering.models import Decision, DecisionOutcome, Need, NeedReason
from hyrkoll.rules.models import RegionRule, RuleKind

# --- hiring stops and decision-level rules ---------------------------------------------------------------------


def _rule_rows(rules: list[RegionRule], state: str) -> list[list[Any]]:
    return [
        [
            rule.region.code,
            rule.name,
            rule.get_kind_display(),
            "; ".join(rule.conditions_text()) or _("All needs"),
            rule.get_decision_level_display(),
            rule.valid_from.isoformat(),
            rule.valid_to.isoformat() if rule.valid_to else "",
            state,
        ]
        for rule in rules
    ]


@login_required
def hiring_stops(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    region = chosen_region(request)
    today = timezone.localdate()
    rules = (
        RegionRule.objects.visible_to(request.user)
        .select_related("region", "profession", "competence", "level", "care_area", "org_unit")
        .order_by("region__code", "kind", "name", "-valid_from")
    )
    if region is not None:
        rules = rules.filter(region=region)
    listing = Listing(
        request,
        rules,
        sorts={
            "name": "name",
            "region": "region__code",
            "kind": "kind",
            "level": "decision_level",
            "from": "valid_from",
            "to": "valid_to",
        },
        filters=[
            region_filter(request.user, by_code=True),
            ChoiceFilter("kind", _("Kind"), "kind", RuleKind.choices),
        ],
    )
    rules = listing.rows
    in_force = list(rules.in_force(today))
    upcoming = list(rules.filter(valid_from__gt=today))
    ended = rules.filter(valid_to__lt=today)
    ended = list(ended if listing.sort_key else ended.order_by("region__code", "-valid_to", "name"))
    fmt = exports.requested_format(request)
    if fmt:
        table = Table(
            name="rules",
            caption=_("Hiring stops and decision-level rules (%(date)s)") % {"date": today.isoformat()},
            sheet=_("Rules"),
            columns=[
                Column(_("Region")),
                Column(_("Rule")),
                Column(_("Kind")),
                Column(_("Conditions")),
                Column(_("Decided by")),
                Column(_("Valid from")),
                Column(_("Valid to")),
                Column(_("State")),
            ],
            rows=_rule_rows(in_force, _("In force"))
            + _rule_rows(upcoming, _("Coming into force"))
            + _rule_rows(ended, _("Ended")),
        )
        return exports.download([table], fmt, "hiring-stops", region.code if region else "")
    context = {
        "region": region,
        "regions": region_choices(request),
        "today": today,
        "listing": listing,
        "in_force": in_force,
        "upcoming": upcoming,
        "ended": ended,
        "stops_in_force": sum(1 for rule in in_force if rule.kind == "hiring_stop"),
    }
    return render(request, "governance/register_hiring_stops.html", context)


# --- dispensations granted -------------------------------------------------------------------------------------


def quarter_of(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{local.year} Q{(local.month - 1) // 3 + 1}"


@login_required
def dispensations(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    region = chosen_region(request)
    decisions = (
        Decision.objects.visible_to(request.user)
        .filter(outcome=DecisionOutcome.APPROVE, is_steering_review=False, need__is_dispensation=True)
        .select_related("need__region", "need__unit", "need__competence")
        .order_by("-decided_at", "-pk")
    )
    if region is not None:
        decisions = decisions.filter(need__region=region)
    listing = Listing(
        request,
        decisions,
        sorts={
            "need": "need_id",
            "region": "need__region__code",
            "reason": "need__reason",
            "level": "level",
            "decided": "decided_at",
        },
        filters=[
            region_filter(request.user, "need__region", by_code=True),
            ChoiceFilter("reason", _("Reason"), "need__reason", NeedReason.choices),
            ChoiceFilter("level", _("Decision level"), "level", DecisionLevel.choices),
            PeriodFilter(_("Decided"), "decided_at__date"),
        ],
    )
    rows = list(listing.rows)
    levels = dict(DecisionLevel.choices)
    reasons = dict(NeedReason.choices)
    by_level = Counter(d.level for d in rows)
    by_reason = Counter(d.need.reason for d in rows)
    by_quarter: dict[str, Counter[int | None]] = {}
    for d in sorted(rows, key=lambda d: d.decided_at):
        by_quarter.setdefault(quarter_of(d.decided_at), Counter())[d.level] += 1
    level_keys = [value for value in levels if by_level[value]] + ([None] if by_level[None] else [])

    def level_label(value: int | None) -> str:
        return str(levels[value]) if value is not None else _("Level not recorded")

    level_table = Table(
        name="by-level",
        caption=_("Dispensations granted by decision level"),
        sheet=_("By level"),
        columns=[Column(_("Decision level")), Column(_("Dispensations"), INT)],
        rows=[[level_label(value), by_level[value]] for value in level_keys],
        footer=[[_("Total"), len(rows)]],
    )
    reason_table = Table(
        name="by-reason",
        caption=_("Dispensations granted by reason"),
        sheet=_("By reason"),
        columns=[Column(_("Reason")), Column(_("Dispensations"), INT)],
        rows=[[str(label), by_reason[value]] for value, label in reasons.items() if by_reason[value]],
        footer=[[_("Total"), len(rows)]],
    )
    quarter_table = Table(
        name="by-quarter",
        caption=_("Dispensations granted per quarter and decision level"),
        sheet=_("Per quarter"),
        columns=[
            Column(_("Quarter")),
            *[Column(level_label(value), INT) for value in level_keys],
            Column(_("Total"), INT),
        ],
        rows=[
            [quarter, *[counts[value] for value in level_keys], sum(counts.values())]
            for quarter, counts in by_quarter.items()
        ],
    )
    list_table = Table(
        name="dispensations",
        caption=_("Dispensations granted"),
        sheet=_("Dispensations"),
        columns=[
            Column(_("Region")),
            Column(_("Need")),
            Column(_("Care unit")),
            Column(_("Competence")),
            Column(_("Reason")),
            Column(_("Outside the agreement"), "yesno"),
            Column(_("Decision level")),
            Column(_("Decided")),
            Column(_("Decision reason")),
        ],
        rows=[
            [
                d.need.region.code,
                d.need_id,
                d.need.unit.name,
                str(d.need.competence),
                d.need.get_reason_display(),
                d.need.outside_agreement,
                level_label(d.level),
                timezone.localtime(d.decided_at).date().isoformat(),
                d.reason,
            ]
            for d in rows
        ],
    )
    tables = [level_table, reason_table, quarter_table, list_table]
    fmt = exports.requested_format(request)
    if fmt:
        return exports.download(tables, fmt, "dispensations", region.code if region else "")
    context = {
        "region": region,
        "regions": region_choices(request),
        "tables": tables[:3],
        "listing": listing,
        "decisions": rows[:200],
        "total": len(rows),
    }
    return render(request, "governance/register_dispensations.html", context)


# --- the steering group's decision log ---------------------------------------------------------------------------


def decision_table(decisions: list[SteeringDecision]) -> Table:
    return Table(
        name="decisions",
        caption=_("The steering group's decision log"),
        sheet=_("Decisions"),
        columns=[
            Column(_("Region")),
            Column(_("Decided on")),
            Column(_("Decision")),
            Column(_("Basis")),
            Column(_("Follow up on")),
            Column(_("Call-offs and purchases")),
            Column(_("Action plans")),
            Column(_("Recorded by")),
        ],
        rows=[
            [
                d.region.code,
                d.decided_on.isoformat(),
                d.decision,
                d.basis,
                d.follow_up_on.isoformat() if d.follow_up_on else "",
                ", ".join(f"#{need.pk}" for need in d.needs.all()),
                ", ".join(plan.name for plan in d.plans.all()),
                d.recorded_by.get_full_name() or d.recorded_by.username,
            ]
            for d in decisions
        ],
    )


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    region = chosen_region(request)
    user: Any = request.user
    decisions = (
        SteeringDecision.objects.visible_to(user)
        .select_related("region", "recorded_by")
        .prefetch_related(
            # Linked rows only as far as the user may see them (always the same region).
            Prefetch("needs", queryset=Need.objects.visible_to(user).select_related("competence", "unit")),
            Prefetch("plans", queryset=ActionPlan.objects.visible_to(user)),
        )
        .order_by("region__code", "-decided_on", "-pk")
    )
    if region is not None:
        decisions = decisions.filter(region=region)
    today = timezone.localdate()
    listing = Listing(
        request,
        decisions,
        sorts={"decided": "decided_on", "region": "region__code", "follow_up": "follow_up_on"},
        filters=[
            region_filter(user, by_code=True),
            OptionFilter(
                "follow_up",
                _("Follow-up"),
                {
                    "due": (_("Due"), Q(follow_up_on__lte=today)),
                    "later": (_("Later"), Q(follow_up_on__gt=today)),
                    "none": (_("None"), Q(follow_up_on__isnull=True)),
                },
            ),
            PeriodFilter(_("Decided on"), "decided_on"),
        ],
    )
    rows = list(listing.rows)
    fmt = exports.requested_format(request)
    if fmt:
        return exports.download(
            [decision_table(rows)], fmt, "steering-decisions", region.code if region else ""
        )
    context = {
        "decisions": rows,
        "listing": listing,
        "region": region,
        "regions": region_choices(request),
        "can_record": can_record_decisions(user, user.region_id),
        "today": timezone.localdate(),
    }
    return render(request, "governance/decision_list.html", context)


class DecisionCreateView(AuditedCreateView):
    model = SteeringDecision
    form_class = SteeringDecisionForm
    title = gettext_lazy("Record a steering decision")

    def can_change(self, user: Any) -> bool:
        return can_record_decisions(user, getattr(user, "region_id", None))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["instance"] = SteeringDecision(region_id=user.region_id, recorded_by=user)
        return kwargs

    def get_success_url(self) -> str:
        return reverse("governance:decisions")


class DecisionUpdateView(AuditedUpdateView):
    model = SteeringDecision
    form_class = SteeringDecisionForm
    title = gettext_lazy("Edit steering decision")

    @cached_property
    def decision(self) -> SteeringDecision:
        return self.get_object()

    def can_change(self, user: Any) -> bool:
        return can_record_decisions(user, self.decision.region_id)

    def get_success_url(self) -> str:
        return reverse("governance:decisions")
