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
    personal_number_hash = models.CharField(
        _("personal identity number (keyed hash)"),
        max_length=64,
        blank=True,
        help_text=_("Only a keyed hash is stored; used for the cooling-off (karens) check."),
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["supplier", "last_name", "first_name"]
        indexes = [
            # A supplier's consultants by name, page by page (the API's list, the id last).
            models.Index(
                fields=["supplier", "last_name", "first_name", "id"], name="consultant_supplier_by_name"
            ),
        ]
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CredentialSource(models.TextChoices):
    REGISTER = "register", _("Licence-register extract")
    EVIDENCE = "evidence", _("Evidence checked by the call-off unit")


class ConsultantCredential(models.Model):
    """A consultant's verified licence and specialist competence: verified once, reused by later
    call-offs (and re-checked against the register each time)."""

    scope_supplier_path = "consultant__supplier"

    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.CASCADE,
        related_name="credentials",
        verbose_name=_("consultant"),
    )
    licence_number = models.CharField(_("licence number"), max_length=20)
    profession = models.ForeignKey(
        "agreement.Profession", on_delete=models.PROTECT, related_name="+", verbose_name=_("profession")
    )
    competence = models.ForeignKey(
        "agreement.Competence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("specialist competence"),
    )
    licensed_on = models.DateField(_("licensed on"))
    specialist_since = models.DateField(_("specialist certificate on"), null=True, blank=True)
    source = models.CharField(_("verified by"), max_length=20, choices=CredentialSource.choices)
    evidence_note = models.CharField(_("evidence"), max_length=300, blank=True)
    verified_at = models.DateTimeField(_("verified at"))
    verified_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["consultant", "-verified_at"]
        verbose_name = _("verified credential")
        verbose_name_plural = _("verified credentials")

    def __str__(self) -> str:
        return f"{self.consultant}: {self.licence_number} ({self.get_source_display()})"


class LicenceRegisterEntry(models.Model):
    """A row of the licence-register extract (HOSP) a region imports as CSV."""

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    licence_number = models.CharField(_("licence number"), max_length=20)
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
        verbose_name=_("specialist competence"),
    )
    licensed_on = models.DateField(_("licensed on"))
    specialist_since = models.DateField(_("specialist certificate on"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region", "licence_number"]
        verbose_name = _("licence-register entry")
        verbose_name_plural = _("licence-register entries")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "licence_number", "competence"], name="%(app_label)s_%(class)s_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence_number} {self.first_name} {self.last_name}"


class FormerEmployee(models.Model):
    """Someone the region employed: only a keyed hash of the personal identity number is kept."""

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    personal_number_hash = models.CharField(_("personal identity number (keyed hash)"), max_length=64)
    employed_until = models.DateField(
        _("employed until"),
        help_text=_("Last day of employment, or the last hour worked if hourly employed."),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region", "-employed_until"]
        verbose_name = _("former employee")
        verbose_name_plural = _("former employees")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "personal_number_hash"], name="%(app_label)s_%(class)s_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.personal_number_hash[:8]}… ({self.employed_until})"
