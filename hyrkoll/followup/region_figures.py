"""A region's figures from Hyrkoll's own records, kept in the shared cache until they change.

The region dashboard's preliminary months and its ledger-against-invoices table add up a year of
the region's approved time and invoice lines: a few hundred milliseconds at national scale, on
every view. They change only when a time report or an invoice is decided, an invoice is received,
or a ledger is imported; so each region has a *version* in the cache, replaced (by a random token,
so that an evicted or restarted cache never answers with an older result) after the commit of every
step that changes those records, and the figures are cached under the region's version, the
follow-up's import marker and the day. ``FOLLOWUP_FIGURES_CACHE_SECONDS`` bounds how long a result
may be kept (0 turns the cache off – the tests do, except the test of the cache itself).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

_Result = TypeVar("_Result")


def _version_key(region_id: int) -> str:
    return f"hyrkoll:region-figures-version:{region_id}"


def changed(region_id: int) -> None:
    """The region's time, invoices or ledger changed (call inside the step's transaction): the
    cached figures are dropped once it commits."""
    transaction.on_commit(lambda: cache.set(_version_key(region_id), uuid.uuid4().hex, None))


def _version(region_id: int) -> str:
    key = _version_key(region_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return str(version)


def cached(region_id: int, name: str, parts: tuple[Any, ...], compute: Callable[[], _Result]) -> _Result:
    """``compute()`` once per region version, ``name`` and ``parts`` (the day, the import marker …)."""
    seconds = settings.FOLLOWUP_FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = ":".join(["hyrkoll:region-figures", str(region_id), _version(region_id), name, *map(str, parts)])
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, seconds)
    return result
