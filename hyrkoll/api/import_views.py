"""The follow-up imports over the API: upload a cost or metrics file, then follow its job.

An upload is validated by the web's own form (``ImportUploadForm``: file type and size, kind) and
stored by ``jobs.enqueue`` exactly as a web upload: QUEUED for ``hyrkoll run_jobs``, and started in a
thread of this process when ``FOLLOWUP_IMPORT_INLINE_THREAD`` is on. Who may upload is the web's
rule (``uploads.can_upload``: a region's controller for their own region, the national
coordinator for any); who sees an import is ``CostImport.objects.visible_to`` (a region its own, the
national level all). Suppliers get 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from hyrkoll.api.base import ScopedReadOnlyViewSet
from hyrkoll.followup import importing
from hyrkoll.followup.access import can_follow_up
from hyrkoll.followup.forms_imports import ImportUploadForm
from hyrkoll.followup.models import CostImport, ImportKind
from hyrkoll.followup.uploads import can_upload, queue_upload  # the web upload's rules

# --- Serializers ------------------------------------------------------------------------------------


class ImportUploadSerializer(serializers.Serializer):
    """The multipart upload; the rules on the file are the web form's."""

    file = serializers.FileField(help_text=_("The file: CSV (.csv, .txt) or an Excel workbook (.xlsx)."))
    kind = serializers.ChoiceField(
        choices=ImportKind.choices,
        default=ImportKind.COSTS,
        help_text=_(
            "costs: region,period,cost_type,profession,care_area,amount_sek[,supplier_org_no,unit]; "
            "metrics: region,period,metric,profession,care_area,value."
        ),
    )
    replace = serializers.BooleanField(
        default=False,
        help_text=_(
            "Replace the region-months the file covers; without it a file touching a month that already "
            "holds figures is rejected."
        ),
    )
    definition_note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What the region's own personnel cost includes (e.g. excl. dental care)."),
    )


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text=_("Line of the file; empty for the file."))
    field = serializers.CharField(allow_blank=True, help_text=_("Column; empty for the row or file."))
    value = serializers.CharField(allow_blank=True, required=False)
    message = serializers.CharField()


class CostImportSerializer(serializers.ModelSerializer):
    """One import: its job's status and progress, what it stored, and its errors (first 1,000)."""

    url = serializers.HyperlinkedIdentityField(view_name="api-cost-import-detail")
    region = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("County code when the upload was a region's own (empty: a national upload)."),
    )
    progress_pct = serializers.IntegerField(read_only=True)
    error_count = serializers.SerializerMethodField(help_text=_("Every error, also those not listed."))
    duplicate_of = serializers.SerializerMethodField(
        help_text=_("Id of the earlier import of the same file, when rejected as already imported.")
    )
    totals = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Sum per cost type (SEK) or metric of the stored rows, as decimal strings."),
    )
    region_months = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The region-months the file covers, e.g. 14-2024-01."),
    )

    class Meta:
        model = CostImport
        fields = [
            "id",
            "url",
            "kind",
            "status",
            "region",
            "filename",
            "sha256",
            "replace",
            "definition_note",
            "created_at",
            "finished_at",
            "lines",
            "lines_done",
            "progress_pct",
            "entries",
            "region_months",
            "totals",
            "error_count",
            "duplicate_of",
        ]
        read_only_fields = fields

    def get_error_count(self, cost_import: CostImport) -> int:
        return importing.error_count(cost_import)

    def get_duplicate_of(self, cost_import: CostImport) -> int | None:
        return next((e["duplicate_of"] for e in cost_import.errors or [] if e.get("duplicate_of")), None)


class CostImportDetailSerializer(CostImportSerializer):
    errors = serializers.SerializerMethodField(
        help_text=_("The first 1,000 errors, each naming its row and field; error_count counts all.")
    )

    class Meta(CostImportSerializer.Meta):
        fields = [*CostImportSerializer.Meta.fields, "errors"]
        read_only_fields = fields

    @staticmethod
    def _listed(cost_import: CostImport) -> list[dict[str, Any]]:
        # The importer ends a truncated list with a "… and N more" entry; error_count carries N.
        return [
            {key: error.get(key) for key in ("row", "field", "value", "message")}
            for error in cost_import.errors or []
            if not error.get("more")
        ]

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, cost_import: CostImport) -> Any:
        return ImportErrorSerializer(self._listed(cost_import), many=True).data


# --- Views ------------------------------------------------------------------------------------------------


class CanFollowUp(BasePermission):
    """Region and national users (the follow-up pages' rule); suppliers are refused."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_follow_up(request.user)


_UPLOAD_EXAMPLE = OpenApiExample(
    "A region's ledger",
    value={"file": "(ledger.csv)", "kind": "costs", "replace": False, "definition_note": "exkl. tandvård"},
    request_only=True,
)


@extend_schema(tags=["follow-up"])
@extend_schema_view(
    list=extend_schema(summary="The imports the caller may see (a region its own, the nation all)"),
    retrieve=extend_schema(
        summary="An import: status, progress, totals and errors",
        responses=CostImportDetailSerializer,
    ),
    create=extend_schema(
        summary="Upload a cost or metrics file",
        description=(
            "Multipart upload, queued as the same background job as a web upload (``hyrkoll run_jobs``). "
            "Answers 202 with the queued import; poll its url until status is done or rejected. The "
            "whole file is checked first: a wrong row rejects the import and changes nothing. A "
            "region's controller uploads for their own region (every row must be it), the national "
            "coordinator for any. 400 when the file is missing, empty, not .csv/.txt/.xlsx or larger "
            "than the limit; nothing is stored then."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        examples=[_UPLOAD_EXAMPLE],
        responses={
            202: CostImportDetailSerializer,
            400: OpenApiResponse(description="Invalid input; the errors are given per field."),
        },
    ),
)
class CostImportViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Cost and metrics imports and their background jobs."""

    model = CostImport
    serializer_class = CostImportSerializer
    permission_classes = [IsAuthenticated, CanFollowUp]
    parser_classes = [MultiPartParser, FormParser]

    def scoped_queryset(self) -> QuerySet[Any]:
        return self.visible(CostImport).select_related("region")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return ImportUploadSerializer
        if self.action == "retrieve":
            return CostImportDetailSerializer
        return CostImportSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        # Refused before the input is read, as the web upload page refuses.
        if not can_upload(user):
            raise PermissionDenied(_("Only a region's controller or the national coordinator uploads."))
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        form = ImportUploadForm(
            {
                "kind": data["kind"],
                "replace": "on" if data["replace"] else "",
                "definition_note": data["definition_note"],
            },
            {"file": data["file"]},
        )
        if not form.is_valid():
            raise ValidationError(
                {field: [str(m) for m in messages] for field, messages in form.errors.items()}
            )
        cost_import = queue_upload(user, form.cleaned_data)  # the web upload's own path
        cost_import = self.scoped_queryset().get(pk=cost_import.pk)
        body = CostImportDetailSerializer(cost_import, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
