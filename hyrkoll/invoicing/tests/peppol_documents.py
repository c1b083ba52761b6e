"""Realistic Peppol BIS Billing 3.0 documents (UBL 2.1 Invoice and CreditNote) written by the tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CENT = Decimal("0.01")


@dataclass
class Line:
    start: str
    end: str
    quantity: Any
    price: Any
    kind: str | None = "hours"
    name: str = "Läkare, arbetade timmar"
    unit: str = "HUR"
    amount: Any = None

    @property
    def net(self) -> Decimal:
        if self.amount is not None:
            return Decimal(str(self.amount))
        return (Decimal(str(self.quantity)) * Decimal(str(self.price))).quantize(CENT)


def _party(name: str, org_no: str, street: str, city: str, zone: str, endpoint: str) -> str:
    digits = org_no.replace("-", "")
    return f"""<cac:Party>
      <cbc:EndpointID schemeID="0007">{digits}</cbc:EndpointID>
      <cac:PartyName><cbc:Name>{escape(name)}</cbc:Name></cac:PartyName>
      <cac:PostalAddress>
        <cbc:StreetName>{escape(street)}</cbc:StreetName>
        <cbc:CityName>{escape(city)}</cbc:CityName>
        <cbc:PostalZone>{zone}</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>SE{digits}01</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>{escape(name)}</cbc:RegistrationName>
        <cbc:CompanyID schemeID="0007">{escape(org_no)}</cbc:CompanyID>
      </cac:PartyLegalEntity>
    </cac:Party>"""


def document(
    lines: list[Line],
    *,
    order_reference: str,
    number: str = "F-2026-001",
    issued: str = "2026-01-15",
    seller_org_no: str = "5566778899",
    seller_name: str = "Bemanning A AB",
    currency: str = "SEK",
    credit_note_for: str | None = None,
    totals: dict[str, Any] | None = None,
    customization: str = CUSTOMIZATION,
) -> bytes:
    """A UBL 2.1 Invoice (or, with ``credit_note_for``, a CreditNote of that invoice number): 25 % VAT
    category S, seller and buyer, totals computed from the lines unless ``totals`` overrides some."""
    credit = credit_note_for is not None
    root, line_tag, qty_tag = (
        ("CreditNote", "CreditNoteLine", "CreditedQuantity")
        if credit
        else ("Invoice", "InvoiceLine", "InvoicedQuantity")
    )
    net = sum((line.net for line in lines), Decimal(0))
    tax = (net * Decimal("0.25")).quantize(CENT)
    figures = {
        "LineExtensionAmount": net,
        "TaxExclusiveAmount": net,
        "TaxInclusiveAmount": net + tax,
        "PayableAmount": net + tax,
    } | (totals or {})
    cur = f'currencyID="{currency}"'
    body = []
    for index, line in enumerate(lines, start=1):
        seller_id = (
            f"<cac:SellersItemIdentification><cbc:ID>{line.kind}</cbc:ID></cac:SellersItemIdentification>"
            if line.kind
            else ""
        )
        body.append(f"""
  <cac:{line_tag}>
    <cbc:ID>{index}</cbc:ID>
    <cbc:{qty_tag} unitCode="{line.unit}">{line.quantity}</cbc:{qty_tag}>
    <cbc:LineExtensionAmount {cur}>{line.net}</cbc:LineExtensionAmount>
    <cac:InvoicePeriod><cbc:StartDate>{line.start}</cbc:StartDate><cbc:EndDate>{line.end}</cbc:EndDate></cac:InvoicePeriod>
    <cac:Item>
      <cbc:Description>Hyrläkare enligt avrop</cbc:Description>
      <cbc:Name>{escape(line.name)}</cbc:Name>
      {seller_id}
      <cac:ClassifiedTaxCategory>
        <cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount {cur}>{line.price}</cbc:PriceAmount></cac:Price>
  </cac:{line_tag}>""")
    head_dates = (
        f"<cbc:IssueDate>{issued}</cbc:IssueDate>\n  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"
        if credit
        else f"<cbc:IssueDate>{issued}</cbc:IssueDate>\n  <cbc:DueDate>2026-02-14</cbc:DueDate>\n"
        "  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"
    )
    billing = (
        f"<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{escape(credit_note_for)}</cbc:ID>"
        "</cac:InvoiceDocumentReference></cac:BillingReference>"
        if credit
        else ""
    )
    namespace = f"urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="{namespace}"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>{customization}</cbc:CustomizationID>
  <cbc:ProfileID>{PROFILE}</cbc:ProfileID>
  <cbc:ID>{escape(number)}</cbc:ID>
  {head_dates}
  <cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>HSN-4711</cbc:BuyerReference>
  <cac:OrderReference><cbc:ID>{escape(order_reference)}</cbc:ID></cac:OrderReference>
  {billing}
  <cac:AccountingSupplierParty>
    {_party(seller_name, seller_org_no, "Storgatan 1", "Göteborg", "41101", seller_org_no)}
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    {_party("Västra Götalandsregionen", "232100-0131", "Regionens hus", "Vänersborg", "46280", "2321000131")}
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <cbc:PaymentID>{escape(number)}</cbc:PaymentID>
    <cac:PayeeFinancialAccount><cbc:ID>SE4550000000058398257466</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount {cur}>{tax}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount {cur}>{net}</cbc:TaxableAmount>
      <cbc:TaxAmount {cur}>{tax}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount {cur}>{figures["LineExtensionAmount"]}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount {cur}>{figures["TaxExclusiveAmount"]}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount {cur}>{figures["TaxInclusiveAmount"]}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount {cur}>{figures["PayableAmount"]}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>{"".join(body)}
</{root}>
"""
    return text.encode("utf-8")
