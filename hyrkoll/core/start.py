"""What each role sees on its start page and in the navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import Role, Scope


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url_name: str
    description: str | Promise = ""
    query: str = ""
    args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        url = reverse(self.url_name, args=self.args)
        return f"{url}?{self.query}" if self.query else url


@dataclass(frozen=True)
class Section:
    title: str | Promise
    links: tuple[Link, ...]
    queues: tuple[Any, ...] = ()  # hyrkoll.ordering.queues.Queue
    actions: tuple[Link, ...] = ()  # the role's main actions, shown as buttons at the top


@dataclass(frozen=True)
class StartPage:
    """The start page: the role's actions as buttons, its work (queues and own sections) as cards,
    and everything else it may open as a compact list of links below."""

    actions: tuple[Link, ...]
    main: tuple[Section, ...]
    more: tuple[Section, ...]

    @property
    def sections(self) -> list[Section]:
        return [*self.main, *self.more]


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
        Link(_("Outbox"), "outbox:messages", _("Every e-mail Hyrkoll sends: queued, sent and failed.")),
        Link(_("Administration"), "admin:index", _("Django admin for all registers.")),
    ),
)

REGION_ADMIN = Section(
    _("Administer the region"),
    (
        Link(_("Organisation"), "organisation:units", _("Administrations, areas, departments, care units.")),
        Link(_("Users and roles"), "accounts:users", _("Orderers, approvers, call-off unit, controllers…")),
        Link(_("Rules"), "rules:list", _("Hiring stops and the decision level for each kind of call-off.")),
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


NEW_NEED = Link(
    _("New need"), "ordering:need_create", _("Describe a staffing need; the price list prices it.")
)

ORDERER = Section(
    _("Order staff"),
    (
        NEW_NEED,
        Link(_("My needs"), "ordering:needs", _("Follow your units' needs from draft to assignment.")),
    ),
    actions=(NEW_NEED,),
)

CALL_OFF_UNIT = Section(
    _("Call-off unit"),
    (
        Link(_("Needs"), "ordering:needs", _("Check the internal pool, follow the region's needs.")),
        Link(_("Call-offs"), "ordering:call_offs", _("Published call-offs with deadlines and offers.")),
        Link(_("Internal staffing pool"), "pool:members", _("Own staff who can be placed before hiring.")),
        Link(
            _("Invoices to check"),
            "invoicing:list",
            _("Invoices with open deviations against the agreement and the approved time."),
            query="status=received&deviations=open",
        ),
        Link(_("Import an invoice file"), "invoicing:import", _("Invoices received as CSV or Excel.")),
        Link(
            _("Verify credentials"),
            "consultants:credentials",
            _("Offered consultants' licences and evidence."),
        ),
        Link(
            _("Import the licence register"),
            "consultants:licence_register_import",
            _("The register extract the licence check uses (CSV or Excel)."),
        ),
        Link(
            _("Import former employees"),
            "consultants:former_employees_import",
            _("For the cooling-off check; stored only as keyed hashes."),
        ),
    ),
)

APPROVER = Section(
    _("Decisions"),
    (
        Link(
            _("Needs to decide"),
            "ordering:needs",
            _("Needs awaiting approval at your level."),
            query="status=awaiting_approval&queue=approvals",
        ),
    ),
)

STEERING_GROUP = Section(
    _("Steering group"),
    (
        Link(
            _("Purchases outside the agreement to review"),
            "ordering:needs",
            _("Dispensations before the top-level decision."),
            query="status=steering_review&queue=steering",
        ),
        Link(_("All needs"), "ordering:needs", _("The region's needs and their status.")),
        Link(_("Rules"), "rules:list", _("Hiring stops and decision levels.")),
    ),
)

SUPPLIER_CALL_OFFS = Link(
    _("Call-offs to your company"),
    "ordering:supplier_call_offs",
    _("Open call-offs first; offer named consultants."),
)
SEND_INVOICE = Link(
    _("Send an invoice"), "invoicing:create", _("Invoice approved time at the agreement's price.")
)

SUPPLIER = Section(
    _("Call-offs"),
    (
        SUPPLIER_CALL_OFFS,
        Link(_("Our consultants"), "consultants:mine", _("Consultants with verified credentials.")),
        SEND_INVOICE,
        Link(_("Our invoices"), "invoicing:list", _("Each invoice's control and the region's decision.")),
    ),
    actions=(SUPPLIER_CALL_OFFS, SEND_INVOICE),
)


def ordering_sections(user: Any) -> list[Section]:
    """The work queues and the ordering links of the user's roles."""
    from hyrkoll.invoicing.queues import invoice_queues
    from hyrkoll.ordering.queues import queues_for

    sections: list[Section] = []
    queues = queues_for(user) + invoice_queues(user)
    if queues:
        sections.append(Section(_("Your work queues"), (), tuple(queues)))
    scope = getattr(user, "scope", None)
    if scope == Scope.REGION:
        if user.has_role(Role.ORDERER):
            sections.append(ORDERER)
        if user.has_role(Role.CALL_OFF_UNIT):
            sections.append(CALL_OFF_UNIT)
        if user.has_role(Role.APPROVER):
            sections.append(APPROVER)
        if user.has_role(Role.STEERING_GROUP):
            sections.append(STEERING_GROUP)
    elif scope == Scope.SUPPLIER and user.has_role(Role.SUPPLIER_USER):
        sections.append(SUPPLIER)
    return sections


def follow_up_section(user: Any) -> Section | None:
    """The Bemanningstrend: dashboards, the report, imports and targets (regions and the nation)."""
    from hyrkoll.followup.access import can_follow_up
    from hyrkoll.spending.access import own_region

    if not can_follow_up(user):
        return None
    links = []
    if getattr(user, "scope", None) == Scope.REGION and user.region_id:
        links.append(
            Link(
                _("Your region's dashboard"),
                "followup:region_dashboard",
                _("Hired cost against own personnel cost, the target path, pool, overtime and staffing."),
                args=(user.region.code,),
            )
        )
    if own_region(user) is not None:
        links.append(
            Link(
                _("Where the hired cost sits"),
                "spending:overview",
                _("By unit, profession, level and supplier, and the consultants with long assignments."),
            )
        )
    links += [
        Link(
            _("The national dashboard"),
            "followup:dashboard",
            _("Hired cost per year, the share against 2 % and every region (once published)."),
        ),
        Link(
            _("The Bemanningstrend report"),
            "followup:report",
            _("Per half-year or quarter, as a web page, PDF and Excel."),
        ),
        Link(_("Cost and staffing imports"), "followup:imports", _("Upload monthly costs (CSV or Excel).")),
        Link(_("Targets"), "followup:targets", _("Each region's target share by year.")),
    ]
    return Section(_("Follow-up"), tuple(links))


GOVERNANCE = Section(
    _("Governance"),
    (
        Link(_("Action plans"), "governance:plans", _("Measures, owners, sub-goals and reported effects.")),
        Link(_("Catalogue of measures"), "governance:catalogue", _("What the regions can choose from.")),
        Link(
            _("What the regions use"),
            "governance:overview",
            _("Which measures how many regions use and find working."),
        ),
        Link(_("Hiring stops and rules"), "governance:hiring_stops", _("The register, with its history.")),
        Link(
            _("Dispensations granted"),
            "governance:dispensations",
            _("By decision level and reason, over time."),
        ),
        Link(
            _("Steering group's decision log"),
            "governance:decisions",
            _("Decisions with basis and follow-up."),
        ),
        Link(
            _("Joint procurements"),
            "governance:procurements",
            _("Declarations of intent and the accession timetable."),
        ),
    ),
)


def compliance_section(user: Any) -> Section | None:
    """Supplier deviations and suspensions for everyone in scope; direct purchases and contract
    fidelity for the regions and the national level (``hyrkoll.compliance``)."""
    scope = getattr(user, "scope", None)
    if scope == Scope.SUPPLIER:
        return Section(
            _("Deviations and suspensions"),
            (
                Link(
                    _("Deviations about your company"), "compliance:deviations", _("Recorded by the regions.")
                ),
                Link(_("Suspensions"), "compliance:suspensions", _("Decided by the national coordinator.")),
            ),
        )
    if scope not in (Scope.REGION, Scope.NATIONAL) and not getattr(user, "is_superuser", False):
        return None
    return Section(
        _("Compliance with the agreement"),
        (
            Link(
                _("Supplier deviations"),
                "compliance:deviations",
                _("Per supplier, with the escalation step towards a contractual penalty."),
            ),
            Link(_("Suspensions"), "compliance:suspensions", _("Suppliers that receive no call-offs.")),
            Link(
                _("Direct purchases"),
                "compliance:purchases",
                _("Purchases outside the agreement against the direct-award threshold."),
            ),
            Link(
                _("Contract fidelity"),
                "compliance:fidelity",
                _("The share of hired-staff cost that went through the agreement."),
            ),
        ),
    )


# Roles whose work is the follow-up and governance (their start page leads with them).
STEERING_ROLES = (Role.CONTROLLER, Role.STEERING_GROUP, Role.READER)


def _has_any(user: Any, roles: tuple[str, ...]) -> bool:
    has_role = getattr(user, "has_role", None)
    return bool(has_role) and any(has_role(role) for role in roles)


def start_page(user: Any) -> StartPage:
    """The user's start page: the sections of the user's own work first (work queues, the role's
    ordering sections, the follow-up for those who steer, administration for administrators), then
    every other page the user may open, most specific first."""
    scope = getattr(user, "scope", None)
    national = scope == Scope.NATIONAL or getattr(user, "is_coordinator", False)
    steers = national or _has_any(user, STEERING_ROLES)
    main: list[Section] = ordering_sections(user)
    more: list[Section] = []
    follow_up = follow_up_section(user)
    if follow_up is not None:
        (main if steers else more).append(follow_up)
    if getattr(user, "is_coordinator", False):
        main.append(COORDINATOR)
    compliance = compliance_section(user)
    if compliance is not None:
        (main if national or scope == Scope.SUPPLIER else more).append(compliance)
    if scope in (Scope.REGION, Scope.NATIONAL):
        (main if steers else more).append(GOVERNANCE)
    if scope == Scope.REGION:
        if user.has_role(Role.REGION_ADMIN):
            main.append(REGION_ADMIN)
        else:
            more.append(REGION_READ)
    more += [AGREEMENT_READ, API]
    if not main:  # nothing of its own (e.g. a reader of the agreement): everything is the work
        main, more = more, []
    actions = tuple(action for section in main for action in section.actions)
    return StartPage(actions=actions, main=tuple(main), more=tuple(more))


def start_sections(user: object) -> list[Section]:
    """Every section of the user's start page, most specific first."""
    return start_page(user).sections
