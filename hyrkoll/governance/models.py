"""Governance: the catalogue of measures, the regions' action plans, the steering group's decision
log, and participation in joint procurements.

The hiring-stop and dispensation registers are read from the rule table (``hyrkoll.rules``) and
the ordering decisions (``hyrkoll.ordering``); they are not copied here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedQuerySet


class MeasureHeading(models.TextChoices):
    """The seven headings the regions used (the psychiatry model of the 2016–2018 project)."""

    WORK_ENVIRONMENT = "work_environment", _("Work environment / attractive workplace")
    DIMENSIONING = "dimensioning", _("Dimensioning and staffing plan")
    RECRUITMENT = "recruitment", _("Recruitment")
    PAY = "pay", _("Pay and compensation")
    NEW_WAYS = "new_ways", _("New ways of working")
    COOPERATION = "cooperation", _("Cooperation between regions")
    PHASE_OUT = "phase_out", _("Timetable for phasing out hired staff")


class Measure(models.Model):
    """A measure in the national catalogue (maintained by the coordinator)."""

    scope_public = True

    heading = models.CharField(_("heading"), max_length=30, choices=MeasureHeading.choices)
    name = models.CharField(_("measure"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    reported_as_working = models.BooleanField(
        _("reported as working 2016–2018"),
        default=False,
        help_text=_("Among the measures the national project reported as working."),
    )
    is_active = models.BooleanField(_("in the catalogue"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["heading", "name"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name


class ActionPlan(models.Model):
    """A region's action plan towards independence from hired staff."""

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("start"))
    adopted_by = models.CharField(
        _("adopted by"), max_length=200, blank=True, help_text=_("E.g. the regional board.")
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-starts_on"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.region}: {self.name}"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class Effect(models.TextChoices):
    UNKNOWN = "unknown", _("Not yet known")
    POSITIVE = "positive", _("Positive")
    NONE = "none", _("No effect")
    NEGATIVE = "negative", _("Negative")


class PlanMeasure(models.Model):
    """A measure the region chose for its plan, with owner, scope, status and reported effect."""

    scope_region_path = "plan__region"

    plan = models.ForeignKey(
        "governance.ActionPlan",
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("action plan"),
    )
    measure = models.ForeignKey(
        "governance.Measure",
        on_delete=models.PROTECT,
        related_name="plan_measures",
        verbose_name=_("measure"),
    )
    owner = models.CharField(_("owner"), max_length=200)
    org_unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scope"),
        help_text=_("Empty: the whole region."),
    )
    starts_on = models.DateField(_("start"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices, default=Effect.UNKNOWN)
    effect_comment = models.TextField(_("effect reported"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "measure__heading", "measure__name"]
        verbose_name = _("measure in a plan")
        verbose_name_plural = _("measures in plans")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "measure", "org_unit"],
                name="%(app_label)s_%(class)s_once_per_scope",
                violation_error_message=_("The plan already has this measure for this scope."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.plan.region})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.plan_id and self.starts_on and self.starts_on < self.plan.starts_on:
            errors["starts_on"] = _("The measure cannot start before the plan (%(date)s).") % {
                "date": self.plan.starts_on
            }
        if self.plan_id and self.org_unit_id and self.org_unit.region_id != self.plan.region_id:
            errors["org_unit"] = _("The unit belongs to another region.")
        if errors:
            raise ValidationError(errors)


class GoalIndicator(models.TextChoices):
    """What a sub-goal's target value measures (the follow-up's indicators)."""

    SHARE_PCT = "share_pct", _("Hired cost as a share of own personnel cost (%)")
    HIRED_SEK = "hired_sek", _("Hired-staff cost (SEK per year)")
    HIRED_FTE = "hired_fte", _("Hired staff (FTE)")
    TURNOVER_PCT = "turnover_pct", _("Staff turnover (%)")
    SICK_LEAVE_PCT = "sick_leave_pct", _("Sick leave (%)")
    OTHER = "other", _("Other (described)")


class SubGoal(models.Model):
    """A dated sub-goal of a plan measure, optionally pointing at an indicator of the follow-up."""

    scope_region_path = "plan_measure__plan__region"

    plan_measure = models.ForeignKey(
        "governance.PlanMeasure",
        on_delete=models.CASCADE,
        related_name="sub_goals",
        verbose_name=_("measure"),
    )
    description = models.CharField(_("sub-goal"), max_length=300)
    due_on = models.DateField(_("by"))
    indicator = models.CharField(_("indicator"), max_length=20, choices=GoalIndicator.choices, blank=True)
    care_area = models.CharField(
        _("care area"), max_length=12, blank=True, help_text=_("Empty: all care areas.")
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan_measure", "due_on"]
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        errors: dict[str, str] = {}
        plan = self.plan_measure.plan if self.plan_measure_id else None
        if plan is not None and self.due_on and self.due_on < plan.starts_on:
            errors["due_on"] = _("A sub-goal cannot be due before the plan starts (%(date)s).") % {
                "date": plan.starts_on
            }
        if self.indicator and self.indicator != GoalIndicator.OTHER and self.target_value is None:
            errors["target_value"] = _("Give the target value of the indicator.")
        if errors:
            raise ValidationError(errors)


class SteeringDecision(models.Model):
    """An entry in the steering group's decision log, linked to what it concerns."""

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="steering_decisions",
        verbose_name=_("region"),
    )
    decided_on = models.DateField(_("decided on"))
    decision = models.TextField(_("decision"))
    basis = models.TextField(_("basis"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    needs = models.ManyToManyField(
        "ordering.Need",
        blank=True,
        related_name="steering_decisions",
        verbose_name=_("call-offs and purchases"),
    )
    plans = models.ManyToManyField(
        "governance.ActionPlan", blank=True, related_name="steering_decisions", verbose_name=_("action plans")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-decided_on", "-pk"]
        verbose_name = _("steering decision")
        verbose_name_plural = _("steering decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=models.F("decided_on")),
                name="%(app_label)s_%(class)s_follow_up_after_decision",
                violation_error_message=_("The follow-up cannot be before the decision."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.decided_on}: {self.decision[:60]}"


class Procurement(models.Model):
    """A planned joint procurement: regions declare by a deadline; it proceeds only with enough
    regions, and nobody can join after it has started."""

    scope_public = True

    name = models.CharField(_("name"), max_length=200, unique=True)
    declaration_deadline = models.DateField(_("deadline for declarations of intent"))
    starts_on = models.DateField(_("procurement starts"))
    min_regions = models.PositiveSmallIntegerField(_("regions needed to proceed"), default=15)
    sub_areas = models.CharField(
        _("sub-areas"), max_length=200, default="doctors,nurses", help_text=_("Codes, comma-separated.")
    )
    description = models.TextField(_("description"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-declaration_deadline"]
        verbose_name = _("joint procurement")
        verbose_name_plural = _("joint procurements")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__gte=models.F("declaration_deadline")),
                name="%(app_label)s_%(class)s_starts_after_deadline",
                violation_error_message=_("The procurement cannot start before the declaration deadline."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def sub_area_codes(self) -> list[str]:
        return [code.strip() for code in self.sub_areas.split(",") if code.strip()]


class Declaration(models.Model):
    """A region's declaration of intent for a joint procurement (one per region and procurement)."""

    scope_region_path = "region"

    procurement = models.ForeignKey(
        "governance.Procurement",
        on_delete=models.PROTECT,
        related_name="declarations",
        verbose_name=_("procurement"),
    )
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="declarations", verbose_name=_("region")
    )
    joins = models.BooleanField(_("joins"))
    sub_areas = models.CharField(
        _("for sub-areas"), max_length=200, blank=True, help_text=_("Codes, comma-separated.")
    )
    decided_by = models.CharField(_("decided by"), max_length=200, help_text=_("E.g. the regional board."))
    decided_on = models.DateField(_("decided on"))
    document = models.FileField(_("decision document (PDF)"), upload_to="declarations/%Y/", blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["procurement", "region__code"]
        verbose_name = _("declaration of intent")
        verbose_name_plural = _("declarations of intent")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "region"],
                name="%(app_label)s_%(class)s_one_per_region",
                violation_error_message=_("The region has already declared for this procurement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}: {'joins' if self.joins else 'does not join'} {self.procurement}"

    def sub_area_codes(self) -> list[str]:
        return [code.strip() for code in self.sub_areas.split(",") if code.strip()]
