"""The agreement register in the app: everyone signed in reads it; the coordinator changes it."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hyrkoll.agreement import services
from hyrkoll.agreement.forms import (
    AgreementExtensionForm,
    AgreementParameterForm,
    ExcludedSpecialtyForm,
    FrameworkAgreementForm,
    PriceListVersionForm,
    PriceMatrixForm,
    RegionAccessionForm,
    SupplierAdmissionForm,
    SupplierForm,
    ZoneImportForm,
)
from hyrkoll.agreement.models import (
    AgreementExtension,
    AgreementParameter,
    CompetenceLevel,
    ExcludedSpecialty,
    FrameworkAgreement,
    PriceList,
    RegionAccession,
    SubArea,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.audit import services as audit
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.lib.listing import Listing
from hyrkoll.organisation.models import Municipality, Region
from hyrkoll.organisation.zones import ZoneImportError, import_zones


def is_coordinator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_coordinator)


def _require_coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):
        raise PermissionDenied


class CoordinatorOnly:
    def can_change(self, user: Any) -> bool:
        return is_coordinator(user)


def _parse_date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


# --- Agreement and sub-areas ----------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    agreements = FrameworkAgreement.objects.visible_to(request.user).prefetch_related(
        "extensions", "sub_areas__excluded_specialties", "parameters"
    )
    return render(
        request,
        "agreement/overview.html",
        {
            "agreements": agreements,
            "can_change": is_coordinator(request.user),
            "today": datetime.date.today(),
        },
    )


class AgreementUpdateView(CoordinatorOnly, AuditedUpdateView):
    model = FrameworkAgreement
    form_class = FrameworkAgreementForm
    title = gettext_lazy("Edit the agreement")

    def get_success_url(self) -> str:
        return reverse("agreement:overview")


class _AgreementChildCreateView(CoordinatorOnly, AuditedCreateView):
    """Creates a row that belongs to the agreement in the URL."""

    def agreement(self) -> FrameworkAgreement:
        return get_object_or_404(
            FrameworkAgreement.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(agreement=self.agreement())
        return kwargs

    def get_success_url(self) -> str:
        return reverse("agreement:overview")


class ExtensionCreateView(_AgreementChildCreateView):
    model = AgreementExtension
    form_class = AgreementExtensionForm
    title = gettext_lazy("Record an extension")


class ParameterCreateView(_AgreementChildCreateView):
    model = AgreementParameter
    form_class = AgreementParameterForm
    title = gettext_lazy("New value of an agreement parameter")


class ExcludedSpecialtyCreateView(CoordinatorOnly, AuditedCreateView):
    model = ExcludedSpecialty
    form_class = ExcludedSpecialtyForm
    title = gettext_lazy("Exclude a specialty from the sub-area")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        sub_area = get_object_or_404(SubArea.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        kwargs["instance"] = ExcludedSpecialty(sub_area=sub_area)
        return kwargs

    def get_success_url(self) -> str:
        return reverse("agreement:overview")


@login_required
@require_POST
def excluded_specialty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    specialty = get_object_or_404(ExcludedSpecialty.objects.visible_to(request.user), pk=pk)
    with transaction.atomic():
        audit.record_deletion(request.user, specialty)
        specialty.delete()
    messages.success(request, _("The exclusion was removed."))
    return redirect("agreement:overview")


# --- Suppliers and admissions ---------------------------------------------------------------------


@login_required
def suppliers(request: HttpRequest) -> HttpResponse:
    on = _parse_date(request.GET.get("on"))
    sub_area_code = request.GET.get("sub_area", "")
    query = request.GET.get("q", "").strip()
    admissions = SupplierAdmission.objects.select_related("sub_area").order_by("sub_area", "admitted_on")
    if on:
        admissions = admissions.in_force(on)
    if sub_area_code:
        admissions = admissions.filter(sub_area__code=sub_area_code)
    rows = Supplier.objects.visible_to(request.user).prefetch_related(
        Prefetch("admissions", queryset=admissions, to_attr="shown_admissions")
    )
    if on or sub_area_code:
        rows = rows.filter(admissions__in=admissions).distinct()
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(org_no__icontains=query))
    listing = Listing(request, rows, sorts={"name": "name", "org_no": "org_no"})
    context = {
        "suppliers": listing.rows,
        "listing": listing,
        "sub_areas": SubArea.objects.visible_to(request.user),
        "sub_area_code": sub_area_code,
        "on": on,
        "query": query,
        "can_change": is_coordinator(request.user),
    }
    return render(request, "agreement/supplier_list.html", context)


@login_required
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier = get_object_or_404(Supplier.objects.visible_to(request.user), pk=pk)
    context = {
        "supplier": supplier,
        "admissions": supplier.admissions.select_related("sub_area"),
        "can_change": is_coordinator(request.user),
        "history": audit.history(supplier)[:20] if is_coordinator(request.user) else [],
    }
    return render(request, "agreement/supplier_detail.html", context)


class SupplierCreateView(CoordinatorOnly, AuditedCreateView):
    model = Supplier
    form_class = SupplierForm
    title = gettext_lazy("New supplier")

    def get_success_url(self) -> str:
        return reverse("agreement:supplier_detail", args=[self.object.pk]) if self.object else ""


class SupplierUpdateView(CoordinatorOnly, AuditedUpdateView):
    model = Supplier
    form_class = SupplierForm
    title = gettext_lazy("Edit supplier")

    def get_success_url(self) -> str:
        return reverse("agreement:supplier_detail", args=[self.object.pk])


class AdmissionCreateView(CoordinatorOnly, AuditedCreateView):
    model = SupplierAdmission
    form_class = SupplierAdmissionForm
    title = gettext_lazy("Admit the supplier to a sub-area")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        supplier = get_object_or_404(Supplier.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        kwargs["instance"] = SupplierAdmission(supplier=supplier)
        return kwargs

    def get_success_url(self) -> str:
        return reverse("agreement:supplier_detail", args=[self.kwargs["pk"]])


class AdmissionUpdateView(CoordinatorOnly, AuditedUpdateView):
    model = SupplierAdmission
    form_class = SupplierAdmissionForm
    title = gettext_lazy("Change an admission (e.g. set the exit date)")

    def get_success_url(self) -> str:
        return reverse("agreement:supplier_detail", args=[self.object.supplier_id])


# --- Price lists ----------------------------------------------------------------------------------


@login_required
def price_lists(request: HttpRequest) -> HttpResponse:
    today = datetime.date.today()
    lists = PriceList.objects.visible_to(request.user).select_related("agreement")
    in_force = set(lists.in_force(today).values_list("pk", flat=True))
    listing = Listing(
        request,
        lists,
        sorts={
            "version": "version",
            "agreement": "agreement__reference",
            "from": "valid_from",
            "to": "valid_to",
        },
    )
    context = {
        "price_lists": listing.rows,
        "listing": listing,
        "in_force": in_force,
        "can_change": is_coordinator(request.user),
    }
    return render(request, "agreement/price_list_list.html", context)


@login_required
def price_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    price_list = get_object_or_404(
        PriceList.objects.visible_to(request.user).select_related("agreement"), pk=pk
    )
    prices = {(p.level_id, p.zone): p.hourly_sek for p in price_list.prices.all()}
    rows = [
        (level, [prices.get((level.pk, zone)) for zone in (1, 2, 3)])
        for level in CompetenceLevel.objects.order_by("sub_area_code", "rank")
    ]
    context = {
        "price_list": price_list,
        "rows": rows,
        "supplements": price_list.supplements.prefetch_related("regions"),
        "can_change": is_coordinator(request.user),
        "history": audit.history(price_list)[:20],
    }
    return render(request, "agreement/price_list_detail.html", context)


@login_required
def price_list_create(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    agreement = FrameworkAgreement.objects.order_by("-starts_on").first()
    if agreement is None:
        raise PermissionDenied
    form = PriceListVersionForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            price_list = services.create_price_list_version(
                request.user,
                agreement,
                version=form.cleaned_data["version"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                note=form.cleaned_data["note"],
                copy_from=form.cleaned_data["copy_from"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Price list version %(v)s created.") % {"v": price_list.version})
            return redirect("agreement:price_list_detail", pk=price_list.pk)
    context = {
        "form": form,
        "title": _("New price-list version"),
        "intro": _("An open-ended earlier version is closed the day before the new one starts."),
        "cancel_url": reverse("agreement:price_lists"),
    }
    return render(request, "form.html", context)


@login_required
def price_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    price_list = get_object_or_404(PriceList.objects.visible_to(request.user), pk=pk)
    form = PriceMatrixForm(request.POST or None, price_list=price_list)
    if request.method == "POST" and form.is_valid():
        changed = services.update_prices(
            request.user, price_list, form.prices(), form.supplements(), form.cleaned_data["reason"]
        )
        messages.success(request, _("Prices saved.") if changed else _("Nothing was changed."))
        return redirect("agreement:price_list_detail", pk=price_list.pk)
    return render(request, "agreement/price_list_edit.html", {"form": form, "price_list": price_list})


# --- Zones and accessions -------------------------------------------------------------------------


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
    _require_coordinator(request)
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
