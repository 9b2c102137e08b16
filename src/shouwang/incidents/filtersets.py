from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.core.clock import local_datetime
from shouwang.core.filtersets import ScopedFilterSet

from .models import (
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

DRILL_CHOICES = [("only", _("drills only")), ("all", _("real incidents and drills"))]


class IncidentFilterSet(ScopedFilterSet):
    """Lists show real incidents unless `?drill=only` or `?drill=all` asks for drills' exercise incidents."""

    q = django_filters.CharFilter(method="search", label=_("search"))
    drill = django_filters.ChoiceFilter(choices=DRILL_CHOICES, method="filter_drill", label=_("drills"),
                                        empty_label=_("real incidents only"))
    received = django_filters.DateFromToRangeFilter(method="filter_received", label=_("received between"))

    class Meta:
        model = Incident
        fields = ["status", "level", "category", "incident_class", "drill"]

    @property
    def qs(self):
        if not hasattr(self, "_real_qs"):
            cleaned = getattr(self.form, "cleaned_data", {}) if self.is_bound else {}
            self._real_qs = super().qs if cleaned.get("drill") else super().qs.real()
        return self._real_qs

    def filter_drill(self, qs, name, value):
        return qs.drills() if value == "only" else qs

    def search(self, qs, name, value):

        return qs.filter(Q(title__icontains=value) | Q(number__icontains=value) | Q(address__icontains=value))

    def filter_received(self, qs, name, value):
        # Local days as an aware range (a briefing's figures link here with their period).
        if value.start:
            qs = qs.filter(received_at__gte=local_datetime(value.start))
        if value.stop:
            qs = qs.filter(received_at__lt=local_datetime(value.stop + timedelta(days=1)))
        return qs


class ReportFilterSet(ScopedFilterSet):
    class Meta:
        model = Report
        fields = ["incident", "kind", "means"]


class LogEntryFilterSet(ScopedFilterSet):
    class Meta:
        model = LogEntry
        fields = ["incident", "kind"]


class TaskFilterSet(ScopedFilterSet):
    class Meta:
        model = Task
        fields = ["incident", "group", "person"]


class ResponderFilterSet(ScopedFilterSet):
    class Meta:
        model = Responder
        fields = ["incident", "person"]


class HandoverFilterSet(ScopedFilterSet):
    class Meta:
        model = Handover
        fields = ["incident"]


class ReviewFilterSet(ScopedFilterSet):
    class Meta:
        model = Review
        fields = ["incident"]


class ReviewActionFilterSet(ScopedFilterSet):
    class Meta:
        model = ReviewAction
        fields = ["review", "person"]


class CapMessageFilterSet(ScopedFilterSet):
    class Meta:
        model = CapMessage
        fields = ["incident", "msg_type"]
