from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer
from shouwang.core.api.fields import DownloadField

from .. import queries
from ..choices import PERIODS
from ..models import Briefing, Consultation, DailyReport, Decision, WallScreen


class DailyReportSerializer(ScopedModelSerializer):
    client_uuid = serializers.UUIDField(required=False, allow_null=True)  # no unique check: a retry returns the first
    state = serializers.SerializerMethodField(help_text="on_time, late, ... (from the report's obligation)")

    class Meta:
        model = DailyReport
        fields = ["id", "jurisdiction", "date", "slot", "situation", "police_on_duty", "patrol_team_on_duty",
                  "volunteers_on_duty", "events", "problems", "submitted_by", "submitted_at", "client_uuid", "state"]
        read_only_fields = ["submitted_by", "submitted_at"]
        validators = []  # one report per slot is checked by the service, with a clear message

    def get_state(self, obj) -> str | None:
        states = self.context.get("states")
        if states is not None:
            return states.get(obj.pk)

        return queries.states_of([obj]).get(obj.pk)


def _label(field):
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


class BriefingSerializer(ScopedModelSerializer):
    state_label = _label("state")
    number_text = serializers.CharField(read_only=True)
    document = DownloadField(route="briefings-briefing-document", read_only=True)

    class Meta:
        model = Briefing
        fields = ["id", "jurisdiction", "title", "days", "start", "end", "data_at", "issuer", "remark", "notes",
                  "distribution", "state", "state_label", "year", "sequence", "number_text", "reviewed_at",
                  "reviewed_by", "issued_at", "issued_by", "content", "document"]
        read_only_fields = fields


class BriefingGenerateSerializer(serializers.Serializer):
    """Make a briefing of a node from the data: the period's length (days) and its last day."""

    jurisdiction = serializers.IntegerField(min_value=1)
    days = serializers.ChoiceField(choices=PERIODS)
    end = serializers.DateField()


class DecisionSerializer(ScopedModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "jurisdiction", "consultation", "text", "responsible_person", "responsible_unit", "due_at",
                  "done_at", "done_by", "done_note"]
        read_only_fields = fields


class ConsultationSerializer(ScopedModelSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "jurisdiction", "date", "chaired_by", "attendees", "items", "analysis", "briefing",
                  "created_by", "decisions"]
        read_only_fields = ["created_by", "decisions"]
        validators = []  # one a day per node: the service says it, by field


class DecisionDoneSerializer(serializers.Serializer):
    done_note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class WallScreenSerializer(ScopedModelSerializer):
    """A wall screen without its secret link (the office reads it on the page)."""

    class Meta:
        model = WallScreen
        fields = ["id", "jurisdiction", "name", "user", "refresh_seconds", "revoked_at", "created_at"]
        read_only_fields = fields
