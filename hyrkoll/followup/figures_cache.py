"""The follow-up's figures kept in the shared cache while they stay the same.

``marker()`` is the version of everything the dashboards and the forecasts are computed from: a
random token that database triggers replace after every statement writing a cost entry, a staffing
metric, a region's target or a region (``models.FiguresVersion``) – so an import, a ``--replace``,
a deletion or an edit in the admin or the shell all change it, in the writer's own transaction.
Reading it is one query by primary key (on SQLite, with the tables' highest ids: see ``_sqlite_marker``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from hyrkoll.followup.models import CostEntry, FiguresVersion, RegionTarget, StaffingMetric
from hyrkoll.organisation.models import Region

CACHE_SECONDS = 60 * 60  # the key changes with the figures; this only bounds what the cache keeps

_Result = TypeVar("_Result")


FIGURES_MODELS = (CostEntry, StaffingMetric, RegionTarget, Region)


def marker() -> str:
    """Changes whenever cost figures, staffing metrics, targets or regions are written."""
    if connection.vendor == "sqlite":
        return _sqlite_marker()
    token = FiguresVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or "none"


def _sqlite_marker() -> str:
    """The token (SQLite's triggers replace it on updates and deletions) and each table's highest id,
    which every insert raises: a trigger per inserted row made a large import 10–20 % slower. SQLite
    reuses an id only once the highest row is deleted, and that deletion replaced the token."""
    highest = ", ".join(f"(SELECT max(id) FROM {model._meta.db_table})" for model in FIGURES_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT token FROM {FiguresVersion._meta.db_table} WHERE id = 1), {highest}")
        return "-".join(str(value) for value in cursor.fetchone())


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], _Result]) -> _Result:
    """``compute()`` once per figures version, language (labels are translated when computed),
    ``name`` and ``parts``. The result must pickle (the production cache is file-based)."""
    key = ":".join(["hyrkoll:figures", marker(), get_language() or "-", name, *map(str, parts)])
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, CACHE_SECONDS)
    return result
