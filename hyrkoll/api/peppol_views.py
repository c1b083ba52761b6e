"""``POST /api/v1/invoices/`` with ``Content-Type: application/xml``: a supplier sends a Peppol BIS
Billing 3.0 document (UBL 2.1 Invoice or CreditNote) as it would to the region's access point.

The body is read raw (at most ``PEPPOL_MAX_DOCUMENT_BYTES``) by :class:`UBLParser` and handed to
``invoicing.peppol.importing.receive_document``; a refusal answers 400 with
``{"errors": [{"rule": ..., "message": ..., "location": ...}]}``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from hyrkoll.invoicing import permissions as invoice_permissions
from hyrkoll.invoicing.peppol import reading
from hyrkoll.invoicing.peppol.findings import DocumentRejected
from hyrkoll.invoicing.peppol.importing import receive_document

XML_MEDIA_TYPE = "application/xml"


class UBLParser(BaseParser):
    """``application/xml``: the raw bytes, bounded; the document is parsed safely later."""

    media_type = XML_MEDIA_TYPE

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> bytes:
        limit = reading.max_document_bytes()
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise ParseError(_("The document is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
        return data


def is_xml(request: Request) -> bool:
    return (request.content_type or "").split(";")[0].strip().lower() == XML_MEDIA_TYPE


def create(view: Any, request: Request, serializer_class: Any) -> Response:
    """Receive the document; 201 with the invoice as the JSON create answers, 200 if already received."""
    if not invoice_permissions.can_submit(request.user):
        raise PermissionDenied(_("Only a supplier's user submits invoices."))
    data = request.data
    if not isinstance(data, bytes):
        data = b""
    try:
        received = receive_document(request.user, data)
    except DocumentRejected as rejected:
        return Response(
            {"errors": [finding.as_dict() for finding in rejected.findings]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if received.created:
        invoice, code = received.created[0], status.HTTP_201_CREATED
    else:
        invoice, code = received.already_received[0], status.HTTP_200_OK
    return Response(serializer_class(view.scoped_queryset().get(pk=invoice.pk)).data, status=code)


EXAMPLE_DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>F-2026-001</cbc:ID>
  <cbc:IssueDate>2026-01-15</cbc:IssueDate>
  <cbc:DueDate>2026-02-14</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>HSN-4711</cbc:BuyerReference>
  <cac:OrderReference><cbc:ID>U-123</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0007">5566778899</cbc:EndpointID>
    <cac:PartyName><cbc:Name>Bemanning A AB</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cbc:CityName>Göteborg</cbc:CityName>
      <cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>SE556677889901</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Bemanning A AB</cbc:RegistrationName>
      <cbc:CompanyID schemeID="0007">556677-8899</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="0007">2321000131</cbc:EndpointID>
    <cac:PartyName><cbc:Name>Västra Götalandsregionen</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cbc:CityName>Vänersborg</cbc:CityName>
      <cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>Västra Götalandsregionen</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="SEK">10000.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="SEK">40000.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="SEK">10000.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="SEK">40000.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="SEK">40000.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="SEK">50000.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="SEK">50000.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">40</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="SEK">40000.00</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>2026-01-05</cbc:StartDate><cbc:EndDate>2026-01-09</cbc:EndDate></cac:InvoicePeriod>
    <cac:Item><cbc:Name>Arbetade timmar</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>hours</cbc:ID></cac:SellersItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="SEK">1000.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""

REQUEST_EXAMPLES = [
    OpenApiExample(
        "Peppol BIS Billing 3.0 invoice",
        value=EXAMPLE_DOCUMENT,
        media_type=XML_MEDIA_TYPE,
        request_only=True,
        description="A UBL 2.1 Invoice; cac:OrderReference/cbc:ID is the order reference on the assignment's page.",
    )
]

REJECTED = OpenApiResponse(
    response=inline_serializer(
        "InvoiceRejected",
        {
            "errors": serializers.ListField(
                child=serializers.JSONField(),
                required=False,
                help_text="JSON: the errors as text. XML: one object per failed rule: rule, message, location.",
            )
        },
    ),
    description=(
        "Invalid input. For a Peppol document, each failed rule with its id (BR-…, PEPPOL-…, UBL-2.1-XSD, "
        "HYRKOLL-…), its message and where in the document; nothing is stored."
    ),
    examples=[
        OpenApiExample(
            "Totals that do not add up",
            value={
                "errors": [
                    {
                        "rule": "BR-CO-16",
                        "message": "Amount due for payment (BT-115) = 50000.00 (with VAT − paid + rounding), not 1.00.",
                        "location": "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount (line 48)",
                    }
                ]
            },
            response_only=True,
            status_codes=["400"],
        )
    ],
)

DESCRIPTION = (
    "\n\nWith `Content-Type: application/xml` the body is one Peppol BIS Billing 3.0 document (UBL 2.1 Invoice "
    "or CreditNote, UTF-8, no DTD or entities, at most 10 MB). It is validated against the official UBL 2.1 XSD, a "
    "re-implemented subset of the BIS Billing 3.0 / EN 16931 rules (not the official Schematron) and Hyrkoll's "
    "own checks (SEK, totals); the seller (PartyLegalEntity/CompanyID) must be your company and "
    "cac:OrderReference/cbc:ID one of your assignments (U-<number>). A credit note names the invoice it credits "
    "in cac:BillingReference."
)
