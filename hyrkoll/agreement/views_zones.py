"""The agreement register's geography: the municipalities' price zones (with the coordinator's file
import) and the regions' accessions to the agreement's sub-areas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrkoll.agreement.access import CoordinatorOnly, is_coordinator, require_coordinator
from hyrkoll.agreement.forms import RegionAccessionForm, ZoneImportForm
from hyrkoll.agreement.models import RegionAccession, SubArea
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.lib.listing import Listing
from hyrkoll.organisation.models import Municipality, Region
from hyrkoll.organisation.zones import ZoneImportError, import_zones


@login_required
def zones(request: HttpRequest) -> HttpResponse:
    region_code = request.GET.get("region", "")
    municipalities = Municipality.objects.visible_to(request.user).select_related("region")
    if region_code:
        municipalities = municipalities.filter(region__code=region_code)
    listing = Listing(
        request,
        municipalities,
        sorts={
            "code": "code",
            "name": "name",
            "region": "region__name",
            "zone": "zone",
            "source": "zone_source",
        },
    )
    context = {
        "municipalities": listing.rows,
        "listing": listing,
        "regions": Region.objects.all(),
        "region_code": region_code,
        "can_change": is_coordinator(request.user),
    }
    return render(request, "agreement/zone_list.html", context)


@login_required
def zone_import(request: HttpRequest) -> HttpResponse:
    require_coordinator(request)
    form = ZoneImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_zones(request.user, upload.read(), upload.name)
        except ZoneImportError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("%(rows)d rows read; %(changed)d municipalities changed.")
                % {"rows": result.rows, "changed": len(result.changed)},
            )
            return redirect("agreement:zones")
    return render(request, "agreement/zone_import.html", {"form": form, "errors": errors})


@login_required
def accessions(request: HttpRequest) -> HttpResponse:
    sub_areas = list(SubArea.objects.visible_to(request.user))
    dates = {(a.region_id, a.sub_area_id): a for a in RegionAccession.objects.visible_to(request.user)}
    rows = [(region, [dates.get((region.pk, s.pk)) for s in sub_areas]) for region in Region.objects.all()]
    context = {"sub_areas": sub_areas, "rows": rows, "can_change": is_coordinator(request.user)}
    return render(request, "agreement/accession_list.html", context)


class AccessionCreateView(CoordinatorOnly, AuditedCreateView):
    model = RegionAccession
    form_class = RegionAccessionForm
    title = gettext_lazy("Record a region's accession")

    def get_success_url(self) -> str:
        return reverse("agreement:accessions")


class AccessionUpdateView(CoordinatorOnly, AuditedUpdateView):
    model = RegionAccession
    form_class = RegionAccessionForm
    title = gettext_lazy("Change an accession date")

    def get_success_url(self) -> str:
        return reverse("agreement:accessions")
