"""What each role sees on its start page and in the navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import Role, Scope


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url_name: str
    description: str | Promise = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Section:
    title: str | Promise
    links: tuple[Link, ...]


AGREEMENT_READ = Section(
    _("The framework agreement"),
    (
        Link(
            _("Agreement and sub-areas"), "agreement:overview", _("Contract period, extensions, exclusions.")
        ),
        Link(_("Admitted suppliers"), "agreement:suppliers", _("Suppliers per sub-area with dates.")),
        Link(_("Price lists"), "agreement:price_lists", _("Hourly price per competence level and zone.")),
        Link(_("Zones"), "agreement:zones", _("Each municipality's price zone.")),
        Link(_("Accession dates"), "agreement:accessions", _("When each region joined, per sub-area.")),
    ),
)

COORDINATOR = Section(
    _("Manage the agreement"),
    (
        Link(_("Add a supplier"), "agreement:supplier_create", _("Register a staffing company.")),
        Link(
            _("New price-list version"), "agreement:price_list_create", _("Copy the current list and edit.")
        ),
        Link(_("Import zones (CSV)"), "agreement:zone_import", _("municipality_code,zone")),
        Link(_("Audit trail"), "audit:events", _("Every change with who, when, before and after.")),
        Link(_("Administration"), "admin:index", _("Django admin for all registers.")),
    ),
)

REGION_ADMIN = Section(
    _("Administer the region"),
    (
        Link(_("Organisation"), "organisation:units", _("Administrations, areas, departments, care units.")),
        Link(_("Users and roles"), "accounts:users", _("Orderers, approvers, call-off unit, controllers…")),
        Link(_("Audit trail"), "audit:events", _("Changes to the region's organisation and roles.")),
    ),
)

REGION_READ = Section(
    _("Your region"),
    (Link(_("Organisation"), "organisation:units", _("The region's units with municipality and zone.")),),
)

API = Section(
    _("Integration"),
    (
        Link(_("Your API token"), "accounts:token", _("For your organisation's systems.")),
        Link(_("API documentation"), "api-docs", _("OpenAPI description of /api/v1/.")),
    ),
)


def start_sections(user: object) -> list[Section]:
    """Sections for the user's start page, most specific first."""
    sections: list[Section] = []
    if getattr(user, "is_coordinator", False):
        sections.append(COORDINATOR)
    if getattr(user, "scope", None) == Scope.REGION:
        if user.has_role(Role.REGION_ADMIN):  # type: ignore[attr-defined]
            sections.append(REGION_ADMIN)
        else:
            sections.append(REGION_READ)
    sections.append(AGREEMENT_READ)
    sections.append(API)
    return sections
