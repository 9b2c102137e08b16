"""One FilterSet per model: the page filters, the API parameters (choices in the user's scope)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.core.filtersets import ScopedFilterSet

from .models import (
    Camera,
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Handover,
    KeySpot,
    PupilClass,
    Purge,
    School,
    VehicleEntry,
    VisitorEntry,
    VisitorRead,
)


class SchoolFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"), help_text=_("Name or address of the school."))

    class Meta:
        model = School
        fields = ["boarding"]

    def search(self, qs, name, value):
        return qs.filter(Q(unit__name__icontains=value) | Q(unit__address__icontains=value))


class KeySpotFilterSet(ScopedFilterSet):
    class Meta:
        model = KeySpot
        fields = ["school", "kind"]


class CameraFilterSet(ScopedFilterSet):
    class Meta:
        model = Camera
        fields = ["school", "spot", "active"]


class PupilClassFilterSet(ScopedFilterSet):
    class Meta:
        model = PupilClass
        fields = ["school", "young"]


class GateWindowFilterSet(ScopedFilterSet):
    day_after = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("from day"))
    day_before = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("until day"))

    class Meta:
        model = GateWindow
        fields = ["school", "kind", "day"]


class GateConfirmationFilterSet(ScopedFilterSet):
    class Meta:
        model = GateConfirmation
        fields = ["school", "window", "role"]


class _LogFilterSet(ScopedFilterSet):
    inside = django_filters.BooleanFilter(field_name="left_at", lookup_expr="isnull", label=_("still inside"))


class VisitorEntryFilterSet(_LogFilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="entered_at", lookup_expr="gte", label=_("in since"))
    until = django_filters.IsoDateTimeFilter(field_name="entered_at", lookup_expr="lt", label=_("in before"))
    flagged = django_filters.BooleanFilter(field_name="flagged_at", lookup_expr="isnull", exclude=True,
                                           label=_("still inside at closing"))

    class Meta:
        model = VisitorEntry
        fields = ["school", "host"]


class VehicleEntryFilterSet(_LogFilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("at the gate since"))
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("at the gate before"))

    class Meta:
        model = VehicleEntry
        fields = ["school", "kind", "outcome"]


class CameraCheckFilterSet(ScopedFilterSet):
    class Meta:
        model = CameraCheck
        fields = ["school", "camera", "day", "result"]


class HandoverFilterSet(ScopedFilterSet):
    class Meta:
        model = Handover
        fields = ["school", "pupil_class", "day"]


class VisitorReadFilterSet(ScopedFilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("since"))

    class Meta:
        model = VisitorRead
        fields = ["school", "reader", "channel"]


class PurgeFilterSet(ScopedFilterSet):
    class Meta:
        model = Purge
        fields = ["school"]
