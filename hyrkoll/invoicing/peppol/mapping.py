"""From a validated Peppol document to what ``services.receive`` takes.

=====================================================================  ===================================
UBL 2.1 (Invoice / CreditNote)                                         Hyrkoll
=====================================================================  ===================================
``cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/          the supplier (its organisation
cbc:CompanyID``                                                        number), admitted and not
                                                                       suspended on the issue date
``cbc:ID``                                                             ``Invoice.number``
``cbc:IssueDate``                                                      ``Invoice.invoice_date``
``cbc:DueDate`` (CreditNote: ``cac:PaymentMeans/cbc:PaymentDueDate``)   ``Invoice.due_date``
``cac:OrderReference/cbc:ID`` = ``U-<assignment id>``                  every line's assignment (and the
                                                                       region: the assignment's)
``cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID``           ``Invoice.credited_invoice``
(CreditNote)
``cac:InvoiceLine`` / ``cac:CreditNoteLine``                           an ``InvoiceLine`` (negative for a
                                                                       credit note)
``cbc:InvoicedQuantity`` / ``cbc:CreditedQuantity`` + ``@unitCode``    ``quantity``: ``HUR`` (hours) for
                                                                       every kind but the travel flat
                                                                       rate, ``WEE`` (weeks) for it
``cac:Price/cbc:PriceAmount`` (÷ ``cbc:BaseQuantity``)                 ``unit_price_sek``
``cbc:LineExtensionAmount``                                            ``amount_sek``
line ``cac:InvoicePeriod`` (else the document's)                       ``date_from``, ``date_to``
``cac:Item/cac:SellersItemIdentification/cbc:ID`` = a line-kind code   ``kind`` (else the item's
                                                                       ``cbc:Name``/``cbc:Description``
                                                                       as a kind's name)
=====================================================================  ===================================
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from hyrkoll.agreement.models import Supplier, SupplierAdmission
from hyrkoll.assignments.models import Assignment
from hyrkoll.compliance.suspensions import is_suspended
from hyrkoll.invoicing import credit
from hyrkoll.invoicing.models import DocumentType, Invoice, InvoiceStatus
from hyrkoll.invoicing.parsing import ParsedInvoice, ParsedLine
from hyrkoll.invoicing.peppol import lines as line_mapping
from hyrkoll.invoicing.peppol.findings import DocumentRejected
from hyrkoll.invoicing.peppol.lines import order_reference, unit_code
from hyrkoll.invoicing.peppol.validation import NS, Refusals, document_kind
from hyrkoll.lib.orgno import normalise_org_no
from hyrkoll.organisation.models import Region

ORDER_REFERENCE = re.compile(r"U-([1-9]\d{0,11})")  # as lines.order_reference writes it
__all__ = ["ORDER_REFERENCE", "Mapped", "Refusals", "map_document", "order_reference", "unit_code"]


@dataclass
class Mapped:
    parsed: ParsedInvoice
    region: Region
    lines: int


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def map_document(
    tree: etree._ElementTree,
    document: str = "",
    *,
    region: Region | None = None,
    supplier: Supplier | None = None,
) -> Mapped:
    """The document as Hyrkoll's invoice. ``region``: the importing region (the assignment must be
    its); ``supplier``: the API token's supplier (the seller must be it). Raises DocumentRejected."""
    root = tree.getroot()
    is_credit = document_kind(root) == "CreditNote"
    refusals = Refusals(root, document)
    number = (root.findtext("cbc:ID", "", NS) or "").strip()
    if not number or len(number) > 50:
        refusals.add(
            "HYRKOLL-DOC-02",
            _("The invoice number (cbc:ID) must have 1–50 characters."),
            root.find("cbc:ID", NS),
        )
    issued = _date(root.findtext("cbc:IssueDate", None, NS))
    if issued is None or not 2000 <= issued.year <= 2099:
        refusals.add(
            "HYRKOLL-DOC-02",
            _("The issue date (cbc:IssueDate) is not a plausible date."),
            root.find("cbc:IssueDate", NS),
        )
    due_path = "cac:PaymentMeans/cbc:PaymentDueDate" if is_credit else "cbc:DueDate"
    due = _date(root.findtext(due_path, None, NS))
    seller = _seller(root, refusals, issued, supplier)
    assignment = _assignment(root, refusals, seller, region) if seller is not None else None
    credited = _credited(root, refusals, seller, assignment) if is_credit and assignment else None
    lines = line_mapping.lines(root, refusals, assignment, is_credit) if assignment is not None else []
    if credited is not None and not refusals.items:
        _check_credit(root, refusals, credited, assignment, lines)
    if refusals.items or seller is None or issued is None or assignment is None:
        raise DocumentRejected(refusals.items)  # each missing part added its finding
    parsed = ParsedInvoice(
        seller,
        number,
        issued,
        due,
        lines,
        document_type=DocumentType.CREDIT_NOTE if is_credit else DocumentType.INVOICE,
        credited_invoice=credited,
    )
    return Mapped(parsed, assignment.region, len(lines))


def _seller(
    root: etree._Element, refusals: Refusals, issued: datetime.date | None, expected: Supplier | None
) -> Supplier | None:
    element = root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
    raw = (element.text or "").strip() if element is not None else ""
    try:
        org_no = normalise_org_no(raw)
    except ValidationError:
        refusals.add(
            "HYRKOLL-SEL-01",
            _(
                "The seller's organisation number (PartyLegalEntity/CompanyID) is missing or not one: '%(raw)s'."
            )
            % {"raw": raw[:40]},
            element,
        )
        return None
    seller = Supplier.objects.filter(org_no=org_no).first()
    if seller is None:
        refusals.add(
            "HYRKOLL-SEL-01",
            _("No supplier with organisation number %(org_no)s is in the agreement's register.")
            % {"org_no": org_no},
            element,
        )
        return None
    if expected is not None and seller.pk != expected.pk:
        refusals.add(
            "HYRKOLL-SEL-04", _("The seller %(org_no)s is not your company.") % {"org_no": org_no}, element
        )
        return None
    if issued is not None:
        if not SupplierAdmission.objects.in_force(issued).filter(supplier=seller).exists():
            refusals.add(
                "HYRKOLL-SEL-02",
                _("%(supplier)s is not admitted to the agreement on the issue date %(date)s.")
                % {"supplier": seller, "date": issued},
                element,
            )
        elif is_suspended(seller, issued):
            refusals.add(
                "HYRKOLL-SEL-03",
                _("%(supplier)s is suspended from the agreement on the issue date %(date)s.")
                % {"supplier": seller, "date": issued},
                element,
            )
    return seller


def _assignment(
    root: etree._Element, refusals: Refusals, seller: Supplier, region: Region | None
) -> Assignment | None:
    element = root.find("cac:OrderReference/cbc:ID", NS)
    raw = (element.text or "").strip() if element is not None else ""
    match = ORDER_REFERENCE.fullmatch(raw)
    found = (
        Assignment.objects.select_related("region").filter(pk=int(match.group(1)), supplier=seller).first()
        if match
        else None
    )
    if found is None:
        refusals.add(
            "HYRKOLL-ORD-01",
            _(
                "Unknown order reference '%(raw)s': put the reference shown on the assignment's page "
                "(U-<number>) in cac:OrderReference/cbc:ID."
            )
            % {"raw": raw[:50]},
            element,
        )
        return None
    if region is not None and found.region_id != region.pk:
        refusals.add(
            "HYRKOLL-ORD-02",
            _("The order reference %(ref)s is an assignment of %(other)s, not of %(region)s.")
            % {"ref": raw, "other": found.region, "region": region},
            element,
        )
        return None
    return found


def _credited(
    root: etree._Element, refusals: Refusals, seller: Supplier | None, assignment: Assignment
) -> Invoice | None:
    element = root.find("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", NS)
    number = (element.text or "").strip() if element is not None else ""
    if not number:
        refusals.add(
            "HYRKOLL-CRN-01",
            _(
                "A credit note must name the invoice it credits (BillingReference/InvoiceDocumentReference/ID)."
            ),
        )
        return None
    found = (
        Invoice.objects.filter(
            supplier=seller, number=number, region=assignment.region, document_type=DocumentType.INVOICE
        )
        .exclude(status=InvoiceStatus.REJECTED)
        .order_by("pk")
        .first()
    )
    if found is None:
        refusals.add(
            "HYRKOLL-CRN-02",
            _("No invoice %(number)s of this supplier in %(region)s to credit (or it was rejected).")
            % {"number": number[:50], "region": assignment.region},
            element,
        )
    return found


def _check_credit(
    root: etree._Element,
    refusals: Refusals,
    credited: Invoice,
    assignment: Assignment | None,
    lines: list[ParsedLine],
) -> None:
    """A credit note takes back at most what the credited invoice (less earlier credits) charged
    for each kind of the assignment."""
    left = credit.credited_so_far(credited)
    wanted: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        wanted[line.kind] += -line.amount_sek
    for kind, amount in wanted.items():
        invoiced = left.get((assignment.pk if assignment else None, kind), (Decimal(0), Decimal(0)))[0]
        if amount > invoiced:
            refusals.add(
                "HYRKOLL-CRN-03",
                _(
                    "The credit note takes back %(amount)s SEK of kind %(kind)s; invoice %(number)s has %(left)s SEK left to credit."
                )
                % {"amount": amount, "kind": kind, "number": credited.number, "left": invoiced},
                root.find("cac:BillingReference", NS),
            )
