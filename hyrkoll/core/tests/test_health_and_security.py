from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse


def test_healthz_reports_database_ok(client: Any, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_down(client: Any, db: Any) -> None:
    with mock.patch("hyrkoll.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_security_headers_are_set(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["admin_a"])
    response = client.get(reverse("start"))
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]


def test_swedish_is_the_default_language(client: Any, db: Any) -> None:
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile() -> None:
    """settings: the app's PostgreSQL sessions run with ``jit=off`` (SQLite has no such setting)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_postgresql_connections_start_no_parallel_workers() -> None:
    """settings: the app's PostgreSQL sessions run without parallel workers (``DB_PARALLEL_WORKERS``)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.parametrize(
    ("value", "options"),
    [
        (None, "-c jit=off -c max_parallel_workers_per_gather=0"),
        ("2", "-c jit=off -c max_parallel_workers_per_gather=2"),
        ("server", "-c jit=off"),
    ],
)
def test_database_options_from_the_environment(value: str | None, options: str) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "HYRKOLL_TESTING": "1", "DATABASE_URL": "postgres://user@localhost/hyrkoll"}
    env.pop("DB_JIT", None)
    env.pop("DB_PARALLEL_WORKERS", None)
    if value is not None:
        env["DB_PARALLEL_WORKERS"] = value
    script = (
        "import json, hyrkoll.settings as s; print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]).get("options") == options
