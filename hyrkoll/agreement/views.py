"""The agreement register in the app: everyone signed in reads it; the coordinator changes it.

This module holds the overview and the agreement's own rows: the agreement, its extensions and
parameters, and the specialties excluded from a sub-area. The suppliers and their admissions are in
``views_suppliers``, the price lists in ``views_price_lists``, the zones and the regions' accessions
in ``views_zones``; who may change what is in ``access``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hyrkoll.agreement.access import CoordinatorOnly, is_coordinator, require_coordinator
from hyrkoll.agreement.forms import (
    AgreementExtensionForm,
    AgreementParameterForm,
    ExcludedSpecialtyForm,
    FrameworkAgreementForm,
)
from hyrkoll.agreement.models import (
    AgreementExtension,
    AgreementParameter,
    ExcludedSpecialty,
    FrameworkAgreement,
    SubArea,
)
from hyrkoll.audit import services as audit
from hyrkoll.core.generic import AuditedCreateView, AuditedUpdateView

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
    require_coordinator(request)
    specialty = get_object_or_404(ExcludedSpecialty.objects.visible_to(request.user), pk=pk)
    with transaction.atomic():
        audit.record_deletion(request.user, specialty)
        specialty.delete()
    messages.success(request, _("The exclusion was removed."))
    return redirect("agreement:overview")
