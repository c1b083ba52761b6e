"""Needs (behov), their approval, call-offs (avrop) to suppliers, offers and consultant checks.

The life of a need is one status field changed only by ``hyrkoll.ordering.workflow``; every step
is a ``NeedEvent`` in the need's history and an event in the audit trail.
"""

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


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    SUBMITTED = "submitted", _("Submitted")
    INTERNAL_ATTEMPT = "internal_attempt", _("Internal alternative tried")
    FILLED_INTERNALLY = "filled_internally", _("Filled internally")
    INTERNAL_EXHAUSTED = "internal_exhausted", _("Internal alternatives exhausted")
    RULES = "rules", _("Rules evaluated")
    STEERING_REVIEW = "steering_review", _("Reviewed by the steering group")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    PUBLICATION_FAILED = "publication_failed", _("Could not be published")
    OFFER = "offer", _("Offer received")
    CHECKS = "checks", _("Consultant checked")
    AWARDED = "awarded", _("Awarded")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class NeedEvent(models.Model):
    """One step in a need's history (what the region sees on the need's page)."""

    scope_region_path = "need__region"

    need = models.ForeignKey(
        "ordering.Need", on_delete=models.CASCADE, related_name="events", verbose_name=_("need")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (name)"), max_length=150)
    kind = models.CharField(_("step"), max_length=30, choices=EventKind.choices)
    text = models.TextField(_("details"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("need event")
        verbose_name_plural = _("need events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class AttemptOutcome(models.TextChoices):
    NOT_AVAILABLE = "not_available", _("Not available for the period")
    DECLINED = "declined", _("Declined")
    WRONG_COMPETENCE = "wrong_competence", _("Competence does not match")
    FILLED = "filled", _("Fills the need")


class InternalAttempt(models.Model):
    """An internal alternative tried before going external (pool member or other unit's staff)."""

    scope_region_path = "need__region"

    need = models.ForeignKey(
        "ordering.Need", on_delete=models.CASCADE, related_name="internal_attempts", verbose_name=_("need")
    )
    pool_member = models.ForeignKey(
        "pool.PoolMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("pool member"),
    )
    description = models.CharField(
        _("alternative"), max_length=300, blank=True, help_text=_("E.g. staff from another unit.")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=AttemptOutcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("internal attempt")
        verbose_name_plural = _("internal attempts")
        constraints = [
            models.CheckConstraint(
                condition=Q(pool_member__isnull=False) | ~Q(description=""),
                name="%(app_label)s_%(class)s_names_alternative",
                violation_error_message=_("Name the pool member or describe the alternative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pool_member or self.description}: {self.get_outcome_display()}"


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return to the orderer")


# A decision as recorded (the choices above are what the approver chooses between).
OUTCOME_RECORDED = {
    DecisionOutcome.APPROVE: _("Approved"),
    DecisionOutcome.REJECT: _("Rejected"),
    DecisionOutcome.RETURN: _("Returned to the orderer"),
}


class Decision(models.Model):
    """An approver's (or the steering group's) decision on a need, with its reason."""

    scope_region_path = "need__region"

    need = models.ForeignKey(
        "ordering.Need", on_delete=models.CASCADE, related_name="decisions", verbose_name=_("need")
    )
    is_steering_review = models.BooleanField(_("steering group review"), default=False)
    level = models.PositiveSmallIntegerField(_("decision level"), choices=DecisionLevel.choices, null=True)
    outcome = models.CharField(_("decision"), max_length=10, choices=DecisionOutcome.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    decided_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_by})"

    @property
    def outcome_label(self) -> str:
        """The decision as recorded: "Approved", not the choice "Approve"."""
        return str(OUTCOME_RECORDED.get(self.outcome, self.get_outcome_display()))


class CallOffStatus(models.TextChoices):
    OPEN = "open", _("Open for offers")
    AWARDED = "awarded", _("Awarded")
    UNFILLED = "unfilled", _("Closed without award")
    CANCELLED = "cancelled", _("Cancelled")


class CallOff(models.Model):
    """The published call-off: sent to every supplier admitted to the sub-area on that date."""

    scope_region_path = "region"
    scope_supplier_path = "recipients__supplier"

    need = models.OneToOneField(
        "ordering.Need", on_delete=models.PROTECT, related_name="call_off", verbose_name=_("need")
    )
    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="call_offs", verbose_name=_("region")
    )
    sub_area = models.ForeignKey(
        "agreement.SubArea", on_delete=models.PROTECT, related_name="call_offs", verbose_name=_("sub-area")
    )
    published_at = models.DateTimeField(_("published"))
    response_deadline = models.DateTimeField(_("response deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=CallOffStatus.choices, default=CallOffStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("call-off")
        verbose_name_plural = _("call-offs")
        indexes = [
            models.Index(fields=["status", "response_deadline"], name="calloff_open_deadline"),
            # A supplier's newest call-offs (its list and the API): walked newest first, each call-off
            # probed in the recipients' (call-off, supplier) index, instead of sorting all it received.
            models.Index(fields=["-published_at", "-id"], name="calloff_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{_('Call-off')} {self.pk}: {self.need.competence}, {self.need.unit.name}"

    @property
    def reference(self) -> str:
        """The call-off's and its need's numbers, the same for the region and the suppliers."""
        return _("Call-off %(call_off)s · need %(need)s") % {"call_off": self.pk, "need": self.need_id}


class CallOffRecipient(models.Model):
    scope_region_path = "call_off__region"
    scope_supplier_path = "supplier"

    call_off = models.ForeignKey(
        "ordering.CallOff", on_delete=models.CASCADE, related_name="recipients", verbose_name=_("call-off")
    )
    supplier = models.ForeignKey(
        "agreement.Supplier",
        on_delete=models.PROTECT,
        related_name="call_offs_received",
        verbose_name=_("supplier"),
    )
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("call-off recipient")
        verbose_name_plural = _("call-off recipients")
        constraints = [
            models.UniqueConstraint(fields=["call_off", "supplier"], name="%(app_label)s_%(class)s_unique")
        ]

    def __str__(self) -> str:
        return f"{self.call_off_id} → {self.supplier}"


class OfferStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(models.Model):
    """A supplier's offer of one named consultant on a call-off."""

    scope_region_path = "call_off__region"
    scope_supplier_path = "supplier"

    call_off = models.ForeignKey(
        "ordering.CallOff", on_delete=models.PROTECT, related_name="offers", verbose_name=_("call-off")
    )
    supplier = models.ForeignKey(
        "agreement.Supplier", on_delete=models.PROTECT, related_name="offers", verbose_name=_("supplier")
    )
    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("consultant"),
    )
    licence_number = models.CharField(_("licence number"), max_length=20, blank=True)
    competence = models.ForeignKey(
        "agreement.Competence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("specialist competence"),
    )
    hlr_trained_on = models.DateField(_("CPR/HLR training on"), null=True, blank=True)
    available_from = models.DateField(_("available from"))
    available_to = models.DateField(_("available to"))
    references = models.TextField(
        _("references"),
        blank=True,
        help_text=_("Two manager references from the latest workplace, one per line."),
    )
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.SUBMITTED
    )
    checks_passed = models.BooleanField(_("passed all checks"), default=False)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["call_off", "consultant"],
                name="%(app_label)s_%(class)s_consultant_once",
                violation_error_message=_("This consultant has already been offered on the call-off."),
            ),
            models.CheckConstraint(
                condition=Q(available_to__gte=models.F("available_from")),
                name="%(app_label)s_%(class)s_available_to_after_from",
            ),
            # Two call-off officers awarding at once: the database lets only one offer win.
            models.UniqueConstraint(
                fields=["call_off"],
                condition=Q(status="awarded"),
                name="%(app_label)s_%(class)s_one_award_per_call_off",
                violation_error_message=_("The call-off has already been awarded."),
            ),
        ]
        # A supplier's offers in the list's order (the API's offers list), without sorting them all.
        indexes = [models.Index(fields=["supplier", "submitted_at", "id"], name="offer_supplier_submitted")]

    def __str__(self) -> str:
        return f"{self.consultant} ({self.supplier})"

    def covers_period(self) -> bool:
        need = self.call_off.need
        return self.available_from <= need.starts_on and self.available_to >= need.ends_on

    @property
    def failed_check_count(self) -> int:
        """How many of the offer's checks failed (the prefetched checks, when the page has them)."""
        return sum(1 for check in self.checks.all() if not check.passed)


class CheckCode(models.TextChoices):
    COMPLETE = "complete", _("Required information complete")
    LICENCE = "licence", _("Licence and specialist competence")
    EXPERIENCE = "experience", _("Two years' clinical experience")
    HLR = "hlr", _("CPR/HLR training within 12 months")
    KARENS = "karens", _("12-month cooling-off (karens)")
    DOUBLE_BOOKING = "double_booking", _("No double booking")


class OfferCheck(models.Model):
    """The latest result of one automatic check of an offered consultant."""

    scope_region_path = "offer__call_off__region"
    scope_supplier_path = "offer__supplier"

    offer = models.ForeignKey(
        "ordering.Offer", on_delete=models.CASCADE, related_name="checks", verbose_name=_("offer")
    )
    code = models.CharField(_("check"), max_length=20, choices=CheckCode.choices)
    passed = models.BooleanField(_("passed"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["offer", "code"]
        verbose_name = _("offer check")
        verbose_name_plural = _("offer checks")
        constraints = [
            models.UniqueConstraint(fields=["offer", "code"], name="%(app_label)s_%(class)s_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {'ok' if self.passed else self.reason}"
