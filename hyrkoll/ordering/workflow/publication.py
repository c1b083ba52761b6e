"""Publication: an approved need is sent as a call-off to every supplier admitted to its sub-area."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.agreement.models import (
    AgreementParameter,
    ParameterKey,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.compliance.suspensions import suspended_supplier_ids
from hyrkoll.ordering import feed_events, permissions
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.models import CallOff, CallOffRecipient, EventKind, Need, NeedStatus
from hyrkoll.ordering.notifications import notify_call_off_published
from hyrkoll.ordering.workflow.status import _event, _move, add_working_days, sub_area_of

_parameter = AgreementParameter.value_in_force


def admitted_suppliers(sub_area: SubArea, on: datetime.date) -> list[Supplier]:
    """The suppliers admitted to ``sub_area`` on ``on``, less those suspended that day."""
    supplier_ids = SupplierAdmission.objects.in_force(on).filter(sub_area=sub_area).values("supplier_id")
    suppliers = Supplier.objects.filter(pk__in=supplier_ids).exclude(pk__in=suspended_supplier_ids(on))
    return list(suppliers.order_by("name"))


@transaction.atomic
def publish(actor: Any, need: Need) -> CallOff:
    """Publish the approved need to every supplier admitted to its sub-area today."""
    if not (permissions.can_decide(actor, need) or permissions.is_call_off_unit(actor, need.region_id)):
        raise WorkflowError(_("Only the approver or the call-off unit publishes a call-off."))
    if need.outside_agreement:
        raise WorkflowError(
            _("A purchase outside the agreement is not published to the agreement's suppliers.")
        )
    today = timezone.localdate()
    sub_area = sub_area_of(need)
    acceded = RegionAccession.objects.filter(
        region_id=need.region_id, sub_area=sub_area, acceded_on__lte=today
    )
    if not acceded.exists():
        raise WorkflowError(
            _(
                "%(region)s has not acceded to the agreement for %(sub_area)s: the call-off cannot be published."
            )
            % {"region": need.region, "sub_area": sub_area}
        )
    suppliers = admitted_suppliers(sub_area, today)
    if not suppliers:
        raise WorkflowError(_("No supplier is admitted to %(sub_area)s.") % {"sub_area": sub_area})
    # Compare-and-set first: a need already published (or never approved) is refused with a
    # message instead of failing on the one-call-off-per-need constraint.
    _move(need, actor, (NeedStatus.APPROVED,), NeedStatus.PUBLISHED)
    now = timezone.now()
    days = int(_parameter(ParameterKey.RESPONSE_DEADLINE_WORKING_DAYS, today, Decimal(3)))
    call_off = CallOff.objects.create(
        need=need, region_id=need.region_id, sub_area=sub_area, published_at=now,
        response_deadline=add_working_days(now, days),
    )  # fmt: skip
    CallOffRecipient.objects.bulk_create(
        CallOffRecipient(call_off=call_off, supplier=supplier, notified_at=now) for supplier in suppliers
    )
    _event(
        need,
        actor,
        EventKind.PUBLISHED,
        _("Sent to %(count)d suppliers; offers by %(deadline)s.")
        % {
            "count": len(suppliers),
            "deadline": timezone.localtime(call_off.response_deadline).strftime("%Y-%m-%d %H:%M"),
        },
    )
    audit.record(actor, AuditAction.CREATE, call_off)
    feed_events.call_off_published(call_off, suppliers)
    notify_call_off_published(call_off.pk)  # queued in this transaction (hyrkoll.outbox)
    return call_off
