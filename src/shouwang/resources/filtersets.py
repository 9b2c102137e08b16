"""One FilterSet per model: the page filters, the API parameters and the tests."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget

from shouwang.core.filtersets import ScopedFilterSet

from .choices import ExpiryBucket
from .models import (
    AssemblyPoint,
    CallOut,
    CallOutAnswer,
    Equipment,
    EquipmentEvent,
    EquipmentIssue,
    EvacuationPoint,
    Lot,
    PointCheck,
    PointOpening,
    PointVehicle,
    StockMovement,
    StockTake,
    Store,
    SupplyItem,
)


class SupplyItemFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))

    class Meta:
        model = SupplyItem
        fields = ["category"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(specification__icontains=value))


class StoreFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))

    class Meta:
        model = Store
        fields = []

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(address__icontains=value))


class LotFilterSet(ScopedFilterSet):
    in_stock = django_filters.BooleanFilter(method="stocked", label=_("in stock"))
    bucket = django_filters.ChoiceFilter(choices=ExpiryBucket.choices, method="expiry", label=_("expiry"))

    class Meta:
        model = Lot
        fields = ["store", "item"]

    def stocked(self, qs, name, value):
        return qs.filter(quantity__gt=0) if value else qs.filter(quantity=0)

    def expiry(self, qs, name, value):
        return qs.in_bucket(value, timezone.localdate())


class StockMovementFilterSet(ScopedFilterSet):
    # since/until (moments, for the API) and the lot (the lot's page links to it) ride along on
    # the page unseen: a clerk picks the period by its dates
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("since"),
                                             widget=forms.HiddenInput)
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("until"),
                                             widget=forms.HiddenInput)
    # ?period_after=&period_before= (local dates, both included): the briefings' links
    period = django_filters.DateFromToRangeFilter(field_name="at__date", label=_("period"),
                                                  widget=DateRangeWidget(attrs={"type": "date"}))

    class Meta:
        model = StockMovement
        fields = ["store", "item", "lot", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["lot"].extra["widget"] = forms.HiddenInput


class StockTakeFilterSet(ScopedFilterSet):
    class Meta:
        model = StockTake
        fields = ["store"]


class EquipmentFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))
    overdue = django_filters.BooleanFilter(method="late", label=_("overdue"))

    class Meta:
        model = Equipment
        fields = ["kind", "state", "store"]

    def search(self, qs, name, value):
        return qs.filter(Q(serial_number__icontains=value) | Q(name__icontains=value))

    def late(self, qs, name, value):
        late = Q(issues__returned_at__isnull=True, issues__due_back_at__lt=timezone.now())
        return qs.filter(late).distinct() if value else qs.exclude(late)


class EquipmentIssueFilterSet(ScopedFilterSet):
    out = django_filters.BooleanFilter(field_name="returned_at", lookup_expr="isnull", label=_("not returned"))

    class Meta:
        model = EquipmentIssue
        fields = ["equipment", "person", "team", "purpose"]


class EquipmentEventFilterSet(ScopedFilterSet):
    class Meta:
        model = EquipmentEvent
        fields = ["equipment", "kind"]


class AssemblyPointFilterSet(ScopedFilterSet):
    class Meta:
        model = AssemblyPoint
        fields = ["team"]


class CallOutFilterSet(ScopedFilterSet):
    class Meta:
        model = CallOut
        fields = ["team", "kind"]


class CallOutAnswerFilterSet(ScopedFilterSet):
    class Meta:
        model = CallOutAnswer
        fields = ["callout", "person"]


class EvacuationPointFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))
    available = django_filters.BooleanFilter(field_name="check_failed", exclude=True, label=_("available"))

    class Meta:
        model = EvacuationPoint
        fields = ["kind", "grade"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(address__icontains=value))


class PointVehicleFilterSet(ScopedFilterSet):
    class Meta:
        model = PointVehicle
        fields = ["point", "kind"]


class PointCheckFilterSet(ScopedFilterSet):
    class Meta:
        model = PointCheck
        fields = ["point", "passed"]


class PointOpeningFilterSet(ScopedFilterSet):
    open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", label=_("open"))

    class Meta:
        model = PointOpening
        fields = ["point"]
