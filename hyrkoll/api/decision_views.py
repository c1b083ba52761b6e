"""Need decisions and internal attempts over the API: the steps of the need's web page.

``POST needs/{id}/approve/``, ``reject/`` and ``return/`` call ``workflow.decide`` with the reason;
``POST needs/{id}/internal-attempts/`` calls ``workflow.record_internal_attempt``. The input is
checked by the web's forms (``DecisionForm``, ``AttemptForm``), the rules are the workflow's and
``hyrkoll.ordering.permissions``'. The answers, in this order:

- **404** for a need the caller cannot see (another region's);
- **403** when the caller holds no approver role in the need's region (for a decision) or is not the
  call-off unit (for an attempt) – before the input is read;
- **400** for invalid input (a missing reason, neither a pool member nor a description);
- **409** when the need is not in the step's status (not awaiting a decision; not in the internal
  search) – chosen over 400 because the input is fine, the need's state is not;
- **403** when the approver's decision level is below the level the region's rules require.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from hyrkoll.api import ordering_views
from hyrkoll.api.base import INT_RANGE
from hyrkoll.api.steps import Conflict, error_responses, run_step
from hyrkoll.ordering import permissions, workflow
from hyrkoll.ordering.forms import AttemptForm, DecisionForm
from hyrkoll.ordering.models import AttemptOutcome, DecisionOutcome, InternalAttempt, Need, NeedStatus

# --- Serializers ----------------------------------------------------------------------------------------


class DecisionRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000, help_text=_("Why; required for every decision, as on the need's page.")
    )


class AttemptRequestSerializer(serializers.Serializer):
    """One internal alternative tried: a pool member (id) or a described alternative."""

    pool_member = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=1,
        max_value=INT_RANGE[1],
        help_text=_("Id of a member of the region's internal staffing pool."),
    )
    description = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Another alternative, e.g. staff from another unit (when no pool member is named)."),
    )
    outcome = serializers.ChoiceField(
        choices=AttemptOutcome.choices, help_text=_("filled moves the need to filled_internally.")
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InternalAttemptSerializer(serializers.ModelSerializer):
    need_status = serializers.CharField(source="need.status", read_only=True)
    by = serializers.CharField(source="by.get_full_name", read_only=True)

    class Meta:
        model = InternalAttempt
        fields = ["id", "need", "pool_member", "description", "outcome", "note", "by", "at", "need_status"]
        read_only_fields = fields


def _form_errors(form: forms.Form) -> dict[str, list[str]]:
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }


# --- Views ------------------------------------------------------------------------------------------------

_DECISION_ERRORS = error_responses(400, 403, 404, 409, ok=ordering_views.s.NeedSerializer)
_REASON_EXAMPLE = OpenApiExample("Reason", value={"reason": "Vakans, poolen tillfrågad"}, request_only=True)


def _decision_schema(verb: str, description: str) -> Any:
    return extend_schema(
        request=DecisionRequestSerializer,
        responses=_DECISION_ERRORS,
        summary=f"{verb} the need",
        description=description + " Only an approver at (or above) the decision level the region's "
        "rules require, for the need's part of the region (403 otherwise); 409 when the need is not "
        "awaiting a decision.",
        examples=[_REASON_EXAMPLE],
    )


class NeedWithDecisionsViewSet(ordering_views.NeedViewSet):
    """Needs, with the approver's decisions and the call-off unit's internal attempts."""

    def _decide(self, request: Request, outcome: str) -> Response:
        user: Any = request.user
        need: Need = self.get_object()
        if not permissions.is_approver(user, need.region_id):
            raise PermissionDenied(_("Only an approver of the region decides on needs."))
        data = DecisionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = DecisionForm({"outcome": outcome, "reason": data.validated_data["reason"]})
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        if need.status != NeedStatus.AWAITING_APPROVAL:
            raise Conflict(_("The need is not awaiting a decision."))
        reason = form.cleaned_data["reason"]
        run_step(
            lambda: workflow.decide(user, need, outcome, reason),
            permitted=lambda: permissions.can_decide(user, need),
        )
        return Response(self.get_serializer(self.scoped_queryset().get(pk=need.pk)).data)

    @_decision_schema("Approve", "Approves the need; one under the agreement is published at once.")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, DecisionOutcome.APPROVE)

    @_decision_schema("Reject", "Rejects the need.")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, DecisionOutcome.REJECT)

    @_decision_schema("Return", "Returns the need to the orderer, who may change and submit it again.")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, DecisionOutcome.RETURN)

    @extend_schema(
        request=AttemptRequestSerializer,
        responses=error_responses(400, 403, 404, 409, created=InternalAttemptSerializer),
        summary="Record an internal attempt",
        description="The call-off unit records an internal alternative tried for a need in the "
        "internal search (403 for others; 409 in another status). Name a pool member or describe "
        "the alternative; the outcome filled fills the need internally.",
        examples=[
            OpenApiExample(
                "Asked a pool member",
                value={"pool_member": 7, "outcome": "not_available", "note": "Ledig först i maj"},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="internal-attempts", url_name="internal-attempts")
    def internal_attempts(self, request: Request, pk: str | None = None) -> Response:
        user: Any = request.user
        need: Need = self.get_object()
        if not permissions.is_call_off_unit(user, need.region_id):
            raise PermissionDenied(_("Only the call-off unit checks the internal staffing pool."))
        data = AttemptRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        form = AttemptForm(
            {
                "pool_member": values.get("pool_member") or "",
                "description": values["description"],
                "outcome": values["outcome"],
                "note": values["note"],
            },
            user=user,
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        cleaned = form.cleaned_data
        attempt = run_step(
            lambda: workflow.record_internal_attempt(
                user,
                need,
                outcome=cleaned["outcome"],
                pool_member=cleaned["pool_member"],
                description=cleaned["description"],
                note=cleaned["note"],
            ),
            permitted=lambda: permissions.is_call_off_unit(user, need.region_id),
        )
        attempt = InternalAttempt.objects.select_related("need", "by").get(pk=attempt.pk)
        return Response(InternalAttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)
