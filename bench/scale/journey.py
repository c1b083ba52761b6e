"""What every journey of the load benchmark shares: the login, GET and form POST that count any
unexpected status as a failure, and reading ids and options off a page."""

from __future__ import annotations

import os
import random
import re
from typing import Any

from locust import FastHttpUser, between

PASSWORD = os.environ.get("BENCH_SCALE_PASSWORD", "hyrkoll-demo")
REGIONS = os.environ.get("BENCH_SCALE_REGIONS", "vgr,01,12,03,25").split(",")
SUPPLIERS = int(os.environ.get("BENCH_SCALE_SUPPLIERS", "8"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def think_time() -> tuple[float, float]:
    """Seconds between a user's tasks, ``BENCH_SCALE_WAIT=min,max`` (``run.py --wait``): by default
    0.5–2 s, far busier than a person who reads each page (a task is 2–6 requests in a row)."""
    low, high = (float(part) for part in os.environ.get("BENCH_SCALE_WAIT", "0.5,2").split(","))
    return low, high


def ids(html: str, pattern: str) -> list[int]:
    """The distinct ids in links like ``pattern`` (a regex with one group) on a page."""
    return sorted({int(found) for found in re.findall(pattern, html)})


def options(html: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of a ``<select name=…>``'s non-empty options."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if not select:
        return []
    return [
        (v, label.strip())
        for v, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)<', select.group(1))
    ]


class Journey(FastHttpUser):
    """A logged-in user of the web app; subclasses give the usernames and the tasks.

    ``FastHttpUser`` (geventhttpclient), not ``HttpUser`` (python-requests): the client shares the
    server's two cores, and requests' client took several times the CPU per request (Locust 9–10 %
    of a core in earlier runs) – CPU the server's workers then lacked."""

    abstract = True
    wait_time = between(*think_time())
    roles: tuple[str, ...] = ()

    def username(self) -> str:
        return f"{random.choice(REGIONS)}.{random.choice(self.roles)}"

    def on_start(self) -> None:
        self.login(self.username())

    def login(self, username: str) -> None:
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text)
        data = {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        with self.client.post(
            "/login/", data=data, name="/login/", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                r.failure(f"login as {username} failed: {r.status_code}")

    def get(self, path: str, name: str, **kwargs: Any) -> str:
        """GET that must answer 200; returns the body ("" on failure)."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True, **kwargs) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {path}")
                return ""
            return (
                r.text
                if "html" in r.headers.get("Content-Type", "") or "json" in r.headers.get("Content-Type", "")
                else "ok"
            )

    def post_form(self, path: str, name: str, page: str, data: dict[str, str]) -> None:
        """POST a form with the CSRF token of ``page``; a redirect (done) or 200 (form shown again) is fine."""
        token = CSRF.search(page)
        data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        headers = {"Referer": self.host + path}
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code not in (200, 302):
                r.failure(f"{r.status_code} for POST {path}")
