from django.utils import timezone
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer
from shouwang.core.api.fields import DownloadField, SiteDateTimeField, SiteModelSerializer
from shouwang.core.models import Team

from ..models import CheckIn, Checkpoint, Route, Schedule, Sighting


class TeamSerializer(ScopedModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "jurisdiction", "name", "kind", "unit", "leader", "members", "equipment"]


class CheckpointSerializer(ScopedModelSerializer):
    """A checkpoint; its QR token is a secret printed on the sheet, never sent here."""

    class Meta:
        model = Checkpoint
        fields = ["id", "jurisdiction", "route", "order", "name", "lat", "lon", "radius_m", "key_place", "must_visit",
                  "minutes_from_previous", "token_version"]
        read_only_fields = ["jurisdiction", "token_version"]


class RouteSerializer(ScopedModelSerializer):
    checkpoints = serializers.SerializerMethodField()

    class Meta:
        model = Route
        fields = ["id", "jurisdiction", "name", "description", "checkpoints"]

    def get_checkpoints(self, obj) -> list[int]:
        return [c.pk for c in obj.checkpoints.all()]


class ScheduleSerializer(ScopedModelSerializer):
    class Meta:
        model = Schedule
        fields = ["id", "jurisdiction", "name", "team", "route", "days", "policy_windows", "windows", "active"]


class CheckInSerializer(SiteModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "jurisdiction", "checkpoint", "member", "user", "method", "at", "device_time", "received_at",
                  "lat", "lon", "accuracy_m", "distance_m", "status", "flags", "reason", "client_uuid", "obligation"]
        read_only_fields = fields


def _when(value):
    # As DRF's DateTimeField writes it: ISO 8601 in the current time zone, "Z" for UTC.
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _float(value):
    return None if value is None else float(value)


def checkin_data(row) -> dict:
    """`CheckInSerializer(row).data`, built directly: the check-in endpoints answer every scan
    with it, and a ModelSerializer builds its fields anew for each instance."""
    return {
        "id": row.pk, "jurisdiction": row.jurisdiction_id, "checkpoint": row.checkpoint_id, "member": row.member_id,
        "user": row.user_id, "method": str(row.method), "at": _when(row.at), "device_time": _when(row.device_time),
        "received_at": _when(row.received_at), "lat": _float(row.lat), "lon": _float(row.lon),
        "accuracy_m": _float(row.accuracy_m), "distance_m": _float(row.distance_m), "status": str(row.status),
        "flags": row.flags, "reason": str(row.reason), "client_uuid": str(row.client_uuid),
        "obligation": row.obligation_id,
    }


class CheckInInputSerializer(serializers.Serializer):
    """What a phone or an operator sends; validation and tamper checks happen in the service."""

    client_uuid = serializers.UUIDField()
    token = serializers.CharField(required=False, allow_blank=True, help_text="the text of the checkpoint's QR code")
    checkpoint = serializers.IntegerField(required=False)
    method = serializers.ChoiceField(choices=["qr", "gps", "manual"], required=False)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    accuracy = serializers.FloatField(required=False, allow_null=True)
    device_time = SiteDateTimeField(required=False, allow_null=True)
    device_now = SiteDateTimeField(required=False, allow_null=True)
    member = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    window = serializers.IntegerField(required=False, allow_null=True, help_text="obligation id of the window")


class SightingSerializer(SiteModelSerializer):
    photo = DownloadField(route="sighting-photo", read_only=True)

    class Meta:
        model = Sighting
        fields = ["id", "jurisdiction", "kind", "text", "photo", "lat", "lon", "checkpoint", "reported_by",
                  "device_time", "received_at", "client_uuid"]
        read_only_fields = fields


class SightingInputSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["hazard", "incident"])
    text = serializers.CharField()
    photo = serializers.CharField(required=False, allow_blank=True, help_text="data:image/...;base64,...")
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    checkpoint = serializers.IntegerField(required=False, allow_null=True)
    jurisdiction = serializers.IntegerField(required=False, allow_null=True)
    device_time = SiteDateTimeField(required=False, allow_null=True)


class SyncItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["checkin", "sighting"])
    client_uuid = serializers.UUIDField()
    data = serializers.DictField(help_text="the fields of a check-in or a sighting")


class SyncSerializer(serializers.Serializer):
    device_now = SiteDateTimeField(required=False, help_text="the device clock when sending")
    user = serializers.IntegerField(required=False, help_text="the user who queued these items on the phone; "
                                    "a different logged-in user gets 409 and nothing is stored")
    items = SyncItemSerializer(many=True)


class SyncResultSerializer(serializers.Serializer):
    client_uuid = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "duplicate", "refused"])
    id = serializers.IntegerField(required=False)
    errors = serializers.DictField(required=False)
    notes = serializers.ListField(child=serializers.CharField(), required=False,
                                  help_text="what the check-in achieved, as people read it (flags, no window)")


class SyncResponseSerializer(serializers.Serializer):
    results = SyncResultSerializer(many=True)


class WindowSerializer(serializers.Serializer):
    team = serializers.CharField()
    schedule = serializers.IntegerField()
    route = serializers.CharField()
    start = SiteDateTimeField()
    end = SiteDateTimeField()
    state = serializers.CharField()
    points = serializers.ListField(child=serializers.DictField())


@extend_schema_serializer(many=False)  # the list route answers one report object
class CoverageSerializer(serializers.Serializer):
    node = serializers.IntegerField()
    min_routes = serializers.IntegerField()
    few_routes = serializers.ListField(child=serializers.DictField())
    no_night_window = serializers.ListField(child=serializers.DictField())
    missed_must_visit = serializers.ListField(child=serializers.DictField())
