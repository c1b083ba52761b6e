"""The REST API, version 1: read-only views of the agreement register and the caller's own data.

Every queryset starts from ``Model.objects.visible_to(request.user)`` (``hyrkoll.lib.scoping``),
including the ones prefetched for nested lists, so a user sees through the API exactly what the
web app shows them. Query-parameter filters only narrow that further.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from hyrkoll.accounts.models import User
from hyrkoll.agreement.models import (
    AgreementExtension,
    AgreementParameter,
    Competence,
    CompetenceLevel,
    ExcludedSpecialty,
    FrameworkAgreement,
    Price,
    PriceList,
    Profession,
    RegionAccession,
    SubArea,
    Supplement,
    Supplier,
    SupplierAdmission,
)
from hyrkoll.api import serializers as s
from hyrkoll.api.schema import ApiAutoSchema
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction
from hyrkoll.consultants.models import Consultant
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, Region

# --- Helpers ------------------------------------------------------------------------------------


def query_date(request: Request, name: str) -> datetime.date | None:
    """The query parameter ``name`` as a date, ``None`` if absent; a 400 naming it if malformed."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30
        value = None
    if value is None:
        raise ValidationError(
            {name: [_("%(parameter)s must be a date in the format YYYY-MM-DD.") % {"parameter": name}]}
        )
    return value


# The years a query parameter may name: a year's arithmetic (the previous year, rolling 12 months)
# stays inside what dates and the databases hold.
FIRST_YEAR, LAST_YEAR = 1900, 2999
# A 64-bit signed integer, the widest the databases compare with an id.
INT_RANGE = (-(2**63), 2**63 - 1)


def query_int(
    request: Request, name: str, *, minimum: int = INT_RANGE[0], maximum: int = INT_RANGE[1]
) -> int | None:
    """The query parameter ``name`` as an integer, ``None`` if absent; a 400 naming it if malformed
    or outside ``minimum``–``maximum``."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        message = _("%(parameter)s must be a whole number.") % {"parameter": name}
        raise ValidationError({name: [message]}) from None
    if not minimum <= value <= maximum:
        message = _("%(parameter)s must be between %(minimum)s and %(maximum)s.") % {
            "parameter": name,
            "minimum": minimum,
            "maximum": maximum,
        }
        raise ValidationError({name: [message]})
    return value


def query_str(request: Request, name: str) -> str | None:
    """The query parameter ``name``, ``None`` if absent; a 400 naming it if it holds a NUL character
    (which no stored text contains, and which PostgreSQL refuses to compare: a 500 otherwise)."""
    value = request.query_params.get(name, "").strip()
    if "\x00" in value:
        message = _("%(parameter)s must not contain a NUL character.") % {"parameter": name}
        raise ValidationError({name: [message]})
    return value or None


def _date_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.DATE, OpenApiParameter.QUERY, description=description)


def _str_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose rows are the ones the caller may see.

    Subclasses set ``model`` and may override ``scoped_queryset`` (to add select/prefetch) and
    ``filter_list`` (query-parameter filters, applied to the list only).
    """

    model: type[Model]
    schema = ApiAutoSchema()

    def visible(self, model: type[Model]) -> QuerySet[Any]:
        return model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(self.model)

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.scoped_queryset()
        if self.action == "list":
            queryset = self.filter_list(queryset)
        return queryset

    def get_object(self) -> Any:
        # No row has a NUL in its code, and PostgreSQL refuses to compare one (a 500 otherwise).
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise NotFound()
        return super().get_object()


# --- Organisation -------------------------------------------------------------------------------


@extend_schema(tags=["organisation"])
class RegionViewSet(ScopedReadOnlyViewSet):
    """The 21 regions; ``code`` is the county code."""

    model = Region
    serializer_class = s.RegionSerializer
    lookup_field = "code"


@extend_schema(tags=["organisation"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            _str_parameter("region", "Only municipalities in this region (county code, e.g. 14)."),
            OpenApiParameter(
                "zone", OpenApiTypes.INT, OpenApiParameter.QUERY, description="Only this zone (1–3)."
            ),
        ]
    )
)
class ZoneViewSet(ScopedReadOnlyViewSet):
    """Municipalities with their price zone (1 = metropolitan … 3 = rural)."""

    model = Municipality
    serializer_class = s.MunicipalitySerializer
    lookup_field = "code"

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(Municipality).select_related("region")

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        region = query_str(self.request, "region")
        if region is not None:
            queryset = queryset.filter(region__code=region)
        zone = query_int(self.request, "zone")
        if zone is not None:
            queryset = queryset.filter(zone=zone)
        return queryset


@extend_schema(tags=["organisation"])
class CareAreaViewSet(ScopedReadOnlyViewSet):
    model = CareArea
    serializer_class = s.CareAreaSerializer
    lookup_field = "code"


@extend_schema(tags=["organisation"])
class OrgUnitViewSet(ScopedReadOnlyViewSet):
    """Units of the regions' organisations: a region user sees their own region's, a supplier none."""

    model = OrgUnit
    serializer_class = s.OrgUnitSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(OrgUnit).select_related("region", "municipality", "care_area")


# --- Agreement register -------------------------------------------------------------------------


@extend_schema(tags=["agreement"])
class AgreementViewSet(ScopedReadOnlyViewSet):
    """Framework agreements with their extensions, sub-areas and dated parameters."""

    model = FrameworkAgreement
    serializer_class = s.AgreementSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(FrameworkAgreement).prefetch_related(
            Prefetch("extensions", queryset=self.visible(AgreementExtension)),
            Prefetch(
                "sub_areas",
                queryset=self.visible(SubArea).prefetch_related(
                    Prefetch("excluded_specialties", queryset=self.visible(ExcludedSpecialty))
                ),
            ),
            Prefetch("parameters", queryset=self.visible(AgreementParameter)),
        )


@extend_schema(tags=["agreement"])
class SubAreaViewSet(ScopedReadOnlyViewSet):
    model = SubArea
    serializer_class = s.SubAreaSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            self.visible(SubArea)
            .select_related("agreement")
            .prefetch_related(Prefetch("excluded_specialties", queryset=self.visible(ExcludedSpecialty)))
        )


@extend_schema(tags=["agreement"])
class ProfessionViewSet(ScopedReadOnlyViewSet):
    model = Profession
    serializer_class = s.ProfessionSerializer
    lookup_field = "code"


@extend_schema(tags=["agreement"])
class CompetenceLevelViewSet(ScopedReadOnlyViewSet):
    """Price levels of each sub-area."""

    model = CompetenceLevel
    serializer_class = s.CompetenceLevelSerializer
    lookup_field = "code"


@extend_schema(tags=["agreement"])
class CompetenceViewSet(ScopedReadOnlyViewSet):
    """What an orderer asks for, mapped to its profession and price level."""

    model = Competence
    serializer_class = s.CompetenceSerializer
    lookup_field = "code"

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(Competence).select_related("profession", "level")


@extend_schema(tags=["suppliers"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            _str_parameter("sub_area", "Only suppliers admitted to this sub-area (code, e.g. doctors)."),
            _date_parameter(
                "admitted_on",
                "Only suppliers admitted and not exited on this date (YYYY-MM-DD); with sub_area, "
                "admitted to that sub-area on that date.",
            ),
        ]
    )
)
class SupplierViewSet(ScopedReadOnlyViewSet):
    """Staffing companies and their admissions to the agreement's sub-areas."""

    model = Supplier
    serializer_class = s.SupplierSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(Supplier).prefetch_related(
            Prefetch("admissions", queryset=self.visible(SupplierAdmission).select_related("sub_area"))
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        sub_area = query_str(self.request, "sub_area")
        admitted_on = query_date(self.request, "admitted_on")
        if sub_area is None and admitted_on is None:
            return queryset
        admissions = self.visible(SupplierAdmission)
        if sub_area is not None:
            admissions = admissions.filter(sub_area__code=sub_area)
        if admitted_on is not None:
            admissions = admissions.in_force(admitted_on)  # type: ignore[attr-defined]
        return queryset.filter(pk__in=admissions.values("supplier_id"))


@extend_schema(tags=["suppliers"])
class AdmissionViewSet(ScopedReadOnlyViewSet):
    """Each admission of a supplier to a sub-area, with its dates."""

    model = SupplierAdmission
    serializer_class = s.SupplierAdmissionSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(SupplierAdmission).select_related("supplier", "sub_area")


@extend_schema(tags=["agreement"])
@extend_schema_view(
    list=extend_schema(
        parameters=[_date_parameter("on", "Only the version(s) in force on this date (YYYY-MM-DD).")]
    )
)
class PriceListViewSet(ScopedReadOnlyViewSet):
    """Versions of the price list: hourly price per level and zone, and supplements."""

    model = PriceList
    serializer_class = s.PriceListSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            self.visible(PriceList)
            .select_related("agreement")
            .prefetch_related(
                Prefetch("prices", queryset=self.visible(Price).select_related("level")),
                Prefetch(
                    "supplements",
                    queryset=self.visible(Supplement).prefetch_related(
                        Prefetch("regions", queryset=self.visible(Region))
                    ),
                ),
            )
        )

    def filter_list(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        on = query_date(self.request, "on")
        if on is not None:
            queryset = queryset.in_force(on)  # type: ignore[attr-defined]
        return queryset


@extend_schema(tags=["agreement"])
class AccessionViewSet(ScopedReadOnlyViewSet):
    """The date each region joined the agreement for each sub-area."""

    model = RegionAccession
    serializer_class = s.RegionAccessionSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(RegionAccession).select_related("region", "sub_area")


# --- Consultants --------------------------------------------------------------------------------


@extend_schema(tags=["suppliers"])
class ConsultantViewSet(ScopedReadOnlyViewSet):
    """A supplier's own consultants (a supplier user sees only their supplier's)."""

    model = Consultant
    serializer_class = s.ConsultantSerializer

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(Consultant).select_related("supplier", "profession", "competence")


# --- Accounts -----------------------------------------------------------------------------------


@extend_schema(tags=["accounts"])
class MeView(APIView):
    """The signed-in user: scope, region or supplier, and roles."""

    schema = ApiAutoSchema()

    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        users = User.objects.visible_to(request.user).select_related("region", "supplier")
        user = users.get(pk=request.user.pk)
        return Response(s.MeSerializer(user).data)


class TokenRateThrottle(AnonRateThrottle):
    """Limits token requests per client address (the ``anon`` rate in settings)."""


@extend_schema(tags=["accounts"])
class ObtainTokenView(APIView):
    """Exchange a username and password for the user's API token.

    Authentication goes through django-axes, so repeated failures lock the account for this
    address just as on the login page.
    """

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]
    schema = ApiAutoSchema()

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        # Lets the browsable API render a form.
        return s.TokenRequestSerializer(*args, **kwargs)

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={
            200: s.TokenResponseSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            403: OpenApiResponse(description="Locked after too many failed attempts."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        # Axes flags the request it was given (the DRF request) when the account is locked.
        if getattr(request, "axes_locked_out", False):
            return Response(
                {"detail": _("Too many failed sign-in attempts. Try again later.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        if user is None:
            return Response(
                {"non_field_errors": [_("Unable to sign in with the given username and password.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        with transaction.atomic():
            token, created = Token.objects.get_or_create(user=user)
            if created:
                audit.record(user, AuditAction.UPDATE, user, reason="API token created")
        # A successful sign-in: updates last_login and resets the failure count (AXES_RESET_ON_SUCCESS).
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"token": token.key})
