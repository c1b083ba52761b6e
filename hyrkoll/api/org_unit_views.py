"""Writing the regions' organisation over the API: the region administrator creates and updates
their own region's units.

The rules are the web's: who may change is ``organisation.views.can_change_organisation`` (a region
admin, their own region), the validation is ``OrgUnitForm`` (parent and municipality within the
region, unique code, and the model's ``clean``: levels, a care unit's municipality and care area),
and each save is recorded in the audit trail in the same transaction, as ``AuditedCreateView`` and
``AuditedUpdateView`` do. Reading is unchanged (``views.OrgUnitViewSet``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from hyrkoll.api import serializers as s
from hyrkoll.api.base import INT_RANGE
from hyrkoll.api.views import OrgUnitViewSet
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.organisation.forms import OrgUnitForm
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, OrgUnitKind
from hyrkoll.organisation.views import can_change_organisation


class OrgUnitWriteSerializer(serializers.Serializer):
    """A unit as written: related rows by the same keys the read shape shows."""

    kind = serializers.ChoiceField(choices=OrgUnitKind.choices)
    parent = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=1,
        max_value=INT_RANGE[1],
        help_text=_("Id of the unit above (empty only for an administration)."),
    )
    code = serializers.CharField(max_length=30, help_text=_("The region's own identifier, e.g. cost centre."))
    name = serializers.CharField(max_length=200)
    municipality = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        required=False,
        max_length=10,
        help_text=_("Municipality code (required for a care unit; decides the price zone)."),
    )
    care_area = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        required=False,
        max_length=20,
        help_text=_("Care area code (required for a care unit)."),
    )
    is_active = serializers.BooleanField(default=True)

    def validate_municipality(self, code: str | None) -> int | None:
        return self._pk_of(Municipality, code, _("No municipality has this code."))

    def validate_care_area(self, code: str | None) -> int | None:
        return self._pk_of(CareArea, code, _("No care area has this code."))

    @staticmethod
    def _pk_of(model: type[Any], code: str | None, message: str) -> int | None:
        if not code:
            return None
        pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
        if pk is None:
            raise serializers.ValidationError(message)
        return int(pk)


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The web form's POST data for the unit's values (related rows by id)."""
    return {
        "kind": values["kind"],
        "parent": values.get("parent") or "",
        "code": values["code"],
        "name": values["name"],
        "municipality": values.get("municipality") or "",
        "care_area": values.get("care_area") or "",
        "is_active": "on" if values.get("is_active", True) else "",
    }


def _current_values(unit: OrgUnit) -> dict[str, Any]:
    return {
        "kind": unit.kind,
        "parent": unit.parent_id,
        "code": unit.code,
        "name": unit.name,
        "municipality": unit.municipality_id,
        "care_area": unit.care_area_id,
        "is_active": unit.is_active,
    }


def _validated_form(user: Any, values: dict[str, Any], instance: OrgUnit | None = None) -> OrgUnitForm:
    form = OrgUnitForm(_form_data(values), instance=instance, user=user)
    if not form.is_valid():
        raise ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): [
                    str(m) for m in messages
                ]
                for field, messages in form.errors.items()
            }
        )
    return form


_UNIT_EXAMPLE = OpenApiExample(
    "A care unit",
    value={
        "kind": "care_unit",
        "parent": 12,
        "code": "VGR-PV-002",
        "name": "Vårdcentralen Norr",
        "municipality": "1480",
        "care_area": "primary",
        "is_active": True,
    },
    request_only=True,
)
_WRITE_ERRORS = {
    400: OpenApiResponse(description="Invalid input; the errors are given per field (nothing is stored)."),
}


@extend_schema(tags=["organisation"])
@extend_schema_view(
    create=extend_schema(
        summary="Create a unit of the caller's region",
        description="The region administrator only; validated as in the web form and recorded in the "
        "audit trail. Everyone else gets 403.",
        request=OrgUnitWriteSerializer,
        examples=[_UNIT_EXAMPLE],
        responses={201: s.OrgUnitSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a unit of the caller's region",
        description="The region administrator of the unit's region only (403 for others who see the "
        "unit, 404 for those who do not). Only the fields sent change; the whole unit is then "
        "validated as in the web form and the change recorded in the audit trail.",
        request=OrgUnitWriteSerializer,
        examples=[OpenApiExample("Rename", value={"name": "Vårdcentralen Centrum"}, request_only=True)],
        responses={200: s.OrgUnitSerializer, **_WRITE_ERRORS},
    ),
)
class OrgUnitWriteViewSet(mixins.CreateModelMixin, OrgUnitViewSet):
    """Units of the regions' organisations; the region administrator writes their own region's."""

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("create", "partial_update"):
            return OrgUnitWriteSerializer
        return s.OrgUnitSerializer

    def _read(self, unit: OrgUnit) -> dict[str, Any]:
        return s.OrgUnitSerializer(self.scoped_queryset().get(pk=unit.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        if not can_change_organisation(user, user.region_id):
            raise PermissionDenied(_("Only the region's administrator changes its organisation."))
        data = OrgUnitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = _validated_form(user, dict(data.validated_data))
        with transaction.atomic():
            unit = form.save()
            audit.record(user, AuditAction.CREATE, unit)
        return Response(self._read(unit), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        unit: OrgUnit = self.get_object()
        if not can_change_organisation(user, unit.region_id):
            raise PermissionDenied(_("Only the region's administrator changes its organisation."))
        data = OrgUnitWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        # The form changes the instance while validating; keep the state as it was in the database.
        before = audit.snapshot(unit)
        form = _validated_form(user, {**_current_values(unit), **data.validated_data}, instance=unit)
        with transaction.atomic():
            unit = form.save()
            audit.record(user, AuditAction.UPDATE, unit, before=before)
        return Response(self._read(unit))
