"""Importing the region's invoice file: a table (CSV or .xlsx, read by ``parsing_files``) or Peppol
documents (.xml or a .zip of them, handed to ``peppol.importing``) – all of it, or with any error
nothing. The upload's SHA-256 is recorded: the same file imported again changes nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.invoicing.models import InvoiceFile, InvoiceSource
from hyrkoll.invoicing.parsing_files import read_file, sha256_of
from hyrkoll.invoicing.peppol import importing as peppol_importing
from hyrkoll.invoicing.peppol.reading import is_peppol_upload
from hyrkoll.invoicing.receiving import FileRejected, FileResult, Received, receive
from hyrkoll.organisation.models import Region


def import_file(actor: Any, region: Region, data: bytes, filename: str) -> FileResult:
    """Import an invoice file for ``region``: all of it, or – with any error – nothing."""
    digest = sha256_of(data)
    earlier = InvoiceFile.objects.filter(region=region, sha256=digest).first()
    if earlier is not None:
        return FileResult(earlier, Received(), already_imported=True)
    if is_peppol_upload(data, filename):
        return peppol_importing.import_file(actor, region, data, filename, digest)
    parsed, errors, count = read_file(data, filename)
    if errors:
        raise FileRejected(errors.items, errors.total)
    with transaction.atomic():
        record = InvoiceFile.objects.create(
            region=region,
            filename=filename[:255],
            sha256=digest,
            lines=count,
            imported_by=audit.acting_user(actor),
        )
        received = receive(actor, region, parsed, InvoiceSource.FILE, source_file=record)
        record.invoices = len(received.created)
        record.skipped_invoices = len(received.already_received)
        record.save(update_fields=["invoices", "skipped_invoices"])
        audit.record(actor, AuditAction.IMPORT, record, after={"sha256": digest, "lines": count})
    return FileResult(record, received)
