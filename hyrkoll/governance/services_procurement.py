"""Joint procurements: who may declare, the rules a declaration of intent must pass, the live count,
and the accession timetable drawn as a CSP-safe SVG timeline.

A declaration is always for the declaring user's own region; the yes/no and the sub-areas are
public to every signed-in user (the count is national), the decision document only to the region's
own users and the national level.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.agreement.models import RegionAccession, SubArea
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.governance.models import Declaration, Procurement
from hyrkoll.organisation.models import Region

DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PDF_CONTENT_TYPES = {"application/pdf", "application/x-pdf", "application/octet-stream", ""}
DECLARING_ROLES = (Role.REGION_ADMIN, Role.STEERING_GROUP)


class DeclarationError(Exception):
    """A declaration of intent is refused; ``field`` names the form field it concerns, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def max_attachment_bytes() -> int:
    return int(getattr(settings, "GOVERNANCE_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES))


def can_manage_procurements(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_coordinator)


def can_declare(user: Any) -> bool:
    """Region administrators and steering-group members may declare for their own region."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.scope == Scope.REGION
        and user.region_id is not None
        and user.has_role(*DECLARING_ROLES)
    )


def can_see_document(user: Any, declaration: Declaration) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_national:
        return True
    return user.scope == Scope.REGION and user.region_id == declaration.region_id


def is_open(procurement: Procurement, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return today <= procurement.declaration_deadline and today < procurement.starts_on


def with_counts(queryset: QuerySet[Procurement]) -> QuerySet[Procurement]:
    return queryset.annotate(
        joining_count=Count("declarations", filter=Q(declarations__joins=True)),
        declared_count=Count("declarations"),
    )


@dataclass
class CountStatus:
    joining: int
    needed: int
    declared: int
    proceeds: bool
    final: bool  # the deadline has passed: the count can no longer change

    @property
    def missing(self) -> int:
        return max(self.needed - self.joining, 0)

    @property
    def label(self) -> str:
        if self.proceeds:
            return _("Proceeds")
        return _("Does not proceed") if self.final else _("Does not proceed yet")


def count_status(procurement: Procurement, today: datetime.date | None = None) -> CountStatus:
    today = today or timezone.localdate()
    joining = getattr(procurement, "joining_count", None)
    declared = getattr(procurement, "declared_count", None)
    if joining is None or declared is None:
        joining = procurement.declarations.filter(joins=True).count()
        declared = procurement.declarations.count()
    return CountStatus(
        joining=joining,
        needed=procurement.min_regions,
        declared=declared,
        proceeds=joining >= procurement.min_regions,
        final=today > procurement.declaration_deadline,
    )


def sub_area_names(codes: list[str] | None = None) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in SubArea.objects.order_by("pk").values_list("code", "name"):
        names.setdefault(code, name)
    if codes is None:
        return names
    return {code: names.get(code, code) for code in codes}


# --- Filing a declaration ----------------------------------------------------------------------------


def check_document(upload: Any, label: str) -> None:
    """Refuse anything but a PDF of at most the configured size (the message names the field)."""
    limit = max_attachment_bytes()
    if upload.size is not None and upload.size > limit:
        raise DeclarationError(
            _("%(field)s: the file is larger than %(mb)s MB.")
            % {"field": label, "mb": f"{limit / (1024 * 1024):g}"},
            "document",
        )
    name = (getattr(upload, "name", "") or "").lower()
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if not name.endswith(".pdf") or content_type not in PDF_CONTENT_TYPES or head != PDF_MAGIC:
        raise DeclarationError(_("%(field)s: the file is not a PDF.") % {"field": label}, "document")


def file_declaration(
    actor: Any,
    procurement: Procurement,
    *,
    joins: bool,
    sub_areas: list[str] | tuple[str, ...] = (),
    decided_by: str,
    decided_on: datetime.date,
    document: Any = None,
    region: Region | int | None = None,
    today: datetime.date | None = None,
) -> Declaration:
    """File the actor's region's declaration of intent, or raise :class:`DeclarationError`.

    ``region``, when given (a form's posted value), must be the actor's own region.
    """
    today = today or timezone.localdate()
    if not can_declare(actor):
        raise DeclarationError(
            _("Only region administrators and steering-group members can declare for their region.")
        )
    region_id = region.pk if isinstance(region, Region) else region
    if region_id not in (None, "") and str(region_id) != str(actor.region_id):
        raise DeclarationError(
            _("You can only declare for your own region (%(region)s).") % {"region": actor.region}
        )
    if today > procurement.declaration_deadline:
        raise DeclarationError(
            _("The deadline for declarations of intent was %(date)s; no more declarations can be filed.")
            % {"date": procurement.declaration_deadline.isoformat()}
        )
    if today >= procurement.starts_on:
        raise DeclarationError(
            _("The procurement started on %(date)s; no region can join it any more.")
            % {"date": procurement.starts_on.isoformat()}
        )
    allowed = procurement.sub_area_codes()
    chosen = [code for code in allowed if code in set(sub_areas)]
    unknown = sorted(set(sub_areas) - set(allowed))
    if unknown:
        raise DeclarationError(
            _("Sub-areas: %(codes)s are not part of this procurement.") % {"codes": ", ".join(unknown)},
            "sub_areas",
        )
    if joins and not chosen:
        raise DeclarationError(_("Sub-areas: choose the sub-areas the region joins for."), "sub_areas")
    if not joins:
        chosen = []
    if not (decided_by or "").strip():
        raise DeclarationError(_("Decided by: say which body decided."), "decided_by")
    if decided_on > today:
        raise DeclarationError(_("Decided on: the decision cannot be in the future."), "decided_on")
    if document:
        check_document(document, str(Declaration._meta.get_field("document").verbose_name).capitalize())
    duplicate = _("%(region)s has already declared for this procurement.") % {"region": actor.region}
    if Declaration.objects.filter(procurement=procurement, region_id=actor.region_id).exists():
        raise DeclarationError(duplicate)
    declaration = Declaration(
        procurement=procurement,
        region_id=actor.region_id,
        joins=joins,
        sub_areas=",".join(chosen),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        filed_by=actor,
    )
    if document:
        declaration.document = document
    try:
        with transaction.atomic():
            declaration.save()
            audit.record(actor, AuditAction.CREATE, declaration)
    except IntegrityError:
        # Filed by someone else in the same region a moment ago: the unique constraint decides.
        if declaration.document:
            declaration.document.storage.delete(declaration.document.name)
        raise DeclarationError(duplicate) from None
    return declaration


# --- The regions' table and the accession timetable ---------------------------------------------------


@dataclass
class RegionRow:
    region: Region
    declaration: Declaration | None
    sub_area_labels: list[str] = field(default_factory=list)
    accessions: dict[str, datetime.date | None] = field(default_factory=dict)


def region_rows(procurement: Procurement) -> list[RegionRow]:
    """Every region with its declaration (public: the count is national) and its accession dates."""
    codes = procurement.sub_area_codes()
    names = sub_area_names(codes)
    declarations = {
        d.region_id: d for d in Declaration.objects.filter(procurement=procurement).select_related("region")
    }
    accessions: dict[tuple[int, str], datetime.date] = {}
    for region_id, code, day in RegionAccession.objects.filter(sub_area__code__in=codes).values_list(
        "region_id", "sub_area__code", "acceded_on"
    ):
        previous = accessions.get((region_id, code))
        accessions[region_id, code] = min(previous, day) if previous else day
    rows = []
    for region in Region.objects.order_by("code"):
        declaration = declarations.get(region.pk)
        labels = [names.get(c, c) for c in declaration.sub_area_codes()] if declaration else []
        rows.append(
            RegionRow(
                region=region,
                declaration=declaration,
                sub_area_labels=labels,
                accessions={code: accessions.get((region.pk, code)) for code in codes},
            )
        )
    return rows


# Colours with WCAG contrast against white; sub-areas differ in shape too, not only in colour.
MARKER_COLOURS = ["#00558c", "#b00020", "#1d6b2f", "#6a3d9a"]
MARKER_SHAPES = ["circle", "diamond", "square", "triangle"]


def _marker(shape: str, x: float, y: float, colour: str, title: str) -> str:
    r = 5.5
    tip = f"<title>{escape(title)}</title>"
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}">{tip}</circle>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}">{tip}</rect>'
    if shape == "triangle":
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y + r:.1f} {x - r:.1f},{y + r:.1f}"
    else:
        points = (
            f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}"
        )
    return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = day.replace(year=day.year + 1, month=1) if day.month == 12 else day.replace(month=day.month + 1)
    return months


def timeline_svg(rows: list[RegionRow], codes: list[str], names: dict[str, str], title: str) -> str:
    """The accession timetable as an inline SVG: one row per region, a marker per sub-area date.

    Presentation attributes only (no ``style``), so the page's CSP allows it; the page shows the
    same dates in a table beside it.
    """
    dates = [day for row in rows for day in row.accessions.values() if day]
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    months = _month_starts(first, last)
    last_edge = (
        months[-1].replace(year=months[-1].year + 1, month=1)
        if months[-1].month == 12
        else months[-1].replace(month=months[-1].month + 1)
    )
    left, right, top, row_height = 190, 20, 46, 20
    width = 760
    height = top + row_height * len(rows) + 34
    span = (last_edge - months[0]).days or 1

    def x_of(day: datetime.date) -> float:
        return left + (width - left - right) * (day - months[0]).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="timeline-title timeline-desc" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">',
        f'<title id="timeline-title">{escape(title)}</title>',
        '<desc id="timeline-desc">'
        + escape(_("Each region's accession date per sub-area; the table below gives the same dates."))
        + "</desc>",
    ]
    # Legend.
    legend_x = left
    for index, code in enumerate(codes):
        colour, shape = MARKER_COLOURS[index % 4], MARKER_SHAPES[index % 4]
        parts.append(_marker(shape, legend_x + 6, 14, colour, names.get(code, code)))
        parts.append(
            f'<text x="{legend_x + 16}" y="18" fill="#1a1a1a">{escape(names.get(code, code))}</text>'
        )
        legend_x += 170
    # Month grid.
    label_every = max(1, len(months) // 10)
    for index, month in enumerate(months):
        x = x_of(month)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 30}" stroke="#d0d0d0" stroke-width="1"/>'
        )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + 2:.1f}" y="{height - 16}" fill="#4a4a4a">{month.strftime("%Y-%m")}</text>'
            )
    for number, row in enumerate(rows):
        y = top + row_height * number + row_height / 2
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#1a1a1a">'
            f"{escape(row.region.code)} {escape(row.region.name)}</text>"
        )
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ececec" stroke-width="1"/>'
        )
        for index, code in enumerate(codes):
            day = row.accessions.get(code)
            if day:
                label = f"{row.region.name}, {names.get(code, code)}: {day.isoformat()}"
                parts.append(
                    _marker(MARKER_SHAPES[index % 4], x_of(day), y, MARKER_COLOURS[index % 4], label)
                )
    parts.append("</svg>")
    return "".join(parts)
