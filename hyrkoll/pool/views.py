"""The region's internal staffing pool: managed by the call-off unit and region administrators,
read by everyone in the region. Another region's members are never shown (404)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import Scope
from hyrkoll.agreement.models import CompetenceLevel, Profession
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.ordering import permissions
from hyrkoll.organisation.models import Region
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


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can_read_pool(user):
        raise PermissionDenied
    profession_id = _int(request.GET.get("profession"))
    level_id = _int(request.GET.get("level"))
    on = _date(request.GET.get("on"))
    region_code = request.GET.get("region", "") if user.scope != Scope.REGION else ""
    members = PoolMember.objects.visible_to(user).select_related(
        "region", "profession", "level", "competence"
    )
    if region_code:
        members = members.filter(region__code=region_code)
    if profession_id:
        members = members.filter(profession_id=profession_id)
    if level_id:
        members = members.filter(level_id=level_id)
    if on:
        members = members.filter(is_active=True, available_from__lte=on).filter(
            Q(available_to__isnull=True) | Q(available_to__gte=on)
        )
    context = {
        "members": members,
        "professions": Profession.objects.visible_to(user),
        "levels": CompetenceLevel.objects.visible_to(user),
        "regions": Region.objects.order_by("code") if user.scope != Scope.REGION else [],
        "profession_id": profession_id,
        "level_id": level_id,
        "on": on,
        "region_code": region_code,
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
