"""Serializers of the ordering API: needs (region users) and the supplier portal (call-offs, offers).

The write serializers only parse and validate input; every change of state goes through
``hyrkoll.ordering.workflow``. Related objects offered for writing are looked up in querysets
scoped to the caller (``visible_to``), so an id the caller may not see is simply "not found".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hyrkoll.agreement.models import Competence, Profession
from hyrkoll.assignments.models import Assignment
from hyrkoll.consultants.models import Consultant
from hyrkoll.lib import personal_numbers
from hyrkoll.ordering.models import CallOff, Need, NeedEvent, Offer, OfferCheck
from hyrkoll.organisation.models import OrgUnit


def _code(field: str = "code", **kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field=field, read_only=True, **kwargs)


class _ScopedFieldsMixin:
    """Restrict the writable related fields to what the requesting user may see."""

    scoped_fields: dict[str, type] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        request = self.context.get("request")  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        for name, model in self.scoped_fields.items():
            field = self.fields[name]  # type: ignore[attr-defined]
            if user is None:
                field.queryset = model.objects.none()
            else:
                field.queryset = model.objects.visible_to(user)


# --- Needs ----------------------------------------------------------------------------------------


class NeedSerializer(_ScopedFieldsMixin, serializers.ModelSerializer):
    """A need: what the orderer writes, and the price and routing the system adds."""

    scoped_fields = {"unit": OrgUnit, "profession": Profession, "competence": Competence}

    region = _code(help_text=_("County code of the region."))
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), help_text=_("Id of the care unit (see org-units/).")
    )
    profession = serializers.SlugRelatedField(
        slug_field="code", queryset=Profession.objects.none(), help_text=_("Code of the profession.")
    )
    competence = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Competence.objects.none(),
        help_text=_("Code of the competence; it must belong to the profession."),
    )
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=Decimal("0.1"))
    level = _code(help_text=_("Code of the competence level (follows from the competence)."))
    price_list = _code("version", allow_null=True, help_text=_("Version of the price list priced from."))
    call_off = serializers.SerializerMethodField(help_text=_("Id of the published call-off, if any."))
    # A plain integer: the same choice set is already the schema's DecisionLevelEnum (roles).
    required_level = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Decision level the region's rules require (1 = head of unit … 5 = regional director); "
            "empty until the internal search is closed."
        ),
    )

    class Meta:
        model = Need
        fields = [
            "id",
            "status",
            "region",
            "unit",
            "profession",
            "competence",
            "level",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "shifts_note",
            "reason",
            "required_skills",
            "outside_agreement",
            "outside_supplier_name",
            "outside_hourly_price_sek",
            "outside_justification",
            "price_list",
            "estimated_hourly_price_sek",
            "estimated_cost_sek",
            "required_level",
            "is_dispensation",
            "call_off",
            "created_at",
            "submitted_at",
            "status_changed_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "estimated_hourly_price_sek",
            "estimated_cost_sek",
            "required_level",
            "is_dispensation",
            "created_at",
            "submitted_at",
            "status_changed_at",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_call_off(self, obj: Need) -> int | None:
        call_off = getattr(obj, "call_off", None)  # the reverse one-to-one raises if absent
        return call_off.pk if call_off is not None else None


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the need is cancelled (kept in its history)."))


class NeedEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedEvent
        fields = ["kind", "at", "actor_name", "text"]


# --- Call-offs ------------------------------------------------------------------------------------


class CompetenceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competence
        fields = ["code", "name"]


class MyOfferSerializer(serializers.ModelSerializer):
    """One of the caller's own offers on the call-off."""

    # Plain text here; the enum of offer statuses is described once, on the Offer component.
    status = serializers.CharField(
        read_only=True, help_text=_("submitted, awarded, not_awarded or withdrawn (the outcome).")
    )

    class Meta:
        model = Offer
        fields = ["id", "consultant", "status", "checks_passed"]


class CallOffSerializer(serializers.ModelSerializer):
    """A published call-off with what a supplier needs to answer it."""

    sub_area = _code()
    region = _code(help_text=_("County code of the region."))
    unit = serializers.CharField(source="need.unit.name", read_only=True, help_text=_("Care unit."))
    municipality = serializers.CharField(
        source="need.unit.municipality.code", read_only=True, allow_null=True, default=None
    )
    zone = serializers.IntegerField(
        source="need.unit.municipality.zone",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Price zone of the unit's municipality."),
    )
    competence = CompetenceBriefSerializer(source="need.competence", read_only=True)
    level = serializers.CharField(source="need.level.code", read_only=True)
    starts_on = serializers.DateField(source="need.starts_on", read_only=True)
    ends_on = serializers.DateField(source="need.ends_on", read_only=True)
    hours_per_week = serializers.DecimalField(
        source="need.hours_per_week", max_digits=5, decimal_places=1, read_only=True
    )
    shifts_note = serializers.CharField(source="need.shifts_note", read_only=True)
    required_skills = serializers.CharField(source="need.required_skills", read_only=True)
    agreement_hourly_price_sek = serializers.DecimalField(
        source="need.estimated_hourly_price_sek",
        max_digits=8,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("The agreement's hourly price for the need (price list, level and zone)."),
    )
    # A nested field, not a method that builds a serializer per row: its fields are built once per list.
    my_offers = MyOfferSerializer(
        many=True,
        read_only=True,
        default=list,  # prefetched by the view (``to_attr``), scoped to the caller's supplier
        help_text=_("The caller's own offers on the call-off (empty for region users)."),
    )
    offers_count = serializers.SerializerMethodField(
        help_text=_("Number of offers received; only for region users, null for suppliers.")
    )

    class Meta:
        model = CallOff
        fields = [
            "id",
            "status",
            "published_at",
            "response_deadline",
            "sub_area",
            "region",
            "unit",
            "municipality",
            "zone",
            "competence",
            "level",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "shifts_note",
            "required_skills",
            "agreement_hourly_price_sek",
            "my_offers",
            "offers_count",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_offers_count(self, obj: CallOff) -> int | None:
        return getattr(obj, "offers_count", None)  # annotated by the view for region users only


class AwardSerializer(_ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"offer": Offer}

    offer = serializers.PrimaryKeyRelatedField(
        queryset=Offer.objects.none(), help_text=_("Id of the offer to award.")
    )
    deviation_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the offer is not the highest ranked."),
    )

    def validate_offer(self, offer: Offer) -> Offer:
        call_off = self.context.get("call_off")
        if call_off is not None and offer.call_off_id != call_off.pk:
            raise serializers.ValidationError(_("The offer was not made on this call-off."))
        return offer


class AssignmentSerializer(serializers.ModelSerializer):
    consultant_name = serializers.CharField(source="consultant.__str__", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    price_list = _code("version", help_text=_("Version of the price list the price comes from."))

    class Meta:
        model = Assignment
        fields = [
            "id",
            "call_off",
            "offer",
            "consultant",
            "consultant_name",
            "supplier",
            "supplier_name",
            "starts_on",
            "ends_on",
            "hours_per_week",
            "hourly_price_sek",
            "zone",
            "price_list",
        ]
        read_only_fields = fields


# --- Offers ---------------------------------------------------------------------------------------


class OfferCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfferCheck
        fields = ["code", "passed", "reason"]


class OfferSerializer(serializers.ModelSerializer):
    """An offer with the result of the automatic checks."""

    consultant_name = serializers.CharField(source="consultant.__str__", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    competence = _code(allow_null=True)
    checks = OfferCheckSerializer(many=True, read_only=True)
    rank = serializers.SerializerMethodField(
        help_text=_(
            "1-based position among the offers that passed every check (region users only); "
            "null if the offer is not ranked or the caller is a supplier."
        )
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "call_off",
            "supplier",
            "supplier_name",
            "consultant",
            "consultant_name",
            "licence_number",
            "competence",
            "hlr_trained_on",
            "available_from",
            "available_to",
            "references",
            "submitted_at",
            "status",
            "checks_passed",
            "checked_at",
            "checks",
            "rank",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_rank(self, obj: Offer) -> int | None:
        ranks = self.context.get("ranks")
        if ranks is None:
            return None
        return ranks(obj)


class OfferCreateSerializer(_ScopedFieldsMixin, serializers.ModelSerializer):
    """A supplier's offer of one of its own consultants on a call-off sent to it."""

    scoped_fields = {"call_off": CallOff, "consultant": Consultant, "competence": Competence}

    call_off = serializers.PrimaryKeyRelatedField(queryset=CallOff.objects.none())
    consultant = serializers.PrimaryKeyRelatedField(
        queryset=Consultant.objects.none(), help_text=_("Id of one of your own consultants.")
    )
    competence = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Competence.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("Code of the consultant's specialist competence."),
    )
    references = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Two manager references, one per line.")
    )
    personal_number = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=_(
            "The consultant's personal identity number (YYYYMMDD-NNNN), for the cooling-off check. "
            "Only a keyed hash is stored; the number is never returned."
        ),
    )

    class Meta:
        model = Offer
        fields = [
            "call_off",
            "consultant",
            "licence_number",
            "competence",
            "hlr_trained_on",
            "available_from",
            "available_to",
            "references",
            "personal_number",
        ]
        # An offer made twice is the workflow's call (a conflict, 409), not a field error.
        validators: list[Any] = []

    def validate_personal_number(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return personal_numbers.normalise(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("available_from"), attrs.get("available_to")
        if start and end and end < start:
            raise serializers.ValidationError({"available_to": [_("The end cannot be before the start.")]})
        return attrs
