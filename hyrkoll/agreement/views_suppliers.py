"""The agreement register's suppliers: the list (filtered by sub-area, a day in force, a search),
a supplier's page, and the coordinator's forms for suppliers and their admissions to sub-areas."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from hyrkoll.agreement.access import CoordinatorOnly, is_coordinator
from hyrkoll.agreement.forms import SupplierAdmissionForm, SupplierForm
from hyrkoll.agreement.models import SubArea, Supplier, SupplierAdmission
from hyrkoll.audit import services as audit
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.lib.listing import Listing


def _parse_date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


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
