"""The region's imports (licence register, former employees), the call-off unit's verification of
offered consultants' credentials, and a supplier's read-only view of its own consultants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.accounts.models import Scope
from hyrkoll.agreement.models import Profession, Supplier
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.consultants.forms import CredentialForm, FormerEmployeesImportForm, LicenceRegisterImportForm
from hyrkoll.consultants.imports import (
    ImportFileError,
    ImportResult,
    import_former_employees,
    import_licence_register,
)
from hyrkoll.consultants.models import (
    Consultant,
    ConsultantCredential,
    CredentialSource,
    FormerEmployee,
    LicenceRegisterEntry,
)
from hyrkoll.lib.listing import Listing, ModelFilter, OptionFilter, TextFilter
from hyrkoll.ordering import permissions
from hyrkoll.ordering.models import Offer
from hyrkoll.organisation.models import Region


def can_import(user: Any) -> bool:
    """The call-off unit and region administrators import into their own region (only)."""
    if not user.is_authenticated or user.scope != Scope.REGION or not user.region_id:
        return False
    return bool(user.is_region_admin or permissions.is_call_off_unit(user, user.region_id))


def _import_view(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    importer: Callable[[Any, Region, bytes, str], ImportResult],
    current: QuerySet,
    title: str,
    intro: str,
    success: str,
) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied
    # Always the user's own region: nothing in the request can point the import elsewhere.
    region: Region = request.user.region  # type: ignore[union-attr]
    form = form_class(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size is not None and upload.size > 5 * 1024 * 1024:
            errors = [_("The file is larger than 5 MB.")]
        else:
            try:
                result = importer(request.user, region, upload.read(), upload.name)
            except ImportFileError as error:
                errors = error.errors
            else:
                messages.success(request, success % {"rows": result.rows, "removed": result.removed})
                return redirect(request.path)
    context = {
        "form": form,
        "errors": errors,
        "title": title,
        "intro": intro,
        "region": region,
        "current_rows": current.count(),
        "imported_at": current.aggregate(at=Max("imported_at"))["at"],
    }
    return render(request, "consultants/import.html", context)


@login_required
def licence_register_import(request: HttpRequest) -> HttpResponse:
    return _import_view(
        request,
        form_class=LicenceRegisterImportForm,
        importer=import_licence_register,
        current=LicenceRegisterEntry.objects.visible_to(request.user).filter(
            region_id=request.user.region_id
        ),
        title=_("Import the licence-register extract"),
        intro=_(
            "The extract is a snapshot of the licence register (HOSP): the file replaces the region's "
            "whole extract. Profession is a code (doctor, nurse, midwife), competence a competence code "
            "(e.g. spec_general_medicine) or empty. The whole file is checked first; if any row is wrong "
            "nothing is changed."
        ),
        success=_("%(rows)d licence-register rows imported; %(removed)d earlier rows replaced."),
    )


@login_required
def former_employees_import(request: HttpRequest) -> HttpResponse:
    return _import_view(
        request,
        form_class=FormerEmployeesImportForm,
        importer=import_former_employees,
        current=FormerEmployee.objects.visible_to(request.user).filter(region_id=request.user.region_id),
        title=_("Import former employees"),
        intro=_(
            "Used for the 12-month cooling-off (karens) check of offered consultants. The file replaces "
            "the region's whole list. Personal identity numbers are not stored: only a keyed hash of each "
            "is kept. The whole file is checked first; if any row is wrong nothing is changed."
        ),
        success=_("%(rows)d former employees imported; %(removed)d earlier rows replaced."),
    )


# --- Credentials -----------------------------------------------------------------------------------------


def _require_call_off_unit(request: HttpRequest) -> None:
    user: Any = request.user
    if not (user.scope == Scope.REGION and permissions.is_call_off_unit(user, user.region_id)):
        raise PermissionDenied


def _offered_consultants(user: Any) -> QuerySet[Consultant]:
    """Consultants offered on the user's region's call-offs.

    Consultants and their credentials belong to suppliers, so a region sees them only through its
    own offers: ``Offer.objects.visible_to`` is the scope here.
    """
    offered = Offer.objects.visible_to(user).values("consultant_id")
    return Consultant.objects.filter(pk__in=offered).select_related("supplier", "profession", "competence")


def _with_credentials(consultants: QuerySet[Consultant]) -> QuerySet[Consultant]:
    credentials = ConsultantCredential.objects.select_related("profession", "competence", "verified_by")
    return consultants.prefetch_related(Prefetch("credentials", queryset=credentials))


@login_required
def credentials(request: HttpRequest) -> HttpResponse:
    _require_call_off_unit(request)
    consultants = (
        _with_credentials(_offered_consultants(request.user))
        .annotate(latest_verified=Max("credentials__verified_at"))
        .order_by("last_name", "first_name")
    )
    listing = Listing(
        request,
        consultants,
        sorts={
            "consultant": ("last_name", "first_name"),
            "supplier": "supplier__name",
            "profession": "profession__name",
            "licence": "licence_number",
            "verified": "latest_verified",
        },
        filters=[
            TextFilter("name", _("Name"), ["first_name", "last_name"]),
            ModelFilter("supplier", _("Supplier"), "supplier", Supplier.objects.order_by("name")),
            ModelFilter("profession", _("Profession"), "profession", Profession.objects.order_by("name")),
            OptionFilter(
                "verified",
                _("Verification"),
                {
                    "yes": (_("Verified"), Q(latest_verified__isnull=False)),
                    "no": (_("Not verified"), Q(latest_verified__isnull=True)),
                },
            ),
        ],
    )
    context = {"consultants": listing.rows, "listing": listing}
    return render(request, "consultants/credential_list.html", context)


@login_required
def credential_verify(request: HttpRequest, pk: int) -> HttpResponse:
    _require_call_off_unit(request)
    consultant = get_object_or_404(_with_credentials(_offered_consultants(request.user)), pk=pk)
    initial = ConsultantCredential(
        consultant=consultant,
        licence_number=consultant.licence_number,
        profession=consultant.profession,
        competence=consultant.competence,
        licensed_on=consultant.licensed_on,
        specialist_since=consultant.specialist_since,
        source=CredentialSource.EVIDENCE,
    )
    form = CredentialForm(request.POST or None, instance=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        credential = form.save(commit=False)
        credential.consultant = consultant
        credential.source = CredentialSource.EVIDENCE
        credential.verified_by = request.user
        credential.verified_at = timezone.now()
        with transaction.atomic():
            credential.save()
            audit.record(
                request.user,
                AuditAction.CREATE,
                credential,
                region_id=request.user.region_id,
                reason=f"Credential verified for {consultant}",
            )
        messages.success(request, _("The verified credential was recorded."))
        return redirect("consultants:credential_verify", pk=consultant.pk)
    context = {
        "consultant": consultant,
        "form": form,
        "cancel_url": reverse("consultants:credentials"),
    }
    return render(request, "consultants/credential_verify.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A supplier's own consultants and their verified credentials, read-only."""
    if not permissions.is_supplier_user(request.user):
        raise PermissionDenied
    consultants = _with_credentials(
        Consultant.objects.visible_to(request.user).select_related("profession", "competence")
    )
    return render(request, "consultants/mine.html", {"consultants": consultants})
