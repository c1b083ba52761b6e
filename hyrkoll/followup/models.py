"""Monthly cost data per region (the basis of the Bemanningstrend).

One row per region, month, cost type, profession and care area – the canonical import format.
The import, indicators and dashboards build on this table.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedManager


class CostType(models.TextChoices):
    HIRED = "hired", _("Hired staff")
    OWN = "own", _("Own personnel")
    INTERNAL_POOL = "internal_pool", _("Internal staffing pool")
    OVERTIME = "overtime", _("Overtime")


class CostProfession(models.TextChoices):
    DOCTOR = "doctor", _("Doctors")
    NURSE = "nurse", _("Nurses")
    OTHER = "other", _("Other")


class CostEntry(models.Model):
    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="cost_entries", verbose_name=_("region")
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    profession = models.CharField(
        _("profession"),
        max_length=10,
        choices=CostProfession.choices,
        blank=True,
        help_text=_("Empty: not split."),
    )
    care_area = models.ForeignKey(
        "organisation.CareArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_entries",
        verbose_name=_("care area"),
    )
    amount_sek = models.DecimalField(_("amount (SEK)"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=100, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region", "period"]
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(period__day=1), name="%(app_label)s_%(class)s_period_is_month"
            ),
        ]
        indexes = [
            # Indicator queries aggregate a period range for a region and a cost type.
            models.Index(fields=["region", "cost_type", "period"], name="followup_cost_region_period"),
        ]

    def __str__(self) -> str:
        return f"{self.region.code} {self.period:%Y-%m} {self.cost_type} {self.amount_sek}"
