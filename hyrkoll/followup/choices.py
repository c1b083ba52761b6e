"""The follow-up's codes: cost types, professions and care areas of the Bemanningstrend, the
indicators beyond cost, and the kinds and states of an import (importable from ``followup.models``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CostType(models.TextChoices):
    HIRED = "hired", _("Hired staff")
    OWN = "own", _("Own personnel")
    INTERNAL_POOL = "internal_pool", _("Internal staffing pool")
    OVERTIME = "overtime", _("Overtime")


class CostProfession(models.TextChoices):
    DOCTOR = "doctor", _("Doctors")
    NURSE = "nurse", _("Nurses")
    OTHER = "other", _("Other")


class CostCareArea(models.TextChoices):
    """The Bemanningstrend's split; the codes of ``organisation.CareArea``."""

    PRIMARY = "primary", _("Primary care")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    SOMATIC = "somatic", _("Somatic care")


class MetricKind(models.TextChoices):
    """The indicators beyond cost the regions asked for."""

    HIRED_FTE = "hired_fte", _("Hired staff (FTE)")
    OWN_FTE = "own_fte", _("Own staff (FTE)")
    TURNOVER_PCT = "turnover_pct", _("Staff turnover (%)")
    SICK_LEAVE_PCT = "sick_leave_pct", _("Sick leave (%)")
    CONTINUITY_PCT = "continuity_pct", _("Continuity: shifts by the same hired person (%)")


class ImportKind(models.TextChoices):
    COSTS = "costs", _("Costs")
    METRICS = "metrics", _("Staffing metrics")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
