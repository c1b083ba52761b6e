"""The feed's rows: one :class:`FeedEvent` per thing that happened, addressed to one organisation,
and the :class:`FeedClock` that hands out feed positions (see :mod:`hyrkoll.feed.positions`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import DecisionLevel, Role, RoleAssignment, Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hyrkoll.accounts.models import User


class FeedKind(models.TextChoices):
    """What happened; the values are the feed's stable, dotted names."""

    CALL_OFF_PUBLISHED = "call_off.published", _("Call-off published to the supplier")
    CALL_OFF_CLOSED = "call_off.closed", _("Call-off closed (awarded, unfilled or cancelled)")
    OFFER_AWARDED = "offer.awarded", _("Offer awarded")
    OFFER_NOT_AWARDED = "offer.not_awarded", _("Offer not awarded")
    TIME_REPORT_RETURNED = "time_report.returned", _("Time report returned")
    INVOICE_DEVIATION_FOUND = "invoice.deviation_found", _("Invoice deviation found")
    INVOICE_APPROVED = "invoice.approved", _("Invoice approved")
    NEED_AWAITING_DECISION = "need.awaiting_decision", _("Need awaiting decision")


class FeedEventQuerySet(models.QuerySet):
    def addressed_to(self, user: User | AnonymousUser) -> FeedEventQuerySet:
        """The events the user's organisation receives.

        - A supplier user: the events addressed to their supplier.
        - A region user: their region's events without a decision level, and the decision requests
          (``need.awaiting_decision``) at levels they approve at – an approver assignment at or
          above the required level, as ``ordering.permissions.can_decide`` (whether the assignment
          is limited to a part of the organisation is not looked at here).
        - The national level (and superusers without a region): nothing – the feed is addressed to
          the organisations that act; the national level reads the lists instead.
        """
        if not user.is_authenticated:
            return self.none()
        scope: Any = getattr(user, "scope", None)
        if scope == Scope.SUPPLIER and user.supplier_id is not None:  # type: ignore[union-attr]
            return self.filter(supplier_id=user.supplier_id)  # type: ignore[union-attr]
        if scope == Scope.REGION and user.region_id is not None:  # type: ignore[union-attr]
            region_id = user.region_id  # type: ignore[union-attr]
            levels = RoleAssignment.objects.filter(
                user_id=user.pk, role=Role.APPROVER, decision_level__isnull=False
            ).values_list("decision_level", flat=True)
            top = max(levels, default=None)
            addressed = Q(decision_level__isnull=True)
            if top is not None:
                addressed |= Q(decision_level__lte=top)
            return self.filter(addressed, region_id=region_id)
        return self.none()


class FeedEvent(models.Model):
    """Something that happened, addressed to a region (optionally only its approvers at a decision
    level) and/or a supplier. ``position`` is its place in the feed, given after commit."""

    kind = models.CharField(_("kind"), max_length=40, choices=FeedKind.choices)
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The region the event is addressed to (empty: not to a region)."),
    )
    supplier = models.ForeignKey(
        "agreement.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier"),
        help_text=_("The supplier the event is addressed to (empty: not to a supplier)."),
    )
    decision_level = models.PositiveSmallIntegerField(
        _("decision level"),
        choices=DecisionLevel.choices,
        null=True,
        blank=True,
        help_text=_("Only the region's approvers at or above this level see the event."),
    )
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_url = models.CharField(_("object URL"), max_length=200)
    data = models.JSONField(_("data"), default=dict, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    position = models.PositiveBigIntegerField(
        _("feed position"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Given after the recording transaction commits, in the order events become visible."),
    )

    objects = FeedEventQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("feed event")
        verbose_name_plural = _("feed events")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(supplier__isnull=False),
                name="%(app_label)s_%(class)s_addressed",
                violation_error_message=_("An event is addressed to a region or a supplier."),
            ),
            models.CheckConstraint(
                condition=Q(decision_level__isnull=True) | Q(region__isnull=False),
                name="%(app_label)s_%(class)s_level_needs_region",
                violation_error_message=_("A decision level addresses a region's approvers."),
            ),
        ]
        indexes = [
            # assign_positions(): the events not yet placed, in id order.
            models.Index(fields=["id"], condition=Q(position__isnull=True), name="feedevent_unplaced"),
            # The feed of one supplier / one region after a cursor.
            models.Index(fields=["supplier", "position"], name="feedevent_supplier_pos"),
            models.Index(fields=["region", "position"], name="feedevent_region_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type} {self.object_id}"


class FeedClock(models.Model):
    """The one row whose lock serialises position assignment; ``last_position`` is the highest given."""

    last_position = models.PositiveBigIntegerField(_("last position"), default=0)

    class Meta:
        verbose_name = _("feed clock")
        verbose_name_plural = _("feed clocks")

    def __str__(self) -> str:
        return str(self.last_position)
