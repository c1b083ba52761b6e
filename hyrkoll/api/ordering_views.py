"""The ordering API: needs for region users, the supplier portal (call-offs and offers) and award.

Every queryset starts from ``Model.objects.visible_to(request.user)``; every change of state is a
call to ``hyrkoll.ordering.workflow``, which checks who acts and moves the status. The views only
translate the workflow's refusals into HTTP:

- ``WorkflowError`` when the caller lacks the role for the step (as decided by
  ``hyrkoll.ordering.permissions``) → **403**, with the workflow's message as ``detail``;
- ``WorkflowError`` otherwise (the need or call-off is in the wrong state, the deadline has passed,
  already awarded …) → **409**, or **400** when creating a need (the input breaks a rule of the
  agreement, e.g. longer than the maximum call-off period);
- Django ``ValidationError`` (the model's own validation) → **400** with the errors per field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.api import ordering_serializers as s
from hyrkoll.api.base import ScopedReadOnlyViewSet, query_int, query_str
from hyrkoll.api.pagination import unfiltered_supplier
from hyrkoll.api.steps import WorkflowBadRequest, error_responses, run_step
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.lib import personal_numbers
from hyrkoll.ordering import permissions, workflow
from hyrkoll.ordering.counts import offer_count, offers_made_count, received_count
from hyrkoll.ordering.models import CallOff, Need, NeedEvent, Offer, OfferCheck

T = TypeVar("T")


def _is_fake(view: Any) -> bool:
    return getattr(view, "swagger_fake_view", False)


# --- Needs --------------------------------------------------------------------------------------------


@extend_schema(tags=["ordering"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="Only needs in this status (e.g. draft)."
            ),
            OpenApiParameter("unit", OpenApiTypes.INT, description="Only needs of this care unit (id)."),
        ]
    ),
    create=extend_schema(
        summary="Create a draft need",
        description=(
            "Saves a draft through the workflow: validated, priced from the price list in force on the "
            "start date, and scoped to the caller's units. Only authorised orderers."
        ),
        responses=error_responses(400, 403, created=s.NeedSerializer),
    ),
)
class NeedViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Needs of the caller's region (suppliers see none), from draft to award or closure."""

    model = Need
    serializer_class = s.NeedSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(Need).select_related(
            "region", "unit", "profession", "competence", "level", "price_list", "call_off"
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        need_status = query_str(self.request, "status")
        if need_status is not None:
            queryset = queryset.filter(status=need_status)
        unit = query_int(self.request, "unit")
        if unit is not None:
            queryset = queryset.filter(unit_id=unit)
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Refused before the input is read: a caller who orders for no unit learns nothing from it.
        if request.user.scope != Scope.REGION or not request.user.has_role(Role.ORDERER):
            raise PermissionDenied(_("You are not an authorised orderer for this unit."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = Need(**serializer.validated_data)
        need = run_step(
            lambda: workflow.save_draft(request.user, need),
            permitted=lambda: permissions.can_order_for(request.user, need.unit),
            refused=WorkflowBadRequest,
        )
        need = self.scoped_queryset().get(pk=need.pk)
        return Response(self.get_serializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=error_responses(403, 404, 409, ok=s.NeedSerializer),
        summary="Submit the need",
        description="The orderer submits a draft or returned need; the call-off unit then checks the "
        "internal staffing pool.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        need = self.get_object()
        run_step(
            lambda: workflow.submit(request.user, need),
            permitted=lambda: permissions.can_order_for(request.user, need.unit),
        )
        return Response(self.get_serializer(self.scoped_queryset().get(pk=need.pk)).data)

    @extend_schema(
        request=s.CancelSerializer,
        responses=error_responses(400, 403, 404, 409, ok=s.NeedSerializer),
        summary="Cancel the need",
        description="The orderer or the call-off unit cancels a need that is not yet published.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        need = self.get_object()
        permitted = permissions.can_order_for(request.user, need.unit) or permissions.is_call_off_unit(
            request.user, need.region_id
        )
        # Refused before the input is read, as the workflow would refuse it.
        if not permitted:
            raise PermissionDenied(_("You may not cancel this need."))
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run_step(
            lambda: workflow.cancel(request.user, need, data.validated_data["reason"]),
            permitted=lambda: permitted,
        )
        return Response(self.get_serializer(self.scoped_queryset().get(pk=need.pk)).data)

    @extend_schema(
        responses={200: s.NeedEventSerializer(many=True), 404: error_responses(404)[404]},
        summary="History of the need",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request: Request, pk: str | None = None) -> Response:
        need = self.get_object()
        events = self.visible(NeedEvent).filter(need=need)
        return Response(s.NeedEventSerializer(events, many=True).data)


# --- Call-offs ----------------------------------------------------------------------------------------


@extend_schema(tags=["supplier portal"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="Only call-offs in this status (open, awarded …)."
            )
        ]
    )
)
class CallOffViewSet(ScopedReadOnlyViewSet):
    """Call-offs: for a supplier, the ones sent to it; for a region user, the region's own.

    A supplier sees only its own offers (``my_offers``), never another supplier's.
    """

    model = CallOff
    serializer_class = s.CallOffSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        supplier_id = getattr(user, "supplier_id", None)
        # The caller's own offers: none for a user without a supplier.
        own_offers = (
            self.visible(Offer).filter(supplier_id=supplier_id) if supplier_id else Offer.objects.none()
        )
        queryset = (
            self.visible(CallOff)
            .select_related(
                "sub_area",
                "region",
                "need__unit__municipality",
                "need__competence",
                "need__level",
            )
            .prefetch_related(Prefetch("offers", queryset=own_offers, to_attr="my_offers"))
        )
        if not _is_fake(self) and getattr(user, "scope", None) != Scope.SUPPLIER:
            # Counted per row shown (a correlated subquery), not grouped over every call-off.
            queryset = queryset.annotate(offers_count=offer_count())
        return queryset

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        call_off_status = query_str(self.request, "status")
        if call_off_status is not None:
            queryset = queryset.filter(status=call_off_status)
        return queryset

    def count_rows(self, queryset: QuerySet[Any]) -> int | None:
        """A supplier's unfiltered list: its recipient rows (one per call-off it received), read from
        the supplier's call-off tally."""
        supplier_id = unfiltered_supplier(self.request, "status")
        return received_count(supplier_id) if supplier_id is not None else None

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "award":
            return s.AwardSerializer
        return s.CallOffSerializer

    @extend_schema(
        request=s.AwardSerializer,
        responses=error_responses(400, 403, 404, 409, created=s.AssignmentSerializer),
        summary="Award an offer",
        description=(
            "The call-off unit awards an offer that passes every check, at the agreement price. "
            "Awarding another than the highest-ranked offer needs a deviation_reason. The other "
            "offers become not_awarded."
        ),
    )
    @action(detail=True, methods=["post"])
    def award(self, request: Request, pk: str | None = None) -> Response:
        call_off = self.get_object()
        if not permissions.is_call_off_unit(request.user, call_off.region_id):
            raise PermissionDenied(_("Only the call-off unit awards."))
        data = s.AwardSerializer(
            data=request.data, context={**self.get_serializer_context(), "call_off": call_off}
        )
        data.is_valid(raise_exception=True)
        assignment = run_step(
            lambda: workflow.award(
                request.user, data.validated_data["offer"], data.validated_data["deviation_reason"]
            ),
            permitted=lambda: permissions.is_call_off_unit(request.user, call_off.region_id),
        )
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


# --- Offers -----------------------------------------------------------------------------------------------


@extend_schema(tags=["supplier portal"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("call_off", OpenApiTypes.INT, description="Only offers on this call-off (id)."),
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="Only offers in this status (submitted, awarded …)."
            ),
        ]
    ),
    create=extend_schema(
        summary="Offer a consultant",
        description=(
            "A supplier offers one of its own consultants on a call-off sent to it. The consultant is "
            "checked at once; the response carries the checks. Refused with 409 after the response "
            "deadline or when the call-off is closed. A personal identity number, if given, is stored "
            "only as a keyed hash on the consultant (for the cooling-off check)."
        ),
        request=s.OfferCreateSerializer,
        responses=error_responses(400, 403, 409, created=s.OfferSerializer),
    ),
)
class OfferViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Offers: a supplier's own, or (read-only, with rank) the offers on a region's call-offs."""

    model = Offer
    serializer_class = s.OfferSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            self.visible(Offer)
            .select_related("supplier", "consultant", "competence", "call_off")
            # The checks of the offers above, which are scoped already: a check belongs to its one
            # offer. Scoping the checks again joined every offer of the supplier (33 ms at national
            # scale, against the page's few hundred checks by their offer index).
            .prefetch_related(Prefetch("checks", queryset=OfferCheck.objects.order_by("offer_id", "code")))
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        call_off = query_int(self.request, "call_off")
        if call_off is not None:
            queryset = queryset.filter(call_off_id=call_off)
        offer_status = query_str(self.request, "status")
        if offer_status is not None:
            queryset = queryset.filter(status=offer_status)
        return queryset

    def count_rows(self, queryset: QuerySet[Any]) -> int | None:
        """A supplier's unfiltered list: every offer it made (``visible_to`` a supplier user is its
        offers, by their supplier column), read from the supplier's offer tally."""
        supplier_id = unfiltered_supplier(self.request, "call_off", "status")
        return offers_made_count(supplier_id) if supplier_id is not None else None

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return s.OfferCreateSerializer
        return s.OfferSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not _is_fake(self) and getattr(self.request.user, "scope", None) != Scope.SUPPLIER:
            context["ranks"] = self._ranker()
        return context

    def _ranker(self) -> Callable[[Offer], int | None]:
        """Rank of an offer in ``workflow.ranked_offers`` of its call-off, computed once per call-off."""
        cache: dict[int, dict[int, int]] = {}

        def rank(offer: Offer) -> int | None:
            if offer.call_off_id not in cache:
                ranking = workflow.ranked_offers(offer.call_off)
                cache[offer.call_off_id] = {o.pk: position for position, o in enumerate(ranking, start=1)}
            return cache[offer.call_off_id].get(offer.pk)

        return rank

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        if not permissions.is_supplier_user(user):
            raise PermissionDenied(_("Only supplier users make offers."))
        serializer = s.OfferCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        call_off = fields.pop("call_off")
        personal_number = fields.pop("personal_number", "")
        offer = Offer(**fields)

        def step() -> Offer:
            # One transaction: a refused offer leaves the consultant's stored hash untouched too.
            with transaction.atomic():
                if personal_number:
                    consultant = offer.consultant
                    had_hash = bool(consultant.personal_number_hash)
                    consultant.personal_number_hash = personal_numbers.keyed_hash(personal_number)
                    consultant.save(update_fields=["personal_number_hash"])
                    audit.record(
                        user,
                        AuditAction.UPDATE,
                        consultant,
                        before={"personal_number_hash": "(set)" if had_hash else ""},
                        after={"personal_number_hash": "(set)"},
                        reason="Personal identity number given with an offer",
                    )
                return workflow.submit_offer(user, call_off, offer)

        created = run_step(step, permitted=lambda: permissions.is_supplier_user(user))
        created = self.scoped_queryset().get(pk=created.pk)
        return Response(s.OfferSerializer(created, context=self.get_serializer_context()).data, status=201)
