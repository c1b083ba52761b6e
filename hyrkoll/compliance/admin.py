from django.contrib import admin

from hyrkoll.compliance.models import DirectPurchase, SupplierDeviation, Suspension


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the compliance pages (validated and audited), never the admin."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SupplierDeviation)
class SupplierDeviationAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "region", "supplier", "kind", "withdrawn_at"]
    list_filter = ["kind", "region"]
    readonly_fields = [f.name for f in SupplierDeviation._meta.fields]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["supplier", "starts_on", "ends_on", "lifted_on"]
    readonly_fields = [f.name for f in Suspension._meta.fields]


@admin.register(DirectPurchase)
class DirectPurchaseAdmin(ReadOnlyAdmin):
    list_display = ["region", "supplier_name", "supplier_org_no", "starts_on", "ends_on", "total_sek", "need"]
    list_filter = ["region"]
    readonly_fields = [f.name for f in DirectPurchase._meta.fields]
