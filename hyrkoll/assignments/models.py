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
    cancelled_from = models.DateField(
        _("cancelled from"), null=True, blank=True, help_text=_("The first day no longer worked.")
    )
    cancellation_charge_sek = models.DecimalField(
        _("cancellation charge (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
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
            # The lists (web and API) in their order, latest start first: a region's, a supplier's, all.
            models.Index(fields=["region", "-starts_on", "id"], name="assignment_region_latest"),
            models.Index(fields=["supplier", "-starts_on", "id"], name="assignment_supplier_latest"),
            # A supplier's active assignments (the API's ?status=active, its count): the few running
            # among ten years of them.
            models.Index(
                fields=["supplier", "-starts_on", "id"],
                condition=Q(status=AssignmentStatus.ACTIVE),
                name="assignment_supplier_active",
            ),
            models.Index(fields=["-starts_on", "id"], name="assignment_latest"),
            # A region's assignments still running at a date: the preliminary figures' time.
            models.Index(fields=["region", "ends_on"], name="assignment_region_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} @ {self.unit} {self.starts_on}–{self.ends_on}"


class AssignmentPeriodKind(models.TextChoices):
    INITIAL = "initial", _("Awarded period")
    EXTENSION = "extension", _("Extension")


class AssignmentPeriod(models.Model):
    """A priced part of an assignment: the awarded period and each extension, each at the price list
    in force on its own start (invoices use the price of the period a day falls in)."""

    scope_region_path = "assignment__region"
    scope_supplier_path = "assignment__supplier"

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="periods", verbose_name=_("assignment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentPeriodKind.choices)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    price_list = models.ForeignKey(
        "agreement.PriceList", on_delete=models.PROTECT, related_name="+", verbose_name=_("price list")
    )
    hourly_price_sek = models.DecimalField(_("hourly price (SEK)"), max_digits=8, decimal_places=2)
    travel_supplement_sek_per_week = models.DecimalField(
        _("travel flat rate (SEK per week)"), max_digits=9, decimal_places=2, default=0
    )
    hlr_trained_on = models.DateField(_("CPR/HLR training date"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "starts_on"]
        verbose_name = _("assignment period")
        verbose_name_plural = _("assignment periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["assignment", "starts_on"], name="%(app_label)s_%(class)s_one_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on} {self.hourly_price_sek} SEK/h"


class AssignmentEventKind(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    CANCELLATION = "cancellation", _("Cancellation")


class AssignmentEvent(models.Model):
    """An extension or a cancellation of an assignment, with its reason."""

    scope_region_path = "assignment__region"
    scope_supplier_path = "assignment__supplier"

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="events", verbose_name=_("assignment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentEventKind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    reason = models.TextField(_("reason"))
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "at", "pk"]
        verbose_name = _("assignment event")
        verbose_name_plural = _("assignment events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class TimeReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class TimeReport(models.Model):
    """The supplier's report of one ISO week's worked hours on an assignment."""

    scope_region_path = "assignment__region"
    scope_supplier_path = "assignment__supplier"

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="time_reports", verbose_name=_("assignment")
    )
    week = models.DateField(_("week (Monday)"))
    status = models.CharField(
        _("status"), max_length=20, choices=TimeReportStatus.choices, default=TimeReportStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    outside_period = models.BooleanField(_("hours outside the period"), default=False)
    above_extent = models.BooleanField(_("hours above the extent"), default=False)
    flags = models.JSONField(_("flags"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "week"]
        verbose_name = _("time report")
        verbose_name_plural = _("time reports")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "week"],
                name="%(app_label)s_%(class)s_one_per_week",
                violation_error_message=_("There is already a time report for this week."),
            )
        ]

    def __str__(self) -> str:
        year, week, _day = self.week.isocalendar()
        return f"{self.assignment_id} {year}-W{week:02d}"

    @property
    def iso_week(self) -> str:
        year, week, _day = self.week.isocalendar()
        return f"{year}-W{week:02d}"


class SupplierTimeReportTally(models.Model):
    """How many time reports a supplier has (reports of its assignments): the exact total of its
    time-report list in the API without counting them through the assignments each request.

    Kept by database triggers on the time reports and on the assignments' supplier
    (``hyrkoll.lib.tallies``, installed by the migration), so every write path counts: the ORM,
    ``bulk_create``, COPY. Never written by the app.
    """

    supplier = models.OneToOneField(
        "agreement.Supplier",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the supplier
        related_name="time_report_tally",
        verbose_name=_("supplier"),
    )
    reports = models.BigIntegerField(_("time reports"), default=0)

    class Meta:
        verbose_name = _("time report tally")
        verbose_name_plural = _("time report tallies")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.reports}"


class SupplierAssignmentTally(models.Model):
    """How many assignments a supplier has: the exact total of its assignment list in the API without
    counting its assignments each request (~5 ms a time for a big supplier at national scale).

    Kept by database triggers on the assignments (``hyrkoll.lib.tallies``, installed by the
    migration), so every write path counts: the ORM, ``bulk_create``, COPY. Never written by the app.
    """

    supplier = models.OneToOneField(
        "agreement.Supplier",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the supplier
        related_name="assignment_tally",
        verbose_name=_("supplier"),
    )
    assignments = models.BigIntegerField(_("assignments"), default=0)

    class Meta:
        verbose_name = _("supplier assignment tally")
        verbose_name_plural = _("supplier assignment tallies")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.assignments}"


class RegionAssignmentTally(models.Model):
    """How many assignments a region has: the exact total of the unfiltered assignment list of the
    region's users (and, over the 21 rows, the national level's) without counting a region's tens of
    thousands of assignments each request (5–23 ms a time for a large region at national scale).

    Kept by database triggers on the assignments (``hyrkoll.lib.sums``, a count per region and no
    sums; installed by the migration), so every write path counts: the ORM, ``bulk_create``, COPY.
    Never written by the app.
    """

    region = models.OneToOneField(
        "organisation.Region",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,  # derived rows: no check on each trigger's write, no hold on the region
        related_name="assignment_tally",
        verbose_name=_("region"),
    )
    assignments = models.BigIntegerField(_("assignments"), default=0)

    class Meta:
        verbose_name = _("assignment tally")
        verbose_name_plural = _("assignment tallies")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.assignments}"


class TimeReportDay(models.Model):
    scope_region_path = "report__assignment__region"
    scope_supplier_path = "report__assignment__supplier"

    report = models.ForeignKey(
        TimeReport, on_delete=models.CASCADE, related_name="days", verbose_name=_("report")
    )
    date = models.DateField(_("date"))
    normal_hours = models.DecimalField(_("worked hours"), max_digits=4, decimal_places=2, default=0)
    on_call_hours = models.DecimalField(_("on-call hours"), max_digits=4, decimal_places=2, default=0)
    unsocial_hours = models.DecimalField(_("inconvenient hours"), max_digits=4, decimal_places=2, default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "date"]
        verbose_name = _("time report day")
        verbose_name_plural = _("time report days")
        constraints = [
            models.UniqueConstraint(fields=["report", "date"], name="%(app_label)s_%(class)s_one_per_date"),
            models.CheckConstraint(
                condition=Q(normal_hours__gte=0, normal_hours__lte=24)
                & Q(on_call_hours__gte=0, on_call_hours__lte=24)
                & Q(unsocial_hours__gte=0, unsocial_hours__lte=24),
                name="%(app_label)s_%(class)s_hours_in_range",
            ),
        ]
        # The preliminary figures: the approved time of the months after a region's last ledger month.
        indexes = [models.Index(fields=["date"], name="timereportday_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.normal_hours}"
