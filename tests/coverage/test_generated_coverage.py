"""Generated coverage of the web app: every URL pattern × every persona, from ``url_table``.

For each pattern the test opens the page with a real id of region A's (or supplier A's) object from
the demo data, as each of the 27 personas, with GET and with an empty POST (rolled back), and
asserts: no 5xx; the declared status (200, 302, 403, 404, 405 or the login redirect); that a POST
refused to a persona (and any POST by a read-only persona) writes nothing to the audit log; and
that no page or export given to region B or to supplier B contains a marker set on region A's or
supplier A's records. A meta-test fails when a pattern has no row; another follows every link of the menu
and of the start page for every persona and fails on any that answers 403, 404 or 5xx.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from hyrkoll.audit.models import AuditEvent
from tests.coverage import markers
from tests.coverage.conftest import CoverageWorld
from tests.coverage.expectations import LOGIN, Row, expected_get, expected_post, must_not_write
from tests.coverage.markers import REGION_A_MARKERS, SUPPLIER_A_MARKERS
from tests.coverage.patterns import Pattern, web_patterns
from tests.coverage.personas import BY_NAME, PERSONAS, Persona
from tests.coverage.url_table import NOT_REQUESTED, URL_TABLE

PATTERNS = {pattern.name: pattern for pattern in web_patterns()}


def test_every_url_pattern_has_a_row_in_the_table() -> None:
    missing = sorted(set(PATTERNS) - set(URL_TABLE) - set(NOT_REQUESTED))
    stale = sorted((set(URL_TABLE) | set(NOT_REQUESTED)) - set(PATTERNS))
    assert not missing, f"URL patterns without a row in tests/coverage/url_table.py: {missing}"
    assert not stale, f"rows in tests/coverage/url_table.py for patterns that no longer exist: {stale}"


def test_every_parameter_is_filled_and_every_persona_spec_names_someone() -> None:
    names = {persona.name for persona in PERSONAS}
    from fnmatch import fnmatch

    for name, row in URL_TABLE.items():
        assert bool(PATTERNS[name].parameters) == (row.object is not None), name
        for spec in (row.ok, row.missing, row.redirect, row.post_ok or ""):
            for token in spec.split():
                assert any(fnmatch(persona, token) for persona in names), f"{name}: {token!r} names nobody"


def _url(pattern: Pattern, row: Row, world: CoverageWorld) -> str:
    args = [world.objects[row.object]] if row.object else []
    return reverse(pattern.name, args=args) + row.query


def _outcome(response: HttpResponse) -> int | str:
    if response.status_code == 302 and urlsplit(response["Location"]).path == reverse(settings.LOGIN_URL):
        return LOGIN
    return response.status_code


def _client(world: CoverageWorld, persona: Persona) -> Client:
    client = Client(raise_request_exception=False)
    if not persona.is_anonymous:
        client.force_login(world.users[persona.name])
    return client


def _text(response: HttpResponse) -> str:
    """What a person sees in the answer: the page, the CSV, or every cell of an Excel file."""
    content = b"".join(response) if response.streaming else response.content
    if content[:2] == b"PK":  # an .xlsx (a zip)
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return content.decode("utf-8", errors="replace")


def _leaks(persona: Persona, response: HttpResponse) -> list[str]:
    if response.status_code != 200:
        return []
    if persona.kind == "region" and persona.tenant == "b":
        markers = REGION_A_MARKERS
    elif persona.kind == "supplier" and persona.tenant == "b":
        markers = SUPPLIER_A_MARKERS
    else:
        return []
    text = _text(response)
    return [marker for marker in markers if marker in text]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URL_TABLE))
def test_every_persona_gets_the_declared_answer_and_nothing_of_another_tenant(
    name: str, coverage_world: CoverageWorld
) -> None:
    row = URL_TABLE[name]
    url = _url(PATTERNS[name], row, coverage_world)
    wrong: list[str] = []
    for persona in PERSONAS:
        client = _client(coverage_world, persona)
        get = client.get(url)
        if (outcome := _outcome(get)) != expected_get(row, persona):
            wrong.append(f"GET {url} as {persona.name}: {outcome}, declared {expected_get(row, persona)}")
        if leaked := _leaks(persona, get):
            wrong.append(f"GET {url} as {persona.name} shows another tenant's {leaked}")
        with transaction.atomic():
            events_before = AuditEvent.objects.count()
            post = client.post(url, {})
            wrote = AuditEvent.objects.count() != events_before
            transaction.set_rollback(True)
        if wrote and must_not_write(row, persona):
            wrong.append(f"POST {url} as {persona.name} changed something (an audit event was written)")
        if (outcome := _outcome(post)) not in (declared := expected_post(row, persona)):
            wrong.append(
                f"POST {url} as {persona.name}: {outcome}, declared one of {sorted(map(str, declared))}"
            )
        if leaked := _leaks(persona, post):
            wrong.append(f"POST {url} as {persona.name} shows another tenant's {leaked}")
    assert not wrong, "\n".join(wrong)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Any]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith(("/static/", "/media/")):
            self.hrefs.append(href)


def _links_of(response: HttpResponse) -> list[str]:
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.hrefs


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [p for p in PERSONAS if not p.is_anonymous], ids=lambda p: p.name)
def test_no_link_of_the_menu_or_the_start_page_answers_an_error(
    persona: Persona, coverage_world: CoverageWorld
) -> None:
    client = _client(coverage_world, persona)
    start = client.get("/")
    assert start.status_code == 200
    links = sorted(set(_links_of(start)))
    assert links, "the start page links nowhere"
    broken = []
    for href in links:
        status = client.get(href).status_code
        if status in (403, 404) or status >= 500:
            broken.append(f"{href}: {status}")
    assert not broken, f"{persona.name} is offered links that fail: {broken}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("marker", "name", "persona"),
    [
        (markers.NEED, "ordering:need_detail", "a.orderer"),
        (markers.UNIT, "organisation:unit_detail", "a.admin"),
        (markers.PLAN, "governance:plan_detail", "a.controller"),
        (markers.INVOICE, "invoicing:detail", "a.call_off_unit"),
        (markers.INVOICE, "invoicing:detail", "supplier_a"),
        (markers.CONSULTANT, "ordering:offer_detail", "supplier_a"),
        (markers.DOCUMENT, "governance:declaration_document", "a.admin"),
    ],
)
def test_the_leak_markers_are_shown_to_their_own_tenant(
    marker: str, name: str, persona: str, coverage_world: CoverageWorld
) -> None:
    """The leak check is only as good as its markers: each is seen where its owner looks."""
    response = _client(coverage_world, BY_NAME[persona]).get(
        _url(PATTERNS[name], URL_TABLE[name], coverage_world)
    )
    assert response.status_code == 200
    assert marker in _text(response)
