from django.contrib import admin

from hyrkoll.audit.admin_mixins import AuditedModelAdmin
from hyrkoll.pool.models import PoolMember


@admin.register(PoolMember)
class PoolMemberAdmin(AuditedModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "region",
        "profession",
        "level",
        "available_from",
        "available_to",
    ]
    list_filter = ["region", "profession", "level", "is_active"]
    search_fields = ["first_name", "last_name"]
