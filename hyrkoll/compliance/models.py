"""Compliance with the agreement: supplier deviations, suspensions of suppliers and purchases made
outside the agreement (direktupphandling).

Nothing here is deleted: a deviation is withdrawn with a reason, a suspension is lifted early with a
reason, and every change is in the audit trail (``hyrkoll.compliance.services``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import Scope
from hyrkoll.lib.orgno import validate_org_no
from hyrkoll.lib.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hyrkoll.accounts.models import User


class DeviationKind(models.TextChoices):
    LATE_DELIVERY = "late_delivery", _("Late delivery")
    MISSING_DELIVERY = "missing_delivery", _("Missing delivery")
    REQUIREMENTS_NOT_MET = "requirements_not_met", _("Consultant did not meet the requirements")
    INVOICE_ERROR = "invoice_error", _("Invoice error")
    OTHER = "other", _("Other")


class EscalationStep(models.TextChoices):
    NONE = "none", _("No deviations")
    NOTED = "noted", _("Deviation noted")
    PENALTY = "penalty", _("Contractual penalty (vite) due")
    CONSIDER_SUSPENSION = "consider_suspension", _("Penalty due — consider suspension")


class DeviationQuerySet(ScopedQuerySet):
    def active(self) -> DeviationQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class SupplierDeviation(models.Model):
    """A region's record that a supplier did not deliver as agreed."""

    scope_region_path = "region"
    scope_supplier_path = "supplier"

    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="supplier_deviations",
        verbose_name=_("region"),
    )
    supplier = models.ForeignKey(
        "agreement.Supplier", on_delete=models.PROTECT, related_name="deviations", verbose_name=_("supplier")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DeviationKind.choices)
    occurred_on = models.DateField(_("date"), help_text=_("When the deviation happened."))
    description = models.TextField(_("description"))
    assignment = models.ForeignKey(
        "assignments.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("assignment"),
        help_text=_("Optional: the assignment the deviation concerns."),
    )
    call_off = models.ForeignKey(
        "ordering.CallOff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("call-off"),
        help_text=_("Optional: the call-off the deviation concerns."),
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = DeviationQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("supplier deviation")
        verbose_name_plural = _("supplier deviations")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="%(app_label)s_%(class)s_withdrawal_has_reason",
                violation_error_message=_("A withdrawal needs a reason."),
            )
        ]
        indexes = [
            # The escalation count: a supplier's active deviations in the last 12 months.
            models.Index(fields=["supplier", "occurred_on"], name="deviation_supplier_date"),
            models.Index(fields=["region", "occurred_on"], name="deviation_region_date"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.get_kind_display()} {self.occurred_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SuspensionQuerySet(ScopedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> ScopedQuerySet:
        """Regions and the nation see every suspension (a region must know whom it cannot use);
        a supplier only its own."""
        if user.is_authenticated and getattr(user, "scope", None) == Scope.REGION:
            return self
        return super().visible_to(user)

    def in_force(self, on: datetime.date) -> SuspensionQuerySet:
        return self.filter(starts_on__lte=on, ends_on__gte=on).filter(
            Q(lifted_on__isnull=True) | Q(lifted_on__gt=on)
        )


class Suspension(models.Model):
    """The national coordinator suspends a supplier: it gets no call-offs and cannot be awarded."""

    scope_supplier_path = "supplier"

    supplier = models.ForeignKey(
        "agreement.Supplier", on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("supplier")
    )
    starts_on = models.DateField(_("suspended from"))
    ends_on = models.DateField(_("suspended until"), help_text=_("The last day of the suspension."))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    lifted_on = models.DateField(
        _("lifted from"),
        null=True,
        blank=True,
        help_text=_("The first day the supplier is no longer suspended."),
    )
    lifted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | ~Q(lift_reason=""),
                name="%(app_label)s_%(class)s_lift_has_reason",
                violation_error_message=_("Lifting a suspension needs a reason."),
            ),
        ]
        indexes = [models.Index(fields=["supplier", "starts_on", "ends_on"], name="suspension_period")]

    def __str__(self) -> str:
        return f"{self.supplier} {self.starts_on}–{self.ends_on}"

    @property
    def effective_end(self) -> datetime.date:
        """The last day the supplier is actually suspended (earlier if lifted)."""
        if self.lifted_on is not None:
            return min(self.ends_on, self.lifted_on - datetime.timedelta(days=1))
        return self.ends_on

    def is_in_force(self, on: datetime.date) -> bool:
        return self.starts_on <= on <= self.effective_end


class DirectPurchase(models.Model):
    """A purchase outside the agreement (direktupphandling), as it was actually made.

    With ``need`` set, it carries out an approved dispensation (an outside-agreement need decided at
    the top level); without, it was found afterwards (e.g. in the ledger) and made without one –
    ``explanation`` then says what is known.
    """

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="direct_purchases",
        verbose_name=_("region"),
    )
    need = models.OneToOneField(
        "ordering.Need",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_purchase",
        verbose_name=_("dispensation (approved need)"),
        help_text=_("Empty: the purchase was made without a dispensation."),
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Required when there is no dispensation.")
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("care unit")
    )
    level = models.ForeignKey(
        "agreement.CompetenceLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competence level"),
        help_text=_("For the agreement price the purchase is compared with."),
    )
    supplier_name = models.CharField(_("supplier"), max_length=200)
    supplier_org_no = models.CharField(
        _("supplier's organisation number"),
        max_length=11,
        validators=[validate_org_no],
        help_text=_("NNNNNN-NNNN"),
    )
    hourly_price_sek = models.DecimalField(_("hourly price (SEK)"), max_digits=8, decimal_places=2)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=1)
    total_sek = models.DecimalField(
        _("total amount (SEK)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Computed: weeks × hours × price."),
    )
    agreement_hourly_sek = models.DecimalField(
        _("agreement price (SEK/h)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    agreement_cost_sek = models.DecimalField(
        _("cost at the agreement price (SEK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    premium_sek = models.DecimalField(
        _("premium over the agreement (SEK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("direct purchase")
        verbose_name_plural = _("direct purchases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_price_sek__gt=0) & Q(hours_per_week__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("The price and the hours must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(need__isnull=False) | ~Q(explanation=""),
                name="%(app_label)s_%(class)s_explained_without_dispensation",
                violation_error_message=_("A purchase without a dispensation needs an explanation."),
            ),
        ]
        indexes = [
            # Contract fidelity matches ledger lines by region, organisation number and period.
            models.Index(fields=["region", "supplier_org_no", "starts_on"], name="direct_purchase_match"),
            # The register page: a year's purchases, every region's (national) or one region's.
            models.Index(fields=["starts_on", "region"], name="direct_purchase_register_year"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_name} {self.starts_on}–{self.ends_on}"

    @property
    def has_dispensation(self) -> bool:
        return self.need_id is not None
