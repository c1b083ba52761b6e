"""``{% peppol_invoicing assignment as peppol %}``: what a supplier puts on its Peppol invoice for an
assignment (the assignment page's box). A tag, so the assignments app does not import invoicing."""

from __future__ import annotations

from typing import Any

from django import template

from hyrkoll.invoicing.models import LineKind
from hyrkoll.invoicing.peppol.mapping import order_reference, unit_code
from hyrkoll.invoicing.peppol.validation import CURRENCY, CUSTOMIZATION_ID

register = template.Library()

PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


@register.simple_tag
def peppol_invoicing(assignment: Any) -> dict[str, Any]:
    region = assignment.region
    return {
        "order_reference": order_reference(assignment),
        "buyer": region.name,
        # Region has neither field yet; the page says what is missing.
        "buyer_org_no": getattr(region, "org_no", ""),
        "buyer_peppol_id": getattr(region, "peppol_id", ""),
        "customization_id": CUSTOMIZATION_ID,
        "profile_id": PROFILE_ID,
        "currency": CURRENCY,
        "kinds": [(value, label, unit_code(value)) for value, label in LineKind.choices],
    }
