"""Follow-up data: monthly costs and staffing metrics per region (the basis of the Bemanningstrend),
the imports that brought them, the regions' targets and the published national figures.

Ledger files have many lines per key; the import adds them up into one ``CostEntry`` per region,
month, cost type, profession and care area. Every indicator is computed from these stored
monthly aggregates, however many ledger lines lie beneath.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from hyrkoll.followup.choices import (  # the codes, importable from here as before
    CostCareArea,
    CostProfession,
    CostType,
    ImportKind,
    ImportStatus,
    MetricKind,
)
from hyrkoll.followup.expressions import DayOfMonth
from hyrkoll.lib.scoping import ScopedQuerySet


class CostImport(models.Model):
    """One import of a cost or metrics file: who, when, which file, what it held.

    A file uploaded in the web app is stored and imported by the job worker
    (``hyrkoll run_jobs``); its progress is shown while it runs.
    """

    scope_region_path = "region"

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices, default=ImportKind.COSTS)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Set when the file holds one region only (a region's own upload)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    filename = models.CharField(_("file"), max_length=255)
    file = models.FileField(_("stored file"), upload_to="imports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64, db_index=True)
    replace = models.BooleanField(_("replace the months the file covers"), default=False)
    lines = models.PositiveIntegerField(_("lines read"), default=0)
    lines_done = models.PositiveIntegerField(_("lines processed"), default=0)
    entries = models.PositiveIntegerField(_("monthly rows stored"), default=0)
    region_months = models.JSONField(_("region-months"), default=list, blank=True)
    totals = models.JSONField(_("totals per cost type (SEK)"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    definition_note = models.CharField(
        _("definition of own personnel cost"),
        max_length=300,
        blank=True,
        help_text=_("What the region's own personnel cost includes (e.g. excl. dental care)."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def progress_pct(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.REJECTED):
            return 100
        return int(100 * self.lines_done / self.lines) if self.lines else 0


class CostEntry(models.Model):
    """The monthly aggregate of one key: region × month × cost type × profession × care area."""

    scope_region_path = "region"

    # No index of its own: the unique key (region, period, …) leads with it and serves every look-up by
    # region; one index fewer to write for each of an import's rows. No database-level foreign keys
    # (as on SupplierCostMonth): the import writes these rows with ids it has just read or created,
    # in the transaction that creates the import, and PostgreSQL checked each of them at commit –
    # 0.3 s of the benchmark ledger's 45,360 rows; PROTECT still holds in Django, and regions and
    # imports are never deleted.
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="cost_entries",
        verbose_name=_("region"),
        db_index=False,
        db_constraint=False,
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
    care_area = models.CharField(
        _("care area"),
        max_length=12,
        choices=CostCareArea.choices,
        blank=True,
        help_text=_("Empty: not split."),
    )
    amount_sek = models.DecimalField(_("amount (SEK)"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=100, blank=True)
    cost_import = models.ForeignKey(
        "followup.CostImport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_entries",
        verbose_name=_("import"),
        db_constraint=False,
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "period"]
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        constraints = [
            models.CheckConstraint(
                condition=Exact(DayOfMonth("period"), 1), name="%(app_label)s_%(class)s_period_is_month"
            ),
            models.UniqueConstraint(
                fields=["region", "period", "cost_type", "profession", "care_area"],
                name="%(app_label)s_%(class)s_one_row_per_key",
            ),
        ]
        indexes = [
            # Indicator queries aggregate a period range per region and cost type.
            models.Index(fields=["period", "cost_type", "region"], name="followup_cost_period_type"),
        ]

    def __str__(self) -> str:
        return f"{self.region.code} {self.period:%Y-%m} {self.cost_type} {self.amount_sek}"


class SupplierCostMonth(models.Model):
    """Hired-staff cost per supplier in one region and month, as one import's ledger booked it: an
    entry per supplier (organisation number), profession and care area, with the amount per unit
    (the region's cost centre) within it.

    Contract fidelity classifies each unit's amount from a supplier (a ledger line) against the
    admitted suppliers, assignments and invoices; the preliminary figures add up a supplier's
    month. Both read whole region-months, and an import replaces whole region-months, so the
    entries are kept together, as JSON, in one row per region-month and import. A row per unit
    (544,156 of the benchmark ledger's 2.1 M lines) or per supplier, profession and care area
    (132,080) was most of the import's time, a database insert each; the region-months are 2,520.
    """

    scope_region_path = "region"

    # No database-level foreign keys (the import writes these rows with ids it has just read or
    # created, and PostgreSQL would check each at commit); PROTECT still holds in Django. The
    # (region, month) index serves every read; nothing looks rows up by their import (an import's
    # rows still in place are counted in CostEntry; imports are never deleted).
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        db_constraint=False,
        db_index=False,
    )
    period = models.DateField(_("month"))
    # Amounts as text with two decimals (as the amount is written), so that no float rounds them.
    entries = models.JSONField(
        _("entries"),
        default=list,
        blank=True,
        help_text=_(
            "One per supplier, profession and care area: [organisation number, profession, care area, "
            "{unit: amount (SEK, two decimals, as text)}], e.g. "
            '["556677-8899", "doctor", "primary", {"K14P0001": "12500.50"}]; the empty unit for lines '
            "without one."
        ),
    )
    cost_import = models.ForeignKey(
        "followup.CostImport",
        on_delete=models.PROTECT,
        related_name="supplier_months",
        verbose_name=_("import"),
        db_constraint=False,
        db_index=False,
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "period"]
        verbose_name = _("hired cost per supplier, one month")
        verbose_name_plural = _("hired cost per supplier, months")
        indexes = [models.Index(fields=["region", "period"], name="followup_suppliercost_month")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period:%Y-%m}: {len(self.entries)} entries"

    @staticmethod
    def entry_text(org_no: str, profession: str, care_area: str, units: Mapping[str, Decimal]) -> str:
        """An entry as JSON text, as the columnar reader's DuckDB writes it: its units in the order of
        their texts, each amount with two decimals (never "-0.00")."""
        unit_texts = sorted(
            f'{json.dumps(unit, ensure_ascii=False)}:"{format(amount or abs(amount), ".2f")}"'
            for unit, amount in units.items()
        )
        head = json.dumps([org_no, profession, care_area], separators=(",", ":"), ensure_ascii=False)
        return f"{head[:-1]},{{{','.join(unit_texts)}}}]"

    @staticmethod
    def units_by_entry(
        amounts: Mapping[tuple[Any, datetime.date, str, str, str, str], Decimal],
    ) -> dict[tuple[Any, datetime.date, str, str, str], dict[str, Decimal]]:
        """Amounts by (region, month, org no, unit, profession, care area) grouped by entry:
        (region, month, org no, profession, care area) → unit → amount."""
        units: defaultdict[tuple[Any, datetime.date, str, str, str], dict[str, Decimal]] = defaultdict(dict)
        for (region, month, org_no, unit, profession, care_area), amount in amounts.items():
            units[region, month, org_no, profession, care_area][unit] = amount
        return dict(units)

    @classmethod
    def entries_by_month(
        cls, amounts: Mapping[tuple[Any, datetime.date, str, str, str, str], Decimal]
    ) -> dict[tuple[Any, datetime.date], str]:
        """Amounts by (region, month, org no, unit, profession, care area) as ``entries`` JSON text
        per (region, month): the entries' texts in their sort order, as the columnar reader writes
        them."""
        texts: defaultdict[tuple[Any, datetime.date], list[str]] = defaultdict(list)
        for (region, month, org_no, profession, care_area), amounts_per_unit in cls.units_by_entry(
            amounts
        ).items():
            texts[region, month].append(cls.entry_text(org_no, profession, care_area, amounts_per_unit))
        return {key: "[" + ",".join(sorted(entries)) + "]" for key, entries in texts.items()}


class StaffingMetric(models.Model):
    """A monthly value of an indicator beyond cost (FTE, turnover, sick leave, continuity)."""

    scope_region_path = "region"

    # No index of its own, as for CostEntry: the unique key leads with it.
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        db_index=False,
    )
    period = models.DateField(_("month"))
    metric = models.CharField(_("indicator"), max_length=20, choices=MetricKind.choices)
    profession = models.CharField(_("profession"), max_length=10, choices=CostProfession.choices, blank=True)
    care_area = models.CharField(_("care area"), max_length=12, choices=CostCareArea.choices, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    cost_import = models.ForeignKey(
        "followup.CostImport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="metrics",
        verbose_name=_("import"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "period", "metric"]
        verbose_name = _("staffing metric")
        verbose_name_plural = _("staffing metrics")
        constraints = [
            models.CheckConstraint(
                condition=Exact(DayOfMonth("period"), 1), name="%(app_label)s_%(class)s_period_is_month"
            ),
            models.UniqueConstraint(
                fields=["region", "period", "metric", "profession", "care_area"],
                name="%(app_label)s_%(class)s_one_row_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period:%Y-%m} {self.metric} {self.value}"


class RegionTarget(models.Model):
    """A region's target for hired cost as a share of own personnel cost in a year (e.g. 3.7 %
    in 2025, 2 % in 2027); months between targets are interpolated."""

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="targets", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    share_pct = models.DecimalField(_("target share (%)"), max_digits=5, decimal_places=2)
    note = models.CharField(_("decision"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_("The region already has a target for this year."),
            ),
            models.CheckConstraint(
                condition=Q(share_pct__gte=0, share_pct__lte=100), name="%(app_label)s_%(class)s_pct_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.share_pct} %"


class TrendPublication(models.Model):
    """The national coordinator publishes the Bemanningstrend up to a month: from then on every
    region sees the other regions' figures up to that month (before that, only its own)."""

    through_month = models.DateField(_("published up to and including"), unique=True)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-through_month"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.through_month:%Y-%m}"


class FiguresVersion(models.Model):
    """One row (pk 1) whose ``token`` is a new random value after every statement that writes the
    cost entries, the staffing metrics, the regions' targets or the regions (database triggers,
    migration 0006: imports, ``--replace``, bulk inserts and COPY, deletions, edits in the admin or
    the shell alike; on SQLite updates and deletions, inserts being seen in the tables' highest ids).
    The cached dashboards and forecasts are keyed by it (``figures_cache``).

    SQLite drops a table's triggers when a migration rebuilds the table: such a migration must
    create them again (``test_figures_cache`` checks that every write still changes the token).
    """

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("figures version")
        verbose_name_plural = _("figures versions")

    def __str__(self) -> str:
        return self.token
