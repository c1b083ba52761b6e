"""Assignments (uppdrag): an awarded call-off with its consultant and agreed price.

The hourly price is copied from the price list in force on the start date at award time and is
never typed in. One call-off has at most one assignment – enforced by the database, so two
call-off officers awarding at the same moment cannot both succeed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedQuerySet


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


class AssignmentQuerySet(ScopedQuerySet):
    def overlapping(self, starts_on: object, ends_on: object) -> AssignmentQuerySet:
        return self.exclude(status=AssignmentStatus.CANCELLED).filter(
            starts_on__lte=ends_on, ends_on__gte=starts_on
        )


class Assignment(models.Model):
    scope_region_path = "region"
    scope_supplier_path = "supplier"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("region")
    )
    call_off = models.OneToOneField(
        "ordering.CallOff", on_delete=models.PROTECT, related_name="assignment", verbose_name=_("call-off")
    )
    offer = models.OneToOneField(
        "ordering.Offer", on_delete=models.PROTECT, related_name="assignment", verbose_name=_("offer")
    )
    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("consultant"),
    )
    supplier = models.ForeignKey(
        "agreement.Supplier", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("supplier")
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("care unit"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=1)
    price_list = models.ForeignKey(
        "agreement.PriceList", on_delete=models.PROTECT, related_name="+", verbose_name=_("price list")
    )
    level = models.ForeignKey(
        "agreement.CompetenceLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competence level"),
    )
    zone = models.PositiveSmallIntegerField(_("zone"))
    hourly_price_sek = models.DecimalField(_("hourly price (SEK)"), max_digits=8, decimal_places=2)
    travel_supplement_sek_per_week = models.DecimalField(
        _("travel flat rate (SEK per week)"), max_digits=9, decimal_places=2, default=0
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("awarded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("awarded by")
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hourly_price_sek__gt=0), name="%(app_label)s_%(class)s_price_positive"
            ),
        ]
        indexes = [
            # Double-booking check: a consultant's assignments overlapping a period.
            models.Index(fields=["consultant", "starts_on", "ends_on"], name="assignment_consultant_period"),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} @ {self.unit} {self.starts_on}–{self.ends_on}"
