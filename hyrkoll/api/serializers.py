"""Read-only serializers of the public API.

Related objects are shown by their natural key (county code, municipality code, sub-area code,
agreement reference, organisation number) rather than by database id wherever one exists, so that
a client can match them against its own registers.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hyrkoll.accounts.models import RoleAssignment, User
from hyrkoll.agreement.models import (
    AgreementExtension,
    AgreementParameter,
    Competence,
    CompetenceLevel,
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
from hyrkoll.consultants.models import Consultant
from hyrkoll.organisation.models import CareArea, Municipality, OrgUnit, Region


def _code(field: str = "code", **kwargs: object) -> serializers.SlugRelatedField:
    """A foreign key shown by its natural key."""
    return serializers.SlugRelatedField(slug_field=field, read_only=True, **kwargs)  # type: ignore[arg-type]


# --- Organisation -------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = _code(help_text=_("County code of the region."))

    class Meta:
        model = Municipality
        fields = ["code", "name", "region", "zone", "zone_source"]


class CareAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareArea
        fields = ["code", "name"]


class OrgUnitSerializer(serializers.ModelSerializer):
    region = _code(help_text=_("County code of the region."))
    municipality = _code(allow_null=True)
    care_area = _code(allow_null=True)
    zone = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Price zone of the unit's municipality.")
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "region",
            "parent",
            "kind",
            "code",
            "name",
            "municipality",
            "zone",
            "care_area",
            "is_active",
        ]


# --- Agreement register -------------------------------------------------------------------------


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementExtension
        fields = ["new_end_date", "decided_on", "note"]


class ParameterSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementParameter
        fields = ["key", "value", "valid_from", "is_default_value"]


class AgreementSubAreaSerializer(serializers.ModelSerializer):
    excluded_specialties = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = SubArea
        fields = ["code", "name", "excluded_specialties"]


class AgreementSerializer(serializers.ModelSerializer):
    current_end = serializers.SerializerMethodField(help_text=_("End date including decided extensions."))
    extensions = ExtensionSerializer(many=True, read_only=True)
    sub_areas = AgreementSubAreaSerializer(many=True, read_only=True)
    parameters = ParameterSerializer(many=True, read_only=True)

    class Meta:
        model = FrameworkAgreement
        fields = [
            "id",
            "reference",
            "name",
            "procuring_authority",
            "starts_on",
            "ends_on",
            "current_end",
            "max_extension_months",
            "extensions",
            "sub_areas",
            "parameters",
        ]

    def get_current_end(self, obj: FrameworkAgreement) -> datetime.date:
        # Same rule as FrameworkAgreement.current_end, but reads the prefetched extensions.
        ends = [extension.new_end_date for extension in obj.extensions.all()]
        return max(ends, default=obj.ends_on)


class SubAreaSerializer(serializers.ModelSerializer):
    agreement = _code("reference", help_text=_("Case reference of the agreement."))
    excluded_specialties = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = SubArea
        fields = ["id", "agreement", "code", "name", "excluded_specialties"]


class ProfessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profession
        fields = ["code", "name", "sub_area_code"]


class CompetenceLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetenceLevel
        fields = ["code", "name", "sub_area_code", "rank"]


class CompetenceSerializer(serializers.ModelSerializer):
    profession = _code()
    level = _code(help_text=_("Code of the competence level (price level)."))

    class Meta:
        model = Competence
        fields = ["code", "name", "profession", "level", "requires_specialist_certificate"]


class SupplierAdmissionNestedSerializer(serializers.ModelSerializer):
    sub_area = _code()

    class Meta:
        model = SupplierAdmission
        fields = ["sub_area", "admitted_on", "exited_on"]


class SupplierSerializer(serializers.ModelSerializer):
    admissions = SupplierAdmissionNestedSerializer(many=True, read_only=True)

    class Meta:
        model = Supplier
        fields = ["id", "name", "org_no", "admissions"]


class SupplierAdmissionSerializer(serializers.ModelSerializer):
    supplier_org_no = serializers.CharField(source="supplier.org_no", read_only=True)
    sub_area = _code()

    class Meta:
        model = SupplierAdmission
        fields = ["id", "supplier", "supplier_org_no", "sub_area", "admitted_on", "exited_on"]


class PriceSerializer(serializers.ModelSerializer):
    level = _code(help_text=_("Code of the competence level."))

    class Meta:
        model = Price
        fields = ["level", "zone", "hourly_sek"]


class SupplementSerializer(serializers.ModelSerializer):
    regions = _code(many=True, help_text=_("County codes; empty means every region."))

    class Meta:
        model = Supplement
        fields = ["kind", "sub_area_code", "amount_sek", "unit", "regions", "is_default_value"]


class PriceListSerializer(serializers.ModelSerializer):
    agreement = _code("reference", help_text=_("Case reference of the agreement."))
    prices = PriceSerializer(many=True, read_only=True)
    supplements = SupplementSerializer(many=True, read_only=True)

    class Meta:
        model = PriceList
        fields = ["id", "agreement", "version", "valid_from", "valid_to", "is_demo", "prices", "supplements"]


class RegionAccessionSerializer(serializers.ModelSerializer):
    region = _code(help_text=_("County code of the region."))
    sub_area = _code()

    class Meta:
        model = RegionAccession
        fields = ["region", "sub_area", "acceded_on"]


# --- Consultants --------------------------------------------------------------------------------


class ConsultantSerializer(serializers.ModelSerializer):
    supplier_org_no = serializers.CharField(source="supplier.org_no", read_only=True)
    profession = _code()
    competence = _code(allow_null=True)

    class Meta:
        model = Consultant
        fields = [
            "id",
            "supplier_org_no",
            "first_name",
            "last_name",
            "profession",
            "competence",
            "licence_number",
            "licensed_on",
            "specialist_since",
            "hlr_trained_on",
        ]


# --- Accounts -----------------------------------------------------------------------------------


class RoleAssignmentSerializer(serializers.ModelSerializer):
    org_unit = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("Id of the unit the role is limited to; empty: the whole region."),
    )

    class Meta:
        model = RoleAssignment
        fields = ["role", "decision_level", "org_unit"]


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    region = _code(allow_null=True, help_text=_("County code of the user's region."))
    supplier_org_no = serializers.CharField(source="supplier.org_no", read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "full_name", "scope", "region", "supplier_org_no", "roles"]

    @extend_schema_field(RoleAssignmentSerializer(many=True))
    def get_roles(self, obj: User) -> list[dict[str, object]]:
        assignments = RoleAssignment.objects.visible_to(obj).filter(user=obj).select_related("org_unit")
        return RoleAssignmentSerializer(assignments, many=True).data  # type: ignore[return-value]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
