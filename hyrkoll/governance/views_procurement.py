"""Joint procurements: the list, a procurement with the live count, the regions' declarations and
the accession timetable; the coordinator's editing; a region filing its declaration of intent."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView
from hyrkoll.governance import services_procurement as services
from hyrkoll.governance.forms_procurement import DeclarationForm, ProcurementForm
from hyrkoll.governance.models import Declaration, Procurement
from hyrkoll.lib.listing import Listing, PeriodFilter


class CoordinatorOnly:
    def can_change(self, user: Any) -> bool:
        return services.can_manage_procurements(user)


@login_required
def procurement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    listing = Listing(
        request,
        services.with_counts(Procurement.objects.visible_to(request.user)),
        sorts={
            "name": "name",
            "deadline": "declaration_deadline",
            "starts": "starts_on",
            "joining": "joining_count",
        },
        filters=[PeriodFilter(_("Deadline for declarations"), "declaration_deadline")],
    )
    procurements = listing.rows
    names = services.sub_area_names()  # once for the page, not once per procurement
    rows = [
        (
            p,
            services.count_status(p, today),
            services.is_open(p, today),
            {code: names.get(code, code) for code in p.sub_area_codes()},
        )
        for p in procurements
    ]
    context = {"rows": rows, "listing": listing, "can_manage": services.can_manage_procurements(request.user)}
    return render(request, "governance/procurement_list.html", context)


@login_required
def procurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    procurement = get_object_or_404(services.with_counts(Procurement.objects.visible_to(request.user)), pk=pk)
    codes = procurement.sub_area_codes()
    names = services.sub_area_names(codes)
    rows = services.region_rows(procurement)
    own = next((r for r in rows if r.region.pk == getattr(request.user, "region_id", None)), None)
    svg = services.timeline_svg(
        rows, codes, names, _("Accession timetable: %(name)s") % {"name": procurement}
    )
    context = {
        "procurement": procurement,
        "status": services.count_status(procurement, today),
        "is_open": services.is_open(procurement, today),
        "sub_areas": [(code, names[code]) for code in codes],
        "rows": rows,
        "timeline_svg": mark_safe(svg),  # noqa: S308 - built from escaped values in services_procurement
        "can_manage": services.can_manage_procurements(request.user),
        "can_declare": services.can_declare(request.user),
        "own_declaration": own.declaration if own else None,
        "document_ids": {
            r.declaration.pk
            for r in rows
            if r.declaration
            and r.declaration.document
            and services.can_see_document(request.user, r.declaration)
        },
    }
    return render(request, "governance/procurement_detail.html", context)


class ProcurementCreateView(CoordinatorOnly, AuditedCreateView):
    model = Procurement
    form_class = ProcurementForm
    title = gettext_lazy("New joint procurement")

    def get_success_url(self) -> str:
        if getattr(self, "object", None) is not None and self.object.pk:
            return reverse("governance:procurement_detail", args=[self.object.pk])
        return reverse("governance:procurements")


class ProcurementUpdateView(CoordinatorOnly, AuditedUpdateView):
    model = Procurement
    form_class = ProcurementForm
    title = gettext_lazy("Change the joint procurement")

    def get_success_url(self) -> str:
        return reverse("governance:procurement_detail", args=[self.object.pk])


@login_required
def declaration_create(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = get_object_or_404(Procurement.objects.visible_to(request.user), pk=pk)
    detail_url = reverse("governance:procurement_detail", args=[procurement.pk])
    user: Any = request.user
    if not services.can_declare(user):
        messages.error(
            request, _("Only region administrators and steering-group members can declare for their region.")
        )
        return redirect(detail_url)
    max_mb = f"{services.max_attachment_bytes() / (1024 * 1024):g}"
    form = DeclarationForm(
        request.POST or None,
        request.FILES or None,
        procurement=procurement,
        max_mb=max_mb,
        initial={"region": user.region_id},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.file_declaration(
                    user,
                    procurement,
                    region=data.get("region") or None,
                    joins=data["joins"],
                    sub_areas=data["sub_areas"],
                    decided_by=data["decided_by"],
                    decided_on=data["decided_on"],
                    document=data.get("document") or None,
                )
            except services.DeclarationError as error:
                messages.error(request, error.message)
                if error.field in form.fields:
                    form.add_error(error.field, error.message)
                status = 400
            else:
                messages.success(
                    request, _("The declaration of intent of %(region)s is filed.") % {"region": user.region}
                )
                return redirect(detail_url)
        else:
            messages.error(request, _("The declaration was not filed: please correct the form."))
            status = 400
    elif not services.is_open(procurement):
        messages.error(request, _("Declarations for this procurement are closed."))
        return redirect(detail_url)
    elif Declaration.objects.filter(procurement=procurement, region_id=user.region_id).exists():
        messages.error(
            request, _("%(region)s has already declared for this procurement.") % {"region": user.region}
        )
        return redirect(detail_url)
    context = {
        "procurement": procurement,
        "form": form,
        "region": user.region,
        "title": _("Declaration of intent: %(name)s") % {"name": procurement},
        "cancel_url": detail_url,
        "submit_label": _("File the declaration"),
    }
    return render(request, "governance/procurement_declaration_form.html", context, status=status)


@login_required
def declaration_document(request: HttpRequest, pk: int) -> FileResponse:
    """The decision document: only for the declaring region's users and the national level."""
    declaration = get_object_or_404(Declaration.objects.select_related("region"), pk=pk)
    if not declaration.document or not services.can_see_document(request.user, declaration):
        raise Http404
    response = FileResponse(
        declaration.document.open("rb"),
        as_attachment=True,
        filename=f"beslut-{declaration.region.code}-{declaration.procurement_id}"
        f"{os.path.splitext(declaration.document.name)[1] or '.pdf'}",
        content_type="application/pdf",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
