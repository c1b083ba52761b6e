"""Regions, municipalities with their price zone, care areas, and each region's organisation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hyrkoll.lib.scoping import ScopedManager

ZONE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3)]


class Region(models.Model):
    """One of the 21 regions; its code is the county code (``01`` Stockholm … ``25`` Norrbotten)."""

    scope_public = True

    code = models.CharField(
        _("county code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Two digits, e.g. 01."))],
    )
    name = models.CharField(_("name"), max_length=100, unique=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class ZoneSource(models.TextChoices):
    APPROXIMATION = "approximation", _("Approximation (SKR municipality group)")
    OFFICIAL = "official", _("Official (agreement zone list)")


class Municipality(models.Model):
    """A municipality and its price zone in the framework agreement (exactly one zone, 1–3)."""

    scope_public = True

    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Four digits, e.g. 0180."))],
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "organisation.Region",
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("region"),
    )
    zone = models.PositiveSmallIntegerField(
        _("price zone"),
        validators=ZONE_VALIDATORS,
        help_text=_("1 = metropolitan (lowest price) … 3 = rural (highest price)."),
    )
    zone_source = models.CharField(
        _("zone source"),
        max_length=20,
        choices=ZoneSource.choices,
        default=ZoneSource.APPROXIMATION,
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(zone__gte=1, zone__lte=3),
                name="%(app_label)s_%(class)s_zone_1_to_3",
                violation_error_message=_("The zone must be 1, 2 or 3."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.code and self.region_id and self.region.code != self.code[:2]:
            raise ValidationError(
                {
                    "region": _("Municipality %(code)s lies in county %(county)s.")
                    % {"code": self.code, "county": self.code[:2]}
                }
            )


class CareArea(models.Model):
    """Primary care, psychiatry or somatic care (the Bemanningstrend's split)."""

    scope_public = True

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("care area")
        verbose_name_plural = _("care areas")

    def __str__(self) -> str:
        return self.name


class OrgUnitKind(models.TextChoices):
    """Levels of a region's organisation, top to bottom."""

    ADMINISTRATION = "administration", _("Administration (förvaltning)")
    AREA = "area", _("Area (område)")
    DEPARTMENT = "department", _("Department (verksamhet)")
    CARE_UNIT = "care_unit", _("Care unit (vårdenhet)")


KIND_RANK = {kind: rank for rank, kind in enumerate(OrgUnitKind.values)}


class OrgUnit(models.Model):
    """A node of a region's organisation: förvaltning → område/verksamhet → vårdenhet.

    Only care units order staff; each has the municipality where the work is done (which decides
    the price zone) and a care area (which decides how its cost is followed up).
    """

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="org_units", verbose_name=_("region")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    kind = models.CharField(_("level"), max_length=20, choices=OrgUnitKind.choices)
    code = models.CharField(
        _("code"), max_length=30, help_text=_("The region's own identifier, e.g. its cost centre.")
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="org_units",
        verbose_name=_("municipality"),
        help_text=_("Where the work is done; decides the price zone. Required for care units."),
    )
    care_area = models.ForeignKey(
        "organisation.CareArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="org_units",
        verbose_name=_("care area"),
        help_text=_("Required for care units."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                name="%(app_label)s_%(class)s_unique_code_per_region",
                violation_error_message=_("The region already has a unit with this code."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrgUnitKind.CARE_UNIT)
                | models.Q(municipality__isnull=False, care_area__isnull=False),
                name="%(app_label)s_%(class)s_care_unit_has_place_and_area",
                violation_error_message=_("A care unit needs a municipality and a care area."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def zone(self) -> int | None:
        return self.municipality.zone if self.municipality_id else None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == OrgUnitKind.CARE_UNIT:
            if not self.municipality_id:
                errors["municipality"] = _("A care unit needs a municipality.")
            if not self.care_area_id:
                errors["care_area"] = _("A care unit needs a care area.")
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            errors["municipality"] = _("The municipality must lie in the unit's region.")
        if self.kind == OrgUnitKind.ADMINISTRATION and self.parent_id:
            errors["parent"] = _("An administration is a top level and has no parent.")
        elif self.kind and self.kind != OrgUnitKind.ADMINISTRATION and not self.parent_id:
            errors["parent"] = _("Only an administration may be without a parent.")
        if self.parent_id:
            parent = self.parent
            if self.region_id and parent.region_id != self.region_id:
                errors["parent"] = _("The parent belongs to another region.")
            elif self.kind and KIND_RANK[parent.kind] >= KIND_RANK[self.kind]:
                errors["parent"] = _("The parent must be on a higher level than the unit.")
            elif parent.kind == OrgUnitKind.CARE_UNIT:
                errors["parent"] = _("A care unit cannot have units under it.")
        rank = KIND_RANK.get(self.kind)
        if self.pk and rank is not None:
            # The level must stay above the children's, e.g. a department with care units under it
            # cannot become a care unit itself.
            child_kinds = OrgUnit.objects.filter(parent_id=self.pk).values_list("kind", flat=True)
            if any(KIND_RANK[kind] <= rank for kind in child_kinds):
                errors["kind"] = _("Units under this one are on the same or a higher level.")
        if errors:
            raise ValidationError(errors)

    def ancestors(self) -> list[OrgUnit]:
        """Parents from the top down. One query per level (the tree is at most four deep)."""
        chain: list[OrgUnit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
