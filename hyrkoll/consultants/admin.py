from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hyrkoll.audit.admin_mixins import AuditedModelAdmin
from hyrkoll.consultants.models import Consultant, ConsultantCredential, FormerEmployee, LicenceRegisterEntry


class CredentialInline(admin.TabularInline):
    model = ConsultantCredential
    extra = 0
    fields = [
        "licence_number",
        "profession",
        "competence",
        "licensed_on",
        "specialist_since",
        "source",
        "verified_at",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consultant)
class ConsultantAdmin(AuditedModelAdmin):
    list_display = ["last_name", "first_name", "supplier", "profession", "licence_number", "hlr_trained_on"]
    list_filter = ["supplier", "profession"]
    search_fields = ["first_name", "last_name", "licence_number"]
    # The keyed hash is set by the supplier's registration, never typed in here.
    readonly_fields = ["personal_number_hash"]
    inlines = [CredentialInline]


@admin.register(ConsultantCredential)
class ConsultantCredentialAdmin(AuditedModelAdmin):
    list_display = [
        "consultant",
        "licence_number",
        "profession",
        "competence",
        "source",
        "verified_at",
        "verified_by",
    ]
    list_filter = ["source", "profession"]
    search_fields = ["licence_number", "consultant__first_name", "consultant__last_name"]
    raw_id_fields = ["consultant", "verified_by"]


class ReadOnlyAdmin(AuditedModelAdmin):
    """Rows that only an import writes: shown, never changed by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LicenceRegisterEntry)
class LicenceRegisterEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "licence_number",
        "first_name",
        "last_name",
        "region",
        "profession",
        "competence",
        "licensed_on",
    ]
    list_filter = ["region", "profession"]
    search_fields = ["licence_number", "first_name", "last_name"]


@admin.register(FormerEmployee)
class FormerEmployeeAdmin(ReadOnlyAdmin):
    list_display = ["short_hash", "region", "employed_until", "imported_at"]
    list_filter = ["region"]
    fields = ["region", "personal_number_hash", "employed_until", "imported_at"]
    readonly_fields = fields

    @admin.display(description="personal identity number (keyed hash)")
    def short_hash(self, obj: FormerEmployee) -> str:
        return f"{obj.personal_number_hash[:12]}…"
