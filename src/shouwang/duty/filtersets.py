"""One FilterSet per model of duty: the page filters, the API parameters and the tests."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.filtersets import ScopedFilterSet

from .models import Assignment, FeedToken, Handover, Leave, Posture, Roster, SolveRun, SwapRequest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RosterFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))
    on = django_filters.DateFilter(method="covering", label=_("covering the day"), widget=DATE)

    class Meta:
        model = Roster
        fields = ["state", "team"]

    def covering(self, qs, name, value):
        ids = [r.pk for r in qs.filter(starts_on__lte=value, starts_on__gt=value - timedelta(days=92))
               if r.ends_on >= value]
        return qs.filter(pk__in=ids)


class AssignmentFilterSet(ScopedFilterSet):
    since = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("from day"), widget=DATE)
    until = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("to day"), widget=DATE)
    removed = django_filters.BooleanFilter(field_name="removed_at", lookup_expr="isnull", exclude=True,
                                           label=_("removed"))

    class Meta:
        model = Assignment
        fields = ["roster", "person", "post"]


class LeaveFilterSet(ScopedFilterSet):
    on = django_filters.DateFilter(method="covering", label=_("on"), widget=DATE)

    class Meta:
        model = Leave
        fields = ["person"]

    def covering(self, qs, name, value):
        return qs.filter(starts_on__lte=value, ends_on__gte=value)


class SwapRequestFilterSet(ScopedFilterSet):
    class Meta:
        model = SwapRequest
        fields = ["state", "requester", "colleague"]


class PostureFilterSet(ScopedFilterSet):
    class Meta:
        model = Posture
        fields = ["level"]


class HandoverFilterSet(ScopedFilterSet):
    acknowledged = django_filters.BooleanFilter(field_name="acknowledged_at", lookup_expr="isnull", exclude=True,
                                                label=_("acknowledged"))

    class Meta:
        model = Handover
        fields = ["roster", "incoming"]


class SolveRunFilterSet(ScopedFilterSet):
    class Meta:
        model = SolveRun
        fields = ["roster", "state"]


class FeedTokenFilterSet(ScopedFilterSet):
    class Meta:
        model = FeedToken
        fields = ["person", "roster"]
