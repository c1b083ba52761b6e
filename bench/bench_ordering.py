"""Ordering pages and the checks of an offer (demo data, SQLite)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.timing import measure
from hyrkoll.accounts.models import User
from hyrkoll.ordering.checks import run_checks
from hyrkoll.ordering.models import CallOffStatus, Need, NeedStatus, Offer


def _client_for(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def run() -> None:
    call_off_unit = _client_for("vgr.avropsenhet")
    need = (
        Need.objects.filter(
            region__code="14", status=NeedStatus.PUBLISHED, call_off__status=CallOffStatus.OPEN
        )
        .order_by("pk")
        .first()
    )
    supplier_username = User.objects.filter(supplier__call_offs_received__call_off=need.call_off).values_list(
        "username", flat=True
    )[0]
    supplier = _client_for(supplier_username)
    pages = [
        ("start page with work queues (call-off unit, region 14)", call_off_unit, "/"),
        ("needs list (call-off unit, region 14)", call_off_unit, "/ordering/needs/"),
        (f"need page with ranked offers (need {need.pk})", call_off_unit, f"/ordering/needs/{need.pk}/"),
        ("supplier portal: call-offs to the company", supplier, "/ordering/supplier/call-offs/"),
        ("API: open call-offs for the supplier", supplier, "/api/v1/call-offs/?status=open"),
    ]
    for label, client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        measure(f"{label} [{len(queries)} queries]", lambda c=client, u=url: c.get(u))
    offer = Offer.objects.filter(call_off=need.call_off).first()
    with CaptureQueriesContext(connection) as queries:
        run_checks(offer)
    measure(f"run the six checks of one offer [{len(queries)} queries]", lambda: run_checks(offer))
