"""Pages for the follow-up data: cost and metrics imports (upload, progress, result), the regions'
targets and the publication of the Bemanningstrend.

Who may do what:
- Upload: a region's controller (the file may only hold their region) and the national
  coordinator (any regions). Superusers count as national.
- View imports: every region and national user, through ``CostImport.objects.visible_to``
  (a region sees the imports of its own region). Suppliers get 403.
- Targets: a region's controller or administrator sets its region's targets; the coordinator
  any region's.
- Publication: the coordinator only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.followup import importing
from hyrkoll.followup.access import can_follow_up, published_through
from hyrkoll.followup.forms_imports import ImportUploadForm, PublishForm, TargetForm
from hyrkoll.followup.models import (
    CostImport,
    CostType,
    ImportKind,
    ImportStatus,
    MetricKind,
    RegionTarget,
    TrendPublication,
)
from hyrkoll.followup.uploads import (
    can_upload,
    is_national_coordinator,
    is_region_user,
    queue_upload,
    upload_region,
)
from hyrkoll.lib.listing import ChoiceFilter, Listing, PeriodFilter, region_filter
from hyrkoll.organisation.models import Region

# --- Permissions ----------------------------------------------------------------------------------------------


def can_set_targets(user: Any, region: Region | None = None) -> bool:
    """May ``user`` set targets (for ``region``, if given)?"""
    if not user.is_authenticated:
        return False
    if is_national_coordinator(user):
        return True
    if not (is_region_user(user) and user.has_role(Role.CONTROLLER, Role.REGION_ADMIN)):
        return False
    return region is None or region.pk == user.region_id


def can_publish(user: Any) -> bool:
    return bool(user.is_authenticated and is_national_coordinator(user))


def _require_follow_up(user: Any) -> None:
    if not can_follow_up(user):
        raise PermissionDenied


# --- Imports --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    _require_follow_up(request.user)
    user = request.user
    imports = CostImport.objects.visible_to(user).select_related("region", "created_by")
    listing = Listing(
        request,
        imports,
        sorts={
            "file": "filename",
            "kind": "kind",
            "region": "region__name",
            "uploaded": "created_at",
            "by": "created_by__last_name",
            "status": "status",
            "lines": "lines",
            "entries": "entries",
        },
        filters=[
            ChoiceFilter("kind", _("Kind"), "kind", ImportKind.choices),
            ChoiceFilter("status", _("Status"), "status", ImportStatus.choices),
            region_filter(user),
            PeriodFilter(_("Uploaded"), "created_at__date"),
        ],
    )
    page = Paginator(listing.rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/import_list.html",
        {
            "page_obj": page,
            "listing": listing,
            "object_list": page.object_list,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "can_upload": can_upload(request.user),
            "can_set_targets": can_set_targets(request.user),
            "can_publish": can_publish(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can_upload(user):
        raise PermissionDenied
    region = upload_region(user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cost_import = queue_upload(user, form.cleaned_data)
        messages.success(request, _("The file is uploaded and queued for import."))
        return redirect("followup:import_detail", pk=cost_import.pk)
    return render(request, "followup/import_upload.html", {"form": form, "region": region})


def _visible_import(request: HttpRequest, pk: int) -> CostImport:
    _require_follow_up(request.user)
    return get_object_or_404(
        CostImport.objects.visible_to(request.user).select_related("region", "created_by"), pk=pk
    )


def _progress_text(cost_import: CostImport) -> str:
    if cost_import.status == ImportStatus.QUEUED:
        return _("Waiting to start.")
    if cost_import.status == ImportStatus.RUNNING:
        if not cost_import.lines:
            return _("Reading the file.")
        return _("%(done)s of %(total)s lines read (%(pct)d %%).") % {
            "done": f"{cost_import.lines_done:,}".replace(",", "\u00a0"),
            "total": f"{cost_import.lines:,}".replace(",", "\u00a0"),
            "pct": cost_import.progress_pct,
        }
    if cost_import.status == ImportStatus.DONE:
        return _("Imported.")
    return _("Rejected; nothing was changed.")


def _totals(cost_import: CostImport) -> list[tuple[str, str]]:
    labels = dict(CostType.choices) if cost_import.kind == ImportKind.COSTS else dict(MetricKind.choices)
    return [(str(labels.get(code, code)), value) for code, value in (cost_import.totals or {}).items()]


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cost_import = _visible_import(request, pk)
    errors = cost_import.errors or []
    duplicate_of = next((e["duplicate_of"] for e in errors if e.get("duplicate_of")), None)
    context = {
        "cost_import": cost_import,
        "finished": cost_import.status in (ImportStatus.DONE, ImportStatus.REJECTED),
        "progress_text": _progress_text(cost_import),
        "row_errors": [e for e in errors if not e.get("more")],
        "more_errors": next((e["more"] for e in errors if e.get("more")), 0),
        "error_count": importing.error_count(cost_import),
        "totals": _totals(cost_import),
        "duplicate_of": duplicate_of,
        "status_url": reverse("followup:import_status", args=[cost_import.pk]),
    }
    return render(request, "followup/import_detail.html", context)


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    cost_import = _visible_import(request, pk)
    return JsonResponse(
        {
            "status": cost_import.status,
            "status_label": str(cost_import.get_status_display()),
            "progress_pct": cost_import.progress_pct,
            "lines": cost_import.lines,
            "lines_done": cost_import.lines_done,
            "errors": importing.error_count(cost_import),
            "finished": cost_import.status in (ImportStatus.DONE, ImportStatus.REJECTED),
            "text": _progress_text(cost_import),
        }
    )


# --- Targets -----------------------------------------------------------------------------------------------


def _save_target(user: Any, region: Region, data: dict[str, Any]) -> RegionTarget:
    with transaction.atomic():
        target = RegionTarget.objects.select_for_update().filter(region=region, year=data["year"]).first()
        if target is None:
            target = RegionTarget.objects.create(
                region=region, year=data["year"], share_pct=data["share_pct"], note=data["note"]
            )
            audit.record(user, AuditAction.CREATE, target)
        else:
            before = audit.snapshot(target)
            target.share_pct, target.note = data["share_pct"], data["note"]
            target.save(update_fields=["share_pct", "note"])
            audit.record(user, AuditAction.UPDATE, target, before=before)
    return target


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_follow_up(user)
    national = is_national_coordinator(user) or user.scope == Scope.NATIONAL
    own_region: Region | None = None if national else user.region
    visible = RegionTarget.objects.visible_to(user).select_related("region").order_by("region__code", "year")
    form = TargetForm(request.POST or None, region=own_region) if can_set_targets(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        delete_pk = request.POST.get("delete")
        if delete_pk:
            target = get_object_or_404(visible, pk=delete_pk)
            if not can_set_targets(user, target.region):
                raise PermissionDenied
            with transaction.atomic():
                audit.record_deletion(user, target, reason="Target removed")
                target.delete()
            messages.success(request, _("The target was removed."))
            return redirect("followup:targets")
        if form.is_valid():
            region = own_region or form.cleaned_data["region"]
            if not can_set_targets(user, region):
                raise PermissionDenied
            target = _save_target(user, region, form.cleaned_data)
            messages.success(
                request,
                _("The target for %(region)s %(year)d is saved: %(pct)s %%.")
                % {"region": region.name, "year": target.year, "pct": target.share_pct},
            )
            return redirect("followup:targets")
    return render(
        request,
        "followup/import_targets.html",
        {"targets": visible, "form": form, "region": own_region},
    )


# --- Publication -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can_publish(user):
        raise PermissionDenied
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            publication = TrendPublication.objects.create(
                through_month=form.cleaned_data["through_month"],
                published_by=user,
                note=form.cleaned_data["note"],
            )
            audit.record(user, AuditAction.CREATE, publication, reason="Bemanningstrend published")
        messages.success(
            request,
            _("The Bemanningstrend is published up to and including %(month)s.")
            % {"month": f"{publication.through_month:%Y-%m}"},
        )
        return redirect("followup:publish")
    return render(
        request,
        "followup/import_publish.html",
        {
            "form": form,
            "publications": TrendPublication.objects.select_related("published_by")[:50],
            "published_through": published_through(),
        },
    )
