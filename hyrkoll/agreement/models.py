"""The framework agreement register: sub-areas, professions and competence levels, admitted
suppliers, versioned price lists (hourly price per level × zone, supplements), each region's
accession date per sub-area, and the agreement's dated parameters.

All of it is the agreement's public terms, visible to every signed-in user; only the national
coordinator changes it, and every change is audited.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.dates import shift_months
from hyrkoll.lib.orgno import validate_org_no
from hyrkoll.lib.scoping import ScopedManager, ScopedQuerySet
from hyrkoll.organisation.models import ZONE_VALIDATORS


def _periods_overlap(
    start_a: datetime.date, end_a: datetime.date | None, start_b: datetime.date, end_b: datetime.date | None
) -> bool:
    """Closed intervals [start, end]; ``None`` as end means open-ended."""
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


class FrameworkAgreement(models.Model):
    scope_public = True

    reference = models.CharField(_("case reference"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=300)
    procuring_authority = models.CharField(_("procuring authority"), max_length=200)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date (without extensions)"))
    max_extension_months = models.PositiveSmallIntegerField(
        _("maximum extension (months)"), default=0, help_text=_("Extension options the agreement allows.")
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def current_end(self) -> datetime.date:
        """End date including the extensions that have been decided."""
        last = self.extensions.order_by("-new_end_date").first()
        return last.new_end_date if last else self.ends_on

    def is_in_force(self, on: datetime.date) -> bool:
        return self.starts_on <= on <= self.current_end


class AgreementExtension(models.Model):
    scope_public = True

    agreement = models.ForeignKey(
        "agreement.FrameworkAgreement",
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("agreement"),
    )
    new_end_date = models.DateField(_("new end date"))
    decided_on = models.DateField(_("decided on"))
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["new_end_date"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.agreement.reference} → {self.new_end_date}"

    def clean(self) -> None:
        if not (self.agreement_id and self.new_end_date):
            return
        agreement = self.agreement
        if self.new_end_date <= agreement.ends_on:
            raise ValidationError(
                {"new_end_date": _("An extension must end after the agreement's end date.")}
            )
        others = agreement.extensions.exclude(pk=self.pk)
        if others.filter(new_end_date__gte=self.new_end_date).exists():
            raise ValidationError({"new_end_date": _("A later extension already exists.")})
        max_end = shift_months(agreement.ends_on, agreement.max_extension_months)
        if self.new_end_date > max_end:
            raise ValidationError(
                {"new_end_date": _("The agreement allows extensions up to %(date)s.") % {"date": max_end}}
            )


class SubArea(models.Model):
    """Delområde: doctors, or nurses including midwives."""

    scope_public = True

    agreement = models.ForeignKey(
        "agreement.FrameworkAgreement",
        on_delete=models.PROTECT,
        related_name="sub_areas",
        verbose_name=_("agreement"),
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)

    objects = ScopedManager()

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("sub-area")
        verbose_name_plural = _("sub-areas")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="%(app_label)s_%(class)s_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class ExcludedSpecialty(models.Model):
    """A narrow specialty the agreement does not cover (e.g. pathology)."""

    scope_public = True

    sub_area = models.ForeignKey(
        "agreement.SubArea",
        on_delete=models.CASCADE,
        related_name="excluded_specialties",
        verbose_name=_("sub-area"),
    )
    name = models.CharField(_("specialty"), max_length=100)

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("excluded specialty")
        verbose_name_plural = _("excluded specialties")
        constraints = [
            models.UniqueConstraint(fields=["sub_area", "name"], name="%(app_label)s_%(class)s_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Profession(models.Model):
    """Doctor, nurse, midwife – each belongs to one sub-area of the agreement."""

    scope_public = True

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sub_area_code = models.SlugField(
        _("sub-area code"), max_length=20, help_text=_("The sub-area this profession is hired under.")
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("profession")
        verbose_name_plural = _("professions")

    def __str__(self) -> str:
        return self.name


class CompetenceLevel(models.Model):
    """A price level of a sub-area (e.g. doctors: licensed/ST, specialist A, specialist B)."""

    scope_public = True

    sub_area_code = models.SlugField(_("sub-area code"), max_length=20)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["sub_area_code", "rank"]
        verbose_name = _("competence level")
        verbose_name_plural = _("competence levels")

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    """What an orderer asks for (e.g. specialist in general medicine), mapped to its price level."""

    scope_public = True

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    profession = models.ForeignKey(
        "agreement.Profession",
        on_delete=models.PROTECT,
        related_name="competences",
        verbose_name=_("profession"),
    )
    level = models.ForeignKey(
        "agreement.CompetenceLevel",
        on_delete=models.PROTECT,
        related_name="competences",
        verbose_name=_("price level"),
    )
    requires_specialist_certificate = models.BooleanField(_("requires specialist certificate"), default=False)

    objects = ScopedManager()

    class Meta:
        ordering = ["profession", "level__rank", "name"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.profession_id and self.level_id and self.profession.sub_area_code != self.level.sub_area_code:
            raise ValidationError({"level": _("The level belongs to another sub-area than the profession.")})


class Supplier(models.Model):
    """A staffing company (bemanningsföretag)."""

    scope_public = True

    name = models.CharField(_("name"), max_length=200)
    org_no = models.CharField(
        _("organisation number"),
        max_length=11,
        unique=True,
        validators=[validate_org_no],
        help_text=_("NNNNNN-NNNN"),
    )
    email = models.EmailField(_("e-mail for call-offs"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name

    def admitted_sub_areas(self, on: datetime.date) -> models.QuerySet[SubArea]:
        # One filter() call: all conditions must hold for the same admission (chained filters on a
        # multi-valued relation would match the exit date of another supplier's admission).
        return SubArea.objects.filter(
            Q(admissions__exited_on__isnull=True) | Q(admissions__exited_on__gte=on),
            admissions__supplier=self,
            admissions__admitted_on__lte=on,
        ).distinct()


class SupplierAdmissionQuerySet(ScopedQuerySet):
    def in_force(self, on: datetime.date) -> SupplierAdmissionQuerySet:
        return self.filter(admitted_on__lte=on).filter(Q(exited_on__isnull=True) | Q(exited_on__gte=on))


class SupplierAdmission(models.Model):
    """A supplier's admission to a sub-area (new admissions happen twice a year)."""

    scope_public = True

    supplier = models.ForeignKey(
        "agreement.Supplier", on_delete=models.CASCADE, related_name="admissions", verbose_name=_("supplier")
    )
    sub_area = models.ForeignKey(
        "agreement.SubArea", on_delete=models.PROTECT, related_name="admissions", verbose_name=_("sub-area")
    )
    admitted_on = models.DateField(_("admitted on"))
    exited_on = models.DateField(_("exited on"), null=True, blank=True)

    objects = SupplierAdmissionQuerySet.as_manager()

    class Meta:
        ordering = ["supplier__name", "sub_area", "admitted_on"]
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("admitted_on")),
                name="%(app_label)s_%(class)s_exit_after_admission",
                violation_error_message=_("The exit date cannot be before the admission date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.sub_area} ({self.admitted_on})"

    def clean(self) -> None:
        if not (self.supplier_id and self.sub_area_id and self.admitted_on):
            return
        if self.exited_on and self.exited_on < self.admitted_on:
            raise ValidationError({"exited_on": _("The exit date cannot be before the admission date.")})
        siblings = SupplierAdmission.objects.filter(
            supplier_id=self.supplier_id, sub_area_id=self.sub_area_id
        )
        for other in siblings.exclude(pk=self.pk):
            if _periods_overlap(self.admitted_on, self.exited_on, other.admitted_on, other.exited_on):
                raise ValidationError(
                    _("The supplier is already admitted to this sub-area from %(date)s.")
                    % {"date": other.admitted_on}
                )


class RegionAccession(models.Model):
    """The date a region joined the agreement for a sub-area (call-offs only from then on)."""

    scope_public = True

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="accessions", verbose_name=_("region")
    )
    sub_area = models.ForeignKey(
        "agreement.SubArea", on_delete=models.PROTECT, related_name="accessions", verbose_name=_("sub-area")
    )
    acceded_on = models.DateField(_("acceded on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region__code", "sub_area"]
        verbose_name = _("accession")
        verbose_name_plural = _("accessions")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "sub_area"],
                name="%(app_label)s_%(class)s_one_per_region_sub_area",
                violation_error_message=_("The region already has an accession date for this sub-area."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} – {self.sub_area}: {self.acceded_on}"


class PriceListQuerySet(ScopedQuerySet):
    def in_force(self, on: datetime.date) -> PriceListQuerySet:
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class PriceList(models.Model):
    """A version of the agreement's price list. Versions of one agreement never overlap in time."""

    scope_public = True

    agreement = models.ForeignKey(
        "agreement.FrameworkAgreement",
        on_delete=models.PROTECT,
        related_name="price_lists",
        verbose_name=_("agreement"),
    )
    version = models.CharField(_("version"), max_length=30)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    is_demo = models.BooleanField(
        _("demo prices"), default=False, help_text=_("Built from second-hand figures; not the official list.")
    )
    note = models.TextField(_("note"), blank=True)

    objects = PriceListQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-valid_from"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"],
                name="%(app_label)s_%(class)s_unique_version",
                violation_error_message=_("This version already exists for the agreement."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_to_after_from",
                violation_error_message=_("'Valid to' cannot be before 'valid from'."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} v{self.version} ({self.valid_from})"

    def save(self, *args: object, **kwargs: object) -> None:
        # The overlap rule spans rows, so no portable DB constraint can hold it; every save (admin,
        # app) re-validates it. loaddata bypasses save(): see check_raw_price_list_period.
        self.check_period()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        self.check_period()

    def check_period(self) -> None:
        """'Valid to' not before 'valid from', and no overlap with another version of the agreement."""
        if not (self.agreement_id and self.valid_from):
            return
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("'Valid to' cannot be before 'valid from'.")})
        for other in PriceList.objects.filter(agreement_id=self.agreement_id).exclude(pk=self.pk):
            if _periods_overlap(self.valid_from, self.valid_to, other.valid_from, other.valid_to):
                raise ValidationError(
                    _("The period overlaps price list version %(version)s (%(start)s – %(end)s).")
                    % {"version": other.version, "start": other.valid_from, "end": other.valid_to or "…"}
                )

    def hourly_price(self, level: CompetenceLevel, zone: int) -> Decimal | None:
        price = self.prices.filter(level=level, zone=zone).first()
        return price.hourly_sek if price else None


def check_raw_price_list_period(
    sender: type[PriceList], instance: PriceList, raw: bool, **kwargs: object
) -> None:
    """``pre_save`` receiver (connected in ``AgreementConfig.ready``) for raw saves only.

    ``loaddata`` saves through ``Model.save_base(raw=True)``, bypassing ``PriceList.save()``, so a
    fixture could otherwise load an overlapping version; normal saves are checked in ``save()``.
    """
    if raw:
        instance.check_period()


class Price(models.Model):
    """Fixed hourly price (SEK, normal hours) for a competence level in a zone."""

    scope_public = True

    price_list = models.ForeignKey(
        "agreement.PriceList", on_delete=models.CASCADE, related_name="prices", verbose_name=_("price list")
    )
    level = models.ForeignKey(
        "agreement.CompetenceLevel", on_delete=models.PROTECT, related_name="prices", verbose_name=_("level")
    )
    zone = models.PositiveSmallIntegerField(_("zone"), validators=ZONE_VALIDATORS)
    hourly_sek = models.DecimalField(
        _("hourly price (SEK)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["price_list", "level__sub_area_code", "level__rank", "zone"]
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "level", "zone"],
                name="%(app_label)s_%(class)s_one_per_level_zone",
                violation_error_message=_("The price list already has a price for this level and zone."),
            ),
            models.CheckConstraint(
                condition=Q(zone__gte=1, zone__lte=3), name="%(app_label)s_%(class)s_zone_1_to_3"
            ),
            models.CheckConstraint(condition=Q(hourly_sek__gt=0), name="%(app_label)s_%(class)s_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.level} zone {self.zone}: {self.hourly_sek} SEK/h"


class SupplementKind(models.TextChoices):
    WEEKDAY_EVENING = "weekday_evening", _("Unsocial hours, weekday evening")
    WEEKDAY_NIGHT = "weekday_night", _("Unsocial hours, weekday night")
    WEEKEND_DAY = "weekend_day", _("Unsocial hours, weekend day")
    WEEKEND_EVENING = "weekend_evening", _("Unsocial hours, weekend evening")
    WEEKEND_NIGHT = "weekend_night", _("Unsocial hours, weekend night")
    HOLIDAY_DAY = "holiday_day", _("Unsocial hours, major holiday day/evening")
    HOLIDAY_NIGHT = "holiday_night", _("Unsocial hours, major holiday night")
    ON_CALL = "on_call", _("On-call (jour)")
    STANDBY = "standby", _("Standby (beredskap)")
    TRAVEL_FLAT_RATE = "travel_flat_rate", _("Travel flat rate (northern regions)")


class SupplementUnit(models.TextChoices):
    PER_HOUR = "per_hour", _("SEK per hour")
    PER_ASSIGNMENT_WEEK = "per_week", _("SEK per assignment week")


class Supplement(models.Model):
    """An amount on top of the base price: unsocial hours, on-call, standby, travel flat rate.

    ``regions`` empty means the supplement applies everywhere; the travel flat rate lists the four
    northern regions.
    """

    scope_public = True

    price_list = models.ForeignKey(
        "agreement.PriceList",
        on_delete=models.CASCADE,
        related_name="supplements",
        verbose_name=_("price list"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SupplementKind.choices)
    sub_area_code = models.SlugField(
        _("sub-area code"), max_length=20, blank=True, help_text=_("Empty: applies to every sub-area.")
    )
    amount_sek = models.DecimalField(
        _("amount (SEK)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    unit = models.CharField(
        _("unit"), max_length=20, choices=SupplementUnit.choices, default=SupplementUnit.PER_HOUR
    )
    regions = models.ManyToManyField(
        "organisation.Region",
        blank=True,
        related_name="supplements",
        verbose_name=_("only in regions"),
        help_text=_("Empty: applies in every region."),
    )
    is_default_value = models.BooleanField(
        _("default value"),
        default=False,
        help_text=_("The official amount was not found; a default is used."),
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["price_list", "kind", "sub_area_code"]
        verbose_name = _("supplement")
        verbose_name_plural = _("supplements")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "kind", "sub_area_code"],
                name="%(app_label)s_%(class)s_one_per_kind",
                violation_error_message=_("The price list already has this supplement for the sub-area."),
            ),
            models.CheckConstraint(
                condition=Q(amount_sek__gte=0), name="%(app_label)s_%(class)s_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount_sek} ({self.get_unit_display()})"


class ParameterKey(models.TextChoices):
    """Agreement rules whose official values were not found: data with documented defaults."""

    MAX_CALL_OFF_MONTHS = "max_call_off_months", _("Maximum length of a call-off incl. extensions (months)")
    RESPONSE_DEADLINE_WORKING_DAYS = "response_deadline_working_days", _("Response deadline (working days)")
    CANCELLATION_NOTICE_DAYS = "cancellation_notice_days", _("Cancellation notice (days)")
    CANCELLATION_CHARGE_PCT = (
        "cancellation_charge_pct",
        _("Charge for shorter cancellation notice (percent of value)"),
    )
    HLR_VALID_MONTHS = "hlr_valid_months", _("CPR/HLR training valid (months)")
    KARENS_MONTHS = "karens_months", _("Cooling-off period for former employees (months)")
    MIN_EXPERIENCE_YEARS = "min_experience_years", _("Clinical experience after licence (years)")
    DEVIATIONS_BEFORE_PENALTY = "deviations_before_penalty", _("Deviations before a contractual penalty")
    DIRECT_AWARD_THRESHOLD_SEK = "direct_award_threshold_sek", _("Direct-award threshold (SEK per year)")


class AgreementParameter(models.Model):
    """A dated value of an agreement rule. The value in force on a day is the latest ``valid_from``."""

    scope_public = True

    agreement = models.ForeignKey(
        "agreement.FrameworkAgreement",
        on_delete=models.CASCADE,
        related_name="parameters",
        verbose_name=_("agreement"),
    )
    key = models.CharField(_("parameter"), max_length=50, choices=ParameterKey.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    is_default_value = models.BooleanField(
        _("default value"),
        default=True,
        help_text=_("Set by Hyrkoll because the official value was not found."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["agreement", "key", "-valid_from"]
        verbose_name = _("agreement parameter")
        verbose_name_plural = _("agreement parameters")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "key", "valid_from"],
                name="%(app_label)s_%(class)s_one_value_per_day",
                violation_error_message=_("The parameter already has a value from this date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} = {self.value} ({self.valid_from})"

    @classmethod
    def value_in_force(cls, key: str, on: datetime.date, default: Decimal) -> Decimal:
        """The value of ``key`` on ``on`` under the agreement in force then, or ``default``.

        One query: the agreement is chosen in a subquery (none started: no row, the default)."""
        agreement = FrameworkAgreement.objects.filter(starts_on__lte=on).order_by("-starts_on").values("pk")
        value = (
            cls.objects.filter(agreement=models.Subquery(agreement[:1]), key=key, valid_from__lte=on)
            .order_by("-valid_from")
            .values_list("value", flat=True)
            .first()
        )
        return value if value is not None else default

    @classmethod
    def value_on(cls, agreement: FrameworkAgreement, key: str, on: datetime.date) -> Decimal | None:
        row = (
            cls.objects.filter(agreement=agreement, key=key, valid_from__lte=on)
            .order_by("-valid_from")
            .first()
        )
        return row.value if row else None
