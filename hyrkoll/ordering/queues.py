"""Who sees which needs, and each role's work queues (what is waiting for the user, oldest first).

Every list starts from ``Model.objects.visible_to(user)`` (the region or supplier boundary); the
functions here narrow it further by role: an orderer who is only an orderer sees the needs of the
units they may order for, the region's other roles see all of the region's needs.

Each queue is a few bounded queries. The only loop over rows is the approvers' queue, which
filters the region's needs awaiting approval through ``permissions.can_decide`` in Python (the
level and part of the organisation an approver covers cannot be expressed in one query).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.ordering import permissions
from hyrkoll.ordering.models import CallOff, CallOffStatus, Need, NeedStatus, Offer, OfferStatus
from hyrkoll.organisation.models import OrgUnit, OrgUnitKind

# Roles that follow all of the region's needs (orderers follow only their own units' needs).
WHOLE_REGION_ROLES = (
    Role.REGION_ADMIN,
    Role.APPROVER,
    Role.CALL_OFF_UNIT,
    Role.STEERING_GROUP,
    Role.CONTROLLER,
    Role.READER,
)
# A care unit lies at most three levels below an administration (see OrgUnitKind).
_TREE_DEPTH = 4
# "Near the deadline": the response deadline is at most this many working days away.
DEADLINE_WORKING_DAYS = 2
# The orderer's queue of awarded needs looks this many days back.
AWARDED_DAYS = 14


def _prefetch_roles(user: Any) -> None:
    """Load the user's role assignments once; ``permissions`` reads them for every row."""
    loaded = getattr(user, "_prefetched_objects_cache", {})
    authenticated = getattr(user, "is_authenticated", False)
    if authenticated and hasattr(user, "role_assignments") and "role_assignments" not in loaded:
        prefetch_related_objects([user], "role_assignments")


def _under(unit_ids: Iterable[int], prefix: str = "") -> Q:
    """Rows whose unit (``prefix`` leads to it) is one of ``unit_ids`` or lies below one of them."""
    ids = list(unit_ids)
    condition = Q()
    for depth in range(_TREE_DEPTH):
        path = prefix + "__".join(["parent"] * depth + ["id"])
        condition |= Q(**{f"{path}__in": ids})
    return condition


def _orderer_assignments(user: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False) or user.scope != Scope.REGION:
        return []
    _prefetch_roles(user)
    return [a for a in user.role_assignments.all() if a.role == Role.ORDERER]


def is_orderer(user: Any) -> bool:
    return bool(_orderer_assignments(user))


def sees_whole_region(user: Any) -> bool:
    """National users and the region's roles other than orderer follow all of a region's needs."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.scope == Scope.NATIONAL:
        return True
    return user.scope == Scope.REGION and user.has_role(*WHOLE_REGION_ROLES)


def orderable_units(user: Any) -> QuerySet[OrgUnit]:
    """Active care units the user may order for (``permissions.can_order_for``, as one query)."""
    units = OrgUnit.objects.visible_to(user).filter(kind=OrgUnitKind.CARE_UNIT, is_active=True)
    assignments = _orderer_assignments(user)
    if not assignments:
        return units.none()
    units = units.filter(region_id=user.region_id)
    if any(a.org_unit_id is None for a in assignments):
        return units
    return units.filter(_under(a.org_unit_id for a in assignments))


def sees_every_scoped_need(user: Any) -> bool:
    """Whether :func:`needs_visible_to` is every need ``Need.objects.visible_to(user)`` holds (the
    region's, or the nation's), not only the user's units' (an orderer's)."""
    if not getattr(user, "is_authenticated", False) or sees_whole_region(user):
        return True
    assignments = _orderer_assignments(user)
    return bool(assignments) and any(a.org_unit_id is None for a in assignments)


def needs_visible_to(user: Any) -> QuerySet[Need]:
    """The needs the user may open: the region's (or, for a plain orderer, their units')."""
    needs = Need.objects.visible_to(user)
    if sees_every_scoped_need(user):
        return needs
    assignments = _orderer_assignments(user)
    if not assignments:
        return needs.none()
    return needs.filter(Q(unit_id__in=_orderer_unit_ids(user, assignments)) | Q(created_by=user))


def _orderer_unit_ids(user: Any, assignments: list[Any]) -> list[int]:
    units: list[int] | None = getattr(user, "_orderer_unit_ids", None)
    if units is None:  # once per request: the queues and the list ask again
        units = user._orderer_unit_ids = _units_under(user.region_id, [a.org_unit_id for a in assignments])
    return units


def orderer_need_parts(user: Any) -> tuple[QuerySet[Need], QuerySet[Need]] | None:
    """For an orderer of some units (not :func:`sees_every_scoped_need`): :func:`needs_visible_to` as
    two parts with no need in both – the needs of their units, and the needs they created elsewhere –
    else None. Counted apart, each part is read from one index alone (``need_unit_count``,
    ``need_orderer_count``); counted as one "unit or orderer" condition, PostgreSQL intersected both
    with every need of the region and read each row from the table: 11–16 ms for an orderer of
    38,000 needs at national scale, the most database time of the load benchmark (run 19)."""
    if sees_every_scoped_need(user):
        return None
    assignments = _orderer_assignments(user)
    if not assignments:
        return None
    units = _orderer_unit_ids(user, assignments)
    needs = Need.objects.visible_to(user)
    return needs.filter(unit_id__in=units), needs.filter(created_by=user).exclude(unit_id__in=units)


def _units_under(region_id: int, unit_ids: list[int]) -> list[int]:
    """The units and every unit below them, as ids (one query over the region's tree, a few hundred
    rows): the needs are then found by their unit's index, not by joining the tree for each of the
    region's needs over ten years."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.filter(region_id=region_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(unit_ids)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return sorted(found)


# --- queues ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    key: str
    label: str | Promise
    count: int
    oldest: datetime.datetime | None
    url: str
    description: str | Promise = ""


def _url(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _waiting_since() -> Coalesce:
    return Coalesce("status_changed_at", "submitted_at", "created_at")


def _need_queue_rows(user: Any, key: str) -> QuerySet[Need] | None:
    """The needs of one need queue, or None if the queue does not apply to the user."""
    if not getattr(user, "is_authenticated", False) or user.scope != Scope.REGION:
        return None
    needs = needs_visible_to(user)
    if key == "approvals" and user.has_role(Role.APPROVER):
        awaiting = Need.objects.visible_to(user).filter(status=NeedStatus.AWAITING_APPROVAL)
        _prefetch_roles(user)
        mine = [
            need.pk
            for need in awaiting.select_related("unit__parent__parent__parent")
            if permissions.can_decide(user, need)
        ]
        return Need.objects.filter(pk__in=mine)
    if key == "steering" and user.has_role(Role.STEERING_GROUP):
        return needs.filter(status=NeedStatus.STEERING_REVIEW)
    if key == "internal" and user.has_role(Role.CALL_OFF_UNIT):
        return needs.filter(status=NeedStatus.INTERNAL_SEARCH)
    if key == "returned" and is_orderer(user):
        units = orderable_units(user).values("pk")
        return needs.filter(status=NeedStatus.RETURNED).filter(Q(created_by=user) | Q(unit__in=units))
    if key == "drafts" and is_orderer(user):
        return needs.filter(status=NeedStatus.DRAFT, created_by=user)
    if key == "awarded" and is_orderer(user):
        units = orderable_units(user).values("pk")
        since = timezone.now() - datetime.timedelta(days=AWARDED_DAYS)
        return needs.filter(status=NeedStatus.AWARDED, status_changed_at__gte=since).filter(
            Q(created_by=user) | Q(unit__in=units)
        )
    return None


NEED_QUEUES: dict[str, tuple[Promise, Promise, str]] = {
    # key: (label, description, status for the list's filter)
    "approvals": (
        _("Approvals at my level"),
        _("Needs awaiting a decision at your decision level."),
        NeedStatus.AWAITING_APPROVAL,
    ),
    "steering": (
        _("Purchases outside the agreement to review"),
        _("Dispensations the steering group reviews before the decision."),
        NeedStatus.STEERING_REVIEW,
    ),
    "internal": (
        _("Needs to check against the internal pool"),
        _("Submitted needs: try the internal staffing pool first."),
        NeedStatus.INTERNAL_SEARCH,
    ),
    "returned": (
        _("Needs returned to me"),
        _("Change and submit again, or cancel."),
        NeedStatus.RETURNED,
    ),
    "drafts": (_("My drafts"), _("Needs you have not submitted yet."), NeedStatus.DRAFT),
    "awarded": (
        _("Recently awarded"),
        _("Awarded in the last two weeks: who comes and from when."),
        NeedStatus.AWARDED,
    ),
}


def need_queue(user: Any, key: str) -> QuerySet[Need] | None:
    """The needs of a queue, oldest first (None if the queue is not the user's)."""
    if key not in NEED_QUEUES:
        return None
    rows = _need_queue_rows(user, key)
    if rows is None:
        return None
    return rows.annotate(waiting_since=_waiting_since()).order_by("waiting_since", "pk")


def _near_deadline() -> datetime.datetime:
    from hyrkoll.ordering.workflow import add_working_days

    return add_working_days(timezone.now(), DEADLINE_WORKING_DAYS)


def _passing_offer() -> Exists:
    return Exists(
        Offer.objects.filter(call_off=OuterRef("pk"), status=OfferStatus.SUBMITTED, checks_passed=True)
    )


CALL_OFF_QUEUES: dict[str, tuple[Promise, Promise, str]] = {
    # key: (label, description, the list it is shown in)
    "deadline": (
        _("Call-offs near their deadline"),
        _("Open call-offs whose response deadline is at most two working days away (or passed)."),
        "ordering:call_offs",
    ),
    "assess": (
        _("Offers to assess"),
        _("Open call-offs with at least one offer that passed every check."),
        "ordering:call_offs",
    ),
    "unanswered": (
        _("Open call-offs to answer"),
        _("Call-offs sent to your company that you have not offered on yet."),
        "ordering:supplier_call_offs",
    ),
}


def call_off_queue(user: Any, key: str) -> QuerySet[CallOff] | None:
    """The call-offs of a queue, most urgent first (None if the queue is not the user's)."""
    if not getattr(user, "is_authenticated", False) or key not in CALL_OFF_QUEUES:
        return None
    call_offs = CallOff.objects.visible_to(user).filter(status=CallOffStatus.OPEN)
    if user.scope == Scope.REGION and user.has_role(Role.CALL_OFF_UNIT):
        if key == "deadline":
            return call_offs.filter(response_deadline__lte=_near_deadline()).order_by(
                "response_deadline", "pk"
            )
        if key == "assess":
            return call_offs.filter(_passing_offer()).order_by("response_deadline", "pk")
    if key == "unanswered" and permissions.is_supplier_user(user):
        own_offer = Offer.objects.filter(call_off=OuterRef("pk"), supplier_id=user.supplier_id)
        return (
            call_offs.filter(response_deadline__gt=timezone.now())
            .exclude(Exists(own_offer))
            .order_by("response_deadline", "pk")
        )
    return None


def queues_for(user: Any) -> list[Queue]:
    """The user's work queues with how many items wait and since when (oldest first)."""
    queues: list[Queue] = []
    for key, (label, description, status) in NEED_QUEUES.items():
        rows = _need_queue_rows(user, key)
        if rows is None:
            continue
        figures = rows.order_by().aggregate(count=Count("pk"), oldest=Min(_waiting_since()))
        url = _url("ordering:needs", status=str(status), queue=key)
        queues.append(Queue(key, label, figures["count"], figures["oldest"], url, description))
    for key, (label, description, list_name) in CALL_OFF_QUEUES.items():
        call_offs = call_off_queue(user, key)
        if call_offs is None:
            continue
        figures = call_offs.order_by().aggregate(count=Count("pk"), oldest=Min("published_at"))
        url = _url(list_name, queue=key)
        queues.append(Queue(key, label, figures["count"], figures["oldest"], url, description))
    return queues
