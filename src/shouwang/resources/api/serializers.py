"""API serializers of resources: records in full, the ledger and the logs as evidence, and the
input of each action (a movement, a transfer, a stock-take, an issue, a call-out, a check-in...)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer, ScopedRelatedField
from shouwang.core.api.fields import SiteDateTimeField
from shouwang.core.models import Person, Team

from .. import queries
from ..choices import RECORDED_CHOICES, CallOutKind, Condition, Purpose
from ..models import (
    AssemblyPoint,
    CallOut,
    CallOutAnswer,
    Equipment,
    EquipmentEvent,
    EquipmentIssue,
    EvacuationPoint,
    Lot,
    PointCheck,
    PointOpening,
    PointVehicle,
    StockMovement,
    StockTake,
    Store,
    SupplyItem,
)
from ..querysets import bucket_of


class CauseMixin(serializers.Serializer):
    used_for = serializers.SerializerMethodField(help_text=_("The record it was used for (an incident), in words."))

    def get_used_for(self, obj) -> str:
        return obj.cause_label


class SupplyItemSerializer(ScopedModelSerializer):
    class Meta:
        model = SupplyItem
        fields = ["id", "jurisdiction", "code", "name", "category", "unit", "specification", "shelf_life_days", "notes",
                  "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class StoreSerializer(ScopedModelSerializer):
    class Meta:
        model = Store
        fields = ["id", "jurisdiction", "name", "address", "lat", "lon", "keeper", "notes", "last_stocktake_on",
                  "created_at", "updated_at"]
        read_only_fields = ["last_stocktake_on", "created_at", "updated_at"]
        extra_kwargs = {"keeper": {"allow_null": False, "required": True}}


class LotSerializer(ScopedModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    expiry = serializers.SerializerMethodField(help_text=_("expired, 30, 60, 90 (days at most), later, none"))

    class Meta:
        model = Lot
        fields = ["id", "jurisdiction", "store", "item", "item_name", "unit", "lot_number", "expires_on", "received_on",
                  "quantity", "expiry", "created_at", "updated_at"]
        read_only_fields = fields

    def get_expiry(self, lot) -> str:
        return bucket_of(lot.expires_on, timezone.localdate()).value


class SupplyMovementSerializer(CauseMixin, ScopedModelSerializer):
    class Meta:
        model = StockMovement
        fields = ["id", "jurisdiction", "store", "item", "lot", "kind", "quantity", "at", "balance_after", "recipient",
                  "reason", "description", "entry", "stocktake", "used_for", "recorded_by", "client_id",
                  "created_at"]
        read_only_fields = fields


class MovementInputSerializer(serializers.Serializer):
    """A movement recorded through the API: in (a lot received), issued (from a lot, or earliest
    expiry first), written off."""

    store = ScopedRelatedField(queryset=Store.objects.all())
    item = ScopedRelatedField(queryset=SupplyItem.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=RECORDED_CHOICES)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    lot = ScopedRelatedField(queryset=Lot.objects.all(), required=False, allow_null=True)
    lot_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    received_on = serializers.DateField(required=False, allow_null=True)
    recipient = serializers.CharField(max_length=120, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    client_id = serializers.UUIDField(required=False, allow_null=True)
    at = SiteDateTimeField(required=False, allow_null=True)


class TransferInputSerializer(serializers.Serializer):
    lot = ScopedRelatedField(queryset=Lot.objects.all())
    to_store = ScopedRelatedField(queryset=Store.objects.all())
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    client_id = serializers.UUIDField(required=False, allow_null=True)


class EntrySerializer(serializers.Serializer):
    """The movements of one entry (one row; two for a transfer; several for an issue across lots)."""

    movements = SupplyMovementSerializer(many=True)


class StockTakeSerializer(ScopedModelSerializer):
    class Meta:
        model = StockTake
        fields = ["id", "jurisdiction", "store", "taken_at", "taken_by", "lots_counted", "differences", "note",
                  "created_at"]
        read_only_fields = fields


class StockTakeInputSerializer(serializers.Serializer):
    store = ScopedRelatedField(queryset=Store.objects.all())
    counts = serializers.DictField(child=serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0),
                                   help_text=_("{lot id: counted quantity}"))
    note = serializers.CharField(required=False, allow_blank=True)


class EquipmentSerializer(ScopedModelSerializer):
    class Meta:
        model = Equipment
        fields = ["id", "jurisdiction", "kind", "name", "serial_number", "store", "state", "condition",
                  "last_checked_on", "notes", "created_at", "updated_at"]
        read_only_fields = ["state", "last_checked_on", "created_at", "updated_at"]


class EquipmentIssueSerializer(CauseMixin, ScopedModelSerializer):
    class Meta:
        model = EquipmentIssue
        fields = ["id", "jurisdiction", "equipment", "person", "team", "purpose", "issued_at", "due_back_at",
                  "issued_by", "returned_at", "return_condition", "received_by", "note", "used_for", "client_uuid",
                  "created_at"]
        read_only_fields = fields


class IssueInputSerializer(serializers.Serializer):
    person = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    team = ScopedRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    due_back_at = SiteDateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class ReturnInputSerializer(serializers.Serializer):
    condition = serializers.ChoiceField(choices=Condition.choices, default=Condition.GOOD)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class EquipmentEventSerializer(ScopedModelSerializer):
    class Meta:
        model = EquipmentEvent
        fields = ["id", "jurisdiction", "equipment", "kind", "at", "by", "condition", "issue", "note", "created_at"]
        read_only_fields = fields


class AssemblyPointSerializer(ScopedModelSerializer):
    class Meta:
        model = AssemblyPoint
        fields = ["id", "jurisdiction", "team", "name", "address", "lat", "lon", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class ShareSerializer(serializers.Serializer):
    key = serializers.CharField(source="label")
    done = serializers.IntegerField()
    of = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField()


class CallOutSerializer(CauseMixin, ScopedModelSerializer):
    shares = serializers.SerializerMethodField()

    class Meta:
        model = CallOut
        fields = ["id", "jurisdiction", "team", "kind", "sent_at", "sent_by", "message", "assembly", "closed_at",
                  "used_for", "shares", "client_uuid", "created_at"]
        read_only_fields = fields

    def get_shares(self, callout) -> list[dict]:
        return ShareSerializer(queries.callout_report(callout)["shares"], many=True).data


class CallOutInputSerializer(serializers.Serializer):
    team = ScopedRelatedField(queryset=Team.objects.all())
    kind = serializers.ChoiceField(choices=CallOutKind.choices, default=CallOutKind.TEST)
    message = serializers.CharField(required=False, allow_blank=True)
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class AssemblyCheckInSerializer(serializers.Serializer):
    persons = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    at = SiteDateTimeField(required=False, allow_null=True)


class CallOutAnswerSerializer(ScopedModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = CallOutAnswer
        fields = ["id", "jurisdiction", "callout", "person", "person_name", "acknowledged_at", "received_at",
                  "arrived_at", "client_uuid", "created_at"]
        read_only_fields = fields


class AcknowledgeInputSerializer(serializers.Serializer):
    callout = serializers.IntegerField()
    client_uuid = serializers.UUIDField()
    device_time = SiteDateTimeField(required=False, allow_null=True)


class EvacuationPointSerializer(ScopedModelSerializer):
    available = serializers.BooleanField(read_only=True)

    class Meta:
        model = EvacuationPoint
        fields = ["id", "jurisdiction", "kind", "name", "grade", "address", "lat", "lon", "capacity", "area_m2",
                  "radius_m", "facilities", "responsible", "last_checked_on", "check_failed", "available", "notes",
                  "created_at", "updated_at"]
        read_only_fields = ["last_checked_on", "check_failed", "created_at", "updated_at"]
        extra_kwargs = {"responsible": {"allow_null": False, "required": True}}


class PointVehicleSerializer(ScopedModelSerializer):
    class Meta:
        model = PointVehicle
        fields = ["id", "jurisdiction", "point", "kind", "count", "plates", "contact", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class PointCheckSerializer(ScopedModelSerializer):
    class Meta:
        model = PointCheck
        fields = ["id", "jurisdiction", "point", "checked_on", "passed", "findings", "checked_by", "created_at"]
        read_only_fields = ["jurisdiction", "checked_by", "created_at"]
        extra_kwargs = {"checked_on": {"required": False}}


class PointOpeningSerializer(CauseMixin, ScopedModelSerializer):
    class Meta:
        model = PointOpening
        fields = ["id", "jurisdiction", "point", "opened_at", "opened_by", "occupancy", "occupancy_at", "closed_at",
                  "closed_by", "note", "used_for", "created_at"]
        read_only_fields = ["jurisdiction", "opened_at", "opened_by", "occupancy_at", "closed_at", "closed_by",
                            "used_for", "created_at"]


class OccupancyInputSerializer(serializers.Serializer):
    occupancy = serializers.IntegerField(min_value=0, max_value=200000)
