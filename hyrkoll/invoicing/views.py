"""Invoice pages: the list (CSV/Excel), one invoice with its control, the region's file import and
the supplier's invoice form. Every row comes from ``visible_to``: another region's or supplier's
invoice is a 404."""

from __future__ import annotations

import contextlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hyrkoll.agreement.models import Supplier
from hyrkoll.assignments.models import Assignment
from hyrkoll.governance import exports
from hyrkoll.invoicing import permissions, services, tables
from hyrkoll.invoicing.forms import DecideForm, ImportForm, PortalInvoiceForm, ReasonForm
from hyrkoll.invoicing.models import Invoice, InvoiceDeviation, InvoiceLine, InvoiceSource, InvoiceStatus
from hyrkoll.invoicing.parsing import parse_number
from hyrkoll.invoicing.totals import kept_totals
from hyrkoll.lib.counting import correlated_count
from hyrkoll.lib.listing import ChoiceFilter, Listing, ModelFilter, OptionFilter, PeriodFilter, region_filter
from hyrkoll.ordering.permissions import is_supplier_user
from hyrkoll.ordering.views.common import paginate, run_step
from hyrkoll.organisation.models import Region

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _invoices(request: HttpRequest) -> QuerySet[Invoice]:
    return (
        Invoice.objects.visible_to(request.user)
        .select_related("supplier", "region")
        .annotate(
            open_count=correlated_count(
                InvoiceDeviation.objects.filter(invoice=OuterRef("pk"), accepted_at__isnull=True)
            )
        )
    )


def _listing(request: HttpRequest) -> Listing:
    """The invoices the user may see, filtered and sorted by the query string (page and downloads)."""
    user = request.user
    rows = _invoices(request).order_by("-received_at", "-pk")
    supplier = (
        None
        if is_supplier_user(user)
        else ModelFilter("supplier", _("Supplier"), "supplier", Supplier.objects.order_by("name"))
    )
    return Listing(
        request,
        rows,
        sorts={
            "number": "number",
            "supplier": "supplier__name",
            "region": "region__name",
            "date": "invoice_date",
            "status": "status",
            "invoiced": "invoiced_sek",
            "expected": "expected_sek",
            "open": "open_count",
        },
        filters=[
            ChoiceFilter("status", _("Status"), "status", InvoiceStatus.choices),
            OptionFilter(
                "deviations",
                _("Deviations"),
                {
                    "open": (_("With open deviations"), Q(open_count__gt=0)),
                    "none": (_("Without open deviations"), Q(open_count=0)),
                },
            ),
            ModelFilter("region", _("Region"), "region", Region.objects.order_by("name"))
            if is_supplier_user(user)
            else region_filter(user),
            supplier,
            PeriodFilter(_("Invoice date"), "invoice_date"),
        ],
    )


@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    listing = _listing(request)
    rows = listing.rows
    fmt = exports.requested_format(request)
    if fmt:
        if request.GET.get("table") == "lines":
            lines = (
                InvoiceLine.objects.filter(invoice__in=rows)
                .select_related("invoice__supplier")
                .order_by("invoice_id", "line_no")
            )
            deviations = (
                InvoiceDeviation.objects.filter(invoice__in=rows)
                .select_related("invoice", "line")
                .order_by("invoice_id", "pk")
            )
            return exports.download(
                [tables.lines_table(lines), tables.deviations_table(deviations)], fmt, "invoice-lines"
            )
        return exports.download([tables.invoices_table(rows)], fmt, "invoices")
    # Unfiltered (sorting is no filter): the totals the database keeps, not an aggregate of the rows.
    totals = (None if listing.narrowing() else kept_totals(request.user)) or _totals(rows)
    page, query = paginate(request, rows, count=totals["count"])  # one pass over the rows, not two
    user = request.user
    context: dict[str, Any] = {
        "page": page,
        "query": query,
        "listing": listing,
        "may_import": user.region_id is not None and permissions.can_import(user, user.region_id),
        "may_submit": permissions.can_submit(user),
        "totals": totals,
    }
    return render(request, "invoicing/invoice_list.html", context)


def _totals(rows: QuerySet[Invoice]) -> dict[str, Any]:
    return rows.order_by().aggregate(
        invoiced=Sum("invoiced_sek"),
        expected=Sum("expected_sek"),
        deviation=Sum(F("invoiced_sek") - F("expected_sek")),
        count=Count("*"),  # not Count("pk"): the totals come from the invoice_region_totals index alone
    )


def _get(request: HttpRequest, pk: int) -> Invoice:
    return get_object_or_404(_invoices(request), pk=pk)


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _get(request, pk)
    deviations = Prefetch("deviations", queryset=InvoiceDeviation.objects.select_related("accepted_by"))
    lines = (
        InvoiceLine.objects.filter(invoice=invoice)
        .select_related("assignment__consultant", "assignment__unit")
        .prefetch_related(deviations)
        .order_by("line_no")
    )
    invoice_level = InvoiceDeviation.objects.filter(invoice=invoice, line=None).select_related("accepted_by")
    may_decide = invoice.status == InvoiceStatus.RECEIVED and permissions.can_decide(request.user, invoice)
    context = {
        "invoice": invoice,
        "lines": lines,
        "invoice_deviations": invoice_level,
        "may_decide": may_decide,
        "reason_form": ReasonForm(),
        "decide_form": DecideForm(),
        "is_supplier": is_supplier_user(request.user),
    }
    return render(request, "invoicing/invoice_detail.html", context)


@login_required
@require_POST
def deviation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    deviation = get_object_or_404(
        InvoiceDeviation.objects.visible_to(request.user).select_related("invoice"), pk=pk
    )
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_step(
        request,
        lambda: services.accept_deviation(request.user, deviation, reason),
        _("The deviation is accepted."),
    )
    return redirect("invoicing:detail", pk=deviation.invoice_id)


@login_required
@require_POST
def invoice_decide(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _get(request, pk)
    form = DecideForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    action = request.POST.get("action")
    if action == "reject":
        run_step(
            request,
            lambda: services.reject(
                request.user,
                invoice,
                comment,
                record_supplier_deviation=bool(form.cleaned_data.get("record_supplier_deviation")),
            ),
            _("Invoice %(number)s is rejected.") % {"number": invoice.number},
        )
    elif action == "recheck":
        run_step(
            request,
            lambda: services.recheck(request.user, invoice),
            _("Invoice %(number)s is checked again.") % {"number": invoice.number},
        )
    else:
        run_step(
            request,
            lambda: services.approve(request.user, invoice, comment),
            _("Invoice %(number)s is approved for payment.") % {"number": invoice.number},
        )
    return redirect("invoicing:detail", pk=invoice.pk)


@login_required
def invoice_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.region_id is None or not permissions.can_import(user, user.region_id):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "errors": [], "result": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 20 MB."))
        else:
            data = upload.read()
            try:
                result = services.import_file(user, user.region, data, upload.name)
            except services.FileRejected as rejected:
                context["errors"] = [str(error) for error in rejected.errors]
                context["error_total"] = rejected.total
            else:
                if result.already_imported:
                    messages.info(request, _("This file was already imported; nothing changed."))
                else:
                    messages.success(
                        request,
                        _(
                            "%(invoices)d invoices with %(lines)d lines imported; %(skipped)d were already received."
                        )
                        % {
                            "invoices": len(result.received.created),
                            "lines": result.record.lines if result.record else 0,
                            "skipped": len(result.received.already_received),
                        },
                    )
                return redirect(f"{reverse('invoicing:list')}?status=received")
    return render(request, "invoicing/invoice_import.html", context)


def _supplier_assignments(request: HttpRequest) -> list[tuple[str, str]]:
    rows = (
        Assignment.objects.visible_to(request.user)
        .select_related("consultant", "unit", "region")
        .order_by("-starts_on")[:300]
    )
    return [
        (str(a.pk), f"#{a.pk} {a.consultant} – {a.unit.name}, {a.region.name} ({a.starts_on} – {a.ends_on})")
        for a in rows
    ]


def _with_amounts(lines: list[tuple[int, dict[str, str]]]) -> list[tuple[int, dict[str, str]]]:
    """In the portal an empty amount is quantity × unit price."""
    for _index, values in lines:
        if not values["amount_sek"]:
            quantity, price = parse_number(values["quantity"]), parse_number(values["unit_price_sek"])
            if quantity is not None and price is not None:
                with contextlib.suppress(InvalidOperation):
                    values["amount_sek"] = str((quantity * price).quantize(Decimal("0.01")))
    return lines


@login_required
def invoice_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_submit(request.user):
        raise PermissionDenied
    form = PortalInvoiceForm(request.POST or None, assignments=_supplier_assignments(request))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            received = services.submit(
                request.user,
                data["number"],
                data["invoice_date"],
                data["due_date"],
                _with_amounts(form.raw_lines()),
                InvoiceSource.PORTAL,
            )
        except services.SubmissionRejected as rejected:
            errors = rejected.errors
        except services.WorkflowError as error:
            errors = [str(error)]
        else:
            invoice = (received.created or received.already_received)[0]
            if received.created:
                messages.success(
                    request, _("Invoice %(number)s is sent to the region.") % {"number": invoice.number}
                )
            else:
                messages.info(request, _("This invoice was already sent; nothing changed."))
            return redirect("invoicing:detail", pk=invoice.pk)
    return render(request, "invoicing/invoice_form.html", {"form": form, "errors": errors})
