"""Serializers of schools: times in the site's zone (+08:00), a label beside every code, names
beside ids. The bodies of the phone's actions (visitors, vehicles, gate, cameras, handovers) are
plain serializers documenting what a service reads; the service checks it."""

from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer
from shouwang.core.api.fields import SiteDateTimeField

from ..choices import CameraResult, IdType, VehicleKind, VehicleOutcome
from ..models import (
    Camera,
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Handover,
    KeySpot,
    PupilClass,
    Purge,
    School,
    VehicleEntry,
    VisitorEntry,
    VisitorRead,
)


def _label(field):
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


def _name(source):
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


class SchoolSerializer(ScopedModelSerializer):
    name = _name("unit.name")
    kind = serializers.CharField(source="unit.kind", read_only=True)

    class Meta:
        model = School
        fields = ["id", "jurisdiction", "unit", "name", "kind", "pupils", "boarding", "buildings", "storeys",
                  "security_staff", "leaders", "rosters", "policy", "arrival_start", "arrival_end", "dismissal_start",
                  "dismissal_end", "closing_time", "created_at", "updated_at"]
        read_only_fields = ["jurisdiction", "created_at", "updated_at"]


class _SchoolPart(ScopedModelSerializer):
    school_name = _name("school.unit.name")


class KeySpotSerializer(_SchoolPart):
    kind_label = _label("kind")

    class Meta:
        model = KeySpot
        fields = ["id", "jurisdiction", "school", "school_name", "kind", "kind_label", "name", "checkpoint"]
        read_only_fields = ["jurisdiction"]


class CameraSerializer(_SchoolPart):
    spot_name = _name("spot.name")

    class Meta:
        model = Camera
        fields = ["id", "jurisdiction", "school", "school_name", "spot", "spot_name", "name", "active"]
        read_only_fields = ["jurisdiction"]


class PupilClassSerializer(_SchoolPart):
    teacher_name = _name("teacher.name")

    class Meta:
        model = PupilClass
        fields = ["id", "jurisdiction", "school", "school_name", "name", "young", "teacher", "teacher_name"]
        read_only_fields = ["jurisdiction"]


class GateConfirmationSerializer(_SchoolPart):
    role_label = _label("role")
    person_name = _name("person.name")

    class Meta:
        model = GateConfirmation
        fields = ["id", "jurisdiction", "school", "school_name", "window", "role", "role_label", "person",
                  "person_name", "assignment", "at", "received_at", "lat", "lon", "distance_m", "client_uuid"]
        read_only_fields = fields


class GateWindowSerializer(_SchoolPart):
    kind_label = _label("kind")
    state = serializers.SerializerMethodField()
    confirmations = GateConfirmationSerializer(many=True, read_only=True)

    class Meta:
        model = GateWindow
        fields = ["id", "jurisdiction", "school", "school_name", "day", "kind", "kind_label", "starts_at", "ends_at",
                  "state", "confirmations"]
        read_only_fields = fields

    def get_state(self, obj) -> str:
        return self.context.get("states", {}).get(obj.pk, "")


class VisitorEntrySerializer(_SchoolPart):
    id_type_label = _label("id_type")
    host_name = _name("host.name")

    class Meta:
        model = VisitorEntry
        fields = ["id", "jurisdiction", "school", "school_name", "name", "phone", "organisation", "purpose", "host",
                  "host_name", "id_type", "id_type_label", "id_last4", "badge", "entered_at", "left_at",
                  "host_confirmed_at", "flagged_at", "received_at", "client_uuid"]
        read_only_fields = fields


class VehicleEntrySerializer(_SchoolPart):
    kind_label = _label("kind")
    outcome_label = _label("outcome")
    host_name = _name("host.name")

    class Meta:
        model = VehicleEntry
        fields = ["id", "jurisdiction", "school", "school_name", "plate", "driver", "kind", "kind_label", "purpose",
                  "host", "host_name", "outcome", "outcome_label", "refusal_reason", "at", "left_at", "received_at",
                  "client_uuid"]
        read_only_fields = fields


class CameraCheckSerializer(_SchoolPart):
    result_label = _label("result")
    camera_name = _name("camera.name")
    order = serializers.SerializerMethodField()

    class Meta:
        model = CameraCheck
        fields = ["id", "jurisdiction", "school", "school_name", "camera", "camera_name", "day", "result",
                  "result_label", "note", "checked_at", "finding", "order", "client_uuid"]
        read_only_fields = fields

    def get_order(self, obj) -> str | None:
        order = getattr(obj.finding, "order", None) if obj.finding_id else None
        return order.number if order else None


class PupilHandoverSerializer(_SchoolPart):
    class_name = _name("pupil_class.name")

    class Meta:
        model = Handover
        fields = ["id", "jurisdiction", "school", "school_name", "pupil_class", "class_name", "day", "at", "client_uuid"]
        read_only_fields = fields


class VisitorReadSerializer(_SchoolPart):
    channel_label = _label("channel")
    reader_name = serializers.SerializerMethodField()

    class Meta:
        model = VisitorRead
        fields = ["id", "jurisdiction", "school", "school_name", "reader", "reader_name", "at", "channel",
                  "channel_label", "what", "rows"]
        read_only_fields = fields

    def get_reader_name(self, obj) -> str:
        user = obj.reader
        if user is None:
            return ""
        person = getattr(user, "person", None)
        return person.name if person else (user.get_full_name() or user.get_username())


class PurgeSerializer(_SchoolPart):
    class Meta:
        model = Purge
        fields = ["id", "jurisdiction", "school", "school_name", "at", "retention_days", "before", "visitors", "vehicles"]
        read_only_fields = fields


# --- bodies of the actions (documented; the services check them) ----------------------------------

class _Sent(serializers.Serializer):
    client_uuid = serializers.UUIDField(help_text="The phone's id of this submission: sent again, it is the same.")
    device_time = SiteDateTimeField(required=False, help_text="When it happened on the phone (it may sync later).")


class VisitorInSerializer(_Sent):
    school = serializers.IntegerField()
    name = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=30)
    organisation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    purpose = serializers.CharField(max_length=100)
    host = serializers.IntegerField(help_text="A person of the school.")
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False)
    id_last4 = serializers.CharField(max_length=4, help_text="The last four characters of the document number only.")
    badge = serializers.CharField(max_length=20, required=False, allow_blank=True)


class VisitorOutSerializer(serializers.Serializer):
    visitor = serializers.CharField(help_text="The visitor's id, or the client id he was registered with.")
    device_time = SiteDateTimeField(required=False)


class VehicleSerializer(_Sent):
    school = serializers.IntegerField()
    plate = serializers.CharField(max_length=12)
    driver = serializers.CharField(max_length=40, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=VehicleKind.choices)
    outcome = serializers.ChoiceField(choices=VehicleOutcome.choices, required=False)
    refusal_reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    purpose = serializers.CharField(max_length=100, required=False, allow_blank=True)
    host = serializers.IntegerField(required=False, allow_null=True)


class VehicleOutSerializer(serializers.Serializer):
    vehicle = serializers.CharField(help_text="The vehicle's id, or the client id it was registered with.")
    device_time = SiteDateTimeField(required=False)


class GateInSerializer(_Sent):
    window = serializers.IntegerField()
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)


class CameraCheckInSerializer(_Sent):
    camera = serializers.IntegerField()
    result = serializers.ChoiceField(choices=CameraResult.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class HandoverInSerializer(_Sent):
    pupil_class = serializers.IntegerField()


class PhoneItemSerializer(serializers.Serializer):
    """One item of the phone's queue: `type` says which action, the rest is that action's body."""

    type = serializers.ChoiceField(choices=[("visitor_in", "visitor in"), ("visitor_out", "visitor out"),
                                            ("host_confirm", "host confirms"), ("vehicle", "vehicle at the gate"),
                                            ("vehicle_out", "vehicle out"), ("gate", "at the gate"),
                                            ("camera", "camera check"), ("handover", "handover")])
    client_uuid = serializers.UUIDField()

