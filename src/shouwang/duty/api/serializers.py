"""Serializers of duty: times in the site's zone (+08:00), a label beside every code, people and
shifts by name beside their ids. Inputs that go through a service are plain serializers
documenting the body; the service checks it again and names the rule it refuses by."""

from django.urls import reverse
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer, ScopedRelatedField
from shouwang.core.api.fields import SiteDateTimeField
from shouwang.core.models import Person

from ..choices import Pattern, Post
from ..models import Assignment, FeedToken, Handover, Leave, Posture, Roster, SolveRun, SwapRequest


def _label(field):
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


def _name(source):
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


class ShiftSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=20)
    label = serializers.CharField(max_length=40, required=False, allow_blank=True)
    start = serializers.RegexField(r"^\d{1,2}:\d{2}$", help_text="HH:MM")
    end = serializers.RegexField(r"^\d{1,2}:\d{2}$", help_text="HH:MM; at or before start: the next day")


class DemandSerializer(serializers.Serializer):
    shift = serializers.CharField(max_length=20)
    role = serializers.ChoiceField(choices=Post.choices, help_text="the post")
    count = serializers.IntegerField(min_value=0, max_value=500)


class RulesSerializer(serializers.Serializer):
    min_rest_hours = serializers.IntegerField(min_value=0, max_value=48, required=False)
    max_shifts_per_7_days = serializers.IntegerField(min_value=1, max_value=7, required=False)
    forbidden_transitions = serializers.ListField(child=serializers.ListField(child=serializers.CharField(),
                                                                              min_length=2, max_length=2),
                                                  required=False)


class RosterSerializer(ScopedModelSerializer):
    state_label = _label("state")
    team_name = _name("team.name")
    owner_name = _name("owner.name")
    shifts = ShiftSerializer(many=True)
    demand = DemandSerializer(many=True)
    rules = RulesSerializer(required=False)
    published_at = SiteDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Roster
        fields = ["id", "jurisdiction", "name", "starts_on", "days", "team", "team_name", "owner", "owner_name",
                  "members", "leaders", "shifts", "demand", "rules", "state", "state_label", "published_at",
                  "created_at", "updated_at"]
        read_only_fields = ["state", "published_at", "created_at", "updated_at"]


class AssignmentSerializer(ScopedModelSerializer):
    person_name = _name("person.name")
    roster_name = _name("roster.name")
    post_label = _label("post")
    shift_label = serializers.CharField(read_only=True)
    starts_at = SiteDateTimeField(read_only=True)
    ends_at = SiteDateTimeField(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "jurisdiction", "roster", "roster_name", "person", "person_name", "day", "shift", "shift_label",
                  "post", "post_label", "starts_at", "ends_at", "confirmed_at", "removed_at", "sequence"]
        read_only_fields = fields


class LeaveSerializer(ScopedModelSerializer):
    person_name = _name("person.name")

    class Meta:
        model = Leave
        fields = ["id", "jurisdiction", "person", "person_name", "starts_on", "ends_on", "reason", "created_at"]
        read_only_fields = ["created_at"]


class SwapRequestSerializer(ScopedModelSerializer):
    state_label = _label("state")
    requester_name = _name("requester.name")
    colleague_name = _name("colleague.name")
    shift = serializers.CharField(source="assignment.__str__", read_only=True)
    client_uuid = serializers.UUIDField(required=False, allow_null=True)

    class Meta:
        model = SwapRequest
        fields = ["id", "jurisdiction", "assignment", "shift", "requester", "requester_name", "colleague",
                  "colleague_name", "reason", "state", "state_label", "refusal", "accepted_at", "decided_at",
                  "client_uuid", "created_at"]
        read_only_fields = ["jurisdiction", "requester", "state", "refusal", "accepted_at", "decided_at", "created_at"]


class ShiftHandoverSerializer(ScopedModelSerializer):
    written_by_name = _name("written_by.name")
    incoming_name = _name("incoming.name")
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    acknowledge_by = SiteDateTimeField(read_only=True, source="ack_due")

    class Meta:
        model = Handover
        fields = ["id", "jurisdiction", "roster", "assignment", "written_by", "written_by_name", "incoming",
                  "incoming_name", "written_at", "open_items", "incidents", "notes", "acknowledged_at",
                  "acknowledge_by", "client_uuid"]
        read_only_fields = ["jurisdiction", "roster", "written_by", "written_at", "acknowledged_at"]
        extra_kwargs = {"assignment": {"required": True, "allow_null": False}}


class PostureSerializer(ScopedModelSerializer):
    level_label = _label("level")
    set_by_name = _name("set_by.person.name")

    class Meta:
        model = Posture
        fields = ["id", "jurisdiction", "level", "level_label", "starts_at", "ends_at", "reason", "set_by",
                  "set_by_name", "created_at"]
        read_only_fields = ["set_by", "created_at"]


class SolveRunSerializer(ScopedModelSerializer):
    state_label = _label("state")
    percent = serializers.IntegerField(read_only=True)
    elapsed = serializers.FloatField(read_only=True)
    progress = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()), read_only=True)
    result = serializers.JSONField(read_only=True)

    class Meta:
        model = SolveRun
        fields = ["id", "jurisdiction", "roster", "seconds", "workers", "state", "state_label", "percent", "elapsed",
                  "started_at", "finished_at", "status", "best_penalty", "progress", "result", "message",
                  "created_at"]
        read_only_fields = fields


class FeedTokenSerializer(ScopedModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = FeedToken
        fields = ["id", "jurisdiction", "person", "roster", "url", "revoked_at", "created_at"]
        read_only_fields = ["jurisdiction", "revoked_at", "created_at"]

    def get_url(self, obj) -> str | None:
        if obj.revoked_at is not None:
            return None
        request = self.context.get("request")
        path = reverse("duty:feed", args=[obj.token])
        return request.build_absolute_uri(path) if request is not None else path


# --- Inputs of actions ------------------------------------------------------------------------

class GenerateSerializer(serializers.Serializer):
    pattern = serializers.ChoiceField(choices=Pattern.choices)
    groups = serializers.ListField(child=serializers.ListField(child=ScopedRelatedField(queryset=Person.objects.all())),
                                   help_text="four_teams: four lists of people ids; daily, weekly_leader: one list, in turn")
    post = serializers.ChoiceField(choices=Post.choices, required=False, help_text="daily: the post taken in turn")


class SolveSerializer(serializers.Serializer):
    seconds = serializers.IntegerField(min_value=1, max_value=600, default=30)
    workers = serializers.IntegerField(min_value=1, max_value=8, default=2)


class OverrideSerializer(serializers.Serializer):
    person = ScopedRelatedField(queryset=Person.objects.all())
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FillSerializer(serializers.Serializer):
    person = ScopedRelatedField(queryset=Person.objects.all())
    day = serializers.DateField()
    shift = serializers.CharField(max_length=20)
    post = serializers.ChoiceField(choices=Post.choices)


class StandDownSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ProblemSolveSerializer(serializers.Serializer):
    """The documented roster problem (see duty/problem.py) and how long to look."""

    problem = serializers.JSONField(help_text="the roster problem as documented: start, days, shifts, staff, demand, "
                                              "unavailable, wishes, rules, sensitive_days, holidays, targets, "
                                              "previous, weights")
    seconds = serializers.FloatField(min_value=0.1, max_value=60, default=10)
    workers = serializers.IntegerField(min_value=1, max_value=8, default=2)


class ProblemAnswerSerializer(serializers.Serializer):
    status = serializers.CharField()
    penalty = serializers.IntegerField(allow_null=True)
    terms = serializers.DictField(child=serializers.IntegerField())
    seconds = serializers.FloatField()
    assignments = serializers.ListField(child=serializers.DictField())
    checker = serializers.DictField(required=False)


class PanelShiftSerializer(serializers.Serializer):
    shift = serializers.CharField(source="label")
    required = serializers.IntegerField()
    rostered = serializers.IntegerField()
    short = serializers.IntegerField()


class PanelForceSerializer(serializers.Serializer):
    force = serializers.CharField(source="kind")
    force_label = serializers.CharField(source="label")
    available = serializers.IntegerField()
    required = serializers.IntegerField()
    rostered = serializers.IntegerField()
    short = serializers.IntegerField()
    shifts = PanelShiftSerializer(many=True)


class PanelDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    level = serializers.CharField()
    level_label = serializers.CharField()
    short = serializers.IntegerField()
    forces = PanelForceSerializer(many=True)


class OnDutySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.CharField()
    post_label = serializers.CharField(source="get_post_display")
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name")
    phone = serializers.CharField(source="person.phone")
    roster = serializers.IntegerField(source="roster_id")
    roster_name = serializers.CharField(source="roster.name")
    node_name = serializers.CharField(source="jurisdiction.name")
    starts_at = SiteDateTimeField()
    ends_at = SiteDateTimeField()
