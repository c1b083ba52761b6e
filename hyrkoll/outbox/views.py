"""The coordinator's outbox page: every e-mail Hyrkoll has queued, with its status, and "retry now"
for the failed ones. National coordinator only (403 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from hyrkoll.lib.listing import ChoiceFilter, Listing, PeriodFilter, TextFilter, region_filter
from hyrkoll.outbox import services
from hyrkoll.outbox.models import MessageKind, MessageStatus, OutboxMessage


def may_see_outbox(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_coordinator)


class OutboxListView(LoginRequiredMixin, UserPassesTestMixin, ListView):
    """Queued, sent and failed e-mails, newest first; filtered by status, kind, region, text and
    date, and sortable."""

    template_name = "outbox/message_list.html"
    paginate_by = 50
    raise_exception = True

    def test_func(self) -> bool:
        return may_see_outbox(self.request.user)

    def get_queryset(self) -> QuerySet[OutboxMessage]:
        rows = OutboxMessage.objects.select_related("region", "supplier").annotate(
            recipients_text=Cast("recipients", TextField())
        )
        self.listing = Listing(
            self.request,
            rows,
            sorts={
                "created": "created_at",
                "status": "status",
                "kind": "kind",
                "attempts": "attempts",
                "next": "next_attempt_at",
            },
            filters=[
                ChoiceFilter("status", _("Status"), "status", MessageStatus.choices),
                ChoiceFilter("kind", _("Kind"), "kind", MessageKind.choices),
                region_filter(self.request.user),
                TextFilter(
                    "q",
                    _("Recipient, subject or error"),
                    ["recipients_text", "subject", "object_repr", "last_error", "supplier__name"],
                ),
                PeriodFilter(_("Queued"), "created_at__date"),
            ],
        )
        return self.listing.rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["listing"] = self.listing
        counts = dict(OutboxMessage.objects.order_by().values_list("status").annotate(n=Count("pk")))
        context["status_counts"] = [(label, counts.get(value, 0)) for value, label in MessageStatus.choices]
        return context


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed e-mail again for one more attempt now."""
    if not may_see_outbox(request.user):
        raise PermissionDenied
    message = get_object_or_404(OutboxMessage, pk=pk)
    if services.retry(message.pk):
        messages.success(request, _("The e-mail is queued again and will be sent shortly."))
    else:
        messages.info(request, _("Only a failed e-mail can be retried."))
    return redirect("outbox:messages")
