from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ mapping|lookup:key }}`` – a dict item by a variable key (empty if missing)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
