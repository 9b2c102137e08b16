import django_filters
from django.utils.translation import gettext_lazy as _

from shouwang.core.filtersets import ScopedFilterSet
from shouwang.core.models import Team

from .models import CheckIn, Checkpoint, Route, Schedule, Sighting


class TeamFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Team
        fields = ["kind"]


class RouteFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Route
        fields = []


class CheckpointFilterSet(ScopedFilterSet):
    class Meta:
        model = Checkpoint
        fields = ["route", "must_visit", "key_place"]


class ScheduleFilterSet(ScopedFilterSet):
    class Meta:
        model = Schedule
        fields = ["team", "route", "days", "active"]


class CheckInFilterSet(ScopedFilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("since"))
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("until"))
    route = django_filters.ModelChoiceFilter(field_name="checkpoint__route", queryset=Route.objects.all(), label=_("route"))

    class Meta:
        model = CheckIn
        fields = ["checkpoint", "member", "method", "status"]


class SightingFilterSet(ScopedFilterSet):
    class Meta:
        model = Sighting
        fields = ["kind"]
