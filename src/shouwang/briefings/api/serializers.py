from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer

from .. import queries
from ..models import DailyReport


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
