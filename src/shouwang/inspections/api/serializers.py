"""Serializers of inspections: times in the site's zone (+08:00), a label beside every code, files
as URLs of the API views that serve them in scope. Inputs that go through a service (the phone's
submission, the order's actions) are plain serializers documenting the body; the service checks it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer
from shouwang.core.api.fields import DownloadField, SiteDateTimeField

from ..choices import AnswerType, Severity
from ..models import (
    Answer,
    Bulletin,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionPlan,
    InspectorAssignment,
    Photo,
    RectificationOrder,
    RectificationPlan,
    SupervisionVisit,
    TemplateItem,
    TemplateVersion,
    Verification,
)


def _label(field):
    """The human label of a choice field, beside its code."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


def _name(source):
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


def photo_url(context, pk):
    url = reverse("inspections-photo-file", args=[pk])
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# --- Templates --------------------------------------------------------------------------------

class TemplateItemSerializer(ScopedModelSerializer):
    answer_type_label = _label("answer_type")
    severity_label = _label("severity")

    class Meta:
        model = TemplateItem
        fields = ["id", "jurisdiction", "version", "section", "order", "text", "answer_type", "answer_type_label",
                  "min_value", "max_value", "unit_label", "options", "failing_options", "photo_required",
                  "severity", "severity_label", "weight", "guidance"]
        read_only_fields = fields


class TemplateItemInputSerializer(serializers.Serializer):
    """One item of a new or revised checklist, in order."""

    section = serializers.CharField(max_length=60)
    text = serializers.CharField(max_length=300)
    answer_type = serializers.ChoiceField(choices=AnswerType.choices, default=AnswerType.YES_NO)
    min_value = serializers.FloatField(required=False, allow_null=True)
    max_value = serializers.FloatField(required=False, allow_null=True)
    unit_label = serializers.CharField(max_length=20, required=False, allow_blank=True)
    options = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    failing_options = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    photo_required = serializers.BooleanField(required=False, default=False)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.GENERAL)
    weight = serializers.IntegerField(min_value=0, max_value=100, required=False, default=1)
    guidance = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TemplateVersionSerializer(ScopedModelSerializer):
    items = TemplateItemSerializer(many=True, read_only=True)

    class Meta:
        model = TemplateVersion
        fields = ["id", "jurisdiction", "template", "number", "note", "created_by", "created_at", "items"]
        read_only_fields = fields


class ChecklistTemplateSerializer(ScopedModelSerializer):
    """A checklist; created with its items (the first version). Its items change through
    `POST .../revise/`: a version an inspection used is never edited, a new one is made."""

    category_label = _label("category")
    current_version = serializers.SerializerMethodField()
    items = TemplateItemInputSerializer(many=True, write_only=True, required=False,
                                        help_text="the items of the first version (on create)")

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "jurisdiction", "name", "category", "category_label", "description", "active",
                  "current_version", "items", "created_at", "updated_at"]

    def get_current_version(self, obj) -> int | None:
        versions = getattr(obj, "_versions", None)
        if versions is None:
            versions = sorted(obj.versions.all(), key=lambda v: -v.number)
        return versions[0].pk if versions else None

    def validate(self, attrs):
        if self.instance is not None and "jurisdiction" in attrs \
                and attrs["jurisdiction"].pk != self.instance.jurisdiction_id:
            raise serializers.ValidationError({"jurisdiction": [
                _("A checklist stays on its node; make a new one on the other node.")]})
        if self.instance is None and not attrs.get("items"):
            raise serializers.ValidationError({"items": [_("A checklist needs at least one item.")]})
        if self.instance is not None and "items" in attrs:
            raise serializers.ValidationError({"items": [_("Change the items through “revise”: a used version "
                                                           "never changes.")]})
        return super().validate({k: v for k, v in attrs.items() if k != "items"}) | (
            {"items": attrs["items"]} if "items" in attrs else {})


class ReviseSerializer(serializers.Serializer):
    items = TemplateItemInputSerializer(many=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="what changed")


# --- Plans and inspections --------------------------------------------------------------------

class InspectionPlanSerializer(ScopedModelSerializer):
    kind_label = _label("kind")

    class Meta:
        model = InspectionPlan
        fields = ["id", "jurisdiction", "kind", "kind_label", "name", "template", "categories", "places", "holiday",
                  "starts_on", "deadline", "inspector", "description", "created_at", "updated_at"]
        read_only_fields = fields


class AnswerSerializer(ScopedModelSerializer):
    result_label = _label("result")
    section = serializers.CharField(source="item.section", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    severity = serializers.CharField(source="item.severity", read_only=True)
    photos = serializers.SerializerMethodField(help_text="URLs of the item's photos")

    class Meta:
        model = Answer
        fields = ["id", "jurisdiction", "inspection", "item", "section", "text", "severity", "value", "number",
                  "result", "result_label", "note", "photos"]
        read_only_fields = fields

    def get_photos(self, obj) -> list[str]:
        return [photo_url(self.context, p.pk) for p in obj.photos.all()]


class InspectionSerializer(ScopedModelSerializer):
    place_name = _name("place.name")
    unit_name = _name("unit.name")
    checklist = serializers.CharField(source="version", read_only=True)
    inspector_name = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    inspector_signature = DownloadField(route="inspections-inspection-inspector-signature", read_only=True)
    present_signature = DownloadField(route="inspections-inspection-present-signature", read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "jurisdiction", "client_uuid", "place", "place_name", "unit", "unit_name", "version",
                  "checklist", "plan", "inspector", "inspector_name", "started_at", "finished_at", "received_at",
                  "lat", "lon", "score", "max_score", "percent", "failed_count", "present_person",
                  "inspector_signature", "present_signature", "remarks"]
        read_only_fields = fields

    def get_inspector_name(self, obj) -> str:
        user = obj.inspector
        return user.get_full_name() or user.username


class InspectionDetailSerializer(InspectionSerializer):
    """An inspection with its answers (and the findings they made)."""

    answers = AnswerSerializer(many=True, read_only=True)
    findings = serializers.SerializerMethodField(help_text="the findings with their order numbers")

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "answers", "findings"]
        read_only_fields = fields

    def get_findings(self, obj) -> list[dict]:
        out = []
        for f in obj.findings.all():
            order = getattr(f, "order", None)
            out.append({"id": f.pk, "severity": f.severity, "severity_label": f.get_severity_display(),
                        "description": f.description, "order": order.pk if order else None,
                        "order_number": order.number if order else None})
        return out


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="the checklist item's id")
    value = serializers.CharField(allow_blank=True, help_text="yes / no / na, a number, a choice or text")
    note = serializers.CharField(required=False, allow_blank=True)
    photos = serializers.ListField(child=serializers.CharField(help_text="data:image/...;base64,..."),
                                   required=False)


class InspectionInputSerializer(serializers.Serializer):
    """What a phone sends (its outbox queues it offline). The same client_uuid again returns the
    stored inspection (200); errors name the field, per answer as `answers.<item id>`."""

    client_uuid = serializers.UUIDField()
    place = serializers.IntegerField(required=False, allow_null=True)
    unit = serializers.IntegerField(required=False, allow_null=True, help_text="a unit inspected without a place")
    version = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="the checklist version (default: the place's template)")
    answers = AnswerInputSerializer(many=True)
    finished_at = SiteDateTimeField(required=False, allow_null=True, help_text="ISO 8601 with its zone")
    started_at = SiteDateTimeField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    present_person = serializers.CharField(required=False, allow_blank=True)
    inspector_signature = serializers.CharField(required=False, allow_blank=True, help_text="data URL of a PNG")
    present_signature = serializers.CharField(required=False, allow_blank=True, help_text="data URL of a PNG")
    remarks = serializers.CharField(required=False, allow_blank=True)
    plan = serializers.IntegerField(required=False, allow_null=True)


class PhotoSerializer(ScopedModelSerializer):
    file = DownloadField(route="inspections-photo-file", read_only=True)

    class Meta:
        model = Photo
        fields = ["id", "jurisdiction", "client_uuid", "file", "inspection", "answer", "order", "caption",
                  "taken_by", "device_time", "received_at", "lat", "lon"]
        read_only_fields = fields


class PhotoInputSerializer(serializers.Serializer):
    """A photo sent apart from its inspection (after it, when the network allows)."""

    client_uuid = serializers.UUIDField()
    inspection = serializers.IntegerField()
    answer = serializers.IntegerField(required=False, allow_null=True)
    photo = serializers.CharField(help_text="data:image/...;base64,...")
    caption = serializers.CharField(required=False, allow_blank=True, max_length=120)
    device_time = SiteDateTimeField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)


# --- Findings and rectification ---------------------------------------------------------------

class FindingSerializer(ScopedModelSerializer):
    source_label = _label("source")
    severity_label = _label("severity")
    place_name = _name("place.name")
    order = serializers.SerializerMethodField()
    order_number = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = ["id", "jurisdiction", "source", "source_label", "place", "place_name", "unit", "inspection",
                  "answer", "sighting", "visit", "description", "severity", "severity_label", "found_at",
                  "found_by", "order", "order_number"]
        read_only_fields = fields

    def _order(self, obj):
        try:
            return obj.order
        except RectificationOrder.DoesNotExist:
            return None

    def get_order(self, obj) -> int | None:
        order = self._order(obj)
        return order.pk if order else None

    def get_order_number(self, obj) -> str | None:
        order = self._order(obj)
        return order.number if order else None


class RectificationPlanSerializer(ScopedModelSerializer):
    class Meta:
        model = RectificationPlan
        fields = ["id", "jurisdiction", "order", "goal", "method", "funds", "responsible", "time_limit",
                  "safety_measures", "approved_by", "created_at", "updated_at"]
        read_only_fields = fields


class RectificationOrderSerializer(ScopedModelSerializer):
    state_label = _label("state")
    description = serializers.CharField(source="finding.description", read_only=True)
    severity = serializers.CharField(source="finding.severity", read_only=True)
    severity_label = serializers.CharField(source="finding.get_severity_display", read_only=True)
    place = serializers.IntegerField(source="finding.place_id", read_only=True, allow_null=True)
    place_name = _name("finding.place.name")
    responsible_unit_name = _name("responsible_unit.name")
    responsible_person_name = _name("responsible_person.name")
    overdue = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField(help_text="URLs of the evidence photos")

    class Meta:
        model = RectificationOrder
        fields = ["id", "jurisdiction", "number", "finding", "description", "severity", "severity_label", "place",
                  "place_name", "responsible_unit", "responsible_unit_name", "responsible_person",
                  "responsible_person_name", "requirement", "deadline", "overdue", "state", "state_label",
                  "ordered_by", "reported_at", "reported_by", "report_text", "verify_by", "failed_count",
                  "supervised", "closed_at", "plan", "photos", "created_at", "updated_at"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        now = self.context.get("now")
        if now is None:
            now = self.context["now"] = timezone.now()
        return obj.is_open and obj.state != "reported" and obj.deadline < now

    def get_plan(self, obj) -> dict | None:
        try:
            plan = obj.plan
        except RectificationPlan.DoesNotExist:
            return None
        return RectificationPlanSerializer(plan, context=self.context).data

    def get_photos(self, obj) -> list[str]:
        return [photo_url(self.context, p.pk) for p in obj.photos.all()]


class StartSerializer(serializers.Serializer):
    pass


class PlanInputSerializer(serializers.Serializer):
    """A major hazard's plan: all six elements; each missing one is named in the 400."""

    goal = serializers.CharField(required=False, allow_blank=True)
    method = serializers.CharField(required=False, allow_blank=True)
    funds = serializers.CharField(required=False, allow_blank=True)
    responsible = serializers.CharField(required=False, allow_blank=True)
    time_limit = SiteDateTimeField(required=False, allow_null=True)
    safety_measures = serializers.CharField(required=False, allow_blank=True)


class ReportInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, help_text="what was done")
    photos = serializers.ListField(child=serializers.CharField(help_text="data:image/...;base64,..."),
                                   required=False)
    client_uuid = serializers.UUIDField(required=False, allow_null=True,
                                        help_text="the same id again returns the order as reported (200)")


class VerifyInputSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True)
    new_deadline = SiteDateTimeField(required=False, allow_null=True, help_text="when it failed")
    on_site = serializers.BooleanField(required=False, default=False)
    members = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                    help_text="the on-site acceptance's members (a major hazard)")


class VerificationSerializer(ScopedModelSerializer):
    result_label = _label("result")
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = Verification
        fields = ["id", "jurisdiction", "order", "order_number", "verifier", "assignee", "reporter", "at", "result",
                  "result_label", "note", "on_site", "acceptance_members", "new_deadline"]
        read_only_fields = fields


# --- Supervision ------------------------------------------------------------------------------

class InspectorAssignmentSerializer(ScopedModelSerializer):
    inspector_name = _name("inspector.name")
    community = _name("jurisdiction.name")

    class Meta:
        model = InspectorAssignment
        fields = ["id", "jurisdiction", "community", "inspector", "inspector_name", "since"]
        read_only_fields = fields


class SupervisionVisitSerializer(ScopedModelSerializer):
    method_label = _label("method")

    class Meta:
        model = SupervisionVisit
        fields = ["id", "jurisdiction", "visited_on", "method", "method_label", "inspectors", "led_by", "checks",
                  "summary", "created_at", "updated_at"]
        read_only_fields = fields


class BulletinSerializer(ScopedModelSerializer):
    state_label = _label("state")
    number_text = serializers.CharField(read_only=True)
    document = DownloadField(route="inspections-bulletin-document", read_only=True)

    class Meta:
        model = Bulletin
        fields = ["id", "jurisdiction", "visit", "title", "issuer", "year", "sequence", "number_text", "state",
                  "state_label", "body", "distribution", "issued_at", "issued_by", "document"]
        read_only_fields = fields
