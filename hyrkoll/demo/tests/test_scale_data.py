"""``hyrkoll generate_scale_data`` at a tiny scale: counts, every state, determinism, and the web app
on the result. On SQLite it refuses without ``--allow-sqlite`` (and runs with it)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse

from hyrkoll.accounts.models import User
from hyrkoll.assignments.models import Assignment, TimeReport, TimeReportDay
from hyrkoll.followup.models import CostEntry
from hyrkoll.invoicing.models import Invoice, InvoiceLine
from hyrkoll.ordering.models import CallOff, CallOffRecipient, Need, NeedStatus, Offer, OfferCheck

TINY = ["--call-offs", "300", "--ledger-lines", "5000"]
ON_SQLITE = [] if connection.vendor == "postgresql" else ["--allow-sqlite"]


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", *args, *ON_SQLITE, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fingerprint() -> dict[str, Any]:
    """What the data set holds, independent of the ids the database handed out."""
    return {
        "needs by status": dict(
            Need.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        ),
        "estimated cost": Need.objects.aggregate(s=Sum("estimated_cost_sek"))["s"],
        "call-offs": CallOff.objects.count(),
        "recipients": CallOffRecipient.objects.count(),
        "offers": Offer.objects.count(),
        "checks": OfferCheck.objects.count(),
        "assignments": Assignment.objects.count(),
        "time reports": TimeReport.objects.count(),
        "days": TimeReportDay.objects.aggregate(s=Sum("normal_hours"))["s"],
        "invoiced": Invoice.objects.aggregate(s=Sum("invoiced_sek"))["s"],
        "invoice lines": InvoiceLine.objects.count(),
        "ledger": CostEntry.objects.aggregate(s=Sum("amount_sek"))["s"],
    }


@pytest.mark.django_db
def test_tiny_scale_counts_states_determinism_and_pages(client: Any) -> None:
    class Again(Exception):
        pass

    with pytest.raises(Again), transaction.atomic():
        generate(*TINY)
        first = fingerprint()
        raise Again  # roll back and write it again from the same seed
    report = generate(*TINY)
    assert fingerprint() == first
    assert "needs" in report and "database size" in report

    assert Need.objects.count() == 300
    assert set(first["needs by status"]) == set(NeedStatus.values)
    admitted = {"doctors": 41, "nurses": 54}
    for call_off in CallOff.objects.select_related("sub_area").annotate(n=Count("recipients"))[:20]:
        assert call_off.n <= admitted[call_off.sub_area.code]
        assert call_off.recipients.filter(notified_at=call_off.published_at).count() == call_off.n
    assert Assignment.objects.count() == Offer.objects.filter(status="awarded").count() > 0
    assert OfferCheck.objects.count() == 6 * Offer.objects.count()
    assert CostEntry.objects.values("region").distinct().count() == 21
    # Consultants come back to the units they worked at.
    repeat = Assignment.objects.values("unit", "consultant").annotate(n=Count("pk")).filter(n__gt=1)
    assert repeat.exists()

    # The app inserts after the COPY (sequences moved on) and works on the result.
    need = Need.objects.order_by("pk").last()
    need.pk = None
    need.save()
    orderer = User.objects.get(username="vgr.bestallare")
    client.force_login(orderer)
    assert client.get(reverse("ordering:needs")).status_code == 200
    client.force_login(User.objects.get(username="nationell.samordnare"))
    assert client.get(reverse("followup:dashboard")).status_code == 200


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
@pytest.mark.django_db
def test_sqlite_is_refused_without_allow_sqlite() -> None:
    with pytest.raises(CommandError, match="PostgreSQL.*--allow-sqlite"):
        call_command("generate_scale_data", *TINY, stdout=io.StringIO())
    assert not Need.objects.exists()
