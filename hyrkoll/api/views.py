"""The REST API, version 1: read-only views of the organisation, the agreement register and a
supplier's consultants (``base.ScopedReadOnlyViewSet``: each user sees the rows the web app shows them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

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
from hyrkoll.api.base import FlatListMixin, ScopedReadOnlyViewSet, query_date, query_int, query_str
from hyrkoll.consultants.models import Consultant
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, Region


def _date_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.DATE, OpenApiParameter.QUERY, description=description)


def _str_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description)


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
class ConsultantViewSet(FlatListMixin, ScopedReadOnlyViewSet):
    """A supplier's own consultants (a supplier user sees only their supplier's)."""

    model = Consultant
    serializer_class = s.ConsultantSerializer
    flat_fields = {
        "id": "id",
        "supplier_org_no": "supplier__org_no",
        "first_name": "first_name",
        "last_name": "last_name",
        "profession": "profession__code",
        "competence": "competence__code",
        "licence_number": "licence_number",
        "licensed_on": "licensed_on",
        "specialist_since": "specialist_since",
        "hlr_trained_on": "hlr_trained_on",
    }

    def scoped_queryset(self) -> QuerySet[Any]:
        # The id last: consultants of the same name keep their order from page to page.
        return (
            self.visible(Consultant)
            .select_related("supplier", "profession", "competence")
            .order_by("supplier", "last_name", "first_name", "pk")
        )
