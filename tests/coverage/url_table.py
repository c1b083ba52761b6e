"""Who may open what: one row per URL pattern of the web app (see ``expectations`` for how a row is
read). ``test_generated_coverage`` requests every row as every persona and fails when a pattern has
no row, so a new page must say here who may see it.

Objects are region A's (Västra Götaland) and supplier A's; region B and supplier B must get 404
(or 403) for them, and never a page with their contents.
"""

from __future__ import annotations

from tests.coverage.expectations import LOGIN, Row
from tests.coverage.personas import REGION_ROLES

ROLES = tuple(role for role, _ in REGION_ROLES)


def roles(*names: str, tenants: str = "ab") -> str:
    """``roles("admin", "controller")`` → the admins and controllers of region A and region B."""
    for name in names:
        assert name in ROLES, name
    return " ".join(f"{tenant}.{name}" for tenant in tenants for name in names)


def roles_except(*names: str, tenants: str = "ab") -> str:
    return roles(*(role for role in ROLES if role not in names), tenants=tenants)


ANYONE = "*"
REGIONS = "a.* b.*"
NATIONAL = "coordinator national_reader"
COORDINATOR = "coordinator"
SUPPLIERS = "supplier_*"
REGION_A_AND_NATIONAL = f"a.* {NATIONAL}"
REGIONS_AND_NATIONAL = f"{REGIONS} {NATIONAL}"
NOT_REGION_A = f"b.* {SUPPLIERS}"  # another tenant: region A's object is missing for them
OTHER_SUPPLIER = "supplier_b"
A_WITH_SUPPLIER_A = f"a.* supplier_a {NATIONAL}"
NOT_A_NOR_SUPPLIER_A = "b.* supplier_b"

#: Patterns deliberately not requested, with the reason.
NOT_REQUESTED: dict[str, str] = {}

URL_TABLE: dict[str, Row] = {
    # --- the site ---------------------------------------------------------------------------------
    "healthz": Row(ok=ANYONE, public=True, post="read"),
    "start": Row(ok=ANYONE),
    "set_language": Row(redirect=ANYONE, post_ok=ANYONE, public=True, anonymous_get=302, writes=True),
    "login": Row(redirect=ANYONE, post_ok=ANYONE, public=True, writes=True),
    "logout": Row(ok=ANYONE, post="action", writes=True, post_answer=LOGIN),  # signed out: to the login page
    # --- accounts ---------------------------------------------------------------------------------
    "accounts:token": Row(ok=ANYONE, writes=True),  # everyone may create their own API token
    "accounts:users": Row(ok=f"{roles('admin')} {COORDINATOR}", post="read"),
    "accounts:user_create": Row(ok=f"{roles('admin')} {COORDINATOR}"),
    "accounts:user_detail": Row("user_a", ok=f"a.admin {COORDINATOR}", missing="b.admin", post="read"),
    "accounts:user_edit": Row("user_a", ok=f"a.admin {COORDINATOR}", missing=NOT_REGION_A),
    "accounts:role_create": Row("user_a", ok=f"a.admin {COORDINATOR}", missing=NOT_REGION_A),
    "accounts:role_remove": Row("role_a", ok=f"a.admin {COORDINATOR}", missing=NOT_REGION_A, post="action"),
    # --- the agreement (national, read by everyone, kept by the coordinator) -----------------------
    "agreement:overview": Row(ok=ANYONE),
    "agreement:agreement_edit": Row("agreement", ok=COORDINATOR),
    "agreement:extension_create": Row("agreement", ok=COORDINATOR),
    "agreement:parameter_create": Row("agreement", ok=COORDINATOR),
    "agreement:excluded_create": Row("sub_area", ok=COORDINATOR),
    "agreement:excluded_remove": Row("exclusion", ok=COORDINATOR, post="action"),
    "agreement:suppliers": Row(ok=ANYONE),
    "agreement:supplier_create": Row(ok=COORDINATOR),
    "agreement:supplier_detail": Row("supplier_a", ok=ANYONE),
    "agreement:supplier_edit": Row("supplier_a", ok=COORDINATOR),
    "agreement:admission_create": Row("supplier_a", ok=COORDINATOR),
    "agreement:admission_edit": Row("admission_a", ok=COORDINATOR),
    "agreement:price_lists": Row(ok=ANYONE),
    "agreement:price_list_create": Row(ok=COORDINATOR),
    "agreement:price_list_detail": Row("price_list", ok=ANYONE),
    "agreement:price_list_edit": Row("price_list", ok=COORDINATOR),
    "agreement:zones": Row(ok=ANYONE),
    "agreement:zone_import": Row(ok=COORDINATOR),
    "agreement:accessions": Row(ok=ANYONE),
    "agreement:accession_create": Row(ok=COORDINATOR),
    "agreement:accession_edit": Row("accession_a", ok=COORDINATOR),
    # --- organisation and audit -------------------------------------------------------------------
    "organisation:units": Row(ok=ANYONE),
    "organisation:unit_create": Row(ok=roles("admin")),
    "organisation:unit_detail": Row("unit_a", ok=REGION_A_AND_NATIONAL, missing=NOT_REGION_A),
    "organisation:unit_edit": Row("unit_a", ok="a.admin", missing=NOT_REGION_A),
    "audit:events": Row(ok=f"{roles('admin', 'steering_group')} {NATIONAL}", post="read"),
    "outbox:messages": Row(ok=COORDINATOR, post="read"),
    "outbox:retry": Row("outbox_message_failed", ok=COORDINATOR, post="action"),
    # --- ordering: needs and their steps (a step refused by the workflow redirects with a message) -
    "ordering:needs": Row(ok=REGIONS_AND_NATIONAL, redirect=SUPPLIERS),
    "ordering:need_create": Row(ok=roles("orderer")),
    "ordering:need_detail": Row("need_a", ok=REGION_A_AND_NATIONAL, missing=NOT_REGION_A),
    "ordering:need_edit": Row("draft_need_a", ok="a.orderer", missing=NOT_REGION_A),
    **{
        f"ordering:need_{step}": Row("need_a", ok=REGION_A_AND_NATIONAL, missing=NOT_REGION_A, post="action")
        for step in ("submit", "cancel", "attempt", "exhaust", "steering_review", "decide", "publish")
    },
    "ordering:call_offs": Row(ok=f"{roles_except('orderer')} {NATIONAL}"),
    "ordering:call_off_close": Row(
        "open_call_off_a",
        ok=f"{roles_except('orderer', tenants='a')} {NATIONAL}",
        missing=f"a.orderer {NOT_REGION_A}",
        post="action",
    ),
    "ordering:offer_detail": Row("offer_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A),
    # GET: the confirmation page, for the call-off unit; POST: the award (refused with a message for the others).
    "ordering:offer_award": Row(
        "offer_a", ok="a.call_off_unit", missing=NOT_REGION_A, post_ok=REGION_A_AND_NATIONAL
    ),
    "ordering:supplier_call_offs": Row(ok=SUPPLIERS),
    "ordering:supplier_call_off": Row("call_off_a", ok="supplier_a", missing=OTHER_SUPPLIER),
    "ordering:offer_create": Row("open_call_off_a", ok="supplier_a", missing=OTHER_SUPPLIER),
    # --- assignments and time reports -------------------------------------------------------------
    "assignments:list": Row(ok=REGIONS_AND_NATIONAL, redirect=SUPPLIERS),
    "assignments:detail": Row("assignment_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A),
    "assignments:time_report_csv": Row("assignment_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A),
    "assignments:extend": Row(
        "assignment_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A, post="action"
    ),
    "assignments:cancel": Row(
        "assignment_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A, post="action"
    ),
    "assignments:time_report_decide": Row(
        "time_report_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A, post="action"
    ),
    "assignments:supplier_list": Row(ok=SUPPLIERS),
    "assignments:time_report_create": Row("assignment_a", ok="supplier_a", missing=OTHER_SUPPLIER),
    "assignments:time_report_correct": Row("time_report_a", ok="supplier_a", missing=OTHER_SUPPLIER),
    # --- invoices ---------------------------------------------------------------------------------
    "invoicing:list": Row(ok=ANYONE),
    "invoicing:import": Row(ok=roles("call_off_unit")),
    "invoicing:create": Row(ok=SUPPLIERS),
    "invoicing:detail": Row("invoice_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A),
    "invoicing:decide": Row("invoice_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A, post="action"),
    "invoicing:deviation_accept": Row(
        "invoice_deviation_a", ok=A_WITH_SUPPLIER_A, missing=NOT_A_NOR_SUPPLIER_A, post="action"
    ),
    # --- the region's rules and internal pool -----------------------------------------------------
    "rules:list": Row(ok=REGIONS_AND_NATIONAL),
    "rules:create": Row(ok=roles("admin", "steering_group")),
    "rules:detail": Row("rule_a", ok=REGION_A_AND_NATIONAL, missing=NOT_REGION_A),
    "rules:edit": Row("rule_a", ok=roles("admin", "steering_group", tenants="a"), missing=NOT_REGION_A),
    "rules:close": Row("rule_a", ok=roles("admin", "steering_group", tenants="a"), missing=NOT_REGION_A),
    "pool:members": Row(ok=REGIONS_AND_NATIONAL),
    "pool:member_create": Row(ok=roles("admin", "call_off_unit")),
    "pool:member_edit": Row(
        "pool_member_a",
        ok=roles("admin", "call_off_unit", tenants="a"),
        missing=roles("admin", "call_off_unit", tenants="b"),
    ),
    # --- consultants ------------------------------------------------------------------------------
    "consultants:licence_register_import": Row(ok=roles("admin", "call_off_unit")),
    "consultants:former_employees_import": Row(ok=roles("admin", "call_off_unit")),
    "consultants:credentials": Row(ok=roles("call_off_unit")),
    "consultants:credential_verify": Row("consultant_a", ok="a.call_off_unit", missing="b.call_off_unit"),
    "consultants:mine": Row(ok=SUPPLIERS),
    # --- follow-up (published national figures are open to every region) --------------------------
    "followup:dashboard": Row(ok=REGIONS_AND_NATIONAL, post="read"),
    "followup:region_dashboard": Row("region_a_code", ok=REGIONS_AND_NATIONAL, post="read"),
    "followup:download": Row(
        ok=REGIONS_AND_NATIONAL, query="?region=14&table=costs&format=xlsx", post="read"
    ),
    "followup:report": Row(ok=REGIONS_AND_NATIONAL, post="read"),
    "followup:report_pdf": Row(ok=REGIONS_AND_NATIONAL, post="read"),
    "followup:report_xlsx": Row(ok=REGIONS_AND_NATIONAL, post="read"),
    "followup:imports": Row(ok=REGIONS_AND_NATIONAL, post="read"),
    "followup:import_upload": Row(ok=f"{roles('controller')} {COORDINATOR}"),
    "followup:import_detail": Row("import_a", ok=REGION_A_AND_NATIONAL, missing="b.*", post="read"),
    "followup:import_status": Row("import_a", ok=REGION_A_AND_NATIONAL, missing="b.*", post="read"),
    "followup:targets": Row(ok=REGIONS_AND_NATIONAL, post_ok=f"{roles('admin', 'controller')} {COORDINATOR}"),
    "followup:publish": Row(ok=COORDINATOR),
    # --- governance -------------------------------------------------------------------------------
    "governance:catalogue": Row(ok=REGIONS_AND_NATIONAL),
    "governance:measure_create": Row(ok=COORDINATOR),
    "governance:measure_edit": Row("measure", ok=COORDINATOR),
    "governance:overview": Row(ok=REGIONS_AND_NATIONAL),
    "governance:plans": Row(ok=REGIONS_AND_NATIONAL),
    "governance:plan_create": Row(ok=roles("admin", "steering_group", "controller")),
    "governance:plan_detail": Row("plan_a", ok=REGION_A_AND_NATIONAL, missing="b.*"),
    **{
        name: Row(key, ok=roles("admin", "steering_group", "controller", tenants="a"), missing=NOT_REGION_A)
        for name, key in (
            ("governance:plan_edit", "plan_a"),
            ("governance:plan_measure_create", "plan_a"),
            ("governance:plan_measure_edit", "plan_measure_a"),
            ("governance:plan_measure_effect", "plan_measure_a"),
            ("governance:sub_goal_create", "plan_measure_a"),
            ("governance:sub_goal_edit", "sub_goal_a"),
        )
    },
    "governance:hiring_stops": Row(ok=REGIONS_AND_NATIONAL),
    "governance:dispensations": Row(ok=REGIONS_AND_NATIONAL),
    "governance:decisions": Row(ok=REGIONS_AND_NATIONAL),
    "governance:decision_create": Row(ok=roles("admin", "steering_group")),
    "governance:decision_edit": Row(
        "steering_decision_a", ok=roles("admin", "steering_group", tenants="a"), missing=NOT_REGION_A
    ),
    "governance:procurements": Row(ok=ANYONE),
    "governance:procurement_create": Row(ok=COORDINATOR),
    "governance:procurement_detail": Row("procurement", ok=ANYONE),
    "governance:procurement_edit": Row("procurement", ok=COORDINATOR),
    # Who may not declare is sent back to the procurement with a message.
    "governance:declaration_create": Row(
        "open_procurement", ok=roles("admin", "steering_group"), redirect=ANYONE
    ),
    "governance:declaration_document": Row("declaration_a", ok=REGION_A_AND_NATIONAL, missing=NOT_REGION_A),
    # --- compliance -------------------------------------------------------------------------------
    "compliance:deviations": Row(ok=ANYONE),
    "compliance:deviation_create": Row(ok=roles("admin", "call_off_unit")),
    "compliance:deviation_detail": Row(
        "supplier_deviation_a", ok=REGION_A_AND_NATIONAL, missing=NOT_REGION_A
    ),
    "compliance:deviation_withdraw": Row(
        "supplier_deviation_a", ok=REGION_A_AND_NATIONAL, missing=NOT_REGION_A, post="action"
    ),
    "compliance:suspensions": Row(ok=ANYONE),
    "compliance:suspension_create": Row(ok=COORDINATOR),
    "compliance:suspension_lift": Row("suspension", ok=COORDINATOR, post="action"),
    "compliance:purchases": Row(ok=REGIONS_AND_NATIONAL),
    "compliance:purchase_create": Row(ok=roles("orderer", "call_off_unit")),
    "compliance:purchase_detail": Row("direct_purchase_a", ok=REGION_A_AND_NATIONAL, missing="b.*"),
    "compliance:fidelity": Row(ok=REGIONS_AND_NATIONAL),
    # --- where the hired cost sits (a region's own figures, for its users only) --------------------
    "spending:overview": Row(ok=REGIONS, post="read"),
}
