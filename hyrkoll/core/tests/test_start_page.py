"""The start page: the role's main action as the page's primary button, its own work as cards and
everything else it may open as a compact list below – not a wall of links in boxes."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from hyrkoll.accounts.models import Role, RoleAssignment
from hyrkoll.core.start import start_page


def _orderer(world: dict[str, Any]) -> Any:
    return world["orderer_a"]


def test_the_orderers_primary_action_is_a_new_need(client: Any, world: dict[str, Any]) -> None:
    user = _orderer(world)
    client.force_login(user)
    html = client.get(reverse("start")).content.decode()
    actions = re.search(r'<div class="start-actions">(.*?)</div>', html, re.S)
    assert actions, "no action buttons"
    first = re.search(r'<a class="button primary" href="([^"]+)"', actions.group(1))
    assert first and first.group(1) == reverse("ordering:need_create")


def test_the_orderers_cards_hold_the_ordering_work_and_the_rest_is_compact(world: dict[str, Any]) -> None:
    page = start_page(_orderer(world))
    main = {link.url_name for section in page.main for link in section.links}
    more = {link.url_name for section in page.more for link in section.links}
    assert "ordering:needs" in main
    assert {"agreement:price_lists", "accounts:token"} <= more  # reachable, but not in the way
    assert "followup:report" in more and "followup:report" not in main  # an orderer does not steer
    assert not main & more


def test_a_controller_leads_with_the_follow_up(world: dict[str, Any]) -> None:
    user = world["admin_a"]
    RoleAssignment.objects.create(user=user, role=Role.CONTROLLER)
    page = start_page(user)
    assert "followup:report" in {link.url_name for section in page.main for link in section.links}


def test_a_supplier_starts_from_its_call_offs(world: dict[str, Any]) -> None:
    page = start_page(world["supplier_user_a"])
    assert page.actions and page.actions[0].url_name == "ordering:supplier_call_offs"
