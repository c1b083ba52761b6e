from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.views.generic import ListView

from hyrkoll.accounts.models import Role
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.lib.listing import ChoiceFilter, Listing, PeriodFilter, TextFilter, region_filter


class AuditEventListView(LoginRequiredMixin, UserPassesTestMixin, ListView):
    """The audit trail the user may see: a region's own events, or everything nationally;
    filtered by action, kind of object, who, region (national level) and period, and sortable."""

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
        user = self.request.user
        events = AuditEvent.objects.visible_to(user).select_related("content_type", "actor")
        kinds = ContentType.objects.filter(pk__in=events.order_by().values("content_type").distinct())
        object_kinds = sorted(((kind.pk, str(kind.name).capitalize()) for kind in kinds), key=lambda c: c[1])
        self.listing = Listing(
            self.request,
            events,
            sorts={
                "at": "at",
                "actor": "actor_name",
                "action": "action",
                "object": ("content_type__model", "object_repr"),
            },
            filters=[
                ChoiceFilter("action", _("Action"), "action", AuditAction.choices),
                ChoiceFilter("object_type", _("Kind of object"), "content_type", object_kinds),
                TextFilter(
                    "actor",
                    _("Who"),
                    ["actor_name", "actor__username", "actor__first_name", "actor__last_name"],
                ),
                TextFilter("object", _("Object"), ["object_repr"]),
                region_filter(user),
                PeriodFilter(_("Date"), "at__date"),
            ],
        )
        return self.listing.rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["listing"] = self.listing
        return context
