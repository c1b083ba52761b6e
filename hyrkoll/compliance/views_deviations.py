"""Supplier deviations and suspensions.

- Deviations: the region's users see their region's deviations, the national level every region's,
  a supplier the ones about itself (``visible_to``; another region's deviation is a 404). The
  call-off unit and the region administrator record and withdraw them.
- Suspensions: everyone signed in reads them (a supplier only its own); the coordinator suspends
  and lifts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrkoll.agreement.models import Supplier
from hyrkoll.audit.services import history
from hyrkoll.compliance import permissions, services
from hyrkoll.compliance.forms import DeviationForm, ReasonForm, SuspensionForm
from hyrkoll.compliance.models import DeviationKind, SupplierDeviation, Suspension
from hyrkoll.compliance.views_common import run_form_step
from hyrkoll.governance import exports
from hyrkoll.governance.exports import INT, Column, Table
from hyrkoll.lib.listing import ChoiceFilter, Listing, ModelFilter, OptionFilter, PeriodFilter, region_filter
from hyrkoll.ordering.views.common import form_error_messages, run_step
from hyrkoll.organisation.models import Region

# --- deviations -------------------------------------------------------------------------------------------


def _deviations(request: HttpRequest) -> QuerySet[SupplierDeviation]:
    return SupplierDeviation.objects.visible_to(request.user).select_related(
        "region", "supplier", "assignment__consultant", "recorded_by", "withdrawn_by"
    )


def _chosen_region(request: HttpRequest) -> Region | None:
    """A national user's ``?region=`` filter; None for everyone else (their scope limits them)."""
    if not permissions.is_national(request.user):
        return None
    code = request.GET.get("region", "").strip()
    return Region.objects.filter(code=code).first() if code else None


def count_table(counts: list[services.DeviationCount], caption: str, *, per_region: bool) -> Table:
    columns = [Column(_("Supplier"))]
    if per_region:
        columns.append(Column(_("Region")))
    columns += [Column(_("Deviations, last 12 months"), INT), Column(_("Escalation step"))]
    rows = [
        [
            c.supplier_name,
            *([f"{c.region_code} {c.region_name}"] if per_region else []),
            c.count,
            str(c.step.label),
        ]
        for c in counts
    ]
    return Table(name="counts", caption=caption, sheet=_("Counts"), columns=columns, rows=rows)


def deviation_table(rows: list[SupplierDeviation]) -> Table:
    return Table(
        name="deviations",
        caption=_("Supplier deviations"),
        sheet=_("Deviations"),
        columns=[
            Column(_("Date")),
            Column(_("Region")),
            Column(_("Supplier")),
            Column(_("Kind")),
            Column(_("Description")),
            Column(_("Assignment")),
            Column(_("Recorded by")),
            Column(_("Recorded at")),
            Column(_("Withdrawn")),
            Column(_("Reason for withdrawal")),
        ],
        rows=[
            [
                d.occurred_on.isoformat(),
                d.region.code,
                d.supplier.name,
                d.get_kind_display(),
                d.description,
                f"#{d.assignment_id}" if d.assignment_id else "",
                d.recorded_by.get_full_name() or d.recorded_by.username,
                timezone.localtime(d.recorded_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(d.withdrawn_at).strftime("%Y-%m-%d") if d.withdrawn_at else "",
                d.withdrawal_reason,
            ]
            for d in rows
        ],
    )


def _deviation_listing(request: HttpRequest) -> Listing:
    """The recorded deviations (the list and its download): region (national level) and supplier
    as for the counts, plus kind, counting or withdrawn and period; sortable."""
    user: Any = request.user
    suppliers = Supplier.objects.order_by("name")
    return Listing(
        request,
        _deviations(request).order_by("-occurred_on", "-pk"),
        sorts={
            "date": "occurred_on",
            "supplier": "supplier__name",
            "region": "region__code",
            "kind": "kind",
            "status": "withdrawn_at",
        },
        filters=[
            region_filter(user, by_code=True),
            ModelFilter("supplier", _("Supplier"), "supplier", suppliers)
            if permissions.can_read_region_data(user)
            else None,
            ChoiceFilter("kind", _("Kind"), "kind", DeviationKind.choices),
            OptionFilter(
                "state",
                _("Status"),
                {
                    "counts": (_("Counts"), Q(withdrawn_at__isnull=True)),
                    "withdrawn": (_("Withdrawn"), Q(withdrawn_at__isnull=False)),
                },
            ),
            PeriodFilter(_("Date"), "occurred_on"),
        ],
    )


@login_required
def deviation_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    deviations = _deviations(request)
    region = _chosen_region(request)
    if region is not None:
        deviations = deviations.filter(region=region)
    supplier_id = request.GET.get("supplier", "").strip()
    if supplier_id.isdigit():
        deviations = deviations.filter(supplier_id=int(supplier_id))
    start, _end = services.counting_window(today)
    per_region = services.deviation_counts(deviations, today)
    national = (
        services.deviation_counts(deviations, today, per_region=False)
        if permissions.is_national(user)
        else []
    )
    limit = services.deviations_before_penalty(today)
    listing = _deviation_listing(request)
    rows = list(listing.rows[:500])
    tables = [count_table(per_region, _("Deviations per supplier and region"), per_region=True)]
    if national:
        tables.append(count_table(national, _("Deviations per supplier, all regions"), per_region=False))
    fmt = exports.requested_format(request)
    if fmt:
        return exports.download([*tables, deviation_table(rows)], fmt, "supplier-deviations")
    context = {
        "tables": tables,
        "deviations": rows,
        "limit": limit,
        "window_start": start,
        "today": today,
        "region": region,
        "listing": listing,
        "may_record": permissions.is_region_user(user)
        and permissions.can_record_deviation(user, user.region_id),
    }
    return render(request, "compliance/deviation_list.html", context)


@login_required
def deviation_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (permissions.is_region_user(user) and permissions.can_record_deviation(user, user.region_id)):
        raise PermissionDenied
    region = user.region
    initial = {"occurred_on": timezone.localdate()}
    if request.GET.get("assignment", "").isdigit():
        initial["assignment"] = int(request.GET["assignment"])
    form = DeviationForm(request.POST or None, region_id=region.pk, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        deviation = run_form_step(
            form,
            lambda: services.record_deviation(
                user,
                data["supplier"],
                region,
                data["kind"],
                data["description"],
                data["occurred_on"],
                data["assignment"],
            ),
        )
        if deviation is not None:
            messages.success(request, _("The deviation is recorded."))
            return redirect("compliance:deviation_detail", pk=deviation.pk)
    return render(
        request,
        "compliance/form.html",
        {"form": form, "title": _("Record a supplier deviation"), "back": "compliance:deviations"},
    )


@login_required
def deviation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = get_object_or_404(_deviations(request), pk=pk)
    user: Any = request.user
    today = timezone.localdate()
    counts = services.deviation_counts(
        SupplierDeviation.objects.filter(region_id=deviation.region_id, supplier_id=deviation.supplier_id),
        today,
    )
    context = {
        "deviation": deviation,
        "count": counts[0] if counts else None,
        "may_withdraw": not deviation.is_withdrawn
        and permissions.can_record_deviation(user, deviation.region_id),
        "form": ReasonForm(),
        "events": history(deviation).order_by("at") if permissions.can_read_region_data(user) else [],
    }
    return render(request, "compliance/deviation_detail.html", context)


@login_required
@require_POST
def deviation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = get_object_or_404(_deviations(request), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
    else:
        run_step(
            request,
            lambda: services.withdraw_deviation(request.user, deviation, form.cleaned_data["reason"]),
            _("The deviation is withdrawn; it no longer counts."),
        )
    return redirect("compliance:deviation_detail", pk=deviation.pk)


# --- suspensions ------------------------------------------------------------------------------------------


def suspension_table(rows: list[Suspension], today: Any) -> Table:
    return Table(
        name="suspensions",
        caption=_("Suspensions of suppliers"),
        sheet=_("Suspensions"),
        columns=[
            Column(_("Supplier")),
            Column(_("Organisation number")),
            Column(_("Suspended from")),
            Column(_("Suspended until")),
            Column(_("Lifted from")),
            Column(_("In force today"), "yesno"),
            Column(_("Reason")),
            Column(_("Reason for lifting")),
        ],
        rows=[
            [
                s.supplier.name,
                s.supplier.org_no,
                s.starts_on.isoformat(),
                s.ends_on.isoformat(),
                s.lifted_on.isoformat() if s.lifted_on else "",
                s.is_in_force(today),
                s.reason,
                s.lift_reason,
            ]
            for s in rows
        ],
    )


@login_required
def suspension_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    listing = Listing(
        request,
        Suspension.objects.visible_to(user)
        .select_related("supplier", "created_by", "lifted_by")
        .order_by("-starts_on", "-pk"),
        sorts={"supplier": "supplier__name", "period": ("starts_on", "ends_on")},
    )
    rows = list(listing.rows)
    fmt = exports.requested_format(request)
    if fmt:
        return exports.download([suspension_table(rows, today)], fmt, "suspensions")
    context = {
        "rows": [(s, s.is_in_force(today), s.lifted_on is None and s.ends_on >= today) for s in rows],
        "listing": listing,
        "today": today,
        "may_suspend": permissions.can_suspend(user),
        "form": ReasonForm(),
    }
    return render(request, "compliance/suspension_list.html", context)


@login_required
def suspension_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_suspend(request.user):
        raise PermissionDenied
    initial: dict[str, Any] = {"starts_on": timezone.localdate()}
    if request.GET.get("supplier", "").isdigit():
        initial["supplier"] = int(request.GET["supplier"])
    form = SuspensionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        suspension = run_form_step(
            form,
            lambda: services.suspend(
                request.user, data["supplier"], data["starts_on"], data["ends_on"], data["reason"]
            ),
        )
        if suspension is not None:
            messages.success(
                request,
                _("%(supplier)s is suspended %(start)s – %(end)s.")
                % {"supplier": suspension.supplier, "start": suspension.starts_on, "end": suspension.ends_on},
            )
            return redirect("compliance:suspensions")
    return render(
        request,
        "compliance/form.html",
        {
            "form": form,
            "title": _("Suspend a supplier"),
            "intro": _("A suspended supplier receives no call-offs, cannot offer and cannot be awarded."),
            "back": "compliance:suspensions",
        },
    )


@login_required
@require_POST
def suspension_lift(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_suspend(request.user):
        raise PermissionDenied
    suspension = get_object_or_404(Suspension.objects.visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
    else:
        run_step(
            request,
            lambda: services.lift_suspension(request.user, suspension, form.cleaned_data["reason"]),
            _("The suspension of %(supplier)s is lifted.") % {"supplier": suspension.supplier},
        )
    return redirect("compliance:suspensions")
