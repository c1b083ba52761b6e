"""The need (behov): what a unit asks for, its price estimate and its one status field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.lib.scoping import ScopedQuerySet


class NeedReason(models.TextChoices):
    VACANCY = "vacancy", _("Vacancy")
    PARENTAL_LEAVE = "parental_leave", _("Parental leave")
    SICK_LEAVE = "sick_leave", _("Sick leave")
    PEAK = "peak", _("Temporary peak")
    EXTRAORDINARY = "extraordinary", _("Extraordinary situation")


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INTERNAL_SEARCH = "internal_search", _("Internal staffing pool is checked")
    FILLED_INTERNALLY = "filled_internally", _("Filled internally")
    STEERING_REVIEW = "steering_review", _("Steering group review")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    RETURNED = "returned", _("Returned to the orderer")
    REJECTED = "rejected", _("Rejected")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Call-off published")
    AWARDED = "awarded", _("Awarded")
    UNFILLED = "unfilled", _("Closed without award")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_NEED_STATUSES = (
    NeedStatus.DRAFT,
    NeedStatus.INTERNAL_SEARCH,
    NeedStatus.STEERING_REVIEW,
    NeedStatus.AWAITING_APPROVAL,
    NeedStatus.RETURNED,
    NeedStatus.APPROVED,
    NeedStatus.PUBLISHED,
)


class Need(models.Model):
    """A care unit's need for hired staff, from the orderer's first draft to award or closure."""

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="needs", verbose_name=_("region")
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="needs", verbose_name=_("care unit")
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="needs", verbose_name=_("orderer")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    profession = models.ForeignKey(
        "agreement.Profession", on_delete=models.PROTECT, related_name="+", verbose_name=_("profession")
    )
    competence = models.ForeignKey(
        "agreement.Competence", on_delete=models.PROTECT, related_name="+", verbose_name=_("competence")
    )
    level = models.ForeignKey(
        "agreement.CompetenceLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competence level"),
        help_text=_("Follows from the competence."),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=5, decimal_places=1, help_text=_("Extent; e.g. 40 for full time.")
    )
    shifts_note = models.CharField(
        _("shifts"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 'day shifts Mon–Fri' or 'two weekends a month'."),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=NeedReason.choices)
    required_skills = models.TextField(_("required skills"), blank=True)
    # A purchase outside the agreement (direktupphandling) is possible only as a dispensation.
    outside_agreement = models.BooleanField(_("purchase outside the agreement"), default=False)
    outside_supplier_name = models.CharField(_("supplier outside the agreement"), max_length=200, blank=True)
    outside_hourly_price_sek = models.DecimalField(
        _("hourly price outside the agreement (SEK)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    outside_justification = models.TextField(_("why the agreement cannot be used"), blank=True)
    # Price estimate from the price list (never typed in).
    price_list = models.ForeignKey(
        "agreement.PriceList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("price list"),
    )
    estimated_hourly_price_sek = models.DecimalField(
        _("agreement price (SEK/h)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    estimated_cost_sek = models.DecimalField(
        _("estimated cost (SEK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Routing
    status = models.CharField(
        _("status"), max_length=30, choices=NeedStatus.choices, default=NeedStatus.DRAFT
    )
    required_level = models.PositiveSmallIntegerField(
        _("decision level"), choices=DecisionLevel.choices, null=True, blank=True
    )
    is_dispensation = models.BooleanField(
        _("dispensation"), default=False, help_text=_("A hiring stop or the agreement had to be set aside.")
    )
    rule_outcome = models.JSONField(_("rule outcome"), null=True, blank=True)
    internal_outcome = models.TextField(_("internal alternatives tried"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0), name="%(app_label)s_%(class)s_hours_positive"
            ),
        ]
        indexes = [
            # Work queues: needs in a status for a region, oldest first.
            models.Index(fields=["region", "status", "status_changed_at"], name="need_queue"),
            # The need list's order, newest first: a region's (its whole-region roles), and all (national).
            models.Index(fields=["region", "-created_at", "-id"], name="need_region_newest"),
            models.Index(fields=["-created_at", "-id"], name="need_newest"),
            # (PostgreSQL also has need_region_since, made by migration 0007: SQLite cannot index
            # NULLS LAST.)
            # An orderer's need list counts its two parts from these alone (``queues.orderer_need_parts``:
            # the needs of their units, the needs they created elsewhere), with or without a status. (The
            # foreign keys keep their own indexes: dropping them remakes the table on SQLite, and with
            # it the triggers of the need tally.)
            models.Index(fields=["unit", "region", "status"], name="need_unit_count"),
            models.Index(fields=["created_by", "region", "status", "unit"], name="need_orderer_count"),
            # ... and reads a page of each part newest first from these, only as far as the page.
            models.Index(fields=["unit", "-created_at", "-id"], name="need_unit_newest"),
            models.Index(fields=["created_by", "-created_at", "-id"], name="need_orderer_newest"),
            # The dispensation register: the few dispensations among a million needs.
            models.Index(fields=["region"], condition=Q(is_dispensation=True), name="need_dispensations"),
            # The direct purchases' pending dispensations (approved outside the agreement, perhaps not yet
            # registered): a region's, by start (its register page and form), and every region's in a
            # year (the national overview) – the few such needs among a million.
            models.Index(
                fields=["region", "starts_on"],
                condition=Q(outside_agreement=True, status=NeedStatus.APPROVED),
                name="need_pending_purchase",
            ),
            models.Index(
                fields=["starts_on"],
                condition=Q(outside_agreement=True, status=NeedStatus.APPROVED),
                name="need_pending_purchase_year",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.competence} – {self.unit.name}"

    @property
    def reference(self) -> str:
        """The one reference every role sees: "Call-off 55 · need 132" once published, else "Need 132"."""
        call_off = getattr(self, "call_off", None)
        if call_off is not None:
            return call_off.reference
        return _("Need %(need)s") % {"need": self.pk}

    @property
    def length_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end cannot be before the start.")
        if self.competence_id and self.profession_id and self.competence.profession_id != self.profession_id:
            errors["competence"] = _("The competence does not belong to the profession.")
        if self.unit_id:
            if self.unit.kind != "care_unit":
                errors["unit"] = _("Staff is ordered for a care unit.")
            elif self.region_id and self.unit.region_id != self.region_id:
                errors["unit"] = _("The unit belongs to another region.")
        if self.outside_agreement:
            if not self.outside_supplier_name:
                errors["outside_supplier_name"] = _("Name the supplier outside the agreement.")
            if not self.outside_hourly_price_sek:
                errors["outside_hourly_price_sek"] = _("Give the hourly price outside the agreement.")
            if not self.outside_justification:
                errors["outside_justification"] = _("Explain why the agreement cannot be used.")
        if errors:
            raise ValidationError(errors)


class RegionNeedStatusTally(models.Model):
    """How many needs a region has in each status: the exact total of the need list filtered by status
    alone, for the users who see the whole region (and the national level's), without counting a
    region's tens of thousands of needs in that status each request (4–44 ms a time at national
    scale, the largest region's "awarded"); added up over the statuses, the unfiltered list's (10.6
    ms a time for a large region's COUNT).

    Kept by database triggers on the needs (``hyrkoll.lib.sums`` keyed by region and status, no sums;
    installed by the migration), so every write path counts: the ORM, ``bulk_create``, COPY. Never
    written by the app. Creating a need holds its region's row for its status until the transaction
    commits; a status change moves one from the old status's row to the new one's, holding both.
    """

    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.CASCADE,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the region
        related_name="need_status_tallies",
        verbose_name=_("region"),
    )
    status = models.CharField(_("status"), max_length=30, choices=NeedStatus.choices)
    needs = models.BigIntegerField(_("needs"), default=0)

    class Meta:
        verbose_name = _("need tally per status")
        verbose_name_plural = _("need tallies per status")
        constraints = [
            # The triggers' upserts: ON CONFLICT (region_id, status).
            models.UniqueConstraint(fields=["region", "status"], name="need_status_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.status}: {self.needs}"
