"""Serializers of plans: times in the site's zone (+08:00), a label beside every code, files as URLs
of the API view that serves them in scope. Writes that go through a service are plain serializers
documenting the body; the service checks it again."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer, ScopedRelatedField
from shouwang.core.api.fields import SiteDateTimeField
from shouwang.core.choices import PersonKind, Position
from shouwang.core.models import Contact, Group, Person, Team

from .. import queries
from ..choices import Rating, ReviewConclusion
from ..models import (
    Attendance,
    Campaign,
    CampaignPhoto,
    CampaignTarget,
    Certificate,
    Course,
    Drill,
    Evaluation,
    ExpectedAction,
    Improvement,
    Inject,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Session,
)


def _label(field):
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


def _name(source):
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


# ---------------------------------------------------------------- plans

class PlanActionSerializer(ScopedModelSerializer):
    position_label = _label("position")
    group_name = _name("group.name")

    class Meta:
        model = PlanAction
        fields = ["id", "jurisdiction", "version", "order", "text", "group", "group_name", "position",
                  "position_label", "offset_minutes"]
        read_only_fields = fields


class SupplySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=0, max_value=10**6, required=False, allow_null=True)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)


class PlanVersionSerializer(ScopedModelSerializer):
    state_label = _label("state")
    level_min_label = _label("level_min")
    level_max_label = _label("level_max")
    activation_role_label = _label("activation_role")
    lead_group_name = _name("lead_group.name")
    category_labels = serializers.SerializerMethodField()
    actions = PlanActionSerializer(many=True, read_only=True)
    supplies = SupplySerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["id", "jurisdiction", "plan", "number", "state", "state_label", "title", "scope", "categories",
                  "category_labels", "level_min", "level_min_label", "level_max", "level_max_label", "activation_role",
                  "activation_role_label", "lead_group", "lead_group_name", "contacts", "teams", "supplies", "note",
                  "approved_at", "approver", "actions"]
        read_only_fields = fields

    def get_category_labels(self, obj) -> list[str]:
        return queries.category_labels(obj.categories)


class ActionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    group = ScopedRelatedField(queryset=Group.objects.all(), required=False, allow_null=True)
    position = serializers.ChoiceField(choices=Position.choices, default=Position.LEADER)
    offset_minutes = serializers.IntegerField(min_value=0, max_value=7 * 24 * 60)


class DraftSerializer(serializers.Serializer):
    """The content of the plan's draft version (the next version when none is in draft)."""

    title = serializers.CharField(max_length=200, required=False)
    scope = serializers.CharField(required=False, allow_blank=True)
    categories = serializers.ListField(child=serializers.CharField(max_length=32), required=False)
    level_min = serializers.ChoiceField(choices=PlanVersion._meta.get_field("level_min").choices, required=False)
    level_max = serializers.ChoiceField(choices=PlanVersion._meta.get_field("level_max").choices, required=False)
    activation_role = serializers.ChoiceField(choices=PlanVersion._meta.get_field("activation_role").choices,
                                              required=False)
    lead_group = ScopedRelatedField(queryset=Group.objects.all(), required=False, allow_null=True)
    contacts = ScopedRelatedField(queryset=Contact.objects.all(), many=True, required=False)
    teams = ScopedRelatedField(queryset=Team.objects.all(), many=True, required=False)
    supplies = SupplySerializer(many=True, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    actions = ActionInputSerializer(many=True, required=False)


class PlanSerializer(ScopedModelSerializer):
    working_kind_label = _label("working_kind")
    current_number = _name("current.number")
    draft = DraftSerializer(write_only=True, required=False,
                            help_text="The first version's content (a draft) when the plan is created.")

    class Meta:
        model = Plan
        fields = ["id", "jurisdiction", "title", "working_kind", "working_kind_label", "active", "current",
                  "current_number", "draft"]
        read_only_fields = ["current"]

    def validate(self, attrs):
        draft = attrs.pop("draft", None)
        attrs = super().validate(attrs)
        if draft is not None:
            attrs["draft"] = draft
        return attrs


class ApproveSerializer(serializers.Serializer):
    approver = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class PlanReviewSerializer(ScopedModelSerializer):
    conclusion_label = _label("conclusion")

    class Meta:
        model = PlanReview
        fields = ["id", "jurisdiction", "plan", "version", "reviewed_on", "experts", "conclusion", "conclusion_label",
                  "opinion"]
        read_only_fields = fields


class ReviewInputSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    experts = serializers.CharField(max_length=300)
    conclusion = serializers.ChoiceField(choices=ReviewConclusion.choices)
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class DiffSerializer(serializers.Serializer):
    fields = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))
    actions = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))
    lists = serializers.ListField(child=serializers.JSONField())
    changed = serializers.BooleanField()


# ---------------------------------------------------------------- drills

class EvaluationSerializer(ScopedModelSerializer):
    rating_label = _label("rating")
    evaluator_name = serializers.SerializerMethodField()
    client_uuid = serializers.UUIDField(required=False, allow_null=True)

    class Meta:
        model = Evaluation
        fields = ["id", "jurisdiction", "action", "evaluator", "evaluator_name", "rating", "rating_label",
                  "observation", "at", "client_uuid"]
        read_only_fields = fields

    def get_evaluator_name(self, obj) -> str:
        person = getattr(obj.evaluator, "person", None)
        return person.name if person else obj.evaluator.get_username()


class ExpectedActionSerializer(ScopedModelSerializer):
    person_name = _name("person.name")
    window_ends = serializers.SerializerMethodField()
    in_window = serializers.SerializerMethodField()

    class Meta:
        model = ExpectedAction
        fields = ["id", "jurisdiction", "inject", "order", "text", "person", "person_name", "points", "window_minutes",
                  "done_at", "done_note", "window_ends", "in_window"]
        read_only_fields = fields

    def get_window_ends(self, obj) -> datetime | None:
        ends = obj.window_ends()
        return SiteDateTimeField().to_representation(ends) if ends else None

    def get_in_window(self, obj) -> bool:
        return obj.in_window()


class ActionSpecSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    person = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    points = serializers.IntegerField(min_value=0, max_value=100, default=10)
    window_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, default=5)


class InjectSerializer(ScopedModelSerializer):
    state_label = _label("state")
    recipient_name = serializers.SerializerMethodField()
    actions = ExpectedActionSerializer(many=True, read_only=True)
    expected = ActionSpecSerializer(many=True, write_only=True, required=False,
                                    help_text="The expected actions of a new inject.")
    drill = ScopedRelatedField(queryset=Drill.objects.all(), action="change")
    recipient_group = ScopedRelatedField(queryset=Group.objects.all(), required=False, allow_null=True)
    recipient_person = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    contingency_for = ScopedRelatedField(queryset=ExpectedAction.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Inject
        fields = ["id", "jurisdiction", "drill", "order", "offset_minutes", "title", "message", "recipient_group",
                  "recipient_person", "recipient_name", "contingency_for", "state", "state_label", "offered_at",
                  "delivered_at", "skipped_at", "actions", "expected"]
        read_only_fields = ["jurisdiction", "order", "state", "offered_at", "delivered_at", "skipped_at"]

    def get_recipient_name(self, obj) -> str:
        return str(obj.recipient or "")

    def validate(self, attrs):
        return attrs  # the service checks (recipients, the drill not started)


class DrillSerializer(ScopedModelSerializer):
    kind_label = _label("kind")
    state_label = _label("state")
    level_label = _label("level")
    category_label = serializers.SerializerMethodField()
    evacuation_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    evacuation_met = serializers.BooleanField(read_only=True, allow_null=True)
    injects_spec = serializers.ListField(child=serializers.JSONField(), write_only=True, required=False,
                                         help_text="A new drill's injects: {offset_minutes, title, message, "
                                                   "recipient_group | recipient_person, actions: [...]}.")

    class Meta:
        model = Drill
        fields = ["id", "jurisdiction", "title", "kind", "kind_label", "plan", "plan_version", "unit", "scheduled_at",
                  "objectives", "scenario", "category", "category_label", "level", "level_label", "address", "storeys",
                  "participants", "evaluators", "state", "state_label", "started_at", "paused_at", "paused_seconds",
                  "ended_at", "evacuation_signal_at", "all_clear_at", "evacuation_seconds", "target_seconds",
                  "target_basis", "evacuation_met", "clocks", "strengths", "reported_at", "injects_spec"]
        read_only_fields = ["plan_version", "state", "started_at", "paused_at", "paused_seconds", "ended_at",
                            "evacuation_signal_at", "all_clear_at", "target_seconds", "target_basis", "clocks",
                            "strengths", "reported_at"]

    def get_category_label(self, obj) -> str:
        return queries.category_terms().get(obj.category, obj.category)

    def validate(self, attrs):
        spec = attrs.pop("injects_spec", None)
        attrs = super().validate(attrs)
        if spec is not None and self.instance is None:
            attrs["injects_spec"] = spec
        return attrs


class AtSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True)


class EvacuationSerializer(AtSerializer):
    what = serializers.ChoiceField(choices=[("signal", "signal"), ("all_clear", "all clear")])


class ImprovementInputSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=300)
    action = serializers.CharField(max_length=300)
    owner = ScopedRelatedField(queryset=Person.objects.all())
    deadline = serializers.DateTimeField()


class AfterActionSerializer(serializers.Serializer):
    strengths = serializers.CharField(required=False, allow_blank=True, default="")
    improvements = ImprovementInputSerializer(many=True, required=False)


class LogActionSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, allow_null=True)


class EvaluateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    rating = serializers.ChoiceField(choices=Rating.choices)
    observation = serializers.CharField(required=False, allow_blank=True, default="")


class ImprovementSerializer(ScopedModelSerializer):
    state_label = _label("state")
    owner_name = _name("owner.name")

    class Meta:
        model = Improvement
        fields = ["id", "jurisdiction", "drill", "area", "action", "owner", "owner_name", "deadline", "state",
                  "state_label", "reported_at", "report_text", "verified_at", "failed_count", "note"]
        read_only_fields = fields


class DoneSerializer(serializers.Serializer):
    report_text = serializers.CharField()


class VerifySerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    new_deadline = serializers.DateTimeField(required=False, allow_null=True)


# ---------------------------------------------------------------- training

class CourseSerializer(ScopedModelSerializer):
    posts = serializers.ListField(child=serializers.ChoiceField(choices=PersonKind.choices), required=False)

    class Meta:
        model = Course
        fields = ["id", "jurisdiction", "title", "hours", "description", "posts", "certificate_months"]


class SessionSerializer(ScopedModelSerializer):
    course = ScopedRelatedField(queryset=Course.objects.all())
    sign_in_url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "jurisdiction", "course", "starts_at", "ends_at", "place", "trainer", "sign_in_url"]

    def get_sign_in_url(self, obj) -> str:
        url = reverse("plans:sign_in", args=[obj.token])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class AttendanceSerializer(ScopedModelSerializer):
    method_label = _label("method")
    person_name = _name("person.name")
    client_uuid = serializers.UUIDField(required=False, allow_null=True)
    session = ScopedRelatedField(queryset=Session.objects.all(), action="change")
    person = ScopedRelatedField(queryset=Person.objects.all())

    class Meta:
        model = Attendance
        fields = ["id", "jurisdiction", "session", "person", "person_name", "signed_at", "method", "method_label",
                  "client_uuid"]
        read_only_fields = ["jurisdiction", "signed_at", "method"]
        validators = []  # once per person and session: the service answers with the attendance there is

    def validate(self, attrs):
        return attrs  # the service checks


class CertificateSerializer(ScopedModelSerializer):
    person = ScopedRelatedField(queryset=Person.objects.all(), action="view")
    course = ScopedRelatedField(queryset=Course.objects.all())
    person_name = _name("person.name")

    class Meta:
        model = Certificate
        fields = ["id", "jurisdiction", "person", "person_name", "course", "number", "issued_on", "expires_on",
                  "renewed"]
        read_only_fields = ["jurisdiction", "renewed"]

    def validate(self, attrs):
        return attrs  # the service checks (it needs the node, from the person)


# ---------------------------------------------------------------- campaigns

class CampaignPhotoSerializer(ScopedModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = CampaignPhoto
        fields = ["id", "jurisdiction", "campaign", "caption", "file"]
        read_only_fields = fields

    def get_file(self, obj) -> str:
        url = reverse("plans-campaign-photo-file", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CampaignSerializer(ScopedModelSerializer):
    kind_label = _label("kind")
    photos = CampaignPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "jurisdiction", "title", "kind", "kind_label", "held_on", "audience", "unit", "description",
                  "photos"]


class CampaignPhotoInputSerializer(serializers.Serializer):
    photo = serializers.CharField(help_text="The photo as a data URL (data:image/jpeg;base64,...).")
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CampaignTargetSerializer(ScopedModelSerializer):
    class Meta:
        model = CampaignTarget
        fields = ["id", "jurisdiction", "year", "campaigns", "audience"]

    def validate_year(self, value):
        if not 2000 <= value <= 2100:
            raise serializers.ValidationError(_("Give a year between 2000 and 2100."))
        return value


class RollupRowSerializer(serializers.Serializer):
    node = serializers.IntegerField(source="node.pk")
    node_name = serializers.CharField(source="node.name")
    campaigns = serializers.IntegerField()
    audience = serializers.IntegerField()
    target = serializers.IntegerField(source="target.campaigns", allow_null=True, default=None)
    percent = serializers.IntegerField(allow_null=True)


class QualifiedRowSerializer(serializers.Serializer):
    post = serializers.CharField()
    label = serializers.CharField()
    people = serializers.IntegerField()
    qualified = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class TimelineActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="action.pk")
    text = serializers.CharField(source="action.text")
    done_at = serializers.DateTimeField(source="action.done_at", allow_null=True)
    window_ends = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    points = serializers.IntegerField(source="scored.points")
    earned = serializers.FloatField(source="scored.earned")
    rating = serializers.CharField(allow_blank=True)


class TimelineInjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="inject.pk")
    title = serializers.CharField(source="inject.title")
    offset_minutes = serializers.IntegerField(source="inject.offset_minutes")
    state = serializers.CharField(source="inject.state")
    state_label = serializers.CharField(source="inject.get_state_display")
    due_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(source="inject.delivered_at", allow_null=True)
    actions = TimelineActionSerializer(many=True)
