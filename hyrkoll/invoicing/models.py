"""Invoices from suppliers and their control against the agreement.

An invoice belongs to one supplier and one region. Each line names an assignment, a date range, a
kind (worked hours, on-call, an unsocial-hours category or the travel flat rate), a quantity, the
unit price and the amount *as the supplier invoiced them*. The control (``invoicing.control``)
recomputes every line from the agreed price and the approved time and stores what it found as
:class:`InvoiceDeviation` rows. Only an invoice without open deviations can be approved.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.agreement.models import SupplementKind
from hyrkoll.lib.scoping import ScopedQuerySet


class InvoiceSource(models.TextChoices):
    PORTAL = "portal", _("Supplier portal")
    API = "api", _("API")
    FILE = "file", _("File import")


class InvoiceStatus(models.TextChoices):
    RECEIVED = "received", _("To check")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DocumentType(models.TextChoices):
    """An invoice, or a credit note that reduces what an earlier invoice of the supplier asked for."""

    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class LineKind(models.TextChoices):
    """What an invoice line charges. Hours at the base price, or a supplement of the price list."""

    HOURS = "hours", _("Worked hours")
    ON_CALL = SupplementKind.ON_CALL.value, SupplementKind.ON_CALL.label
    WEEKDAY_EVENING = SupplementKind.WEEKDAY_EVENING.value, SupplementKind.WEEKDAY_EVENING.label
    WEEKDAY_NIGHT = SupplementKind.WEEKDAY_NIGHT.value, SupplementKind.WEEKDAY_NIGHT.label
    WEEKEND_DAY = SupplementKind.WEEKEND_DAY.value, SupplementKind.WEEKEND_DAY.label
    WEEKEND_EVENING = SupplementKind.WEEKEND_EVENING.value, SupplementKind.WEEKEND_EVENING.label
    WEEKEND_NIGHT = SupplementKind.WEEKEND_NIGHT.value, SupplementKind.WEEKEND_NIGHT.label
    HOLIDAY_DAY = SupplementKind.HOLIDAY_DAY.value, SupplementKind.HOLIDAY_DAY.label
    HOLIDAY_NIGHT = SupplementKind.HOLIDAY_NIGHT.value, SupplementKind.HOLIDAY_NIGHT.label
    TRAVEL_FLAT_RATE = SupplementKind.TRAVEL_FLAT_RATE.value, SupplementKind.TRAVEL_FLAT_RATE.label


class DeviationKind(models.TextChoices):
    WRONG_PRICE = "wrong_price", _("Wrong price")
    UNAPPROVED_HOURS = "unapproved_hours", _("Hours without approved time")
    OUTSIDE_PERIOD = "outside_period", _("Hours outside the assignment's period")
    UNKNOWN_ASSIGNMENT = "unknown_assignment", _("Unknown assignment")
    DUPLICATE_NUMBER = "duplicate_number", _("Duplicate invoice number")


class InvoiceFile(models.Model):
    """An imported invoice file: recorded by its SHA-256 so that the same file twice changes nothing."""

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    invoices = models.PositiveIntegerField(_("invoices"), default=0)
    skipped_invoices = models.PositiveIntegerField(_("invoices already received"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("imported by")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("invoice file")
        verbose_name_plural = _("invoice files")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "sha256"], name="%(app_label)s_%(class)s_once_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class Invoice(models.Model):
    scope_region_path = "region"
    scope_supplier_path = "supplier"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("region")
    )
    supplier = models.ForeignKey(
        "agreement.Supplier", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("supplier")
    )
    number = models.CharField(_("invoice number"), max_length=50)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    source = models.CharField(_("received through"), max_length=10, choices=InvoiceSource.choices)
    source_file = models.ForeignKey(
        InvoiceFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_set",
        verbose_name=_("file"),
    )
    document_type = models.CharField(
        _("document"), max_length=12, choices=DocumentType.choices, default=DocumentType.INVOICE
    )
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credited invoice"),
        help_text=_("For a credit note: the supplier's invoice it reduces (its lines are negative)."),
    )
    content_hash = models.CharField(
        _("content fingerprint"),
        max_length=64,
        help_text=_("The same invoice received twice (same number and lines) is stored once."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.RECEIVED
    )
    invoiced_sek = models.DecimalField(_("invoiced (SEK)"), max_digits=14, decimal_places=2, default=0)
    expected_sek = models.DecimalField(
        _("per the agreement (SEK)"), max_digits=14, decimal_places=2, default=0
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("received by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("decided by")
    )
    decision_comment = models.TextField(_("comment"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-invoice_date", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            # The same invoice (number and content) is stored once; the same number with other content
            # is stored and shown as a duplicate invoice number.
            models.UniqueConstraint(
                fields=["supplier", "number", "content_hash"], name="%(app_label)s_%(class)s_once"
            ),
            # A credit note always names the invoice it credits; an invoice never does.
            models.CheckConstraint(
                condition=(Q(document_type="credit_note") & Q(credited_invoice__isnull=False))
                | (Q(document_type="invoice") & Q(credited_invoice__isnull=True)),
                name="%(app_label)s_%(class)s_credit_note_names_invoice",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="invoice_region_status"),
            models.Index(fields=["supplier", "number"], name="invoice_supplier_number"),
            # The lists (web and API) show the newest received first: a region's, a supplier's, all.
            models.Index(fields=["region", "-received_at", "-id"], name="invoice_region_newest"),
            models.Index(fields=["supplier", "-received_at", "-id"], name="invoice_supplier_newest"),
            models.Index(fields=["-received_at", "-id"], name="invoice_newest"),
            # The list's totals (invoiced, expected, count) read from the index alone.
            models.Index(fields=["region", "invoiced_sek", "expected_sek"], name="invoice_region_totals"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.number}"

    @property
    def deviation_sek(self) -> Decimal:
        """What the invoice asks beyond the agreement (negative: less)."""
        return self.invoiced_sek - self.expected_sek

    @property
    def open_deviations(self) -> int:
        return sum(1 for deviation in self.deviations.all() if deviation.accepted_at is None)


class SupplierInvoiceTally(models.Model):
    """How many invoices (credit notes too) a supplier has sent: the exact total of its invoice list
    in the API without counting its invoices each request (~24 ms a time for a big supplier at
    national scale).

    Kept by database triggers on the invoices (``hyrkoll.lib.tallies``, installed by the migration),
    so every write path counts: the ORM, ``bulk_create``, COPY. Never written by the app.
    """

    supplier = models.OneToOneField(
        "agreement.Supplier",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the supplier
        related_name="invoice_tally",
        verbose_name=_("supplier"),
    )
    invoices = models.BigIntegerField(_("invoices"), default=0)

    class Meta:
        verbose_name = _("invoice tally")
        verbose_name_plural = _("invoice tallies")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.invoices}"


class RegionInvoiceTotals(models.Model):
    """A region's invoices counted and their amounts summed: the totals of a region's unfiltered
    invoice list (and, over the 21 rows, the national one) without aggregating ~230,000 invoices.

    Kept by database triggers on the invoices (``hyrkoll.lib.sums``, installed by the migration), so
    every write path counts: the ORM, ``update()``, ``bulk_create``, COPY. Never written by the app.
    A transaction writing a region's invoices holds its row until it commits: writes of invoices of
    one region wait for each other there (the app writes one region's invoices per transaction).
    """

    region = models.OneToOneField(
        "organisation.Region",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the region
        related_name="invoice_totals",
        verbose_name=_("region"),
    )
    invoices = models.BigIntegerField(_("invoices"), default=0)
    invoiced_sek = models.DecimalField(_("invoiced (SEK)"), max_digits=18, decimal_places=2, default=0)
    expected_sek = models.DecimalField(
        _("per the agreement (SEK)"), max_digits=18, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("region invoice totals")
        verbose_name_plural = _("region invoice totals")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.invoices}"


class InvoiceLine(models.Model):
    scope_region_path = "invoice__region"
    scope_supplier_path = "invoice__supplier"

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    line_no = models.PositiveIntegerField(_("line"))
    source_row = models.PositiveIntegerField(_("row in the file"), null=True, blank=True)
    assignment_ref = models.CharField(_("assignment as invoiced"), max_length=50)
    assignment = models.ForeignKey(
        "assignments.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
        verbose_name=_("assignment"),
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    kind = models.CharField(_("kind"), max_length=30, choices=LineKind.choices, default=LineKind.HOURS)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2)
    unit_price_sek = models.DecimalField(_("unit price (SEK)"), max_digits=10, decimal_places=2)
    amount_sek = models.DecimalField(_("amount (SEK)"), max_digits=14, decimal_places=2)
    # Filled in by the control.
    priced_quantity = models.DecimalField(_("approved quantity"), max_digits=9, decimal_places=2, default=0)
    agreement_price_sek = models.DecimalField(
        _("agreement price (SEK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    expected_sek = models.DecimalField(
        _("per the agreement (SEK)"), max_digits=14, decimal_places=2, default=0
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "line_no"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_no"], name="%(app_label)s_%(class)s_one_per_no"),
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")), name="%(app_label)s_%(class)s_to_after_from"
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "kind"], name="invoiceline_assignment_kind"),
            # The preliminary figures and the ledger beside the invoices: a region's lines of some months.
            models.Index(fields=["date_from"], name="invoiceline_date_from"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} #{self.line_no}"


class InvoiceDeviation(models.Model):
    """What the control found on an invoice: a kind, the amount in SEK and an explanation.

    An open deviation blocks approval; accepting it needs a reason and is recorded in the audit trail.
    """

    scope_region_path = "invoice__region"
    scope_supplier_path = "invoice__supplier"

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="deviations", verbose_name=_("invoice")
    )
    line = models.ForeignKey(
        InvoiceLine,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("line"),
    )
    kind = models.CharField(_("deviation"), max_length=30, choices=DeviationKind.choices)
    amount_sek = models.DecimalField(_("amount (SEK)"), max_digits=14, decimal_places=2)
    description = models.TextField(_("description"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("accepted by")
    )
    accept_reason = models.TextField(_("reason for accepting"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "line__line_no", "pk"]
        verbose_name = _("invoice deviation")
        verbose_name_plural = _("invoice deviations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_sek}"
