from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hyrkoll.audit import services as audit
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.organisation.forms import OrgUnitForm
from hyrkoll.organisation.models import OrgUnit, Region


def can_change_organisation(user: Any, region_id: int | None) -> bool:
    return bool(user.is_authenticated and user.is_region_admin and region_id == user.region_id)


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The region's organisation as a tree. National users pick a region with ?region=14."""
    user = request.user
    units = OrgUnit.objects.visible_to(user).select_related("municipality", "care_area")
    regions = Region.objects.filter(pk__in=units.values("region")).order_by("code")
    region = None
    if user.region_id:
        region = user.region
    elif request.GET.get("region"):
        region = get_object_or_404(regions, code=request.GET["region"])
    elif regions:
        region = regions[0]
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    if region is not None:
        for unit in units.filter(region=region).order_by("kind", "name"):
            children[unit.parent_id].append(unit)
    context = {
        "region": region,
        "regions": regions if not user.region_id else [],
        "children": children,
        "roots": children.get(None, []),
        "can_change": can_change_organisation(user, region.pk if region else None),
        "unit_count": sum(len(v) for v in children.values()),
    }
    return render(request, "organisation/unit_tree.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.visible_to(request.user).select_related(
            "region", "municipality", "care_area", "parent"
        ),
        pk=pk,
    )
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": unit.children.order_by("name"),
        "can_change": can_change_organisation(request.user, unit.region_id),
        "history": audit.history(unit)[:20],
    }
    return render(request, "organisation/unit_detail.html", context)


class OrgUnitCreateView(AuditedCreateView):
    model = OrgUnit
    form_class = OrgUnitForm
    title = _("New organisational unit")

    def can_change(self, user: Any) -> bool:
        return can_change_organisation(user, user.region_id)

    def get_initial(self) -> dict[str, Any]:
        return {"parent": self.request.GET.get("parent")}

    def get_success_url(self) -> str:
        if self.object:
            return reverse("organisation:unit_detail", args=[self.object.pk])
        return reverse("organisation:units")


class OrgUnitUpdateView(AuditedUpdateView):
    model = OrgUnit
    form_class = OrgUnitForm
    title = _("Edit organisational unit")

    def can_change(self, user: Any) -> bool:
        unit = get_object_or_404(OrgUnit.objects.visible_to(user), pk=self.kwargs["pk"])
        return can_change_organisation(user, unit.region_id)

    def get_success_url(self) -> str:
        return reverse("organisation:unit_detail", args=[self.object.pk])
