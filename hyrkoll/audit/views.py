from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import QuerySet
from django.views.generic import ListView

from hyrkoll.accounts.models import Role
from hyrkoll.audit.models import AuditEvent


class AuditEventListView(LoginRequiredMixin, UserPassesTestMixin, ListView):
    """The audit trail the user may see: a region's own events, or everything nationally."""

    template_name = "audit/event_list.html"
    paginate_by = 50
    raise_exception = True

    def test_func(self) -> bool:
        user = self.request.user
        return bool(
            user.is_superuser
            or user.has_role(Role.COORDINATOR, Role.NATIONAL_READER, Role.REGION_ADMIN, Role.STEERING_GROUP)
        )

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.visible_to(self.request.user).select_related("content_type", "actor")
