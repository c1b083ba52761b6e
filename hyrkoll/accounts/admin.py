from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import RoleAssignment, User
from hyrkoll.audit.admin_mixins import AuditedModelAdmin


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["org_unit"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "scope", "region", "supplier", "is_active"]
    list_filter = ["scope", "region", "is_active", "is_staff"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Hyrkoll"), {"fields": ("scope", "region", "supplier", "title")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Hyrkoll"), {"fields": ("scope", "region", "supplier", "email", "first_name", "last_name")}),
    )
