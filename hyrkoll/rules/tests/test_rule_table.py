"""The rule table in the app: who may change it, versioning, closing, and region isolation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from hyrkoll.accounts.models import DecisionLevel, Role, Scope
from hyrkoll.agreement.models import Competence, Profession
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.organisation.models import CareArea
from hyrkoll.rules import services
from hyrkoll.rules.models import RegionRule, RuleKind

D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def cast(world: dict[str, Any]) -> dict[str, Any]:
    region_a = world["region_a"]
    return {
        **world,
        "steering_a": make_user(
            "styrgrupp.a", scope=Scope.REGION, region=region_a, roles=(Role.STEERING_GROUP,)
        ),
        "reader_a": make_user("lasare.a", scope=Scope.REGION, region=region_a, roles=(Role.READER,)),
        "call_off_unit_a": make_user(
            "avrop.a", scope=Scope.REGION, region=region_a, roles=(Role.CALL_OFF_UNIT,)
        ),
    }


def _nurse_stop(region: Any, **fields: Any) -> RegionRule:
    values: dict[str, Any] = {
        "region": region,
        "kind": RuleKind.HIRING_STOP,
        "name": "Hyrstopp sjuksköterskor",
        "decision_level": DecisionLevel.AREA_MANAGER,
        "profession": Profession.objects.get(code="nurse"),
        "valid_from": D(2025, 1, 1),
    }
    values.update(fields)
    return RegionRule.objects.create(**values)


def _rule_events(action: str | None = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(content_type__model="regionrule").order_by("pk")
    return list(events.filter(action=action) if action else events)


def _rules_state() -> list[tuple[Any, ...]]:
    return list(
        RegionRule.objects.order_by("pk").values_list(
            "pk", "region_id", "name", "decision_level", "valid_from", "valid_to", "replaces_id"
        )
    )


def _form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": RuleKind.DECISION_LEVEL,
        "name": "Avrop från 1 mnkr",
        "decision_level": DecisionLevel.HEALTH_DIRECTOR,
        "min_estimated_cost_sek": "1000000",
        "off_agreement": "",
        "valid_from": "2025-03-01",
        "note": "Beslut RS 2025-02-12 § 14",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Creating ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin_a", "steering_a"])
def test_region_admin_and_steering_group_create_rules(cast: dict[str, Any], client: Client, who: str) -> None:
    client.force_login(cast[who])

    response = client.post(reverse("rules:create"), _form_data())

    rule = RegionRule.objects.get(name="Avrop från 1 mnkr")
    assert response.status_code == 302
    assert response["Location"] == reverse("rules:detail", args=[rule.pk])
    assert rule.region == cast["region_a"]
    assert rule.valid_to is None and rule.replaces is None
    [event] = _rule_events(AuditAction.CREATE)
    assert event.actor == cast[who]
    assert event.region == cast["region_a"]
    assert Decimal(event.after["min_estimated_cost_sek"]) == 1_000_000


@pytest.mark.parametrize(
    "who", ["reader_a", "orderer_a", "call_off_unit_a", "coordinator", "supplier_user_a"]
)
def test_others_cannot_create_rules(cast: dict[str, Any], client: Client, who: str) -> None:
    client.force_login(cast[who])

    assert client.get(reverse("rules:create")).status_code == 403
    assert client.post(reverse("rules:create"), _form_data()).status_code == 403
    assert RegionRule.objects.count() == 0
    assert _rule_events() == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"valid_to": "2025-02-28"}, "valid_to", id="valid-to-before-valid-from"),
        pytest.param({"org_unit": "units_b"}, "org_unit", id="unit-of-another-region"),
        pytest.param(
            {"profession": "doctor", "competence": "nurse_district"},
            "competence",
            id="competence-of-other-profession",
        ),
        pytest.param({"name": ""}, "name", id="no-name"),
        pytest.param({"decision_level": "9"}, "decision_level", id="unknown-level"),
    ],
)
def test_an_invalid_rule_is_a_form_error(
    cast: dict[str, Any], client: Client, overrides: dict[str, str], field: str
) -> None:
    data = _form_data(**overrides)
    if data.get("org_unit") == "units_b":
        data["org_unit"] = cast["units_b"]["care_unit"].pk
    if "profession" in data:
        data["profession"] = Profession.objects.get(code=data["profession"]).pk
    if "competence" in data:
        data["competence"] = Competence.objects.get(code=data["competence"]).pk
    client.force_login(cast["admin_a"])

    response = client.post(reverse("rules:create"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert RegionRule.objects.count() == 0
    assert _rule_events() == []


def test_a_rule_may_name_a_unit_of_the_own_region(cast: dict[str, Any], client: Client) -> None:
    department = cast["units_a"]["department"]
    client.force_login(cast["admin_a"])

    response = client.get(reverse("rules:create"))
    assert set(response.context["form"].fields["org_unit"].queryset) == set(cast["units_a"].values())

    client.post(reverse("rules:create"), _form_data(org_unit=department.pk))
    assert RegionRule.objects.get().org_unit == department


# --- Versions ---------------------------------------------------------------------------------------------


def test_replace_rule_closes_the_old_version_and_links_the_new(cast: dict[str, Any]) -> None:
    old = _nurse_stop(cast["region_a"])

    new = services.replace_rule(
        cast["admin_a"],
        old,
        {"decision_level": DecisionLevel.HEALTH_DIRECTOR, "note": "Skärpt"},
        D(2025, 9, 1),
    )

    old.refresh_from_db()
    assert old.valid_to == D(2025, 8, 31)
    assert old.decision_level == DecisionLevel.AREA_MANAGER  # never changed in place
    assert new.replaces == old
    assert old.replaced_by == new
    assert (new.valid_from, new.valid_to) == (D(2025, 9, 1), None)
    assert new.decision_level == DecisionLevel.HEALTH_DIRECTOR
    assert (new.name, new.profession, new.kind) == (old.name, old.profession, old.kind)  # copied
    assert new.region == old.region
    update, create = _rule_events()
    assert (update.action, update.object_id) == (AuditAction.UPDATE, str(old.pk))
    assert update.before["valid_to"] is None and update.after["valid_to"] == "2025-08-31"
    assert update.actor == cast["admin_a"] and update.region == cast["region_a"]
    assert (create.action, create.object_id) == (AuditAction.CREATE, str(new.pk))
    assert create.after["replaces_id"] == old.pk
    # Each version decides the needs of its own period.
    assert list(services.rules_for_region(cast["region_a"], D(2025, 8, 31))) == [old]
    assert list(services.rules_for_region(cast["region_a"], D(2025, 9, 1))) == [new]
    assert services.version_chain(old) == services.version_chain(new) == [old, new]


@pytest.mark.parametrize("valid_from", [D(2025, 1, 1), D(2024, 12, 31)], ids=["same-day", "earlier"])
def test_replace_rule_refuses_a_start_on_or_before_the_old_start(
    cast: dict[str, Any], valid_from: datetime.date
) -> None:
    old = _nurse_stop(cast["region_a"])
    before = _rules_state()

    with pytest.raises(ValidationError) as caught:
        services.replace_rule(
            cast["admin_a"], old, {"decision_level": DecisionLevel.HEALTH_DIRECTOR}, valid_from
        )

    assert "valid_from" in caught.value.message_dict
    assert _rules_state() == before
    assert _rule_events() == []


def test_a_replaced_version_cannot_be_replaced_again(cast: dict[str, Any]) -> None:
    old = _nurse_stop(cast["region_a"])
    services.replace_rule(cast["admin_a"], old, {"note": "v2"}, D(2025, 6, 1))
    before, events = _rules_state(), len(_rule_events())

    with pytest.raises(ValidationError):
        services.replace_rule(cast["admin_a"], old, {"note": "v2b"}, D(2025, 7, 1))

    assert _rules_state() == before
    assert len(_rule_events()) == events


def test_a_new_version_must_itself_be_valid(cast: dict[str, Any]) -> None:
    old = _nurse_stop(cast["region_a"])
    before = _rules_state()

    with pytest.raises(ValidationError) as caught:
        services.replace_rule(
            cast["admin_a"],
            old,
            {"competence": Competence.objects.get(code="spec_general_medicine")},
            D(2025, 6, 1),
        )

    assert "competence" in caught.value.message_dict
    assert _rules_state() == before


def test_an_old_version_that_already_ends_earlier_keeps_its_end(cast: dict[str, Any]) -> None:
    old = _nurse_stop(cast["region_a"], valid_to=D(2025, 3, 31))

    new = services.replace_rule(cast["admin_a"], old, {"valid_to": None}, D(2025, 9, 1))

    old.refresh_from_db()
    assert old.valid_to == D(2025, 3, 31)
    assert new.replaces == old


def test_the_edit_view_saves_a_new_version(cast: dict[str, Any], client: Client) -> None:
    old = _nurse_stop(cast["region_a"])
    client.force_login(cast["steering_a"])
    form = client.get(reverse("rules:edit", args=[old.pk])).context["form"]
    assert form.initial["name"] == old.name
    assert form.initial["valid_from"] > old.valid_from

    data = _form_data(
        kind=RuleKind.HIRING_STOP,
        name="Hyrstopp sjuksköterskor primärvård",
        decision_level=DecisionLevel.AREA_MANAGER,
        min_estimated_cost_sek="",
        profession=old.profession_id,
        care_area=CareArea.objects.get(code="primary").pk,
        valid_from="2025-10-01",
    )
    response = client.post(reverse("rules:edit", args=[old.pk]), data)

    new = RegionRule.objects.get(replaces=old)
    assert response.status_code == 302
    assert response["Location"] == reverse("rules:detail", args=[new.pk])
    old.refresh_from_db()
    assert old.valid_to == D(2025, 9, 30)
    assert new.care_area.code == "primary"
    page = client.get(reverse("rules:detail", args=[new.pk]))
    assert [v.pk for v in page.context["chain"]] == [old.pk, new.pk]
    assert "Hyrstopp sjuksköterskor primärvård" in page.content.decode()
    # The old version cannot be edited or closed any more.
    response = client.get(reverse("rules:edit", args=[old.pk]))
    assert response.status_code == 302
    assert RegionRule.objects.count() == 2


def test_the_edit_view_refuses_a_start_on_the_old_start(cast: dict[str, Any], client: Client) -> None:
    old = _nurse_stop(cast["region_a"])
    before = _rules_state()
    client.force_login(cast["admin_a"])

    response = client.post(
        reverse("rules:edit", args=[old.pk]),
        _form_data(
            kind=RuleKind.HIRING_STOP, name=old.name, valid_from="2025-01-01", min_estimated_cost_sek=""
        ),
    )

    assert response.status_code == 200
    assert "valid_from" in response.context["form"].errors
    assert _rules_state() == before
    assert _rule_events() == []


# --- Closing -------------------------------------------------------------------------------------------------


def test_closing_a_rule_sets_its_last_day_and_is_audited(cast: dict[str, Any], client: Client) -> None:
    rule = _nurse_stop(cast["region_a"])
    client.force_login(cast["admin_a"])

    response = client.post(
        reverse("rules:close", args=[rule.pk]), {"valid_to": "2025-12-31", "reason": "Bemanningsläget löst"}
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.valid_to == D(2025, 12, 31)
    [event] = _rule_events()
    assert event.action == AuditAction.UPDATE
    assert event.before["valid_to"] is None and event.after["valid_to"] == "2025-12-31"
    assert event.reason == "Bemanningsläget löst"


@pytest.mark.parametrize(
    ("existing_end", "valid_to"),
    [(None, "2024-12-31"), (D(2025, 6, 30), "2025-07-31")],
    ids=["before-start", "later-than-current-end"],
)
def test_closing_is_refused_before_the_start_or_after_the_current_end(
    cast: dict[str, Any], client: Client, existing_end: datetime.date | None, valid_to: str
) -> None:
    rule = _nurse_stop(cast["region_a"], valid_to=existing_end)
    before = _rules_state()
    client.force_login(cast["admin_a"])

    response = client.post(reverse("rules:close", args=[rule.pk]), {"valid_to": valid_to})

    assert response.status_code == 200
    assert "valid_to" in response.context["form"].errors
    assert _rules_state() == before
    assert _rule_events() == []


# --- Who sees and changes what ----------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["rules:detail", "rules:edit", "rules:close"])
def test_region_b_cannot_see_or_change_region_a_rules(
    cast: dict[str, Any], client: Client, url_name: str
) -> None:
    rule = _nurse_stop(cast["region_a"])
    before = _rules_state()
    client.force_login(cast["admin_b"])

    assert client.get(reverse(url_name, args=[rule.pk])).status_code == 404
    response = client.post(
        reverse(url_name, args=[rule.pk]), {**_form_data(valid_from="2025-10-01"), "valid_to": "2025-12-31"}
    )

    assert response.status_code == 404
    assert _rules_state() == before
    assert _rule_events() == []


@pytest.mark.parametrize("url_name", ["rules:edit", "rules:close"])
def test_a_reader_of_the_region_cannot_change_a_rule(
    cast: dict[str, Any], client: Client, url_name: str
) -> None:
    rule = _nurse_stop(cast["region_a"])
    before = _rules_state()
    client.force_login(cast["reader_a"])

    assert client.get(reverse(url_name, args=[rule.pk])).status_code == 403
    assert client.post(reverse(url_name, args=[rule.pk]), {"valid_to": "2025-12-31"}).status_code == 403
    assert _rules_state() == before


def test_the_list_shows_rules_in_force_and_history_of_the_own_region(
    cast: dict[str, Any], client: Client
) -> None:
    today = timezone.localdate()
    current = _nurse_stop(cast["region_a"], valid_from=today - 30 * DAY)
    ended = _nurse_stop(
        cast["region_a"],
        name="Hyrstopp läkare (gammal)",
        valid_from=today - 400 * DAY,
        valid_to=today - 31 * DAY,
    )
    coming = _nurse_stop(cast["region_a"], name="Hyrstopp nästa år", valid_from=today + 100 * DAY)
    other = _nurse_stop(cast["region_b"], name="Hyrstopp Stockholm")
    client.force_login(cast["reader_a"])

    response = client.get(reverse("rules:list"), {"region": "01"})  # ignored for region users

    assert response.status_code == 200
    assert response.context["region"] == cast["region_a"]
    assert list(response.context["in_force"]) == [current]
    assert list(response.context["ended"]) == [ended]
    assert list(response.context["upcoming"]) == [coming]
    assert other.name not in response.content.decode()
    assert response.context["can_change"] is False
    assert client.get(reverse("rules:detail", args=[current.pk])).status_code == 200


def test_national_users_choose_the_region(cast: dict[str, Any], client: Client) -> None:
    _nurse_stop(cast["region_a"], valid_from=timezone.localdate() - DAY)
    stockholm = _nurse_stop(
        cast["region_b"], name="Hyrstopp Stockholm", valid_from=timezone.localdate() - DAY
    )
    client.force_login(cast["coordinator"])

    response = client.get(reverse("rules:list"), {"region": "01"})

    assert list(response.context["in_force"]) == [stockholm]
    assert response.context["can_change"] is False


def test_suppliers_do_not_read_rule_tables(cast: dict[str, Any], client: Client) -> None:
    client.force_login(cast["supplier_user_a"])
    assert client.get(reverse("rules:list")).status_code == 403


def test_rules_for_region_returns_the_rules_in_force_that_day(cast: dict[str, Any]) -> None:
    in_force = _nurse_stop(cast["region_a"], valid_from=D(2025, 1, 1), valid_to=D(2025, 12, 31))
    _nurse_stop(cast["region_a"], name="Senare", valid_from=D(2026, 1, 1))
    _nurse_stop(cast["region_b"], name="Stockholm", valid_from=D(2025, 1, 1))

    assert list(services.rules_for_region(cast["region_a"], D(2025, 6, 1))) == [in_force]
    assert list(services.rules_for_region(cast["region_a"].pk, D(2025, 12, 31))) == [in_force]
    assert [r.name for r in services.rules_for_region(cast["region_a"], D(2026, 1, 1))] == ["Senare"]
