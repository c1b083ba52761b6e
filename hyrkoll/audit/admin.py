from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hyrkoll.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "region"]
    list_filter = ["action", "content_type", "region"]
    search_fields = ["object_repr", "actor_name", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
