"""Consultants a supplier employs or engages. Only their own supplier sees them here; regions see
a consultant when the supplier offers them on a call-off."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedManager


class Consultant(models.Model):
    scope_supplier_path = "supplier"

    supplier = models.ForeignKey(
        "agreement.Supplier", on_delete=models.PROTECT, related_name="consultants", verbose_name=_("supplier")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    profession = models.ForeignKey(
        "agreement.Profession", on_delete=models.PROTECT, related_name="+", verbose_name=_("profession")
    )
    competence = models.ForeignKey(
        "agreement.Competence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competence"),
    )
    licence_number = models.CharField(
        _("licence number"), max_length=20, blank=True, help_text=_("Socialstyrelsen's legitimation number.")
    )
    licensed_on = models.DateField(_("licensed on"), null=True, blank=True)
    specialist_since = models.DateField(_("specialist certificate on"), null=True, blank=True)
    hlr_trained_on = models.DateField(_("CPR/HLR training on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["supplier", "last_name", "first_name"]
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
