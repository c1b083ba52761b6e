"""The demo data, loaded once for the generated coverage and rolled back afterwards, with the
personas' users and the ids of region A's and supplier A's objects."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from hyrkoll.accounts.models import User
from hyrkoll.demo.generator import load_demo_data
from tests.coverage.markers import mark_tenant_a
from tests.coverage.objects import build_objects, pick_suppliers, prepare_states, supplier_usernames
from tests.coverage.personas import PERSONAS, demo_username

TODAY = datetime.date(2026, 6, 15)
SEED = 2026


@dataclass
class CoverageWorld:
    users: dict[str, User]  # persona name → user (anonymous absent)
    objects: dict[str, Any]  # object key → pk or code
    suppliers: dict[str, Any]


@pytest.fixture(scope="module")
def coverage_world(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CoverageWorld]:
    from django.conf import settings

    media_root, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data(SEED, TODAY)
        suppliers = pick_suppliers()
        mark_tenant_a(suppliers["a"].pk)
        prepare_states(suppliers["a"])
        usernames = supplier_usernames(suppliers)
        users = {
            persona.name: User.objects.get(username=demo_username(persona, usernames))
            for persona in PERSONAS
            if not persona.is_anonymous
        }
        yield CoverageWorld(users=users, objects=build_objects(suppliers["a"]), suppliers=suppliers)
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media_root
