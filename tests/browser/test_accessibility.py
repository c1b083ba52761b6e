"""Accessibility on every page: axe-core (WCAG 2.0/2.1 A and AA) on every page each role's journey
reaches, the contrast of the charts' SVG text, and keyboard access to the main forms.

The pages are not hand-picked: each persona's journey is crawled from the start page, following the
same-origin links in <main> and <nav> (GET only; no logout, downloads, admin or API), and every URL
pattern (``resolve(path).view_name``) the persona reaches is checked once. A test then fails when a
page template of the app was never rendered during the crawl (unless it is listed, with the reason,
in ``TEMPLATES_NOT_CRAWLED``).

axe-core is the copy bundled with the pinned ``axe-playwright-python`` (nothing is downloaded). Its
``color-contrast`` rule leaves SVG ``<text>`` "incomplete" (it cannot tell what is painted behind
it), so the charts' text is measured by a check of our own: the text's fill against the shapes and
the page behind it, 4.5:1 (3:1 for large text), as WCAG 1.4.3 asks.

The realistic demo data is loaded once for the module (about half a minute), committed so that the
live server's thread sees it on PostgreSQL too, and flushed at the end of the module (the reference
data of the data migrations is loaded again afterwards).
"""

from __future__ import annotations

import datetime
import json
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import Resolver404, resolve
from pytest_django import DjangoDbBlocker

# The mark makes pytest-django create the test database; each test runs inside a transaction that
# is rolled back, on top of the module's committed demo data.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_SEED = 2026
DEMO_PASSWORD = "hyrkoll-demo"
# One persona per role of the demo (the approver at the first decision level; region B and the other
# approver levels see the same templates), region A = Västra Götaland (14).
PERSONAS = [
    "vgr.bestallare",  # orderer
    "vgr.enhetschef",  # approver
    "vgr.avropsenhet",  # call-off unit
    "vgr.styrgrupp",  # steering group
    "vgr.controller",  # controller
    "vgr.lasare",  # reader
    "vgr.admin",  # region admin
    "leverantor.45",  # supplier user (a supplier with call-offs, assignments and invoices in region 14)
    "nationell.samordnare",  # national coordinator
    "nationell.lasare",  # national reader
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
PAGES_PER_PATTERN = 1
SKIPPED_PREFIXES = ("/admin/", "/api/", "/oidc/", "/logout/", "/i18n/", "/static/", "/media/")
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".xml", ".zip")
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "hyrkoll" / "templates"
# Templates the GET crawl cannot render, and where they are checked instead.
TEMPLATES_NOT_CRAWLED = {
    "accounts/locked_out.html": "shown after repeated failed logins (django-axes); checked in test_the_pages_behind_a_post_pass_axe",
    "followup/report_print.html": "the PDF's HTML (WeasyPrint), never shown in a browser",
}  # fmt: skip

# Computes the contrast of every SVG <text> of the charts not measured yet (``seen``: keys of charts
# already measured) against what is painted behind it. Worst of three points along the text.
SVG_TEXT_CONTRAST_JS = """
(seen) => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat([1]);
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  };
  const htmlBackground = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      if (e instanceof SVGElement && e.tagName.toLowerCase() !== 'svg') continue;
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const SHAPES = ['rect', 'path', 'circle', 'ellipse', 'polygon'];
  const backgroundAt = (text, x, y) => {
    const layers = [];
    for (const el of document.elementsFromPoint(x, y)) {
      if (el === text || text.contains(el) || el.closest('text')) continue;
      if (el instanceof SVGElement && SHAPES.includes(el.tagName.toLowerCase())) {
        const cs = getComputedStyle(el);
        const c = parse(cs.fill);
        if (!c) continue;
        c[3] *= parseFloat(cs.fillOpacity) * opacity(el);
        if (c[3] <= 0) continue;
        layers.push(c);
        if (c[3] >= 1) break;
        continue;
      }
      if (el instanceof SVGElement && el.tagName.toLowerCase() !== 'svg') continue;
      layers.push(htmlBackground(el));
      break;
    }
    let bg = layers.length ? layers[layers.length - 1] : [255, 255, 255, 1];
    for (let i = layers.length - 2; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const key = (s) => {  // two 32-bit string hashes and the length: the chart's identity
    let a = 0x811c9dc5, b = 0;
    for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); a = Math.imul(a ^ c, 16777619); b = (Math.imul(b, 31) + c) | 0; }
    return (a >>> 0).toString(16) + (b >>> 0).toString(16) + ':' + s.length;
  };
  const keys = [], results = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement.closest('svg')) continue;
    const k = key(svg.outerHTML);
    if (seen.includes(k) || keys.includes(k)) continue;
    keys.push(k);
    const chart = svg.closest('[id]') ? svg.closest('[id]').id : svg.getAttribute('aria-label') || '';
    for (const text of svg.querySelectorAll('text')) {
      const cs = getComputedStyle(text);
      if (cs.display === 'none' || cs.visibility === 'hidden' || !text.textContent.trim()) continue;
      text.scrollIntoView({block: 'center', inline: 'center'});
      const r = text.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      const fg = parse(cs.fill);
      const label = text.textContent.trim().slice(0, 40);
      if (!fg) { results.push({chart, label, fill: cs.fill, ratio: 0, required: 4.5}); continue; }
      fg[3] *= parseFloat(cs.fillOpacity) * opacity(text);
      const size = parseFloat(cs.fontSize);
      const bold = parseInt(cs.fontWeight, 10) >= 700;
      const required = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
      let worst = Infinity, worstBg = null;
      for (const fx of [0.2, 0.5, 0.8]) {
        const bg = backgroundAt(text, r.left + r.width * fx, r.top + r.height / 2);
        const value = ratio(over(fg, bg), bg);
        if (value < worst) { worst = value; worstBg = bg; }
      }
      results.push({chart, label, fill: cs.fill, background: 'rgb(' + worstBg.slice(0, 3).map(Math.round).join(', ') + ')',
                    ratio: Math.round(worst * 100) / 100, required});
    }
  }
  window.scrollTo(0, 0);
  return {keys, results};
}
"""

# The structure of the page, as axe-core sees it: elements with their classes, roles, types and
# ARIA states, whether each attribute that carries data (href, id, a name) is present and empty, and
# whether there is text, but not the data itself. Rows of a table and items of a list that repeat
# the structure of two earlier siblings are removed first: axe-core's verdict on them is the one on
# those siblings, and its color-contrast rule would otherwise take seconds on the long tables.
# Returns the structures of <main> and of the rest of the page (header, menu, footer, head).
STRUCTURE_JS = """
() => {
  const VALUES = new Set(['class', 'role', 'type', 'scope', 'tabindex', 'hidden', 'disabled', 'lang', 'dir',
                          'colspan', 'rowspan', 'multiple', 'required', 'readonly', 'open', 'autocomplete',
                          'aria-hidden', 'aria-current', 'aria-expanded', 'aria-invalid', 'aria-live',
                          'aria-required', 'aria-sort', 'aria-level', 'aria-modal', 'aria-checked', 'aria-selected']);
  const structure = (node, skip) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent.trim() ? '#' : '';
    if (node.nodeType !== Node.ELEMENT_NODE || node === skip) return '';
    const attributes = [...node.attributes]
      .map(a => VALUES.has(a.name) ? a.name + '=' + a.value : a.name + (a.value.trim() ? '' : '=""'))
      .sort().join(' ');
    const tag = node.tagName.toLowerCase();
    let inner = '';
    if (tag === 'svg') inner = node.querySelector('title') ? 'title' : '';  // its text: the SVG check
    else for (const child of node.childNodes) inner += structure(child, skip);
    return '<' + tag + ' ' + attributes + '>' + inner + '</>';
  };
  for (const parent of document.querySelectorAll('tbody, thead, table, ul, ol, select')) {
    const counts = new Map();
    for (const child of [...parent.children]) {
      if (!['TR', 'LI', 'OPTION'].includes(child.tagName)) continue;
      const s = structure(child, null);
      const n = counts.get(s) || 0;
      if (n >= 2) child.remove(); else counts.set(s, n + 1);
    }
  }
  const main = document.querySelector('main');
  const head = 'lang=' + document.documentElement.lang + ' title=' + (document.title.trim() ? '#' : '');
  return [main ? structure(main, null) : '', head + structure(document.body, main)];
}
"""

# axe runs asynchronously in the page and hands its result to this binding, so the crawl of the
# other personas goes on meanwhile (each page is its own renderer process: both cores are used).
START_AXE_JS = """
([context, options]) => {
  axe.run(context || document, options).then(
    (r) => window.__axeDone({violations: r.violations}),
    (e) => window.__axeDone({error: String(e)}));
}
"""

# Controls in <main> that the keyboard cannot reach: a control taken out of the tab order, or a
# positive tabindex (which breaks the reading order). Checked on every crawled page.
UNREACHABLE_JS = """
() => [...document.querySelectorAll('main a[href], main button, main input:not([type=hidden]), main select, '
                                    + 'main textarea, main summary, main [tabindex]')]
  .filter(el => el.getClientRects().length && !el.disabled && (el.tabIndex < 0 || el.tabIndex > 0)
                && !(el.tagName === 'MAIN'))
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' “' + (el.textContent || el.name || '').trim().slice(0, 30)
             + '” tabindex=' + el.getAttribute('tabindex'))
"""

# Every interactive control in <main> gets an index; its unfocused outline and box-shadow are kept
# for comparison.
TAG_CONTROLS_JS = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const controls = [...document.querySelectorAll('main ' + selector.split(', ').join(', main '))]
    .filter(el => visible(el) && !el.disabled && !el.closest('[inert]'));
  if (document.activeElement) document.activeElement.blur();  // an autofocused field
  window.__kbBlur = {};
  return controls.map((el, i) => {
    const cs = getComputedStyle(el);
    el.dataset.kb = String(i);
    window.__kbBlur[i] = {outline: [cs.outlineStyle, cs.outlineWidth, cs.outlineColor].join(' '), shadow: cs.boxShadow};
    const group = el.type === 'radio' ? 'radio:' + el.name : '';
    return {index: i, group, label: (el.tagName + ' ' + (el.name || el.id || el.textContent.trim().slice(0, 30))).trim()};
  });
}
"""

# The focused element: its index, and whether it shows an outline or a box-shadow that it does not
# show unfocused.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const outline = [cs.outlineStyle, cs.outlineWidth, cs.outlineColor].join(' ');
  const hasOutline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1 && !/rgba\\(.*, 0\\)/.test(cs.outlineColor);
  const hasShadow = cs.boxShadow !== 'none';
  const index = el.dataset.kb;
  const before = index !== undefined ? window.__kbBlur[index] : {outline: '', shadow: ''};
  const visible = (hasOutline && outline !== before.outline) || (hasShadow && cs.boxShadow !== before.shadow);
  return {index: index === undefined ? null : Number(index), visible,
          tag: el.tagName + ' ' + (el.name || el.id || el.textContent.trim().slice(0, 30)),
          outline, shadow: cs.boxShadow};
}
"""


@dataclass
class Crawl:
    persona: str
    pages: dict[str, str] = field(default_factory=dict)  # URL → view name, in visiting order
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    axe_runs: int = 0
    charts: int = 0
    svg_texts: int = 0
    seconds: float = 0.0


@dataclass
class DemoServer:
    url: str
    crawls: list[Crawl] = field(default_factory=list)
    templates: set[str] = field(default_factory=set)  # templates rendered while the module ran
    structures: set[str] = field(default_factory=set)  # page parts already run through axe
    charts: list[str] = field(default_factory=list)  # keys of the charts already measured


def _load_reference_data() -> None:
    """The data migrations' reference data (idempotent): a flush removes it."""
    from django.apps import apps

    from hyrkoll.agreement.reference import load_reference_data as load_agreement
    from hyrkoll.governance.catalogue import load_catalogue
    from hyrkoll.organisation.reference import load_reference_data as load_organisation

    load_organisation(
        apps.get_model("organisation", "Region"),
        apps.get_model("organisation", "Municipality"),
        apps.get_model("organisation", "CareArea"),
    )
    load_agreement(lambda name: apps.get_model(name) if "." in name else apps.get_model("agreement", name))
    load_catalogue(apps.get_model("governance", "Measure"))


@pytest.fixture(autouse=True)
def reference_data() -> None:
    """Replaces the browser conftest's per-test reload: the module's demo data stays loaded."""


@pytest.fixture(scope="module")
def demo_server(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoServer]:
    """The demo data, committed, behind a live server of its own; flushed at the end of the module."""
    import os

    from django.core.management import call_command
    from django.test.signals import template_rendered
    from pytest_django.live_server_helper import LiveServer

    from hyrkoll.demo.generator import load_demo_data

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock():
        _load_reference_data()
        started = time.monotonic()
        load_demo_data(DEMO_SEED, datetime.date.today())
        print(f"\naccessibility: demo data loaded in {time.monotonic() - started:.1f} s")
        server = LiveServer("localhost")
        demo = DemoServer(server.url)

        def rendered(sender: Any, template: Any, **kwargs: Any) -> None:
            if template.origin and template.origin.template_name:
                demo.templates.add(template.origin.template_name)

        template_rendered.connect(rendered, dispatch_uid="accessibility")
        server._live_server_modified_settings.enable()
        try:
            yield demo
        finally:
            template_rendered.disconnect(dispatch_uid="accessibility")
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            _load_reference_data()
    if demo.crawls:
        print("\n" + _summary(demo))


def _summary(demo: DemoServer) -> str:
    urls = {url for crawl in demo.crawls for url in crawl.pages}
    patterns = {pattern for crawl in demo.crawls for pattern in crawl.pages.values()}
    pairs = sum(len(set(crawl.pages.values())) for crawl in demo.crawls)
    return (
        f"accessibility: {len(urls)} distinct URLs ({len(patterns)} URL patterns) checked for "
        f"{len(demo.crawls)} personas, {pairs} persona × pattern pages, "
        f"{sum(crawl.axe_runs for crawl in demo.crawls)} axe runs, "
        f"{sum(crawl.charts for crawl in demo.crawls)} charts with "
        f"{sum(crawl.svg_texts for crawl in demo.crawls)} SVG texts measured, "
        f"{len(demo.templates)} templates rendered"
    )


def _new_page(browser: Any) -> Any:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _log_in(browser: Any, base: str, username: str) -> Any:
    page = _new_page(browser)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _followable(url: str, base: str) -> str | None:
    """The same-origin page URL worth visiting (no fragment), or None."""
    parts = urlsplit(url)
    origin = urlsplit(base)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.lower().endswith(DOWNLOAD_SUFFIXES):
        return None
    if "format" in parse_qs(parts.query) or "download" in parse_qs(parts.query):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _violations(response: dict[str, Any]) -> list[str]:
    if "error" in response:
        return [f"axe failed: {response['error']}"]
    return [
        f"{violation['id']} ({violation['impact']}): {', '.join(map(str, node['target']))} – "
        + node.get("failureSummary", "").replace("\n", " ")
        for violation in response["violations"]
        for node in violation["nodes"]
    ]


def _svg_contrast(page: Any, seen: list[str]) -> tuple[list[str], list[str], int]:
    """The SVG texts below the contrast they need, the keys of the charts measured (those in ``seen``
    are left out, and the new ones added to it) and how many SVG texts were measured."""
    measured = page.evaluate(SVG_TEXT_CONTRAST_JS, seen)
    seen += measured["keys"]
    failing = [
        f"svg-text-contrast: #{item['chart']} “{item['label']}” {item['fill']} on {item.get('background')} = "
        f"{item['ratio']}:1 < {item['required']}:1"
        for item in measured["results"]
        if item["ratio"] < item["required"]
    ]
    return failing, measured["keys"], len(measured["results"])


def _start_axe(page: Any, demo: DemoServer) -> bool:
    """Trim repeated rows, and start axe on the parts of the page whose structure is new (True), or
    not at all (False)."""
    main, outside = page.evaluate(STRUCTURE_JS)
    new_main, new_outside = main not in demo.structures, outside not in demo.structures
    if not (new_main or new_outside):
        return False
    demo.structures.update((main, outside))
    context = (
        None if new_main and new_outside else {"include": [["main"]]} if new_main else {"exclude": [["main"]]}
    )
    page.evaluate(AXE_SCRIPT)
    page.evaluate(START_AXE_JS, [context, AXE_OPTIONS])
    return True


def _deliver(inbox: list[dict[str, Any]], result: dict[str, Any]) -> None:
    inbox.append(result)


def _journey_seeds() -> dict[str, list[str]]:
    """Pages of the journeys that the first page of each URL pattern would not show: a supplier's
    offer with its checks and a call-off still taking offers (its "offer a consultant" form), a
    need with offers as the call-off unit sees it and the confirmation page of an award. Crawled right after the start page, so each is its
    pattern's page, and the crawl goes on from them."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from hyrkoll.accounts.models import User
    from hyrkoll.ordering.models import CallOff, CallOffStatus, Need, Offer

    supplier = User.objects.get(username="leverantor.45")
    offer = Offer.objects.filter(supplier_id=supplier.supplier_id).annotate(checks_count=Count("checks"))
    offer = offer.filter(checks_count__gt=0).order_by("pk").first()
    open_call_off = (
        CallOff.objects.visible_to(supplier)
        .filter(status=CallOffStatus.OPEN, response_deadline__gt=timezone.now())
        .exclude(offers__supplier_id=supplier.supplier_id)
        .order_by("pk")
        .first()
    )
    need_with_offers = (
        Need.objects.filter(region__code="14", call_off__offers__isnull=False).order_by("pk").first()
    )
    awardable = (
        Offer.objects.filter(
            call_off__region__code="14", call_off__status=CallOffStatus.OPEN, checks_passed=True
        )
        .order_by("pk")
        .first()
    )
    assert offer and open_call_off and need_with_offers and awardable, (
        "the demo data lacks offers, an open call-off or an offer to award"
    )
    return {
        "leverantor.45": [
            reverse("ordering:offer_detail", args=[offer.pk]),
            reverse("ordering:supplier_call_off", args=[open_call_off.pk]),
        ],
        "vgr.avropsenhet": [
            reverse("ordering:need_detail", args=[need_with_offers.pk]),
            reverse("ordering:offer_award", args=[awardable.pk]),  # the award's confirmation page
        ],
    }


def _crawl(
    page: Any, demo: DemoServer, result: Crawl, inbox: list[dict[str, Any]], seeds: list[str]
) -> Iterator[None]:
    """One persona's crawl, as a generator: it yields while axe runs in its page."""
    base = demo.url
    queue: deque[tuple[str, str]] = deque([("/", "login"), *((seed, "the journey") for seed in seeds)])
    queued = {"/", *seeds}
    per_pattern: dict[str, int] = {}
    while queue:
        url, source = queue.popleft()
        pattern = _pattern(urlsplit(url).path)
        if pattern is None or per_pattern.get(pattern, 0) >= PAGES_PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        try:
            response = page.goto(base + url)
        except Exception as error:  # a download, or a network error
            if "Download is starting" not in str(error):
                result.errors.append(f"{url} (linked from {source}): {error}")
            continue
        status = response.status if response else 0
        if status >= 400:
            result.errors.append(f"{url} [{pattern}] answered {status} (linked from {source})")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        result.pages[url] = pattern
        if urlsplit(page.url).path == "/login/":
            result.errors.append(f"{url} [{pattern}] redirected to the login page (linked from {source})")
        links = page.eval_on_selector_all(
            "main a[href], nav a[href]",
            "links => links.filter(a => !a.hasAttribute('download')).map(a => a.href)",
        )
        problems = [f"not reachable by Tab: {control}" for control in page.evaluate(UNREACHABLE_JS)]
        failing, charts, texts = _svg_contrast(page, demo.charts)
        problems += failing
        result.charts += len(charts)
        result.svg_texts += texts
        if _start_axe(page, demo):
            result.axe_runs += 1
            while not inbox:
                yield
            problems = _violations(inbox.pop()) + problems
        result.violations += [f"{url} [{pattern}]: {problem}" for problem in problems]
        for href in links:
            target = _followable(urljoin(base + url, href), base)
            if target and target not in queued:
                queued.add(target)
                queue.append((target, url))


@pytest.fixture(scope="module")
def crawls(browser: Any, demo_server: DemoServer, django_db_blocker: DjangoDbBlocker) -> dict[str, Crawl]:
    """Every persona's crawl, run side by side."""
    with django_db_blocker.unblock():
        seeds = _journey_seeds()
    started = time.monotonic()
    running: dict[str, tuple[Any, Iterator[None], Crawl]] = {}
    for persona in PERSONAS:
        page = _log_in(browser, demo_server.url, persona)
        inbox: list[dict[str, Any]] = []
        # A Python function (Playwright cannot expose a builtin such as ``list.append``).
        page.expose_function("__axeDone", partial(_deliver, inbox))
        result = Crawl(persona)
        running[persona] = (page, _crawl(page, demo_server, result, inbox, seeds.get(persona, [])), result)
    results = {persona: result for persona, (_page, _steps, result) in running.items()}
    try:
        while running:
            for persona, (page, steps, result) in list(running.items()):
                try:
                    next(steps)
                except StopIteration:
                    result.seconds = time.monotonic() - started
                    page.context.close()
                    del running[persona]
            if running:
                # Every crawl waits for axe: let Playwright deliver the results.
                next(iter(running.values()))[0].wait_for_timeout(20)
    finally:
        for page, _steps, _result in running.values():
            page.context.close()
    demo_server.crawls.extend(results.values())
    print(f"\naccessibility: {len(PERSONAS)} personas crawled in {time.monotonic() - started:.1f} s")
    for result in results.values():
        print(_report(result))
    return results


def _report(crawl: Crawl) -> str:
    lines = [
        f"{crawl.persona}: {len(crawl.pages)} pages ({len(set(crawl.pages.values()))} patterns) checked "
        f"by {crawl.seconds:.1f} s: {crawl.axe_runs} axe runs (the other pages had the structure of parts "
        f"already checked), {crawl.charts} charts with {crawl.svg_texts} SVG texts measured"
    ]
    lines += [f"  ERROR {error}" for error in crawl.errors]
    lines += [f"  {violation}" for violation in crawl.violations]
    return "\n".join(lines)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_of_the_persona_passes_axe(crawls: dict[str, Crawl], persona: str) -> None:
    result = crawls[persona]
    assert len(result.pages) >= 3, _report(result)
    assert not result.violations and not result.errors, _report(result)


def test_the_charts_text_was_measured(crawls: dict[str, Crawl]) -> None:
    """The SVG check really ran: the dashboards' charts (and their text) were reached and measured."""
    assert sum(crawl.charts for crawl in crawls.values()) >= 5
    assert sum(crawl.svg_texts for crawl in crawls.values()) >= 100


def _axe_page(page: Any) -> list[str]:
    page.evaluate(AXE_SCRIPT)
    return _violations(page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})"))


def test_the_login_page_passes_axe(browser: Any, demo_server: DemoServer) -> None:
    page = _new_page(browser)
    try:
        page.goto(f"{demo_server.url}/login/")
        problems = _axe_page(page) + _svg_contrast(page, [])[0]
        # A failed login: the form with its error.
        page.fill("#id_username", "vgr.admin")
        page.fill("#id_password", "not-the-password")
        page.press("#id_password", "Enter")
        page.wait_for_load_state()
        problems += _axe_page(page)
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def _page_with(page: Any, base: str, start: str, selector: str) -> None:
    page.goto(base + start)
    assert page.locator(selector).count(), f"{selector!r} not on {page.url}"


# Pages reached only by a POST: a form sent empty, shown again with its errors (the error summary,
# the invalid fields); each from a page of the crawl.
FORMS_SENT_EMPTY = [
    ("vgr.bestallare", "/ordering/needs/new/"),
    ("leverantor.45", "/invoices/new/"),
    ("vgr.controller", "/follow-up/imports/upload/"),
    ("vgr.admin", "/rules/new/"),
]


@pytest.mark.parametrize(("persona", "url"), FORMS_SENT_EMPTY)
def test_a_form_with_errors_passes_axe(browser: Any, demo_server: DemoServer, persona: str, url: str) -> None:
    page = _log_in(browser, demo_server.url, persona)
    try:
        _page_with(page, demo_server.url, url, "main form[method=post]")
        form = page.locator("main form[method=post]").last
        # No client-side validation: the server's answer is what is checked.
        form.evaluate("form => { form.noValidate = true; }")
        for field_ in form.locator(
            "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea"
        ).all():
            if field_.is_visible() and field_.get_attribute("type") != "file":
                field_.fill("")
        form.locator("button[type=submit], input[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".error-summary, .error, [aria-invalid=true]").count(), f"no errors on {page.url}"
        problems = _axe_page(page)
    finally:
        page.context.close()
    assert not problems, "\n".join(f"{url} (sent empty): {problem}" for problem in problems)


def test_a_refused_dashboard_passes_axe(browser: Any, demo_server: DemoServer) -> None:
    """The dashboards' own message page (a month that is not a month: 400), which no link leads to."""
    page = _log_in(browser, demo_server.url, "vgr.controller")
    try:
        response = page.goto(f"{demo_server.url}/follow-up/?month=2026-13")
        assert response is not None and response.status == 400
        assert "followup/dashboard_message.html" in demo_server.templates
        problems = _axe_page(page)
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def test_the_error_pages_pass_axe(browser: Any, demo_server: DemoServer) -> None:
    """The refusal (403), the missing page (404) and the server error (500, rendered without a
    request by Django's handler and served here under the live server's address)."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("sv"):
        server_error_page = server_error(RequestFactory().get("/")).content
    page = _log_in(browser, demo_server.url, "vgr.bestallare")
    problems: list[str] = []
    try:
        page.route(
            f"{demo_server.url}/server-error/",
            lambda route: route.fulfill(status=500, body=server_error_page, content_type="text/html"),
        )
        for url, status in (("/ordering/call-offs/", 403), ("/finns-inte/", 404), ("/server-error/", 500)):
            response = page.goto(demo_server.url + url)
            assert response is not None and response.status == status, url
            assert page.locator("main a[href='/']").count(), f"no way on from {url}"
            problems += [f"{url} ({status}): {problem}" for problem in _axe_page(page)]
    finally:
        page.context.close()
    assert {"403.html", "404.html", "500.html"} <= demo_server.templates
    assert not problems, "\n".join(problems)


def _region_that_may_declare() -> tuple[str, str]:
    """A region administrator whose region has not declared for an open joint procurement, and that
    procurement's page."""
    from django.urls import reverse

    from hyrkoll.accounts.models import User
    from hyrkoll.governance.models import Declaration, Procurement
    from hyrkoll.governance.services_procurement import is_open

    admins = User.objects.filter(username__endswith=".admin", region__isnull=False).order_by("username")
    for procurement in Procurement.objects.order_by("pk"):
        if not is_open(procurement):
            continue
        declared = Declaration.objects.filter(procurement=procurement).values("region_id")
        admin = admins.exclude(region_id__in=declared).first()
        if admin is not None:
            return admin.username, reverse("governance:procurement_detail", args=[procurement.pk])
    pytest.fail("the demo data has no open joint procurement that a region has not declared for")


def test_the_declaration_form_passes_axe(browser: Any, demo_server: DemoServer) -> None:
    """A region's declaration of intent, reached from the procurement's page, empty and sent empty."""
    admin, url = _region_that_may_declare()
    page = _log_in(browser, demo_server.url, admin)
    try:
        page.goto(demo_server.url + url)
        page.locator("main a[href$='/declare/']").click()
        page.wait_for_load_state()
        problems = _axe_page(page)
        form = page.locator("main form[method=post]").last
        form.evaluate("form => { form.noValidate = true; }")
        form.locator("button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".error-summary, .error, [aria-invalid=true]").count(), page.url
        problems += _axe_page(page)
    finally:
        page.context.close()
    assert "governance/procurement_declaration_form.html" in demo_server.templates
    assert not problems, "\n".join(problems)


def test_the_pages_behind_a_post_pass_axe(browser: Any, demo_server: DemoServer) -> None:
    """The lock-out page of repeated failed logins (django-axes)."""
    from django.conf import settings

    page = _new_page(browser)
    try:
        for _ in range(getattr(settings, "AXES_FAILURE_LIMIT", 5) + 1):
            page.goto(f"{demo_server.url}/login/")
            if not page.locator("#id_username").count():
                break
            page.fill("#id_username", "vgr.lasare")
            page.fill("#id_password", "not-the-password")
            page.press("#id_password", "Enter")
            page.wait_for_load_state()
        assert "accounts/locked_out.html" in demo_server.templates, page.url
        problems = _axe_page(page)
    finally:
        page.context.close()
        from axes.utils import reset

        reset(username="vgr.lasare")
    assert not problems, "\n".join(problems)


def test_the_cancellation_confirmation_passes_axe(browser: Any, demo_server: DemoServer) -> None:
    """The page a need's cancel form leads to (its POST); not confirmed, so nothing changes."""
    from django.urls import reverse

    from hyrkoll.ordering.models import Need, NeedStatus

    need = Need.objects.filter(region__code="14", status=NeedStatus.PUBLISHED).order_by("pk").first()
    assert need, "the demo data lacks a published need in region 14"
    page = _log_in(browser, demo_server.url, "vgr.avropsenhet")
    try:
        page.goto(demo_server.url + reverse("ordering:need_detail", args=[need.pk]))
        page.fill("#cancel_reason", "Axe: the confirmation page only")
        page.click("form[action$='/cancel/'] button[type=submit]")
        page.wait_for_load_state()
        assert "ordering/cancel_confirm.html" in demo_server.templates, page.url
        problems = _axe_page(page)
    finally:
        page.context.close()
    assert Need.objects.get(pk=need.pk).status == NeedStatus.PUBLISHED
    assert not problems, "\n".join(problems)


def _page_templates() -> set[str]:
    return {path.relative_to(TEMPLATE_DIR).as_posix() for path in TEMPLATE_DIR.rglob("*.html")}


def test_every_template_of_the_app_was_checked(crawls: dict[str, Crawl], demo_server: DemoServer) -> None:
    """Every template under hyrkoll/templates was rendered while the pages were checked (the crawl,
    the login page, the forms sent empty, the refused dashboard, the error pages and the declaration
    form run before this test), or is listed with its reason."""
    missing = sorted(_page_templates() - demo_server.templates - set(TEMPLATES_NOT_CRAWLED))
    assert not missing, "templates never rendered by the accessibility checks: " + ", ".join(missing)


# --- Keyboard ------------------------------------------------------------------------------------


def keyboard_problems(page: Any) -> list[str]:
    """Tab through the page from the top: every control in <main> must be reached (a radio group
    once), and each must show a visible focus indicator."""
    controls = page.evaluate(TAG_CONTROLS_JS)
    assert controls, f"no controls in <main> on {page.url}"
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached: set[int] = set()
    problems: list[str] = []
    seen_first = None
    for _ in range(len(controls) + 80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:
            continue
        key = (focused["index"], focused["tag"])
        if seen_first is None:
            seen_first = key
        elif key == seen_first:
            break  # round the page once
        if focused["index"] is None:
            continue
        reached.add(focused["index"])
        if not focused["visible"]:
            problems.append(
                f"no visible focus indicator on {focused['tag']} "
                f"(outline {focused['outline']}, box-shadow {focused['shadow']})"
            )
    reached_groups = {controls[i]["group"] for i in reached if controls[i]["group"]}
    for control in controls:
        if control["index"] in reached or (control["group"] and control["group"] in reached_groups):
            continue
        problems.append(f"not reachable by Tab: {control['label']}")
    return [f"{page.url}: {problem}" for problem in problems]


def _find(page: Any, base: str, start: str, step_patterns: list[str], selector: str, tries: int = 25) -> None:
    """Go from ``start`` through links of the given patterns (one hop per pattern) to a page that has
    ``selector``; leave the page there."""
    candidates = [start]
    for depth, wanted in enumerate([*step_patterns, None]):
        for url in candidates[:tries]:
            page.goto(base + url)
            if wanted is None:
                if page.locator(selector).count():
                    return
                continue
            links = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
            found = [
                path
                for href in links
                if (path := _followable(urljoin(page.url, href), base))
                and _pattern(urlsplit(path).path) == wanted
            ]
            if found:
                candidates = list(dict.fromkeys(found))
                break
        else:
            pytest.fail(
                f"no page with {selector!r} reached from {start} through {step_patterns} (step {depth})"
            )


KEYBOARD_FORMS = [
    # (persona or None for anonymous, start URL, link patterns to follow, selector of the form)
    (None, "/login/", [], "form #id_username"),
    ("vgr.bestallare", "/ordering/needs/new/", [], "main form"),
    ("leverantor.45", "/ordering/supplier/call-offs/", ["ordering:supplier_call_off", "ordering:offer_create"], "main form"),
    ("leverantor.45", "/assignments/supplier/", ["assignments:time_report_create"], "main form"),
    ("leverantor.45", "/invoices/new/", [], "main form"),
    ("vgr.controller", "/follow-up/imports/upload/", [], "main form input[type=file]"),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "start", "steps", "selector"), KEYBOARD_FORMS)
def test_the_main_forms_work_by_keyboard(
    browser: Any, demo_server: DemoServer, persona: str | None, start: str, steps: list[str], selector: str
) -> None:
    base = demo_server.url
    page = _log_in(browser, base, persona) if persona else _new_page(browser)
    try:
        _find(page, base, start, steps, selector)
        problems = keyboard_problems(page)
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def _decidable_need() -> tuple[str, str]:
    """An approver of the demo region 14 and a need awaiting that approver's decision."""
    from hyrkoll.accounts.models import User
    from hyrkoll.ordering.models import Need, NeedStatus
    from hyrkoll.ordering.permissions import can_decide

    approvers = list(
        User.objects.filter(username__startswith="vgr.", role_assignments__role="approver")
        .distinct()
        .order_by("username")
    )
    needs = Need.objects.filter(status=NeedStatus.AWAITING_APPROVAL, region__code="14").order_by("pk")
    for need in needs.select_related("unit"):
        for approver in approvers:
            if can_decide(approver, need):
                return approver.username, f"/ordering/needs/{need.pk}/"
    pytest.fail("the demo data has no need awaiting a decision in region 14")


def test_the_decision_form_on_the_need_page_works_by_keyboard(browser: Any, demo_server: DemoServer) -> None:
    approver, url = _decidable_need()
    page = _log_in(browser, demo_server.url, approver)
    try:
        _find(page, demo_server.url, url, [], "form[action$='/decide/']")
        problems = keyboard_problems(page)
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


# --- The checks themselves -----------------------------------------------------------------------


def test_the_svg_contrast_check_measures_against_what_is_behind_the_text(browser: Any) -> None:
    """Faint text on white and dark text on a dark bar fail; a white label on the bar and dark text
    on white pass; 24 px text needs 3:1 only. axe-core itself leaves such text undecided."""
    page = _new_page(browser)
    try:
        page.set_content(
            """<main><svg width="400" height="200" id="probe">
              <text x="10" y="20" fill="#999999" font-size="12">faint</text>
              <text x="10" y="50" fill="#1b1b1b" font-size="12">dark</text>
              <rect x="100" y="60" width="200" height="40" fill="#00558c"></rect>
              <text x="110" y="85" fill="#ffffff" font-size="12">on the bar</text>
              <text x="110" y="95" fill="#003a60" font-size="8">dark on bar</text>
              <text x="10" y="150" fill="#888888" font-size="24">large</text>
            </svg></main>"""
        )
        seen: list[str] = []
        failing, charts, measured = _svg_contrast(page, seen)
        again = _svg_contrast(page, seen)
        page.evaluate(AXE_SCRIPT)
        axe_contrast = page.evaluate(
            "axe.run(document, {runOnly: ['color-contrast']}).then(r => [r.violations.length, r.incomplete.length])"
        )
    finally:
        page.context.close()
    assert measured == 5 and len(charts) == 1
    assert [line.split("“")[1].split("”")[0] for line in failing] == ["faint", "dark on bar"], failing
    assert again == ([], [], 0)  # a chart already measured is not measured again
    assert axe_contrast == [0, 1]  # axe: no violation, "incomplete": hence the check of our own


def test_axe_reports_violations_with_rule_and_target(browser: Any) -> None:
    """The bundled axe-core runs offline and its findings come back readable; rows that repeat the
    structure of earlier ones are left out, a row of another structure is kept."""
    page = _new_page(browser)
    try:
        page.set_content(
            """<html lang="sv"><head><title>Prov</title></head><body><main>
              <p class="faint" id="faint">Svag text</p><input id="unnamed" type="text">
              <table><tbody>
                <tr><td><a href="/a/1">Ett</a></td></tr><tr><td><a href="/a/2">Två</a></td></tr>
                <tr><td><a href="/a/3">Tre</a></td></tr><tr><td><a href="/a/4"></a></td></tr>
              </tbody></table></main></body></html>"""
        )
        page.add_style_tag(content=".faint { color: #aaaaaa; }")
        page.evaluate(STRUCTURE_JS)
        rows = page.locator("tbody tr").all_inner_texts()
        problems = _axe_page(page)
    finally:
        page.context.close()
    assert [row.strip() for row in rows] == ["Ett", "Två", ""]
    assert any(line.startswith("color-contrast (serious): #faint") for line in problems), problems
    assert any(line.startswith("label (critical): #unnamed") for line in problems), problems
    assert any(line.startswith("link-name (serious): ") for line in problems), problems
