"""The ways a Peppol document comes in, all ending in ``receiving.receive``.

- :func:`import_file`: the region's upload and ``hyrkoll import_invoices`` (one .xml document or a .zip
  of them), called by ``file_import.import_file`` when the upload is not a table; every document is
  read, validated and mapped before anything is stored, and one bad document refuses the whole upload;
- :func:`receive_document`: ``POST /api/v1/invoices/`` with ``Content-Type: application/xml`` (one
  document; the seller must be the token's supplier; the region is the assignment's).

The upload's SHA-256 is recorded as an ``InvoiceFile`` for the region: the same upload twice changes
nothing, and the same invoice (supplier, number, content) is stored once however it comes in.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.invoicing.models import InvoiceFile, InvoiceSource
from hyrkoll.invoicing.parsing import sha256_of
from hyrkoll.invoicing.peppol import reading, validation
from hyrkoll.invoicing.peppol.findings import DocumentRejected, Finding
from hyrkoll.invoicing.peppol.mapping import Mapped, map_document
from hyrkoll.invoicing.receiving import FileRejected, FileResult, Received, receive
from hyrkoll.organisation.models import Region

MAX_FINDINGS = 200


def read_documents(
    data: bytes, filename: str, *, region: Region | None = None, supplier: Any = None, single: bool = False
) -> list[Mapped]:
    """Every document of the upload mapped, or DocumentRejected with the findings of all of them."""
    documents = reading.documents(data, filename)
    if single and len(documents) != 1:
        raise DocumentRejected([Finding("HYRKOLL-DOC-04", _("Send one document per request."))])
    mapped: list[Mapped] = []
    findings: list[Finding] = []
    for name, content in documents:
        document = name if len(documents) > 1 else ""
        try:
            tree = reading.parse(content, document)
            problems = validation.validate(tree)
            if problems:
                raise DocumentRejected([Finding(p.rule, p.message, p.location, document) for p in problems])
            mapped.append(map_document(tree, document, region=region, supplier=supplier))
        except DocumentRejected as rejected:
            findings.extend(rejected.findings)
        if len(findings) >= MAX_FINDINGS:
            break
    if findings:
        raise DocumentRejected(findings)
    return mapped


def import_file(actor: Any, region: Region, data: bytes, filename: str, digest: str) -> FileResult:
    """Import the region's upload: all its documents, or – with any finding – nothing."""
    try:
        mapped = read_documents(data, filename, region=region)
    except DocumentRejected as rejected:
        raise FileRejected(rejected.findings, len(rejected.findings)) from None  # type: ignore[arg-type]
    with transaction.atomic():
        record = InvoiceFile.objects.create(
            region=region,
            filename=filename[:255],
            sha256=digest,
            lines=sum(m.lines for m in mapped),
            imported_by=audit.acting_user(actor),
        )
        received = receive(actor, region, [m.parsed for m in mapped], InvoiceSource.FILE, source_file=record)
        record.invoices = len(received.created)
        record.skipped_invoices = len(received.already_received)
        record.save(update_fields=["invoices", "skipped_invoices"])
        audit.record(
            actor,
            AuditAction.IMPORT,
            record,
            after={"sha256": digest, "lines": record.lines, "format": "peppol"},
        )
    return FileResult(record, received)


def receive_document(actor: Any, data: bytes) -> Received:
    """A supplier's document through the API; DocumentRejected with the findings if it is refused."""
    supplier = getattr(actor, "supplier", None)
    (mapped,) = read_documents(data, "document.xml", supplier=supplier, single=True)
    digest = sha256_of(data)
    with transaction.atomic():
        received = receive(actor, mapped.region, [mapped.parsed], InvoiceSource.API)
        if received.created and not InvoiceFile.objects.filter(region=mapped.region, sha256=digest).exists():
            record = InvoiceFile.objects.create(
                region=mapped.region,
                filename=f"{mapped.parsed.number}.xml"[:255],
                sha256=digest,
                lines=mapped.lines,
                invoices=len(received.created),
                imported_by=audit.acting_user(actor),
            )
            for invoice in received.created:
                invoice.source_file = record
                invoice.save(update_fields=["source_file"])
    return received
