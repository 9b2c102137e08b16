from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from shouwang.core.api.fields import SiteDateTimeField
from shouwang.core.models import Jurisdiction

from ..choices import Finding


class DayField(serializers.DateField):
    """A day; a date-time is taken as the day it falls on in the site's zone."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except serializers.ValidationError:
            moment = parse_datetime(str(value))
            if moment is None:
                raise
            return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


class AuditQuerySerializer(serializers.Serializer):
    node = serializers.PrimaryKeyRelatedField(queryset=Jurisdiction.objects.all(), required=False,
                                              help_text="Node id; its whole subtree is audited. Default: your top node.")
    since = DayField(required=False, help_text="First day (inclusive). Default: 6 days before `until`.")
    until = DayField(required=False, help_text="Last day (inclusive). Default: today.")
    kind = serializers.CharField(required=False, allow_blank=True,
                                 help_text="An obligation kind, or a prefix ending in a dot (e.g. `briefings.`).")
    state = serializers.ChoiceField(choices=Finding.choices, required=False, allow_blank=True)


class _Named(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class _Subject(serializers.Serializer):
    type = serializers.CharField(allow_null=True)
    id = serializers.CharField()
    repr = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class _Change(serializers.Serializer):
    id = serializers.IntegerField()
    time = SiteDateTimeField()
    action = serializers.CharField()
    user = serializers.CharField()
    object = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField(allow_null=True, help_text="The change log of the request that made this change.")


class AuditRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=Finding.choices)
    state_label = serializers.CharField()
    node = _Named()
    responsible_unit = _Named(allow_null=True)
    responsible_person = _Named(allow_null=True)
    opens_at = SiteDateTimeField()
    due_at = SiteDateTimeField()
    met_at = SiteDateTimeField(allow_null=True)
    late_seconds = serializers.IntegerField(allow_null=True, help_text="Met late: met − due; missed: now − due.")
    late_text = serializers.CharField()
    waived_at = SiteDateTimeField(allow_null=True)
    waived_by = serializers.CharField(allow_null=True)
    waive_reason = serializers.CharField()
    policy = serializers.CharField(allow_null=True)
    policy_version = serializers.IntegerField(allow_null=True)
    rule = serializers.CharField()
    evidence = serializers.CharField()
    subject = _Subject(allow_null=True)
    url = serializers.CharField(allow_null=True)
    changes = _Change(many=True)


class _SummaryLine(serializers.Serializer):
    kind = serializers.CharField()
    unit = serializers.CharField()
    met_late = serializers.IntegerField()
    missed = serializers.IntegerField()
    waived = serializers.IntegerField()
    total = serializers.IntegerField()


class _Totals(serializers.Serializer):
    met_late = serializers.IntegerField()
    missed = serializers.IntegerField()
    waived = serializers.IntegerField()


class _Node(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


@extend_schema_serializer(many=False)  # the list route answers one report object
class AuditReportSerializer(serializers.Serializer):
    node = _Node()
    since = DayField()
    until = DayField()
    generated_at = SiteDateTimeField()
    totals = _Totals()
    summary = _SummaryLine(many=True)
    results = AuditRowSerializer(many=True)
