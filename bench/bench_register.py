"""Agreement register and organisation pages at national scale (demo data, SQLite)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.timing import measure
from hyrkoll.accounts.models import User


def _client_for(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def run() -> None:
    coordinator = _client_for("nationell.samordnare")
    region_admin = _client_for("vgr.admin")
    supplier = _client_for("leverantor.1")
    pages = [
        ("organisation tree, region 14 (region admin)", region_admin, "/organisation/"),
        (
            "supplier register with filter (coordinator)",
            coordinator,
            "/agreement/suppliers/?sub_area=nurses&on=2026-01-01",
        ),
        ("price list detail (supplier)", supplier, "/agreement/price-lists/2/"),
        ("zones, all 290 municipalities (supplier)", supplier, "/agreement/zones/"),
        ("API price list in force (supplier)", supplier, "/api/v1/price-lists/?on=2026-03-01"),
        ("API suppliers admitted to nurses (supplier)", supplier, "/api/v1/suppliers/?sub_area=nurses"),
        ("API org units, region 14 (region admin)", region_admin, "/api/v1/org-units/?limit=500"),
        ("healthz", supplier, "/healthz"),
    ]
    for label, client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        measure(f"{label} [{len(queries)} queries]", lambda c=client, u=url: c.get(u))
