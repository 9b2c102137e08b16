from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer
from shouwang.core.api.fields import DownloadField

from ..choices import RiskColour, WorkingState
from ..models import Attachment, Defence, HazardousStock, KeyPlace, RiskRating, StockMovement


class KeyPlaceSerializer(ScopedModelSerializer):
    colour = serializers.SerializerMethodField(help_text="Today's colour (null when never rated).")
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = KeyPlace
        fields = ["id", "jurisdiction", "name", "kind", "category", "unit", "address", "lat", "lon", "polygon",
                  "responsible_unit", "responsible_person", "protective_forces", "special_precautions",
                  "review_period_days", "last_reviewed_at", "is_infrastructure", "colour", "review_overdue",
                  "created_at", "updated_at"]
        read_only_fields = ["last_reviewed_at", "created_at", "updated_at"]

    def get_colour(self, obj) -> str | None:
        return getattr(obj, "colour", None)

    def get_review_overdue(self, obj) -> bool | None:
        return getattr(obj, "review_overdue", None)


class DefenceSerializer(ScopedModelSerializer):
    class Meta:
        model = Defence
        fields = ["id", "jurisdiction", "place", "name", "kind", "type", "cctv_count", "coverage_percent",
                  "guard_count", "state", "last_checked_on", "check_period_days", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class HazardousStockSerializer(ScopedModelSerializer):
    class Meta:
        model = HazardousStock
        fields = ["id", "jurisdiction", "place", "substance", "hazard_class", "quantity", "unit_of_measure",
                  "storage_place", "keeper", "last_checked_on", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple) and hasattr(self.instance, "pk"):
            fields["quantity"].read_only = True  # the balance moves only through movements
        return fields


class StockMovementSerializer(ScopedModelSerializer):
    class Meta:
        model = StockMovement
        fields = ["id", "jurisdiction", "stock", "kind", "quantity", "at", "balance_after", "description",
                  "recorded_by", "client_id", "created_at"]
        read_only_fields = ["jurisdiction", "balance_after", "recorded_by", "created_at"]
        extra_kwargs = {"at": {"required": False}, "client_id": {"validators": []}}


class RiskRatingSerializer(ScopedModelSerializer):
    class Meta:
        model = RiskRating
        fields = ["id", "jurisdiction", "place", "date", "colour", "rule_colour", "rule_reasons", "reason", "set_by",
                  "created_at"]
        read_only_fields = ["jurisdiction", "date", "rule_colour", "rule_reasons", "set_by", "created_at"]
        extra_kwargs = {"reason": {"required": False, "allow_blank": True}}


class AttachmentSerializer(ScopedModelSerializer):
    file = DownloadField(route="attachment-download", allow_null=False)

    class Meta:
        model = Attachment
        fields = ["id", "jurisdiction", "place", "kind", "title", "file", "size", "created_at"]
        read_only_fields = ["jurisdiction", "size", "created_at"]


class PlaceReviewSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class ColourSerializer(serializers.Serializer):
    colour = serializers.ChoiceField(choices=RiskColour.choices)
    reason = serializers.CharField(required=False, allow_blank=True)


class DefenceCheckSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=WorkingState.choices)
    on = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
