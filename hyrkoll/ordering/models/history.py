"""A need's history: its events, the internal search's attempts and the approvers' decisions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.lib.scoping import ScopedQuerySet


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
