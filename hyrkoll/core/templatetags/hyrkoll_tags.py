from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

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
