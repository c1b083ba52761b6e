"""Each ``cac:InvoiceLine`` / ``cac:CreditNoteLine`` as a Hyrkoll invoice line (see ``mapping``):
the kind from the seller's item id (a line-kind code) or the item's name, the quantity in ``HUR``
(hours) or, for the travel flat rate, ``WEE`` (weeks), the price per unit, the line's period (else the
document's) and its net amount; the values then go through the same ``LineChecker`` as a file's row.
A credit note's lines are stored negative."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from hyrkoll.assignments.models import Assignment
from hyrkoll.invoicing.models import LineKind
from hyrkoll.invoicing.parsing import Errors, LineChecker, ParsedLine, fold, kind_names
from hyrkoll.invoicing.peppol.validation import NS, Refusals

HOURS_UNIT, WEEKS_UNIT = "HUR", "WEE"  # UN/ECE Recommendation 20: hour, week
# Where each value comes from, for the messages of the line check.
ELEMENTS = {
    "assignment": "cac:OrderReference/cbc:ID",
    "date_from": "cac:InvoicePeriod/cbc:StartDate",
    "date_to": "cac:InvoicePeriod/cbc:EndDate",
    "kind": "cac:Item/cac:SellersItemIdentification/cbc:ID",
    "unit_price_sek": "cac:Price/cbc:PriceAmount",
    "amount_sek": "cbc:LineExtensionAmount",
}


def order_reference(assignment: Assignment) -> str:
    """What the supplier puts in ``cac:OrderReference/cbc:ID``: ``U-`` and the assignment's number."""
    return f"U-{assignment.pk}"


def unit_code(kind: str) -> str:
    return WEEKS_UNIT if kind == LineKind.TRAVEL_FLAT_RATE else HOURS_UNIT


def lines(
    root: etree._Element, refusals: Refusals, assignment: Assignment, is_credit: bool
) -> list[ParsedLine]:
    """The document's lines for ``assignment``; each problem added to ``refusals`` at its line."""
    tag, quantity_tag = (
        ("CreditNoteLine", "CreditedQuantity") if is_credit else ("InvoiceLine", "InvoicedQuantity")
    )
    kinds = kind_names()
    period = root.find("cac:InvoicePeriod", NS)
    result = []
    for element in root.findall(f"cac:{tag}", NS):
        code = (element.findtext("cac:Item/cac:SellersItemIdentification/cbc:ID", "", NS) or "").strip()
        if code:
            kind = code if code in LineKind.values else None
        else:
            names = (element.findtext(f"cac:Item/cbc:{n}", "", NS) or "" for n in ("Name", "Description"))
            kind = next((kinds[fold(name)] for name in names if name.strip() and fold(name) in kinds), None)
        if kind is None:
            refusals.add(
                "HYRKOLL-LIN-02",
                _(
                    "Unknown line kind '%(code)s': give one of %(codes)s in cac:Item/cac:SellersItemIdentification/cbc:ID."
                )
                % {"code": code[:40], "codes": ", ".join(LineKind.values)},
                element,
            )
            continue
        quantity = element.find(f"cbc:{quantity_tag}", NS)
        unit = quantity.get("unitCode", "") if quantity is not None else ""
        if unit != unit_code(kind):
            refusals.add(
                "HYRKOLL-LIN-04",
                _("Unit code '%(unit)s': a line of kind %(kind)s is invoiced in %(expected)s.")
                % {"unit": unit, "kind": kind, "expected": unit_code(kind)},
                quantity,
            )
            continue
        line_period = element.find("cac:InvoicePeriod", NS)
        line_period = line_period if line_period is not None else period
        start = line_period.findtext("cbc:StartDate", "", NS) if line_period is not None else ""
        end = line_period.findtext("cbc:EndDate", "", NS) if line_period is not None else ""
        if not start or not end:
            refusals.add(
                "HYRKOLL-LIN-03",
                _("The line needs its period (cac:InvoicePeriod with StartDate and EndDate)."),
                element,
            )
            continue
        values = _values(element, quantity, assignment, kind, start, end)
        if is_credit and values["quantity"].startswith("-"):
            refusals.add("HYRKOLL-LIN-05", _("A credit note credits positive quantities."), quantity)
            continue
        errors = Errors()
        columns = ELEMENTS | {"quantity": f"cbc:{quantity_tag}"}
        parsed = LineChecker(errors).line(None, values, columns)
        for error in errors.items:
            refusals.add("HYRKOLL-LIN-01", f"{error.column}: {error.message}", element)
        if parsed is not None:
            if is_credit:
                parsed.quantity, parsed.amount_sek = -parsed.quantity, -parsed.amount_sek
            result.append(parsed)
    return result


def _values(
    element: etree._Element,
    quantity: etree._Element | None,
    assignment: Assignment,
    kind: str,
    start: str,
    end: str,
) -> dict[str, Any]:
    price_text = (element.findtext("cac:Price/cbc:PriceAmount", "", NS) or "").strip()
    base_text = (element.findtext("cac:Price/cbc:BaseQuantity", "", NS) or "").strip()
    if base_text and price_text:
        try:
            price = Decimal(price_text) / Decimal(base_text)
            price_text = (
                str(price.quantize(Decimal("0.01")))
                if price == price.quantize(Decimal("0.01"))
                else str(price)
            )
        except (ArithmeticError, ValueError):
            price_text = "?"
    return {
        "assignment": order_reference(assignment),
        "date_from": start.strip()[:10],
        "date_to": end.strip()[:10],
        "kind": kind,
        "quantity": (quantity.text or "").strip() if quantity is not None else "",
        "unit_price_sek": price_text,
        "amount_sek": (element.findtext("cbc:LineExtensionAmount", "", NS) or "").strip(),
    }
