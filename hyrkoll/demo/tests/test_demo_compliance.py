"""The demo's compliance data: the penalty step, a suspension that leaves the rest of the demo
working, direct purchases with and without dispensation, and region 14's contract fidelity with all
three classes. The demo is loaded once for the module and rolled back afterwards."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from hyrkoll.agreement.models import SubArea
from hyrkoll.compliance import fidelity, services
from hyrkoll.compliance.fidelity import THROUGH, WITH_DISPENSATION, WITHOUT_DISPENSATION
from hyrkoll.compliance.models import DirectPurchase, EscalationStep, SupplierDeviation, Suspension
from hyrkoll.demo.generator import DemoSummary, load_demo_data
from hyrkoll.followup.models import SupplierCostMonth
from hyrkoll.ordering import workflow
from hyrkoll.ordering.models import NeedStatus, Offer, OfferStatus
from hyrkoll.organisation.models import Region

TODAY = datetime.date(2026, 6, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_data(2026, TODAY)
        transaction.set_rollback(True)


def test_deviations_reach_the_penalty_step(demo: DemoSummary) -> None:
    today = timezone.localdate()
    vgr = services.deviation_counts(SupplierDeviation.objects.filter(region__code="14"), today)
    assert vgr[0].count == 3 and vgr[0].step == EscalationStep.PENALTY
    national = services.deviation_counts(SupplierDeviation.objects.all(), today, per_region=False)
    assert national[0].step == EscalationStep.CONSIDER_SUSPENSION
    assert SupplierDeviation.objects.filter(withdrawn_at__isnull=False).count() == 1


def test_one_supplier_suspended_with_nothing_in_progress(demo: DemoSummary) -> None:
    today = timezone.localdate()
    suspension = Suspension.objects.get()
    assert suspension.is_in_force(today) and suspension.ends_on > today
    supplier = suspension.supplier
    assert not Offer.objects.filter(supplier=supplier, status=OfferStatus.SUBMITTED).exists()
    for sub_area in SubArea.objects.all():
        assert supplier not in workflow.admitted_suppliers(sub_area, today)


def test_direct_purchases(demo: DemoSummary) -> None:
    approved = {
        n for n in DirectPurchase.objects.filter(need__isnull=False).values_list("need_id", flat=True)
    }
    assert approved and all(
        status == NeedStatus.APPROVED
        for status in DirectPurchase.objects.filter(need__isnull=False).values_list("need__status", flat=True)
    )
    found = DirectPurchase.objects.get(need__isnull=True)
    assert found.region.code == "14" and found.explanation and found.premium_sek is not None


def test_region_14_fidelity_has_all_three_classes(demo: DemoSummary) -> None:
    region = Region.objects.get(code="14")
    years = sorted(
        {d.year for d in SupplierCostMonth.objects.filter(region=region).values_list("period", flat=True)}
    )
    assert years
    totals = {cls: 0 for cls in (THROUGH, WITH_DISPENSATION, WITHOUT_DISPENSATION)}
    for year in years:
        result = fidelity.compute([region], year)
        for cls in totals:
            totals[cls] += result.total.amounts[cls]
    assert all(totals.values()), totals
