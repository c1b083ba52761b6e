"""The workflow's shared helpers: the compare-and-set status move, the need's history, working days
and the sub-area a need belongs to."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import FrameworkAgreement, SubArea
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.ordering import permissions
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import Need, NeedEvent


def _event(need: Need, actor: Any, kind: str, text: str = "") -> NeedEvent:
    user = audit.acting_user(actor)
    return NeedEvent.objects.create(
        need=need,
        actor=user,
        actor_name=user.get_username() if user else "system",
        kind=kind,
        text=text,
    )


def _move(need: Need, actor: Any, allowed_from: tuple[str, ...], to: str, **fields: Any) -> None:
    """Compare-and-set: move the need only if it is still in one of ``allowed_from``."""
    now = timezone.now()
    updated = Need.objects.filter(pk=need.pk, status__in=allowed_from).update(
        status=to, status_changed_at=now, **fields
    )
    if updated != 1:
        need.refresh_from_db()
        raise WorkflowError(
            _("The need is now '%(status)s'; someone else may have acted on it.")
            % {"status": need.get_status_display()}
        )
    before = need.status
    need.status = to
    need.status_changed_at = now
    for name, value in fields.items():
        setattr(need, name, value)
    audit.record(
        actor,
        AuditAction.DECISION,
        need,
        before={"status": before},
        after={"status": to, **{k: str(v) for k, v in fields.items()}},
    )


def unit_chain(need: Need) -> frozenset[int]:
    return frozenset(permissions.unit_chain_ids(need.unit))


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """``days`` working days (Mon–Fri) after ``start``, at the same time of day."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def _agreement_on(day: datetime.date) -> FrameworkAgreement | None:
    return FrameworkAgreement.objects.filter(starts_on__lte=day).order_by("-starts_on").first()


def sub_area_of(need: Need) -> SubArea:
    agreement = _agreement_on(need.starts_on) or FrameworkAgreement.objects.order_by("-starts_on").first()
    sub_area = SubArea.objects.filter(agreement=agreement, code=need.profession.sub_area_code).first()
    if sub_area is None:
        raise WorkflowError(_("The profession belongs to no sub-area of the agreement."))
    return sub_area
