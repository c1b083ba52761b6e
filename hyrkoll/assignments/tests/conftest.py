"""Fixtures: an assignment of region A (supplier A, consultant A) awarded through the workflow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from hyrkoll.assignments.models import Assignment
from hyrkoll.ordering import workflow
from hyrkoll.ordering.tests.conftest import flow, make_need, make_offer  # noqa: F401
from hyrkoll.ordering.tests.test_checks import offer_on, publish_need


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def award(flow: dict[str, Any], **overrides: Any) -> Assignment:  # noqa: F811
    call_off = publish_need(flow, **overrides)
    offer = offer_on(flow, call_off)
    return workflow.award(flow["call_off_unit"], offer)


@pytest.fixture
def assignment(flow: dict[str, Any]) -> Assignment:  # noqa: F811
    return award(flow)
