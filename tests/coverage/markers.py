"""Markers written into region A's and supplier A's records, so that a page or export given to
region B or supplier B can be searched for them.

Region B must never see a region A marker; supplier B never a supplier A marker. Suppliers may see
region A's published call-offs (every admitted supplier receives them), so the need marker is a
region marker only; region B may meet supplier A's consultants on its own assignments, so the
consultant marker is a supplier marker only. Region A's invoices from supplier A carry both.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

from hyrkoll.consultants.models import Consultant
from hyrkoll.governance.models import ActionPlan, Declaration
from hyrkoll.invoicing.models import Invoice
from hyrkoll.ordering.models import Need
from hyrkoll.organisation.models import OrgUnit
from tests.coverage.personas import REGION_A

NEED = "LEAKMARK-RA-NEED"
UNIT = "LEAKMARK-RA-UNIT"
PLAN = "LEAKMARK-RA-PLAN"
CONSULTANT = "LEAKMARK-SA-CONSULTANT"
INVOICE = "LEAKMARK-RASA-INV"
DOCUMENT = "LEAKMARK-RA-DOCUMENT"

REGION_A_MARKERS = (NEED, UNIT, PLAN, INVOICE, DOCUMENT)
SUPPLIER_A_MARKERS = (CONSULTANT, INVOICE)


def mark_tenant_a(supplier_a_pk: int) -> None:
    """Also gives region A's first declaration a decision document (the demo's have none), so that
    the document's URL serves a file to region A and must refuse region B."""
    in_a = {"region__code": REGION_A}
    Need.objects.filter(**in_a).update(shifts_note=NEED)
    OrgUnit.objects.filter(**in_a).update(name=Concat(Value(UNIT + " "), F("name")))
    ActionPlan.objects.filter(**in_a).update(name=Concat(Value(PLAN + " "), F("name")))
    Consultant.objects.filter(supplier_id=supplier_a_pk).update(last_name=CONSULTANT)
    Invoice.objects.filter(**in_a, supplier_id=supplier_a_pk).update(
        number=Concat(Value(INVOICE + "-"), Cast("pk", CharField()))
    )
    declaration = Declaration.objects.filter(**in_a).order_by("pk").first()
    if declaration is not None:
        declaration.document.save("beslut.pdf", ContentFile(b"%PDF-1.4\n% " + DOCUMENT.encode()))
