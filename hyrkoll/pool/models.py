"""The region's internal staffing pool (bemanningspool / resursteam): own staff who can be placed
where a need arises, before anyone is hired."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedQuerySet


class PoolMemberQuerySet(ScopedQuerySet):
    def available_for(
        self,
        region_id: int,
        profession_id: int,
        level_id: int,
        starts_on: datetime.date,
        ends_on: datetime.date,
    ) -> PoolMemberQuerySet:
        """Active members of the right profession and level, available for some of the period."""
        return self.filter(
            region_id=region_id,
            is_active=True,
            profession_id=profession_id,
            level_id=level_id,
            available_from__lte=ends_on,
        ).filter(Q(available_to__isnull=True) | Q(available_to__gte=starts_on))


class PoolMember(models.Model):
    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="pool_members", verbose_name=_("region")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    profession = models.ForeignKey(
        "agreement.Profession", on_delete=models.PROTECT, related_name="+", verbose_name=_("profession")
    )
    level = models.ForeignKey(
        "agreement.CompetenceLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competence level"),
    )
    competence = models.ForeignKey(
        "agreement.Competence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competence"),
    )
    available_from = models.DateField(_("available from"))
    available_to = models.DateField(_("available to"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=1, default=40)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PoolMemberQuerySet.as_manager()

    class Meta:
        ordering = ["region", "last_name", "first_name"]
        verbose_name = _("pool member")
        verbose_name_plural = _("pool members")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        if self.available_to and self.available_from and self.available_to < self.available_from:
            raise ValidationError({"available_to": _("'Available to' cannot be before 'available from'.")})
