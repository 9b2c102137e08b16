from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer, ScopedRelatedField
from shouwang.core.api.fields import SiteDateTimeField
from shouwang.core.models import Group, Person
from shouwang.plans.models import PlanVersion

from ..choices import CapType, IncidentLevel, LogKind
from ..models import (
    CapMessage,
    Handover,
    Incident,
    LogEntry,
    Report,
    Responder,
    Review,
    ReviewAction,
    Task,
)


class IncidentSerializer(ScopedModelSerializer):
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    colour = serializers.CharField(read_only=True)
    place = serializers.CharField(read_only=True)
    major_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "title", "category", "incident_class", "level", "colour", "major", "status",
                  "channel", "description", "jurisdiction", "address", "building", "floor", "room", "place", "lat",
                  "lon", "unit", "key_place", "happened_at", "discovered_at", "received_at", "reporter_name", "reporter_phone",
                  "client_uuid", "policy_version", "activated_at", "plan_name", "lead_group", "phase", "commander",
                  "headquarters", "closed_at", "major_kind", "major_basis", "major_reasons"]
        fields += ["plan_version", "drill"]  # the plan version activated; the drill of an exercise incident
        read_only_fields = ["number", "incident_class", "status", "policy_version", "activated_at", "plan_name",
                            "lead_group", "phase", "headquarters", "closed_at", "major_basis"]
        read_only_fields += ["plan_version", "drill"]
        extra_kwargs = {"received_at": {"required": False}}


class ReportSerializer(ScopedModelSerializer):
    incident = ScopedRelatedField(queryset=Incident.objects.all(), action="add")
    answers = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False,
        help_text="Rule names of the open clocks this report answers; by default those of its means and addressee.")
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    completeness = serializers.IntegerField(read_only=True)
    missing_keys = serializers.ListField(child=serializers.CharField(), read_only=True)
    missing_elements = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "incident", "kind", "means", "reported_at", "reported_by", "reported_to", "addressee", "answers",
                  "issuer", "content", "event_time", "place", "scale", "dead", "seriously_injured", "lightly_injured",
                  "cause", "assessment", "measures", "progress", "other", "client_uuid", "completeness", "missing_keys",
                  "missing_elements", "supersedes", "correction_reason"]
        read_only_fields = ["supersedes", "correction_reason"]
        extra_kwargs = {"reported_at": {"required": False}}

    def get_missing_elements(self, obj) -> list[str]:
        return [str(label) for label in obj.missing_elements]

    def validate(self, attrs):  # the service validates (dates, casualties) inside its transaction
        return attrs


class LevelSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=IncidentLevel.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    at = SiteDateTimeField(required=False, help_text="When it was decided (not in the future); now by default.")


class _SummaryEvent(serializers.Serializer):
    at = SiteDateTimeField()
    kind = serializers.CharField()
    text = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    """The ICS 209 required blocks of an incident."""

    name = serializers.CharField()
    number = serializers.CharField()
    version = serializers.ChoiceField(choices=["initial", "update", "final"])
    version_number = serializers.IntegerField()
    commander = serializers.CharField()
    start = SiteDateTimeField(allow_null=True)
    definition = serializers.CharField()
    period_from = SiteDateTimeField(allow_null=True)
    period_to = SiteDateTimeField()
    location = serializers.CharField(allow_null=True)
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    node = serializers.CharField()
    casualties = serializers.CharField()
    events = _SummaryEvent(many=True)


class ClockSerializer(serializers.Serializer):
    """A reporting clock of the incident: its rule and label, times, state, who answers for it."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    rule = serializers.CharField()
    label = serializers.CharField()
    title = serializers.CharField()
    opens_at = SiteDateTimeField()
    due_at = SiteDateTimeField()
    met_at = SiteDateTimeField(allow_null=True)
    state = serializers.CharField()
    state_label = serializers.CharField()
    responsible_unit = serializers.CharField(allow_null=True)
    responsible_person = serializers.CharField(allow_null=True)


class CorrectionSerializer(serializers.Serializer):
    correction_reason = serializers.CharField(max_length=200)
    event_time = SiteDateTimeField(required=False)
    place = serializers.CharField(required=False, allow_blank=True)
    scale = serializers.CharField(required=False, allow_blank=True)
    dead = serializers.IntegerField(required=False, min_value=0, allow_null=True)
    seriously_injured = serializers.IntegerField(required=False, min_value=0, allow_null=True)
    lightly_injured = serializers.IntegerField(required=False, min_value=0, allow_null=True)
    cause = serializers.CharField(required=False, allow_blank=True)
    assessment = serializers.CharField(required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)
    progress = serializers.CharField(required=False, allow_blank=True)
    other = serializers.CharField(required=False, allow_blank=True)
    content = serializers.CharField(required=False, allow_blank=True)


class ActivationSerializer(serializers.Serializer):
    """A plan version (its checklist becomes the tasks, its lead group leads unless one is given), or a
    plan named in words with its lead group where no plan is kept."""

    plan_version = ScopedRelatedField(queryset=PlanVersion.objects.filter(state="approved"), required=False,
                                      allow_null=True)
    plan_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    plan_text = serializers.CharField(required=False, allow_blank=True, default="")
    lead_group = ScopedRelatedField(queryset=Group.objects.all(), required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("plan_version") is None:
            errors = {}
            if not (attrs.get("plan_name") or "").strip():
                errors["plan_name"] = [_("Choose the plan version, or name the plan being started.")]
            if attrs.get("lead_group") is None:
                errors["lead_group"] = [_("Choose a special working group to lead.")]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class HandoverSerializer(ScopedModelSerializer):
    class Meta:
        model = Handover
        fields = ["id", "from_commander", "to_commander", "at", "situation", "headquarters"]
        extra_kwargs = {"at": {"required": False}}

    def validate(self, attrs):
        return attrs


class LogEntrySerializer(ScopedModelSerializer):
    kind = serializers.ChoiceField(choices=LogKind.choices, default=LogKind.MESSAGE)

    class Meta:
        model = LogEntry
        fields = ["id", "incident", "at", "kind", "text", "point", "people", "vehicles", "user"]
        read_only_fields = ["incident", "user"]
        extra_kwargs = {"at": {"required": False}}

    def validate(self, attrs):
        return attrs


class TaskSerializer(ScopedModelSerializer):
    group = ScopedRelatedField(queryset=Group.objects.all(), required=False, allow_null=True)
    person = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "incident", "title", "group", "person", "due_at", "done_at"]
        read_only_fields = ["incident", "done_at"]

    def validate(self, attrs):
        return attrs


class ResponderSerializer(ScopedModelSerializer):
    class Meta:
        model = Responder
        fields = ["id", "incident", "person", "due_at", "arrived_at"]
        read_only_fields = fields


class ArrivalSerializer(serializers.Serializer):
    arrived_at = SiteDateTimeField(required=False)


class ReviewActionInput(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    person = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    due_at = SiteDateTimeField()


class ReviewSerializer(serializers.Serializer):
    what_happened = serializers.CharField()
    what_worked = serializers.CharField()
    what_did_not = serializers.CharField()
    actions = ReviewActionInput(many=True, required=False)


class ReviewActionRecordSerializer(ScopedModelSerializer):
    class Meta:
        model = ReviewAction
        fields = ["id", "review", "text", "person", "due_at"]
        read_only_fields = fields


class ReviewRecordSerializer(ScopedModelSerializer):
    """A stored after-action review with its follow-up actions (each an obligation)."""

    actions = ReviewActionRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "incident", "what_happened", "what_worked", "what_did_not", "reviewed_at", "reviewed_by",
                  "actions"]
        read_only_fields = fields


class CapMessageSerializer(ScopedModelSerializer):
    class Meta:
        model = CapMessage
        fields = ["id", "incident", "identifier", "msg_type", "sent", "headline", "xml"]
        read_only_fields = fields


class CapIssueSerializer(serializers.Serializer):
    msg_type = serializers.ChoiceField(choices=CapType.choices, default=CapType.ALERT)
    headline = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    instruction = serializers.CharField(required=False, allow_blank=True, default="")
