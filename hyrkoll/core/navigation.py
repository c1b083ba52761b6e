"""The main menu: one table of items, each shown only to the users its page lets in.

The menu used to be written out in ``base.html`` with its own scope tests, and it drifted from the
views (an orderer was offered the region's call-off list, which answers 403 for that role). Each
item's ``may_open`` uses the same test as the view behind it where the view has one; the generated
coverage test (``tests/coverage``) follows every item for every persona and fails on a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import Scope
from hyrkoll.ordering.queues import sees_whole_region


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    may_open: Callable[[Any], bool]


def _anyone(user: Any) -> bool:
    return True


def _region(user: Any) -> bool:
    return user.scope == Scope.REGION


def _supplier(user: Any) -> bool:
    return user.scope == Scope.SUPPLIER


def _follows_up(user: Any) -> bool:
    """Follow-up, governance and the organisation register: the regions and the national level."""
    return user.scope == Scope.REGION or user.is_national or user.is_superuser


def _administers_users(user: Any) -> bool:
    return user.is_region_admin or user.is_coordinator


MENU: tuple[NavItem, ...] = (
    NavItem("start", _("Start"), _anyone),
    NavItem("agreement:overview", _("Agreement"), _anyone),
    NavItem("ordering:needs", _("Needs"), _region),
    NavItem("ordering:call_offs", _("Call-offs"), lambda user: _region(user) and sees_whole_region(user)),
    NavItem("assignments:list", _("Assignments"), _region),
    NavItem("invoicing:list", _("Invoices"), _region),
    NavItem("rules:list", _("Rules"), _region),
    NavItem("pool:members", _("Staffing pool"), _region),
    NavItem("ordering:supplier_call_offs", _("Call-offs"), _supplier),
    NavItem("assignments:supplier_list", _("Assignments and time"), _supplier),
    NavItem("invoicing:list", _("Invoices"), _supplier),
    NavItem("consultants:mine", _("Our consultants"), _supplier),
    NavItem("followup:dashboard", _("Follow-up"), _follows_up),
    NavItem("governance:plans", _("Governance"), _follows_up),
    NavItem("organisation:units", _("Organisation"), _follows_up),
    NavItem("accounts:users", _("Users"), _administers_users),
    NavItem("audit:events", _("Audit trail"), _administers_users),
)


@dataclass(frozen=True)
class MenuLink:
    url: str
    label: str | Promise
    current: bool


def menu_for(user: Any, current_path: str = "") -> list[MenuLink]:
    """The menu items ``user`` may open, in order; ``current`` marks the section being shown."""
    if not getattr(user, "is_authenticated", False):
        return []
    links = []
    for item in MENU:
        if not item.may_open(user):
            continue
        url = reverse(item.url_name)
        current = current_path == url if url == "/" else current_path.startswith(url)
        links.append(MenuLink(url=url, label=item.label, current=current))
    return links
