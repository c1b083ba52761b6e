"""The region's internal staffing pool: managed by the call-off unit and region administrators,
read by everyone in the region. Another region's members are never shown (404)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import Scope
from hyrkoll.agreement.models import CompetenceLevel, Profession
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.lib.listing import DateInput, Filter, Listing, ModelFilter, region_filter
from hyrkoll.ordering import permissions
from hyrkoll.pool.forms import PoolMemberForm
from hyrkoll.pool.models import PoolMember


def can_manage_pool(user: Any) -> bool:
    """The call-off unit and region administrators manage their own region's pool."""
    if not user.is_authenticated or user.scope != Scope.REGION or not user.region_id:
        return False
    return bool(user.is_region_admin or permissions.is_call_off_unit(user, user.region_id))


def can_read_pool(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.scope == Scope.NATIONAL
            or (user.scope == Scope.REGION and user.region_id)
        )
    )


class AvailableOnFilter(Filter):
    """``?on=YYYY-MM-DD``: active members available that day."""

    def fields(self) -> dict[str, forms.Field]:
        return {"on": forms.DateField(label=_("Available on"), required=False, widget=DateInput())}

    def apply(self, rows: QuerySet, values: Mapping[str, Any]) -> QuerySet:
        on = values.get("on")
        if on is None:
            return rows
        return rows.filter(is_active=True, available_from__lte=on).filter(
            Q(available_to__isnull=True) | Q(available_to__gte=on)
        )


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can_read_pool(user):
        raise PermissionDenied
    members = PoolMember.objects.visible_to(user).select_related(
        "region", "profession", "level", "competence"
    )
    listing = Listing(
        request,
        members,
        sorts={
            "name": ("last_name", "first_name"),
            "region": "region__name",
            "profession": "profession__name",
            "level": ("level__rank", "level__name"),
            "competence": "competence__name",
            "available": ("available_from", "available_to"),
            "hours": "hours_per_week",
            "active": "is_active",
        },
        filters=[
            region_filter(user, by_code=True),
            ModelFilter("profession", _("Profession"), "profession", Profession.objects.visible_to(user)),
            ModelFilter("level", _("Competence level"), "level", CompetenceLevel.objects.visible_to(user)),
            AvailableOnFilter(),
        ],
    )
    context = {
        "members": listing.rows,
        "listing": listing,
        "show_region": user.scope != Scope.REGION,
        "can_change": can_manage_pool(user),
    }
    return render(request, "pool/member_list.html", context)


class _PoolChange:
    model = PoolMember
    form_class = PoolMemberForm

    def can_change(self, user: Any) -> bool:
        return can_manage_pool(user)

    def get_success_url(self) -> str:
        return reverse("pool:members")


class PoolMemberCreateView(_PoolChange, AuditedCreateView):
    title = _("New member of the staffing pool")


class PoolMemberUpdateView(_PoolChange, AuditedUpdateView):
    title = _("Edit member of the staffing pool")
