"""Bad Peppol input: malformed XML, XXE and entity expansion, documents that are not UBL, and .zip
archives – each refused with a clear message before anything is stored (and never expanded)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import override_settings

from hyrkoll.assignments.models import Assignment
from hyrkoll.invoicing import services
from hyrkoll.invoicing.models import Invoice, InvoiceFile
from hyrkoll.invoicing.peppol import reading
from hyrkoll.invoicing.peppol.findings import DocumentRejected
from hyrkoll.invoicing.tests.test_peppol import invoice_doc, refused, rules

pytestmark = pytest.mark.django_db

XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&e;</Invoice>
"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
]>
<lolz>&lol6;</lolz>
"""
CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
  <rsm:ExchangedDocument><ram:ID>F-1</ram:ID></rsm:ExchangedDocument>
</rsm:CrossIndustryInvoice>
"""
HTML = b"<html><head><title>Faktura</title></head><body><p>Faktura F-1<br></p></body></html>"


def test_malformed_xml_is_refused_with_its_line(flow: dict[str, Any]) -> None:
    errors = refused(flow, b'<?xml version="1.0"?>\n<Invoice>\n  <cbc:ID>1</Invoice>')
    assert rules(errors) == {"HYRKOLL-XML-04"}
    assert errors[0].location.startswith("line ")


@pytest.mark.parametrize("data", [XXE, LAUGHS, XXE.replace(b"DOCTYPE", b"doctype")])
def test_xxe_and_entity_expansion_are_refused_without_expanding(flow: dict[str, Any], data: bytes) -> None:
    errors = refused(flow, data)
    assert rules(errors) == {"HYRKOLL-XML-03"}
    assert "root:" not in str(errors[0]) and "lollol" not in str(errors[0])


def test_other_encodings_than_utf8_are_refused(flow: dict[str, Any]) -> None:
    assert rules(refused(flow, XXE.decode().encode("utf-16"))) == {"HYRKOLL-XML-02"}
    data = b'<?xml version="1.0" encoding="UTF-7"?><Invoice/>'
    assert rules(refused(flow, data)) == {"HYRKOLL-XML-02"}


@pytest.mark.parametrize("data", [CII, HTML.replace(b"<br>", b"<br/>"), b"<Invoice/>"])
def test_a_document_that_is_not_ubl_is_refused(flow: dict[str, Any], data: bytes) -> None:
    errors = refused(flow, data)
    assert rules(errors) == {"HYRKOLL-DOC-01"}
    assert errors[0].message.startswith("Not a UBL 2.1 Invoice or CreditNote")


def test_an_html_page_is_refused(flow: dict[str, Any]) -> None:
    assert rules(refused(flow, HTML)) == {"HYRKOLL-XML-04"}


def test_a_document_nested_too_deep_is_refused() -> None:
    data = b"<a>" * 60 + b"</a>" * 60
    with pytest.raises(DocumentRejected) as caught:
        reading.parse(data)
    assert caught.value.findings[0].rule == "HYRKOLL-XML-05"


@override_settings(PEPPOL_MAX_DOCUMENT_BYTES=1000)
def test_a_document_too_large_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    assert rules(refused(flow, invoice_doc(assignment))) == {"HYRKOLL-XML-01"}


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def import_zip(flow: dict[str, Any], data: bytes) -> services.FileResult:
    return services.import_file(flow["call_off_unit"], flow["region_a"], data, "bunt.zip")


def test_a_zip_with_two_invoices(flow: dict[str, Any], assignment: Assignment) -> None:
    data = zipped(
        {"F-1.xml": invoice_doc(assignment, number="F-1"), "F-2.xml": invoice_doc(assignment, number="F-2")}
    )
    result = import_zip(flow, data)
    assert sorted(invoice.number for invoice in result.received.created) == ["F-1", "F-2"]
    assert result.record is not None and result.record.invoices == 2
    assert import_zip(flow, data).already_imported


def test_a_zip_with_one_bad_document_imports_nothing(flow: dict[str, Any], assignment: Assignment) -> None:
    data = zipped(
        {"F-1.xml": invoice_doc(assignment, number="F-1"), "F-2.xml": invoice_doc(assignment, currency="EUR")}
    )
    with pytest.raises(services.FileRejected) as caught:
        import_zip(flow, data)
    (error,) = caught.value.errors
    assert (error.rule, error.document) == ("HYRKOLL-CUR-01", "F-2.xml")
    assert not Invoice.objects.exists() and not InvoiceFile.objects.exists()


def test_a_zip_with_another_kind_of_member_is_refused(flow: dict[str, Any], assignment: Assignment) -> None:
    data = zipped({"F-1.xml": invoice_doc(assignment), "readme.pdf": b"%PDF-1.4"})
    with pytest.raises(services.FileRejected) as caught:
        import_zip(flow, data)
    assert caught.value.errors[0].rule == "HYRKOLL-ZIP-01" and caught.value.errors[0].document == "readme.pdf"


@override_settings(PEPPOL_MAX_DOCUMENT_BYTES=100_000)
def test_a_zip_bomb_stops_at_the_limit(flow: dict[str, Any]) -> None:
    bomb = zipped({"bomb.xml": b"<a>" + b" " * 5_000_000 + b"</a>"})
    assert len(bomb) < 20_000
    with pytest.raises(services.FileRejected) as caught:
        import_zip(flow, bomb)
    assert caught.value.errors[0].rule == "HYRKOLL-ZIP-01"
    # Sizes that lie in the header are caught by the bounded read.
    lying = bytearray(bomb)
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = lying.find(header)
        lying[at + offset : at + offset + 4] = (10).to_bytes(4, "little")
    with pytest.raises(services.FileRejected) as caught:
        import_zip(flow, bytes(lying))
    assert caught.value.errors[0].rule == "HYRKOLL-ZIP-01"


@override_settings(PEPPOL_MAX_ZIP_MEMBERS=2)
def test_a_zip_with_too_many_members_is_refused(flow: dict[str, Any]) -> None:
    data = zipped({f"{n}.xml": b"<a/>" for n in range(3)})
    with pytest.raises(services.FileRejected) as caught:
        import_zip(flow, data)
    assert "more than 2 files" in caught.value.errors[0].message


def test_an_excel_workbook_still_goes_to_the_table_import(flow: dict[str, Any]) -> None:
    assert not reading.is_peppol_upload(b"PK\x03\x04...", "fakturor.xlsx")
    assert reading.is_peppol_upload(b"<?xml", "upload")
    assert not reading.is_peppol_upload(b"supplier_org_no;invoice_number", "fakturor.csv")
