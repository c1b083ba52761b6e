from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from hyrkoll.lib import numbers

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ mapping|lookup:key }}`` – a dict item by a variable key (empty if missing)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def person_name(user: Any) -> str:
    """``{{ record.created_by|person_name }}`` – a user's full name, else the username; "system"
    when the record has no user (imports and jobs run from the command line). The plain
    ``get_full_name|default:user.username`` chain fails to render when the user is missing."""
    if user is None:
        return gettext("system")
    return user.get_full_name() or user.username


# --- numbers: one formatter (hyrkoll.lib.numbers) for pages, charts and files ---------------------


@register.filter
def number(value: Any, decimals: int = 0) -> str:
    """``{{ hours|number:1 }}`` → ``1 234,5`` in Swedish (rounded half up; ``–`` if missing)."""
    return numbers.number(value, int(decimals))


@register.filter
def sek(value: Any, decimals: int = 0) -> str:
    """``{{ total|sek }}`` → ``12 345 kr``; ``{{ total|sek:2 }}`` with öre."""
    return numbers.sek(value, int(decimals))


@register.filter
def sek_per_hour(value: Any, decimals: int = 2) -> str:
    """``{{ price|sek_per_hour }}`` → ``616,00 kr/tim``."""
    return numbers.sek_per_hour(value, int(decimals))


@register.filter
def percent(value: Any, decimals: int = 1) -> str:
    """``{{ share|percent }}`` → ``2,1 %`` (the value is in per cent)."""
    return numbers.percent(value, int(decimals))
