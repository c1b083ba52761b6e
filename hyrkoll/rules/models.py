"""Each region's rule table: hiring stops and the decision level required for a call-off.

Rules are data, edited in the app. A rule is never changed in place once it has been in force:
editing closes the old version (``valid_to``) and creates a new one that points back to it, so
the rule that decided any past need can always be shown. Every change is audited.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import DecisionLevel
from hyrkoll.lib.scoping import ScopedQuerySet


class RuleKind(models.TextChoices):
    HIRING_STOP = "hiring_stop", _("Hiring stop (hyrstopp)")
    DECISION_LEVEL = "decision_level", _("Decision level")


class OffAgreementCondition(models.TextChoices):
    ANY = "", _("Inside or outside the agreement")
    INSIDE = "inside", _("Only call-offs under the agreement")
    OUTSIDE = "outside", _("Only purchases outside the agreement")


class RegionRuleQuerySet(ScopedQuerySet):
    def in_force(self, on: datetime.date) -> RegionRuleQuerySet:
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class RegionRule(models.Model):
    """One row of a region's rule table. Empty conditions match everything.

    - A **hiring stop** blocks matching needs; they may go ahead only with a dispensation decided
      at ``decision_level``.
    - A **decision-level** rule sends matching needs to an approver at ``decision_level``.
    When several rules match, the highest level wins.
    """

    scope_region_path = "region"

    region = models.ForeignKey(
        "organisation.Region", on_delete=models.PROTECT, related_name="rules", verbose_name=_("region")
    )
    kind = models.CharField(_("kind of rule"), max_length=20, choices=RuleKind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("E.g. 'Hyrstopp sjuksköterskor primärvård'.")
    )
    decision_level = models.PositiveSmallIntegerField(
        _("decision level"),
        choices=DecisionLevel.choices,
        help_text=_("Who decides: for a hiring stop, the level that may grant a dispensation."),
    )
    # Conditions (empty = any)
    profession = models.ForeignKey(
        "agreement.Profession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession"),
    )
    competence = models.ForeignKey(
        "agreement.Competence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competence"),
    )
    level = models.ForeignKey(
        "agreement.CompetenceLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competence level"),
    )
    care_area = models.ForeignKey(
        "organisation.CareArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("care area"),
    )
    org_unit = models.ForeignKey(
        "organisation.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisational unit"),
        help_text=_("Applies to this unit and everything under it."),
    )
    min_length_days = models.PositiveIntegerField(
        _("from length (days)"), null=True, blank=True, help_text=_("Applies to needs at least this long.")
    )
    min_estimated_cost_sek = models.DecimalField(
        _("from estimated cost (SEK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    off_agreement = models.CharField(
        _("inside/outside the agreement"),
        max_length=10,
        choices=OffAgreementCondition.choices,
        blank=True,
        default=OffAgreementCondition.ANY,
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces version"),
    )
    note = models.TextField(_("decision and basis"), blank=True)

    objects = RegionRuleQuerySet.as_manager()

    class Meta:
        ordering = ["region", "kind", "-valid_from", "pk"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_to_after_from",
                violation_error_message=_("'Valid to' cannot be before 'valid from'."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("'Valid to' cannot be before 'valid from'.")
        if self.org_unit_id and self.region_id and self.org_unit.region_id != self.region_id:
            errors["org_unit"] = _("The unit belongs to another region.")
        if self.competence_id and self.profession_id and self.competence.profession_id != self.profession_id:
            errors["competence"] = _("The competence belongs to another profession.")
        if errors:
            raise ValidationError(errors)

    def conditions_text(self) -> list[str]:
        parts: list[str] = []
        for field in ("profession", "competence", "level", "care_area", "org_unit"):
            value = getattr(self, field)
            if value is not None:
                parts.append(f"{self._meta.get_field(field).verbose_name}: {value}")
        if self.min_length_days:
            parts.append(f"{self._meta.get_field('min_length_days').verbose_name}: {self.min_length_days}")
        if self.min_estimated_cost_sek is not None:
            parts.append(
                f"{self._meta.get_field('min_estimated_cost_sek').verbose_name}: {self.min_estimated_cost_sek:.0f}"
            )
        if self.off_agreement:
            parts.append(str(self.get_off_agreement_display()))
        return parts
