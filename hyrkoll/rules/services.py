"""Changing a region's rule table: new rules, new versions of a rule, and closing a rule.

A rule that has been in force is never changed in place: :func:`replace_rule` closes the old
version the day before the new one starts and links the new one to it, so the rule that decided
any past need can still be shown. Every change is audited in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hyrkoll.accounts.models import Scope
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.ordering import permissions
from hyrkoll.organisation.models import Region
from hyrkoll.rules.models import RegionRule, RegionRuleQuerySet

# What a new version may change; the region and the chain of versions are not among them.
VERSION_FIELDS = (
    "kind",
    "name",
    "decision_level",
    "profession",
    "competence",
    "level",
    "care_area",
    "org_unit",
    "min_length_days",
    "min_estimated_cost_sek",
    "off_agreement",
    "valid_to",
    "note",
)

ONE_DAY = datetime.timedelta(days=1)


def can_read_rules(user: Any, region_id: int | None) -> bool:
    """Everyone in the region reads its rule table; the national level reads every region's."""
    if not user.is_authenticated or region_id is None:
        return False
    if user.is_superuser or user.scope == Scope.NATIONAL:
        return True
    return bool(user.scope == Scope.REGION and user.region_id == region_id)


def can_change_rules(user: Any, region_id: int | None) -> bool:
    """Region administrators and the steering group change their own region's rules."""
    if not user.is_authenticated or region_id is None:
        return False
    if user.scope != Scope.REGION or user.region_id != region_id:
        return False
    return bool(user.is_region_admin or permissions.is_steering_group(user, region_id))


def rules_for_region(region: Region | int, on: datetime.date) -> RegionRuleQuerySet:
    """The region's rules in force on the date (what the engine evaluates a need against)."""
    region_id = region.pk if isinstance(region, Region) else region
    return (
        RegionRule.objects.filter(region_id=region_id)
        .in_force(on)
        .select_related("profession", "competence", "level", "care_area", "org_unit")
    )


def version_chain(rule: RegionRule) -> list[RegionRule]:
    """Every version of the rule, oldest first: the region's rules in one query, walked in memory
    (a query per version grew with the chain)."""
    rules = {
        each.pk: each
        for each in RegionRule.objects.filter(region_id=rule.region_id).select_related(
            "profession", "competence", "level", "care_area", "org_unit"
        )
    }
    rules[rule.pk] = rule
    successors = {each.replaces_id: each for each in rules.values() if each.replaces_id is not None}
    earlier: list[RegionRule] = []
    node = rules.get(rule.replaces_id) if rule.replaces_id is not None else None
    while node is not None:
        earlier.append(node)
        node = rules.get(node.replaces_id) if node.replaces_id is not None else None
    later: list[RegionRule] = []
    node = successors.get(rule.pk)
    while node is not None:
        later.append(node)
        node = successors.get(node.pk)
    return [*reversed(earlier), rule, *later]


@transaction.atomic
def create_rule(actor: Any, rule: RegionRule) -> RegionRule:
    rule.full_clean()
    rule.save()
    audit.record(actor, AuditAction.CREATE, rule)
    return rule


@transaction.atomic
def replace_rule(
    actor: Any, old_rule: RegionRule, new_values: dict[str, Any], valid_from: datetime.date
) -> RegionRule:
    """A new version of ``old_rule`` from ``valid_from``; the old one ends the day before.

    ``new_values`` holds the fields of :data:`VERSION_FIELDS` that the new version sets (any left
    out are copied from the old version). Raises ValidationError if the new version would not
    start after the old one, if the old one has already been replaced, or if the new version is
    not valid in itself.
    """
    unknown = set(new_values) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of a rule version: {', '.join(sorted(unknown))}")
    old = RegionRule.objects.select_for_update().get(pk=old_rule.pk)
    if RegionRule.objects.filter(replaces=old).exists():
        raise ValidationError(_("This version has already been replaced; change the latest version."))
    if valid_from <= old.valid_from:
        raise ValidationError(
            {
                "valid_from": _("The new version must start after the current one (%(date)s).")
                % {"date": old.valid_from.isoformat()}
            }
        )
    new = RegionRule(region_id=old.region_id, replaces=old, valid_from=valid_from)
    for name in VERSION_FIELDS:
        setattr(new, name, new_values[name] if name in new_values else getattr(old, name))
    new.full_clean()

    before = audit.snapshot(old)
    day_before = valid_from - ONE_DAY
    # An old version that already ends earlier keeps its end: the new one follows after a gap.
    if old.valid_to is None or old.valid_to > day_before:
        old.valid_to = day_before
        old.save(update_fields=["valid_to"])
    new.save()
    audit.record(
        actor,
        AuditAction.UPDATE,
        old,
        before=before,
        reason=f"Replaced by version {new.pk} from {valid_from}",
    )
    audit.record(actor, AuditAction.CREATE, new, reason=f"New version of rule {old.pk}")
    return new


@transaction.atomic
def close_rule(actor: Any, rule: RegionRule, last_day: datetime.date, reason: str = "") -> RegionRule:
    """End the rule: ``last_day`` is the last day it is in force."""
    locked = RegionRule.objects.select_for_update().get(pk=rule.pk)
    if RegionRule.objects.filter(replaces=locked).exists():
        raise ValidationError(_("This version has already been replaced; close the latest version."))
    if last_day < locked.valid_from:
        raise ValidationError(
            {
                "valid_to": _("The rule cannot end before it starts (%(date)s).")
                % {"date": locked.valid_from.isoformat()}
            }
        )
    if locked.valid_to is not None and last_day > locked.valid_to:
        raise ValidationError(
            {
                "valid_to": _("The rule already ends on %(date)s; it can only be ended earlier.")
                % {"date": locked.valid_to.isoformat()}
            }
        )
    before = audit.snapshot(locked)
    locked.valid_to = last_day
    locked.save(update_fields=["valid_to"])
    audit.record(actor, AuditAction.UPDATE, locked, before=before, reason=reason or "Rule closed")
    return locked
