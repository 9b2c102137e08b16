from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer
from shouwang.core.api.fields import SiteDateTimeField, SiteModelSerializer
from shouwang.core.scope import can_at

from ..models import Delivery, Notification, Obligation, Webhook


class ObligationSerializer(SiteModelSerializer):
    state = serializers.SerializerMethodField()
    lateness_seconds = serializers.SerializerMethodField()
    subject_type = serializers.SlugRelatedField(slug_field="model", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id", "url", "kind", "title", "key", "jurisdiction", "subject_type", "subject_id", "responsible_unit",
            "responsible_person", "opens_at", "window_start", "due_at", "met_at", "met_by", "evidence", "waived_at",
            "waived_by", "waive_reason", "policy_version", "rule", "escalation_step", "state", "lateness_seconds",
        ]
        read_only_fields = fields

    def _now(self):
        return self.context.setdefault("now", timezone.now())

    def get_state(self, obj) -> str:
        return obj.state_at(self._now()).value

    def get_lateness_seconds(self, obj) -> int | None:
        late = obj.lateness(self._now())
        return int(late.total_seconds()) if late else None



class WaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, error_messages={"blank": _("A waiver needs a reason."),
                                                                    "required": _("A waiver needs a reason.")})


class MeetSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    met_at = SiteDateTimeField(required=False, allow_null=True, default=None)


class NotificationSerializer(SiteModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "obligation", "created_at", "read_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True, default=None)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class DeliverySerializer(SiteModelSerializer):
    """One send: to whom by name (a person, a webhook), never the address or URL."""

    to = serializers.CharField(source="shown_to", read_only=True)

    class Meta:
        model = Delivery
        fields = ["id", "channel", "kind", "to", "status", "created_at", "sent_at", "notification"]
        read_only_fields = fields


class WebhookSerializer(ScopedModelSerializer):
    """The URL (it may carry a token) only for who may set webhooks up; the secret never."""

    class Meta:
        model = Webhook
        fields = ["id", "jurisdiction", "name", "url", "secret", "active"]
        extra_kwargs = {"secret": {"write_only": True}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        if not can_at(user, "obligations", "add", instance.scope_path):
            data.pop("url", None)
        return data
