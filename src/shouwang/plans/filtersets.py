"""One FilterSet per model: the page filters, the API parameters and the tests."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.filtersets import ScopedFilterSet

from .models import (
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


class PlanFilterSet(ScopedFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("title"))

    class Meta:
        model = Plan
        fields = ["working_kind", "active"]


class PlanVersionFilterSet(ScopedFilterSet):
    class Meta:
        model = PlanVersion
        fields = ["plan", "state"]


class PlanActionFilterSet(ScopedFilterSet):
    class Meta:
        model = PlanAction
        fields = ["version", "group"]


class PlanReviewFilterSet(ScopedFilterSet):
    class Meta:
        model = PlanReview
        fields = ["plan", "conclusion"]


class DrillFilterSet(ScopedFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("title"))
    since = django_filters.DateFilter(field_name="scheduled_at__date", lookup_expr="gte", label=_("scheduled from"),
                                      widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(field_name="scheduled_at__date", lookup_expr="lte", label=_("scheduled until"),
                                      widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Drill
        fields = ["kind", "state", "plan", "unit"]


class InjectFilterSet(ScopedFilterSet):
    class Meta:
        model = Inject
        fields = ["drill", "state"]


class ExpectedActionFilterSet(ScopedFilterSet):
    class Meta:
        model = ExpectedAction
        fields = ["inject", "person"]


class EvaluationFilterSet(ScopedFilterSet):
    class Meta:
        model = Evaluation
        fields = ["action", "rating"]


class ImprovementFilterSet(ScopedFilterSet):
    class Meta:
        model = Improvement
        fields = ["drill", "state", "owner"]


class CourseFilterSet(ScopedFilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("title"))

    class Meta:
        model = Course
        fields = []


class SessionFilterSet(ScopedFilterSet):
    since = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="gte", label=_("from"),
                                      widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Session
        fields = ["course"]


class AttendanceFilterSet(ScopedFilterSet):
    class Meta:
        model = Attendance
        fields = ["session", "person", "method"]


class CertificateFilterSet(ScopedFilterSet):
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte", label=_("expires by"),
                                               widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Certificate
        fields = ["course", "person", "renewed"]


class CampaignFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(method="in_year", label=_("year"))

    class Meta:
        model = Campaign
        fields = ["kind", "unit"]

    def in_year(self, qs, name, value):
        if not 1900 <= int(value) <= 2999:
            return qs.none()
        return qs.filter(held_on__year=int(value))


class CampaignPhotoFilterSet(ScopedFilterSet):
    class Meta:
        model = CampaignPhoto
        fields = ["campaign"]


class CampaignTargetFilterSet(ScopedFilterSet):
    class Meta:
        model = CampaignTarget
        fields = ["year"]
