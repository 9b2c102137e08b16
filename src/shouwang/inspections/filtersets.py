from datetime import timedelta

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.clock import local_datetime
from shouwang.core.filtersets import ScopedFilterSet

from .choices import OPEN_STATES
from .models import (
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


class ChecklistTemplateFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = ChecklistTemplate
        fields = ["category", "active"]


class TemplateVersionFilterSet(ScopedFilterSet):
    class Meta:
        model = TemplateVersion
        fields = ["template"]


class TemplateItemFilterSet(ScopedFilterSet):
    class Meta:
        model = TemplateItem
        fields = ["version", "answer_type", "severity"]


class InspectionPlanFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = InspectionPlan
        fields = ["kind", "holiday"]


class InspectionFilterSet(ScopedFilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="finished_at", lookup_expr="gte", label=_("since"))
    until = django_filters.IsoDateTimeFilter(field_name="finished_at", lookup_expr="lt", label=_("until"))

    class Meta:
        model = Inspection
        fields = ["place", "unit", "plan", "inspector"]


class AnswerFilterSet(ScopedFilterSet):
    class Meta:
        model = Answer
        fields = ["inspection", "result"]


class PhotoFilterSet(ScopedFilterSet):
    class Meta:
        model = Photo
        fields = ["inspection", "order"]


class FindingFilterSet(ScopedFilterSet):
    class Meta:
        model = Finding
        fields = ["source", "severity", "place", "unit"]


def _local_days(queryset, field, value):
    """Local days as an aware range (a briefing's figures link here with their period)."""
    if value.start:
        queryset = queryset.filter(**{f"{field}__gte": local_datetime(value.start)})
    if value.stop:
        queryset = queryset.filter(**{f"{field}__lt": local_datetime(value.stop + timedelta(days=1))})
    return queryset


class RectificationOrderFilterSet(ScopedFilterSet):
    open = django_filters.BooleanFilter(method="filter_open", label=pgettext_lazy("inspections", "open"))
    severity = django_filters.ChoiceFilter(field_name="finding__severity",
                                           choices=Finding._meta.get_field("severity").choices, label=_("severity"))
    place = django_filters.NumberFilter(field_name="finding__place", label=_("key place"))
    number = django_filters.CharFilter(lookup_expr="icontains", label=_("number"))
    found = django_filters.DateFromToRangeFilter(method="filter_found", label=_("found between"))
    closed = django_filters.DateFromToRangeFilter(method="filter_closed", label=_("closed between"))

    class Meta:
        model = RectificationOrder
        fields = ["state", "supervised", "responsible_unit"]

    def filter_found(self, queryset, name, value):
        return _local_days(queryset, "finding__found_at", value)

    def filter_closed(self, queryset, name, value):
        return _local_days(queryset, "closed_at", value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.exclude(state__in=OPEN_STATES)


class RectificationPlanFilterSet(ScopedFilterSet):
    class Meta:
        model = RectificationPlan
        fields = ["order"]


class VerificationFilterSet(ScopedFilterSet):
    class Meta:
        model = Verification
        fields = ["order", "result", "verifier"]


class InspectorAssignmentFilterSet(ScopedFilterSet):
    class Meta:
        model = InspectorAssignment
        fields = ["inspector"]


class SupervisionVisitFilterSet(ScopedFilterSet):
    class Meta:
        model = SupervisionVisit
        fields = ["method", "visited_on"]


class BulletinFilterSet(ScopedFilterSet):
    class Meta:
        model = Bulletin
        fields = ["state", "year"]
