"""The catalogue of measures, the national overview and the regions' action plans.

Who may do what (the only place it is written for governance):

- Everyone in a region or at the national level reads the catalogue and the overview; suppliers
  get 403. The overview's counts (how many regions use a measure, and with what effect) cover
  every region – they are counts, not personal data – but a region's plan links only for the
  user's own region, unless the user is national.
- The national coordinator adds and edits measures.
- Region administrators, steering-group members and controllers change their own region's plan;
  everyone else in the region reads it; other regions' plans are 404 (``visible_to``).
- Region administrators and steering-group members record the steering group's decisions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.governance import exports
from hyrkoll.governance.access import (
    can_change_plan,
    chosen_region,
    is_national,
    require_reader,
)
from hyrkoll.governance.exports import INT, Column, Table
from hyrkoll.governance.forms import ActionPlanForm, EffectForm, MeasureForm, PlanMeasureForm, SubGoalForm
from hyrkoll.governance.models import (
    ActionPlan,
    Effect,
    Measure,
    MeasureHeading,
    PlanMeasure,
    SubGoal,
)
from hyrkoll.governance.plan_figures import current_values, plan_tables, projected_values
from hyrkoll.lib.listing import Listing, PeriodFilter, region_filter

# --- catalogue and national overview ---------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    measures = Measure.objects.visible_to(request.user).order_by("heading", "name")
    by_heading: dict[str, list[Measure]] = defaultdict(list)
    for measure in measures:
        by_heading[measure.heading].append(measure)
    headings = [(label, by_heading[value]) for value, label in MeasureHeading.choices if by_heading[value]]
    fmt = exports.requested_format(request)
    if fmt:
        table = Table(
            name="catalogue",
            caption=_("Catalogue of measures"),
            sheet=_("Catalogue"),
            columns=[
                Column(_("Heading")),
                Column(_("Measure")),
                Column(_("Description")),
                Column(_("Reported as working 2016–2018"), "yesno"),
                Column(_("In the catalogue"), "yesno"),
            ],
            rows=[
                [m.get_heading_display(), m.name, m.description, m.reported_as_working, m.is_active]
                for m in measures
            ],
        )
        return exports.download([table], fmt, "measures")
    context = {"headings": headings, "can_change": request.user.is_coordinator}  # type: ignore[union-attr]
    return render(request, "governance/catalogue.html", context)


class MeasureCreateView(AuditedCreateView):
    model = Measure
    form_class = MeasureForm
    title = gettext_lazy("New measure")

    def can_change(self, user: Any) -> bool:
        return bool(user.is_coordinator)

    def get_success_url(self) -> str:
        return reverse("governance:catalogue")


class MeasureUpdateView(AuditedUpdateView):
    model = Measure
    form_class = MeasureForm
    title = gettext_lazy("Edit measure")

    def can_change(self, user: Any) -> bool:
        return bool(user.is_coordinator)

    def get_success_url(self) -> str:
        return reverse("governance:catalogue")


EFFECTS = [Effect.POSITIVE, Effect.NONE, Effect.NEGATIVE, Effect.UNKNOWN]


def overview_rows(user: Any) -> list[dict[str, Any]]:
    """For each measure: the regions using it and how many report each effect.

    The counts come from every region's plans (not ``visible_to``): they are the national overview
    the regions share with each other. A region counts once per effect it reports for the measure.
    """
    measures = list(Measure.objects.visible_to(user).order_by("heading", "name"))
    using: dict[int, set[str]] = defaultdict(set)
    effects: dict[tuple[int, str], set[str]] = defaultdict(set)
    plans: dict[tuple[int, str], int] = {}
    for measure_id, effect, code, plan_id in PlanMeasure.objects.all().values_list(
        "measure_id", "effect", "plan__region__code", "plan_id"
    ):
        using[measure_id].add(code)
        effects[measure_id, effect].add(code)
        plans.setdefault((measure_id, code), plan_id)
    own_code = None if is_national(user) else user.region.code
    rows = []
    for measure in measures:
        codes = sorted(using[measure.pk])
        rows.append(
            {
                "measure": measure,
                "regions": len(codes),
                "effects": [len(effects[measure.pk, effect]) for effect in EFFECTS],
                "region_links": [
                    (
                        code,
                        reverse("governance:plan_detail", args=[plans[measure.pk, code]])
                        if own_code is None or code == own_code
                        else None,
                    )
                    for code in codes
                ],
            }
        )
    return rows


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    rows = overview_rows(request.user)
    fmt = exports.requested_format(request)
    if fmt:
        table = Table(
            name="overview",
            caption=_("Measures: regions using them and reported effect"),
            sheet=_("Overview"),
            columns=[
                Column(_("Heading")),
                Column(_("Measure")),
                Column(_("Regions using it"), INT),
                *[Column(str(effect.label), INT) for effect in EFFECTS],
                Column(_("Regions")),
            ],
            rows=[
                [
                    row["measure"].get_heading_display(),
                    row["measure"].name,
                    row["regions"],
                    *row["effects"],
                    ", ".join(code for code, _link in row["region_links"]),
                ]
                for row in rows
            ],
        )
        return exports.download([table], fmt, "measures-overview")
    context = {"rows": rows, "effects": [effect.label for effect in EFFECTS]}
    return render(request, "governance/catalogue_overview.html", context)


# --- action plans ----------------------------------------------------------------------------------------------


def _plan_or_404(request: HttpRequest, pk: int) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.visible_to(request.user).select_related("region"), pk=pk)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    region = chosen_region(request)
    user: Any = request.user
    plans = (
        ActionPlan.objects.visible_to(user)
        .select_related("region")
        .annotate(measure_count=Count("measures"))
        .order_by("region__code", "-starts_on")
    )
    listing = Listing(
        request,
        plans,
        sorts={
            "name": "name",
            "region": "region__name",
            "start": "starts_on",
            "adopted": "adopted_on",
            "measures": "measure_count",
        },
        filters=[region_filter(user, by_code=True), PeriodFilter(_("Start"), "starts_on")],
    )
    context = {
        "plans": listing.rows,
        "listing": listing,
        "region": region,
        "can_create": can_change_plan(user, user.region_id),
    }
    return render(request, "governance/plan_list.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request.user)
    plan = _plan_or_404(request, pk)
    measures = list(
        PlanMeasure.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("measure", "org_unit")
        .prefetch_related(Prefetch("sub_goals", queryset=SubGoal.objects.visible_to(request.user)))
    )
    goals = [goal for pm in measures for goal in pm.sub_goals.all()]
    values_month, values = current_values(plan, goals)
    projected = projected_values(plan, goals)
    fmt = exports.requested_format(request)
    if fmt:
        return exports.download(
            plan_tables(plan, measures, values, projected), fmt, "action-plan", plan.region.code, str(plan.pk)
        )
    for goal in goals:
        goal.current_value = values.get(goal.pk)  # type: ignore[attr-defined]
        goal.projected_value = projected.get(goal.pk)  # type: ignore[attr-defined]
    context = {
        "plan": plan,
        "measures": measures,
        "values_month": values_month,
        "can_change": can_change_plan(request.user, plan.region_id),
        "decisions": plan.steering_decisions.visible_to(request.user).order_by("-decided_on")[:20],  # type: ignore[attr-defined]
    }
    return render(request, "governance/plan_detail.html", context)


class PlanCreateView(AuditedCreateView):
    model = ActionPlan
    form_class = ActionPlanForm
    title = gettext_lazy("New action plan")

    def can_change(self, user: Any) -> bool:
        return can_change_plan(user, getattr(user, "region_id", None))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ActionPlan(region_id=self.request.user.region_id)
        return kwargs

    def get_success_url(self) -> str:
        if getattr(self, "object", None):
            return reverse("governance:plan_detail", args=[self.object.pk])
        return reverse("governance:plans")


class ObjectPermissionMixin:
    """For the update views: the object (through ``visible_to``, else 404) decides who may change it."""

    request: Any

    def region_id_of(self, obj: Any) -> int:
        raise NotImplementedError

    def can_change(self, user: Any) -> bool:
        obj = self.get_object()  # type: ignore[attr-defined]
        return can_change_plan(user, self.region_id_of(obj))


class PlanUpdateView(ObjectPermissionMixin, AuditedUpdateView):
    model = ActionPlan
    form_class = ActionPlanForm
    title = gettext_lazy("Edit action plan")

    def region_id_of(self, obj: ActionPlan) -> int:
        return obj.region_id

    def get_success_url(self) -> str:
        return reverse("governance:plan_detail", args=[self.object.pk])


class PlanMeasureCreateView(AuditedCreateView):
    model = PlanMeasure
    form_class = PlanMeasureForm
    title = gettext_lazy("Add a measure to the plan")

    @cached_property
    def plan(self) -> ActionPlan:
        return _plan_or_404(self.request, self.kwargs["plan_pk"])

    def can_change(self, user: Any) -> bool:
        return can_change_plan(user, self.plan.region_id)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = PlanMeasure(plan=self.plan)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        """``?org_unit=<id>``: the unit the measure is for (from the hired-cost page); the form
        offers only the plan's region's units, so another id selects nothing."""
        initial = super().get_initial()
        unit = self.request.GET.get("org_unit", "")
        if unit.isdigit():
            initial["org_unit"] = int(unit)
        return initial

    def get_success_url(self) -> str:
        return reverse("governance:plan_detail", args=[self.plan.pk])


class PlanMeasureUpdateView(ObjectPermissionMixin, AuditedUpdateView):
    model = PlanMeasure
    form_class = PlanMeasureForm
    title = gettext_lazy("Edit the plan's measure")

    def region_id_of(self, obj: PlanMeasure) -> int:
        return obj.plan.region_id

    def get_success_url(self) -> str:
        return reverse("governance:plan_detail", args=[self.object.plan_id])


class EffectUpdateView(PlanMeasureUpdateView):
    form_class = EffectForm
    title = gettext_lazy("Report status and effect")


class SubGoalCreateView(AuditedCreateView):
    model = SubGoal
    form_class = SubGoalForm
    title = gettext_lazy("New sub-goal")

    @cached_property
    def plan_measure(self) -> PlanMeasure:
        return get_object_or_404(
            PlanMeasure.objects.visible_to(self.request.user).select_related("plan"),
            pk=self.kwargs["measure_pk"],
        )

    def can_change(self, user: Any) -> bool:
        return can_change_plan(user, self.plan_measure.plan.region_id)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = SubGoal(plan_measure=self.plan_measure)
        return kwargs

    def get_success_url(self) -> str:
        return reverse("governance:plan_detail", args=[self.plan_measure.plan_id])


class SubGoalUpdateView(ObjectPermissionMixin, AuditedUpdateView):
    model = SubGoal
    form_class = SubGoalForm
    title = gettext_lazy("Edit sub-goal")

    def region_id_of(self, obj: SubGoal) -> int:
        return obj.plan_measure.plan.region_id

    def get_success_url(self) -> str:
        return reverse("governance:plan_detail", args=[self.object.plan_measure.plan_id])
