"""The monthly tables hold months only: the database refuses a period that is not a month's first day
(``DayOfMonth`` in SQL of the database's own, no Python function called per row on SQLite)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from hyrkoll.followup.models import CostEntry, CostType, MetricKind, StaffingMetric
from hyrkoll.organisation.models import Region

pytestmark = pytest.mark.django_db


def _row(model: type, day: int) -> CostEntry | StaffingMetric:
    region = Region.objects.get(code="14")
    period = datetime.date(2025, 3, day)
    if model is CostEntry:
        return CostEntry(region=region, period=period, cost_type=CostType.OWN, amount_sek=5)
    return StaffingMetric(region=region, period=period, metric=MetricKind.values[0], value=5)


@pytest.mark.parametrize("model", [CostEntry, StaffingMetric])
@pytest.mark.parametrize("day", [2, 15, 31])
def test_a_day_other_than_the_first_is_refused(model: type, day: int) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(model, day).save()
    assert not model.objects.exists()


@pytest.mark.parametrize("model", [CostEntry, StaffingMetric])
def test_the_first_of_the_month_is_stored(model: type) -> None:
    _row(model, 1).save()
    assert model.objects.get().period == datetime.date(2025, 3, 1)


def test_sqlite_checks_the_day_without_a_python_function() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's table definition")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'followup_costentry'")
        [sql] = cursor.fetchone()
    assert "strftime('%d', \"period\")" in sql and "django_date_extract" not in sql
