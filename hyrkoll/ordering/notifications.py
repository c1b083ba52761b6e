"""E-mail about call-offs to the suppliers, and about the award to the orderer (Django's mail
backend; the console in the demo).

Sent after the transaction commits, so a rolled-back publication never reaches a supplier.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation

from hyrkoll.accounts.models import User


def _supplier_addresses(supplier: object) -> list[str]:
    addresses = [supplier.email] if getattr(supplier, "email", "") else []
    addresses += list(
        User.objects.filter(supplier=supplier, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(addresses))


def _send(call_off_id: int, template: str, suppliers: list[object]) -> int:
    from hyrkoll.ordering.models import CallOff

    call_off = CallOff.objects.select_related("need__unit", "need__competence", "region").get(pk=call_off_id)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for supplier in suppliers:
            recipients = _supplier_addresses(supplier)
            if not recipients:
                continue
            context = {"call_off": call_off, "need": call_off.need, "supplier": supplier}
            subject = render_to_string(f"emails/{template}-subject.txt", context).strip()
            body = render_to_string(f"emails/{template}-body.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def notify_call_off_published(call_off_id: int) -> int:
    from hyrkoll.ordering.models import CallOffRecipient

    recipients = CallOffRecipient.objects.filter(call_off_id=call_off_id).select_related("supplier")
    return _send(call_off_id, "call_off_published", [r.supplier for r in recipients])


def notify_call_off_filled(call_off_id: int) -> int:
    """Tell the suppliers that did not win that the call-off is filled (or closed)."""
    from hyrkoll.ordering.models import CallOffRecipient, Offer, OfferStatus

    recipients = CallOffRecipient.objects.filter(call_off_id=call_off_id).select_related("supplier")
    winners = set(
        Offer.objects.filter(call_off_id=call_off_id, status=OfferStatus.AWARDED).values_list(
            "supplier_id", flat=True
        )
    )
    return _send(
        call_off_id, "call_off_closed", [r.supplier for r in recipients if r.supplier_id not in winners]
    )


def notify_orderer_awarded(call_off_id: int) -> int:
    """Tell the orderer who registered the need who comes, from when, at which price."""
    from hyrkoll.assignments.models import Assignment

    assignment = (
        Assignment.objects.select_related(
            "call_off__need__created_by", "call_off__need__unit", "consultant", "supplier"
        )
        .filter(call_off_id=call_off_id)
        .first()
    )
    if assignment is None:
        return 0
    need = assignment.call_off.need
    orderer = need.created_by
    if not orderer.is_active or not orderer.email:
        return 0
    context = {"call_off": assignment.call_off, "need": need, "assignment": assignment, "orderer": orderer}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/need_awarded-subject.txt", context).strip()
        body = render_to_string("emails/need_awarded-body.txt", context)
    return send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [orderer.email])], fail_silently=False
    )
