"""Fixtures: the ordering flow's cast (region A with every role, suppliers A and B) and token clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from hyrkoll.api.tests.conftest import anon_client, client_for  # noqa: F401
from hyrkoll.feed.models import FeedEvent
from hyrkoll.feed.positions import assign_positions
from hyrkoll.ordering.tests.conftest import flow, make_need, make_offer  # noqa: F401


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def kinds_for(**address: Any) -> list[tuple[str, str, int]]:
    """(kind, object type, object id) of the events with this address, in feed order."""
    assign_positions()
    events = FeedEvent.objects.filter(**address).order_by("position")
    return [(e.kind, e.object_type, e.object_id) for e in events]
