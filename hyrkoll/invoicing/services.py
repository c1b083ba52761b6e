"""Receiving, checking and deciding invoices.

Every way in (the supplier portal, the API, a file the region imports) ends in :func:`receive`, which
stores the invoices with their lines and what the control found, in one transaction. The same invoice
(same supplier, number and content) received again changes nothing; the same file imported again
changes nothing. Decisions (accepting a deviation, approving, rejecting) check who acts, move the
status with a compare-and-set update and write the audit trail.

The parts (none imports this module; import from here or from the part):

- ``receiving``: :func:`receive` and what the ways in return (``Received``, ``FileResult``,
  ``FileRejected``);
- ``file_import``: :func:`import_file`, a table or Peppol documents;
- ``submission``: :func:`submit` from the portal or the API (``SubmissionRejected``);
- ``decisions``: :func:`accept_deviation`, :func:`approve`, :func:`reject`, :func:`recheck`.
"""

from __future__ import annotations

from hyrkoll.invoicing.decisions import accept_deviation, approve, recheck, reject
from hyrkoll.invoicing.file_import import import_file
from hyrkoll.invoicing.receiving import LINE_COLUMNS, FileRejected, FileResult, Received, receive
from hyrkoll.invoicing.submission import LINE_LABELS, SubmissionRejected, submit
from hyrkoll.ordering.workflow import WorkflowError

__all__ = [
    "LINE_COLUMNS",
    "LINE_LABELS",
    "FileRejected",
    "FileResult",
    "Received",
    "SubmissionRejected",
    "WorkflowError",
    "accept_deviation",
    "approve",
    "import_file",
    "recheck",
    "receive",
    "reject",
    "submit",
]
