"""Offers of consultants on a call-off and the automatic checks of each."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedQuerySet


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
        indexes = [
            models.Index(fields=["supplier", "submitted_at", "id"], name="offer_supplier_submitted"),
            # A consultant's latest known CPR/HLR date (an assignment's page), from the first entry of
            # the consultant's: a returning consultant has hundreds of offers over ten years.
            models.Index(
                fields=["consultant", "-hlr_trained_on"],
                condition=Q(hlr_trained_on__isnull=False),
                name="offer_consultant_latest_hlr",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} ({self.supplier})"

    def covers_period(self) -> bool:
        need = self.call_off.need
        return self.available_from <= need.starts_on and self.available_to >= need.ends_on

    @property
    def failed_check_count(self) -> int:
        """How many of the offer's checks failed (the prefetched checks, when the page has them)."""
        return sum(1 for check in self.checks.all() if not check.passed)


class SupplierOfferTally(models.Model):
    """How many offers a supplier has made: the exact total of its offer list in the API without
    counting its offers each request (~20 ms a time for a big supplier at national scale).

    Kept by database triggers on the offers (``hyrkoll.lib.tallies``, installed by the migration), so
    every write path counts: the ORM, ``bulk_create``, COPY. Never written by the app.
    """

    supplier = models.OneToOneField(
        "agreement.Supplier",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the supplier
        related_name="offer_tally",
        verbose_name=_("supplier"),
    )
    offers = models.BigIntegerField(_("offers"), default=0)

    class Meta:
        verbose_name = _("offer tally")
        verbose_name_plural = _("offer tallies")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.offers}"


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
