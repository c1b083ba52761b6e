"""Every URL pattern of the web app (Django admin, the API and OIDC aside), found by walking the
URL configuration, so that a new page cannot escape the generated coverage."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

#: Covered elsewhere: the admin is Django's; the API by the Schemathesis tests; OIDC by its library.
EXCLUDED_PREFIXES = ("admin/", "api/", "oidc/")


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    parameters: tuple[str, ...]


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            route = prefix + str(entry.pattern)
            yield Pattern(name, route, tuple(entry.pattern.converters))


def web_patterns() -> list[Pattern]:
    return [p for p in _walk(get_resolver().url_patterns) if not p.route.startswith(EXCLUDED_PREFIXES)]
