"""Loading fixtures (``loaddata``) cannot slip bad reference data past the rules.

``loaddata`` saves through ``Model.save_base(raw=True)``, bypassing ``Model.save()`` and
``full_clean()``: database constraints still hold, and the price-list overlap rule (which spans rows
and cannot be a constraint) is checked by a ``pre_save`` receiver for raw saves.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from hyrkoll.agreement.models import FrameworkAgreement, Price, PriceList
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit

pytestmark = pytest.mark.django_db

D = datetime.date


def _write(tmp_path: Path, rows: list[dict[str, Any]]) -> str:
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return str(path)


def _load(path: str) -> None:
    call_command("loaddata", path, verbosity=0)


def _municipality_row(code: str, **fields: Any) -> dict[str, Any]:
    municipality = Municipality.objects.get(code=code)
    values = {
        "code": municipality.code,
        "name": municipality.name,
        "region": municipality.region_id,
        "zone": municipality.zone,
        "zone_source": municipality.zone_source,
    }
    values.update(fields)
    return {"model": "organisation.municipality", "pk": municipality.pk, "fields": values}


def _price_list_row(
    version: str, valid_from: str, valid_to: str | None, pk: int | None = None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "model": "agreement.pricelist",
        "fields": {
            "agreement": FrameworkAgreement.objects.get(reference="RS 2022-03983").pk,
            "version": version,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "is_demo": False,
            "note": "",
        },
    }
    if pk is not None:
        row["pk"] = pk
    return row


def _price_lists() -> list[tuple[str, Any, Any]]:
    return list(PriceList.objects.order_by("pk").values_list("version", "valid_from", "valid_to"))


def test_a_fixture_with_a_valid_zone_loads(tmp_path: Path) -> None:
    _load(_write(tmp_path, [_municipality_row("0180", zone=2, zone_source="official")]))

    assert Municipality.objects.get(code="0180").zone == 2


@pytest.mark.parametrize("zone", [0, 4])
def test_a_fixture_with_a_zone_outside_1_to_3_fails_and_changes_nothing(tmp_path: Path, zone: int) -> None:
    path = _write(tmp_path, [_municipality_row("0180", zone=zone)])

    with pytest.raises(IntegrityError):
        _load(path)

    assert Municipality.objects.get(code="0180").zone == 1


def test_a_fixture_is_loaded_all_or_nothing(tmp_path: Path) -> None:
    region = Municipality.objects.get(code="1480").region
    good_unit = {
        "model": "organisation.orgunit",
        "fields": {
            "region": region.pk,
            "parent": None,
            "kind": "administration",
            "code": "FIX-1",
            "name": "Förvaltning från fixture",
            "municipality": None,
            "care_area": None,
            "is_active": True,
        },
    }
    path = _write(tmp_path, [good_unit, _municipality_row("1480", zone=4)])
    units_before = OrgUnit.objects.count()

    with pytest.raises(IntegrityError):
        _load(path)

    assert OrgUnit.objects.count() == units_before
    assert not OrgUnit.objects.filter(code="FIX-1").exists()
    assert Municipality.objects.get(code="1480").zone == 1


def test_a_fixture_care_unit_without_care_area_fails(tmp_path: Path) -> None:
    municipality = Municipality.objects.get(code="1480")
    path = _write(
        tmp_path,
        [
            {
                "model": "organisation.orgunit",
                "fields": {
                    "region": municipality.region_id,
                    "kind": "care_unit",
                    "code": "FIX-2",
                    "name": "Vårdcentral utan vårdområde",
                    "municipality": municipality.pk,
                    "care_area": None,
                },
            }
        ],
    )

    with pytest.raises(IntegrityError):
        _load(path)

    assert not OrgUnit.objects.filter(code="FIX-2").exists()
    assert CareArea.objects.count() == 3


def test_a_fixture_price_list_overlapping_another_version_fails_and_leaves_nothing(tmp_path: Path) -> None:
    before = _price_lists()
    path = _write(tmp_path, [_price_list_row("2025-mid", "2025-06-01", "2026-06-30")])

    with pytest.raises(ValidationError):
        _load(path)

    assert _price_lists() == before
    assert not PriceList.objects.filter(version="2025-mid").exists()


def test_a_fixture_price_list_with_its_prices_fails_whole_when_it_overlaps(tmp_path: Path) -> None:
    existing = PriceList.objects.get(version="2026-demo")
    prices_before = Price.objects.count()
    rows = [
        _price_list_row("2099", "2099-01-01", None, pk=9001),  # inside open-ended 2026-demo
        {
            "model": "agreement.price",
            "fields": {
                "price_list": 9001,
                "level": Price.objects.first().level_id,
                "zone": 1,
                "hourly_sek": "1",
            },
        },
    ]
    path = _write(tmp_path, rows)

    with pytest.raises(ValidationError):
        _load(path)

    assert not PriceList.objects.filter(pk=9001).exists()
    assert Price.objects.count() == prices_before
    existing.refresh_from_db()
    assert existing.valid_to is None


def test_a_fixture_closing_the_current_version_and_adding_the_next_loads(tmp_path: Path) -> None:
    current = PriceList.objects.get(version="2026-demo")
    close = _price_list_row("2026-demo", "2026-01-01", "2026-12-31", pk=current.pk)
    close["fields"]["is_demo"] = True
    path = _write(tmp_path, [close, _price_list_row("2027", "2027-01-01", None)])

    _load(path)

    current.refresh_from_db()
    assert current.valid_to == D(2026, 12, 31)
    assert [pl.version for pl in PriceList.objects.in_force(D(2027, 1, 1))] == ["2027"]


def test_reloading_an_existing_price_list_unchanged_is_accepted(tmp_path: Path) -> None:
    current = PriceList.objects.get(version="2024-demo")
    row = _price_list_row("2024-demo", "2024-01-01", "2025-12-31", pk=current.pk)
    row["fields"]["is_demo"] = True

    _load(_write(tmp_path, [row]))

    current.refresh_from_db()
    assert current.valid_to == D(2025, 12, 31)
    assert PriceList.objects.count() == 2
