from django.contrib import admin

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
from hyrkoll.audit.admin_mixins import AuditedModelAdmin


class ExtensionInline(admin.TabularInline):
    model = AgreementExtension
    extra = 0


class SubAreaInline(admin.TabularInline):
    model = SubArea
    extra = 0


class ParameterInline(admin.TabularInline):
    model = AgreementParameter
    extra = 0


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(AuditedModelAdmin):
    list_display = ["reference", "name", "starts_on", "ends_on"]
    inlines = [SubAreaInline, ExtensionInline, ParameterInline]


class ExcludedSpecialtyInline(admin.TabularInline):
    model = ExcludedSpecialty
    extra = 0


@admin.register(SubArea)
class SubAreaAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "agreement"]
    inlines = [ExcludedSpecialtyInline]


@admin.register(Profession)
class ProfessionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "sub_area_code"]


@admin.register(CompetenceLevel)
class CompetenceLevelAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "sub_area_code", "rank"]


@admin.register(Competence)
class CompetenceAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "profession", "level"]
    list_filter = ["profession", "level"]


class AdmissionInline(admin.TabularInline):
    model = SupplierAdmission
    extra = 0


@admin.register(Supplier)
class SupplierAdmin(AuditedModelAdmin):
    list_display = ["name", "org_no", "email"]
    search_fields = ["name", "org_no"]
    inlines = [AdmissionInline]


@admin.register(SupplierAdmission)
class SupplierAdmissionAdmin(AuditedModelAdmin):
    list_display = ["supplier", "sub_area", "admitted_on", "exited_on"]
    list_filter = ["sub_area"]


class PriceInline(admin.TabularInline):
    model = Price
    extra = 0


class SupplementInline(admin.TabularInline):
    model = Supplement
    extra = 0


@admin.register(PriceList)
class PriceListAdmin(AuditedModelAdmin):
    list_display = ["version", "agreement", "valid_from", "valid_to", "is_demo"]
    inlines = [PriceInline, SupplementInline]


@admin.register(RegionAccession)
class RegionAccessionAdmin(AuditedModelAdmin):
    list_display = ["region", "sub_area", "acceded_on"]
    list_filter = ["sub_area"]
