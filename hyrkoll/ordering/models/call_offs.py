"""The call-off (avrop) and its recipients: every supplier admitted to the sub-area on the day."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedQuerySet


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


class SupplierCallOffTally(models.Model):
    """How many call-offs a supplier has received (its ``CallOffRecipient`` rows): the exact total of
    its call-off list in the API without counting ~a million rows a request.

    Kept by database triggers on the recipients (``hyrkoll.lib.tallies``, installed by the migration),
    so every write path counts: the ORM, ``bulk_create``, COPY, cascades. Never written by the app.
    """

    supplier = models.OneToOneField(
        "agreement.Supplier",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the supplier
        related_name="call_off_tally",
        verbose_name=_("supplier"),
    )
    received = models.BigIntegerField(_("call-offs received"), default=0)

    class Meta:
        verbose_name = _("call-off tally")
        verbose_name_plural = _("call-off tallies")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.received}"


class RegionCallOffStatusTally(models.Model):
    """How many call-offs a region has in each status: the call-off list's numbers (the open ones
    first, then the others) for the region's users and the national level, unfiltered or filtered by
    status alone, without counting a region's call-offs each request (7.8–28 ms at national scale).

    Kept by database triggers on the call-offs (``hyrkoll.lib.sums`` keyed by region and status, no
    sums; installed by the migration), so every write path counts. Never written by the app.
    """

    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.CASCADE,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the region
        related_name="call_off_status_tallies",
        verbose_name=_("region"),
    )
    status = models.CharField(_("status"), max_length=20, choices=CallOffStatus.choices)
    call_offs = models.BigIntegerField(_("call-offs"), default=0)

    class Meta:
        verbose_name = _("call-off tally per status")
        verbose_name_plural = _("call-off tallies per status")
        constraints = [
            # The triggers' upserts: ON CONFLICT (region_id, status).
            models.UniqueConstraint(fields=["region", "status"], name="calloff_status_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.status}: {self.call_offs}"
