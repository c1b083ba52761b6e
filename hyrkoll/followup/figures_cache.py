"""The follow-up's figures kept in the shared cache while they stay the same.

``marker()`` is the version of everything the dashboards and the forecasts are computed from: a
random token that database triggers replace after every statement writing a cost entry, a staffing
metric, a region's target or a region (``models.FiguresVersion``) – so an import, a ``--replace``,
a deletion or an edit in the admin or the shell all change it, in the writer's own transaction.
Reading it is one query by primary key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from hyrkoll.followup.models import FiguresVersion

CACHE_SECONDS = 60 * 60  # the key changes with the figures; this only bounds what the cache keeps

_Result = TypeVar("_Result")


def marker() -> str:
    """Changes whenever cost figures, staffing metrics, targets or regions are written."""
    token = FiguresVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or "none"


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], _Result]) -> _Result:
    """``compute()`` once per figures version, language (labels are translated when computed),
    ``name`` and ``parts``. The result must pickle (the production cache is file-based)."""
    key = ":".join(["hyrkoll:figures", marker(), get_language() or "-", name, *map(str, parts)])
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, CACHE_SECONDS)
    return result
